from __future__ import annotations

from django.utils.translation import gettext as _

from otop.core.errors import Conflict, DomainError


class InvalidOrder(DomainError):
    """The order's details do not fit (unknown SKU, quantity, phone, address); `fields` says where."""

    code = "invalid"


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"

    def __init__(self, *, number: str, current: str, wanted: str):
        super().__init__(
            _("Order %(number)s cannot go from %(current)s to %(wanted)s.")
            % {"number": number, "current": current, "wanted": wanted}
        )


class EmptyCart(DomainError):
    code = "empty_cart"

    def __init__(self):
        super().__init__(_("The cart is empty."))


class RemittanceRefused(Conflict):
    """A carrier's cash-on-delivery remittance that cannot pay this order; the message says why."""

    code = "remittance_refused"

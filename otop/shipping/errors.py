from __future__ import annotations

from django.utils.translation import gettext as _

from otop.core.errors import Conflict, DomainError


class MissingParcelFacts(DomainError):
    """Some goods have no weight: a parcel's fee cannot be worked out, so it is not guessed."""

    code = "missing_weight"
    status = 409

    def __init__(self, names: list[str]):
        super().__init__(
            _(
                "These items cannot be sent by parcel yet because their weight is not recorded: %(names)s. "
                "Please choose pickup or contact the center."
            )
            % {"names": ", ".join(names)}
        )
        self.names = names


class CarrierUnavailable(DomainError):
    """A carrier's API did not answer in time, or answered with an error."""

    code = "carrier_unavailable"
    status = 409


class CarrierRefused(CarrierUnavailable):
    """The carrier answered, with a business error about this request (e.g. Flash's 1006 "order not found"):
    asking again about the same thing will not help, but other requests may still work."""

    def __init__(self, message: str, *, carrier_code: int | None = None):
        super().__init__(message)
        self.carrier_code = carrier_code


class BookingNotAllowed(Conflict):
    code = "booking_not_allowed"


class BadSignature(DomainError):
    code = "bad_signature"
    status = 403


class PackingMismatch(Conflict):
    """The scanned items are not the order's: `differences` maps SKU → (wanted, scanned)."""

    code = "packing_mismatch"

    def __init__(self, differences: dict[str, tuple[int, int]]):
        super().__init__(
            _("The scanned items do not match the order: %(items)s.")
            % {
                "items": ", ".join(
                    _("%(sku)s wanted %(wanted)s, scanned %(scanned)s") % {"sku": sku, "wanted": w, "scanned": s}
                    for sku, (w, s) in sorted(differences.items())
                )
            }
        )
        self.differences = differences


class PickupNotAllowed(Conflict):
    code = "pickup_not_allowed"


class ReturnNotAllowed(Conflict):
    code = "return_not_allowed"


class RemittanceFileInvalid(DomainError):
    """A COD remittance file that cannot be imported (columns, size, encoding, imported before)."""

    code = "remittance_invalid"
    status = 400

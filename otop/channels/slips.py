"""Transfer slips sent as photos in a chat: the photo's mini-QR is read and the bank asked, exactly as for
a slip uploaded on the order page (`payments.services.pay_by_slip`); the order it pays is the chat's own
order waiting for payment. A photo that is not a slip goes on to staff as any photo does."""

from __future__ import annotations

from django.utils.translation import gettext as _

from otop.channels.models import ChatContact
from otop.channels.selectors import orders_of_contact
from otop.core.errors import TooManyTries
from otop.orders.models import Order
from otop.payments import services as payments
from otop.payments.models import Payment
from otop.payments.selectors import promptpay_payment_for


def answer_slip_photo(contact: ChatContact, content: bytes) -> list[str] | None:
    """The answer to a slip photo (paid, or why not in the buyer's words); None when it is no slip."""
    slip = payments.slip_in_image(content)
    if slip is None:
        return None  # a photo of something else: staff see it
    waiting = [order for order in orders_of_contact(contact) if order.status == Order.Status.PENDING_PAYMENT]
    if not waiting:
        return [_("Thank you for the slip. None of your orders is waiting for payment; our staff will look at it.")]
    try:
        payments.count_slip_try(target=f"chat:{contact.platform}:{contact.external_id}")
    except TooManyTries as error:
        return [error.message]
    refused: payments.SlipRefused | None = None
    for order in waiting:  # newest first: a slip of another order's amount is tried on the next one
        payment = promptpay_payment_for(order)
        if payment is None or payment.status != Payment.Status.PENDING:
            continue
        try:
            payments.pay_by_slip(payment=payment, sending_bank=slip.sending_bank, trans_ref=slip.trans_ref)
        except payments.SlipRefused as error:
            refused = error
            if error.reason == "wrong_amount":
                continue
            break
        order.refresh_from_db(fields=["status"])
        if order.status == Order.Status.PAID:
            return [_("Thank you! Your transfer is confirmed: order %(number)s is paid.") % {"number": order.number}]
        return [
            _("Thank you. We received the transfer for order %(number)s; our staff will check it.")
            % {"number": order.number}
        ]
    return [refused.message if refused else _("None of your orders is waiting for payment.")]

"""What the till refuses, each with a translated message and a stable code for the register."""

from __future__ import annotations

from otop.core.errors import Conflict, DomainError, NotAllowed


class ShiftAlreadyOpen(Conflict):
    code = "shift_already_open"


class ShiftNotOpen(Conflict):
    code = "shift_not_open"


class ApprovalRequired(NotAllowed):
    """A discount above the register's limit, a void or a refund needs a manager's PIN."""

    code = "approval_required"


class ReceiptNumberNotReserved(Conflict):
    code = "receipt_number_not_reserved"


class InvalidSale(DomainError):
    code = "invalid_sale"


class AlreadyVoided(Conflict):
    code = "already_voided"


class PinLocked(DomainError):
    """Too many wrong manager PINs at a register or by a cashier: approvals wait until the lock ends."""

    code = "pin_locked"
    status = 429


class PriceChanged(Conflict):
    """A line's price is neither the current price nor, offline, the price list the device held."""

    code = "price_changed"

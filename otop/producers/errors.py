"""What the producer registry refuses."""

from __future__ import annotations

from otop.core.errors import Conflict, DomainError


class InvalidProducerData(DomainError):
    code = "invalid_producer"


class BankAccountNotPending(Conflict):
    code = "bank_account_not_pending"


class PhoneAlreadyUsed(Conflict):
    code = "phone_already_used"

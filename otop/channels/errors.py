from __future__ import annotations

from otop.core.errors import Conflict, DomainError, NotAllowed


class CheckoutLinkInvalid(NotAllowed):
    code = "checkout_link_invalid"


class CheckoutLinkUsed(Conflict):
    code = "checkout_link_used"


class EmptyChatCart(DomainError):
    code = "empty_cart"


class ConversationClosed(Conflict):
    code = "conversation_closed"


class ContactUnreachable(Conflict):
    code = "contact_unreachable"


class EmptyReply(DomainError):
    code = "empty_reply"

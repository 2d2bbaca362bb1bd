"""Who may answer chats waiting for a person (merged into the roles by accounts.roles)."""

from django.utils.translation import gettext_lazy as _

_INBOX = ["channels.view_conversation", "channels.reply_conversation"]

ROLE_PERMISSIONS = {"manager": _INBOX, "staff": _INBOX}

AREAS = [("channels.view_conversation", "chat_inbox:list", _("LINE chats waiting for staff"))]

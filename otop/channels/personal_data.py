"""What the chat channels keep about a person with an account, for PDPA requests (core.personal_data)."""

from __future__ import annotations

from typing import Any

from otop.channels.models import ChatContact, ChatMessage
from otop.core.personal_data import PersonalDataHandler, register_personal_data


def export(user) -> dict[str, Any]:
    contacts = ChatContact.objects.filter(user=user)
    return {
        "chats": [
            {
                "platform": contact.platform,
                "user_id": contact.external_id,
                "display_name": contact.display_name,
                "language": contact.language,
                "following": contact.is_following,
                "messages": [
                    {"at": message.at.isoformat(), "direction": message.direction, "text": message.text}
                    for message in ChatMessage.objects.filter(conversation__contact=contact).order_by("at")
                ],
            }
            for contact in contacts
        ]
    }


def erase(user) -> str:
    """Forget the chats linked to the account: names, messages and carts (orders stay with the orders)."""
    contacts = ChatContact.objects.filter(user=user)
    messages = ChatMessage.objects.filter(conversation__contact__in=contacts)
    count = messages.count()
    for message in messages.exclude(image=""):
        message.image.delete(save=False)
    messages.delete()
    erased = contacts.update(display_name="", user=None)
    return f"{erased} chat(s) unlinked and their names and {count} message(s) erased"


def register() -> None:
    register_personal_data(PersonalDataHandler(app="channels", export=export, erase=erase))

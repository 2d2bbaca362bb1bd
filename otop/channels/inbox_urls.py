from django.urls import path

from otop.channels import inbox

app_name = "chat_inbox"

urlpatterns = [
    path("", inbox.conversation_list, name="list"),
    path("<int:conversation_id>/", inbox.conversation_detail, name="detail"),
    path("<int:conversation_id>/reply/", inbox.reply, name="reply"),
    path("<int:conversation_id>/done/", inbox.mark_done, name="done"),
    path("<int:conversation_id>/photos/<int:message_id>/", inbox.photo, name="photo"),
]

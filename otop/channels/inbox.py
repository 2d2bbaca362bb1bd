"""The staff inbox at /backoffice/line/: chats waiting for a person; staff answer (a push) and mark them done."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from otop.accounts.actors import acting_user
from otop.channels import selectors, services
from otop.channels.forms import ReplyForm
from otop.channels.models import ChatMessage, Conversation
from otop.core.errors import DomainError
from otop.core.pages import staff_only


def _conversation(conversation_id: int) -> Conversation:
    conversation = selectors.conversation_with_messages(conversation_id)
    if conversation is None:
        raise Http404
    return conversation


@require_GET
@staff_only("channels.view_conversation")
def conversation_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", Conversation.Status.WAITING)
    if status not in Conversation.Status.values:
        status = Conversation.Status.WAITING
    conversations = list(selectors.conversations_for_staff(status=status)[:200])
    return render(request, "channels/inbox/list.html", {"conversations": conversations, "status": status})


@require_GET
@staff_only("channels.view_conversation")
def conversation_detail(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = _conversation(conversation_id)
    return render(request, "channels/inbox/detail.html", {"conversation": conversation, "form": ReplyForm()})


@require_POST
@staff_only("channels.reply_conversation")
def reply(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = _conversation(conversation_id)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.reply_to_conversation(
                conversation=conversation, text=form.cleaned_data["text"], actor=acting_user(request)
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your answer was sent."))
            return redirect("chat_inbox:detail", conversation_id=conversation.pk)
    conversation = _conversation(conversation_id)
    return render(request, "channels/inbox/detail.html", {"conversation": conversation, "form": form}, status=400)


@require_POST
@staff_only("channels.reply_conversation")
def mark_done(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = _conversation(conversation_id)
    try:
        services.close_conversation(conversation=conversation, actor=acting_user(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Marked done."))
    return redirect("chat_inbox:list")


@require_GET
@staff_only("channels.view_conversation")
def photo(request: HttpRequest, conversation_id: int, message_id: int) -> HttpResponse:
    """A photo a person sent, re-encoded as JPEG when it arrived; only staff see it."""
    message = get_object_or_404(ChatMessage, pk=message_id, conversation_id=conversation_id)
    if not message.image:
        raise Http404
    response = FileResponse(message.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response

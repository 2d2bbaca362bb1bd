"""The producer portal's LINE part: link LINE with a one-time code, choose which news to get there."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from otop.channels import selectors, services
from otop.channels.forms import PushPreferencesForm
from otop.channels.line.client import line_config
from otop.channels.models import LinkCode
from otop.producers.access import portal_view
from otop.producers.models import Producer
from otop.producers.sections import Section, add_section


def _section_context(producer: Producer) -> dict:
    user = producer.user
    return {
        "is_linked": bool(user and selectors.linked_contacts(user).exists()),
        "line_enabled": line_config().is_enabled,
    }


def add_portal_section() -> None:
    add_section("portal", Section("channels/portal/_section.html", _section_context, order=30))


@require_GET
@portal_view
def line_page(request: HttpRequest, producer: Producer) -> HttpResponse:
    enabled = selectors.push_kinds_enabled(request.user)
    code = (
        LinkCode.objects.filter(user=request.user, used_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .first()
    )
    context = {
        "producer": producer,
        "contacts": list(selectors.linked_contacts(request.user)),
        "code": code,
        "form": PushPreferencesForm(initial={"kinds": [kind for kind, on in enabled.items() if on]}),
        "line_enabled": line_config().is_enabled,
    }
    return render(request, "channels/portal/line.html", context)


@require_POST
@portal_view
def new_code(request: HttpRequest, producer: Producer) -> HttpResponse:
    services.issue_link_code(user=request.user)
    return redirect("chat_portal:line")


@require_POST
@portal_view
def save_preferences(request: HttpRequest, producer: Producer) -> HttpResponse:
    form = PushPreferencesForm(request.POST)
    if form.is_valid():
        services.set_push_preferences(user=request.user, enabled=set(form.cleaned_data["kinds"]))
        messages.success(request, _("Saved: LINE sends you what you ticked."))
    return redirect("chat_portal:line")


@require_POST
@portal_view
def unlink(request: HttpRequest, producer: Producer) -> HttpResponse:
    if services.unlink_chats(user=request.user):
        messages.success(request, _("LINE is no longer linked: you get no more messages there."))
    return redirect("chat_portal:line")

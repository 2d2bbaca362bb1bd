"""The producer portal's application pages: apply with a product, follow it, make the changes asked for.

Served at /portal/apply/ and /portal/applications/… beside the producers app's portal pages.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from otop.accounts.actors import acting_user
from otop.core.errors import DomainError
from otop.core.forms import add_domain_error
from otop.producers.access import portal_view
from otop.producers.models import Producer
from otop.selection import selectors, services
from otop.selection.forms import ApplicationForm
from otop.selection.models import Application


@require_http_methods(["GET", "POST"])
@portal_view
def apply(request: HttpRequest, producer: Producer) -> HttpResponse:
    form = ApplicationForm(request.POST or None, request.FILES or None, producer=producer)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            application = services.submit_application(actor=acting_user(request), producer=producer, **data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Your application was sent to the committee."))
            return redirect("selection_portal:application", application_id=application.pk)
    return render(request, "selection/portal/apply.html", {"form": form, "producer": producer})


@require_GET
@portal_view
def application(request: HttpRequest, producer: Producer, application_id: int) -> HttpResponse:
    application = get_object_or_404(selectors.applications_for_producer(producer=producer), pk=application_id)
    decision = selectors.latest_decision(application)
    context = {
        "application": application,
        "events": application.events.order_by("at", "id"),
        "decision": decision,
        "photos": application.photos.all(),
    }
    return render(request, "selection/portal/application.html", context)


@require_http_methods(["GET", "POST"])
@portal_view
def resubmit(request: HttpRequest, producer: Producer, application_id: int) -> HttpResponse:
    application = get_object_or_404(selectors.applications_for_producer(producer=producer), pk=application_id)
    if application.status != Application.Status.CHANGES_REQUESTED:
        return redirect("selection_portal:application", application_id=application.pk)
    form = ApplicationForm(request.POST or None, request.FILES or None, instance=application, producer=producer)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.resubmit_application(actor=acting_user(request), application=application, **data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Your application was sent to the committee again."))
            return redirect("selection_portal:application", application_id=application.pk)
    return render(request, "selection/portal/apply.html", {"form": form, "producer": producer, "resubmit": True})

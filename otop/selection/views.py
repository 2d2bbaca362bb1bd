"""Pages of the selection committee: meetings, reviewing and scoring, decisions, letters; staff planning."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from otop.accounts.actors import acting_user
from otop.catalog.models import Product
from otop.core.errors import DomainError
from otop.core.forms import add_domain_error
from otop.core.pages import pdf_response, staff_only
from otop.core.uploads import private_file_response
from otop.producers.selectors import producer_of
from otop.selection import selectors, services
from otop.selection.forms import (
    CriterionForm,
    DecisionForm,
    DecisionRuleForm,
    DelistForm,
    MeetingForm,
    ScorecardForm,
)
from otop.selection.letters import decision_letter_pdf
from otop.selection.models import Application, ApplicationPhoto, Criterion


@require_GET
@staff_only("selection.view_meeting")
def meetings(request: HttpRequest) -> HttpResponse:
    return render(request, "selection/meetings.html", {"meetings": selectors.meetings()[:100]})


@require_GET
@staff_only("selection.view_meeting")
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Go through a meeting's agenda in one sitting: who scored, what the rule proposes."""
    sitting = get_object_or_404(selectors.meetings(), pk=meeting_id)
    agenda = list(selectors.meeting_agenda(sitting))
    mine = selectors.scored_by(member=request.user, applications=agenda)
    rows = [(application, selectors.tally_for(application), application.pk in mine) for application in agenda]
    context = {"meeting": sitting, "rows": rows, "is_chair": sitting.chair_id == request.user.pk}
    return render(request, "selection/meeting.html", context)


def _review_context(request: HttpRequest, application: Application) -> dict:
    tally = selectors.tally_for(application)
    can_score = (
        request.user.has_perm("selection.score_application")
        and application.is_open_for_scoring
        and selectors.scorecard_of(application=application, member=request.user) is None
        and not selectors.has_conflict_of_interest(member=request.user, producer=application.producer)
    )
    is_chair = application.meeting is not None and application.meeting.chair_id == request.user.pk
    return {
        "application": application,
        "photos": application.photos.all(),
        "certifications": application.certifications.all(),
        "tally": tally,
        "results": selectors.criterion_results(application, tally),
        "rule": selectors.decision_rule(),
        "my_scorecard": selectors.scorecard_of(application=application, member=request.user),
        "conflict": selectors.has_conflict_of_interest(member=request.user, producer=application.producer),
        "can_score": can_score,
        "is_chair": is_chair,
        "scorecards": selectors.scorecards_of_round(application)
        if is_chair or request.user.has_perm("selection.manage_meetings")
        else [],
        "decision": selectors.latest_decision(application),
        "events": application.events.select_related("actor").order_by("at", "id"),
    }


@require_GET
@staff_only("selection.view_application")
def application(request: HttpRequest, application_id: int) -> HttpResponse:
    item = get_object_or_404(selectors.applications_for_review(), pk=application_id)
    context = _review_context(request, item)
    context["score_form"] = ScorecardForm(criteria=list(selectors.active_criteria()))
    context["decision_form"] = DecisionForm(initial={"outcome": context["tally"].proposal})
    context["delist_form"] = DelistForm()
    return render(request, "selection/application.html", context)


@require_GET
@login_required
def application_photo(request: HttpRequest, application_id: int, photo_id: int) -> HttpResponse:
    """An application's photo: for the producer who applied and for the committee and staff, never public."""
    photo = get_object_or_404(ApplicationPhoto.objects.select_related("application"), pk=photo_id,
                              application_id=application_id)  # fmt: skip
    _may_see_application_files(request, photo.application)
    return private_file_response(photo.image, download_name=f"application-{application_id}-photo-{photo.pk}")


@require_GET
@login_required
def application_certificate(request: HttpRequest, application_id: int, certification_id: int) -> HttpResponse:
    """The document of a certification attached to an application, for the committee reviewing it."""
    application = get_object_or_404(Application, pk=application_id)
    _may_see_application_files(request, application)
    certification = get_object_or_404(application.certifications.all(), pk=certification_id)
    if not certification.document:
        raise Http404
    return private_file_response(certification.document, download_name=f"certification-{certification.pk}")


def _may_see_application_files(request: HttpRequest, application: Application) -> None:
    if request.user.has_perm("selection.view_application"):
        return
    own = producer_of(request.user)
    if own is None or own.pk != application.producer_id:
        raise PermissionDenied


@require_POST
@staff_only("selection.score_application")
def score(request: HttpRequest, application_id: int) -> HttpResponse:
    item = get_object_or_404(selectors.applications_for_review(), pk=application_id)
    form = ScorecardForm(request.POST, criteria=list(selectors.active_criteria()))
    if form.is_valid():
        try:
            services.score_application(
                member=request.user,
                application=item,
                scores=form.scores(),
                comments=form.comments(),
                comment=form.cleaned_data["comment"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your scores were saved."))
            if item.meeting_id:
                return redirect("selection:meeting", meeting_id=item.meeting_id)
        return redirect("selection:application", application_id=item.pk)
    context = _review_context(request, item)
    context.update(score_form=form, decision_form=DecisionForm(), delist_form=DelistForm())
    return render(request, "selection/application.html", context, status=400)


@require_POST
@staff_only("selection.decide_application")
def decide(request: HttpRequest, application_id: int) -> HttpResponse:
    item = get_object_or_404(selectors.applications_for_review(), pk=application_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_application(chair=request.user, application=item, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The decision was recorded and the producer is being told."))
        return redirect("selection:application", application_id=item.pk)
    context = _review_context(request, item)
    context.update(
        score_form=ScorecardForm(criteria=list(selectors.active_criteria())),
        decision_form=form,
        delist_form=DelistForm(),
    )
    return render(request, "selection/application.html", context, status=400)


@require_GET
@login_required
def letter(request: HttpRequest, application_id: int) -> HttpResponse:
    """The decision letter as PDF: for the producer it is addressed to, the committee and staff."""
    item = get_object_or_404(Application.objects.select_related("producer", "category", "product"), pk=application_id)
    producer = producer_of(request.user)
    if not (request.user.has_perm("selection.view_application") or (producer and producer.pk == item.producer_id)):
        raise PermissionDenied
    decision = selectors.latest_decision(item)
    if decision is None:
        messages.error(request, _("There is no decision yet."))
        return redirect("storefront:home")
    return pdf_response(decision_letter_pdf(decision=decision), f"decision-{item.pk}-{decision.round}.pdf")


# --- staff -----------------------------------------------------------------------------------


@require_GET
@staff_only("selection.manage_meetings")
def backoffice_applications(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    items = selectors.applications_for_review().order_by("-submitted_at", "-id")
    if status in Application.Status.values:
        items = items.filter(status=status)
    context = {
        "applications": items[:200],
        "statuses": Application.Status.choices,
        "status": status,
        "meetings": selectors.meetings()[:20],
    }
    return render(request, "selection/backoffice/applications.html", context)


@require_http_methods(["GET", "POST"])
@staff_only("selection.manage_meetings")
def backoffice_plan_meeting(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None, waiting=selectors.waiting_applications())
    if request.method == "POST" and form.is_valid():
        try:
            sitting = services.plan_meeting(actor=acting_user(request), **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The meeting was planned."))
            return redirect("selection:meeting", meeting_id=sitting.pk)
    return render(request, "selection/backoffice/plan_meeting.html", {"form": form})


@require_GET
@staff_only("core.view_auditevent")
def backoffice_audit(request: HttpRequest, application_id: int) -> HttpResponse:
    item = get_object_or_404(Application, pk=application_id)
    return render(
        request, "selection/backoffice/audit.html", {"application": item, "events": selectors.audit_trail(item)}
    )


@require_POST
@staff_only("selection.delist_product")
def backoffice_delist(request: HttpRequest, product_id: int) -> HttpResponse:
    product = get_object_or_404(Product, pk=product_id)
    form = DelistForm(request.POST)
    if form.is_valid():
        try:
            services.delist_product(actor=acting_user(request), product=product, reason=form.cleaned_data["reason"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The product was delisted and the producer is being told."))
    else:
        messages.error(request, _("Give the reason for delisting."))
    application_id = getattr(getattr(product, "application", None), "pk", None)
    if application_id:
        return redirect("selection:application", application_id=application_id)
    return redirect("selection:backoffice-applications")


# --- The rule the committee works by (manager) -----------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_only("selection.change_decisionrule")
def backoffice_rules(request: HttpRequest) -> HttpResponse:
    """The decision rule's thresholds and the criteria members score."""
    rule = selectors.decision_rule()
    form = DecisionRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_decision_rule(actor=acting_user(request), **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
            rule.refresh_from_db()
        else:
            messages.success(request, _("The decision rule was saved."))
            return redirect("selection:backoffice-rules")
    return render(
        request,
        "selection/backoffice/rules.html",
        {"form": form, "criteria": Criterion.objects.order_by("-is_active", "sort_order", "code")},
    )


@require_http_methods(["GET", "POST"])
@staff_only("selection.change_criterion")
def backoffice_criterion(request: HttpRequest, criterion_id: int | None = None) -> HttpResponse:
    criterion = get_object_or_404(Criterion, pk=criterion_id) if criterion_id else None
    if criterion is None and not request.user.has_perm("selection.add_criterion"):
        raise PermissionDenied
    form = CriterionForm(request.POST or None, instance=criterion)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_criterion(actor=acting_user(request), criterion=criterion, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The criterion was saved."))
            return redirect("selection:backoffice-rules")
    return render(request, "selection/backoffice/criterion.html", {"form": form, "criterion": criterion})

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from otop.accounts.actors import acting_user
from otop.accounts.selectors import people_with_roles
from otop.backoffice.audit import audit_rows
from otop.backoffice.forms import CenterProfileForm
from otop.backoffice.selectors import grouped_links, manager_day
from otop.core.models import CenterProfile
from otop.core.pages import staff_only
from otop.core.services import update_center_profile


@require_GET
@staff_only("accounts.access_backoffice")
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "today": today,
        "panels": manager_day(request.user, today=today),
        "link_groups": grouped_links(request.user),
    }
    return render(request, "backoffice/dashboard.html", context)


@require_http_methods(["GET", "POST"])
@staff_only("core.change_centerprofile")
def center_profile(request: HttpRequest) -> HttpResponse:
    profile = CenterProfile.objects.get(pk=CenterProfile.SINGLETON_ID)
    form = CenterProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        update_center_profile(
            actor=acting_user(request), **{name: form.cleaned_data[name] for name in form.changed_data}
        )
        messages.success(request, _("The center's profile was saved."))
        return redirect("backoffice:center-profile")
    return render(request, "backoffice/center_profile.html", {"form": form})


@require_GET
@staff_only("accounts.view_people")
def people(request: HttpRequest) -> HttpResponse:
    return render(request, "backoffice/people.html", {"people": people_with_roles()})


@require_GET
@staff_only("core.view_auditevent")
def audit_log(request: HttpRequest) -> HttpResponse:
    return render(request, "backoffice/audit.html", {"events": audit_rows(limit=200)})

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from otop.accounts.models import User
from otop.accounts.roles import ROLE_LABELS
from otop.core.discovery import feature_modules


def roles_of(user: User) -> list[str]:
    return [group.name for group in user.groups.all() if group.name in ROLE_LABELS]


@dataclass(frozen=True)
class Area:
    label: str
    url: str
    name: str = ""  # the URL's name, e.g. "orders:list"


# (permission or None for everyone signed in, url name, label). Features add their areas here.
AREAS = [
    ("accounts.access_backoffice", "backoffice:dashboard", _("Back office")),
    ("core.change_centerprofile", "backoffice:center-profile", _("Center profile")),
    ("accounts.view_people", "backoffice:people", _("Staff and roles")),
    ("core.view_auditevent", "backoffice:audit", _("Audit log")),
]


def all_areas() -> list[tuple]:
    """AREAS above plus each feature app's `AREAS` in otop/<app>/permissions.py."""

    areas = list(AREAS)
    for module in feature_modules("permissions"):
        areas.extend(getattr(module, "AREAS", []))
    return areas


def areas_for(user: User) -> list[Area]:
    """Return the parts of the system a user may open, for their account page."""
    areas = []
    for permission, url_name, label in all_areas():
        if permission is None or user.has_perm(permission):
            try:
                areas.append(Area(label=str(label), url=reverse(url_name), name=url_name))
            except NoReverseMatch:
                continue
    return areas


def people_with_roles() -> QuerySet[User]:
    from django.contrib.auth.models import Group

    return (
        User.objects.filter(groups__isnull=False)
        .prefetch_related(Prefetch("groups", queryset=Group.objects.order_by("name")))
        .distinct()
        .order_by("username")
    )


def users_with_permission(permission: str) -> QuerySet[User]:
    """Active users who hold a permission through one of their roles (or directly), e.g. to alert them."""
    from django.db.models import Q

    app_label, codename = permission.split(".", 1)
    granted = Q(groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label) | Q(
        user_permissions__codename=codename, user_permissions__content_type__app_label=app_label
    )
    return User.objects.filter(granted, is_active=True).distinct().order_by("pk")

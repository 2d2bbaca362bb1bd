"""The roles of the center and what each may do. docs/roles.md shows this as a table.

A role is a Django group. Each app adds its permissions to the lists below; the
groups are brought up to date after every `migrate`.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from otop.core.discovery import feature_modules

MANAGER = "manager"
STAFF = "staff"
CASHIER = "cashier"
COMMITTEE = "committee"
PRODUCER = "producer"
CUSTOMER = "customer"
# Reads the sales figures against the province's targets (reports), nothing else: no personal data.
PROVINCE_OFFICER = "province_officer"

ROLE_LABELS = {
    MANAGER: _("Manager"),
    STAFF: _("Center staff"),
    CASHIER: _("Cashier"),
    COMMITTEE: _("Committee member"),
    PRODUCER: _("Producer"),
    CUSTOMER: _("Customer"),
    PROVINCE_OFFICER: _("Province officer"),
}

# Roles whose members may open the Django admin (is_staff).
ADMIN_SITE_ROLES = {MANAGER, STAFF}

_STAFF_PERMISSIONS = [
    "accounts.access_backoffice",
    "catalog.view_product",
    "catalog.add_product",
    "catalog.change_product",
    "catalog.view_variant",
    "catalog.add_variant",
    "catalog.change_variant",
    "catalog.view_category",
    "producers.view_producer",
    "producers.add_producer",
    "producers.change_producer",
    "core.view_centerprofile",
    "core.view_openingexception",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    MANAGER: [
        *_STAFF_PERMISSIONS,
        "accounts.view_people",
        "accounts.operate_till",
        "core.change_centerprofile",
        "core.add_openingexception",
        "core.change_openingexception",
        "core.delete_openingexception",
        "core.view_auditevent",
        "catalog.delete_variant",
        "catalog.change_category",
    ],
    STAFF: _STAFF_PERMISSIONS,
    CASHIER: ["accounts.operate_till"],
    COMMITTEE: ["accounts.sit_on_committee"],
    PRODUCER: ["accounts.use_producer_portal"],
    CUSTOMER: [],
    PROVINCE_OFFICER: [],
}


def all_role_permissions() -> dict[str, list[str]]:
    """The lists above plus what each feature app declares in otop/<app>/permissions.py.

    A feature app's permissions module has ROLE_PERMISSIONS = {role: ["app.codename", ...]}
    (and may have AREAS, see accounts.selectors), so features add rights without editing this file.
    """

    merged = {role: list(names) for role, names in ROLE_PERMISSIONS.items()}
    for module in feature_modules("permissions"):
        for role, names in getattr(module, "ROLE_PERMISSIONS", {}).items():
            if role not in merged:
                raise ValueError(f"{module.__name__} names an unknown role {role!r}")
            merged[role].extend(name for name in names if name not in merged[role])
    return merged


def sync_roles() -> None:
    """Create the role groups and give each exactly its permissions."""
    from django.contrib.auth.models import Group, Permission

    for role, names in all_role_permissions().items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = []
        for name in names:
            app_label, codename = name.split(".")
            wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)


def sync_roles_after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """Bring the groups up to date once every app's permissions exist."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    sync_roles()

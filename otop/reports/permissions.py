"""Who sees the sales reports (merged into the roles by accounts.roles).

The province officer reads figures and exports them; only the manager sets targets. District officers
who enter producers' outside sales get `reports.enter_outside_sales` (the manager has it too).
"""

from django.utils.translation import gettext_lazy as _

ROLE_PERMISSIONS = {
    "manager": ["reports.view_sales_reports", "reports.edit_targets", "reports.enter_outside_sales"],
    "province_officer": ["reports.view_sales_reports"],
}

AREAS = [
    ("reports.view_sales_reports", "reports:dashboard", _("Sales against targets")),
    ("reports.edit_targets", "reports:targets", _("Sales targets")),
    ("reports.enter_outside_sales", "reports:outside-sales", _("Producers' sales outside the center")),
    ("accounts.use_producer_portal", "reports:my-sales", _("My sales this month")),
]

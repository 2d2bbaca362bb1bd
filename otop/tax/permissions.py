"""Who sees tax documents and the output-tax report (merged into the role groups by accounts.roles)."""

from django.utils.translation import gettext_lazy as _

ROLE_PERMISSIONS = {
    "cashier": ["tax.view_taxdocument"],
    "staff": ["tax.view_taxdocument"],
    "manager": ["tax.view_taxdocument", "tax.view_output_tax_report", "tax.view_buyer_tax_id"],
}

AREAS = [
    ("tax.view_output_tax_report", "tax:report", _("Output-tax report")),
]

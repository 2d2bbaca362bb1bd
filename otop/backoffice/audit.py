"""The audit log in words: what each recorded action code means, and what its target is.

The services record short codes (``orders.completed``, target ``orders.order`` #1) so that the log
can be searched and counted; the manager reads "Order completed" / "ปิดคำสั่งซื้อเรียบร้อย" and
"Order #1" / "คำสั่งซื้อ #1". A code without a label here (a new action) is still shown in words:
its app's name and the code's last part, and the page's test lists every code the services use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from otop.core.models import AuditEvent

ACTION_LABELS = {
    # accounts
    "accounts.signed_up": pgettext_lazy("audit log", "Signed up"),
    "accounts.sign_up_code_sent": pgettext_lazy("audit log", "Sign-up code sent by SMS"),
    "accounts.password_link_issued": pgettext_lazy("audit log", "Password link sent"),
    "accounts.second_factor_set": pgettext_lazy("audit log", "Two-step sign-in set up"),
    "accounts.recovery_code_used": pgettext_lazy("audit log", "Recovery code used"),
    # the center
    "center.profile_updated": pgettext_lazy("audit log", "Center profile changed"),
    # catalog
    "catalog.product_created": pgettext_lazy("audit log", "Product added"),
    "catalog.product_changed": pgettext_lazy("audit log", "Product changed"),
    "catalog.variant_added": pgettext_lazy("audit log", "Product option added"),
    "catalog.photo_added": pgettext_lazy("audit log", "Product photo added"),
    "catalog.photo_removed": pgettext_lazy("audit log", "Product photo removed"),
    "catalog.basket_changed": pgettext_lazy("audit log", "Gift basket changed"),
    "catalog.imported": pgettext_lazy("audit log", "Catalogue imported from a file"),
    # channels
    "channels.chat_linked": pgettext_lazy("audit log", "Chat linked to a customer"),
    "channels.chat_unlinked": pgettext_lazy("audit log", "Chat unlinked from a customer"),
    "channels.conversation_replied": pgettext_lazy("audit log", "Chat answered"),
    "channels.conversation_closed": pgettext_lazy("audit log", "Chat closed"),
    # inventory
    "inventory.intake_recorded": pgettext_lazy("audit log", "Goods received from a producer"),
    "inventory.stocktake_approved": pgettext_lazy("audit log", "Stock count approved"),
    "inventory.commission_set": pgettext_lazy("audit log", "Commission set"),
    "inventory.settlement_created": pgettext_lazy("audit log", "Producer settlement drawn up"),
    "inventory.settlement_paid": pgettext_lazy("audit log", "Producer settlement paid"),
    "inventory.payout_file_exported": pgettext_lazy("audit log", "Bank payout file exported"),
    # orders (one code per status an order moves to)
    "orders.pending_payment": pgettext_lazy("audit log", "Order waiting for payment"),
    "orders.paid": pgettext_lazy("audit log", "Order paid"),
    "orders.packed": pgettext_lazy("audit log", "Order packed"),
    "orders.shipped": pgettext_lazy("audit log", "Order shipped"),
    "orders.ready_for_pickup": pgettext_lazy("audit log", "Order ready for pickup"),
    "orders.completed": pgettext_lazy("audit log", "Order completed"),
    "orders.cancelled": pgettext_lazy("audit log", "Order cancelled"),
    "orders.refunded": pgettext_lazy("audit log", "Order refunded"),
    "orders.refunded_in_part": pgettext_lazy("audit log", "Part of an order refunded"),
    # payments
    "payments.bank_transfer.matched": pgettext_lazy("audit log", "Bank transfer matched to a payment"),
    "payments.bank_transfer.unmatched": pgettext_lazy("audit log", "Bank transfer without a payment"),
    "payments.bank_transfer.held": pgettext_lazy("audit log", "Bank transfer held for staff"),
    "payments.bank_transfer.refund_due": pgettext_lazy("audit log", "Bank transfer to be refunded"),
    "payments.slip.matched": pgettext_lazy("audit log", "Transfer slip matched to a payment"),
    "payments.slip.unmatched": pgettext_lazy("audit log", "Transfer slip without a payment"),
    "payments.slip.held": pgettext_lazy("audit log", "Transfer slip held for staff"),
    "payments.slip.refund_due": pgettext_lazy("audit log", "Transfer slip to be refunded"),
    "payments.refund": pgettext_lazy("audit log", "Money given back"),
    "payments.card.refund_failed": pgettext_lazy("audit log", "Card refund failed"),
    "payments.statement_imported": pgettext_lazy("audit log", "Bank statement imported"),
    # the till
    "pos.shift_opened": pgettext_lazy("audit log", "Shift opened"),
    "pos.shift_closed": pgettext_lazy("audit log", "Shift closed"),
    "pos.pin_set": pgettext_lazy("audit log", "Supervisor PIN set"),
    "pos.pin_approved": pgettext_lazy("audit log", "Supervisor PIN approved"),
    "pos.pin_failed": pgettext_lazy("audit log", "Wrong supervisor PIN"),
    "pos.pin_locked_out": pgettext_lazy("audit log", "Supervisor PIN locked"),
    "pos.sale_completed": pgettext_lazy("audit log", "Sale at the till"),
    "pos.sale_voided": pgettext_lazy("audit log", "Sale voided"),
    "pos.sale_refunded": pgettext_lazy("audit log", "Sale refunded"),
    "pos.sale_refunded_in_part": pgettext_lazy("audit log", "Sale refunded in part"),
    # privacy
    "privacy.notice_published": pgettext_lazy("audit log", "Privacy notice published"),
    "privacy.request_made": pgettext_lazy("audit log", "Personal data request made"),
    "privacy.request_closed": pgettext_lazy("audit log", "Personal data request closed"),
    "privacy.data_exported": pgettext_lazy("audit log", "Personal data exported"),
    "privacy.erased": pgettext_lazy("audit log", "Personal data erased"),
    "privacy.retention_changed": pgettext_lazy("audit log", "Retention rule changed"),
    "privacy.retention_applied": pgettext_lazy("audit log", "Personal data past its keeping time deleted"),
    "privacy.breach_recorded": pgettext_lazy("audit log", "Data breach recorded"),
    "privacy.breach_affected_exported": pgettext_lazy("audit log", "People affected by a breach downloaded"),
    "privacy.breach_pdpc_notified": pgettext_lazy("audit log", "Data breach reported to the PDPC"),
    "privacy.breach_people_notified": pgettext_lazy("audit log", "People told of a data breach"),
    "privacy.breach_closed": pgettext_lazy("audit log", "Data breach closed"),
    "privacy.guest_code_sent": pgettext_lazy("audit log", "One-time code sent to a guest"),
    "privacy.guest_code_wrong": pgettext_lazy("audit log", "Wrong one-time code from a guest"),
    "privacy.guest_verified": pgettext_lazy("audit log", "Guest proved their address"),
    "privacy.guest_data_exported": pgettext_lazy("audit log", "Guest downloaded their data"),
    # producers
    "producers.registered": pgettext_lazy("audit log", "Producer registered"),
    "producers.profile_updated": pgettext_lazy("audit log", "Producer profile changed"),
    "producers.photo_added": pgettext_lazy("audit log", "Producer photo added"),
    "producers.portal_opened": pgettext_lazy("audit log", "Producer portal opened"),
    "producers.sign_in_link_issued": pgettext_lazy("audit log", "Producer sign-in link sent"),
    "producers.certification_added": pgettext_lazy("audit log", "Certification added"),
    "producers.certification_expiring": pgettext_lazy("audit log", "Certification about to expire"),
    "producers.bank_account_submitted": pgettext_lazy("audit log", "Bank account submitted"),
    "producers.bank_account_confirmed": pgettext_lazy("audit log", "Bank account confirmed"),
    "producers.bank_account_rejected": pgettext_lazy("audit log", "Bank account rejected"),
    "producers.bank_account_viewed": pgettext_lazy("audit log", "Producer's bank account number shown"),
    "producers.national_id_viewed": pgettext_lazy("audit log", "Producer's national ID number shown"),
    # reports
    "reports.target_set": pgettext_lazy("audit log", "Sales target set"),
    "reports.target_removed": pgettext_lazy("audit log", "Sales target removed"),
    "reports.outside_sales": pgettext_lazy("audit log", "Sales outside the center entered"),
    # selection (one code per status an application moves to)
    "selection.application_submitted": pgettext_lazy("audit log", "Application submitted"),
    "selection.application_under_review": pgettext_lazy("audit log", "Application sent to the committee"),
    "selection.application_changes_requested": pgettext_lazy("audit log", "Changes asked of an application"),
    "selection.application_approved": pgettext_lazy("audit log", "Application approved"),
    "selection.application_rejected": pgettext_lazy("audit log", "Application rejected"),
    "selection.application_withdrawn": pgettext_lazy("audit log", "Application withdrawn"),
    "selection.meeting_planned": pgettext_lazy("audit log", "Committee meeting planned"),
    "selection.scored": pgettext_lazy("audit log", "Application scored"),
    "selection.decided": pgettext_lazy("audit log", "Committee decision recorded"),
    "selection.criterion_saved": pgettext_lazy("audit log", "Scoring criterion saved"),
    "selection.rule_changed": pgettext_lazy("audit log", "Decision rule changed"),
    "selection.product_delisted": pgettext_lazy("audit log", "Product delisted"),
    # shipping
    "shipping.pickup_requested": pgettext_lazy("audit log", "Carrier pickup requested"),
    "shipping.return_received": pgettext_lazy("audit log", "Returned parcel received"),
    "shipping.cod_remittance_imported": pgettext_lazy("audit log", "Cash-on-delivery remittance imported"),
    "shipping.cod_line_resolved": pgettext_lazy("audit log", "Cash-on-delivery remittance line resolved"),
    # tax documents (one code per kind issued)
    "tax.abbreviated_issued": pgettext_lazy("audit log", "Abbreviated tax invoice issued"),
    "tax.full_issued": pgettext_lazy("audit log", "Full tax invoice issued"),
    "tax.credit_note_issued": pgettext_lazy("audit log", "Credit note issued"),
    "tax.receipt_issued": pgettext_lazy("audit log", "Receipt issued"),
    "tax.document_cancelled": pgettext_lazy("audit log", "Tax document cancelled"),
    "tax.buyer_tax_id_viewed": pgettext_lazy("audit log", "Buyer's tax ID shown in full"),
    "tax.output_tax_report_exported": pgettext_lazy("audit log", "Output tax report downloaded"),
    # co-working room
    "workspace.wifi_rotated": pgettext_lazy("audit log", "WiFi password changed"),
}


def action_label(code: str) -> str:
    label = ACTION_LABELS.get(code)
    if label is not None:
        return str(label)
    app_label, _dot, rest = code.partition(".")
    words = rest.replace(".", " ").replace("_", " ")
    try:
        app_name = str(apps.get_app_config(app_label).verbose_name)
    except LookupError:
        return words or code
    return f"{app_name}: {words}"


def target_label(target_type: str, target_id: str) -> str:
    """ "Order #1" for ("orders.order", "1"): the model's own (translated) name and the row's number."""
    try:
        name = capfirst(apps.get_model(target_type)._meta.verbose_name)
    except (LookupError, ValueError):
        name = target_type
    return _("%(thing)s #%(number)s") % {"thing": name, "number": target_id}


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    who: str
    action: str
    target: str
    summary: str


def audit_rows(*, limit: int = 200) -> list[AuditRow]:
    """The latest audit events in words (one query)."""
    events = AuditEvent.objects.select_related("actor").order_by("-at", "-id")[:limit]
    return [
        AuditRow(
            at=event.at,
            who=event.actor.get_username() if event.actor else "",
            action=action_label(event.action),
            target=target_label(event.target_type, event.target_id),
            summary=event.summary,
        )
        for event in events
    ]

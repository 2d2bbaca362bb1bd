from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from otop.accounts.actors import acting_user
from otop.core.errors import DomainError
from otop.payments import services
from otop.payments.models import Payment
from otop.payments.promptpay import qr_png, qr_svg
from otop.payments.selectors import card_refunds_due, daily_close, payment_for_qr_token, transfers_for_staff
from otop.payments.statements import MAX_STATEMENT_BYTES


@require_GET
@cache_control(private=True, max_age=3600)
def promptpay_qr(request: HttpRequest, token: str) -> HttpResponse:
    """The PromptPay QR image of one payment request (the payload asks for its exact amount)."""
    payment = payment_for_qr_token(token)
    if payment is None or not payment.payload:
        raise Http404
    return HttpResponse(qr_svg(payment.payload), content_type="image/svg+xml")


@require_GET
@cache_control(private=True, max_age=3600)
def promptpay_qr_png(request: HttpRequest, token: str) -> HttpResponse:
    """The same QR as a PNG, for chat apps (LINE) that show only JPEG and PNG images."""
    payment = payment_for_qr_token(token)
    if payment is None or not payment.payload:
        raise Http404
    return HttpResponse(qr_png(payment.payload), content_type="image/png")


@require_GET
@login_required
@permission_required("payments.view_banktransfer", raise_exception=True)
def bank_transfers(request: HttpRequest) -> HttpResponse:
    """Money the bank reported that staff must look at: wrong amounts, unknown references, refunds due."""
    show_all = request.GET.get("all") == "1"
    transfers = list(transfers_for_staff(all_outcomes=show_all)[:200])
    refunds_due = [(payment, payment.amount - payment.refunded) for payment in card_refunds_due()[:200]]
    return render(
        request,
        "payments/bank_transfers.html",
        {"transfers": transfers, "show_all": show_all, "refunds_due": refunds_due},
    )


@require_POST
@login_required
@permission_required("payments.add_refund", raise_exception=True)
def retry_card_refund(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask the gateway again to give back a card payment whose automatic refund failed."""
    payment = Payment.objects.filter(pk=pk).first()
    if payment is None:
        raise Http404
    try:
        refund = services.retry_card_refund(payment=payment, actor=acting_user(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(amount)s given back through the gateway (%(id)s).")
            % {"amount": f"฿{refund.amount:,.2f}", "id": refund.provider_refund_id},
        )  # fmt: skip
    return redirect("payments:bank-transfers")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return timezone.localdate()


@login_required
@permission_required("payments.view_statementline", raise_exception=True)
def reconciliation(request: HttpRequest) -> HttpResponse:
    """The daily close: the day's credits on the bank statement against the payments received.

    POST (the manager) imports a statement CSV; the page then shows the day asked for."""
    day = _day(request.GET.get("day", ""))
    if request.method == "POST":
        if not request.user.has_perm("payments.add_statementimport"):
            raise PermissionDenied
        upload = request.FILES.get("statement")
        if upload is None:
            messages.error(request, _("Choose the statement file (CSV) to import."))
        else:
            try:
                statement = services.import_statement(
                    data=upload.read(MAX_STATEMENT_BYTES + 1), file_name=upload.name or "", actor=acting_user(request)
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    _("%(read)s credits read, %(new)s new.")
                    % {"read": statement.lines_read, "new": statement.lines_new},
                )
        return redirect(f"{reverse('payments:reconciliation')}?day={day.isoformat()}")
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    close = daily_close(day)
    return render(
        request,
        "payments/reconciliation.html",
        {
            "close": close,
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "can_import": request.user.has_perm("payments.add_statementimport"),
        },
    )

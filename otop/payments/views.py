from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from otop.payments.promptpay import qr_png, qr_svg
from otop.payments.selectors import payment_for_qr_token, transfers_for_staff


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
    return render(request, "payments/bank_transfers.html", {"transfers": transfers, "show_all": show_all})

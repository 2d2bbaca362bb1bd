from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from otop.payments.promptpay import qr_png, qr_svg
from otop.payments.selectors import payment_for_qr_token


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

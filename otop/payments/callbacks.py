"""POST /payments/callback/bank/: the bank's payment confirmation (modelled on SCB's).

Order of checks, each before anything is kept: the bank settings (else 404); the shared secret in
`X-Callback-Secret`, compared in constant time before the body is read (missing 401, wrong 403); a
readable body with a transactionId and an amount (else 400); a transaction we already took answers 200
at once; then the bank's inquiry API must list the same transaction with the same amount and Ref1
(else 409, nothing kept; the bank unreachable → 503 so it sends again). Only then
`services.receive_bank_transfer` keeps the money, once, and queues its matching to the order
(`settle_bank_transfer`, in the task queue, so the answer does not wait for the order's writes).
Answers are the bank's documented `{"resCode", "resDesc", "transactionId"}`.
"""

from __future__ import annotations

import hmac
import json
import logging

from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from otop.payments import services
from otop.payments.bank import PROVIDER, BankUnavailable, NotConfirmed, bank_client, bank_config, transaction_from
from otop.payments.gateway import gateway_config, signature_is_valid
from otop.payments.models import BankTransfer

logger = logging.getLogger("otop.payments")

MAX_BODY = 16 * 1024


def _answer(status: int, code: str, description: str, transaction_id: str = "") -> JsonResponse:
    return JsonResponse({"resCode": code, "resDesc": description, "transactionId": transaction_id}, status=status)


@csrf_exempt
@require_POST
def bank_callback(request: HttpRequest) -> JsonResponse:
    config = bank_config()
    if not config.is_enabled:
        raise Http404
    secret = request.headers.get("X-Callback-Secret", "")
    if not secret:
        return _answer(401, "40", "missing X-Callback-Secret")
    if not hmac.compare_digest(secret.encode("utf-8", "replace"), config.callback_secret.encode()):
        logger.warning("bank callback with a wrong secret from %s", request.META.get("REMOTE_ADDR"))
        return _answer(403, "41", "wrong X-Callback-Secret")
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY:
        return _answer(400, "10", "body too large")
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _answer(400, "10", "the body is not JSON")
    pushed = transaction_from(body) if isinstance(body, dict) else None
    if pushed is None:
        return _answer(400, "11", "transactionId and amount are required")
    if BankTransfer.objects.filter(provider=PROVIDER, transaction_id=pushed.transaction_id).exists():
        return _answer(200, "00", "success", pushed.transaction_id)
    try:
        confirmed = bank_client().confirm(pushed)
    except BankUnavailable as error:
        logger.warning("bank callback %s: inquiry failed (%s)", pushed.transaction_id, error)
        return _answer(503, "90", "could not verify with the bank; send again", pushed.transaction_id)
    except NotConfirmed:
        confirmed = None
    if confirmed is None or confirmed.amount != pushed.amount or confirmed.ref1 != pushed.ref1:
        logger.warning("bank callback %s: not confirmed by the bank's inquiry", pushed.transaction_id)
        return _answer(409, "20", "the bank's inquiry does not confirm this transaction", pushed.transaction_id)
    services.receive_bank_transfer(confirmed)
    return _answer(200, "00", "success", pushed.transaction_id)


MAX_GATEWAY_BODY = 64 * 1024
CHARGE_EVENTS = {"charge.create", "charge.complete", "charge.update", "charge.expire", "charge.reverse"}


@csrf_exempt
@require_POST
def gateway_webhook(request: HttpRequest) -> JsonResponse:
    """POST /payments/callback/gateway/: the card gateway's signed events (Opn Payments/Omise style).

    The signature is checked on the raw body in constant time before anything is read (missing 401,
    wrong or stale 403); an event is kept once by its id and its charge is fetched again from the
    gateway by the task queue before anything changes. Events of other kinds are answered 200 and left.
    """
    config = gateway_config()
    if not (config.is_enabled and config.webhook_secret):
        raise Http404
    signature = request.headers.get("Omise-Signature", "")
    timestamp = request.headers.get("Omise-Signature-Timestamp", "")
    if not signature or not timestamp:
        return JsonResponse({"error": "missing signature"}, status=401)
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_GATEWAY_BODY:
        return JsonResponse({"error": "body too large"}, status=400)
    body = request.body
    if not signature_is_valid(body, signature=signature, timestamp=timestamp, secret=config.webhook_secret):
        logger.warning("gateway webhook with a wrong signature from %s", request.META.get("REMOTE_ADDR"))
        return JsonResponse({"error": "wrong signature"}, status=403)
    try:
        event = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": "the body is not JSON"}, status=400)
    if not isinstance(event, dict) or event.get("object") != "event" or not isinstance(event.get("id"), str):
        return JsonResponse({"error": "not an event"}, status=400)
    key = event.get("key") if isinstance(event.get("key"), str) else ""
    data = event.get("data") if isinstance(event.get("data"), dict) else {}
    if key not in CHARGE_EVENTS or data.get("object") != "charge" or not isinstance(data.get("id"), str):
        return JsonResponse({})
    services.receive_gateway_event(event_id=event["id"], key=key, charge_id=data["id"])
    return JsonResponse({})

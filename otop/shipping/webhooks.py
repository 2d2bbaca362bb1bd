"""Flash Express's status webhook: a signed form POST; the answer Flash expects is
`{"errorCode": "1", "state": "success"}` (anything else makes it send again).

The form is read from the raw body (a name given twice is refused: which value was signed is not
clear), its signature checked in constant time, the push kept once and its parcel queued for a check
with Flash's routes (services.handle_flash_webhook): the answer does not wait for Flash.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from otop.shipping.services import FlashPush, handle_flash_webhook

logger = logging.getLogger(__name__)

MAX_BODY = 64 * 1024


def _form(body: bytes) -> dict[str, str] | None:
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False, max_num_fields=50)
    except (UnicodeDecodeError, ValueError):
        return None
    form = dict(pairs)
    return form if len(form) == len(pairs) else None


@csrf_exempt
@require_POST
def flash_webhook(request: HttpRequest) -> JsonResponse:
    declared = request.headers.get("Content-Length", "")
    if (declared.isdigit() and int(declared) > MAX_BODY) or len(request.body) > MAX_BODY:
        return JsonResponse({"errorCode": "0", "state": "too large"}, status=413)
    params = _form(request.body) if request.content_type == "application/x-www-form-urlencoded" else None
    if params is None:
        return JsonResponse({"errorCode": "0", "state": "unreadable form"}, status=400)
    outcome = handle_flash_webhook(params)
    if outcome == FlashPush.REFUSED:
        logger.warning("Flash webhook with a wrong signature refused")
        return JsonResponse({"errorCode": "0", "state": "invalid signature"}, status=403)
    return JsonResponse({"errorCode": "1", "state": "success"})

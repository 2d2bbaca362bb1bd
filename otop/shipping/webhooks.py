"""Flash Express's status webhook: a signed form POST; the answer Flash expects is
`{"errorCode": "1", "state": "success"}` (anything else makes it send again)."""

from __future__ import annotations

import logging

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from otop.shipping.services import handle_flash_webhook

logger = logging.getLogger(__name__)

MAX_BODY = 64 * 1024


@csrf_exempt
@require_POST
def flash_webhook(request: HttpRequest) -> JsonResponse:
    if len(request.body) > MAX_BODY:
        return JsonResponse({"errorCode": "0", "state": "too large"}, status=413)
    params = {key: request.POST.get(key, "") for key in request.POST}
    if not handle_flash_webhook(params):
        logger.warning("Flash webhook with a wrong signature refused")
        return JsonResponse({"errorCode": "0", "state": "invalid signature"}, status=403)
    return JsonResponse({"errorCode": "1", "state": "success"})

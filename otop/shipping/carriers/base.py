"""What every carrier adapter meets, and the small HTTP helper they share (stdlib, a timeout on every call)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime

from otop.shipping.errors import CarrierUnavailable

# A carrier slower than this is left out of the quotes rather than holding up a checkout.
QUOTE_TIMEOUT_SECONDS = 2.0
BOOKING_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class CarrierEvent:
    """One scan as a carrier reports it, before it is stored."""

    at: datetime
    status: str  # a Shipment.Status value
    carrier_code: str
    description: str = ""
    location: str = ""


def post(url: str, *, form: dict[str, str] | None = None, json_body: object = None, headers=None, timeout: float):
    """POST a form or JSON body and return the decoded JSON answer; raises CarrierUnavailable."""
    if json_body is not None:
        data = json.dumps(json_body).encode()
        content_type = "application/json"
    else:
        data = urllib.parse.urlencode(form or {}).encode()
        content_type = "application/x-www-form-urlencoded"
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": content_type, **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (URL from settings)
            return json.loads(response.read().decode() or "null")
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
        raise CarrierUnavailable(str(error)[:200]) from error

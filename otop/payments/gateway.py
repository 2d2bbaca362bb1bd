"""The card and e-wallet gateway (modelled on Opn Payments, formerly Omise: its charges API).

- `POST {base}/charges` (HTTP Basic, the secret key as user name; form-encoded): `amount` in satang,
  `currency=thb`, `card` (a token the buyer's browser got from the gateway's vault with the public key)
  or `source` (an e-wallet or banking app source), `return_uri` (where the buyer comes back after 3-D
  Secure or the wallet), `metadata[reference]`. The answer is a charge: `status` `pending` with an
  `authorize_uri` to send the buyer to, `successful`, `failed` (`failure_code`, `failure_message`) or
  `expired`.
- `GET {base}/charges/{id}`: the charge as the gateway knows it now. Nothing changes on our side from a
  webhook alone: the charge is always fetched again first.
- `POST {base}/charges/{id}/refunds` (`amount` in satang; an `Idempotency-Key` header so a retried
  refund is made once): the refund (`rfnd_...`).
- Errors are `{"object": "error", "code", "message"}` with a 4xx status (GatewayRefused); no answer, a
  5xx or a body that is not JSON is GatewayUnavailable.
- Webhooks: `Omise-Signature` = hex HMAC-SHA256 over `<Omise-Signature-Timestamp>.<raw body>` keyed with
  the base64-decoded webhook secret (two comma-separated signatures while a secret is being rolled).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings

PROVIDER = "omise"
TIMEOUT_SECONDS = 10
# A signed event older (or newer) than this is refused: a captured one cannot be replayed later.
SIGNATURE_TOLERANCE_SECONDS = 15 * 60


class GatewayUnavailable(Exception):
    """The gateway did not answer as documented (network, 5xx, unreadable body): try again later."""


class GatewayRefused(Exception):
    """The gateway answered with its error object (a declined card, an unknown charge, a bad key)."""

    def __init__(self, status: int, code: str, message: str):
        self.status, self.code, self.message = status, code, message
        super().__init__(f"{status} {code}: {message}")


@dataclass(frozen=True)
class GatewayConfig:
    base_url: str
    public_key: str
    secret_key: str
    webhook_secret: str

    @property
    def is_enabled(self) -> bool:
        return bool(self.base_url and self.secret_key)


def gateway_config() -> GatewayConfig:
    return GatewayConfig(
        base_url=settings.GATEWAY_API_BASE_URL.rstrip("/"),
        public_key=settings.GATEWAY_PUBLIC_KEY,
        secret_key=settings.GATEWAY_SECRET_KEY,
        webhook_secret=settings.GATEWAY_WEBHOOK_SECRET,
    )


@dataclass(frozen=True)
class Charge:
    """A charge as the gateway reports it (amounts in baht, exact to the satang)."""

    id: str
    status: str  # pending | successful | failed | expired | reversed
    amount: Decimal
    currency: str
    paid: bool
    refunded_amount: Decimal
    authorize_uri: str = ""
    failure_code: str = ""
    failure_message: str = ""
    reference: str = ""

    @property
    def is_successful(self) -> bool:
        return self.status == "successful" and self.paid and self.currency == "thb"

    @property
    def has_failed(self) -> bool:
        return self.status in {"failed", "expired", "reversed"}


@dataclass(frozen=True)
class Refund:
    id: str
    amount: Decimal
    charge_id: str


def to_satang_int(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def _baht(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return (Decimal(value) / 100).quantize(Decimal("0.01"))


def _text(value: Any, limit: int = 200) -> str:
    return value[:limit] if isinstance(value, str) else ""


def charge_from(data: Any) -> Charge | None:
    """Read the gateway's charge object; None when it is not one."""
    if not isinstance(data, dict) or data.get("object") != "charge":
        return None
    amount = _baht(data.get("amount"))
    charge_id = _text(data.get("id"), 100)
    if amount is None or not charge_id:
        return None
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    return Charge(
        id=charge_id,
        status=_text(data.get("status"), 20),
        amount=amount,
        currency=_text(data.get("currency"), 3).lower(),
        paid=data.get("paid") is True,
        refunded_amount=_baht(data.get("refunded_amount", data.get("refunded", 0))) or Decimal("0.00"),
        authorize_uri=_text(data.get("authorize_uri"), 500),
        failure_code=_text(data.get("failure_code"), 100),
        failure_message=_text(data.get("failure_message"), 300),
        reference=_text(metadata.get("reference"), 40),
    )


class GatewayClient:
    def __init__(self, config: GatewayConfig):
        self.config = config

    def _request(self, method: str, path: str, *, form: dict | None = None, idempotency_key: str = "") -> Any:
        credentials = base64.b64encode(f"{self.config.secret_key}:".encode()).decode()
        headers = {"Authorization": f"Basic {credentials}", "Accept": "application/json"}
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        request = urllib.request.Request(self.config.base_url + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310 (configured URL)
                status, raw = answer.status, answer.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        except (urllib.error.URLError, OSError) as error:
            raise GatewayUnavailable(f"the gateway did not answer: {error}") from None
        if status >= 500:
            raise GatewayUnavailable(f"the gateway answered {status}")
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            raise GatewayUnavailable(f"the gateway answered {status} with a body that is not JSON") from None
        if status >= 400:
            error = body if isinstance(body, dict) else {}
            raise GatewayRefused(status, _text(error.get("code"), 100) or "error", _text(error.get("message"), 300))
        return body

    def _charge(self, body: Any) -> Charge:
        charge = charge_from(body)
        if charge is None:
            raise GatewayUnavailable("the gateway answered something that is not a charge")
        return charge

    def create_charge(
        self,
        *,
        amount: Decimal,
        return_uri: str,
        reference: str,
        card_token: str = "",
        source_type: str = "",
        idempotency_key: str = "",
    ) -> Charge:
        form = {
            "amount": str(to_satang_int(amount)),
            "currency": "thb",
            "return_uri": return_uri,
            "description": reference,
            "metadata[reference]": reference,
        }
        if card_token:
            form["card"] = card_token
        else:
            form["source[type]"] = source_type
        return self._charge(self._request("POST", "/charges", form=form, idempotency_key=idempotency_key))

    def charge(self, charge_id: str) -> Charge:
        return self._charge(self._request("GET", f"/charges/{urllib.parse.quote(charge_id, safe='')}"))

    def refund(self, *, charge_id: str, amount: Decimal, idempotency_key: str) -> Refund:
        body = self._request(
            "POST",
            f"/charges/{urllib.parse.quote(charge_id, safe='')}/refunds",
            form={"amount": str(to_satang_int(amount))},
            idempotency_key=idempotency_key,
        )
        refunded = _baht(body.get("amount")) if isinstance(body, dict) else None
        if not isinstance(body, dict) or body.get("object") != "refund" or refunded is None:
            raise GatewayUnavailable("the gateway answered something that is not a refund")
        return Refund(id=_text(body.get("id"), 100), amount=refunded, charge_id=charge_id)


def gateway_client() -> GatewayClient:
    return GatewayClient(gateway_config())


def sign(body: bytes, *, timestamp: str, secret: str) -> str:
    """The signature the gateway puts in Omise-Signature for this raw body and timestamp."""
    key = base64.b64decode(secret)
    return hmac.new(key, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def signature_is_valid(body: bytes, *, signature: str, timestamp: str, secret: str, now: float | None = None) -> bool:
    """Whether one of the header's signatures is ours for this raw body (constant time), and it is recent."""
    if not signature or not timestamp or not secret:
        return False
    try:
        moment = int(timestamp)
        expected = sign(body, timestamp=timestamp, secret=secret).encode()
    except (ValueError, binascii.Error):
        return False
    now = time.time() if now is None else now
    if abs(now - moment) > SIGNATURE_TOLERANCE_SECONDS:
        return False
    matches = [hmac.compare_digest(expected, part.strip().encode("ascii", "replace")) for part in signature.split(",")]
    return any(matches)

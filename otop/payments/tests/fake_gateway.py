"""A fake card gateway on 127.0.0.1 speaking Opn Payments' (Omise's) charges API.

- Every call needs HTTP Basic with the secret key as user name (401 `authentication_failure` otherwise).
- `POST /charges` (form): `amount` (satang, at least 2000), `currency=thb`, `card` (a token) or
  `source[type]`, `return_uri`. Tokens: `tokn_test_ok` charges at once; `tokn_test_3ds` answers
  `pending` with an `authorize_uri` (3-D Secure); `tokn_test_declined` answers a `failed` charge
  (`insufficient_fund`); any other token 404 `not_found`. An `Idempotency-Key` seen before answers the
  same charge again. Bad amounts or currency: 400 `invalid_charge`.
- `GET /charges/{id}`: the charge now, or 404 `not_found`.
- `POST /charges/{id}/refunds` (form `amount`): a refund, 400 `failed_refund` above what is left; an
  `Idempotency-Key` seen before answers the same refund.
- `GET /authorize/{id}`: the buyer passes 3-D Secure (the charge becomes successful) and is sent back to
  the charge's `return_uri` (302).

`complete(id)` / `decline(id)` decide a pending charge; `event(id)` builds the signed webhook (body and
headers) the gateway would send; `fail_next(path, status)` makes the next call to a path answer an error.
"""

from __future__ import annotations

import base64
import itertools
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from otop.payments.gateway import sign

SECRET_KEY = "skey_test_5xfakegatewaysecret"
PUBLIC_KEY = "pkey_test_5xfakegatewaypublic"
WEBHOOK_SECRET = base64.b64encode(b"fake-gateway-webhook-signing-key").decode()
_ids = itertools.count(1)


@dataclass
class GatewayState:
    charges: dict[str, dict] = field(default_factory=dict)
    refunds: dict[str, dict] = field(default_factory=dict)  # by idempotency key
    charge_keys: dict[str, str] = field(default_factory=dict)  # idempotency key -> charge id
    requests: list[tuple[str, str]] = field(default_factory=list)
    failures: dict[str, list[int]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _error(code: str, message: str) -> dict:
    return {"object": "error", "location": "https://docs.opn.ooo/api-errors", "code": code, "message": message}


class _Handler(BaseHTTPRequestHandler):
    state: GatewayState
    base_url: str

    def log_message(self, *args) -> None:  # quiet
        pass

    def _send(self, status: int, body: dict, headers: dict | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _checked(self, path: str) -> bool:
        """Count the call, answer a forced failure or a bad key; True when the call may go on."""
        with self.state.lock:
            self.state.requests.append((self.command, path))
            queue = self.state.failures.get(path)
            forced = queue.pop(0) if queue else None
        if forced is not None:
            self._send(forced, _error("internal_error", "forced failure"))
            return False
        expected = "Basic " + base64.b64encode(f"{SECRET_KEY}:".encode()).decode()
        if self.headers.get("Authorization") != expected:
            self._send(401, _error("authentication_failure", "authentication failed"))
            return False
        return True

    def _form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        return dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))

    def do_GET(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        if path.startswith("/authorize/"):
            charge = self.state.charges.get(path.removeprefix("/authorize/"))
            if charge is None:
                return self._send(404, _error("not_found", "charge was not found"))
            _decide(charge, paid=True)
            self.send_response(302)
            self.send_header("Location", charge["return_uri"])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if not self._checked(path):
            return None
        charge = self.state.charges.get(path.removeprefix("/charges/")) if path.startswith("/charges/") else None
        if charge is None:
            return self._send(404, _error("not_found", "charge was not found"))
        return self._send(200, charge)

    def do_POST(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        if not self._checked(path):
            return None
        form = self._form()
        key = self.headers.get("Idempotency-Key", "")
        if path == "/charges":
            return self._create_charge(form, key)
        if path.startswith("/charges/") and path.endswith("/refunds"):
            return self._refund(path.split("/")[2], form, key)
        return self._send(404, _error("not_found", "path was not found"))

    def _create_charge(self, form: dict[str, str], key: str) -> None:
        with self.state.lock:
            if key and key in self.state.charge_keys:
                return self._send(200, self.state.charges[self.state.charge_keys[key]])
        try:
            amount = int(form.get("amount", ""))
        except ValueError:
            amount = 0
        if amount < 2000 or form.get("currency") != "thb":
            return self._send(400, _error("invalid_charge", "amount must be at least 2000 and currency thb"))
        token, source = form.get("card", ""), form.get("source[type]", "")
        if token and token not in {"tokn_test_ok", "tokn_test_3ds", "tokn_test_declined"}:
            return self._send(404, _error("not_found", f"token {token} was not found"))
        if not token and not source:
            return self._send(400, _error("invalid_charge", "card or source is required"))
        charge_id = f"chrg_test_{next(_ids):06d}"
        charge = {
            "object": "charge",
            "id": charge_id,
            "livemode": False,
            "location": f"/charges/{charge_id}",
            "amount": amount,
            "currency": "thb",
            "description": form.get("description", ""),
            "metadata": {"reference": form.get("metadata[reference]", "")},
            "status": "pending",
            "authorized": False,
            "paid": False,
            "refunded_amount": 0,
            "failure_code": None,
            "failure_message": None,
            "return_uri": form.get("return_uri", ""),
            "authorize_uri": None,
            "source": {"type": source} if source else None,
        }
        if token == "tokn_test_ok":
            _decide(charge, paid=True)
        elif token == "tokn_test_declined":
            _decide(charge, paid=False)
        else:
            charge["authorize_uri"] = f"{self.base_url}/authorize/{charge_id}"
        with self.state.lock:
            self.state.charges[charge_id] = charge
            if key:
                self.state.charge_keys[key] = charge_id
        return self._send(200, charge)

    def _refund(self, charge_id: str, form: dict[str, str], key: str) -> None:
        with self.state.lock:
            if key and key in self.state.refunds:
                return self._send(200, self.state.refunds[key])
            charge = self.state.charges.get(charge_id)
            if charge is None:
                return self._send(404, _error("not_found", "charge was not found"))
            try:
                amount = int(form.get("amount", ""))
            except ValueError:
                amount = 0
            if not charge["paid"] or amount <= 0 or amount > charge["amount"] - charge["refunded_amount"]:
                return self._send(400, _error("failed_refund", "amount is more than what can be refunded"))
            charge["refunded_amount"] += amount
            refund = {
                "object": "refund",
                "id": f"rfnd_test_{next(_ids):06d}",
                "amount": amount,
                "currency": "thb",
                "charge": charge_id,
                "status": "closed",
            }
            if key:
                self.state.refunds[key] = refund
        return self._send(200, refund)


def _decide(charge: dict, *, paid: bool) -> None:
    if paid:
        charge.update(status="successful", authorized=True, paid=True, authorize_uri=None)
    else:
        charge.update(
            status="failed", failure_code="insufficient_fund", failure_message="insufficient funds in the account"
        )


class FakeGateway:
    def __init__(self) -> None:
        self.state = GatewayState()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.server.RequestHandlerClass = type("Handler", (_Handler,), {"state": self.state, "base_url": self.base_url})
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeGateway:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def complete(self, charge_id: str) -> None:
        with self.state.lock:
            _decide(self.state.charges[charge_id], paid=True)

    def decline(self, charge_id: str) -> None:
        with self.state.lock:
            _decide(self.state.charges[charge_id], paid=False)

    def fail_next(self, path: str, status: int, times: int = 1) -> None:
        with self.state.lock:
            self.state.failures.setdefault(path, []).extend([status] * times)

    def calls(self, method: str, path: str) -> int:
        return sum(1 for call in self.state.requests if call == (method, path))

    def event(
        self, charge_id: str, *, key: str = "charge.complete", timestamp: int | None = None
    ) -> tuple[bytes, dict]:
        """The webhook the gateway sends about a charge: its body and signature headers."""
        with self.state.lock:
            charge = dict(self.state.charges[charge_id])
        body = json.dumps(
            {"object": "event", "id": f"evnt_test_{next(_ids):06d}", "key": key, "data": charge}, separators=(",", ":")
        ).encode()
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        return body, {
            "Omise-Signature": sign(body, timestamp=stamp, secret=WEBHOOK_SECRET),
            "Omise-Signature-Timestamp": stamp,
        }


def gateway_settings(settings, fake: FakeGateway) -> None:
    settings.GATEWAY_API_BASE_URL = fake.base_url
    settings.GATEWAY_SECRET_KEY = SECRET_KEY
    settings.GATEWAY_PUBLIC_KEY = PUBLIC_KEY
    settings.GATEWAY_WEBHOOK_SECRET = WEBHOOK_SECRET

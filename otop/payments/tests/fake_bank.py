"""A fake bank on 127.0.0.1 speaking the open API as SCB documents it (token, bill payment inquiry).

- `POST /v1/oauth/token`: headers resourceOwnerId + requestUId, body applicationKey/applicationSecret;
  a wrong key or secret answers 401 with the bank's status body.
- `GET /v1/payment/billpayment/inquiry?eventCode=&billerId=&reference1=&transactionDate=`: needs
  `Authorization: Bearer <token>` (401 otherwise) and every parameter (400 otherwise); lists the bill
  payments to that biller with that Ref1 on that Bangkok day.

`pay()` records a payment at the bank and returns the confirmation body the bank would push;
`push()` sends it to a callback URL the way the bank does. `fail_next(path, status)` makes the next
calls to a path answer an error. Every request is counted in `requests`.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

API_KEY = "test-bank-api-key"
API_SECRET = "test-bank-api-secret"
BILLER_ID = "099400000000601"
CALLBACK_SECRET = "test-callback-secret-0123456789"
BANGKOK = ZoneInfo("Asia/Bangkok")


@dataclass
class BankState:
    transactions: list[dict] = field(default_factory=list)
    slips: dict[str, dict] = field(default_factory=dict)
    tokens: set[str] = field(default_factory=set)
    requests: list[tuple[str, str]] = field(default_factory=list)
    failures: dict[str, list[int]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _status(code: int, description: str) -> dict:
    return {"status": {"code": code, "description": description}}


class _Handler(BaseHTTPRequestHandler):
    state: BankState

    def log_message(self, *args) -> None:  # quiet
        pass

    def _send(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _forced(self, path: str) -> bool:
        with self.state.lock:
            self.state.requests.append((self.command, path))
            queue = self.state.failures.get(path)
            status = queue.pop(0) if queue else None
        if status is None:
            return False
        self._send(status, _status(9900, "System error") if status >= 500 else _status(9100, "Error"))
        return True

    def do_POST(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        if self._forced(path):
            return
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            return self._send(400, _status(9100, "Invalid request"))
        if path != "/v1/oauth/token":
            return self._send(404, _status(9404, "Not found"))
        if not self.headers.get("requestUId") or self.headers.get("resourceOwnerId") != API_KEY:
            return self._send(400, _status(9100, "Missing header"))
        if body.get("applicationKey") != API_KEY or body.get("applicationSecret") != API_SECRET:
            return self._send(401, _status(9500, "Invalid application key or secret"))
        token = uuid.uuid4().hex
        with self.state.lock:
            self.state.tokens.add(token)
        now = int(datetime.now(tz=BANGKOK).timestamp())
        self._send(
            200,
            {
                **_status(1000, "Success"),
                "data": {"accessToken": token, "tokenType": "Bearer", "expiresIn": 1800, "expiresAt": now + 1800},
            },
        )

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if self._forced(url.path):
            return
        slip_prefix = "/v1/payment/billpayment/transactions/"
        if url.path != "/v1/payment/billpayment/inquiry" and not url.path.startswith(slip_prefix):
            return self._send(404, _status(9404, "Not found"))
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self.state.tokens or self.headers.get("resourceOwnerId") != API_KEY:
            return self._send(401, _status(9300, "Invalid access token"))
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path.startswith(slip_prefix):
            trans_ref = urllib.parse.unquote(url.path[len(slip_prefix) :])
            if not query.get("sendingBank"):
                return self._send(400, _status(9100, "Missing parameter sendingBank"))
            with self.state.lock:
                found = self.state.slips.get(trans_ref)
            if found is None or found["sendingBank"] != query["sendingBank"]:
                return self._send(404, _status(9404, "Transaction not found"))
            return self._send(200, {**_status(1000, "Success"), "data": found})
        if any(not query.get(name) for name in ("eventCode", "billerId", "reference1", "transactionDate")):
            return self._send(400, _status(9100, "Missing parameter"))
        with self.state.lock:
            rows = [
                row
                for row in self.state.transactions
                if row["billerId"] == query["billerId"]
                and row["billPaymentRef1"] == query["reference1"]
                and row["transactionDateandTime"][:10] == query["transactionDate"]
            ]
        self._send(200, {**_status(1000, "Success"), "data": rows})


class FakeBank:
    def __init__(self) -> None:
        self.state = BankState()
        handler = type("Handler", (_Handler,), {"state": self.state})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeBank:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail_next(self, path: str, *statuses: int) -> None:
        with self.state.lock:
            self.state.failures.setdefault(path, []).extend(statuses)

    def pay(self, *, ref1: str, amount: str | Decimal, ref2: str = "", at: datetime | None = None) -> dict:
        """A customer paid our bill payment QR: the bank records it and returns the body it will push."""
        at = (at or datetime.now(tz=BANGKOK)).astimezone(BANGKOK)
        row = {
            "payeeProxyId": "",
            "payeeProxyType": "BILLERID",
            "billerId": BILLER_ID,
            "transactionId": f"{at:%Y%m%d}{uuid.uuid4().hex[:12].upper()}",
            "amount": f"{Decimal(amount):.2f}",
            "transactionDateandTime": at.replace(microsecond=0, tzinfo=None).isoformat(),
            "currencyCode": "764",
            "transactionType": "Domestic Transfers",
            "billPaymentRef1": ref1,
            "billPaymentRef2": ref2,
            "billPaymentRef3": "",
            "payerName": "นาย สมชาย ใจดี",
            "sendingBankCode": "004",
            "receivingBankCode": "014",
        }
        with self.state.lock:
            self.state.transactions.append(row)
        return dict(row)


def transfer_slip(
    bank: FakeBank,
    *,
    amount: str | Decimal,
    receiver_proxy: str,
    at: datetime | None = None,
    sending_bank: str = "004",
) -> str:
    """Someone transferred money by hand: the bank keeps it and the slip's mini-QR text is returned."""
    from otop.payments.slips import build_slip_payload

    at = (at or datetime.now(tz=BANGKOK)).astimezone(BANGKOK)
    trans_ref = f"{at:%Y%m%d}{uuid.uuid4().hex[:10].upper()}"
    bank.state.slips[trans_ref] = {
        "transRef": trans_ref,
        "sendingBank": sending_bank,
        "receivingBank": "014",
        "transDate": f"{at:%Y-%m-%d}",
        "transTime": f"{at:%H:%M:%S}",
        "sender": {
            "displayName": "นาย สมชาย ใจดี",
            "name": "MR SOMCHAI JAIDEE",
            "account": {"type": "BANKAC", "value": "xxx-x-x1234-x"},
        },
        "receiver": {
            "displayName": "ศูนย์ OTOP",
            "name": "OTOP CENTER",
            "proxy": {"type": "MSISDN", "value": receiver_proxy},
        },
        "amount": f"{Decimal(amount):.2f}",
        "paidLocalAmount": f"{Decimal(amount):.2f}",
        "paidLocalCurrency": "764",
        "countryCode": "TH",
        "ref1": "",
        "ref2": "",
        "ref3": "",
    }
    return build_slip_payload(sending_bank=sending_bank, trans_ref=trans_ref)


def push(url: str, body: dict, *, secret: str = CALLBACK_SECRET) -> tuple[int, dict]:
    """POST a confirmation to a callback URL as the bank does; returns (status, answer)."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "X-Callback-Secret": secret},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def bank_settings(settings, bank: FakeBank) -> None:
    """Point the project's bank settings at the fake bank."""
    settings.BANK_API_BASE_URL = bank.url
    settings.BANK_API_KEY = API_KEY
    settings.BANK_API_SECRET = API_SECRET
    settings.BANK_BILLER_ID = BILLER_ID
    settings.BANK_CALLBACK_SECRET = CALLBACK_SECRET

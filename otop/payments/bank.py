"""The bank's open API (modelled on SCB's partner API): OAuth token, bill payment inquiry.

A payment confirmation the bank pushes to `POST /payments/callback/bank/` is never trusted alone: its
shared secret is checked, then the bank's inquiry API is asked for the bill payments of that Ref1 and
day, and only a transaction the bank itself lists (with the bank's amount and references) is used.

The token comes from `POST {base}/v1/oauth/token` (headers resourceOwnerId = API key, requestUId;
body applicationKey/applicationSecret) and is kept in the cache until shortly before it expires; a
401 from the inquiry drops it and asks once more. Answers are `{"status": {"code", "description"},
"data": ...}`, code 1000 meaning success. Anything else (no answer, 5xx, an unreadable body) is
BankUnavailable: the callback then answers 503 and the bank sends it again.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache

PROVIDER = "bank"
SUCCESS = 1000
# The inquiry of QR 30 bill payments by Ref1 and date (the bank's event code for it).
BILL_PAYMENT_EVENT = "00300100"
TOKEN_CACHE_KEY = "payments:bank:token"
TIMEOUT_SECONDS = 5
BANGKOK = ZoneInfo("Asia/Bangkok")


class BankUnavailable(Exception):
    """The bank did not answer as documented (network, 5xx, unreadable body): try again later."""


class NotConfirmed(Exception):
    """The bank's inquiry does not list the transaction a confirmation named."""


@dataclass(frozen=True)
class BankConfig:
    base_url: str
    api_key: str
    api_secret: str
    biller_id: str
    callback_secret: str

    @property
    def is_enabled(self) -> bool:
        return all((self.base_url, self.api_key, self.api_secret, self.biller_id, self.callback_secret))


def bank_config() -> BankConfig:
    return BankConfig(
        base_url=settings.BANK_API_BASE_URL.rstrip("/"),
        api_key=settings.BANK_API_KEY,
        api_secret=settings.BANK_API_SECRET,
        biller_id=settings.BANK_BILLER_ID,
        callback_secret=settings.BANK_CALLBACK_SECRET,
    )


@dataclass(frozen=True)
class BankTransaction:
    """One bill payment as the bank's inquiry reports it."""

    transaction_id: str
    amount: Decimal
    ref1: str
    ref2: str = ""
    ref3: str = ""
    payer_name: str = ""
    sending_bank: str = ""
    transacted_at: datetime | None = None


def parse_amount_text(value: Any) -> Decimal | None:
    """A bank amount ("350.00", 350.5) as an exact Decimal in satang, or None if it is not one."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount <= 0 or amount >= 10**10 or amount != amount.quantize(Decimal("0.01")):
        return None
    return amount.quantize(Decimal("0.01"))


def parse_bank_time(value: Any) -> datetime | None:
    """The bank's ISO 8601 time; without an offset it is Bangkok time (GMT+7), as the bank documents."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=BANGKOK)


def _text(value: Any, limit: int) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def transaction_from(data: dict) -> BankTransaction | None:
    """Read one transaction (a confirmation body or an inquiry row); None when it lacks id or amount."""
    transaction_id = _text(data.get("transactionId"), 100)
    amount = parse_amount_text(data.get("amount"))
    if not transaction_id or amount is None:
        return None
    return BankTransaction(
        transaction_id=transaction_id,
        amount=amount,
        ref1=_text(data.get("billPaymentRef1"), 20).upper(),
        ref2=_text(data.get("billPaymentRef2"), 20).upper(),
        ref3=_text(data.get("billPaymentRef3"), 20).upper(),
        payer_name=_text(data.get("payerName"), 200),
        sending_bank=_text(data.get("sendingBankCode"), 10),
        transacted_at=parse_bank_time(data.get("transactionDateandTime")),
    )


class BankClient:
    def __init__(self, config: BankConfig):
        self.config = config

    def _request(self, method: str, path: str, *, body: dict | None = None, token: str = "") -> tuple[int, Any]:
        headers = {
            "Content-Type": "application/json",
            "Accept-Language": "EN",
            "resourceOwnerId": self.config.api_key,
            "requestUId": str(uuid.uuid4()),
        }
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.config.base_url + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310 (configured URL)
                status, raw = answer.status, answer.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        except (urllib.error.URLError, OSError) as error:
            raise BankUnavailable(f"the bank did not answer: {error}") from None
        if status >= 500:
            raise BankUnavailable(f"the bank answered {status}")
        try:
            return status, json.loads(raw or b"null")
        except ValueError:
            raise BankUnavailable(f"the bank answered {status} with a body that is not JSON") from None

    def token(self, *, fresh: bool = False) -> str:
        """The OAuth access token, from the cache unless `fresh` or it is about to expire."""
        if not fresh:
            cached = cache.get(TOKEN_CACHE_KEY)
            if cached:
                return cached
        status, answer = self._request(
            "POST",
            "/v1/oauth/token",
            body={"applicationKey": self.config.api_key, "applicationSecret": self.config.api_secret},
        )
        data = answer.get("data") if isinstance(answer, dict) else None
        if status != 200 or not isinstance(data, dict) or not isinstance(data.get("accessToken"), str):
            raise BankUnavailable(f"no access token from the bank (HTTP {status})")
        try:
            lifetime = int(data.get("expiresIn", 0))
        except (TypeError, ValueError):
            lifetime = 0
        token = data["accessToken"]
        if lifetime > 60:
            cache.set(TOKEN_CACHE_KEY, token, lifetime - 60)
        return token

    def _get(self, path: str, params: dict[str, str]) -> tuple[int, Any]:
        url = f"{path}?{urllib.parse.urlencode(params)}"
        status, answer = self._request("GET", url, token=self.token())
        if status == 401:  # the token expired early or was revoked: one new one
            cache.delete(TOKEN_CACHE_KEY)
            status, answer = self._request("GET", url, token=self.token(fresh=True))
        return status, answer

    def bill_payments(self, *, ref1: str, on: datetime) -> list[BankTransaction]:
        """The bill payments to our biller ID with this Ref1 on that (Bangkok) day."""
        status, answer = self._get(
            "/v1/payment/billpayment/inquiry",
            {
                "eventCode": BILL_PAYMENT_EVENT,
                "billerId": self.config.biller_id,
                "reference1": ref1,
                "transactionDate": on.astimezone(BANGKOK).date().isoformat(),
            },
        )
        code = answer.get("status", {}).get("code") if isinstance(answer, dict) else None
        if status == 404 or (status == 200 and code != SUCCESS and not answer.get("data")):
            return []
        if status != 200 or code != SUCCESS:
            raise BankUnavailable(f"the bank's inquiry answered {status} / {code}")
        rows = answer.get("data") or []
        if not isinstance(rows, list):
            raise BankUnavailable("the bank's inquiry answered an unreadable list")
        found = [transaction_from(row) for row in rows if isinstance(row, dict)]
        return [row for row in found if row is not None]

    def confirm(self, pushed: BankTransaction) -> BankTransaction:
        """The bank's own record of a pushed confirmation (NotConfirmed when the bank does not list it)."""
        on = pushed.transacted_at or datetime.now(tz=BANGKOK)
        for row in self.bill_payments(ref1=pushed.ref1, on=on):
            if row.transaction_id == pushed.transaction_id:
                return row
        raise NotConfirmed(pushed.transaction_id)

    def slip(self, *, trans_ref: str, sending_bank: str) -> SlipTransaction | None:
        """The bank's record of a slip's transfer, or None when the bank does not know it."""
        path = f"/v1/payment/billpayment/transactions/{urllib.parse.quote(trans_ref, safe='')}"
        status, answer = self._get(path, {"sendingBank": sending_bank})
        code = answer.get("status", {}).get("code") if isinstance(answer, dict) else None
        if status in (400, 404) or (status == 200 and code != SUCCESS):
            return None
        if status != 200 or not isinstance(answer.get("data"), dict):
            raise BankUnavailable(f"the bank's slip verification answered {status} / {code}")
        return _slip_from(answer["data"])


@dataclass(frozen=True)
class SlipTransaction:
    """A transfer as the bank's slip verification API reports it."""

    trans_ref: str
    sending_bank: str
    amount: Decimal
    receiver_proxy: str  # the PromptPay ID or account it was paid to, as the bank shows it (may be masked)
    receiver_name: str
    sender_name: str
    transacted_at: datetime | None


def _slip_from(data: dict) -> SlipTransaction | None:
    amount = parse_amount_text(data.get("amount"))
    trans_ref = _text(data.get("transRef"), 100)
    if amount is None or not trans_ref:
        return None
    receiver = data.get("receiver") if isinstance(data.get("receiver"), dict) else {}
    sender = data.get("sender") if isinstance(data.get("sender"), dict) else {}
    proxy = receiver.get("proxy") if isinstance(receiver.get("proxy"), dict) else {}
    account = receiver.get("account") if isinstance(receiver.get("account"), dict) else {}
    when = None
    if isinstance(data.get("transDate"), str) and isinstance(data.get("transTime"), str):
        when = parse_bank_time(f"{data['transDate']}T{data['transTime']}")
    return SlipTransaction(
        trans_ref=trans_ref,
        sending_bank=_text(data.get("sendingBank"), 10),
        amount=amount,
        receiver_proxy=_text(proxy.get("value"), 40) or _text(account.get("value"), 40),
        receiver_name=_text(receiver.get("displayName"), 200),
        sender_name=_text(sender.get("displayName"), 200),
        transacted_at=when,
    )


def bank_client() -> BankClient:
    return BankClient(bank_config())

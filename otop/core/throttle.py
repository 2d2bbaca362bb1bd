"""Rate limits per client, counted in the shared Django cache so they hold across workers and servers.

One small helper for every surface that can be hammered (ordering, tracking, sign-in help, webhooks,
slip uploads, coupon checks): `hit(scope, key, rate)` counts one request in a fixed window and says
whether it is allowed; `over` asks without counting (to count only failures, as for coupon codes);
`hit_once` counts each different item once (the different coupon codes a client tried).
`client_address(request)` is the key for anonymous callers; it reads
X-Forwarded-For only as far as `TRUSTED_PROXY_COUNT` proxies of ours vouch for it, so a client cannot
pick its own bucket by sending the header.
"""

from __future__ import annotations

import hashlib
import ipaddress
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.throttling import BaseThrottle

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """Read "20/m", "5/15m", "100/h" or "3/d"."""
        count, _slash, period = text.partition("/")
        unit = period[-1:]
        multiple = int(period[:-1] or 1)
        if not count.isdigit() or unit not in PERIODS or multiple < 1:
            raise ValueError(f"not a rate: {text!r}")
        return cls(count=int(count), seconds=multiple * PERIODS[unit])


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int
    retry_after: int  # seconds until the window ends


def client_address(request: HttpRequest) -> str:
    """Return the caller's address: REMOTE_ADDR, or the entry our own proxies added to X-Forwarded-For.

    IPv6 callers are grouped by their /64 network, which one household or phone usually owns whole.
    """
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            address = hops[-min(proxies, len(hops))]
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _cache_key(scope: str, key: str, window: int) -> str:
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"throttle:{scope}:{digest}:{window}"


def hit(scope: str, key: str, rate: Rate | str, *, now: float | None = None) -> Verdict:
    """Count one request of `key` in `scope` and say whether it is within the rate.

    A fixed window per rate period: `cache.add` starts the window's counter and `cache.incr` is atomic
    in the local-memory and Redis caches, so concurrent requests never share a count.
    """
    rate = Rate.parse(rate) if isinstance(rate, str) else rate
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    cache_key = _cache_key(scope, key, window)
    cache.add(cache_key, 0, timeout=rate.seconds + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=rate.seconds + 1)
        count = 1
    retry_after = max(1, int((window + 1) * rate.seconds - now + 0.999))
    return Verdict(allowed=count <= rate.count, count=count, retry_after=retry_after)


def peek(scope: str, key: str, rate: Rate | str, *, now: float | None = None) -> int:
    """Return how many requests `key` made in the current window, without counting one."""
    rate = Rate.parse(rate) if isinstance(rate, str) else rate
    now = time.time() if now is None else now
    return int(cache.get(_cache_key(scope, key, int(now // rate.seconds)), 0))


def over(scope: str, key: str, rate: Rate | str, *, now: float | None = None) -> Verdict | None:
    """Without counting: the verdict when `key` already used up its `rate` in this window, else None."""
    rate = Rate.parse(rate) if isinstance(rate, str) else rate
    now = time.time() if now is None else now
    count = peek(scope, key, rate, now=now)
    if count < rate.count:
        return None
    window = int(now // rate.seconds)
    return Verdict(allowed=False, count=count, retry_after=max(1, int((window + 1) * rate.seconds - now + 0.999)))


def hit_once(scope: str, key: str, item: str, rate: Rate | str, *, now: float | None = None) -> Verdict:
    """Count `item` (a coupon code, say) once per `key` and window however often it comes: how many
    different items a client tried, not how often it repeated one."""
    rate = Rate.parse(rate) if isinstance(rate, str) else rate
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    if cache.add(_cache_key(f"{scope}:seen", f"{key}\n{item}", window), 1, timeout=rate.seconds + 1):
        return hit(scope, key, rate, now=now)
    count = peek(scope, key, rate, now=now)
    return Verdict(
        allowed=count <= rate.count, count=count, retry_after=max(1, int((window + 1) * rate.seconds - now + 0.999))
    )


def throttled_page(request: HttpRequest, verdict: Verdict) -> HttpResponse:
    response = render(request, "429.html", {"retry_after": verdict.retry_after}, status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


def throttle(
    scope: str, rate: str, *, key: Callable[[HttpRequest], str] = client_address, methods: tuple[str, ...] = ("POST",)
) -> Callable:
    """Limit a page view per client (by default its POSTs, per address); over the limit answers 429."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods:
                verdict = hit(scope, key(request), rate)
                if not verdict.allowed:
                    return throttled_page(request, verdict)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


class ApiThrottle(BaseThrottle):
    """For django-ninja operations: a rate per client in the shared cache, per bearer-token user
    (`request.auth_by_token`, set by the token authenticator) or else per client address."""

    _last = threading.local()

    def __init__(self, scope: str, *, anonymous_rate: str, token_rate: str | None = None):
        self.scope = scope
        self.anonymous_rate = anonymous_rate
        self.token_rate = token_rate or anonymous_rate

    def allow_request(self, request: HttpRequest) -> bool:
        if getattr(request, "auth_by_token", False):
            verdict = hit(f"{self.scope}:token", f"user:{request.user.pk}", self.token_rate)
        else:
            verdict = hit(self.scope, client_address(request), self.anonymous_rate)
        self._last.retry_after = verdict.retry_after
        return verdict.allowed

    def wait(self) -> float | None:
        # django-ninja asks right after allow_request, in the same thread.
        return getattr(self._last, "retry_after", None)

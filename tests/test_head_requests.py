"""HEAD answers like GET (same status and headers, no body) on the main public pages, in both languages."""

from __future__ import annotations

import pytest

from otop.catalog.tests.factories import ProductFactory
from otop.workspace.tests.factories import SpaceFactory

PUBLIC = [
    "/", "/en/", "/search/?q=ผ้าไหม", "/categories/textiles/", "/districts/4001/", "/cart/", "/checkout/",
    "/orders/track/", "/workspace/", "/workspace/meeting-room/", "/accounts/login/", "/accounts/signup/",
    "/sitemap.xml", "/healthz", "/api/v1/center", "/api/v1/docs",
]  # fmt: skip


@pytest.fixture
def shop(db):
    SpaceFactory(slug="meeting-room")
    return ProductFactory(code="silk1")


@pytest.mark.parametrize("path", [*PUBLIC, "/products/silk1/", "/en/products/silk1/", "/p/silk1"])
def test_head_is_answered_like_get(shop, client, path):
    got = client.get(path)
    head = client.head(path)
    assert got.status_code in (200, 302), (path, got.status_code)
    assert head.status_code == got.status_code, path
    assert head.content == b""
    for header in ("Content-Type", "Location", "Content-Language"):
        assert head.get(header) == got.get(header), (path, header)

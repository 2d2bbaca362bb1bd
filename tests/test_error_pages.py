"""The project's error pages (otop/urls.py names them)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import path

from otop import urls as project_urls


@pytest.mark.django_db
def test_a_server_error_shows_a_bilingual_page_and_no_stack_trace(settings):
    def broken(request):
        raise RuntimeError("secret internals")

    settings.DEBUG = False
    settings.ROOT_URLCONF = type(
        "Urls", (), {"urlpatterns": [path("broken", broken)], "handler500": project_urls.handler500}
    )
    response = Client(raise_request_exception=False).get("/broken")
    html = response.content.decode()
    assert response.status_code == 500
    assert "ขออภัย ระบบขัดข้อง" in html and "Sorry, something went wrong" in html
    assert "secret internals" not in html and "Traceback" not in html

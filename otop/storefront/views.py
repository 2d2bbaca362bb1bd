from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from otop.storefront.selectors import home_page


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "storefront/home.html", {"page": home_page()})

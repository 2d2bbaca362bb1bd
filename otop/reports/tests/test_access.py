"""Who reaches the reports: the manager and the province officer read; only the manager sets targets.

The province officer is refused everything else: on every page without parameters it gets what a
customer gets (public pages, its own account), never more.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from otop.reports.models import OutsideSales, Target
from tests.role_matrix import assert_answer, matrix_cases

pytestmark = pytest.mark.django_db

READ = ["login", "403", "403", "403", "403", "403", "in", "in"]
MATRIX = {
    "/reports/": READ,
    "/en/reports/": READ,
    "/reports/?year=2568&channel=web&district=4001": READ,
    "/reports/districts/4001/": READ,
    "/reports/export/district.xlsx": READ,
    "/reports/export/producer.csv": READ,
    "/reports/summary.pdf": READ,
    "/reports/targets/": ["login", "403", "403", "403", "403", "403", "in", "403"],
    "/reports/targets.csv": ["login", "403", "403", "403", "403", "403", "in", "403"],
    "/reports/outside-sales/": ["login", "403", "403", "403", "403", "403", "in", "403"],
    "/portal/sales/": ["login", "403", "403", "403", "403", "403", "403", "403"],
    "/api/v1/reports/sales?year=2569&group_by=district": ["401", "403", "403", "403", "403", "403", "in", "in"],
    "/api/v1/reports/targets?year=2569": ["401", "403", "403", "403", "403", "403", "in", "in"],
}


@pytest.mark.parametrize(("path", "role", "expected"), matrix_cases(MATRIX))
def test_role_matrix(client_for, path, role, expected):
    assert_answer(client_for(role).get(path), expected)


@pytest.mark.parametrize("path", ["/reports/targets/", "/reports/targets/import", "/reports/outside-sales/",
                                  "/reports/outside-sales/import"])  # fmt: skip
def test_the_province_officer_changes_nothing(client_for, path):
    response = client_for("province_officer").post(path, {"year": 2569, "scope": "center", "dimension": "total",
                                                          "amount": "1"})  # fmt: skip
    assert response.status_code == 403
    assert not Target.objects.exists() and not OutsideSales.objects.exists()


def _plain_paths(patterns, prefix: str = "") -> list[str]:
    paths = []
    for pattern in patterns:
        route = str(pattern.pattern)
        if "<" in route or "(?P" in route or "^" in route:
            continue
        if isinstance(pattern, URLResolver):
            paths.extend(_plain_paths(pattern.url_patterns, prefix + route))
        elif isinstance(pattern, URLPattern):
            paths.append("/" + prefix + route)
    return sorted(set(paths))


def test_the_province_officer_gets_no_more_than_a_customer_outside_the_reports(client_for, settings):
    settings.LANGUAGE_CODE = "th"
    officer, customer = client_for("province_officer"), client_for("customer")
    checked = 0
    for path in _plain_paths(get_resolver().url_patterns):
        if path.startswith(("/reports/", "/api/v1/reports/")) or path.endswith((".js", "webhook")):
            continue
        officer_answer, customer_answer = officer.get(path), customer.get(path)
        assert officer_answer.status_code == customer_answer.status_code, path
        checked += 1
    assert checked > 40

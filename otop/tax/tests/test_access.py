"""Who may open tax documents and the output-tax report: pages and API calls by role."""

from decimal import Decimal

import pytest

from otop.tax import services
from otop.tax.models import DocumentKind
from tests.role_matrix import assert_answer, matrix_cases

DOCUMENT_ID = "6f1c1e9a-8f3e-4d7a-9c55-2a1b3c4d5e6f"
PAGES = {
    f"/tax/documents/{DOCUMENT_ID}.pdf": ["login", "403", "403", "403", "in", "in", "in"],
    f"/tax/documents/{DOCUMENT_ID}.pdf?lang=en": ["login", "403", "403", "403", "in", "in", "in"],
    "/tax/report/": ["login", "403", "403", "403", "403", "403", "in"],
    "/tax/report/?month=2026-11": ["login", "403", "403", "403", "403", "403", "in"],
    "/en/tax/report/": ["login", "403", "403", "403", "403", "403", "in"],
    "/tax/report/2026-11.csv": ["login", "403", "403", "403", "403", "403", "in"],
    "/tax/report/2026-11.xlsx": ["login", "403", "403", "403", "403", "403", "in"],
}
API = {
    f"/api/v1/tax/documents/{DOCUMENT_ID}": ["401", "403", "403", "403", "in", "in", "in"],
}


@pytest.fixture
def document(db):
    document = services.issue_document(
        kind=DocumentKind.ABBREVIATED, source_type="t", source_id=1, register_code="web",
        lines=[services.SoldLine(name="ผ้าไหม", quantity=1, unit_price=Decimal("107.00"), total=Decimal("107.00"))],
    )  # fmt: skip
    type(document).objects.filter(pk=document.pk).update(public_id=DOCUMENT_ID)
    return document


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "role", "expected"), matrix_cases(PAGES) + matrix_cases(API))
def test_tax_pages_and_calls_by_role(client_for, document, path, role, expected):
    assert_answer(client_for(role).get(path), expected)


@pytest.mark.django_db
def test_the_api_gives_the_document_as_structured_data_and_404_for_an_unknown_id(client_for, document):
    client = client_for("staff")
    data = client.get(f"/api/v1/tax/documents/{DOCUMENT_ID}").json()
    assert (data["id"], data["kind"], data["number"], data["status"]) == (
        DOCUMENT_ID, "abbreviated", "WEB-AB-" + data["number"].split("-", 2)[2], "issued",
    )  # fmt: skip
    assert (data["vat"], data["value_before_vat"], data["total"]) == ("7.00", "100.00", "107.00")
    assert data["lines"][0]["name"] == "ผ้าไหม" and data["buyer"] is None
    missing = client.get("/api/v1/tax/documents/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404 and missing.json()["error"]["code"]
    assert client_for("manager").get("/tax/report/2026-13.csv").status_code == 404

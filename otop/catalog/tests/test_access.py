from __future__ import annotations

import pytest

from otop.catalog.models import Product
from otop.catalog.tests.factories import ProductFactory
from tests.role_matrix import assert_answer, matrix_cases

NO = ["login", "403", "403", "403", "403"]
MATRIX = {
    "/p/kk12345": ["in"] * 7,
    "/products/kk12345/": ["in"] * 7,
    "/products/draft12/": ["404", "404", "404", "404", "404", "in", "in"],
    "/backoffice/catalog/": [*NO, "in", "in"],
    "/backoffice/catalog/products/new/": [*NO, "in", "in"],
    "/backoffice/catalog/baskets/": [*NO, "in", "in"],
    "/backoffice/catalog/labels/": [*NO, "in", "in"],
    "/backoffice/catalog/import/": [*NO, "in", "in"],
    "/backoffice/catalog/export.csv": [*NO, "in", "in"],
    "/backoffice/catalog/qr-scans/": [*NO, "in", "in"],
    "/api/v1/products": ["in"] * 7,
}


@pytest.mark.parametrize(("path", "role", "expected"), matrix_cases(MATRIX))
def test_role_matrix(client_for, db, path, role, expected):
    ProductFactory(code="kk12345")
    ProductFactory(code="draft12", status=Product.Status.DRAFT)
    assert_answer(client_for(role).get(path), expected)


def test_a_refused_import_changes_nothing(client_for, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("c.csv", "sku,name_th,category,price,producer,district\nX,ก,food,1,ก,ชนบท\n".encode())
    response = client_for("cashier").post("/backoffice/catalog/import/", {"file": upload})
    assert response.status_code == 403
    assert not Product.objects.exists()

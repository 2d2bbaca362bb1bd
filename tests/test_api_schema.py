import json

import pytest
from openapi_spec_validator import validate


def test_openapi_schema_is_valid_openapi_3(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate(schema)
    assert "/api/v1/center" in schema["paths"]


def test_browsable_docs_are_served_without_a_cdn(db, client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle" in html
    assert "cdn" not in html.lower()


def test_api_answers_utf8_thai(db, client):
    response = client.get("/api/v1/categories")
    assert response.status_code == 200
    assert "อาหารและเครื่องดื่ม" in response.content.decode("utf-8")
    # In Thai dictionary order of their Thai names: ของใช้… (ช before ท), ของที่ระลึก, ผ้า…, สมุนไพร…, อาหาร…
    assert [c["code"] for c in json.loads(response.content)] == [
        "household",
        "souvenirs",
        "textiles",
        "herbal",
        "food",
    ]


def test_lists_are_paginated_with_limit_and_offset(db, client):
    page = client.get("/api/v1/places/provinces?limit=10&offset=70").json()
    assert page["count"] == 77
    assert len(page["items"]) == 7


@pytest.mark.parametrize(
    ("language", "message"),
    [("th", "ข้อมูลบางช่องไม่ครบหรือไม่ถูกต้อง"), ("en", "Some fields are missing or not valid.")],
)
def test_malformed_request_gets_field_errors_in_the_error_format(db, client, language, message):
    response = client.get("/api/v1/places/provinces?limit=many", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"] == message
    assert list(error["fields"]) == ["limit"]

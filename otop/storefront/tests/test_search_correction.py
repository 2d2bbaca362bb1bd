"""A misspelled search on the site and through the API: answered by its correction, and saying so."""

import pytest

from otop.search.tests.factories import listed_product


@pytest.fixture
def rice(db):
    return listed_product(name_th="ข้าวหอมมะลิ ข้าวใหม่", name_en="Jasmine rice, new crop", sku="RICE")


def test_the_page_says_did_you_mean_and_shows_the_corrections_results(client, rice):
    response = client.get("/search/", {"q": "ข้าวหอมมะลี"}, HTTP_ACCEPT_LANGUAGE="th")
    assert response.status_code == 200
    assert response.context["answered"] == "ข้าวหอมมะลิ"
    assert [hit.product.sku for hit in response.context["hits"]] == ["RICE"]
    html = response.content.decode()
    assert "ข้าวหอมมะลิ" in html and 'class="did-you-mean"' in html


def test_a_query_spelled_right_shows_no_correction(client, rice):
    response = client.get("/search/", {"q": "ข้าวหอมมะลิ"})
    assert response.context["answered"] == "ข้าวหอมมะลิ"
    assert 'class="did-you-mean"' not in response.content.decode()


def test_the_api_says_which_query_it_answered(client, rice):
    hits = client.get("/api/v1/search", {"q": "jasmin"}).json()
    assert [(hit["sku"], hit["query"], hit["corrected"]) for hit in hits] == [("RICE", "jasmine", True)]
    hits = client.get("/api/v1/search", {"q": "jasmine"}).json()
    assert [(hit["sku"], hit["query"], hit["corrected"]) for hit in hits] == [("RICE", "jasmine", False)]

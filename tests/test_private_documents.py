"""The attack end to end: a producer uploads evil.html as a certificate; certificates are private."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings

from otop.core import uploads
from otop.core.tests.test_uploads import HOSTILE, pdf_bytes, upload


@pytest.fixture
def producer_client(db, make_user):
    from django.test import Client

    from otop.producers.tests.factories import ProducerFactory

    user = make_user("producer")
    producer = ProducerFactory(user=user)
    client = Client()
    client.force_login(user)
    return client, producer


def add_certificate(client, name, data, content_type, number="อย. 10-1-12345-1-0001"):
    return client.post(
        "/portal/certifications/",
        {"kind": "fda", "number": number, "expires_on": date(2030, 1, 1).isoformat(),
         "document": upload(name, data, content_type)},
    )  # fmt: skip


def test_a_hostile_certificate_is_refused_and_nothing_is_kept(producer_client):
    from otop.producers.models import Certification

    client, _producer = producer_client
    response = add_certificate(client, "evil.html", HOSTILE[0][1], "text/html")
    assert response.status_code == 200
    assert response.context["form"].errors["document"]
    assert not Certification.objects.exists()


def test_a_certificate_is_private_and_downloads_only_through_the_checked_view(producer_client, client, client_for):
    from otop.producers.models import Certification

    owner, _producer = producer_client
    assert add_certificate(owner, "cert.pdf", pdf_bytes(), "application/pdf").status_code == 302
    certification = Certification.objects.get()
    # The same storage by where it keeps files (a test that overrides STORAGES makes Django build new instances).
    assert certification.document.storage.location == uploads.private_storage().location
    assert (uploads.private_storage().path(certification.document.name)).startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not certification.document.name.startswith("producers/")
    # Not reachable as public media, by the stored name or the name the producer gave.
    assert client.get("/media/" + certification.document.name).status_code == 404
    assert client.get("/media/producers/certifications/cert.pdf").status_code == 404
    url = f"/portal/certifications/{certification.pk}/document/"
    response = owner.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert client_for("staff").get(url).status_code == 200
    assert client_for("committee").get(url).status_code == 403
    assert client_for("customer").get(url).status_code == 403
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page

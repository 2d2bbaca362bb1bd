from __future__ import annotations

import json
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from otop.workspace.models import Booking
from otop.workspace.tests.conftest import at


def post(client: Client, path: str, body: dict, language: str = "th"):
    return client.post(path, json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE=language)


def body_for(day, start: int, end: int) -> dict:
    return {
        "space": "meeting-room",
        "starts_at": f"{day:%Y-%m-%d}T{start:02d}:00:00", "ends_at": f"{day:%Y-%m-%d}T{end:02d}:00:00",
        "name": "Somchai", "phone": "0898765432", "purpose": "Training",
    }  # fmt: skip


def test_free_slots_then_book_then_cancel_by_token(room, client):
    day = timezone.localdate() + timedelta(days=3)
    slots = client.get(f"/api/v1/workspace/spaces/meeting-room/slots?day={day:%Y-%m-%d}").json()
    assert (slots["is_open"], slots["opens_at"], slots["closes_at"], len(slots["slots"])) == (
        True,
        "08:00:00",
        "18:00:00",
        20,
    )
    assert len(slots["free"]) == 1

    response = post(client, "/api/v1/workspace/bookings", body_for(day, 10, 12))
    assert response.status_code == 201
    data = response.json()
    assert (data["amount_due"], data["payment_status"], data["status"]) == ("600.00", "unpaid", "confirmed")
    assert data["page_url"].endswith(f"/workspace/b/{data['token']}/")

    slots = client.get(f"/api/v1/workspace/spaces/meeting-room/slots?day={day:%Y-%m-%d}").json()
    assert [(r["starts_at"][11:16], r["ends_at"][11:16]) for r in slots["free"]] == [
        ("08:00", "10:00"),
        ("12:00", "18:00"),
    ]

    clash = post(client, "/api/v1/workspace/bookings", body_for(day, 11, 13), language="en")
    assert clash.status_code == 409
    assert clash.json() == {
        "error": {
            "code": "slot_taken",
            "message": "Sorry, this time is already booked. Please choose another time.",
            "fields": {},
        }
    }

    cancelled = client.post(f"/api/v1/workspace/bookings/{data['token']}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert Booking.objects.get().starts_at == at(day, 10)


def test_bad_requests_get_clear_errors_and_book_nothing(room, client):
    day = timezone.localdate() + timedelta(days=3)
    cases = [
        # Well formed, refused by the booking rules: 409.
        (body_for(day, 6, 8), 409, "outside_hours"),
        (body_for(timezone.localdate() - timedelta(days=1), 10, 12), 409, "in_the_past"),
        ({**body_for(day, 10, 12), "starts_at": f"{day:%Y-%m-%d}T10:10:00"}, 409, "off_grid"),
        ({**body_for(day, 10, 12), "ends_at": f"{day:%Y-%m-%d}T10:30:00"}, 409, "too_short"),
        (body_for(day, 8, 18), 409, "too_long"),
        ({**body_for(day, 10, 12), "attendees": 40}, 409, "too_many_people"),
        # Malformed (the schema says what a phone number looks like): 400.
        ({**body_for(day, 10, 12), "phone": "12345"}, 400, "invalid"),
    ]
    for body, status, code in cases:
        response = post(client, "/api/v1/workspace/bookings", body)
        assert response.status_code == status, (code, response.content)
        assert response.json()["error"]["code"] == code
    assert not Booking.objects.exists()


def test_unknown_tokens_and_spaces_are_not_found(room, client):
    assert client.post("/api/v1/workspace/bookings/" + "x" * 43 + "/cancel").status_code == 404
    assert client.get("/api/v1/workspace/spaces/nope/slots?day=2030-01-01").status_code == 404


def test_a_booking_is_sent_only_to_a_real_e_mail_address_and_the_phone_is_kept_as_digits(room, client):
    day = timezone.localdate() + timedelta(days=3)
    for bad in ("not-an-email", "a@b", "x@example.com\nBcc: victim@example.com", "สมชาย@"):
        refused = post(client, "/api/v1/workspace/bookings", {**body_for(day, 10, 11), "email": bad})
        assert refused.status_code == 400, bad
        assert "email" in refused.json()["error"]["fields"]
    assert not Booking.objects.exists()
    booked = post(client, "/api/v1/workspace/bookings",
                  {**body_for(day, 10, 11), "email": "somchai@example.com", "phone": "+66 89 876 5432"})  # fmt: skip
    assert booked.status_code == 201
    assert Booking.objects.get().phone == "0898765432"


def test_the_booking_service_refuses_a_bad_address_too(room):
    import pytest

    from otop.workspace.errors import InvalidContact
    from otop.workspace.models import Space
    from otop.workspace.services import create_booking

    day = timezone.localdate() + timedelta(days=3)
    with pytest.raises(InvalidContact) as refused:
        create_booking(space=Space.objects.get(slug="meeting-room"), starts_at=at(day, 10), ends_at=at(day, 11),
                       name="A", phone="0812345678", email="nobody-at-example")  # fmt: skip
    assert list(refused.value.fields) == ["email"]
    assert not Booking.objects.exists()


def test_phones_kept_as_typed_before_are_normalised_by_the_migration(room):
    from importlib import import_module

    from django.apps import apps

    from otop.workspace.models import Space
    from otop.workspace.services import create_booking

    day = timezone.localdate() + timedelta(days=3)
    booking = create_booking(space=Space.objects.get(slug="meeting-room"), starts_at=at(day, 10),
                             ends_at=at(day, 11), name="A", phone="0812345678")  # fmt: skip
    Booking.objects.filter(pk=booking.pk).update(phone="081-234-5678")
    import_module("otop.workspace.migrations.0006_phones_normalised").normalise_phones(apps, None)
    booking.refresh_from_db()
    assert booking.phone == "0812345678"

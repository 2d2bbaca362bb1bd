"""The registry the privacy app reads: each app's exporter and eraser of a person's data."""

from __future__ import annotations

from otop.core import personal_data
from otop.core.personal_data import PersonalDataHandler, personal_data_handlers, register_personal_data


def test_apps_register_their_exporter_and_eraser_and_are_read_in_app_order(monkeypatch, make_user):
    monkeypatch.setattr(personal_data, "_handlers", {})
    erased: list[str] = []
    register_personal_data(
        PersonalDataHandler("orders", export=lambda user: {"orders": []}, erase=lambda user: "no orders")
    )
    register_personal_data(
        PersonalDataHandler(
            "accounts",
            export=lambda user: {"username": user.username},
            erase=lambda user: erased.append(user.username) or "name removed",
        )
    )
    person = make_user("customer")

    assert [handler.app for handler in personal_data_handlers()] == ["accounts", "orders"]
    assert [handler.export(person) for handler in personal_data_handlers()] == [
        {"username": person.username},
        {"orders": []},
    ]
    assert [handler.erase(person) for handler in personal_data_handlers()] == ["name removed", "no orders"]
    assert erased == [person.username]


def test_registering_an_app_again_replaces_its_handler(monkeypatch):
    monkeypatch.setattr(personal_data, "_handlers", {})
    register_personal_data(PersonalDataHandler("orders", export=lambda user: {}, erase=lambda user: "first"))
    register_personal_data(PersonalDataHandler("orders", export=lambda user: {}, erase=lambda user: "second"))
    (handler,) = personal_data_handlers()
    assert handler.erase(None) == "second"

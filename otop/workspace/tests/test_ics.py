from __future__ import annotations

from datetime import UTC, datetime

from otop.workspace.ics import calendar, escape_text, fold


def test_text_is_escaped_per_rfc_5545():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_long_lines_fold_at_75_octets_without_splitting_thai_characters():
    line = "DESCRIPTION:" + "ห้องประชุม" * 10
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(part[1:] if i else part for i, part in enumerate(parts)) == line


def test_calendar_has_crlf_lines_utc_times_and_the_event():
    text = calendar(
        uid="WSABC@otop-center", sequence=2,
        starts_at=datetime(2026, 6, 2, 3, 0, tzinfo=UTC), ends_at=datetime(2026, 6, 2, 5, 0, tzinfo=UTC),
        summary="Meeting room, OTOP", location="Khon Kaen", description="WiFi: x; y",
        now=datetime(2026, 6, 1, tzinfo=UTC),
    )  # fmt: skip
    assert text.split("\r\n")[:13] == [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//OTOP Center//Co-working bookings//TH", "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH", "BEGIN:VEVENT", "UID:WSABC@otop-center", "SEQUENCE:2", "DTSTAMP:20260601T000000Z",
        "DTSTART:20260602T030000Z", "DTEND:20260602T050000Z", "SUMMARY:Meeting room\\, OTOP", "LOCATION:Khon Kaen",
    ]  # fmt: skip
    assert text.endswith("END:VEVENT\r\nEND:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")

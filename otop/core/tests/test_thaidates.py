from datetime import date, datetime
from zoneinfo import ZoneInfo

from otop.core.thaidates import format_date, format_datetime


def test_thai_dates_use_the_buddhist_era():
    assert format_date(date(2026, 11, 21), language="th") == "21 พ.ย. 2569"
    assert format_date(date(2026, 11, 21), language="th", long=True) == "21 พฤศจิกายน 2569"


def test_english_dates_use_the_gregorian_year():
    assert format_date(date(2026, 11, 21), language="en") == "21 Nov 2026"


def test_datetimes_are_shown_in_bangkok_time():
    # 18:30 UTC is already the next day, 01:30, in Bangkok.
    instant = datetime(2026, 11, 21, 18, 30, tzinfo=ZoneInfo("UTC"))
    assert format_datetime(instant, language="th") == "22 พ.ย. 2569 01:30"
    assert format_datetime(instant, language="en") == "22 Nov 2026 01:30"

"""Words that mean different things in different apps are told apart by context, so the app that
comes first in INSTALLED_APPS cannot lend its Thai to another's page."""

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext


@pytest.mark.parametrize(
    ("context", "word", "thai"),
    [
        ("booking", "Move", "เลื่อน"),  # a booking moves to another time; stock is moved (ย้าย)
        ("opening hours", "Closed", "ปิดทำการ"),  # a room closed that day; a shift is closed (ปิดแล้ว)
        ("application", "Sent", "ยื่นเมื่อ"),  # an application was submitted on a date
        ("price", "from", "เริ่มต้น"),
    ],
)
def test_words_with_a_context_keep_their_own_thai(context, word, thai):
    with translation.override("th"):
        assert pgettext(context, word) == thai
        assert gettext(word) != thai  # without the context another app's Thai would show

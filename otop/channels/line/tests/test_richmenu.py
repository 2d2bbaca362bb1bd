"""The rich menu: layout JSON in the repository, image drawn here, uploaded through the SDK."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from PIL import Image, ImageStat

from otop.channels.line import richmenu


def test_the_drawn_menu_is_2500_by_1686_under_a_megabyte_with_a_label_on_every_tile():
    data = richmenu.layout()
    png = richmenu.draw(data)
    image = Image.open(io.BytesIO(png))
    assert (image.format, image.size) == ("PNG", (2500, 1686))
    assert len(png) < 1024 * 1024
    for area in data["areas"]:
        box = area["bounds"]
        # The middle of each tile holds white letters on the tile's colour: two clearly different tones.
        middle = image.crop((box["x"] + 100, box["y"] + 250, box["x"] + box["width"] - 100, box["y"] + 600))
        assert ImageStat.Stat(middle.convert("L")).extrema[0][1] > 230
        assert ImageStat.Stat(middle.convert("L")).stddev[0] > 30


@pytest.mark.django_db
def test_the_command_uploads_the_menu_and_makes_it_the_default(fake_line):
    call_command("line_setup_richmenu")
    state = fake_line.state
    [(first_id, layout)] = state.rich_menus.items()
    assert state.default_rich_menu == first_id
    assert layout["size"] == {"width": 2500, "height": 1686} and len(layout["areas"]) == 6
    assert "label_th" not in layout["areas"][0]
    assert layout["areas"][5]["action"]["uri"] == "https://otop.example/"
    content_type, image = state.rich_menu_images[first_id]
    assert content_type == "image/png" and Image.open(io.BytesIO(image)).size == (2500, 1686)
    assert [request.host for request in fake_line.requests if request.path.endswith("/content")] == ["data"]

    # Run again: the new menu replaces the old one.
    call_command("line_setup_richmenu")
    assert list(state.rich_menus) == [state.default_rich_menu] and state.default_rich_menu != first_id


@pytest.mark.django_db
def test_without_line_the_command_says_so(settings):
    settings.LINE_CHANNEL_SECRET = settings.LINE_CHANNEL_ACCESS_TOKEN = ""
    with pytest.raises(CommandError, match="not configured"):
        call_command("line_setup_richmenu")

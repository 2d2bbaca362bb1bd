"""Application photos are checked, re-encoded and private: the producer and the committee see them,
nobody else, and never from /media/."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from otop.core import uploads
from otop.core.tests.test_uploads import png_bytes, png_claiming
from otop.selection import services
from otop.selection.errors import InvalidApplication
from otop.selection.models import Application, ApplicationPhoto
from otop.selection.tests.factories import ApplicationFactory


def apply(producer, producer_user, photos):
    template = ApplicationFactory.build(producer=producer)
    return services.submit_application(
        actor=producer_user, producer=producer, category=template.category, name_th=template.name_th,
        proposed_price=template.proposed_price, description_th=template.description_th, photos=photos,
    )  # fmt: skip


@pytest.mark.parametrize(
    "photo",
    [
        SimpleUploadedFile("bomb.png", png_claiming(12000, 12000), "image/png"),  # 144 megapixels
        SimpleUploadedFile("huge.jpg", b"\xff\xd8\xff" + b"0" * (50 * 1024 * 1024), "image/jpeg"),  # 50 MB
        SimpleUploadedFile("page.html", b"<script>alert(1)</script>", "text/html"),
    ],
    ids=["pixel-bomb", "50-mb", "html"],
)
def test_hostile_application_photos_are_refused_and_nothing_is_kept(producer, producer_user, photo):
    with pytest.raises(InvalidApplication) as refused:
        apply(producer, producer_user, [photo])
    assert "photos" in refused.value.fields
    assert not Application.objects.exists() and not ApplicationPhoto.objects.exists()


def test_a_polyglot_photo_is_kept_only_as_its_pixels_in_private_storage(producer, producer_user):
    polyglot = png_bytes() + b"PK\x03\x04<html><script>alert(1)</script>"
    application = apply(producer, producer_user, [SimpleUploadedFile("me.png", polyglot, "image/png")])
    photo = application.photos.get()
    assert photo.image.storage is uploads.private_storage()
    with photo.image.open("rb") as handle:
        assert b"<script>" not in handle.read()


def test_only_the_producer_and_the_committee_see_an_application_photo(producer, producer_user, committee, make_user):
    application = apply(producer, producer_user, [SimpleUploadedFile("me.png", png_bytes(), "image/png")])
    photo = application.photos.get()
    url = f"/selection/applications/{application.pk}/photos/{photo.pk}/"

    def get(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client.get(url)

    mine = get(producer_user)
    assert mine.status_code == 200 and mine["Content-Type"] == "image/png"
    assert mine["Content-Disposition"].startswith("attachment;")
    assert get(committee[0]).status_code == 200
    assert get(make_user("producer")).status_code == 403
    assert get(make_user("customer")).status_code == 403
    assert get(None).status_code == 302
    assert Client().get("/media/" + photo.image.name).status_code == 404


def test_the_scoring_page_shows_the_products_photos_first_or_the_category_placeholder(
    producer, producer_user, committee
):
    application = apply(producer, producer_user, [SimpleUploadedFile("me.png", png_bytes(), "image/png")])
    photo = application.photos.get()
    client = Client()
    client.force_login(committee[0])
    html = client.get(f"/selection/applications/{application.pk}/").content.decode()
    gallery = html.split('<div class="application-photos">')[1].split("</div>")[0]
    assert f'src="/selection/applications/{application.pk}/photos/{photo.pk}/"' in gallery
    assert html.index("application-photos") < html.index('<dl class="facts">')

    bare = apply(producer, producer_user, [])
    html = client.get(f"/selection/applications/{bare.pk}/").content.decode()
    assert f"catalog/placeholders/{bare.category.code}.svg" in html
    assert "ผู้ผลิตยังไม่ได้ส่งรูปถ่าย" in html

"""Several app servers: media on S3-compatible storage (a real S3 API server, moto's, on 127.0.0.1) and the
shared cache on Redis (Debian's redis-server on 127.0.0.1), configured the way settings.py reads the
environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest
from django.core.cache.backends.redis import RedisCache
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from otop.catalog.services import add_product_photo, remove_product_photo
from otop.catalog.tests.factories import ProductFactory
from otop.core import selectors as core_selectors
from otop.core import throttle
from otop.core.services import update_center_profile
from otop.core.tests import servers
from otop.core.tests.test_uploads import png_bytes

ROOT = Path(__file__).resolve().parents[1]


def settings_for(environment: dict[str, str]) -> dict:
    """STORAGES, CACHES, SESSION_ENGINE and MEDIA_URL as settings.py builds them from this environment."""
    code = (
        "import json; import otop.settings as s; print(json.dumps({'STORAGES': s.STORAGES,"
        " 'CACHES': s.CACHES, 'SESSION_ENGINE': s.SESSION_ENGINE, 'MEDIA_URL': s.MEDIA_URL,"
        " 'SERVE_MEDIA': s.SERVE_MEDIA}, default=str))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MEDIA_", "REDIS_"))}
    env.update(environment)
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- media on S3 -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def s3_endpoint():
    with servers.s3_server(buckets=("otop-private",), public_buckets=("otop-media",)) as endpoint:
        yield endpoint


@pytest.fixture
def s3_settings(s3_endpoint, settings):
    built = settings_for(
        {
            **servers.s3_environment(s3_endpoint, public_bucket="otop-media", private_bucket="otop-private"),
            "AWS_QUERYSTRING_EXPIRE": "120",
        }
    )
    settings.STORAGES = built["STORAGES"]
    return built


def test_without_the_setting_media_stays_on_this_machines_disk():
    built = settings_for({})
    assert built["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert built["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert built["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_a_product_photo_goes_to_the_bucket_reads_back_and_is_deleted(
    db, s3_settings, django_capture_on_commit_callbacks
):
    product = ProductFactory()
    assert s3_settings["SERVE_MEDIA"] is False
    photo = add_product_photo(product=product, upload=ContentFile(png_bytes(800, 600), name="p.png"), actor=None)
    public = storages["default"]
    assert type(public).__name__ == "S3Storage"
    names = [photo.image.name, photo.thumbnail.name]
    assert all(public.exists(name) for name in names)
    assert len(photo.rendition_widths) >= 2  # the renditions went through the same storage
    with public.open(photo.image.name, "rb") as stored:
        assert stored.read()[:4] == b"\x89PNG"
    # The public URL is the bucket's own address, unsigned, and the S3 server answers it.
    url = photo.image.url
    assert url.startswith(f"{s3_settings['STORAGES']['default']['OPTIONS']['endpoint_url']}/otop-media/")
    assert "X-Amz-Signature" not in url
    status, _, body = servers.http_get(url)
    assert status == 200 and body[:4] == b"\x89PNG"

    with django_capture_on_commit_callbacks(execute=True):
        remove_product_photo(photo=photo, actor=None)
    assert not any(public.exists(name) for name in names)


def test_private_documents_are_signed_for_the_configured_time(s3_settings):
    private = storages["private"]
    name = private.save(f"certificates/{uuid.uuid4().hex}.pdf", ContentFile(b"%PDF-1.4 private"))
    before = time.time()
    url = private.url(name)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    # SigV4 query signing: the lifetime the settings gave, counted from the time it was signed.
    assert query["X-Amz-Expires"] == ["120"]
    signed_at = time.mktime(time.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ")) - time.timezone
    assert abs(signed_at - before) < 5
    assert query["X-Amz-Credential"][0].startswith(servers.S3_ACCESS_KEY + "/")
    status, _, body = servers.http_get(url)
    assert (status, body) == (200, b"%PDF-1.4 private")
    # Unsigned, the bucket refuses (moto checks neither a query signature nor its expiry; S3 and MinIO do).
    assert servers.http_get(url.split("?")[0])[0] == 403

    private.delete(name)
    assert not private.exists(name)


def test_a_media_url_in_front_of_the_bucket_is_where_photos_are_read(s3_endpoint):
    built = settings_for(
        {
            **servers.s3_environment(s3_endpoint, public_bucket="otop-media", private_bucket="otop-private"),
            "MEDIA_URL": "https://shop.example/media/",
        }
    )
    options = built["STORAGES"]["default"]["OPTIONS"]
    assert (options["url_protocol"], options["custom_domain"]) == ("https:", "shop.example/media")
    assert built["MEDIA_URL"] == "https://shop.example/media/"
    assert built["STORAGES"]["private"]["OPTIONS"]["querystring_auth"] is True


# --- the shared cache on Redis --------------------------------------------------------------------


@pytest.fixture(scope="module")
def redis_url():
    try:
        with servers.redis_server() as url:
            yield url
    except FileNotFoundError as missing:
        pytest.skip(str(missing))


@pytest.fixture
def redis_settings(redis_url, settings):
    built = settings_for({"REDIS_URL": redis_url, "CACHE_KEY_PREFIX": f"t{uuid.uuid4().hex[:8]}"})
    settings.CACHES = built["CACHES"]
    return built


def other_server_cache(settings) -> RedisCache:
    """The cache as a second app server opens it: its own client, the same Redis."""
    config = settings.CACHES["default"]
    return RedisCache(config["LOCATION"], {"KEY_PREFIX": config["KEY_PREFIX"]})


def test_with_redis_the_center_profile_changed_on_one_server_is_seen_by_another(db, redis_settings, settings):
    assert redis_settings["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    other = other_server_cache(settings)
    assert core_selectors.center_profile().name_th  # cached in Redis now
    assert other.get(core_selectors.PROFILE_CACHE_KEY) is not None
    update_center_profile(actor=None, name_th="ศูนย์ OTOP ทดสอบ")
    # The other server finds no stale copy; the next read caches the new profile for both.
    assert other.get(core_selectors.PROFILE_CACHE_KEY) is None
    core_selectors.center_profile()
    assert other.get(core_selectors.PROFILE_CACHE_KEY).name_th == "ศูนย์ OTOP ทดสอบ"


def test_with_redis_a_rate_limit_counts_over_every_server(redis_settings, settings):
    other = other_server_cache(settings)
    key, now = f"client-{uuid.uuid4().hex}", 1_800_000_000.0
    assert [throttle.hit("orders", key, "3/m", now=now).allowed for _ in range(4)] == [True, True, True, False]
    # The count lives in Redis: a second server sees the four requests and refuses the fifth too.
    assert other.get(throttle._cache_key("orders", key, int(now // 60))) == 4

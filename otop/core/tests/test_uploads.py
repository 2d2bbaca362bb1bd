"""Hostile uploads, kept as tests: HTML and script files as certificates, polyglots, pixel bombs, huge
files; and how stored files are served (never as HTML/JS/SVG from our origin)."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from otop.core import uploads
from otop.core.uploads import InvalidUpload, clean_document, clean_image


def png_bytes(width=40, height=30, color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (64, 48), (10, 120, 10))
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif[0x9286] = "taken at the producer's house, 16.43 N 102.83 E"  # user comment with a location
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge picture: the pixels are a few bytes of zlib zeros."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width * 3 + 1) * 8, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
        b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
        b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n163\n%%EOF\n"
    )


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


HOSTILE = [
    ("evil.html", b"<html><script>fetch('/backoffice/')</script></html>", "text/html"),
    ("evil.js", b"fetch('/backoffice/').then(r => r.text())", "application/javascript"),
    ("evil.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/svg+xml"),
    ("evil.png", b"<html><script>alert(1)</script></html>", "image/png"),  # named like a photo
    ("fake.pdf", b"%PDF-1.4 <script>alert(1)</script>", "application/pdf"),  # PDF magic, no PDF inside
    ("empty.jpg", b"", "image/jpeg"),
]


@pytest.mark.parametrize(("name", "data", "content_type"), HOSTILE)
def test_anything_but_a_real_pdf_or_photo_is_refused_whatever_its_name(name, data, content_type):
    with pytest.raises(InvalidUpload):
        clean_document(upload(name, data, content_type))
    with pytest.raises(InvalidUpload):
        clean_image(upload(name, data, content_type))


def test_a_polyglot_photo_is_rebuilt_from_its_pixels_so_the_appended_html_is_gone():
    polyglot = png_bytes() + b"<html><script>alert(document.domain)</script></html>"
    clean = clean_image(upload("photo.png", polyglot, "image/png"))
    stored = clean.content.read()
    assert b"<script>" not in stored
    assert Image.open(io.BytesIO(stored)).size == (40, 30)


def test_photos_lose_their_exif():
    clean = clean_image(upload("phone.jpg", jpeg_with_exif(), "image/jpeg"))
    rebuilt = Image.open(clean.content)
    assert not rebuilt.getexif()
    assert clean.extension == "jpg"


def test_a_pixel_bomb_is_refused_from_its_header_without_decoding(monkeypatch):
    bomb = png_claiming(6000, 6000)  # 36 megapixels in a few hundred bytes
    assert len(bomb) < 2000

    def never(self):
        raise AssertionError("the bomb's pixels were decoded")

    monkeypatch.setattr(Image.Image, "load", never)
    monkeypatch.setattr("PIL.ImageFile.ImageFile.load", never)
    with pytest.raises(InvalidUpload, match="24"):
        clean_image(upload("bomb.png", bomb, "image/png"))


def test_pillow_itself_refuses_to_decode_far_beyond_the_limit():
    assert Image.MAX_IMAGE_PIXELS == uploads.MAX_IMAGE_PIXELS
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(png_claiming(9000, 9000)))


def test_files_over_the_size_limit_are_refused_before_they_are_read():
    big = upload("huge.pdf", b"%PDF-1.4\n" + b"0" * (uploads.MAX_DOCUMENT_BYTES + 1), "application/pdf")
    with pytest.raises(InvalidUpload, match="MB"):
        clean_document(big)


def test_a_real_pdf_is_accepted_as_sent():
    clean = clean_document(upload("cert.pdf", pdf_bytes(), "application/pdf"))
    assert (clean.extension, clean.content_type) == ("pdf", "application/pdf")
    assert clean.content.read() == pdf_bytes()


def test_stored_names_are_random_and_keep_only_a_known_extension():
    name_for = uploads.RandomName("certifications")
    first, second = name_for(None, "สำเนา อย. ของฉัน.PDF"), name_for(None, "สำเนา อย. ของฉัน.PDF")
    assert first != second
    assert first.startswith("certifications/") and first.endswith(".pdf")
    assert "ของฉัน" not in first
    assert name_for(None, "evil.html").endswith(".bin")


def test_public_media_serves_only_images_with_safe_headers(db, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "products").mkdir()
    (tmp_path / "products" / "silk.webp").write_bytes(b"RIFF....WEBP")
    for name in ("evil.html", "evil.svg", "evil.js", "note.txt"):
        (tmp_path / "products" / name).write_bytes(b"<script>alert(1)</script>")
    photo = client.get("/media/products/silk.webp")
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/webp"
    assert photo["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in photo["Content-Security-Policy"]
    for name in ("evil.html", "evil.svg", "evil.js", "note.txt"):
        assert client.get(f"/media/products/{name}").status_code == 404, name
    assert client.get("/media/../otop.sqlite3.png").status_code == 404

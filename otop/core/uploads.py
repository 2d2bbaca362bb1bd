"""Files people upload: checked by their content, stored under random names, served safely.

Every app that takes a file uses these helpers, so the rules are the same everywhere:

- `clean_image(upload)`: JPEG, PNG or WebP by content (never by name), at most MAX_IMAGE_BYTES, at most
  MAX_IMAGE_PIXELS counted from the header *before* any pixel is decoded (a 105 KB PNG can claim
  36 megapixels), then re-encoded from its pixels: EXIF/GPS and anything appended (an HTML or ZIP
  polyglot) are gone.
- `clean_document(upload)`: a PDF (magic bytes and a real parse with PDFium, at least one page) or an
  image as above.
- `RandomName("folder")`: the stored name is random; the name the person gave is never used.
- Private files (certificates, application files) live in the `private` storage, outside MEDIA_ROOT,
  and leave only through `private_file_response` after the view has checked permissions: as an
  attachment, with nosniff and a sandboxing CSP.
- Public media (product and producer photos) are served by `public_media` (core.views) as images
  only, with the same headers; anything else under /media/ is a 404.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, storages
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from otop.core.errors import DomainError

MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# 24 MP: a phone's full-size photo (6000 × 4000). Decoded as RGBA that is ~100 MB per copy.
MAX_IMAGE_PIXELS = 24_000_000
LONGEST_SIDE = 1600

IMAGE_TYPES = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}
PDF_TYPE = ("pdf", "application/pdf")
# What /media/ and the private view may answer with, by the stored name's extension.
SAFE_CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
}
# Nothing a stored file contains may run: no scripts, no plugins, no forms, not even as the top page.
SANDBOX_CSP = "default-src 'none'; img-src 'self'; sandbox"


class InvalidUpload(DomainError):
    code = "invalid_upload"


@dataclass(frozen=True)
class CleanFile:
    content: ContentFile
    extension: str
    content_type: str
    width: int | None = None
    height: int | None = None


def limit_decoding() -> None:
    """Make Pillow refuse, anywhere in the process, to decode an image far beyond MAX_IMAGE_PIXELS.

    Pillow warns above its limit and raises above twice it; the upload helpers refuse above the limit
    itself, from the header, before decoding.
    """
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS


def _read(upload: File, limit: int) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise InvalidUpload(_("The file is larger than %(megabytes)s MB.") % {"megabytes": limit // 2**20})
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise InvalidUpload(_("The file is larger than %(megabytes)s MB.") % {"megabytes": limit // 2**20})
    return data


def open_image(data: bytes, *, max_pixels: int = MAX_IMAGE_PIXELS, draft_to: int | None = None) -> Image.Image:
    """Open JPEG/PNG/WebP bytes, refusing anything else, and decode them only if the header's size fits."""
    try:
        probe = Image.open(io.BytesIO(data))
        if probe.format not in IMAGE_TYPES:
            raise InvalidUpload(_("Photos must be JPEG, PNG or WebP."))
        # The header says how big the picture is; check it before a single pixel is decoded.
        if probe.width * probe.height > max_pixels or getattr(probe, "n_frames", 1) > 1:
            raise InvalidUpload(
                _("This photo is too large (at most %(megapixels)s megapixels).")
                % {"megapixels": max_pixels // 1_000_000}
            )
        probe.verify()  # truncated or forged files fail here
        image = Image.open(io.BytesIO(data))
        if draft_to and image.format == "JPEG":
            image.draft("RGB", (draft_to, draft_to))  # decode a JPEG at a reduced scale when it is big
        image.load()
    except InvalidUpload:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise InvalidUpload(_("This file is not a photo we can read (JPEG, PNG or WebP).")) from None
    return image


def _encode(image: Image.Image, image_format: str) -> bytes:
    buffer = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True)
    elif image_format == "PNG":
        image.save(buffer, "PNG", optimize=True)
    else:
        image.save(buffer, "WEBP", quality=82)
    return buffer.getvalue()


def rebuilt(image: Image.Image, *, longest_side: int = LONGEST_SIDE) -> Image.Image:
    """The picture rebuilt from its pixels only, upright as the camera recorded it, at most longest_side."""
    # Shrink first, in place: every copy after this is small.
    image.thumbnail((longest_side, longest_side))
    mode = "RGBA" if image.mode in ("RGBA", "LA", "P", "PA") and image.format != "JPEG" else "RGB"
    upright = ImageOps.exif_transpose(image).convert(mode)
    clean = Image.new(mode, upright.size)
    clean.paste(upright)
    return clean


def clean_image(
    upload: File, *, max_bytes: int = MAX_IMAGE_BYTES, longest_side: int = LONGEST_SIDE, output_format: str = ""
) -> CleanFile:
    """Return an uploaded photo re-encoded from its pixels (see the module docstring); raise InvalidUpload."""
    image = open_image(_read(upload, max_bytes), draft_to=longest_side)
    image_format = output_format or image.format
    clean = rebuilt(image, longest_side=longest_side)
    extension, content_type = IMAGE_TYPES[image_format]
    return CleanFile(
        content=ContentFile(_encode(clean, image_format)),
        extension=extension,
        content_type=content_type,
        width=clean.width,
        height=clean.height,
    )


def encode(image: Image.Image, image_format: str) -> ContentFile:
    """Encode an image the caller built (a thumbnail) in JPEG, PNG or WebP."""
    return ContentFile(_encode(image, image_format))


def clean_pdf(data: bytes) -> CleanFile:
    """Accept a PDF only if PDFium can open it and finds at least one page."""
    import pypdfium2

    if not data.startswith(b"%PDF-"):
        raise InvalidUpload(_("Documents must be PDF files or photos (JPEG, PNG or WebP)."))
    try:
        document = pypdfium2.PdfDocument(data)
        try:
            pages = len(document)
        finally:
            document.close()
    except pypdfium2.PdfiumError:
        raise InvalidUpload(_("This PDF cannot be read.")) from None
    if pages < 1:
        raise InvalidUpload(_("This PDF has no pages."))
    return CleanFile(content=ContentFile(data), extension=PDF_TYPE[0], content_type=PDF_TYPE[1])


def clean_document(upload: File, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> CleanFile:
    """Return a certificate or similar document: a readable PDF kept as sent, or a photo re-encoded."""
    data = _read(upload, max_bytes)
    if data.startswith(b"%PDF-"):
        return clean_pdf(data)
    return clean_image(ContentFile(data), max_bytes=max_bytes)


def validate_image_file(upload: File) -> None:
    """Model-field validator (admin uploads): the same content checks, as a ValidationError."""
    try:
        open_image(_read(upload, MAX_IMAGE_BYTES))
    except InvalidUpload as error:
        raise ValidationError(error.message, code="invalid_upload") from None
    finally:
        upload.seek(0)


@deconstructible
class RandomName:
    """upload_to for FileFields: `<folder>/<random>.<extension>`, never the uploader's file name."""

    def __init__(self, folder: str):
        self.folder = folder.strip("/")

    def __call__(self, instance: Any, filename: str) -> str:
        extension = PurePosixPath(filename).suffix.lower().lstrip(".")
        extension = extension if extension in SAFE_CONTENT_TYPES else "bin"
        return f"{self.folder}/{uuid.uuid4().hex}.{extension}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomName) and other.folder == self.folder


def stored_name(clean: CleanFile) -> str:
    """A file name carrying only the extension the content was found to be (RandomName randomises it)."""
    return f"upload.{clean.extension}"


def private_storage() -> Storage:
    """Where private documents live: never under MEDIA_ROOT, never served by /media/ (STORAGES["private"])."""
    return storages["private"]


def safe_content_type(name: str) -> str | None:
    return SAFE_CONTENT_TYPES.get(PurePosixPath(name).suffix.lower().lstrip("."))


def protect(response: Any, *, content_type: str) -> Any:
    """Headers that keep a stored file inert: its own type, no sniffing, a sandbox, no caching by others."""
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    return response


def private_file_response(field_file: Any, *, download_name: str) -> FileResponse:
    """Send a private file the caller may see (the view checked), as an attachment that cannot run."""
    content_type = safe_content_type(field_file.name) or "application/octet-stream"
    extension = PurePosixPath(field_file.name).suffix.lower()
    handle = field_file.storage.open(field_file.name, "rb")
    response = FileResponse(handle, as_attachment=True, filename=f"{download_name}{extension}")
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return protect(response, content_type=content_type)


def move_to_private_storage(rows: Any, *, field: str, folder: str) -> int:
    """For a data migration: move files that were stored publicly into the private storage, renamed.

    `rows` are historical model instances whose `field` now names the private storage; their files are
    still under the old names in the default (public) storage. Returns how many files moved.
    """
    public = storages["default"]
    private = storages["private"]
    moved = 0
    for row in rows:
        old_name = getattr(row, field).name
        if not old_name or not public.exists(old_name):
            continue
        with public.open(old_name, "rb") as handle:
            new_name = private.save(RandomName(folder)(row, old_name), handle)
        type(row).objects.filter(pk=row.pk).update(**{field: new_name})
        public.delete(old_name)
        moved += 1
    return moved

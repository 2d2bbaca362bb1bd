"""Catalog photo renditions: the sizes pages show, cut to one aspect ratio, in WebP and JPEG.

A product photo is stored once as uploaded (re-encoded, `ProductPhoto.image`); the pages show
renditions of it, made when the photo is added (`make_renditions`) and stored beside it through
the photo's storage (Django's storage API, so object storage works the same as the local disk):

    products/renditions/<stem of the photo>-<width>.webp   (what browsers that read WebP fetch)
    products/renditions/<stem of the photo>-<width>.jpg    (the fallback in <picture>)

Every rendition has the aspect ratio `ASPECT` (4:3, cut from the middle), so a card keeps its size
while the picture loads and nothing on the page jumps. The widths made are kept on the photo
(`rendition_widths`), so a page builds its `srcset` without asking the storage anything.
Photos made before renditions existed have none: `manage.py make_photo_renditions` makes them,
and until then pages fall back to the WebP thumbnail.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage
from django.templatetags.static import static
from django.utils.encoding import filepath_to_uri
from PIL import Image, ImageOps

from otop.catalog.models import Product, ProductPhoto

WIDTHS = (240, 480, 960)
ASPECT = (4, 3)
FOLDER = "products/renditions"
FORMATS = (("webp", "WEBP"), ("jpg", "JPEG"))
PLACEHOLDER_FOLDER = Path(__file__).parent / "static" / "catalog" / "placeholders"
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_./-]+")  # nothing in it a URL needs escaped


def rendition_name(image_name: str, width: int, extension: str) -> str:
    """The storage name of one rendition of the stored photo `image_name`."""
    return f"{FOLDER}/{PurePosixPath(image_name).stem}-{width}.{extension}"


def widths_for(source_width: int, source_height: int) -> list[int]:
    """The rendition widths a photo of this size gives: never enlarged beyond what the 4:3 cut holds."""
    cut_width = min(source_width, source_height * ASPECT[0] // ASPECT[1])
    widths = [width for width in WIDTHS if width < cut_width]
    if cut_width < WIDTHS[-1] or not widths:
        return [*widths, max(1, cut_width)]  # the whole cut is the largest: no pixel is wasted
    return [*widths, WIDTHS[-1]] if WIDTHS[-1] not in widths else widths


def _encoded(image: Image.Image, image_format: str) -> bytes:
    buffer = io.BytesIO()
    if image_format == "WEBP":
        image.save(buffer, "WEBP", quality=76, method=2)  # 2: half the time of the default 4, ~4 % larger
    else:
        image.convert("RGB").save(buffer, "JPEG", quality=80, optimize=True, progressive=True)
    return buffer.getvalue()


def make_renditions(*, image: Image.Image, image_name: str, storage: Storage) -> list[int]:
    """Store the renditions of a photo already stored as `image_name`; return the widths made.

    A rendition already in the storage is kept (pictures shared by several products, a second run)."""
    widths = widths_for(image.width, image.height)
    mode = "RGBA" if image.mode in ("RGBA", "LA", "P", "PA") else "RGB"
    cut = ImageOps.fit(image.convert(mode), (widths[-1], widths[-1] * ASPECT[1] // ASPECT[0]), Image.LANCZOS)
    for width in widths:
        resized = cut if width == cut.width else cut.resize((width, width * ASPECT[1] // ASPECT[0]), Image.LANCZOS)
        for extension, image_format in FORMATS:
            name = rendition_name(image_name, width, extension)
            if storage.exists(name):
                continue
            saved = storage.save(name, ContentFile(_encoded(resized, image_format)))
            if saved != name:  # a storage that renames rather than overwrites: keep ours predictable
                storage.delete(saved)
    return widths


def rendition_names(photo: ProductPhoto) -> list[str]:
    return [
        rendition_name(photo.image.name, width, extension)
        for width in photo.rendition_widths or []
        for extension, _format in FORMATS
    ]


# --- what a page shows ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Picture:
    """One picture for a <picture> element: sources by format, a fallback src and its box."""

    src: str
    webp_srcset: str
    jpeg_srcset: str
    width: int
    height: int
    alt: str
    is_placeholder: bool = False


def media_url(storage: Storage, name: str) -> str:
    """`storage.url(name)` for the names made here, without urljoin's cost on the local disk.

    A page of cards asks for ~170 URLs and the till's price list for one per item (100,000 in a large
    catalogue): FileSystemStorage.url() spends ~30 µs on each in urljoin. For our own relative names
    (letters, digits, '-', '/', '.') joining is concatenation; any other storage (S3, signed URLs) is asked."""
    if isinstance(storage, FileSystemStorage):
        plain = name if _PLAIN_NAME.fullmatch(name) else filepath_to_uri(name)
        return storage.base_url + plain.lstrip("/")
    return storage.url(name)


def _srcset(storage: Storage, image_name: str, widths: list[int], extension: str) -> str:
    return ", ".join(f"{media_url(storage, rendition_name(image_name, width, extension))} {width}w" for width in widths)


def picture_of_photo(photo: ProductPhoto, *, alt: str = "") -> Picture:
    widths = list(photo.rendition_widths or [])
    if not widths:
        # Made before renditions existed: the WebP thumbnail until `make_photo_renditions` runs.
        url = photo.thumbnail.url if photo.thumbnail else photo.image.url
        return Picture(src=url, webp_srcset="", jpeg_srcset="", width=ASPECT[0] * 100, height=ASPECT[1] * 100, alt=alt)
    storage = photo.image.storage
    middle = widths[min(1, len(widths) - 1)]
    return Picture(
        src=media_url(storage, rendition_name(photo.image.name, middle, "jpg")),
        webp_srcset=_srcset(storage, photo.image.name, widths, "webp"),
        jpeg_srcset=_srcset(storage, photo.image.name, widths, "jpg"),
        width=middle,
        height=middle * ASPECT[1] // ASPECT[0],
        alt=alt,
    )


@lru_cache(maxsize=1)
def _placeholder_codes() -> frozenset[str]:
    return frozenset(path.stem for path in PLACEHOLDER_FOLDER.glob("*.svg"))


def placeholder_picture(category_code: str, *, alt: str = "") -> Picture:
    """A drawn placeholder in the colours of the product's category (a generic one for other categories)."""
    code = category_code if category_code in _placeholder_codes() else "default"
    url = static(f"catalog/placeholders/{code}.svg")
    return Picture(
        src=url,
        webp_srcset="",
        jpeg_srcset="",
        width=ASPECT[0] * 100,
        height=ASPECT[1] * 100,
        alt=alt,
        is_placeholder=True,
    )


def picture_for(product: Product, *, alt: str = "") -> Picture:
    """The product's first photo, or its category's placeholder.

    Reads `product.photo_list` when the caller prefetched it (selectors.attach_card_photos), so a
    page of cards costs one query for all their photos."""
    photos = getattr(product, "photo_list", None)
    if photos is None:
        photos = list(product.photos.order_by("sort_order", "id")[:1])
    if photos:
        return picture_of_photo(photos[0], alt=alt)
    return placeholder_picture(product.category.code if product.category_id else "", alt=alt)


def small_picture_url(*, image_name: str, widths: list[int], category_code: str, storage: Storage) -> str:
    """The smallest JPEG rendition of a stored photo (till buttons), or the category's placeholder."""
    if image_name and widths:
        return media_url(storage, rendition_name(image_name, widths[0], "jpg"))
    return placeholder_picture(category_code).src


def small_picture_url_of(product: Product) -> str:
    """`small_picture_url` for a product whose `photo_list` was prefetched (selectors.attach_card_photos)."""
    photos = getattr(product, "photo_list", None)
    if photos is None:
        photos = list(product.photos.order_by("sort_order", "id")[:1])
    if photos:
        photo = photos[0]
        return small_picture_url(
            image_name=photo.image.name,
            widths=list(photo.rendition_widths or []),
            category_code="",
            storage=photo.image.storage,
        )
    return placeholder_picture(product.category.code if product.category_id else "").src

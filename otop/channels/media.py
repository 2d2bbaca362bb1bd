"""Photos people send in a chat: a hook for apps that read them (a transfer slip, say), and the
cleaning every photo gets before staff see it (re-encoded from its pixels, never served as sent).
"""

from __future__ import annotations

import io
from collections.abc import Callable

from PIL import Image, ImageOps, UnidentifiedImageError

from otop.channels.models import ChatContact

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTO_PIXELS = 40_000_000
LONGEST_SIDE = 1600

# A handler looks at a photo and returns the words to answer with when the photo was for it (a
# payment slip it checked), or None to leave it to the next handler and, in the end, to staff.
ImageHandler = Callable[[ChatContact, bytes], "list[str] | None"]

_image_handlers: list[ImageHandler] = []


def register_image_handler(handler: ImageHandler) -> None:
    if handler not in _image_handlers:
        _image_handlers.append(handler)


def answer_for_image(contact: ChatContact, content: bytes) -> list[str] | None:
    """The first registered handler's answer to a photo, or None when no handler took it."""
    for handler in _image_handlers:
        answer = handler(contact, content)
        if answer is not None:
            return answer
    return None


def clean_photo(content: bytes) -> bytes | None:
    """The photo re-encoded as JPEG from its pixels (no EXIF, at most 1600 px a side); None if it is not one."""
    if len(content) > MAX_PHOTO_BYTES:
        return None
    try:
        with Image.open(io.BytesIO(content)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(content))
        if image.format not in {"JPEG", "PNG", "WEBP", "GIF"} or image.width * image.height > MAX_PHOTO_PIXELS:
            return None
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        return None
    upright = ImageOps.exif_transpose(image).convert("RGB")
    upright.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    buffer = io.BytesIO()
    upright.save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue()

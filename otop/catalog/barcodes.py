"""EAN-13 check digits. python-barcode silently rewrites a wrong check digit, so we check first."""

from __future__ import annotations

import re

IN_STORE_PREFIX = "20"  # GS1 prefixes 20–29 are for in-store use


def ean13_check_digit(first_twelve: str) -> int:
    if not re.fullmatch(r"\d{12}", first_twelve):
        raise ValueError("an EAN-13 body has exactly 12 digits")
    total = sum(int(digit) * (3 if position % 2 else 1) for position, digit in enumerate(first_twelve))
    return (10 - total % 10) % 10


def is_valid_ean13(code: str) -> bool:
    return bool(re.fullmatch(r"\d{13}", code or "")) and ean13_check_digit(code[:12]) == int(code[12])


def in_store_ean13(number: int) -> str:
    """Return the in-store EAN-13 (prefix 20) for a sequence number."""
    body = f"{IN_STORE_PREFIX}{number:010d}"
    if len(body) != 12:
        raise ValueError("in-store sequence exhausted")
    return body + str(ean13_check_digit(body))


# Products created in the center without a producer barcode get prefix 21 + their variant id,
# so they never collide with the demo's prefix-20 sequence or with each other.
GENERATED_PREFIX = "21"


def generated_ean13(variant_id: int) -> str:
    """Return the in-store EAN-13 given to a variant whose producer has no barcode."""
    body = f"{GENERATED_PREFIX}{variant_id:010d}"
    if len(body) != 12:
        raise ValueError("in-store sequence exhausted")
    return body + str(ean13_check_digit(body))


def ean13_modules(code: str) -> str:
    """Return the bars of a valid EAN-13 as a string of 0/1 modules (95 of them).

    The check digit is checked here first: python-barcode would silently replace a wrong one.
    """
    from barcode import EAN13

    if not is_valid_ean13(code):
        raise ValueError(f"not a valid EAN-13: {code!r}")
    symbol = EAN13(code[:12])
    if symbol.get_fullcode() != code:  # the library computed another check digit than ours
        raise ValueError(f"EAN-13 check digit mismatch for {code!r}")
    return symbol.build()[0]


def ean13_svg(code: str, *, module_width: float = 1.0, height: float = 40.0) -> str:
    """Return a compact SVG of an EAN-13's bars (one path; the digits are printed as text by the caller)."""
    modules = ean13_modules(code)
    quiet = 9
    parts = []
    position = 0
    while position < len(modules):
        if modules[position] == "1":
            start = position
            while position < len(modules) and modules[position] == "1":
                position += 1
            bar = (position - start) * module_width
            parts.append(f"M{(start + quiet) * module_width:g} 0h{bar:g}v{height:g}h-{bar:g}z")
        else:
            position += 1
    width = (len(modules) + 2 * quiet) * module_width
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" preserveAspectRatio="none">'
        f'<path fill="#000" d="{"".join(parts)}"/></svg>'
    )


def ean13_png(code: str, *, quiet: int = 9) -> bytes:
    """Return the bars as a one-pixel-high PNG, one pixel a module, to be stretched without smoothing.

    PDF labels embed this tiny image instead of vector bars: it prints as sharp and renders far faster.
    """
    import io

    from PIL import Image

    modules = ean13_modules(code)
    image = Image.new("1", (len(modules) + 2 * quiet, 1), 1)
    for position, module in enumerate(modules):
        if module == "1":
            image.putpixel((position + quiet, 0), 0)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()

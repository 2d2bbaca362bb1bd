"""Fill a deploy template's {{NAME}} placeholders: python3 deploy/render.py TEMPLATE NAME=value ... > OUT.

A placeholder left without a value is an error, so a forgotten setting never reaches nginx or systemd."""

from __future__ import annotations

import re
import sys
from pathlib import Path


def render(template: str, values: dict[str, str]) -> str:
    missing = sorted(set(re.findall(r"\{\{([A-Z_]+)\}\}", template)) - set(values))
    if missing:
        raise SystemExit(f"missing values for: {', '.join(missing)}")
    return re.sub(r"\{\{([A-Z_]+)\}\}", lambda match: values[match.group(1)], template)


def main(arguments: list[str]) -> None:
    template, *pairs = arguments
    values = dict(pair.split("=", 1) for pair in pairs)
    sys.stdout.write(render(Path(template).read_text(), values))


if __name__ == "__main__":
    main(sys.argv[1:])

"""Parts of a producer's pages that other apps add: its applications (selection), its products (catalog).

Producers sit below those apps, so they add their part from their AppConfig.ready(); a page shows the
sections of its name by their `order`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from otop.producers.models import Producer

PAGES = ("portal", "backoffice", "public")


@dataclass(frozen=True)
class Section:
    template: str
    context: Callable[[Producer], dict[str, Any]]
    # Lower first: the order on the page, whatever order the apps started in.
    order: int = 0


_sections: dict[str, list[Section]] = {page: [] for page in PAGES}


def add_section(page: str, section: Section) -> None:
    """Show `section` on the producer's `page` (one of PAGES); adding the same section twice adds it once."""
    if page not in _sections:
        raise ValueError(f"no producer page {page!r}; pages are {PAGES}")
    if section not in _sections[page]:
        _sections[page].append(section)
        _sections[page].sort(key=lambda known: known.order)


@dataclass(frozen=True)
class RenderedSection:
    template: str
    context: dict[str, Any]


def sections_for(page: str, producer: Producer) -> list[RenderedSection]:
    """The sections of `page` with their context for one producer (each template reads `section.…`)."""
    return [RenderedSection(section.template, section.context(producer)) for section in _sections[page]]

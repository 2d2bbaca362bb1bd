from __future__ import annotations

from django import template
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe

from otop.catalog.services import sanitize_story

register = template.Library()


@register.filter
def rich_text(value: str) -> SafeString:
    """Show a story: sanitized HTML as it is, plain text as paragraphs."""
    value = value or ""
    if "<" in value:
        return mark_safe(sanitize_story(value))  # noqa: S308 - cleaned by nh3 just above
    return mark_safe(linebreaks(value, autoescape=True))  # noqa: S308 - escaped by linebreaks

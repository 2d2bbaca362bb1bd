"""Form helpers shared by every app's pages."""

from __future__ import annotations

from collections.abc import Callable

from django import forms

from otop.core.errors import DomainError


def add_domain_error(
    form: forms.BaseForm, error: DomainError, *, field_for: Callable[[str], str] | None = None
) -> None:
    """Show a service's refusal on the form that asked for it: its message on top, and each message
    it gives for a field beside that field (`field_for` turns the service's field name into the
    form's; a field the form does not have puts its message on top too)."""
    form.add_error(None, error.message)
    for name, messages in error.fields.items():
        target = field_for(name) if field_for is not None else name
        for message in messages:
            form.add_error(target if target in form.fields else None, message)

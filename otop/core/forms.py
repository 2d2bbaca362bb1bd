"""Form helpers shared by every app's pages."""

from __future__ import annotations

from collections.abc import Callable

from django import forms

from otop.core.errors import DomainError


def add_domain_error(
    form: forms.BaseForm, error: DomainError, *, field_for: Callable[[str], str] | None = None
) -> None:
    """Show a service's refusal on the form that asked for it.

    Each message the error gives for a field goes beside that field (`field_for` turns the service's
    field name into the form's); the rest, and the error's own message when no field took one, go on top.
    """
    placed = False
    for name, messages in error.fields.items():
        target = field_for(name) if field_for is not None else name
        for message in messages:
            if target in form.fields:
                form.add_error(target, message)
                placed = True
            else:
                form.add_error(None, message)
    if not placed:
        form.add_error(None, error.message)

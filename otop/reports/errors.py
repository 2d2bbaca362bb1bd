from __future__ import annotations

from otop.core.errors import DomainError


class InvalidTarget(DomainError):
    code = "invalid_target"
    status = 400


class InvalidOutsideSales(DomainError):
    code = "invalid_outside_sales"
    status = 400


class ImportRefused(DomainError):
    """A CSV file with errors: nothing of it was saved; `errors` lists (line number, message)."""

    code = "import_refused"
    status = 400

    def __init__(self, message: str, *, errors: list[tuple[int, str]]):
        super().__init__(message)
        self.errors = errors

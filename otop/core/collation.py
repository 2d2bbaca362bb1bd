"""Lists in the order a reader expects: Thai in dictionary order, English in alphabetical order.

Thai is not sorted by code point: the vowels เ แ โ ใ ไ are written before the consonant they follow
in speech, and a dictionary files a word under that consonant (เมืองขอนแก่น among the ม, not
after เปือยน้อย); tone marks only break ties. ``thai_sort_key`` moves each leading vowel after its
consonant and drops the tone marks, the same rule as PyThaiNLP's ``pythainlp.util.collate``; the
result then compares by code point.

Several ways in, one rule:
- ``sort_by_name(items, key=...)`` sorts objects already in memory;
- ``order_by_name(queryset, "name")`` orders a query in the database (``ThaiSortKey``: a function
  registered on every SQLite connection, ``regexp_replace`` with the "C" collation on PostgreSQL),
  for lists too long to sort in Python;
- ``NameOrderedModelChoiceField`` sorts a form's choices by the label it shows;
- a very long list (the shop's listing) stores the key in a ``SortKeyField`` written with
  ``thai_sort_key_sql`` and keeps an index on it; ``otop.core.admin_order.NameOrderedAdmin`` orders
  Django admin changelists.
Latin letters pass through the key lower-cased, so one key serves both languages: Thai pages sort
the Thai names, English pages the English ones (the Thai name when a row has none).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django import forms
from django.db.models import CharField, F, Func, QuerySet, Value
from django.db.models.functions import Coalesce, Collate, Lower, NullIf

from otop.core.i18n import current_language

T = TypeVar("T")

# ็ ่ ้ ๊ ๋ ์ (mai taikhu, the four tone marks, thanthakhat)
_TONE_MARKS = "\u0e47-\u0e4c"
_TONES = re.compile(f"[{_TONE_MARKS}]")
# a leading vowel เ แ โ ใ ไ followed by a consonant ก..ฮ
_LEADING_VOWEL = re.compile("([\u0e40-\u0e44])([\u0e01-\u0e2e])")

SQLITE_FUNCTION = "otop_thai_sort_key"


def thai_sort_key(text: str) -> str:
    """The string whose code-point order is Thai dictionary order, and English order without regard
    to case (Latin letters are only lower-cased); ties compare the text itself."""
    return _LEADING_VOWEL.sub(r"\2\1", _TONES.sub("", (text or "").lower()))


def sort_key(text: str) -> tuple[str, str]:
    """A key for sorted(): the reader's order for a name in either language."""
    return (thai_sort_key(text), text or "")


def sort_by_name(items: Iterable[T], *, key: Callable[[T], str]) -> list[T]:
    """Items sorted by the name `key` gives for each (the one the page shows)."""
    return sorted(items, key=lambda item: sort_key(key(item)))


def collate(words: Iterable[str]) -> list[str]:
    return sorted(words, key=sort_key)


class ThaiSortKey(Func):
    """thai_sort_key() computed by the database, compared by code point."""

    function = SQLITE_FUNCTION
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        (expression,) = self.get_source_expressions()
        no_tones = Func(Lower(expression), Value(_TONES.pattern), Value(""), Value("g"),
                        function="regexp_replace", output_field=CharField())  # fmt: skip
        swapped = Func(no_tones, Value(_LEADING_VOWEL.pattern), Value(r"\2\1"), Value("g"),
                       function="regexp_replace", output_field=CharField())  # fmt: skip
        return Collate(swapped, "C").as_sql(compiler, connection)


def thai_sort_key_sql(column: str, *, vendor: str) -> tuple[str, list[str]]:
    """SQL (and its parameters) computing thai_sort_key(column), for statements written by hand."""
    if vendor == "postgresql":
        return (f"regexp_replace(regexp_replace(lower({column}), %s, '', 'g'), %s, %s, 'g')",
                [_TONES.pattern, _LEADING_VOWEL.pattern, r"\2\1"])  # fmt: skip
    return f"{SQLITE_FUNCTION}({column})", []


class SortKeyField(CharField):
    """A column holding thai_sort_key() of a name, compared by code point: PostgreSQL gives it the "C"
    collation (a database created with a language's locale would otherwise re-sort the key by that
    language's rules); SQLite compares text by code point already."""

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql" and not params.get("collation"):
            params["collation"] = "C"
        return params


def register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created receiver: teach each SQLite connection ThaiSortKey's function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, thai_sort_key, deterministic=True)


def order_by_name(queryset: QuerySet[T], field: str = "name", *, language: str | None = None) -> QuerySet[T]:
    """`queryset` ordered by its bilingual `field` (`<field>_th` / `<field>_en`) as the reader sorts."""
    thai = f"{field}_th"
    if (language or current_language()) == "en":
        shown = Coalesce(NullIf(F(f"{field}_en"), Value("")), F(thai), output_field=CharField())
        return queryset.order_by(ThaiSortKey(shown), ThaiSortKey(thai), thai, "pk")
    return queryset.order_by(ThaiSortKey(thai), thai, "pk")


def order_by_thai(queryset: QuerySet[T], *fields: str) -> QuerySet[T]:
    """`queryset` ordered by Thai text fields (one language only, e.g. a person's name), then pk."""
    ordering: list[Any] = []
    for name in fields:
        ordering += [ThaiSortKey(name), name]
    return queryset.order_by(*ordering, "pk")


class NameOrderedModelChoiceIterator(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        choices = [self.choice(obj) for obj in self.queryset.all()]
        yield from sorted(choices, key=lambda choice: sort_key(str(choice[1])))


class NameOrderedModelChoiceField(forms.ModelChoiceField):
    """A model choice whose options are sorted by the label shown, in the reader's order."""

    iterator = NameOrderedModelChoiceIterator


class NameOrderedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = NameOrderedModelChoiceIterator

"""Reads of the producer registry."""

from __future__ import annotations

from django.db.models import QuerySet

from otop.producers.models import Producer


def active_producers() -> QuerySet[Producer]:
    return Producer.objects.filter(is_active=True).select_related("province", "district")

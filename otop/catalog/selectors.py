"""Reads of the catalog."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from otop.catalog.models import Category, Product


def categories() -> QuerySet[Category]:
    return Category.objects.order_by("sort_order", "code")


def categories_with_listed_counts() -> QuerySet[Category]:
    return categories().annotate(listed_count=Count("products", filter=Q(products__status=Product.Status.LISTED)))


def listed_products() -> QuerySet[Product]:
    return Product.objects.filter(status=Product.Status.LISTED).select_related(
        "category", "producer", "producer__district"
    )

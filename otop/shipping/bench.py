"""Figures for shipping: quotes for a 5-line cart from the table carriers, and 100 labels in one PDF."""

from __future__ import annotations

from decimal import Decimal

from bench.harness import Context, TimedCase
from otop.catalog.models import Variant
from otop.geo.models import Subdistrict
from otop.orders.models import Order
from otop.shipping.labels import code128_png, render_labels_pdf
from otop.shipping.models import Carrier, RateBand, Service, Shipment
from otop.shipping.rates import quotes_for_items


def _cart() -> list[tuple[Variant, int]]:
    variants = list(
        Variant.objects.filter(is_active=True, product__is_basket=False)
        .exclude(weight_grams=None)
        .select_related("product")
        .order_by("pk")[:5]
    )
    return [(variant, index + 1) for index, variant in enumerate(variants)]


def _table_carriers() -> None:
    """Thailand Post's bands plus a table-rate van, Flash off (its API is not part of this figure)."""
    Carrier.objects.filter(kind=Carrier.Kind.FLASH).update(is_enabled=False)
    van, _created = Carrier.objects.get_or_create(
        code="bench-van",
        defaults={"kind": Carrier.Kind.TABLE, "name_th": "รถตู้", "name_en": "Van", "is_enabled": True},
    )
    service, created = Service.objects.get_or_create(
        carrier=van, code="sameday", defaults={"name_th": "วันนี้", "name_en": "Same day", "max_grams": 50000}
    )
    if created:
        RateBand.objects.bulk_create(
            [
                RateBand(service=service, up_to_grams=grams, fee=Decimal(grams // 100))
                for grams in range(1000, 50001, 1000)
            ]
        )


def _labels() -> list[Shipment]:
    """100 parcels built in memory (nothing written): the figure is the rendering."""
    place = Subdistrict.objects.select_related("district__province").filter(code="400101").first()
    service = Service.objects.select_related("carrier").get(carrier__code="thailandpost", code="ems")
    shipments = []
    for n in range(100):
        order = Order(
            number=f"OTOP-2569-{n + 1:06d}",
            customer_name="สมหญิง ใจดี",
            phone="0812223333",
            address_line1=f"{n + 1} หมู่ 1 ถนนมิตรภาพ",
            subdistrict=place,
            district=place.district if place else None,
            province=place.district.province if place else None,
            postcode="40000",
        )
        shipments.append(
            Shipment(
                order=order,
                service=service,
                fee=Decimal("67.00"),
                weight_grams=900,
                tracking_number=f"EF{n:09d}TH",
                cod_amount=Decimal("350.00") if n % 3 == 0 else Decimal("0.00"),
            )
        )
    return shipments


def timed_cases(context: Context) -> list[TimedCase]:
    cart: list[tuple[Variant, int]] = []
    shipments: list[Shipment] = []

    def setup_quotes() -> None:
        _table_carriers()
        cart.extend(_cart())

    def setup_labels() -> None:
        shipments.extend(_labels())
        code128_png.cache_clear()

    return [
        TimedCase(
            "shipping quotes, 5-line cart (table carriers)",
            run=lambda i: quotes_for_items(items=cart, postcode="40000", subtotal=Decimal("1500.00")),
            iterations=300,
            setup=setup_quotes,
            goal="p95 < 20 ms",
        ),
        TimedCase(
            "100 parcel labels in one PDF",
            run=lambda i: render_labels_pdf(shipments),
            iterations=3,
            setup=setup_labels,
            goal="< 10 s each",
        ),
    ]

"""Demo stock: a few hundred items stocked through the ledger, two deliveries, sales and a statement.

Deterministic and idempotent (skipped when the demo intake exists); it stocks only a subset so that
100,000 demo products stay fast, and every unit goes through receive_stock so the ledger check passes.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from otop.catalog.models import Product, Variant
from otop.producers.models import Producer

DEMO_NOTE = "demo"
STOCKED_ITEMS = 300


def seed(*, products: int, seed: int) -> None:
    from otop.inventory import selectors, services
    from otop.inventory.models import Intake, StockLevel

    if Intake.objects.filter(note=DEMO_NOTE).exists():
        return
    rng = random.Random(seed)
    shop, backstore = selectors.location("shop"), selectors.location("backstore")
    producer = Producer.objects.filter(user__username="producer").first() or Producer.objects.order_by("pk").first()
    if producer is None:
        return

    own = list(
        Variant.objects.filter(product__producer=producer, product__status=Product.Status.LISTED)
        .select_related("product")
        .order_by("pk")[:6]
    )
    if own:
        services.record_intake(
            producer=producer,
            items=[services.IntakeItem(variant=v, quantity=rng.randint(10, 30)) for v in own],
            location=backstore,
            actor=None,
            note=DEMO_NOTE,
        )
        services.transfer_stock(variant=own[0], from_location=backstore, to_location=shop, quantity=5, actor=None)
        services.set_threshold(variant=own[0], minimum=3)

    stocked = set(StockLevel.objects.values_list("variant_id", flat=True))
    for variant in (
        Variant.objects.filter(is_default=True, product__status=Product.Status.LISTED)
        .exclude(pk__in=stocked)
        .order_by("pk")[:STOCKED_ITEMS]
    ):
        quantity = rng.randint(0, 24)
        if quantity:
            services.receive_stock(
                variant=variant,
                location=shop if rng.random() < 0.6 else backstore,
                quantity=quantity,
                actor=None,
                reason="consignment_intake",
                reference="demo:opening",
            )

    if own:
        # Last month's counter sales of the portal producer, settled, so its statement can be read.
        first_of_month = timezone.localdate().replace(day=1)
        last_month = (first_of_month - timedelta(days=1)).replace(day=1)
        for number, variant in enumerate(own[:3], start=1):
            quantity = rng.randint(1, 3)
            services.sell_now(
                items=[(variant.pk, quantity)], location=backstore, actor=None, reference=f"pos-demo-{number}"
            )
            sold_at = timezone.make_aware(datetime.combine(last_month + timedelta(days=number * 3), time(11, 0)))
            services.record_sale_lines(
                lines=[(variant.pk, quantity, variant.price)],
                reference=f"pos-demo-{number}",
                channel="counter",
                sold_at=sold_at,
            )
        services.create_settlement(producer=producer, period_start=last_month)

    others = (
        Variant.objects.filter(product__status=Product.Status.LISTED)
        .exclude(product__producer=producer)
        .select_related("product__producer")
        .order_by("pk")
        .first()
    )
    if others:
        services.record_intake(
            producer=others.product.producer,
            items=[
                services.IntakeItem(
                    variant=others, quantity=12, cost_price=(others.price * Decimal("0.6")).quantize(Decimal("0.01"))
                )
            ],
            location=backstore,
            actor=None,
            kind=Intake.Kind.PURCHASE,
            note=DEMO_NOTE,
        )

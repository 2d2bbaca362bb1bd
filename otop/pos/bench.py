"""Till speed: a scan lookup (< 50 ms) and a 5-line cash sale with stock taken (< 150 ms), server time."""

from __future__ import annotations

import random
import uuid
from decimal import Decimal

from bench.harness import Context, TimedCase
from otop.accounts.models import User
from otop.catalog.barcodes import in_store_ean13
from otop.catalog.models import Variant
from otop.inventory import selectors as stock_selectors
from otop.inventory import services as stock_services

ITERATIONS = 200


def timed_cases(context: Context) -> list[TimedCase]:

    state: dict = {}
    rng = random.Random(6)
    codes = [in_store_ean13(rng.randrange(context.products) * 4 + 1) for _ in range(ITERATIONS)]

    def lookup(iteration: int) -> object:
        from otop.pos import selectors

        variant = selectors.variant_for_barcode(codes[iteration])
        return selectors.variant_row(variant) if variant else None

    def prepare_sales() -> None:
        from otop.pos import selectors, services
        from otop.pos.models import Register

        register = Register.objects.get(code="shop")
        cashier = User.objects.get(username="cashier")
        shift = selectors.open_shift_of(register) or services.open_shift(
            register=register, actor=cashier, starting_cash=Decimal("0.00")
        )
        numbers = services.reserve_number_block(
            register=register, device_id=f"bench-{uuid.uuid4()}", actor=cashier, size=ITERATIONS
        )
        variants = list(selectors.sellable_variants().order_by("?")[:25]) or list(Variant.objects.all()[:25])
        shop = stock_selectors.location("shop")
        for variant in variants:
            stock_services.receive_stock(variant=variant, location=shop, quantity=ITERATIONS, actor=cashier)
        state.update(register=register, cashier=cashier, shift=shift, variants=variants,
                     first=numbers.blocks[-1].first_number)  # fmt: skip

    def five_line_sale(iteration: int) -> object:
        from otop.pos import services

        chosen = state["variants"][(iteration * 5) % 25 : (iteration * 5) % 25 + 5]
        total = sum((variant.price for variant in chosen), Decimal("0.00"))
        data = services.SaleInput(
            device_sale_id=uuid.uuid4(),
            shift_id=state["shift"].pk,
            receipt_number=state["first"] + iteration,
            lines=[services.LineInput(variant_id=v.pk, quantity=1, unit_price=v.price) for v in chosen],
            payments=[services.PaymentInput(method="cash", amount=total, tendered=total + Decimal("100.00"))],
        )
        return services.record_sale(register=state["register"], actor=state["cashier"], data=data)

    return [
        TimedCase("pos: scan lookup by barcode", lookup, iterations=ITERATIONS, goal="p95 < 50 ms"),
        TimedCase(
            "pos: 5-line cash sale (stock taken)",
            five_line_sale,
            iterations=ITERATIONS,
            setup=prepare_sales,
            goal="p95 < 150 ms",
        ),
    ]

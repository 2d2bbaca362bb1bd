"""Writes of stock. `from otop.inventory import services` gives every one of them:

- stock.py: receive, reserve, commit, release, expire, sell now, return, transfer, remove (the core contract)
- sales.py: record_sale_lines / record_return_lines (prices used, for settlements)
- baskets.py: assemble_baskets / take_apart_baskets (gift baskets made up in advance)
- intakes.py: record_intake (consignment or outright purchase)
- stocktakes.py, settlements.py, lowstock.py
"""

from otop.inventory.services.baskets import assemble_baskets, take_apart_baskets
from otop.inventory.services.intakes import IntakeItem, record_intake
from otop.inventory.services.lowstock import check_low_stock, set_threshold
from otop.inventory.services.sales import (
    commission_percent_for,
    consignment_terms,
    record_return_lines,
    record_sale_lines,
    set_product_commission,
)
from otop.inventory.services.settlements import (
    create_settlement,
    mark_settlement_paid,
    record_payout_file_export,
    settle_month,
)
from otop.inventory.services.stock import (
    REMOVAL_REASONS,
    SaleResult,
    commit_reservation,
    expire_reservations,
    receive_stock,
    receive_stock_in_bulk,
    release_reservation,
    remove_stock,
    reserve_stock,
    return_sold_reservation,
    return_to_stock,
    sell_now,
    transfer_stock,
)
from otop.inventory.services.stocktakes import (
    approve_stocktake,
    cancel_stocktake,
    count_scan,
    set_count,
    start_stocktake,
)

__all__ = [
    "REMOVAL_REASONS",
    "IntakeItem",
    "SaleResult",
    "approve_stocktake",
    "assemble_baskets",
    "cancel_stocktake",
    "check_low_stock",
    "commission_percent_for",
    "commit_reservation",
    "consignment_terms",
    "count_scan",
    "create_settlement",
    "expire_reservations",
    "mark_settlement_paid",
    "record_payout_file_export",
    "receive_stock",
    "receive_stock_in_bulk",
    "record_intake",
    "record_return_lines",
    "set_product_commission",
    "record_sale_lines",
    "release_reservation",
    "remove_stock",
    "reserve_stock",
    "return_sold_reservation",
    "return_to_stock",
    "sell_now",
    "set_count",
    "set_threshold",
    "settle_month",
    "start_stocktake",
    "take_apart_baskets",
    "transfer_stock",
]

"""The feed files, written row by row to text streams (nothing held in memory but the current row).

- `meta.csv` / `meta.xml`: Meta's catalogue (CSV with a header row; RSS 2.0 with the `g:` namespace).
- `meta-en.csv`: Meta's language override feed (`id,override,title,description,link`, override `en_XX`).
- `google.xml`: Google Merchant Center (RSS 2.0, `g:` attributes, availability `in_stock`/`out_of_stock`,
  a `g:shipping` per carrier service from the carriers' rate tables for the item's weight (the shop's
  parcel rate when no table-priced carrier is enabled or the weight is not recorded)).
"""

from __future__ import annotations

import csv
from decimal import Decimal
from typing import TextIO
from xml.sax.saxutils import escape

from otop.channels.feeds.rows import FeedRow, price_text
from otop.shipping.rates import ItemRates

META_COLUMNS = [
    "id",
    "item_group_id",
    "title",
    "description",
    "availability",
    "condition",
    "price",
    "link",
    "image_link",
    "additional_image_link",
    "brand",
    "google_product_category",
    "product_type",
    "quantity_to_sell_on_facebook",
    "custom_label_0",
    "custom_label_1",
]
OVERRIDE_COLUMNS = ["id", "override", "title", "description", "link"]
# Meta's language code for English in override feeds.
ENGLISH_OVERRIDE = "en_XX"
G_NAMESPACE = "http://base.google.com/ns/1.0"


def meta_values(row: FeedRow) -> dict[str, str]:
    return {
        "id": row.id,
        "item_group_id": row.item_group_id,
        "title": row.title,
        "description": row.description,
        "availability": "in stock" if row.in_stock else "out of stock",
        "condition": "new",
        "price": row.price_text,
        "link": row.link,
        "image_link": row.image_link,
        "additional_image_link": ",".join(row.additional_image_links),
        "brand": row.brand,
        "google_product_category": row.google_product_category,
        "product_type": row.product_type,
        "quantity_to_sell_on_facebook": str(row.quantity),
        "custom_label_0": row.district,
        "custom_label_1": row.stars,
    }


class MetaCsv:
    def __init__(self, out: TextIO) -> None:
        self.writer = csv.writer(out, lineterminator="\n")
        self.writer.writerow(META_COLUMNS)

    def write(self, row: FeedRow) -> None:
        values = meta_values(row)
        self.writer.writerow([values[column] for column in META_COLUMNS])

    def close(self) -> None:
        pass


class MetaEnglishCsv:
    def __init__(self, out: TextIO) -> None:
        self.writer = csv.writer(out, lineterminator="\n")
        self.writer.writerow(OVERRIDE_COLUMNS)

    def write(self, row: FeedRow) -> None:
        self.writer.writerow([row.id, ENGLISH_OVERRIDE, row.title_en, row.description_en, row.link_en])

    def close(self) -> None:
        pass


def _element(name: str, value: str) -> str:
    return f"<{name}>{escape(value)}</{name}>"


class _Rss:
    def __init__(self, out: TextIO, *, title: str, link: str, description: str) -> None:
        self.out = out
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(f'<rss version="2.0" xmlns:g="{G_NAMESPACE}">\n<channel>\n')
        out.write(_element("title", title) + _element("link", link) + _element("description", description) + "\n")

    def item(self, fields: list[tuple[str, str]]) -> None:
        parts = ["<item>"]
        parts += [_element(name, value) for name, value in fields if value != ""]
        parts.append("</item>\n")
        self.out.write("".join(parts))

    def close(self) -> None:
        self.out.write("</channel>\n</rss>\n")


class MetaXml(_Rss):
    def write(self, row: FeedRow) -> None:
        values = meta_values(row)
        fields = [(f"g:{column}", values[column]) for column in META_COLUMNS if column not in {"additional_image_link"}]
        fields += [("g:additional_image_link", link) for link in row.additional_image_links]
        self.item(fields)


class GoogleXml(_Rss):
    def __init__(self, out: TextIO, *, parcel_rate: Decimal, rates: ItemRates | None = None, **channel: str) -> None:
        super().__init__(out, **channel)
        self.rates = rates
        self.parcel_shipping = self._shipping(escape("พัสดุ"), parcel_rate, None, None)

    @staticmethod
    def _shipping(service: str, price: Decimal, days_min: int | None, days_max: int | None) -> str:
        transit = (
            f"<g:min_transit_time>{days_min}</g:min_transit_time><g:max_transit_time>{days_max}</g:max_transit_time>"
            if days_min is not None
            else ""
        )
        return (
            f"<g:shipping><g:country>TH</g:country><g:service>{service}</g:service>"
            f"<g:price>{price_text(price)}</g:price>{transit}</g:shipping>"
        )

    def shipping(self, row: FeedRow) -> str:
        """One g:shipping per carrier service that takes one unit, from its rate table; else the parcel rate."""
        quotes = (
            self.rates.quotes(content_grams=row.weight_grams, volume_cm3=row.volume_cm3, price=row.price)
            if self.rates
            else ()
        )
        if not quotes:
            return self.parcel_shipping
        return "".join(
            self._shipping(escape(quote.service_name), quote.fee, quote.days_min, quote.days_max) for quote in quotes
        )

    def write(self, row: FeedRow) -> None:
        fields = [
            ("g:id", row.id),
            ("g:item_group_id", row.item_group_id),
            ("title", row.title),
            ("description", row.description),
            ("link", row.link),
            ("g:image_link", row.image_link),
            *[("g:additional_image_link", link) for link in row.additional_image_links],
            ("g:availability", "in_stock" if row.in_stock else "out_of_stock"),
            ("g:condition", "new"),
            ("g:price", row.price_text),
            ("g:brand", row.brand),
            ("g:gtin", row.gtin),
            ("g:identifier_exists", "" if row.gtin else "no"),
            ("g:google_product_category", row.google_product_category),
            ("g:product_type", row.product_type),
            ("g:custom_label_0", row.district),
            ("g:custom_label_1", row.stars),
        ]
        parts = ["<item>"]
        parts += [_element(name, value) for name, value in fields if value != ""]
        parts.append(self.shipping(row))
        if row.weight_grams:
            parts.append(f"<g:shipping_weight>{row.weight_grams} g</g:shipping_weight>")
        parts.append("</item>\n")
        self.out.write("".join(parts))

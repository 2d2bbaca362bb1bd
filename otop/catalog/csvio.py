"""CSV import and export of the catalog. Import is all or nothing: every bad row is reported, then nothing is saved."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from otop.accounts.models import User
from otop.catalog.barcodes import generated_ean13, is_valid_ean13
from otop.catalog.models import Category, Product, Variant
from otop.catalog.services import random_product_code, sanitize_story
from otop.catalog.signals import send_products_changed
from otop.core.money import InvalidAmount, parse_amount
from otop.core.selectors import center_profile
from otop.core.services import record_audit_event
from otop.geo.models import District, Province
from otop.producers.models import Producer

COLUMNS = [
    "sku", "name_th", "name_en", "category", "price", "producer", "province", "district", "description_th",
    "description_en", "story_th", "story_en", "barcode", "weight_g", "stock", "otop_stars",
    "length_mm", "width_mm", "height_mm",
]  # fmt: skip
REQUIRED = ["sku", "name_th", "category", "price", "producer", "district"]
MAX_BYTES = 20 * 1024 * 1024


class StockColumn(Protocol):
    """What the `stock` column needs from the app that keeps stock (inventory registers it at start-up).

    `stock` is the quantity on hand at a location after the import: only the difference is received.
    """

    locations: tuple[str, ...]

    def on_hand(self, *, skus: list[str], location_code: str) -> dict[str, int]: ...

    def receive(self, *, deliveries: list[tuple[Variant, int]], location_code: str, actor: User | None) -> None: ...

    def default_variants_on_hand(self, *, location_code: str) -> dict[int, int]: ...


_stock_column: StockColumn | None = None


def register_stock_column(column: StockColumn) -> None:
    """Let the stock-keeping app read and receive the `stock` column (called from its AppConfig.ready)."""
    global _stock_column
    _stock_column = column


def stock_locations() -> tuple[str, ...]:
    """Where an import may receive its `stock` column (none when no app keeps stock)."""
    return _stock_column.locations if _stock_column is not None else ()


@dataclass(frozen=True)
class Problem:
    """One reason a row (or the file, line 0) cannot be imported; the text is translated when shown."""

    line: int
    column: str
    msgid: str
    params: dict = field(default_factory=dict)

    def message(self, language: str | None = None) -> str:
        if language is None:
            return gettext(self.msgid) % self.params
        with translation.override(language):
            return gettext(self.msgid) % self.params


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    producers_created: int = 0
    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def bad_lines(self) -> list[int]:
        return sorted({problem.line for problem in self.problems})


@dataclass
class _Row:
    line: int
    sku: str
    values: dict[str, Any]


_PREFIX = re.compile(r"^(จังหวัด|จ\.|อำเภอ|อ\.|เขต|changwat|amphoe|khet)\s*", re.IGNORECASE)


def _place_key(name: str) -> str:
    return _PREFIX.sub("", (name or "").strip()).strip().lower()


class _Places:
    """Provinces and districts by code, Thai or English name, loaded once per import."""

    def __init__(self) -> None:
        self.provinces: dict[str, Province] = {}
        for province in Province.objects.all():
            for key in (province.code, province.name_th, province.name_en):
                self.provinces[_place_key(key)] = province
        self.districts: dict[tuple[str, str], District] = {}
        for district in District.objects.all():
            for key in (district.code, district.name_th, district.name_en):
                self.districts[(district.province_id, _place_key(key))] = district
        for province in self.provinces.values():
            capital = self.districts.get((province.code, _place_key(f"เมือง{province.name_th}")))
            if capital:
                for alias in ("เมือง", "mueang", "muang"):
                    self.districts[(province.code, alias)] = capital

    def province(self, name: str) -> Province | None:
        return self.provinces.get(_place_key(name))

    def district(self, province: Province, name: str) -> District | None:
        return self.districts.get((province.code, _place_key(name)))


def read_catalog_csv(data: bytes) -> tuple[list[dict[str, str]], list[int], list[Problem]]:
    """Decode a UTF-8 CSV (a BOM is allowed); return its rows, their line numbers and file-level problems."""
    if len(data) > MAX_BYTES:
        return [], [], [Problem(0, "", gettext_noop("The file is larger than 20 MB."))]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [], [Problem(0, "", gettext_noop("The file is not UTF-8 text. Save it as “CSV UTF-8”."))]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        return [], [], [
            Problem(0, "", gettext_noop("Required columns are missing: %(columns)s."), {"columns": ", ".join(missing)})
        ]  # fmt: skip
    rows, lines = [], []
    line = reader.line_num
    for row in reader:
        rows.append({key: (value or "").strip() for key, value in row.items() if key})
        lines.append(line + 1)  # the line where this record starts
        line = reader.line_num
    if not rows:
        return [], [], [Problem(0, "", gettext_noop("The file has no rows below its header."))]
    return rows, lines, []


def _validate(rows: list[dict[str, str]], lines: list[int], report: ImportReport, *, stock_location: str) -> list[_Row]:
    """Check every row and collect every problem; return the rows converted to values."""
    places = _Places()
    with_stock = [row.get("sku", "") for row in rows if row.get("stock")]
    on_hand = _stock_column.on_hand(skus=with_stock, location_code=stock_location) if _stock_column else {}
    categories = {}
    for category in Category.objects.all():
        for key in (category.code, category.name_th, category.name_en.lower()):
            categories[key] = category
    home = center_profile().province
    seen_skus: dict[str, int] = {}
    seen_barcodes: dict[str, int] = {}
    skus = [row.get("sku", "") for row in rows]
    existing_variants = {
        variant.sku: variant for variant in Variant.objects.filter(sku__in=skus).select_related("product")
    }
    barcodes = [row.get("barcode", "") for row in rows if row.get("barcode")]
    barcode_owner = dict(Variant.objects.filter(barcode__in=barcodes).values_list("barcode", "sku"))
    converted = []
    for row, line in zip(rows, lines, strict=True):
        problems: list[Problem] = []

        def problem(where: str, msgid: str, /, _line: int = line, _problems: list = problems, **params: Any) -> None:
            _problems.append(Problem(_line, where, msgid, params))

        values: dict[str, Any] = {}
        for name in REQUIRED:
            if not row.get(name):
                problem(name, gettext_noop("“%(column)s” is required."), column=name)
        sku = row.get("sku", "")
        if sku:
            if len(sku) > 40 or not re.fullmatch(r"[A-Za-z0-9._/-]+", sku):
                problem("sku", gettext_noop("The SKU may have up to 40 letters, digits and . _ / - only."))
            elif sku in seen_skus:
                problem("sku", gettext_noop("SKU %(sku)s is also on line %(line)s."), sku=sku, line=seen_skus[sku])
            else:
                seen_skus[sku] = line
            existing = existing_variants.get(sku)
            if existing is not None and not existing.is_default:
                problem("sku", gettext_noop("SKU %(sku)s is a variant of another product."), sku=sku)
        if len(row.get("name_th", "")) > 200 or len(row.get("name_en", "")) > 200:
            problem("name_th", gettext_noop("Names may have up to 200 characters."))
        if row.get("category"):
            category = categories.get(row["category"]) or categories.get(row["category"].lower())
            if category is None:
                problem("category", gettext_noop("Unknown category “%(value)s”."), value=row["category"])
            values["category"] = category
        if row.get("price"):
            try:
                values["price"] = parse_amount(row["price"])
                if values["price"] < 0:
                    raise InvalidAmount
            except InvalidAmount:
                problem(
                    "price",
                    gettext_noop("The price “%(value)s” is not an amount of baht (e.g. 350 or 350.50)."),
                    value=row["price"],
                )
        province = home
        if row.get("province"):
            province = places.province(row["province"])
            if province is None:
                problem("province", gettext_noop("Unknown province “%(value)s”."), value=row["province"])
        values["province"] = province
        if row.get("district") and province is not None:
            district = places.district(province, row["district"])
            if district is None:
                problem(
                    "district",
                    gettext_noop("There is no district “%(value)s” in %(province)s."),
                    value=row["district"],
                    province=province.name_th,
                )
            values["district"] = district
        if len(row.get("producer", "")) > 200:
            problem("producer", gettext_noop("Names may have up to 200 characters."))
        barcode = row.get("barcode", "")
        if barcode:
            if not is_valid_ean13(barcode):
                if len(barcode) == 13 and barcode.isdigit():
                    problem(
                        "barcode", gettext_noop("The check digit of barcode %(barcode)s is wrong."), barcode=barcode
                    )
                else:
                    problem("barcode", gettext_noop("A barcode (EAN-13) has exactly 13 digits."))
            elif barcode in seen_barcodes:
                problem(
                    "barcode",
                    gettext_noop("Barcode %(barcode)s is also on line %(line)s."),
                    barcode=barcode,
                    line=seen_barcodes[barcode],
                )
            elif barcode_owner.get(barcode, sku) != sku:
                problem(
                    "barcode",
                    gettext_noop("Barcode %(barcode)s already belongs to %(sku)s."),
                    barcode=barcode,
                    sku=barcode_owner[barcode],
                )
            seen_barcodes.setdefault(barcode, line)
        for column, low, high in (
            ("weight_g", 0, 1_000_000),
            ("stock", 0, 1_000_000),
            ("otop_stars", 1, 5),
            ("length_mm", 1, 10_000),
            ("width_mm", 1, 10_000),
            ("height_mm", 1, 10_000),
        ):
            if row.get(column):
                text = row[column]
                if not re.fullmatch(r"\d+", text) or not low <= int(text) <= high:
                    problem(
                        column,
                        gettext_noop("“%(column)s” must be a whole number from %(low)s to %(high)s."),
                        column=column,
                        low=low,
                        high=high,
                    )
                else:
                    values[column] = int(text)
        if isinstance(values.get("stock"), int) and values["stock"] < on_hand.get(sku, 0):
            problem(
                "stock",
                gettext_noop(
                    "The stock of %(sku)s is already %(on_hand)s; an import only adds goods. "
                    "Count lower stock in a stocktake."
                ),
                sku=sku,
                on_hand=on_hand[sku],
            )
        if problems:
            report.problems.extend(problems)
            continue
        converted.append(_Row(line=line, sku=sku, values={**row, **values}))
    return converted


def import_catalog(
    *, data: bytes, actor: User | None = None, dry_run: bool = False, stock_location: str = "backstore"
) -> ImportReport:
    """Import a catalog CSV: validate every row, then save all of them in one transaction, or none.

    Products are matched by SKU (updated when they exist); producers by name + province + district
    (created when new). New products are listed: the file is the center's shelf. `stock` is the
    quantity on hand at `stock_location` after the import: the difference is received through the
    inventory ledger (consignment intake), so importing the same file twice receives nothing more.
    """
    if _stock_column is not None and stock_location not in stock_locations():
        raise ValueError(f"stock goes to one of {stock_locations()}, not {stock_location!r}")
    report = ImportReport(dry_run=dry_run)
    rows, lines, problems = read_catalog_csv(data)
    report.rows = len(rows)
    if problems:
        report.problems = problems
        return report
    converted = _validate(rows, lines, report, stock_location=stock_location)
    if report.problems or dry_run:
        if dry_run and not report.problems:
            existing = set(Product.objects.filter(sku__in=[row.sku for row in converted]).values_list("sku", flat=True))
            report.updated = len(existing)
            report.created = len(converted) - len(existing)
        return report
    with transaction.atomic():
        _save(converted, report, actor=actor, stock_location=stock_location)
        record_audit_event(
            actor=actor,
            action="catalog.imported",
            target=center_profile(),
            summary=f"{report.created} created, {report.updated} updated",
            data={"rows": report.rows},
        )
    return report


def _producer_for(row: _Row, cache: dict, report: ImportReport) -> Producer:
    name = row.values["producer"]
    province, district = row.values["province"], row.values["district"]
    key = (name, province.code, district.code)
    if key not in cache:
        producer = Producer.objects.filter(name_th=name, province=province, district=district).order_by("pk").first()
        if producer is None:
            producer = Producer.objects.create(name_th=name, province=province, district=district)
            report.producers_created += 1
        cache[key] = producer
    return cache[key]


def _optional_int(row: _Row, column: str) -> int | None:
    return row.values.get(column) if row.values.get(column) != "" else None


def _save(rows: list[_Row], report: ImportReport, *, actor: User | None, stock_location: str) -> None:
    producers: dict = {}
    deliveries: list[tuple[Variant, int]] = []
    products = {
        product.sku: product
        for product in Product.objects.filter(sku__in=[row.sku for row in rows]).prefetch_related("variants")
    }
    new_products: list[Product] = []
    new_variants: list[Variant] = []
    changed_variants: list[Variant] = []
    for row in rows:
        values = row.values
        present = values.keys()
        fields = {
            "name_th": values["name_th"],
            "category": values["category"],
            "producer": _producer_for(row, producers, report),
        }
        for name in ("name_en", "description_th", "description_en"):
            if name in present:
                fields[name] = values[name]
        for name in ("story_th", "story_en"):
            if name in present:
                fields[name] = sanitize_story(values[name])
        if "weight_g" in present:
            fields["weight_grams"] = _optional_int(row, "weight_g")
        if "otop_stars" in present:
            fields["otop_stars"] = _optional_int(row, "otop_stars")
        for name in ("length_mm", "width_mm", "height_mm"):  # the parcel size shipping packs by
            if name in present:
                fields[name] = _optional_int(row, name)
        product = products.get(row.sku)
        if product is None:
            product = Product(sku=row.sku, status=Product.Status.LISTED, **fields)
            variant = Variant(product=product, sku=row.sku, is_default=True, price=values["price"])
            new_products.append(product)
            new_variants.append(variant)
            report.created += 1
        else:
            for name, value in fields.items():
                setattr(product, name, value)
            product.save()
            variant = next(v for v in product.variants.all() if v.is_default)
            variant.price = values["price"]
            changed_variants.append(variant)
            report.updated += 1
        variant.weight_grams = product.weight_grams
        if values.get("barcode"):
            variant.barcode = values["barcode"]
        if isinstance(values.get("stock"), int):
            deliveries.append((variant, values["stock"]))
    # New rows go in with a few bulk statements: 5,000 rows must import in seconds.
    _give_codes(new_products)
    Product.objects.bulk_create(new_products, batch_size=500)
    for variant in new_variants:
        variant.product_id = variant.product.pk
    Variant.objects.bulk_create(new_variants, batch_size=500)
    for variant in changed_variants:
        variant.save()
    without_barcode = [variant for variant in new_variants + changed_variants if not variant.barcode]
    if without_barcode and without_barcode[0].pk is None:  # a backend that returns no ids from bulk inserts
        ids = dict(Variant.objects.filter(sku__in=[v.sku for v in without_barcode]).values_list("sku", "pk"))
        for variant in without_barcode:
            variant.pk = ids[variant.sku]
    for variant in without_barcode:
        variant.barcode = generated_ean13(variant.pk)
    Variant.objects.bulk_update(without_barcode, ["barcode"], batch_size=500)
    if deliveries and _stock_column is not None:
        _stock_column.receive(deliveries=deliveries, location_code=stock_location, actor=actor)
    # Bulk inserts send no post_save: say which products changed (search indexes them in one go).
    send_products_changed(
        product_ids=[product.pk for product in new_products] + [v.product_id for v in changed_variants]
    )


def _give_codes(products: list[Product]) -> None:
    """Give new products short QR codes, drawing again for the rare code already taken."""
    pending = products
    while pending:
        for product in pending:
            product.code = random_product_code()
        codes = [product.code for product in pending]
        taken = set(Product.objects.filter(code__in=codes).values_list("code", flat=True))
        seen: set[str] = set()
        retry = []
        for product in pending:
            if product.code in taken or product.code in seen:
                retry.append(product)
            seen.add(product.code)
        pending = retry


# --- export -----------------------------------------------------------------------------------


def export_rows(products: QuerySet[Product] | None = None, *, stock_location: str = "backstore") -> Iterable[list[str]]:
    """Yield the header then one row per product, in the import format.

    Price and barcode are the default variant's; stock is what is on hand at `stock_location`.
    """
    yield COLUMNS
    stock = _stock_column.default_variants_on_hand(location_code=stock_location) if _stock_column else {}
    products = (
        (products if products is not None else Product.objects.all())
        .select_related("category", "producer__province", "producer__district")
        .prefetch_related(
            Prefetch("variants", queryset=Variant.objects.filter(is_default=True), to_attr="default_variants")
        )
    )
    for product in products.order_by("sku").iterator(chunk_size=2000):
        variant = product.default_variants[0] if product.default_variants else None
        yield [
            product.sku,
            product.name_th,
            product.name_en,
            product.category.code,
            f"{variant.price:.2f}" if variant else "",
            product.producer.name_th,
            product.producer.province.name_th,
            product.producer.district.name_th,
            product.description_th,
            product.description_en,
            product.story_th,
            product.story_en,
            (variant.barcode or "") if variant else "",
            "" if product.weight_grams is None else str(product.weight_grams),
            str(stock[variant.pk]) if variant and variant.pk in stock else "",
            "" if product.otop_stars is None else str(product.otop_stars),
            *("" if size is None else str(size) for size in (product.length_mm, product.width_mm, product.height_mm)),
        ]


def export_catalog_csv(products: QuerySet[Product] | None = None, *, stock_location: str = "backstore") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(export_rows(products, stock_location=stock_location))
    return buffer.getvalue()

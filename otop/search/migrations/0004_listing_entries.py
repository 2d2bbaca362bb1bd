"""Listing entries, and loose forms that PostgreSQL can tell from exact ones without a recheck.

Listing entries: a narrow row per product for pages that filter and sort, filled from the search
documents. On PostgreSQL the row also holds `names`, a weighted tsvector of the name tokens alone,
with a GIN index: searches rank name matches there without fetching the wide documents.

On PostgreSQL the loose forms (tone marks dropped, sound codes) are stored with the mark ๆ in
front (ๆมัดหมี), in the document as in the names. A GIN index cannot see weights, so when the
exact form asked for was also some product's loose form (มัดหมี for มัดหมี่), every such product
was fetched and rechecked; with the mark, the index finds only real exact matches. The query
side (otop.search.selectors) marks its loose lexemes the same way.
"""

import django.db.models.deletion
from django.db import migrations, models

LOOSE = r"regexp_replace({column}, '(\S+)', 'ๆ\1', 'g')"


def _document(loose: bool) -> str:
    def tokens(column: str, is_loose: bool) -> str:
        return LOOSE.format(column=column) if loose and is_loose else column

    return (
        f"setweight(to_tsvector('simple', {tokens('name', False)}), 'A') "
        f"|| setweight(to_tsvector('simple', {tokens('body', False)}), 'B') "
        f"|| setweight(to_tsvector('simple', {tokens('name_loose', True)}), 'C') "
        f"|| setweight(to_tsvector('simple', {tokens('body_loose', True)}), 'D')"
    )


NAMES = (
    "setweight(to_tsvector('simple', d.name), 'A') || "
    f"setweight(to_tsvector('simple', {LOOSE.format(column='d.name_loose')}), 'C')"
)


def _replace_document(schema_editor, loose: bool) -> None:
    schema_editor.execute("DROP INDEX IF EXISTS search_productdocument_document_gin")
    schema_editor.execute("ALTER TABLE search_productdocument DROP COLUMN IF EXISTS document")
    schema_editor.execute(
        f"ALTER TABLE search_productdocument ADD COLUMN document tsvector GENERATED ALWAYS AS ({_document(loose)}) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX search_productdocument_document_gin ON search_productdocument USING gin (document)"
    )


def forwards(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        _replace_document(schema_editor, loose=True)
        schema_editor.execute("ALTER TABLE search_listingentry ADD COLUMN names tsvector NOT NULL DEFAULT ''")
    columns = "product_id, is_listed, category_code, district_code, min_price, stars, sort_name"
    values = "d.product_id, d.is_listed, d.category_code, d.district_code, d.min_price, d.stars, p.name_th"
    if postgres:
        columns, values = f"{columns}, names", f"{values}, {NAMES}"
    schema_editor.execute(
        f"INSERT INTO search_listingentry ({columns}) SELECT {values} "
        "FROM search_productdocument d JOIN catalog_product p ON p.id = d.product_id"
    )
    if postgres:
        schema_editor.execute("CREATE INDEX search_listingentry_names_gin ON search_listingentry USING gin (names)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _replace_document(schema_editor, loose=False)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_photos_baskets_scans"),
        ("search", "0003_weighted_positions_on_postgresql"),
    ]

    operations = [
        migrations.CreateModel(
            name="ListingEntry",
            fields=[
                (
                    "product",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="listing_entry",
                        serialize=False,
                        to="catalog.product",
                    ),
                ),
                ("is_listed", models.BooleanField(default=False, verbose_name="listed")),
                ("category_code", models.CharField(blank=True, max_length=30, verbose_name="category")),
                ("district_code", models.CharField(blank=True, max_length=4, verbose_name="district")),
                (
                    "min_price",
                    models.DecimalField(decimal_places=2, max_digits=12, null=True, verbose_name="lowest price"),
                ),
                ("stars", models.PositiveSmallIntegerField(null=True, verbose_name="OTOP star level")),
                ("sort_name", models.CharField(blank=True, max_length=200, verbose_name="name (Thai)")),
            ],
            options={
                "verbose_name": "listing entry",
                "verbose_name_plural": "listing entries",
                "indexes": [
                    models.Index(
                        fields=["is_listed", "category_code", "sort_name", "product"], name="listing_category_name"
                    ),
                    models.Index(
                        fields=["is_listed", "district_code", "sort_name", "product"], name="listing_district_name"
                    ),
                    models.Index(fields=["is_listed", "sort_name", "product"], name="listing_name"),
                    models.Index(
                        fields=["is_listed", "category_code", "min_price", "product"], name="listing_category_price"
                    ),
                    models.Index(
                        fields=["is_listed", "district_code", "min_price", "product"], name="listing_district_price"
                    ),
                    models.Index(fields=["is_listed", "stars", "product"], name="listing_stars"),
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]

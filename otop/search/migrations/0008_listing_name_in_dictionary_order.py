"""The listing's name order becomes dictionary order: sort_name holds thai_sort_key() of the Thai name and
sort_name_en that of the English name (the Thai one when there is none), compared by code point (the "C"
collation on PostgreSQL), instead of the Thai name itself."""

from django.db import migrations, models
from django.db.models import CharField, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, NullIf

import otop.core.collation


def _names(apps):
    Product = apps.get_model("catalog", "Product")
    products = Product.objects.filter(pk=OuterRef("product_id")).order_by()
    english = Coalesce(NullIf(F("name_en"), Value("")), F("name_th"), output_field=CharField())
    return (
        Subquery(products.values("name_th")[:1]),
        Subquery(products.annotate(shown=english).values("shown")[:1]),
    )


def keys_from_names(apps, schema_editor):
    thai, english = _names(apps)
    apps.get_model("search", "ListingEntry").objects.using(schema_editor.connection.alias).update(
        sort_name=otop.core.collation.ThaiSortKey(thai), sort_name_en=otop.core.collation.ThaiSortKey(english)
    )


def names_from_keys(apps, schema_editor):
    thai, _english = _names(apps)
    apps.get_model("search", "ListingEntry").objects.using(schema_editor.connection.alias).update(sort_name=thai)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0007_names_in_dictionary_order"),
        ("search", "0007_ranked_names_on_sqlite"),
    ]

    operations = [
        migrations.AddField(
            model_name="listingentry",
            name="sort_name_en",
            field=otop.core.collation.SortKeyField(blank=True, max_length=200, verbose_name="name (English)"),
        ),
        migrations.AlterField(
            model_name="listingentry",
            name="sort_name",
            field=otop.core.collation.SortKeyField(blank=True, max_length=200, verbose_name="name (Thai)"),
        ),
        migrations.AddIndex(
            model_name="listingentry",
            index=models.Index(
                fields=["is_listed", "category_code", "sort_name_en", "product"], name="listing_category_name_en"
            ),
        ),
        migrations.AddIndex(
            model_name="listingentry",
            index=models.Index(
                fields=["is_listed", "district_code", "sort_name_en", "product"], name="listing_district_name_en"
            ),
        ),
        migrations.AddIndex(
            model_name="listingentry",
            index=models.Index(fields=["is_listed", "sort_name_en", "product"], name="listing_name_en"),
        ),
        migrations.RunPython(keys_from_names, names_from_keys),
    ]

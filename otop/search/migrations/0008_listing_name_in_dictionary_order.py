"""The listing's name order becomes Thai dictionary order: sort_name holds thai_sort_key() of the Thai name
(compared by code point, the "C" collation on PostgreSQL) instead of the name itself."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

import otop.core.collation


def keys_from_names(apps, schema_editor):
    ListingEntry = apps.get_model("search", "ListingEntry")
    Product = apps.get_model("catalog", "Product")
    name = Subquery(Product.objects.filter(pk=OuterRef("product_id")).values("name_th")[:1])
    ListingEntry.objects.using(schema_editor.connection.alias).update(sort_name=otop.core.collation.ThaiSortKey(name))


def names_from_keys(apps, schema_editor):
    ListingEntry = apps.get_model("search", "ListingEntry")
    Product = apps.get_model("catalog", "Product")
    name = Subquery(Product.objects.filter(pk=OuterRef("product_id")).values("name_th")[:1])
    ListingEntry.objects.using(schema_editor.connection.alias).update(sort_name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0007_ranked_names_on_sqlite"),
    ]

    operations = [
        migrations.AlterField(
            model_name="listingentry",
            name="sort_name",
            field=otop.core.collation.SortKeyField(blank=True, max_length=200, verbose_name="name (Thai)"),
        ),
        migrations.RunPython(keys_from_names, names_from_keys),
    ]

"""SQLite: the name tiers read an FTS5 table of names whose rowid is the ranking key.

A name tier orders its matches by (head word first, fewer words, older product). Sorting every match
of a common word (ผ้าไหม: 6,000 of 100,000 products) cost 100 ms and more; FTS5 walks a query's
matches in rowid order and stops at the LIMIT, so the rowid here is name_words × 2³² + product id and
the head word is a column of its own (one query for the names headed by the query's first word, one
for the rest). `flags` holds `listed` for listed products. PostgreSQL is left as it is.
"""

from django.db import migrations

THAI_MARKS = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e"
SQLITE_NAMES_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_names USING fts5("
    "name, name_loose, head, flags, prefix = '1 2 3', "
    f"tokenize = \"unicode61 remove_diacritics 0 tokenchars '{THAI_MARKS}'\")"
)
SQLITE_NAMES_FILL = (
    "INSERT INTO search_names(rowid, name, name_loose, head, flags) "
    "SELECT name_words * 4294967296 + product_id, name, name_loose, name_head, "
    "CASE WHEN is_listed THEN 'listed' ELSE '' END FROM search_productdocument"
)
SQLITE_DROP = "DROP TABLE IF EXISTS search_names"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_NAMES_CREATE)
        schema_editor.execute(SQLITE_NAMES_FILL)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("search", "0006_name_heads")]

    operations = [migrations.RunPython(create, drop)]

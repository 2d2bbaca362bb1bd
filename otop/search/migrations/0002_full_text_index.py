"""The full-text index, built by each database's own engine.

SQLite: an FTS5 table whose tokenizer splits on spaces only (Thai vowel and tone marks are
declared token characters, so ข้าว never matches ข่าว). PostgreSQL: a weighted tsvector made
from the space-separated tokens as they are (array_to_tsvector: no parser, no stemming) with a
GIN index — PostgreSQL has no Thai text-search configuration.
"""

from django.db import migrations

THAI_MARKS = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e"

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "name, body, name_loose, body_loose, "
    f"tokenize = \"unicode61 remove_diacritics 0 tokenchars '{THAI_MARKS}'\")"
)
SQLITE_DROP = "DROP TABLE IF EXISTS search_fts"

POSTGRES_CREATE = [
    """
    ALTER TABLE search_productdocument ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(array_to_tsvector(string_to_array(name, ' ')), 'A')
        || setweight(array_to_tsvector(string_to_array(body, ' ')), 'B')
        || setweight(array_to_tsvector(string_to_array(name_loose, ' ')), 'C')
        || setweight(array_to_tsvector(string_to_array(body_loose, ' ')), 'D')
    ) STORED
    """,
    "CREATE INDEX search_productdocument_document_gin ON search_productdocument USING gin (document)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_productdocument_document_gin",
    "ALTER TABLE search_productdocument DROP COLUMN IF EXISTS document",
]


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        for statement in POSTGRES_CREATE:
            schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
    elif vendor == "postgresql":
        for statement in POSTGRES_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]

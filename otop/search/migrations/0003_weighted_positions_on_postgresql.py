"""PostgreSQL: build the document with to_tsvector('simple', …) so lexemes carry positions.

Weights live on positions: array_to_tsvector gives position-less lexemes, so setweight had no
effect and a name match ranked the same as a description match. The 'simple' parser keeps our
pre-segmented Thai tokens whole (marks included, in a UTF-8 database) and lowercases them; the
query side lowercases its lexemes to match.
"""

from django.db import migrations

WITH_POSITIONS = [
    "DROP INDEX IF EXISTS search_productdocument_document_gin",
    "ALTER TABLE search_productdocument DROP COLUMN IF EXISTS document",
    """
    ALTER TABLE search_productdocument ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', name), 'A')
        || setweight(to_tsvector('simple', body), 'B')
        || setweight(to_tsvector('simple', name_loose), 'C')
        || setweight(to_tsvector('simple', body_loose), 'D')
    ) STORED
    """,
    "CREATE INDEX search_productdocument_document_gin ON search_productdocument USING gin (document)",
]

WITHOUT_POSITIONS = [
    "DROP INDEX IF EXISTS search_productdocument_document_gin",
    "ALTER TABLE search_productdocument DROP COLUMN IF EXISTS document",
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


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text_index")]

    operations = [migrations.RunPython(_run(WITH_POSITIONS), _run(WITHOUT_POSITIONS))]

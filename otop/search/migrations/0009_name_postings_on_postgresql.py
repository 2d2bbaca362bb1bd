"""PostgreSQL: the name tiers walk a btree of name postings in rank order and stop at the page.

A name tier orders its matches by (head word first, fewer words, older product). Through the GIN index
of the listing's name vectors, PostgreSQL fetched every matching row and sorted them (ผ้าไหม: 6,000 of
100,000 products, one heap block each). `search_namepostings` holds one row per lexeme of a product's
name vector (exact forms, and loose ones marked ๆ, as the vector has them; is_head false) and one per
form of its head word (name_head; is_head true), with the product's rank keys beside it. Its btree
(term, is_listed, is_head, name_words, product_id) gives one term's products already in rank order; the
query's other words are checked through (product_id, term, is_head). Terms compare by code point
(collation "C"), so a prefix is a range of the index. SQLite has its own walk (migration 0007).
"""

from django.db import migrations

POSTINGS = "search_namepostings"
CREATE = [
    f"CREATE TABLE IF NOT EXISTS {POSTINGS} ("
    'term text COLLATE "C" NOT NULL, is_listed boolean NOT NULL, is_head boolean NOT NULL, '
    "name_words smallint NOT NULL, product_id integer NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS {POSTINGS}_walk ON {POSTINGS} (term, is_listed, is_head, name_words, product_id)",
    f"CREATE INDEX IF NOT EXISTS {POSTINGS}_product ON {POSTINGS} (product_id, term, is_head)",
]
# The rows of the listing entries chosen by {where}: the same statement as otop.search.services writes.
FILL = (
    f"INSERT INTO {POSTINGS} (term, is_listed, is_head, name_words, product_id) "
    "SELECT lexeme, e.is_listed, false, e.name_words, e.product_id "
    "FROM search_listingentry e, unnest(tsvector_to_array(e.names)) lexeme{where} "
    "UNION ALL SELECT DISTINCT head, e.is_listed, true, e.name_words, e.product_id "
    "FROM search_listingentry e, unnest(string_to_array(btrim(e.name_head), ' ')) head "
    "WHERE head <> ''{and_where}"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE[0])
        schema_editor.execute(FILL.format(where="", and_where=""))  # before the indexes: one sort each
        for statement in CREATE[1:]:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TABLE IF EXISTS {POSTINGS}")


class Migration(migrations.Migration):
    dependencies = [("search", "0008_listing_name_in_dictionary_order")]

    operations = [migrations.RunPython(create, drop)]

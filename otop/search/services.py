"""Writes of the search index: called by the catalog and committee flows (and a signal), and by
`manage.py rebuild_search_index`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Min, Q

from otop.catalog.models import Product
from otop.core.collation import thai_sort_key_sql
from otop.search.models import ListingEntry, ProductDocument, SearchTerm
from otop.search.spelling import is_vocabulary_word, vocabulary_changed
from otop.search.text import LOOSE_MARK, Tokens, analyse, words_of

BATCH = 1000


def _document(product: Product, min_price: Decimal | None) -> ProductDocument:
    name = Tokens()
    for text in (product.name_th, product.name_en, product.sku, product.code):
        name.extend(analyse(text))
    for variant in product.variants.all():
        if variant.is_active:
            name.extend(analyse(f"{variant.name_th} {variant.name_en} {variant.sku}"))
    body = Tokens()
    district = product.producer.district
    province = product.producer.province
    for text in (
        product.description_th,
        product.description_en,
        product.category.name_th,
        product.category.name_en,
        product.producer.name_th,
        product.producer.name_en,
        district.name_th,
        district.name_en,
        province.name_th,
        province.name_en,
        product.gi_name,
    ):
        body.extend(analyse(text))
    head, words = name_head(product.name_th, product.name_en)
    return ProductDocument(
        product_id=product.pk,
        name_head=head,
        name_words=words,
        name=" ".join(dict.fromkeys(name.exact)),
        body=" ".join(dict.fromkeys(body.exact)),
        name_loose=" ".join(dict.fromkeys(name.loose)),
        body_loose=" ".join(dict.fromkeys(body.loose)),
        is_listed=product.status == Product.Status.LISTED,
        category_code=product.category.code,
        district_code=district.code,
        min_price=min_price,
        stars=product.otop_stars,
    )


def name_head(name_th: str, name_en: str) -> tuple[str, int]:
    """The forms of the head words of a product's names (" w1 w2 … ") and the Thai name's word count.

    A Thai noun phrase puts its head first (พวงกุญแจผ้าไหม is a keyring), an English one last
    ("Silk keyring"; the English demo names add a style after a comma): a query equal to the head
    asks for this kind of thing, not for something made of it.
    """
    thai = words_of(name_th)
    english = words_of(name_en.split(",")[0])
    forms: list[str] = []
    if thai:
        tokens = analyse(thai[0])
        forms += tokens.exact + tokens.loose
    if english:
        forms += analyse(english[-1]).exact
    head = " ".join(dict.fromkeys(form for form in forms if form))
    while len(head) > 298:
        head = head.rsplit(" ", 1)[0]
    return (f" {head} " if head else ""), min(len(thai), 32767)


def _products(product_ids: list[int]):
    return (
        Product.objects.filter(pk__in=product_ids)
        .select_related("category", "producer__district", "producer__province")
        .prefetch_related("variants")
        .annotate(min_price=Min("variants__price", filter=Q(variants__is_active=True)))
    )


# SQLite's name index (migration 0007) keys each product by its rank: fewer name words first, then
# the older product, so that FTS5 walks a name tier's matches best first and stops at the page.
RANK_SHIFT = 4294967296


def names_rowid(*, product_id: int, name_words: int) -> int:
    return name_words * RANK_SHIFT + product_id


def _write_fts(documents: list[ProductDocument], removed_ids: list[int], old_ranks: list[tuple[int, int]]) -> None:
    if connection.vendor != "sqlite":
        return  # PostgreSQL's tsvector is a generated column of the document table.
    ids = [d.product_id for d in documents] + removed_ids
    old_rowids = [names_rowid(product_id=pk, name_words=words) for pk, words in old_ranks]
    # A deleted product's document is gone with it (cascade), and its rank with it: every rank it may have had.
    most_words = Product._meta.get_field("name_th").max_length
    old_rowids += [
        names_rowid(product_id=pk, name_words=words)
        for pk in removed_ids
        if pk is not None
        for words in range(most_words + 1)
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({','.join(['%s'] * len(chunk))})", chunk)
        for start in range(0, len(old_rowids), 500):
            chunk = old_rowids[start : start + 500]
            cursor.execute(f"DELETE FROM search_names WHERE rowid IN ({','.join(['%s'] * len(chunk))})", chunk)
        cursor.executemany(
            "INSERT INTO search_fts(rowid, name, body, name_loose, body_loose) VALUES (%s, %s, %s, %s, %s)",
            [(d.product_id, d.name, d.body, d.name_loose, d.body_loose) for d in documents],
        )
        cursor.executemany(
            "INSERT INTO search_names(rowid, name, name_loose, head, flags) VALUES (%s, %s, %s, %s, %s)",
            [
                (
                    names_rowid(product_id=d.product_id, name_words=d.name_words),
                    d.name,
                    d.name_loose,
                    d.name_head,
                    "listed" if d.is_listed else "",
                )
                for d in documents
            ],
        )


# PostgreSQL ranks name matches on this vector (see ListingEntry; the query side is in selectors). Loose
# forms carry the mark LOOSE_MARK in front, as in the document column (migration 0004 says why).
NAMES_VECTOR = (
    "setweight(to_tsvector('simple', d.name), 'A') || "
    f"setweight(to_tsvector('simple', regexp_replace(d.name_loose, '(\\S+)', '{LOOSE_MARK}\\1', 'g')), 'C')"
)


# PostgreSQL's name postings (migration 0009): a row per lexeme of the listing entry's name vector and
# one per form of its head word, each with the product's rank keys, for the ranked walk of a name tier.
NAME_POSTINGS_FILL = (
    "INSERT INTO search_namepostings (term, is_listed, is_head, name_words, product_id) "
    "SELECT lexeme, e.is_listed, false, e.name_words, e.product_id "
    "FROM search_listingentry e, unnest(tsvector_to_array(e.names)) lexeme WHERE e.product_id IN ({ids}) "
    "UNION ALL SELECT DISTINCT head, e.is_listed, true, e.name_words, e.product_id "
    "FROM search_listingentry e, unnest(string_to_array(btrim(e.name_head), ' ')) head "
    "WHERE head <> '' AND e.product_id IN ({ids})"
)


def _write_listing(product_ids: list[int]) -> None:
    """Copy the filter and sort values (and on PostgreSQL the name vector and the name postings) of these
    documents to their listing entries, in the database: the vector is built by the same function as
    the document's, and the postings from the vector."""
    ListingEntry.objects.filter(product_id__in=product_ids).delete()
    if not product_ids:
        return
    postgres = connection.vendor == "postgresql"
    marks = ", ".join(["%s"] * len(product_ids))
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM search_namepostings WHERE product_id IN ({marks})", product_ids)
    columns = (
        "product_id, is_listed, category_code, district_code, min_price, stars, sort_name, sort_name_en, "
        "name_head, name_words"
    )
    sort_name, sort_params = thai_sort_key_sql("p.name_th", vendor=connection.vendor)
    sort_name_en, sort_params_en = thai_sort_key_sql(
        "COALESCE(NULLIF(p.name_en, ''), p.name_th)", vendor=connection.vendor
    )
    values = (
        f"d.product_id, d.is_listed, d.category_code, d.district_code, d.min_price, d.stars, {sort_name}, "
        f"{sort_name_en}, d.name_head, d.name_words"
    )
    if postgres:
        columns, values = f"{columns}, names", f"{values}, {NAMES_VECTOR}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO search_listingentry ({columns}) SELECT {values} "
            "FROM search_productdocument d JOIN catalog_product p ON p.id = d.product_id "
            f"WHERE d.product_id IN ({marks})",
            [*sort_params, *sort_params_en, *product_ids],
        )
        if postgres:
            cursor.execute(NAME_POSTINGS_FILL.format(ids=marks), [*product_ids, *product_ids])


@transaction.atomic
def index_products(*, product_ids: Iterable[int]) -> int:
    """Bring the search documents of some products up to date (deleted products leave the index)."""
    wanted = sorted(set(product_ids))
    indexed = 0
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        products = list(_products(chunk))
        documents = [_document(product, product.min_price) for product in products]
        found = {d.product_id for d in documents}
        missing = [pk for pk in chunk if pk not in found]
        old_ranks = list(ProductDocument.objects.filter(product_id__in=chunk).values_list("product_id", "name_words"))
        old_terms = _terms_of(
            ProductDocument.objects.filter(product_id__in=chunk).values_list("name", "body", "product__code")
        )
        ProductDocument.objects.filter(product_id__in=chunk).delete()
        ProductDocument.objects.bulk_create(documents)
        codes = {product.pk: product.code for product in products}
        _count_terms(old=old_terms, new=_terms_of((d.name, d.body, codes[d.product_id]) for d in documents))
        _write_fts(documents, missing, old_ranks)
        _write_listing(chunk)
        indexed += len(documents)
    return indexed


def _terms_of(rows) -> Counter:
    """Count, per term, documents having it (index 0) and having it in the name (index 1).

    Rows: (name tokens, description tokens, product code). A product's own short code is no word.
    """
    counts: Counter = Counter()
    for name, body, code in rows:
        in_name = {term for term in name.split() if is_vocabulary_word(term)}
        in_name.discard((code or "").lower())
        for term in in_name | {term for term in body.split() if is_vocabulary_word(term)}:
            counts[(term, 0)] += 1
        for term in in_name:
            counts[(term, 1)] += 1
    return counts


def _count_terms(*, old: Counter, new: Counter) -> None:
    """Move the vocabulary's counts from the old documents' terms to the new ones'."""
    changed = {term for (term, _kind), count in (new - old).items() if count} | {
        term for (term, _kind), count in (old - new).items() if count
    }
    if not changed:
        return
    existing = {t.term: t for t in SearchTerm.objects.filter(term__in=changed)}
    upserts, gone = [], []
    for term in changed:
        before = existing.get(term) or SearchTerm(term=term)
        row = SearchTerm(  # without the primary key: inserted or updated by the term
            term=term,
            documents=max(0, before.documents + new[(term, 0)] - old[(term, 0)]),
            in_names=max(0, before.in_names + new[(term, 1)] - old[(term, 1)]),
        )
        (upserts if row.documents else gone).append(row)
    SearchTerm.objects.filter(term__in=[row.term for row in gone]).delete()
    SearchTerm.objects.bulk_create(
        upserts, batch_size=500, update_conflicts=True, unique_fields=["term"], update_fields=["documents", "in_names"]
    )
    vocabulary_changed()


def index_product(*, product_id: int) -> None:
    index_products(product_ids=[product_id])


def rebuild_search_index() -> int:
    """Index every product again from scratch; returns how many were indexed."""
    with transaction.atomic():
        ProductDocument.objects.all().delete()
        ListingEntry.objects.all().delete()
        SearchTerm.objects.all().delete()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM search_fts")
                cursor.execute("DELETE FROM search_names")
        else:
            with connection.cursor() as cursor:
                cursor.execute("TRUNCATE search_namepostings")
    ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
    total = 0
    for start in range(0, len(ids), BATCH * 5):
        total += index_products(product_ids=ids[start : start + BATCH * 5])
    return total


def index_missing_products() -> int:
    """Index the products that have no search document yet (after bulk loads)."""
    ids = list(Product.objects.filter(search_document__isnull=True).order_by("pk").values_list("pk", flat=True))
    total = 0
    for start in range(0, len(ids), BATCH * 5):
        total += index_products(product_ids=ids[start : start + BATCH * 5])
    return total

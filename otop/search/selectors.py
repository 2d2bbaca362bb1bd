"""Search the catalogue: `search_products` for result lists (storefront, API, POS), `suggest` for
search-as-you-type. Relevance: a word in the name outweighs one in the description, and an exact
form outweighs a loose one (tone marks missing, soundex)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Min, Q

from otop.catalog.models import Product, Variant
from otop.catalog.selectors import sellable_variants
from otop.search.text import LOOSE_MARK, QueryTerm, query_terms

# bm25 / ts_rank weights of the columns name, body, name_loose, body_loose.
SQLITE_WEIGHTS = (10.0, 2.0, 1.0, 0.3)
POSTGRES_WEIGHTS = "{0.03, 0.1, 0.2, 1.0}"  # order D, C, B, A as PostgreSQL wants it


@dataclass(frozen=True)
class SearchFilters:
    category: str = ""
    district: str = ""
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    min_stars: int | None = None
    listed_only: bool = True


@dataclass(frozen=True)
class ProductHit:
    product: Product  # with category, producer and district loaded
    price: Decimal | None  # lowest active variant price
    score: float

    @property
    def code(self) -> str:
        return self.product.code

    @property
    def sku(self) -> str:
        return self.product.sku


@dataclass(frozen=True)
class Suggestion:
    code: str
    name_th: str
    name_en: str


def _fts5_string(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _fts5_query(terms: list[QueryTerm]) -> str:
    parts = []
    for term in terms:
        star = " *" if term.prefix else ""
        exact = " OR ".join(_fts5_string(t) + star for t in term.exact)
        alternatives = [f"({{name body}} : ({exact}))"]
        if term.loose:
            loose = " OR ".join(_fts5_string(t) + star for t in term.loose)
            alternatives.append(f"({{name_loose body_loose}} : ({loose}))")
        parts.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(parts)


def _tsquery_lexeme(token: str, prefix: bool) -> str:
    # The document's 'simple' parser lowercases (soundex codes such as ซE300 become ซe300).
    escaped = token.lower().replace("\\", "\\\\").replace("'", "''")
    return f"'{escaped}'{':*' if prefix else ''}"


def _tsquery(terms: list[QueryTerm], *, exact: bool = True, loose: bool = True) -> str:
    """The tsquery of these terms with their exact forms, their loose forms (marked), or both.

    Empty when some term has no form left: nothing can match. No weights: loose forms are told
    apart by their mark and name from description by the tiers, so the index answers exactly and
    PostgreSQL never fetches a document to recheck it.
    """
    parts = []
    for term in terms:
        alternatives = [_tsquery_lexeme(t, term.prefix) for t in term.exact if exact]
        alternatives += [_tsquery_lexeme(LOOSE_MARK + t, term.prefix) for t in term.loose if loose]
        if not alternatives:
            return ""
        parts.append("(" + " | ".join(alternatives) + ")")
    return " & ".join(parts)


def _filter_sql(filters: SearchFilters, alias: str) -> tuple[str, list]:
    clauses, params = [], []
    if filters.listed_only:
        clauses.append(f"{alias}.is_listed = %s")
        params.append(True)
    if filters.category:
        clauses.append(f"{alias}.category_code = %s")
        params.append(filters.category)
    if filters.district:
        clauses.append(f"{alias}.district_code = %s")
        params.append(filters.district)
    if filters.min_price is not None:
        clauses.append(f"{alias}.min_price >= %s")
        params.append(filters.min_price)
    if filters.max_price is not None:
        clauses.append(f"{alias}.min_price <= %s")
        params.append(filters.max_price)
    if filters.min_stars:
        clauses.append(f"{alias}.stars >= %s")
        params.append(filters.min_stars)
    return "".join(f" AND {c}" for c in clauses), params


def ranked_product_ids(
    query: str, *, limit: int, offset: int = 0, filters: SearchFilters | None = None, prefix_last: bool = False
) -> list[tuple[int, float]]:
    """Return (product id, score) best first; higher score is better on both databases."""
    terms = query_terms(query, prefix_last=prefix_last)
    if not terms or limit <= 0:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            where, params = _filter_sql(filters or SearchFilters(), "d")
            weights = ", ".join(str(w) for w in SQLITE_WEIGHTS)
            cursor.execute(
                f"SELECT d.product_id, -bm25(search_fts, {weights}) AS score FROM search_fts "
                "JOIN search_productdocument d ON d.product_id = search_fts.rowid "
                f"WHERE search_fts MATCH %s{where} ORDER BY bm25(search_fts, {weights}), d.product_id "
                "LIMIT %s OFFSET %s",
                [_fts5_query(terms), *params, limit, offset],
            )
            return [(row[0], float(row[1])) for row in cursor.fetchall()]
        return _postgres_ranked(cursor, terms, filters or SearchFilters(), limit=limit, offset=offset)


# PostgreSQL ranks in tiers, best first: (vector, exact forms, loose forms). A tier is read only when
# the ones before it gave fewer results than the page needs, and leaves out what they found.
POSTGRES_TIERS = (
    ("names", True, False),  # the name, spelled as asked
    ("document", True, False),  # the description, spelled as asked (name matches are already in hand)
    ("names", False, True),  # the name, loosely (tone marks missing, sounds alike)
    ("document", True, True),  # anything else: a mix of places and forms
)
# The newest products a description tier looks through before it asks the index (see below).
RECENT_WINDOW = 1000


def _postgres_ranked(
    cursor, terms: list[QueryTerm], filters: SearchFilters, *, limit: int, offset: int
) -> list[tuple[int, float]]:
    """Rank on PostgreSQL tier by tier (POSTGRES_TIERS); tier t scores in [3 - t, 4 - t).

    The name tiers read the narrow listing entries, whose name vectors sit in the row, and order
    by ts_rank. A document's vector is kept out of line: ranking every match of a word found in
    thousands of descriptions took a third of a second at 100,000 products. The description tiers
    list the newest matches first and all score the same.
    """
    wanted = offset + limit
    ranked: list[tuple[int, float]] = []
    for tier, (vector, exact, loose) in enumerate(POSTGRES_TIERS):
        tsquery = _tsquery(terms, exact=exact, loose=loose)
        if tsquery:
            score = 3 - tier
            find = _ranked_names if vector == "names" else _newest_documents
            found = find(cursor, tsquery, filters, [pk for pk, _ in ranked], wanted - len(ranked))
            ranked += [(pk, score + rank / (1 + rank)) for pk, rank in found]
            if len(ranked) >= wanted:
                break
    return ranked[offset:wanted]


def _excluding(alias: str, found: list[int]) -> str:
    return f" AND {alias}.product_id NOT IN ({', '.join(['%s'] * len(found))})" if found else ""


def _ranked_names(cursor, tsquery: str, filters: SearchFilters, found: list[int], count: int) -> list:
    where, params = _filter_sql(filters, "e")
    cursor.execute(
        f"SELECT e.product_id, ts_rank('{POSTGRES_WEIGHTS}'::float4[], e.names, q) AS rank "
        "FROM search_listingentry e, CAST(%s AS tsquery) q "
        f"WHERE e.names @@ q{where}{_excluding('e', found)} ORDER BY rank DESC, e.product_id LIMIT %s",
        [tsquery, *params, *found, count],
    )
    return cursor.fetchall()


def _newest_documents(cursor, tsquery: str, filters: SearchFilters, found: list[int], count: int) -> list:
    """The newest matching documents. A word in most descriptions is found among the newest few
    products at once; a rarer one through the index, which then returns few rows. Asking the
    planner to choose went wrong both ways (a whole-table walk for a word no one has)."""
    where, params = _filter_sql(filters, "d")
    where, params = where + _excluding("d", found), [*params, *found]
    cursor.execute(
        "SELECT d.product_id, 0 FROM ("
        f"  SELECT * FROM search_productdocument ORDER BY product_id DESC LIMIT {RECENT_WINDOW}"
        f") d WHERE d.document @@ CAST(%s AS tsquery){where} ORDER BY d.product_id DESC LIMIT %s",
        [tsquery, *params, count],
    )
    rows = cursor.fetchall()
    if len(rows) == count:
        return rows  # every older match comes after these
    cursor.execute(  # product_id + 0: order after the index scan rather than walk the primary key
        f"SELECT d.product_id, 0 FROM search_productdocument d WHERE d.document @@ CAST(%s AS tsquery){where} "
        "ORDER BY d.product_id + 0 DESC LIMIT %s",
        [tsquery, *params, count],
    )
    return cursor.fetchall()


def search_products(
    query: str, *, limit: int = 20, offset: int = 0, filters: SearchFilters | None = None
) -> list[ProductHit]:
    """Return the products matching a Thai or English query, most relevant first."""
    ranked = ranked_product_ids(query, limit=min(limit, 100), offset=offset, filters=filters)
    if not ranked:
        return []
    products = {
        p.pk: p
        for p in Product.objects.filter(pk__in=[pk for pk, _score in ranked])
        .select_related("category", "producer__district")
        .annotate(
            min_price=Min("variants__price", filter=Q(variants__is_active=True)),
            default_variant_id=Min("variants__pk", filter=Q(variants__is_active=True, variants__is_default=True)),
        )
    }
    return [
        ProductHit(product=products[pk], price=products[pk].min_price, score=score)
        for pk, score in ranked
        if pk in products
    ]


def suggest(query: str, limit: int = 8) -> list[Suggestion]:
    """Return product names for search-as-you-type (the last word may be unfinished)."""
    ranked = ranked_product_ids(query, limit=limit * 3, prefix_last=True)
    if not ranked:
        return []
    rows = {
        row["pk"]: row
        for row in Product.objects.filter(pk__in=[pk for pk, _ in ranked]).values("pk", "code", "name_th", "name_en")
    }
    suggestions: list[Suggestion] = []
    seen: set[str] = set()
    for pk, _score in ranked:
        row = rows.get(pk)
        if row is None or row["name_th"] in seen:
            continue
        seen.add(row["name_th"])
        suggestions.append(Suggestion(code=row["code"], name_th=row["name_th"], name_en=row["name_en"]))
        if len(suggestions) == limit:
            break
    return suggestions


def search_variants(query: str, *, limit: int = 20) -> list[Variant]:
    """Return the sellable variants of the best-matching products (the register's name search).

    The last word may be unfinished, as the cashier is still typing.
    """
    ranked = ranked_product_ids(query, limit=limit, prefix_last=True)
    if not ranked:
        return []
    order = {pk: position for position, (pk, _score) in enumerate(ranked)}
    variants = sellable_variants().filter(product_id__in=order).select_related("product")
    return sorted(variants, key=lambda v: (order[v.product_id], v.sort_order, v.pk))[:limit]

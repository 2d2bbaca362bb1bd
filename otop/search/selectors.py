"""Search the catalogue: `search_products` for result lists (storefront, API, POS), `suggest` for
search-as-you-type. Relevance: a word in the name outweighs one in the description, and an exact
form outweighs a loose one (tone marks missing, soundex)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from otop.catalog.models import Product, Variant
from otop.catalog.selectors import sellable_variants
from otop.search.services import RANK_SHIFT
from otop.search.spelling import Correction, correct, vocabulary
from otop.search.text import LOOSE_MARK, THAI_OR_LATIN, QueryTerm, query_terms, words_of


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


def _fts5_query(terms: list[QueryTerm], *, names_only: bool, loose: bool) -> str:
    """FTS5 query of a tier: every term by its exact forms in the chosen columns, or (loose) by its
    exact or loose forms."""
    exact_columns = "{name}" if names_only else "{name body}"
    loose_columns = "{name_loose}" if names_only else "{name_loose body_loose}"
    parts = []
    for term in terms:
        star = " *" if term.prefix else ""
        alternatives = [f"({exact_columns} : ({' OR '.join(_fts5_string(t) + star for t in term.exact)}))"]
        if loose and term.loose:
            forms = " OR ".join(_fts5_string(t) + star for t in term.loose)
            alternatives.append(f"({loose_columns} : ({forms}))")
        parts.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(parts)


def _tsquery_lexeme(token: str, prefix: bool) -> str:
    # The document's 'simple' parser lowercases (soundex codes such as ซE300 become ซe300).
    escaped = token.lower().replace("\\", "\\\\").replace("'", "''")
    return f"'{escaped}'{':*' if prefix else ''}"


def _tsquery(terms: list[QueryTerm], *, loose: bool) -> str:
    """The tsquery of these terms by their exact forms, or (loose) by their exact or loose forms.

    No weights: loose forms are told apart by their mark and names from descriptions by the vector
    asked (names or document), so the index answers exactly and PostgreSQL never fetches a
    document to recheck it.
    """
    parts = []
    for term in terms:
        alternatives = [_tsquery_lexeme(t, term.prefix) for t in term.exact]
        alternatives += [_tsquery_lexeme(LOOSE_MARK + t, term.prefix) for t in term.loose if loose]
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


# Tiers, best first, the same on both databases: (names only, loose forms too). A tier is read only
# when the ones before it gave fewer results than the page needs, and leaves out what they found.
TIERS = (
    (True, False),  # every word in the name, spelled as asked
    (False, False),  # every word in the name or the description, spelled as asked
    (True, True),  # every word in the name, loosely (tone marks missing, sounds alike)
    (False, True),  # anything else: a mix of places and forms
)
# The newest products a description tier looks through before it asks the index (see below).
RECENT_WINDOW = 1000


def ranked_product_ids(
    query: str, *, limit: int, offset: int = 0, filters: SearchFilters | None = None, prefix_last: bool = False
) -> list[tuple[int, float]]:
    """Return (product id, score) best first, in the same order on SQLite and PostgreSQL.

    Tier by tier (TIERS); tier t scores in (3 - t, 4 - t]. Within a name tier: a name whose head
    word is the query's first word first (see services.name_head), then shorter names (a name equal
    to the query before longer ones containing it), then the oldest product. Within a description
    tier the newest product first.
    """
    terms = query_terms(query, prefix_last=prefix_last)
    if not terms or limit <= 0:
        return []
    filters = filters or SearchFilters()
    wanted = offset + limit
    ranked: list[tuple[int, float]] = []
    head_forms = [form for form in (*terms[0].exact, *terms[0].loose) if not terms[0].prefix] or list(terms[0].exact)
    # A word no document has exactly (a misspelling) cannot match an exact tier: skip those queries.
    words = vocabulary()
    exact_possible = all(term.prefix or any(words.may_have(form) for form in term.exact) for term in terms)
    with connection.cursor() as cursor:
        for tier, (names_only, loose) in enumerate(TIERS):
            if not loose and not exact_possible:
                continue
            found = [pk for pk, _ in ranked]
            count = wanted - len(ranked)
            if connection.vendor == "sqlite":
                match = _fts5_query(terms, names_only=names_only, loose=loose)
                if names_only and _only_listing(filters):
                    ids = _sqlite_ranked_names(
                        cursor, match, head_forms, filters.listed_only, found, count, prefix=terms[0].prefix
                    )
                elif names_only:
                    ids = _sqlite_names(cursor, match, head_forms, filters, found, count, prefix=terms[0].prefix)
                else:
                    ids = _sqlite_newest(cursor, match, filters, found, count)
            else:
                tsquery = _tsquery(terms, loose=loose)
                if names_only and _walks(terms, filters):
                    ids = _postgres_ranked_names(cursor, terms[0], head_forms, loose=loose, found=found, count=count)
                elif names_only:
                    ids = _postgres_names(cursor, tsquery, head_forms, filters, found, count, prefix=terms[0].prefix)
                else:
                    ids = _postgres_newest(cursor, tsquery, filters, found, count)
            ranked += [(pk, 4 - tier - position / (position + 1000)) for position, pk in enumerate(ids)]
            if len(ranked) >= wanted:
                break
    return ranked[offset:wanted]


def _excluding(alias: str, found: list[int]) -> str:
    return f" AND {alias}.product_id NOT IN ({', '.join(['%s'] * len(found))})" if found else ""


def _head_order(forms: list[str], *, prefix: bool) -> tuple[str, list[str]]:
    """ORDER BY terms putting first the names whose head word is one of these forms (see name_head)."""
    tests = " OR ".join(["e.name_head LIKE %s"] * len(forms))
    patterns = [f"% {form.lower()}{'' if prefix else ' '}%" for form in forms]
    return f"CASE WHEN {tests} THEN 0 ELSE 1 END, e.name_words, e.product_id", patterns


def _only_listing(filters: SearchFilters) -> bool:
    """Whether the filters ask for nothing but listed products (or everything): the common search."""
    return not (
        filters.category
        or filters.district
        or filters.min_price is not None
        or filters.max_price is not None
        or filters.min_stars
    )


def _sqlite_ranked_names(cursor, match: str, head_forms, listed_only: bool, found, count, *, prefix: bool) -> list[int]:
    """A name tier from the ranked name index (migration search 0007): the names headed by the query's
    first word, then the others, each walked in rowid order (fewer words, then older) up to the page."""
    star = " *" if prefix else ""
    head = "({head} : (" + " OR ".join(_fts5_string(form.lower()) + star for form in head_forms) + "))"
    wanted = f'(({match}) AND {{flags}} : "listed")' if listed_only else f"({match})"
    excluded = f" AND rowid & {RANK_SHIFT - 1} NOT IN ({', '.join(['%s'] * len(found))})" if found else ""
    ids: list[int] = []
    for query in (f"{wanted} AND {head}", f"{wanted} NOT {head}"):
        if len(ids) >= count:
            break
        cursor.execute(
            f"SELECT rowid & {RANK_SHIFT - 1} FROM search_names WHERE search_names MATCH %s{excluded} "
            "ORDER BY rowid LIMIT %s",
            [query, *found, count - len(ids)],
        )
        ids += [row[0] for row in cursor.fetchall()]
    return ids


def _sqlite_names(cursor, match: str, head_forms, filters, found, count, *, prefix: bool) -> list[int]:
    where, params = _filter_sql(filters, "e")
    order, order_params = _head_order(head_forms, prefix=prefix)
    cursor.execute(
        "SELECT e.product_id FROM search_fts JOIN search_listingentry e ON e.product_id = search_fts.rowid "
        f"WHERE search_fts MATCH %s{where}{_excluding('e', found)} ORDER BY {order} LIMIT %s",
        [match, *params, *found, *order_params, count],
    )
    return [row[0] for row in cursor.fetchall()]


def _sqlite_newest(cursor, match: str, filters, found, count) -> list[int]:
    where, params = _filter_sql(filters, "e")
    cursor.execute(
        "SELECT e.product_id FROM search_fts JOIN search_listingentry e ON e.product_id = search_fts.rowid "
        f"WHERE search_fts MATCH %s{where}{_excluding('e', found)} ORDER BY search_fts.rowid DESC LIMIT %s",
        [match, *params, *found, count],
    )
    return [row[0] for row in cursor.fetchall()]


def _posting_forms(term: QueryTerm, *, loose: bool) -> list[str]:
    """The lexemes a term matches in a tier, as _tsquery asks for them."""
    forms = [form.lower() for form in term.exact]
    if loose:
        forms += [LOOSE_MARK + form.lower() for form in term.loose]
    return list(dict.fromkeys(forms))


def _postgres_walk(cursor, forms: list[str], *, head: bool, check: list[str], found, count) -> list[int]:
    """The listed products, best first, with a posting of these forms (head-word rows when head, else name
    lexemes) and, when check is given, a name lexeme among check, up to count.

    Each form is walked on its own from the index, already in rank order, and stops at count rows; the
    walks are then merged. The check is one probe of the product's own postings per row (a subquery, so
    that the walk stops at the page instead of joining every match).
    """
    tests, test_params = [], []
    if check:
        tests.append(
            "(SELECT true FROM search_namepostings q WHERE q.product_id = w.product_id AND q.term = ANY(%s) "
            "AND NOT q.is_head LIMIT 1)"
        )
        test_params.append(check)
    if found:
        tests.append("w.product_id <> ALL(%s)")
        test_params.append(list(found))
    checked = "".join(f" AND {test}" for test in tests)
    parts, params = [], []
    for form in forms:
        parts.append(
            "(SELECT w.name_words, w.product_id FROM search_namepostings w WHERE w.term = %s AND w.is_listed "
            f"AND w.is_head = {'true' if head else 'false'}{checked} ORDER BY w.name_words, w.product_id LIMIT %s)"
        )
        params += [form, *test_params, count]
    cursor.execute(
        f"SELECT product_id FROM ({' UNION ALL '.join(parts)}) walks ORDER BY name_words, product_id", params
    )
    # A product found through two forms comes twice; each walk alone has count products, or all it has.
    return list(dict.fromkeys(row[0] for row in cursor.fetchall()))[:count]


def _walks(terms: list[QueryTerm], filters: SearchFilters) -> bool:
    """Whether a PostgreSQL name tier walks the name postings: one whole word over the listed products.

    Measured at 100,000 products: a prefix's range of terms has to be sorted whole, which cost more than
    the GIN index; several words are left to GIN as _postgres_ranked_names says."""
    return len(terms) == 1 and not terms[0].prefix and _only_listing(filters) and filters.listed_only


def _postgres_ranked_names(cursor, term: QueryTerm, head_forms, *, loose: bool, found, count) -> list[int]:
    """A name tier of one whole word over the listed products, from the name postings
    (migration search 0009), in the order of _head_order: the names headed by the word, then the others,
    each walked in rank order (fewer words, then older) up to the page, as SQLite walks its ranked name
    index. Several words go to the GIN index (_postgres_names), which intersects their lists at once:
    walking a common word in rank order for the few names that also have a rarer one reads every
    posting of the common word."""
    heads = list(dict.fromkeys(form.lower() for form in head_forms))
    forms = _posting_forms(term, loose=loose)
    ids = _postgres_walk(cursor, heads, head=True, check=forms, found=found, count=count)
    if len(ids) < count:
        ids += _postgres_walk(cursor, forms, head=False, check=[], found=[*found, *ids], count=count - len(ids))
    return ids


def _postgres_names(cursor, tsquery: str, head_forms, filters, found, count, *, prefix: bool) -> list[int]:
    """Name tiers read the narrow listing entries, whose name vectors sit in the row."""
    where, params = _filter_sql(filters, "e")
    order, order_params = _head_order(head_forms, prefix=prefix)
    cursor.execute(
        "SELECT e.product_id FROM search_listingentry e "
        f"WHERE e.names @@ CAST(%s AS tsquery){where}{_excluding('e', found)} ORDER BY {order} LIMIT %s",
        [tsquery, *params, *found, *order_params, count],
    )
    return [row[0] for row in cursor.fetchall()]


def _postgres_newest(cursor, tsquery: str, filters, found, count) -> list[int]:
    """The newest matching documents. A word in most descriptions is found among the newest few
    products at once; a rarer one through the index, which then returns few rows. Asking the
    planner to choose went wrong both ways (a whole-table walk for a word no one has)."""
    where, params = _filter_sql(filters, "d")
    where, params = where + _excluding("d", found), [*params, *found]
    cursor.execute(
        "SELECT d.product_id FROM ("
        f"  SELECT * FROM search_productdocument ORDER BY product_id DESC LIMIT {RECENT_WINDOW}"
        f") d WHERE d.document @@ CAST(%s AS tsquery){where} ORDER BY d.product_id DESC LIMIT %s",
        [tsquery, *params, count],
    )
    rows = cursor.fetchall()
    if len(rows) < count:  # every older match comes after these
        cursor.execute(  # product_id + 0: order after the index scan rather than walk the primary key
            f"SELECT d.product_id FROM search_productdocument d WHERE d.document @@ CAST(%s AS tsquery){where} "
            "ORDER BY d.product_id + 0 DESC LIMIT %s",
            [tsquery, *params, count],
        )
        rows = cursor.fetchall()
    return [row[0] for row in rows]


@dataclass(frozen=True)
class SearchResult:
    hits: list[ProductHit]
    query: str  # the query these hits answer: the one typed, or its correction
    typed: str  # the query as typed

    @property
    def is_corrected(self) -> bool:
        return self.query != self.typed


# Fewer matches than this and a misspelled query is corrected (when the correction finds more).
FEW = 3


def _answer(
    query: str, *, limit: int, offset: int, filters: SearchFilters | None
) -> tuple[str, list[tuple[int, float]]]:
    """The query to answer and its page: as typed, or corrected when as typed (exact and loose forms)
    it finds fewer than FEW products and the correction finds more."""
    ranked = ranked_product_ids(query, limit=limit, offset=offset, filters=filters)
    found = len(ranked) if offset == 0 and limit >= FEW else len(ranked_product_ids(query, limit=FEW, filters=filters))
    if found >= FEW:
        return query, ranked
    correction = correct(query)
    if correction is None:
        correction = _relaxed(query, filters) if not found else None
        if correction is None:
            return query, ranked
    if offset == 0 and limit >= FEW:
        corrected = ranked_product_ids(correction.query, limit=limit, filters=filters)
        if len(corrected) > found:
            return correction.query, corrected
        return query, ranked
    if len(ranked_product_ids(correction.query, limit=FEW, filters=filters)) > found:
        return correction.query, ranked_product_ids(correction.query, limit=limit, offset=offset, filters=filters)
    return query, ranked


def _relaxed(query: str, filters: SearchFilters | None) -> Correction | None:
    """The query without the words that no product has, when it has other words (ผ้าไหม ราคาถูก → ผ้าไหม)."""
    words = list(dict.fromkeys(words_of(query)))
    if len(words) < 2:
        return None
    kept = [word for word in words if ranked_product_ids(word, limit=1, filters=filters)]
    if not kept or len(kept) == len(words):
        return None
    return Correction(query=" ".join(kept), cost=float(len(words) - len(kept)))


def search(query: str, *, limit: int = 20, offset: int = 0, filters: SearchFilters | None = None) -> SearchResult:
    """Return the products matching a Thai or English query, most relevant first, correcting
    misspelled words with the index's own vocabulary when the query as typed finds too little."""
    query = " ".join(query.split())[:200]
    answered, ranked = _answer(query, limit=min(limit, 100), offset=offset, filters=filters)
    return SearchResult(hits=_hits(ranked), query=answered, typed=query)


def search_products(
    query: str, *, limit: int = 20, offset: int = 0, filters: SearchFilters | None = None
) -> list[ProductHit]:
    """Return the products matching a Thai or English query, most relevant first (misspellings corrected)."""
    return search(query, limit=limit, offset=offset, filters=filters).hits


def _hits(ranked: list[tuple[int, float]]) -> list[ProductHit]:
    """The page's products with their lowest active price and default variant, in two plain queries
    (a GROUP BY over the joined product rows cost more than the search itself)."""
    if not ranked:
        return []
    ids = [pk for pk, _score in ranked]
    products = {p.pk: p for p in Product.objects.filter(pk__in=ids).select_related("category", "producer__district")}
    prices: dict[int, Decimal] = {}
    defaults: dict[int, int] = {}
    for product_id, variant_id, price, is_default in Variant.objects.filter(
        product_id__in=ids, is_active=True
    ).values_list("product_id", "pk", "price", "is_default"):
        if product_id not in prices or price < prices[product_id]:
            prices[product_id] = price
        if is_default and (product_id not in defaults or variant_id < defaults[product_id]):
            defaults[product_id] = variant_id
    for pk, product in products.items():
        product.min_price = prices.get(pk)
        product.default_variant_id = defaults.get(pk)
    return [
        ProductHit(product=products[pk], price=products[pk].min_price, score=score)
        for pk, score in ranked
        if pk in products
    ]


def suggest(query: str, limit: int = 8) -> list[Suggestion]:
    """Return product names for search-as-you-type (the last word may be unfinished).

    As tolerant as the search: when nothing starts so, the query is corrected, then its unfinished
    last word is completed with one typo forgiven (ไส้กลอ → ไส้กรอก).
    """
    ranked = ranked_product_ids(query, limit=limit * 3, prefix_last=True)
    if not ranked:
        correction = correct(query)
        if correction is not None:
            ranked = ranked_product_ids(correction.query, limit=limit * 3, prefix_last=True)
    if not ranked:
        words = THAI_OR_LATIN.findall(query)
        completion = vocabulary().complete(words[-1]) if words else None
        if completion is not None:
            completed = query[: query.rfind(words[-1])] + " " + completion.term
            ranked = ranked_product_ids(completed, limit=limit * 3)
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

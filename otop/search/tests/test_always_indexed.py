"""Every path that changes products leaves the search index current when its transaction commits."""

from __future__ import annotations

from decimal import Decimal

from django.core.management import call_command
from django.db import connection, transaction

from otop.catalog import services as catalog_services
from otop.catalog.csvio import COLUMNS
from otop.catalog.models import Category, Product
from otop.catalog.tests.factories import ProducerFactory
from otop.search import signals
from otop.search.models import ListingEntry, ProductDocument
from otop.search.selectors import search_products
from otop.search.services import names_rowid

CSV = (
    ",".join(COLUMNS) + "\n"
    "KK-101,ผ้าไหมมัดหมี่ลายนาค,Mudmee silk naga,textiles,2500.00,กลุ่มทอผ้าไหมบ้านเขว้า,ขอนแก่น,ชนบท,"
    "ทอด้วยกี่โบราณ ย้อมคราม,Woven on an old loom,,,,350,,4\n"
    "KK-102,น้ำพริกปลาร้า,Fermented fish chili paste,food,45,กลุ่มแม่บ้านโนนสะอาด,,อำเภอเมืองขอนแก่น,"
    "ตำสดทุกวัน,Pounded fresh daily,,,,200,,\n"
)


def skus(query: str) -> list[str]:
    return [hit.sku for hit in search_products(query, limit=20)]


def test_a_csv_imported_by_the_command_is_found_by_a_word_of_its_description(
    db, tmp_path, capsys, django_capture_on_commit_callbacks
):
    path = tmp_path / "catalog.csv"
    path.write_text(CSV, encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_catalog", str(path))

    assert skus("ย้อมคราม") == ["KK-101"]  # description, Thai
    assert skus("loom") == ["KK-101"]  # description, English
    assert skus("ตำสด") == ["KK-102"]
    assert ProductDocument.objects.count() == ListingEntry.objects.count() == 2
    _assert_one_ranked_name_per_document()

    # Importing again with another description forgets the old words.
    path.write_text(CSV.replace("ทอด้วยกี่โบราณ ย้อมคราม", "ทอด้วยมือ"), encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_catalog", str(path))
    assert skus("ย้อมคราม") == []
    assert skus("ทอด้วยมือ") == ["KK-101"]
    _assert_one_ranked_name_per_document()


def _create(sku: str, name_th: str, **fields) -> Product:
    return catalog_services.create_product(
        sku=sku,
        name_th=name_th,
        category=Category.objects.get(code="food"),
        producer=fields.pop("producer", None) or ProducerFactory(),
        price=Decimal("50.00"),
        actor=None,
        status=Product.Status.LISTED,
        **fields,
    )


def test_services_and_delisting_keep_the_index_current(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rice = _create("RICE", "ข้าวหอมมะลิ")
    assert skus("หอมมะลิ") == ["RICE"]

    with django_capture_on_commit_callbacks(execute=True):
        catalog_services.update_product(product=rice, actor=None, name_th="ข้าวเหนียว")
    assert skus("หอมมะลิ") == []
    assert skus("ข้าวเหนียว") == ["RICE"]

    with django_capture_on_commit_callbacks(execute=True):
        catalog_services.delist_product(product=rice, actor=None)
    assert skus("ข้าวเหนียว") == []


def test_a_deleted_product_leaves_the_index(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rice = _create("RICE", "ข้าวหอมมะลิ")
    with django_capture_on_commit_callbacks(execute=True):
        rice.delete()
    assert skus("หอมมะลิ") == []
    assert skus("ข้าวหอมมะลิ") == []
    assert not ProductDocument.objects.exists() and not ListingEntry.objects.exists()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_namepostings")
            assert cursor.fetchone()[0] == 0


def test_renaming_a_producer_reindexes_its_products(db, django_capture_on_commit_callbacks):
    producer = ProducerFactory(name_th="กลุ่มแม่บ้านหนองแวง")
    with django_capture_on_commit_callbacks(execute=True):
        _create("RICE", "ข้าวหอมมะลิ", producer=producer)
    assert skus("หนองแวง") == ["RICE"]
    with django_capture_on_commit_callbacks(execute=True):
        producer.name_th = "กลุ่มแม่บ้านดอนแดง"
        producer.save()
    assert skus("หนองแวง") == []
    assert skus("ดอนแดง") == ["RICE"]


def test_one_commit_indexes_many_changes_in_one_batch(db, django_capture_on_commit_callbacks, monkeypatch):
    batches = []
    real = signals.index_products
    monkeypatch.setattr(signals, "index_products", lambda **kw: batches.append(sorted(kw["product_ids"])) or real(**kw))
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            first = _create("A-1", "ข้าวหอมมะลิ")
            second = _create("A-2", "ข้าวเหนียว")
    assert batches == [sorted([first.pk, second.pk])]


def test_a_change_in_a_rolled_back_savepoint_does_not_lose_a_later_one(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rice = _create("RICE", "ข้าวหอมมะลิ")
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            try:
                with transaction.atomic():
                    catalog_services.update_product(product=rice, actor=None, name_th="ข้าวกล้อง")
                    raise RuntimeError("refused")
            except RuntimeError:
                pass
            rice.refresh_from_db()
            catalog_services.update_product(product=rice, actor=None, name_th="ข้าวเหนียว")
    assert skus("ข้าวเหนียว") == ["RICE"]
    assert skus("ข้าวกล้อง") == []


def test_a_rename_that_changes_the_word_count_moves_the_product_in_the_ranked_names(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        long_name = _create("LONG", "ข้าวหอมมะลิ ปลอดสาร ข้าวใหม่")
        short_name = _create("SHORT", "ข้าวหอมมะลิ ปลอดสาร")
    assert skus("หอมมะลิ") == ["SHORT", "LONG"]  # fewer words in the name first

    with django_capture_on_commit_callbacks(execute=True):
        catalog_services.update_product(product=long_name, actor=None, name_th="ข้าวหอมมะลิ")
    assert skus("หอมมะลิ") == ["LONG", "SHORT"]
    assert skus("ข้าวหอมมะลิ") == ["LONG", "SHORT"]  # the head word: PostgreSQL walks its postings
    assert skus("ข้าวใหม่") == []
    _assert_one_ranked_name_per_document()
    with django_capture_on_commit_callbacks(execute=True):
        short_name.delete()
    assert skus("หอมมะลิ") == ["LONG"]
    _assert_one_ranked_name_per_document()


def _assert_one_ranked_name_per_document() -> None:
    """SQLite's ranked name index has one row per document, at its current rank; PostgreSQL's name postings
    are exactly the lexemes of each listing entry's name vector and the forms of its head word, each at
    the entry's current rank and listed flag."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT term, is_listed, is_head, name_words, product_id FROM search_namepostings")
            postings = sorted(cursor.fetchall())
            cursor.execute(
                "SELECT lexeme, is_listed, false, name_words, product_id "
                "FROM search_listingentry, unnest(tsvector_to_array(names)) lexeme"
            )
            expected = cursor.fetchall()
        for entry in ListingEntry.objects.all():
            expected += [
                (form, entry.is_listed, True, entry.name_words, entry.product_id) for form in entry.name_head.split()
            ]
        assert postings and postings == sorted(expected)
        return
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid FROM search_names ORDER BY rowid")
        rowids = [row[0] for row in cursor.fetchall()]
    documents = ProductDocument.objects.all()
    assert rowids == sorted(names_rowid(product_id=d.product_id, name_words=d.name_words) for d in documents)


def test_full_text_rows_left_by_a_flush_are_dropped_after_it(db):
    """A flush (between transactional tests) empties the document tables but not SQLite's FTS5 tables; the
    post-migrate sweep drops those rows, so a new product with a reused id is found by its own name only."""
    orphan = 987654
    if connection.vendor == "postgresql":  # its name postings
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO search_namepostings (term, is_listed, is_head, name_words, product_id) "
                "VALUES ('ผ้าไหม', true, true, 1, %s)",
                [orphan],
            )
        signals.drop_orphaned_fts_rows(using="default")
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_namepostings WHERE product_id = %s", [orphan])
            assert cursor.fetchone()[0] == 0
        return
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO search_fts(rowid, name, body, name_loose, body_loose) VALUES (%s, 'x', '', '', '')", [orphan]
        )
        cursor.execute(
            "INSERT INTO search_names(rowid, name, name_loose, head, flags) VALUES (%s, 'ผ้าไหม', '', 'ผ้า', 'listed')",
            [names_rowid(product_id=orphan, name_words=3)],
        )
    signals.drop_orphaned_fts_rows(using="default")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_fts WHERE rowid = %s", [orphan])
        assert cursor.fetchone()[0] == 0
        cursor.execute(
            "SELECT count(*) FROM search_names WHERE rowid = %s", [names_rowid(product_id=orphan, name_words=3)]
        )
        assert cursor.fetchone()[0] == 0

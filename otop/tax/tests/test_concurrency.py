"""Twenty concurrent invoice requests take twenty consecutive numbers (threads, own connections)."""

import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection, transaction

from otop.tax import services
from otop.tax.models import DocumentKind, TaxDocument

REQUESTS = 20
COMPANY = services.Buyer(name="บริษัท ตะกร้าของขวัญ จำกัด", address="ขอนแก่น", tax_id="0105551234567")


class SaleFailed(Exception):
    pass


def run_concurrently(action, count):
    barrier = threading.Barrier(count)
    errors = []
    lock = threading.Lock()

    def worker(number):
        try:
            barrier.wait()
            action(number)
        except SaleFailed:
            pass
        except Exception as error:  # noqa: BLE001 - any other failure is a test failure, reported below
            with lock:
                errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    close_old_connections()
    return errors


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_requests_get_twenty_consecutive_numbers_and_a_rollback_leaves_no_hole():
    def request(number):
        with transaction.atomic():
            services.issue_document(
                kind=DocumentKind.FULL,
                source_type="orders.order",
                source_id=number,
                lines=[services.SoldLine(name="ตะกร้า", quantity=1, unit_price=Decimal("500"), total=Decimal("500"))],
                buyer=COMPANY,
            )
            if number % 5 == 0:
                raise SaleFailed  # the order's transaction fails after its invoice: the number goes back

    errors = run_concurrently(request, REQUESTS + 5)
    assert errors == []
    numbers = sorted(TaxDocument.objects.values_list("number", flat=True))
    assert numbers == list(range(1, REQUESTS + 1))

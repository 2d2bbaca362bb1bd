from __future__ import annotations

import pytest

from otop.orders.models import Order
from otop.shipping.models import Shipment
from tests.role_matrix import assert_answer, matrix_cases

NO = ["login", "403", "403", "403", "403"]
MATRIX = {
    "/shipping/": [*NO, "in", "in"],
    "/shipping/pack/OTOP-2569-000001/": [*NO, "in", "in"],
    "/shipping/pick-list/": [*NO, "in", "in"],
    "/shipping/cod/": [*NO, "in", "in"],
    "/shipping/pack/OTOP-2569-000001/slip.pdf": [*NO, "in", "in"],
    "/shipping/flash/webhook": ["405"] * 7,
}


@pytest.fixture
def parcel(paid_parcel):
    return paid_parcel()


@pytest.mark.parametrize(("path", "role", "expected"), matrix_cases(MATRIX))
def test_role_matrix(client_for, parcel, path, role, expected):
    assert_answer(client_for(role).get(path), expected)


@pytest.mark.parametrize("role", [None, "customer", "cashier"])
def test_booking_by_someone_without_the_right_changes_nothing(client_for, parcel, role):
    shipment = Shipment.objects.get()
    Order.objects.filter(pk=shipment.order_id).update(status=Order.Status.PACKED)
    response = client_for(role).post(f"/shipping/{shipment.pk}/book/", {"tracking_number": "EF582568151TH"})
    assert response.status_code in (302, 403)
    shipment.refresh_from_db()
    assert shipment.tracking_number == "" and shipment.status == Shipment.Status.AWAITING_BOOKING


def test_staff_pack_by_scanning_then_book_and_print_the_label(client_for, parcel):
    staff = client_for("staff")
    order = Order.objects.get()
    page = f"/shipping/pack/{order.number}/"
    for code in ["SILK-1", "RICE-1"]:
        staff.post(page, {"action": "scan", "code": code}, HTTP_HX_REQUEST="true")
    response = staff.post(page, {"action": "finish"})
    assert response.status_code == 200 and not response.context["can_finish"]
    assert Order.objects.get().status == Order.Status.PAID
    staff.post(page, {"action": "scan", "code": "RICE-1"}, HTTP_HX_REQUEST="true")
    assert staff.post(page, {"action": "finish"}).status_code == 302
    assert Order.objects.get().status == Order.Status.PACKED
    shipment = Shipment.objects.get()
    staff.post(f"/shipping/{shipment.pk}/book/", {"tracking_number": "EF582568151TH"})
    assert Order.objects.get().status == Order.Status.SHIPPED
    label = staff.get(f"/shipping/{shipment.pk}/label.pdf")
    assert label.status_code == 200 and label["Content-Type"] == "application/pdf"
    batch = staff.get("/shipping/labels.pdf")
    assert batch.status_code == 200 and batch.content.startswith(b"%PDF")


def test_the_pick_list_adds_up_the_paid_orders_items_by_location(client_for, paid_parcel):
    first, second = paid_parcel(), paid_parcel()
    response = client_for("staff").get("/shipping/pick-list/")
    lines = {line.sku: line for line in response.context["lines"]}
    assert (lines["RICE-1"].quantity, lines["SILK-1"].quantity) == (4, 2)
    assert lines["SILK-1"].orders == [first.number, second.number]
    assert lines["SILK-1"].location != "—"

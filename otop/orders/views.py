from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from otop.accounts.actors import acting_user
from otop.core.errors import DomainError
from otop.orders import selectors, services
from otop.orders.models import Order
from otop.payments.selectors import promptpay_payment_for

IRREVERSIBLE = {Order.Status.CANCELLED, Order.Status.REFUNDED}


def _order(number: str) -> Order:
    order = selectors.order_by_number(number=number)
    if order is None:
        raise Http404
    return order


@require_GET
@login_required
@permission_required("orders.view_order", raise_exception=True)
def order_list(request: HttpRequest) -> HttpResponse:
    services.expire_overdue_orders()
    status = request.GET.get("status", "")
    if status not in Order.Status.values:
        status = ""
    orders = list(selectors.orders_for_staff(status=status)[:200])
    return render(request, "orders/list.html", {"orders": orders, "status": status, "statuses": Order.Status.choices})


@require_GET
@login_required
@permission_required("orders.view_order", raise_exception=True)
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    order = _order(number)
    allowed = [
        (value, label)
        for value, label in Order.Status.choices
        if value in services.transitions_of(order)[order.status] and value != Order.Status.PAID
    ]
    # Cancelling and refunding cannot be undone: each has its own form asking for a reason and a confirmation.
    next_statuses = [(value, label) for value, label in allowed if value not in IRREVERSIBLE]
    irreversible = [(value, label) for value, label in allowed if value in IRREVERSIBLE]
    return render(
        request,
        "orders/detail.html",
        {
            "order": order,
            "payment": promptpay_payment_for(order),
            "next_statuses": next_statuses,
            "irreversible": irreversible,
        },
    )


@require_POST
@login_required
@permission_required("orders.confirm_payment", raise_exception=True)
def confirm_payment(request: HttpRequest, number: str) -> HttpResponse:
    order = _order(number)
    try:
        services.confirm_promptpay_payment(order=order, actor=acting_user(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Payment confirmed: order %(number)s is paid.") % {"number": order.number})
    return redirect("orders:detail", number=order.number)


@require_POST
@login_required
@permission_required("orders.change_order", raise_exception=True)
def change_status(request: HttpRequest, number: str) -> HttpResponse:
    order = _order(number)
    wanted = request.POST.get("status", "")
    if wanted not in Order.Status.values or wanted == Order.Status.PAID:
        messages.error(request, _("Choose a next step for the order."))
        return redirect("orders:detail", number=order.number)
    note = request.POST.get("note", "").strip()[:300]
    if wanted in IRREVERSIBLE and (not note or request.POST.get("confirm") != "yes"):
        messages.error(
            request,
            _("Write the reason (the customer reads it) and tick the confirmation: this cannot be undone."),
        )
        return redirect("orders:detail", number=order.number)
    try:
        services.change_status(order=order, to_status=wanted, actor=acting_user(request), note=note)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Order %(number)s updated.") % {"number": order.number})
    return redirect("orders:detail", number=order.number)

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from otop.accounts.actors import acting_user
from otop.core.errors import DomainError
from otop.core.money import format_baht, parse_amount
from otop.orders import selectors, services
from otop.orders.models import Order
from otop.payments.models import Refund
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
            "refundable": services.refundable_amount(order) if order.status in services.REFUNDABLE else None,
            "refund_methods": Refund.Method.choices,
            "refunds": Refund.objects.filter(payment__order=order).select_related("created_by").order_by("pk"),
            "tax_documents": selectors.tax_documents_of(order),
        },
    )


def _refund_lines(post, order: Order) -> list[services.RefundLine] | None:
    """The partial refund's lines from the form (quantity-<line id>, amount-<line id>); None if malformed."""
    lines = []
    for line in order.lines.all():
        quantity = (post.get(f"quantity-{line.pk}") or "").strip() or "0"
        amount = (post.get(f"amount-{line.pk}") or "").strip().replace(",", "")
        try:
            units = int(quantity)
            money = parse_amount(amount) if amount else None
        except ValueError:  # core.money.InvalidAmount too
            return None
        if units < 0 or units > line.quantity:
            return None
        if units or money is not None:
            lines.append(services.RefundLine(line_id=line.pk, quantity=units, amount=money))
    return lines


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
    # Paying and refunding move money: they have their own forms (confirm-payment, refund).
    if wanted not in Order.Status.values or wanted in {Order.Status.PAID, Order.Status.REFUNDED}:
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


@require_POST
@login_required
@permission_required("orders.change_order", raise_exception=True)
def refund(request: HttpRequest, number: str) -> HttpResponse:
    """Give back all or part of what the customer paid (through the gateway or by a staff transfer): by amount,
    or line by line (units returned or an amount per line), with a credit note either way."""
    order = _order(number)
    if not request.POST.get("reason", "").strip() or request.POST.get("confirm") != "yes":
        messages.error(
            request,
            _("Write the reason (the customer reads it) and tick the confirmation: this cannot be undone."),
        )
        return redirect("orders:detail", number=order.number)
    lines = _refund_lines(request.POST, order)
    if lines is None:
        messages.error(request, _("Give whole units returned, or an amount in baht, for the lines refunded."))
        return redirect("orders:detail", number=order.number)
    money = {
        "method": request.POST.get("method", ""),
        "reason": request.POST.get("reason", ""),
        "transfer_reference": request.POST.get("transfer_reference", ""),
        "actor": acting_user(request),
    }
    try:
        if lines:
            note = services.refund_order_lines(order=order, lines=lines, **money)
            done = _("Credit note %(code)s issued and %(amount)s refunded.") % {
                "code": note.code, "amount": format_baht(note.total)
            }  # fmt: skip
        else:
            amount_text = request.POST.get("amount", "").strip().replace(",", "")
            try:
                amount = parse_amount(amount_text) if amount_text else None
            except ValueError:  # core.money.InvalidAmount too
                amount = Decimal("-1")
            services.refund_order(order=order, amount=amount, **money)
            done = _("Refund recorded for order %(number)s.") % {"number": order.number}
    except DomainError as error:
        messages.error(request, " ".join([error.message, *(m for ms in error.fields.values() for m in ms)]))
    else:
        messages.success(request, done)
    return redirect("orders:detail", number=order.number)

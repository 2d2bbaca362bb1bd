"""The chat checkout: a phone-sized page opened from the chat (inside LINE as a LIFF page, or in a
browser) through a one-time link, that orders the chat's cart through orders.services.place_order."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from otop.channels import selectors, services
from otop.channels.errors import CheckoutLinkInvalid
from otop.channels.forms import ChatCheckoutForm
from otop.channels.models import CheckoutLink
from otop.core.errors import DomainError
from otop.core.forms import add_domain_error
from otop.core.selectors import center_profile
from otop.core.throttle import client_address
from otop.geo.models import District, Subdistrict
from otop.orders import services as order_services
from otop.orders.coupons import client_tries
from otop.orders.models import Order
from otop.payments.selectors import promptpay_payment_for, qr_path
from otop.shipping.selectors import DeliveryChoice, delivery_quotes
from otop.tax.forms import BuyerForm

FIELD_NAMES = {
    "customer.name": "name",
    "customer.phone": "phone",
    "customer.email": "email",
    "delivery.method": "delivery_method",
    "delivery.option": "delivery_option",
    "payment": "payment",
}


def _field(name: str) -> str:
    return FIELD_NAMES.get(name) or name.removeprefix("delivery.address.")


@require_GET
def checkout_entry(request: HttpRequest) -> HttpResponse:
    """The LIFF endpoint: LINE opens it with the link's query inside `liff.state`."""
    token = request.GET.get("t", "")
    state = request.GET.get("liff.state", "")
    if not token and state:
        token = parse_qs(urlsplit(state).query).get("t", [""])[0]
    if not token:
        return render(request, "channels/checkout_invalid.html", {"message": ""}, status=400)
    return redirect("channels:checkout", token=token)


def _form(link: CheckoutLink, data=None, source=None) -> ChatCheckoutForm:
    source = source if source is not None else (data or {})
    province = source.get("province") or ("" if data is not None else center_profile().province_id)
    initial = {"province": province, "name": link.contact.user.get_full_name() if link.contact.user else ""}
    return ChatCheckoutForm(data, province=province or "", district=source.get("district", ""), initial=initial)


@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = services.checkout_link_for(token)
    except CheckoutLinkInvalid as error:
        return render(request, "channels/checkout_invalid.html", {"message": error.message}, status=410)
    with translation.override(link.contact.language):
        if link.order is not None:
            return _placed(request, link)
        form = _form(link, request.POST if request.method == "POST" else None)
        tax_form = BuyerForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid() and not tax_form.is_valid():
            form.add_error(None, _("Please check the details for the full tax invoice."))
        if request.method == "POST" and form.is_valid() and tax_form.is_valid():
            data = form.cleaned_data
            try:
                with client_tries(client_address(request), data["coupon"]):
                    services.place_chat_order(
                        link=link,
                        customer=order_services.CustomerDetails(
                            name=data["name"], phone=data["phone"], email=data["email"]
                        ),
                        delivery_method=data["delivery_method"],
                        address=order_services.AddressDetails(
                            line1=data["line1"],
                            line2=data["line2"],
                            subdistrict=data["subdistrict"],
                            district=data["district"],
                            province=data["province"],
                            postcode=data["postcode"],
                        ),
                        delivery_option=data["delivery_option"],
                        coupon=data["coupon"],
                        tax_invoice=tax_form.buyer(),
                        payment=data["payment"] or Order.Payment.PROMPTPAY,
                    )
            except DomainError as error:  # InvalidOrder per field, OutOfStock, a used link, an empty cart
                add_domain_error(form, error, field_for=_field)
                tax_form.add_service_error(error)
            else:
                return redirect("channels:checkout", token=token)
        cart = selectors.chat_cart(link.contact)
        context = {
            "form": form,
            "tax_form": tax_form,
            "cart": cart,
            "delivery": _quotes(cart, request.POST if request.method == "POST" else {}),
            "token": token,
            "contact": link.contact,
        }
        return render(request, "channels/checkout.html", context)


def _placed(request: HttpRequest, link: CheckoutLink) -> HttpResponse:
    order = link.order
    payment = promptpay_payment_for(order)
    context = {
        "order": order,
        "payment": payment,
        "qr_url": qr_path(payment) if payment and order.status == "pending_payment" else "",
        "contact": link.contact,
    }
    return render(request, "channels/checkout_placed.html", context)


@require_GET
def checkout_address(request: HttpRequest, token: str) -> HttpResponse:
    """The address fields again for the chosen province / district / subdistrict (htmx)."""
    try:
        link = services.checkout_link_for(token)
    except CheckoutLinkInvalid as error:
        return render(request, "channels/checkout_invalid.html", {"message": error.message}, status=410)
    with translation.override(link.contact.language):
        form = _form(link, source=request.GET)
        values = {
            name: request.GET.get(name, "")
            for name in ("line1", "line2", "province", "district", "subdistrict", "postcode")
        }
        subdistrict = Subdistrict.objects.filter(code=values["subdistrict"], district_id=values["district"]).first()
        if subdistrict and subdistrict.postcode_list and values["postcode"] not in subdistrict.postcode_list:
            values["postcode"] = subdistrict.postcode_list[0]
        if not District.objects.filter(code=values["district"], province_id=values["province"]).exists():
            values["district"] = values["subdistrict"] = ""
        form.initial.update(values)
        delivery = _quotes(selectors.chat_cart(link.contact), {**request.GET.dict(), **values})
        context = {"form": form, "token": token, "delivery": delivery, "oob_payment": True}
        return render(request, "channels/checkout.html#address", context)


def _quotes(cart, source) -> DeliveryChoice:
    """The parcel options for the chat's cart to the chosen postcode (shipping's quotes)."""
    return delivery_quotes(
        items=[(item.variant, item.quantity) for item in cart.orderable],
        postcode=source.get("postcode", ""),
        subtotal=cart.subtotal,
        chosen=source.get("delivery_option", ""),
        payment=source.get("payment", ""),
    )

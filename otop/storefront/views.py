from __future__ import annotations

import uuid
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from otop.accounts.actors import acting_user
from otop.catalog.models import Category
from otop.catalog.selectors import attach_card_photos
from otop.channels import share
from otop.channels.services import record_attribution
from otop.core.errors import DomainError
from otop.core.forms import add_domain_error
from otop.core.i18n import localized
from otop.core.pages import pdf_response
from otop.core.selectors import center_profile
from otop.core.throttle import client_address, throttle, throttled_page
from otop.core.throttle import hit as throttle_hit
from otop.core.throttle import peek as throttle_peek
from otop.geo.models import District, Subdistrict
from otop.orders import selectors as order_selectors
from otop.orders import services as order_services
from otop.orders.coupons import client_tries
from otop.orders.models import Order
from otop.payments import selectors as payment_selectors
from otop.payments import services as payment_services
from otop.search.selectors import SearchFilters, suggest
from otop.search.selectors import search as search_catalogue
from otop.shipping.selectors import delivery_quotes, shipment_of, timeline
from otop.storefront import cart, meta_checkout
from otop.storefront.forms import AddToCartForm, CartLineForm, CheckoutForm, ListingForm
from otop.storefront.selectors import ListingFilters, home_page, product_listing, sitemap_codes
from otop.tax import documents as tax_pdfs
from otop.tax.forms import BuyerForm

SEARCH_PAGE_SIZE = 24
PLACED_ORDERS_KEY = "placed_orders"


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "page": home_page(),
        "share_image": share.home_card_url(),
        "canonical_url": request.build_absolute_uri(reverse("storefront:home")),
    }
    return render(request, "storefront/home.html", context)


def _listing(request: HttpRequest, *, title: str, fixed: dict[str, str], template_context: dict) -> HttpResponse:
    form = ListingForm(request.GET or None)
    values = form.cleaned_data if form.is_valid() else {}
    filters = ListingFilters(
        category=fixed.get("category") or values.get("category") or "",
        district=fixed.get("district", ""),
        min_price=values.get("min_price"),
        max_price=values.get("max_price"),
        min_stars=values.get("min_stars"),
        sort=values.get("sort") or "name",
    )
    page_obj, products = product_listing(filters=filters, page=request.GET.get("page") or 1)
    context = {"title": title, "form": form, "page_obj": page_obj, "products": products, **template_context}
    template = "storefront/listing.html#results" if request.htmx else "storefront/listing.html"
    return render(request, template, context)


@require_GET
def category(request: HttpRequest, code: str) -> HttpResponse:
    found = get_object_or_404(Category, code=code)

    extra = {
        "share_image": share.category_card_url(found),
        "canonical_url": request.build_absolute_uri(reverse("storefront:category", args=[code])),
    }
    return _listing(request, title=localized(found, "name"), fixed={"category": code}, template_context=extra)


@require_GET
def district(request: HttpRequest, code: str) -> HttpResponse:
    found = get_object_or_404(District, code=code)

    title = _("Products from %(district)s") % {"district": localized(found, "name")}
    return _listing(request, title=title, fixed={"district": code}, template_context={})


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = ListingForm(request.GET or None, with_relevance=True)
    query, hits, answered = "", [], ""
    try:
        page = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        page = 1
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        filters = SearchFilters(
            category=form.cleaned_data.get("category") or "",
            min_price=form.cleaned_data.get("min_price"),
            max_price=form.cleaned_data.get("max_price"),
            min_stars=form.cleaned_data.get("min_stars"),
        )
        if query:
            result = search_catalogue(
                query, limit=SEARCH_PAGE_SIZE + 1, offset=(page - 1) * SEARCH_PAGE_SIZE, filters=filters
            )
            hits, answered = result.hits, result.query
            attach_card_photos([hit.product for hit in hits[:SEARCH_PAGE_SIZE]])
    context = {
        "form": form,
        "query": query,
        "answered": answered,  # the corrected query when the typed one was misspelled ("Did you mean")
        "hits": hits[:SEARCH_PAGE_SIZE],
        "page": page,
        "has_next": len(hits) > SEARCH_PAGE_SIZE,
    }
    template = "storefront/search.html#results" if request.htmx else "storefront/search.html"
    return render(request, template, context)


@require_GET
def suggestions(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()
    found = suggest(query, limit=8) if len(query) >= 2 else []
    return render(request, "storefront/suggestions.html", {"suggestions": found, "query": query})


@require_GET
def cart_page(request: HttpRequest) -> HttpResponse:
    return render(request, "storefront/cart.html", {"cart": cart.view(request)})


@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    """Add a product to the cart (the story page's form: fields `variant` and `quantity`)."""
    form = AddToCartForm(request.POST)
    if not form.is_valid():
        message = _("Choose a product and a quantity from 1 to 99.")
        in_cart = 0
    else:
        in_cart, available = cart.add(
            request, variant_id=form.cleaned_data["variant"], quantity=form.cleaned_data["quantity"]
        )
        if available == 0:
            message = _("Sorry, this product is sold out.")
        elif in_cart < form.cleaned_data["quantity"]:
            message = _("Only %(count)s available: your cart has %(count)s.") % {"count": in_cart}
        else:
            message = _("Added to the cart (%(count)s in the cart).") % {"count": in_cart}
    if request.htmx:
        return render(
            request, "storefront/cart_added.html", {"message": message, "cart_count": cart.line_count(request)}
        )
    messages.info(request, message)
    return redirect("storefront:cart")


@require_POST
def cart_update(request: HttpRequest) -> HttpResponse:
    form = CartLineForm(request.POST)
    if form.is_valid():
        cart.set_quantity(request, variant_id=form.cleaned_data["variant"], quantity=form.cleaned_data["quantity"])
    if request.htmx:
        return render(request, "storefront/cart.html#lines", {"cart": cart.view(request)})
    return redirect("storefront:cart")


def _checkout_form(request: HttpRequest, data=None) -> CheckoutForm:
    source = data if data is not None else request.GET
    province = source.get("province") or (center_profile().province_id if data is None else "")
    initial = {"province": province}
    if request.user.is_authenticated:
        initial.update(
            name=request.user.get_full_name(), email=request.user.email, phone=getattr(request.user, "phone", "")
        )
    return CheckoutForm(data, province=province, district=source.get("district", ""), initial=initial)


FIELD_NAMES = {
    "customer.name": "name",
    "customer.phone": "phone",
    "customer.email": "email",
    "delivery.method": "delivery_method",
    "delivery.option": "delivery_option",
}


def _checkout_field(name: str) -> str:
    return FIELD_NAMES.get(name) or name.removeprefix("delivery.address.")


@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest) -> HttpResponse:
    current = cart.view(request)
    if not current.items:
        messages.info(request, _("Your cart is empty."))
        return redirect("storefront:cart")
    meta = request.session.get(meta_checkout.SESSION_KEY)
    if request.method == "GET":
        form = _checkout_form(request)
        form.initial["coupon"] = request.session.get(meta_checkout.COUPON_KEY, "")
        tax_form = BuyerForm()
    else:
        form = _checkout_form(request, request.POST)
        tax_form = BuyerForm(request.POST)
        if form.is_valid() and not tax_form.is_valid():
            form.add_error(None, _("Please check the details for the full tax invoice."))
        if form.is_valid() and tax_form.is_valid():
            data = form.cleaned_data
            try:
                with client_tries(client_address(request), data["coupon"]):
                    order = order_services.place_order(
                        items=[(item.variant.sku, item.quantity) for item in current.items],
                        customer=order_services.CustomerDetails(
                            name=data["name"],
                            phone=data["phone"],
                            email=data["email"],
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
                        user=acting_user(request),
                        language=(get_language() or "th")[:2],
                        delivery_option=data["delivery_option"],
                        channel=meta["channel"] if meta else Order.Channel.WEB,
                        coupon=data["coupon"],
                        tax_invoice=tax_form.buyer(),
                        payment=data["payment"] or Order.Payment.PROMPTPAY,
                    )
            except DomainError as error:  # InvalidOrder (per field), OutOfStock, PromptPay not set up
                add_domain_error(form, error, field_for=_checkout_field)
                tax_form.add_service_error(error)
            else:
                if meta:
                    record_attribution(order=order, cart_origin=meta["cart_origin"], utm=meta["utm"])
                for key in (meta_checkout.SESSION_KEY, meta_checkout.COUPON_KEY):
                    request.session.pop(key, None)
                cart.clear(request)
                placed = [*request.session.get(PLACED_ORDERS_KEY, [])[-9:], order.number]
                request.session[PLACED_ORDERS_KEY] = placed
                return redirect("storefront:order-placed", number=order.number)
    postcode = form.data.get("postcode", "") if form.is_bound else ""
    delivery = _quotes(current, postcode, form)
    code = form["coupon"].value() or ""
    quote, coupon_error = cart.coupon_quote(current, code, client=client_address(request))
    discount = quote.discount if quote else Decimal("0.00")
    context = {
        "form": form,
        "tax_form": tax_form,
        "cart": current,
        "delivery": delivery,
        "discount": discount,
        "goods_after_discount": current.subtotal - discount,
        "coupon_error": coupon_error if request.method == "GET" else "",
    }
    context["totals"] = _checkout_totals(current.subtotal - discount, delivery, chosen=form["delivery_method"].value())
    return render(request, "storefront/checkout.html", context)


def _quotes(current: cart.CartView, postcode: str, form: CheckoutForm):
    """The parcel options for the cart to the postcode (the customer's choice kept when still offered)."""
    return delivery_quotes(
        items=[(item.variant, item.quantity) for item in current.items],
        postcode=postcode,
        subtotal=current.subtotal,
        chosen=form.data.get("delivery_option", "") if form.is_bound else "",
        payment=form.data.get("payment", "") if form.is_bound else "",
    )


def _checkout_totals(subtotal, delivery, *, chosen) -> list[dict]:
    """Goods, delivery and grand total for each delivery method (the page shows the chosen method's; its
    script only switches which one is shown). Pickup is free; a parcel costs the chosen carrier's quote,
    computed on the server, and is unknown (None) until the address gives quotes."""
    parcel_fee = delivery.fee  # the chosen quote, with its COD fee when the carrier collects the money
    rows = []
    for method in Order.Delivery.values:
        fee = parcel_fee if method == Order.Delivery.PARCEL else Decimal("0.00")
        total = None if fee is None else subtotal + fee
        rows.append({"method": method, "fee": fee, "total": total, "chosen": method == chosen})
    if not any(row["chosen"] for row in rows):
        rows[0]["chosen"] = True
    return rows


@require_GET
def checkout_address(request: HttpRequest) -> HttpResponse:
    """The address fields again, with the districts of the chosen province, the subdistricts of the
    chosen district and the postcode of the chosen subdistrict (htmx dependent selects)."""
    form = _checkout_form(request)
    subdistrict = Subdistrict.objects.filter(
        code=request.GET.get("subdistrict", ""), district_id=request.GET.get("district", "")
    ).first()
    values = {
        name: request.GET.get(name, "")
        for name in ("line1", "line2", "province", "district", "subdistrict", "postcode")
    }
    if subdistrict and subdistrict.postcode_list and values["postcode"] not in subdistrict.postcode_list:
        values["postcode"] = subdistrict.postcode_list[0]
    if not District.objects.filter(code=values["district"], province_id=values["province"]).exists():
        values["district"] = values["subdistrict"] = ""
    form.initial.update(values)
    current = cart.view(request)
    delivery = delivery_quotes(
        items=[(item.variant, item.quantity) for item in current.items],
        postcode=values["postcode"],
        subtotal=current.subtotal,
        chosen=request.GET.get("delivery_option", ""),
        payment=request.GET.get("payment", ""),
    )
    # The address is asked only for a parcel: the totals come back too (out of band) with its quote.
    quote, _error = cart.coupon_quote(current, request.GET.get("coupon", "")[:40], client=client_address(request))
    discount = quote.discount if quote else Decimal("0.00")
    totals = _checkout_totals(current.subtotal - discount, delivery, chosen=Order.Delivery.PARCEL)
    context = {
        "form": form, "cart": current, "delivery": delivery, "totals": totals, "oob_totals": True, "discount": discount,
    }  # fmt: skip
    return render(request, "storefront/checkout.html#address", context)


@require_GET
def order_placed(request: HttpRequest, number: str) -> HttpResponse:
    """The order just placed with its PromptPay QR (only in the browser session that placed it)."""
    if number not in request.session.get(PLACED_ORDERS_KEY, []):
        return redirect(reverse("storefront:track") + "?" + urlencode({"number": number[:20]}))
    order = order_selectors.order_by_number(number=number)
    if order is None:
        raise Http404
    payment = payment_selectors.promptpay_payment_for(order)
    return render(
        request,
        "storefront/order_placed.html",
        {
            "order": order,
            "payment": payment,
            "qr_url": payment_selectors.qr_path(payment) if payment else "",
            "tracking_path": reverse(
                "storefront:tracked-order",
                kwargs={"number": order.number, "token": order_selectors.tracking_token(order.number)},
            ),
        },
    )


# A wrong phone number for the same order more often than this looks like guessing.
TRACKING_FAILURES_PER_ORDER = "10/h"


@require_http_methods(["GET", "POST"])
@throttle("storefront.track", "20/m")
def track(request: HttpRequest) -> HttpResponse:
    """Ask for the order number and phone number (POSTed, so the phone never lands in an access log);
    a match redirects to the order's signed tracking link."""
    number = (request.POST.get("number") or request.GET.get("number") or "").strip().upper()[:20]
    phone = (request.POST.get("phone") or "").strip()[:20]
    not_found = False
    if request.method == "POST" and number and phone:
        if throttle_peek("orders.track.failures", number, TRACKING_FAILURES_PER_ORDER) >= 10:
            return throttled_page(request, throttle_hit("orders.track.failures", number, TRACKING_FAILURES_PER_ORDER))
        order = order_selectors.order_for_tracking(number=number, phone=phone)
        if order is not None:
            return redirect(
                "storefront:tracked-order", number=order.number, token=order_selectors.tracking_token(order.number)
            )
        throttle_hit("orders.track.failures", number, TRACKING_FAILURES_PER_ORDER)
        not_found = True
    return render(request, "storefront/track.html", {"number": number, "phone": phone, "not_found": not_found})


@require_GET
def tracked_order(request: HttpRequest, number: str, token: str) -> HttpResponse:
    """An order's status by its signed tracking link (the link in the order e-mail and after checkout)."""
    order_services.expire_overdue_orders()
    order = order_selectors.order_for_tracking_token(number=number, token=token)
    if order is None:
        raise Http404
    if request.GET.get("paid") == "gateway" and order.status == "pending_payment":
        # Back from the gateway (3-D Secure, the wallet's app): its charge is fetched, never taken from the address.
        for charge_id in payment_services.waiting_card_charges(order):
            try:
                payment_services.apply_card_charge(charge_id=charge_id)
            except payment_services.GatewayUnavailable:
                messages.info(request, _("Your card payment is being confirmed; this page will show it soon."))
        order.refresh_from_db()
    payment = payment_selectors.promptpay_payment_for(order)
    waiting = payment is not None and order.status == "pending_payment"
    shipment = shipment_of(order)
    context = {
        "order": order,
        "shipment": shipment,
        "timeline": timeline(shipment) if shipment else [],
        "number": order.number,
        "payment": payment,
        "qr_url": payment_selectors.qr_path(payment) if waiting else "",
        "slip_upload": waiting and payment_services.slips_are_checked(),
        "wallets": payment_services.WALLET_SOURCES.items() if waiting and payment_services.cards_are_taken() else [],
        "token": token,
        **_tax_context(order, BuyerForm()),
    }
    return render(request, "storefront/track.html", context)


def _tax_context(order: Order, tax_form: BuyerForm) -> dict:
    return {
        "tax_documents": order_selectors.tax_documents_of(order),
        "tax_chance": order_selectors.full_invoice_chance(order),
        "tax_form": tax_form,
    }


@require_POST
@throttle("storefront.tax_invoice", "10/m")
def tracked_order_tax_invoice(request: HttpRequest, number: str, token: str) -> HttpResponse:
    """The buyer asks for a full tax invoice from the order page (within the month it was paid in)."""
    order = order_selectors.order_for_tracking_token(number=number, token=token)
    if order is None:
        raise Http404
    tax_form = BuyerForm(request.POST)
    if tax_form.is_valid() and tax_form.buyer() is None:
        tax_form.add_error("name", _("Give the buyer's name."))
    if tax_form.is_valid():
        try:
            invoice = order_services.ask_for_full_tax_invoice(
                order=order, buyer=tax_form.buyer(), actor=acting_user(request)
            )
        except DomainError as error:
            if not tax_form.add_service_error(error):
                messages.error(request, error.message)
                return redirect("storefront:tracked-order", number=order.number, token=token)
        else:
            if invoice is None:
                messages.success(request, _("Thank you: the full tax invoice will be issued when the order is paid."))
            else:
                messages.success(request, _("Your full tax invoice %(code)s is ready.") % {"code": invoice.code})
            return redirect("storefront:tracked-order", number=order.number, token=token)
    payment = payment_selectors.promptpay_payment_for(order)
    shipment = shipment_of(order)
    context = {
        "order": order,
        "shipment": shipment,
        "timeline": timeline(shipment) if shipment else [],
        "number": order.number,
        "payment": payment,
        "token": token,
        **_tax_context(order, tax_form),
    }
    return render(request, "storefront/track.html", context, status=400)


@require_GET
def tracked_order_tax_document(request: HttpRequest, number: str, token: str, public_id: uuid.UUID) -> HttpResponse:
    """One of the order's tax documents as a PDF for the buyer (Thai, or the English copy with ?lang=en)."""
    order = order_selectors.order_for_tracking_token(number=number, token=token)
    document = order_selectors.tax_document_of(order, public_id=public_id) if order else None
    if document is None:
        raise Http404
    language = "en" if request.GET.get("lang") == "en" else "th"
    suffix = "-en" if language == "en" else ""
    return pdf_response(tax_pdfs.document_pdf(document, language=language), f"{document.code}{suffix}.pdf")


@require_POST
@throttle("storefront.slip", "10/m")
def tracked_order_slip(request: HttpRequest, number: str, token: str) -> HttpResponse:
    """The buyer gives the transfer slip of a waiting order: the bank confirms it and the order is paid."""
    order = order_selectors.order_for_tracking_token(number=number, token=token)
    if order is None:
        raise Http404
    payment = payment_selectors.promptpay_payment_for(order)
    upload = request.FILES.get("slip")
    if payment is None or payment.status != "pending" or upload is None:
        messages.error(request, _("Please choose the picture of the transfer slip."))
    else:
        try:
            payment_services.count_slip_try(target=f"order:{order.number}")
            payment_services.pay_by_slip_image(payment=payment, image=upload.read(payment_services.MAX_SLIP_BYTES + 1))
            messages.success(request, _("Thank you: the bank confirmed your transfer."))
        except DomainError as error:
            messages.error(request, error.message)
    return redirect("storefront:tracked-order", number=order.number, token=token)


@require_POST
@throttle("storefront.gateway", "10/m")
def tracked_order_gateway(request: HttpRequest, number: str, token: str) -> HttpResponse:
    """Pay a waiting order through the gateway: a card token (from the gateway's own card form) or an
    e-wallet; the buyer is sent to the gateway (3-D Secure, the wallet) and comes back to the tracking page."""
    order = order_selectors.order_for_tracking_token(number=number, token=token)
    if order is None:
        raise Http404
    back = reverse("storefront:tracked-order", kwargs={"number": order.number, "token": token})
    source = request.POST.get("source", "")
    card_token = request.POST.get("card_token", "").strip()
    if order.status != "pending_payment" or not (card_token or source in payment_services.WALLET_SOURCES):
        messages.error(request, _("This order cannot be paid that way."))
        return redirect(back)
    try:
        started = payment_services.start_card_payment(
            paid_for=order,
            amount=order.total,
            reference=order.number,
            return_uri=request.build_absolute_uri(back + "?paid=gateway"),
            card_token=card_token,
            source_type="" if card_token else source,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    if started.authorize_uri.startswith(("https://", "http://")):
        # Not a redirect: the browser checks a form's redirects against the page's CSP form-action ('self'),
        # and the gateway (then the wallet or the card's bank) is another origin. A page that moves on by
        # itself (meta refresh, with a link) is a plain navigation, which the CSP leaves alone.
        return render(request, "storefront/to_gateway.html", {"order": order, "authorize_uri": started.authorize_uri})
    return redirect(back)


MY_ORDERS_SHOWN = 50


@require_GET
@login_required
def my_orders(request: HttpRequest) -> HttpResponse:
    """The signed-in customer's orders, newest first, each linking to its tracking page."""
    orders = list(order_selectors.orders_of_user(user=request.user)[:MY_ORDERS_SHOWN])
    for order in orders:
        order.tracking_path = reverse(
            "storefront:tracked-order",
            kwargs={"number": order.number, "token": order_selectors.tracking_token(order.number)},
        )
    return render(request, "storefront/my_orders.html", {"orders": orders})


@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    from otop.storefront.links import product_url

    base = request.build_absolute_uri("/").rstrip("/")
    urls = [base + reverse("storefront:home")]
    urls += [base + reverse("storefront:category", args=[c.code]) for c in Category.objects.all()]
    urls += [base + product_url(code) for code, _updated in sitemap_codes()]
    return render(request, "storefront/sitemap.xml", {"urls": urls}, content_type="application/xml")

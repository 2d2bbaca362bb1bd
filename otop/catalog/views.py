"""Pages of the catalog: the public story page behind each QR code, and the staff back office."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from otop.accounts.actors import acting_user
from otop.catalog import selectors, services
from otop.catalog.csvio import export_catalog_csv, import_catalog
from otop.catalog.errors import InvalidBasket, InvalidPhoto
from otop.catalog.forms import BasketForm, ComponentForm, ImportForm, LabelsForm, PhotoForm, ProductForm, VariantForm
from otop.catalog.labels import LAYOUTS, labels_for, render_labels_pdf
from otop.catalog.models import Category, Product, ProductPhoto
from otop.catalog.qr import qr_png, qr_svg
from otop.core.checks import is_loopback_url
from otop.core.errors import DomainError
from otop.core.pages import pdf_response, staff_only

# --- QR images ---------------------------------------------------------------------------------


def _can_preview(request: HttpRequest) -> bool:
    return request.user.is_authenticated and request.user.has_perm("catalog.view_product")


def _story_product(request: HttpRequest, code: str) -> Product:
    product = selectors.product_for_story(code=code, include_unlisted=_can_preview(request))
    if product is None:
        raise Http404
    return product


def _qr_url(request: HttpRequest, product: Product) -> str:
    # Printed codes must carry the public address (SITE_URL), not the one staff reached the server by.
    return settings.SITE_URL + reverse("storefront:qr", kwargs={"code": product.code})


@require_GET
@cache_control(max_age=86400, public=True)
def qr_image_svg(request: HttpRequest, code: str) -> HttpResponse:
    product = _story_product(request, code)
    return HttpResponse(qr_svg(_qr_url(request, product)), content_type="image/svg+xml")


@require_GET
@cache_control(max_age=86400, public=True)
def qr_image_png(request: HttpRequest, code: str) -> HttpResponse:
    product = _story_product(request, code)
    return HttpResponse(qr_png(_qr_url(request, product)), content_type="image/png")


# --- back office ------------------------------------------------------------------------------


@require_GET
@staff_only("catalog.view_product")
def product_list(request: HttpRequest) -> HttpResponse:
    products = selectors.products_for_backoffice(
        query=request.GET.get("q", "").strip(),
        category=request.GET.get("category", ""),
        status=request.GET.get("status", ""),
    )
    page = Paginator(products, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/backoffice/products.html",
        {"page": page, "categories": selectors.categories(), "statuses": Product.Status.choices},
    )


@require_http_methods(["GET", "POST"])
@staff_only("catalog.add_product")
def product_create(request: HttpRequest) -> HttpResponse:
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            product = services.create_product(actor=acting_user(request), **data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The product was created."))
            return redirect("catalog:backoffice-product", pk=product.pk)
    return render(request, "catalog/backoffice/product_form.html", {"form": form, "product": None})


@require_http_methods(["GET", "POST"])
@staff_only("catalog.change_product")
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(Product.objects.select_related("producer", "category"), pk=pk)
    default = services.default_variant_of(product)
    form = ProductForm(
        request.POST or None, instance=product, initial={"price": default.price, "barcode": default.barcode}
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data if name != "sku"}
        try:
            services.update_product(product=product, actor=acting_user(request), **data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The product was saved."))
            return redirect("catalog:backoffice-product", pk=product.pk)
    return render(request, "catalog/backoffice/product_form.html", _product_page(product, form=form))


def _product_page(product: Product, **extra) -> dict:
    return {
        "product": product,
        "variants": product.variants.order_by("sort_order", "id"),
        "photos": selectors.photos_of(product),
        "variant_form": VariantForm(),
        "photo_form": PhotoForm(),
        **extra,
    }


@require_POST
@staff_only("catalog.add_variant")
def variant_add(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(Product, pk=pk)
    form = VariantForm(request.POST)
    if form.is_valid():
        try:
            services.add_variant(product=product, actor=acting_user(request), **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The variant was added."))
            return redirect("catalog:backoffice-product", pk=product.pk)
    page = _product_page(product, form=ProductForm(instance=product), variant_form=form)
    return render(request, "catalog/backoffice/product_form.html", page, status=400)


@require_POST
@staff_only("catalog.change_product")
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(Product, pk=pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_product_photo(
                product=product,
                upload=form.cleaned_data["photo"],
                actor=acting_user(request),
                alt_th=form.cleaned_data["alt_th"],
                alt_en=form.cleaned_data["alt_en"],
            )
        except InvalidPhoto as error:
            form.add_error("photo", error.message)
        else:
            messages.success(request, _("The photo was added."))
            return redirect("catalog:backoffice-product", pk=product.pk)
    page = _product_page(product, form=ProductForm(instance=product), photo_form=form)
    return render(request, "catalog/backoffice/product_form.html", page, status=400)


@require_POST
@staff_only("catalog.change_product")
def photo_remove(request: HttpRequest, pk: int) -> HttpResponse:
    photo = get_object_or_404(ProductPhoto.objects.select_related("product"), pk=pk)
    services.remove_product_photo(photo=photo, actor=acting_user(request))
    messages.success(request, _("The photo was removed."))
    return redirect("catalog:backoffice-product", pk=photo.product.pk)


@require_http_methods(["GET", "POST"])
@staff_only("catalog.add_product")
def basket_list(request: HttpRequest) -> HttpResponse:
    form = BasketForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        basket = services.create_product(
            actor=acting_user(request),
            is_basket=True,
            category=Category.objects.get(code="souvenirs"),
            status=Product.Status.DRAFT,
            **form.cleaned_data,
        )
        messages.success(request, _("The gift basket was created; now add its products."))
        return redirect("catalog:backoffice-basket", pk=basket.pk)
    baskets = selectors.products_for_backoffice(baskets_only=True)
    return render(request, "catalog/backoffice/baskets.html", {"baskets": baskets, "form": form})


@require_http_methods(["GET", "POST"])
@staff_only("catalog.change_product")
def basket_builder(request: HttpRequest, pk: int) -> HttpResponse:
    basket = get_object_or_404(Product, pk=pk, is_basket=True)
    form = ComponentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.set_basket_component(
                    basket=basket,
                    variant=form.cleaned_data["variant"],
                    quantity=form.cleaned_data["quantity"],
                    actor=acting_user(request),
                )
            except InvalidBasket as error:
                form.add_error("variant", error.message)
                status = 400
            else:
                if not request.htmx:
                    return redirect("catalog:backoffice-basket", pk=basket.pk)
                form = ComponentForm()
        else:
            status = 400
    components = list(selectors.components_of(basket))
    total = sum((component.variant.price * component.quantity for component in components), start=0)
    template = "catalog/backoffice/basket.html#builder" if request.htmx else "catalog/backoffice/basket.html"
    context = {"basket": basket, "components": components, "form": form, "components_total": total}
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
@staff_only("catalog.print_labels")
def labels(request: HttpRequest) -> HttpResponse:
    # Other pages (a delivery of goods) link here with ?skus= to preselect what to label.
    form = LabelsForm(request.POST or None, initial={"skus": request.GET.get("skus", "")})
    if request.method == "POST" and form.is_valid():
        category = form.cleaned_data["category"]
        variants = selectors.variants_for_labels(
            skus=form.cleaned_data["skus"].splitlines(), category=category.code if category else ""
        )
        if not variants:
            form.add_error(None, _("No product matches."))
        else:
            layout = LAYOUTS[form.cleaned_data["layout"]]
            sheet = labels_for(variants, base_url=settings.SITE_URL, copies=form.cleaned_data["copies"])
            return pdf_response(render_labels_pdf(sheet, layout=layout), f"labels-{layout.code}.pdf")
    context = {"form": form, "site_url": settings.SITE_URL, "site_url_is_loopback": is_loopback_url(settings.SITE_URL)}
    return render(request, "catalog/backoffice/labels.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@staff_only("catalog.import_catalog")
def import_csv(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = import_catalog(
            data=form.cleaned_data["file"].read(),
            actor=acting_user(request),
            dry_run=form.cleaned_data["dry_run"],
            stock_location=form.cleaned_data["stock_location"],
        )
        if report.ok and not report.dry_run:
            messages.success(
                request,
                _("%(created)s products created, %(updated)s updated.")
                % {"created": report.created, "updated": report.updated},
            )
            return redirect("catalog:backoffice-import")
    status = 400 if report is not None and not report.ok else 200
    return render(request, "catalog/backoffice/import.html", {"form": form, "report": report}, status=status)


@require_GET
@staff_only("catalog.import_catalog")
def export_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(export_catalog_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="catalog-{timezone.localdate():%Y%m%d}.csv"'
    return response


@require_GET
@staff_only("catalog.view_product")
def qr_scans(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    since = today - timedelta(days=29)
    rows = selectors.qr_scans_by_product(since=since, until=today + timedelta(days=1))[:200]
    return render(request, "catalog/backoffice/scans.html", {"rows": rows, "since": since, "until": today})

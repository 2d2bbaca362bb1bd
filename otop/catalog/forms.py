from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from otop.catalog.errors import InvalidBarcode
from otop.catalog.labels import LAYOUTS
from otop.catalog.models import Category, Product, Variant
from otop.catalog.services import clean_barcode
from otop.core.collation import NameOrderedModelChoiceField
from otop.producers.models import Producer

STORY_HELP = _(
    "Paragraphs and simple formatting: <p>, <strong>, <em>, <ul>/<li>, <h3>, links. Anything else is removed."
)


def _barcode(value: str) -> str | None:
    try:
        return clean_barcode(value)
    except InvalidBarcode as error:
        raise forms.ValidationError(error.message) from None


class ProductForm(forms.ModelForm):
    price = forms.DecimalField(
        label=_("price incl. VAT (THB)"), min_value=Decimal("0"), max_digits=12, decimal_places=2
    )
    barcode = forms.CharField(
        label=_("barcode (EAN-13)"),
        required=False,
        max_length=13,
        help_text=_("Leave empty to get an in-store code (prefix 21)."),
    )

    class Meta:
        model = Product
        fields = [
            "sku", "name_th", "name_en", "category", "producer", "status", "description_th", "description_en",
            "story_th", "story_en", "otop_stars", "weight_grams", "length_mm", "width_mm", "height_mm",
            "fda_number", "tcps_number", "is_halal", "gi_name",
        ]  # fmt: skip
        widgets = {
            "story_th": forms.Textarea(attrs={"rows": 8}),
            "story_en": forms.Textarea(attrs={"rows": 8}),
            "description_th": forms.Textarea(attrs={"rows": 2}),
            "description_en": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"story_th": STORY_HELP, "story_en": STORY_HELP}
        field_classes = {"producer": NameOrderedModelChoiceField, "category": NameOrderedModelChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = Producer.objects.filter(is_active=True)
        if self.instance.pk:
            self.fields["sku"].disabled = True

    def clean_barcode(self) -> str | None:
        return _barcode(self.cleaned_data.get("barcode", ""))


class VariantForm(forms.ModelForm):
    barcode = forms.CharField(label=_("barcode (EAN-13)"), required=False, max_length=13)

    class Meta:
        model = Variant
        fields = ["sku", "name_th", "name_en", "price"]

    def clean_barcode(self) -> str | None:
        return _barcode(self.cleaned_data.get("barcode", ""))


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("photo (JPEG, PNG or WebP, up to 5 MB)"))
    alt_th = forms.CharField(label=_("description (Thai)"), max_length=200, required=False)
    alt_en = forms.CharField(label=_("description (English)"), max_length=200, required=False)


class BasketForm(forms.Form):
    sku = forms.CharField(label=_("SKU"), max_length=40)
    name_th = forms.CharField(label=_("name (Thai)"), max_length=200)
    name_en = forms.CharField(label=_("name (English)"), max_length=200, required=False)
    price = forms.DecimalField(
        label=_("price incl. VAT (THB)"), min_value=Decimal("0"), max_digits=12, decimal_places=2
    )
    producer = NameOrderedModelChoiceField(
        label=_("producer"),
        queryset=Producer.objects.filter(is_active=True),
        help_text=_("Who the basket is sold for (often the center itself)."),
    )

    def clean_sku(self) -> str:
        sku = self.cleaned_data["sku"].strip()
        if Product.objects.filter(sku=sku).exists() or Variant.objects.filter(sku=sku).exists():
            raise forms.ValidationError(_("This SKU is already used."))
        return sku


class ComponentForm(forms.Form):
    variant = forms.CharField(label=_("SKU or barcode of the product"), max_length=40)
    quantity = forms.IntegerField(label=_("quantity"), min_value=0, max_value=99, initial=1)

    def clean_variant(self) -> Variant:
        value = self.cleaned_data["variant"].strip()
        variant = Variant.objects.select_related("product").filter(sku=value).first()
        variant = variant or Variant.objects.select_related("product").filter(barcode=value).first()
        if variant is None:
            raise forms.ValidationError(_("No product has this SKU or barcode."))
        return variant


class LabelsForm(forms.Form):
    skus = forms.CharField(
        label=_("SKUs or barcodes, one a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    category = NameOrderedModelChoiceField(
        label=_("or every listed product of a category"),
        queryset=Category.objects.all(),
        required=False,
        to_field_name="code",
    )
    layout = forms.ChoiceField(label=_("layout"), choices=[(code, layout.label) for code, layout in LAYOUTS.items()])
    copies = forms.IntegerField(label=_("copies of each label"), min_value=1, max_value=100, initial=1)

    def clean(self):
        data = super().clean()
        if not data.get("skus", "").strip() and not data.get("category"):
            raise forms.ValidationError(_("Choose products or a category."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file (UTF-8)"))
    stock_location = forms.ChoiceField(
        label=_("the stock column counts goods in"),
        choices=[("backstore", _("the back store")), ("shop", _("the shop floor"))],
        initial="backstore",
    )
    dry_run = forms.BooleanField(label=_("only check the file, save nothing"), required=False)

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from otop.catalog.selectors import categories
from otop.core.i18n import localized
from otop.geo import selectors as geo
from otop.orders.models import Order
from otop.storefront.selectors import SORTS

ADDRESS_PARTS = ("province", "district", "subdistrict", "postcode")


class ListingForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    category = forms.ChoiceField(label=_("Category"), required=False)
    min_price = forms.DecimalField(label=_("Lowest price"), required=False, min_value=0, decimal_places=2)
    max_price = forms.DecimalField(label=_("Highest price"), required=False, min_value=0, decimal_places=2)
    min_stars = forms.TypedChoiceField(
        label=_("OTOP stars"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any")), *[(n, "★" * n + "+") for n in range(1, 6)]],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name")),
            ("price", _("Price: low to high")),
            ("-price", _("Price: high to low")),
            ("stars", _("Star level")),
            ("new", _("Newest")),
        ],
    )

    def __init__(self, *args, with_relevance: bool = False, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["category"].choices = [("", _("All categories"))] + [
            (c.code, localized(c, "name")) for c in categories()
        ]
        if with_relevance:
            self.fields["sort"].choices = [("", _("Best match"))]
        assert set(SORTS) >= {value for value, _label in self.fields["sort"].choices if value}


class AddToCartForm(forms.Form):
    variant = forms.IntegerField(min_value=1)
    quantity = forms.IntegerField(min_value=1, max_value=99, initial=1)


class CartLineForm(forms.Form):
    variant = forms.IntegerField(min_value=1)
    quantity = forms.IntegerField(min_value=0, max_value=99)


COD = Order.Payment.CASH_ON_DELIVERY


class CheckoutForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=12,
        error_messages={"required": _("Please give your mobile phone number, e.g. 0812345678.")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("We send the order and its progress here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    delivery_method = forms.ChoiceField(
        label=_("Delivery"), choices=Order.Delivery.choices, widget=forms.RadioSelect, initial=Order.Delivery.PICKUP
    )
    delivery_option = forms.CharField(label=_("Parcel delivery option"), max_length=61, required=False)
    payment = forms.ChoiceField(
        label=_("Payment"), choices=Order.Payment.choices, initial=Order.Payment.PROMPTPAY, required=False
    )
    line1 = forms.CharField(label=_("House number, village, road"), max_length=300, required=False)
    line2 = forms.CharField(label=_("More address details"), max_length=300, required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)
    district = forms.ChoiceField(label=_("District"), required=False)
    subdistrict = forms.ChoiceField(label=_("Subdistrict"), required=False)
    postcode = forms.CharField(
        label=_("Postcode"), max_length=5, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    coupon = forms.CharField(label=_("Coupon code"), max_length=30, required=False)

    def __init__(self, *args, province: str = "", district: str = "", **kwargs):
        super().__init__(*args, **kwargs)

        def options(rows, empty):
            return [("", empty)] + [(row.code, localized(row, "name")) for row in rows]

        self.fields["province"].choices = options(geo.provinces(), _("Choose a province"))
        self.fields["district"].choices = options(
            geo.districts_of(province_code=province) if province else [], _("Choose a district")
        )
        self.fields["subdistrict"].choices = options(
            geo.subdistricts_of(district_code=district) if district else [], _("Choose a subdistrict")
        )

    def clean(self):
        """A parcel's place is checked with the other fields, so every mistake is listed at once."""
        cleaned = super().clean()
        if cleaned.get("delivery_method") != Order.Delivery.PARCEL and cleaned.get("payment") == COD:
            # The COD choice sits with the parcel options, hidden (and still sent) once the buyer turns to pickup:
            # the page drops it, as it says PromptPay for pickup. place_order itself still refuses COD for pickup.
            cleaned["payment"] = Order.Payment.PROMPTPAY
        if cleaned.get("delivery_method") == Order.Delivery.PARCEL:
            try:
                geo.resolve_address(**{part: cleaned.get(part, "") for part in ADDRESS_PARTS})
            except geo.InvalidAddress as error:
                for part, messages in error.fields.items():
                    for message in messages:
                        self.add_error(part, message)
        return cleaned

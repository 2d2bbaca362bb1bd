from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from otop.channels.models import PushKind
from otop.core.i18n import localized
from otop.geo import selectors as geo
from otop.orders.models import Order


class ChatCheckoutForm(forms.Form):
    """The buyer's details for an order from a chat: the same fields place_order asks of the website."""

    name = forms.CharField(label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail (if you like)"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
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

    def clean_phone(self) -> str:
        return "".join(ch for ch in self.cleaned_data["phone"] if ch.isdigit())


class PushPreferencesForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Send me on LINE"), choices=PushKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Your answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

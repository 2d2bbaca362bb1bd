"""Shapes of the producer registry's and portal's input; the services check the rules."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from otop.core.validators import normalize_thai_phone, validate_thai_phone
from otop.geo.selectors import InvalidAddress, resolve_address
from otop.producers.models import BankAccount, Certification, Producer
from otop.producers.services import SELF_SERVICE_FIELDS, STAFF_FIELDS


class AddressMixin(forms.Form):
    """Province → district → subdistrict → postcode, checked against the reference places."""

    province_name = forms.CharField(label=_("Province"), max_length=100)
    district_name = forms.CharField(label=_("District"), max_length=100)
    subdistrict_name = forms.CharField(label=_("Subdistrict"), max_length=100)
    postcode_value = forms.CharField(label=_("Postcode"), max_length=5)

    ADDRESS_FIELDS = {
        "province": "province_name",
        "district": "district_name",
        "subdistrict": "subdistrict_name",
        "postcode": "postcode_value",
    }

    def initial_address(self, producer: Producer | None) -> None:
        if producer is None or producer.pk is None:
            return
        self.initial.update(
            province_name=producer.province.name_th,
            district_name=producer.district.name_th,
            subdistrict_name=producer.subdistrict.name_th if producer.subdistrict_id else "",
            postcode_value=producer.postcode,
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if all(cleaned.get(name) for name in self.ADDRESS_FIELDS.values()):
            address = {part: cleaned[name] for part, name in self.ADDRESS_FIELDS.items()}
            try:
                resolve_address(**address)
            except InvalidAddress as error:
                for part, messages in error.fields.items():
                    for message in messages:
                        self.add_error(self.ADDRESS_FIELDS[part], message)
            else:
                self.address = address
        return cleaned


class PortalProfileForm(AddressMixin, forms.ModelForm):
    # Longer than the stored 10 digits: people type "081-234-5678" or "+66 81 234 5678".
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)

    class Meta:
        model = Producer
        fields = list(SELF_SERVICE_FIELDS)
        widgets = {"story_th": forms.Textarea(attrs={"rows": 4}), "story_en": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial_address(self.instance)
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="tel")
        self.order_fields([*SELF_SERVICE_FIELDS[:7], *self.ADDRESS_FIELDS.values(), "story_th", "story_en"])

    def clean_phone(self) -> str:
        return normalize_thai_phone(self.cleaned_data["phone"]) if self.cleaned_data["phone"] else ""

    def _post_clean(self) -> None:
        # Run the model's field validators (phone, tax ID checksum) on a copy: the service
        # saves the changes together with the resolved address.
        candidate = construct_instance(self, copy.copy(self.instance), self._meta.fields)
        exclude = [field.name for field in Producer._meta.fields if field.name not in self._meta.fields]
        try:
            candidate.clean_fields(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)


class StaffProducerForm(PortalProfileForm):
    class Meta(PortalProfileForm.Meta):
        fields = list(STAFF_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tax_id"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        if self.instance.pk and self.instance.tax_id:
            # The number on file is never written into the page: shown masked, kept when left empty.
            self.initial["tax_id"] = ""
            self.fields["tax_id"].widget.attrs["placeholder"] = self.instance.masked_tax_id
            self.fields["tax_id"].help_text = _("Leave empty to keep the number on file.")
        self.order_fields(
            [
                "kind",
                *SELF_SERVICE_FIELDS[:7],
                *self.ADDRESS_FIELDS.values(),
                *STAFF_FIELDS[10:],
                "story_th",
                "story_en",
            ]
        )

    def clean_tax_id(self) -> str:
        value = self.cleaned_data["tax_id"]
        return value or (self.instance.tax_id if self.instance.pk else "")


class PortalAccountForm(forms.Form):
    phone = forms.CharField(label=_("Phone number for signing in"), max_length=20)

    def clean_phone(self) -> str:

        value = self.cleaned_data["phone"]
        validate_thai_phone(value)
        return normalize_thai_phone(value)


class BankAccountForm(forms.ModelForm):
    class Meta:
        model = BankAccount
        fields = ["bank", "account_number", "account_name"]
        widgets = {"account_number": forms.TextInput(attrs={"inputmode": "numeric"})}

    def clean_account_number(self) -> str:
        return self.cleaned_data["account_number"].replace("-", "").replace(" ", "")


class CertificationForm(forms.ModelForm):
    class Meta:
        model = Certification
        fields = ["kind", "number", "issued_on", "expires_on", "document"]
        widgets = {
            "issued_on": forms.DateInput(attrs={"type": "date"}),
            "expires_on": forms.DateInput(attrs={"type": "date"}),
        }

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from otop.core.validators import validate_thai_tax_id


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
    manager_pin = forms.CharField(
        label=_("Manager PIN"), max_length=12, widget=forms.PasswordInput(attrs={"inputmode": "numeric"})
    )


class TaxInvoiceForm(forms.Form):
    buyer_name = forms.CharField(label=_("Buyer name"), max_length=200)
    buyer_address = forms.CharField(label=_("Buyer address"), widget=forms.Textarea(attrs={"rows": 3}))
    buyer_tax_id = forms.CharField(
        label=_("Buyer tax ID"), max_length=13, required=False, validators=[validate_thai_tax_id]
    )
    buyer_branch = forms.CharField(label=_("Branch"), max_length=5, required=False)

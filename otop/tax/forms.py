"""The buyer's details for a full tax invoice (s.86/4), the one form every checkout and the order page embed
(web, Meta's checkout link, the LINE chat checkout, "ask for one later"). It checks the shape of the input;
tax.services.Buyer.cleaned checks the same rules again where the invoice is asked for."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from otop.core.errors import DomainError
from otop.core.validators import thai_tax_id_is_valid
from otop.tax.services import Buyer

HEAD_OFFICE = "head_office"
BRANCH = "branch"
# The service's field names ("tax_invoice.tax_id", or "buyer_tax_id") → this form's.
SERVICE_FIELDS = {"name": "name", "address": "address", "tax_id": "tax_id", "branch": "branch_number"}


class BuyerForm(forms.Form):
    """Empty: no full tax invoice is asked for (the sale gets the abbreviated one). Any detail given: all
    of them are checked."""

    name = forms.CharField(
        label=_("Company or person's name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    address = forms.CharField(
        label=_("Address for the tax invoice"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    tax_id = forms.CharField(
        label=_("Tax ID (13 digits)"),
        max_length=17,
        required=False,
        help_text=_("A company's tax ID, or a person's national ID number; leave it empty if you have none."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    branch_kind = forms.ChoiceField(
        label=_("Establishment"),
        choices=[(HEAD_OFFICE, pgettext_lazy("tax", "Head office")), (BRANCH, pgettext_lazy("tax", "Branch no."))],
        initial=HEAD_OFFICE,
        required=False,
        widget=forms.RadioSelect,
    )
    branch_number = forms.CharField(
        label=_("Branch number (5 digits)"),
        max_length=5,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "00001", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "tax_invoice")
        super().__init__(*args, **kwargs)
        # The number sits beside its radio button, which names it; screen readers get the field's own label.
        self.fields["branch_number"].widget.attrs["aria-label"] = self.fields["branch_number"].label

    @property
    def is_asked(self) -> bool:
        """Whether the buyer filled in anything of this section (then a full tax invoice is wanted)."""
        if not self.is_bound:
            return False
        return any((self.data.get(self.add_prefix(name)) or "").strip() for name in ("name", "address", "tax_id"))

    def clean(self):
        cleaned = super().clean()
        if not self.is_asked:
            return {}
        if not (cleaned.get("name") or "").strip():
            self.add_error("name", _("Give the buyer's name."))
        if not (cleaned.get("address") or "").strip():
            self.add_error("address", _("Give the buyer's address."))
        tax_id = "".join(ch for ch in cleaned.get("tax_id") or "" if ch not in " -")
        if tax_id and not thai_tax_id_is_valid(tax_id):
            self.add_error("tax_id", _("A tax ID has 13 digits and a valid check digit."))
        cleaned["tax_id"] = tax_id
        branch = ""
        if cleaned.get("branch_kind") == BRANCH:
            number = (cleaned.get("branch_number") or "").strip()
            if not (number.isdigit() and len(number) == 5 and int(number) > 0):
                self.add_error("branch_number", _("A branch number has 5 digits, e.g. 00001."))
            elif not tax_id:
                self.add_error("tax_id", _("A branch goes with the buyer's tax ID."))
            branch = number
        cleaned["branch"] = branch
        return cleaned

    def buyer(self) -> Buyer | None:
        """The buyer for the tax service, or None when nothing was asked (call after is_valid())."""
        if not self.is_asked:
            return None
        data = self.cleaned_data
        return Buyer(name=data["name"], address=data["address"], tax_id=data["tax_id"], branch=data["branch"])

    def add_service_error(self, error: DomainError) -> bool:
        """Put a service's refusal of the buyer's details beside this form's fields; whether any was ours."""
        found = False
        for name, messages in error.fields.items():
            short = name.removeprefix("tax_invoice.").removeprefix("buyer_")
            if name.startswith(("tax_invoice.", "buyer_")) and short in SERVICE_FIELDS:
                found = True
                for message in messages:
                    self.add_error(SERVICE_FIELDS[short], message)
        return found

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


class RefundLinesForm(VoidForm):
    """Units to refund per line of a sale (0 keeps the line), a reason and a manager's PIN."""

    def __init__(self, *args, lines: list[tuple[object, int]], **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields([])
        for line, left in lines:
            self.fields[f"line_{line.pk}"] = forms.IntegerField(
                label=line.name, min_value=0, max_value=left, initial=0, required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )  # fmt: skip
        self.order_fields([name for name in self.fields if name.startswith("line_")] + ["reason", "manager_pin"])

    def returned(self) -> list[tuple[int, int]]:
        """(sale line id, units) for every line with units to refund."""
        return [
            (int(name.removeprefix("line_")), value)
            for name, value in self.cleaned_data.items()
            if name.startswith("line_") and value
        ]

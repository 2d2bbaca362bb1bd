from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from otop.core.collation import NameOrderedModelChoiceField
from otop.inventory.models import Intake, Location, StockMove
from otop.producers.models import Producer


class TransferForm(forms.Form):
    code = forms.CharField(label=_("Barcode or SKU"), max_length=40)
    from_location = NameOrderedModelChoiceField(label=_("From"), queryset=Location.objects.all(), to_field_name="code")
    to_location = NameOrderedModelChoiceField(label=_("To"), queryset=Location.objects.all(), to_field_name="code")
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class RemoveForm(forms.Form):
    code = forms.CharField(label=_("Barcode or SKU"), max_length=40)
    location = NameOrderedModelChoiceField(label=_("Location"), queryset=Location.objects.all(), to_field_name="code")
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1)
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[
            (StockMove.Reason.DAMAGE, _("Damage")),
            (StockMove.Reason.RETURN_TO_PRODUCER, _("Return to producer")),
            (StockMove.Reason.ADJUSTMENT, _("Adjustment")),
        ],
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class BasketForm(forms.Form):
    code = forms.CharField(label=_("Basket SKU or barcode"), max_length=40)
    location = NameOrderedModelChoiceField(
        label=_("Location"), queryset=Location.objects.all(), to_field_name="code", initial="backstore"
    )
    quantity = forms.IntegerField(label=_("Number of baskets"), min_value=1, max_value=10000)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class IntakeHeaderForm(forms.Form):
    producer = NameOrderedModelChoiceField(label=_("Producer"), queryset=Producer.objects.filter(is_active=True))
    kind = forms.ChoiceField(label=_("Kind"), choices=Intake.Kind.choices, initial=Intake.Kind.CONSIGNMENT)
    location = NameOrderedModelChoiceField(
        label=_("Received into"), queryset=Location.objects.all(), to_field_name="code", initial="backstore"
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class IntakeLineForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=0, required=False)
    producer_price = forms.DecimalField(
        label=_("Producer's price"), min_value=Decimal("0"), max_digits=12, decimal_places=2, required=False
    )
    commission_percent = forms.DecimalField(
        label=_("Commission (%)"),
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        required=False,
    )
    cost_price = forms.DecimalField(
        label=_("Cost price"), min_value=Decimal("0"), max_digits=12, decimal_places=2, required=False
    )


class ScanForm(forms.Form):
    code = forms.CharField(label=_("Scan a barcode"), max_length=40)


class CountForm(forms.Form):
    counted = forms.IntegerField(label=_("Counted"), min_value=0)


class ThresholdForm(forms.Form):
    code = forms.CharField(label=_("Barcode or SKU"), max_length=40)
    minimum = forms.IntegerField(
        label=_("Low at or below"), min_value=0, required=False, help_text=_("Leave empty to remove the threshold.")
    )


class CommissionForm(forms.Form):
    code = forms.CharField(label=_("Product SKU, item SKU or barcode"), max_length=40)
    percent = forms.DecimalField(
        label=_("Commission (%)"),
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        decimal_places=2,
        required=False,
        help_text=_("Leave empty to use the producer's rate (or the center's default) again."),
    )


class SettlementForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    producer = NameOrderedModelChoiceField(
        label=_("Producer"),
        queryset=Producer.objects.all(),
        required=False,
        empty_label=_("Every producer with sales"),
    )

    def clean_month(self):
        month = self.cleaned_data["month"].replace(day=1)
        if month > timezone.localdate().replace(day=1):
            raise forms.ValidationError(_("A month that has not started cannot be settled."))
        return month


class PaidForm(forms.Form):
    payment_reference = forms.CharField(label=_("Transfer reference"), max_length=80, required=False)

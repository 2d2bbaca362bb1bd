"""The shapes of the reports' inputs: filters (never an error: a bad value falls back), targets, outside sales."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from otop.catalog.models import Category
from otop.core.i18n import localized
from otop.reports.models import OutsideSales, Target
from otop.reports.selectors import CHANNEL_LABELS, Filters, current_buddhist_year, district_options, month_label

MONTH_CHOICES = [(month, str(month)) for month in range(1, 13)]


class FilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year (B.E.)"), min_value=2500, max_value=2700, required=False)
    first_month = forms.TypedChoiceField(label=_("From month"), choices=MONTH_CHOICES, coerce=int, required=False)
    last_month = forms.TypedChoiceField(label=_("To month"), choices=MONTH_CHOICES, coerce=int, required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    category = forms.TypedChoiceField(label=_("Category"), coerce=int, required=False)
    district = forms.ChoiceField(label=_("District"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = current_buddhist_year()
        self.fields["first_month"].initial, self.fields["last_month"].initial = 1, 12
        self.fields["first_month"].choices = self.fields["last_month"].choices = [
            (month, month_label(month)) for month in range(1, 13)
        ]
        self.fields["channel"].choices = [("", _("All channels"))] + [
            (key, label) for key, label in CHANNEL_LABELS.items()
        ]
        self.fields["category"].choices = [("", _("All categories"))] + [
            (category.pk, localized(category, "name")) for category in Category.objects.all()
        ]
        self.fields["district"].choices = [("", _("All districts"))] + [
            (district.code, localized(district, "name")) for district in district_options()
        ]

    def filters(self, *, producer_id: int = 0, district_code: str = "") -> Filters:
        """The filters asked for; anything invalid is left at its default (this year, all of it)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        year = data.get("year") or current_buddhist_year()
        first, last = data.get("first_month") or 1, data.get("last_month") or 12
        if first > last:
            first, last = last, first
        return Filters(
            year=year, first_month=first, last_month=last, channel=data.get("channel") or "",
            category_id=data.get("category") or 0, district_code=district_code or data.get("district") or "",
            producer_id=producer_id,
        )  # fmt: skip


class TargetForm(forms.Form):
    year = forms.IntegerField(label=_("Year (B.E.)"), min_value=2500, max_value=2700)
    month = forms.TypedChoiceField(
        label=_("Month"), coerce=int, choices=[(0, _("Whole year"))] + MONTH_CHOICES, initial=0
    )
    scope = forms.ChoiceField(label=_("For"), choices=Target.Scope.choices)
    dimension = forms.ChoiceField(label=pgettext_lazy("target", "By"), choices=Target.Dimension.choices)
    key = forms.CharField(label=_("Which"), max_length=40, required=False)
    amount = forms.DecimalField(
        label=_("Target (THB)"), max_digits=16, decimal_places=2, min_value=0, required=False,
        help_text=_("Leave empty to remove the target."),
    )  # fmt: skip
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class CsvUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))

    def text(self) -> str:
        data = self.cleaned_data["file"].read(2_000_001)
        if len(data) > 2_000_000:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Save the file as UTF-8 CSV.")) from None


class OutsideSalesForm(forms.Form):
    month = forms.CharField(label=_("Month (B.E. year-month, e.g. 2569-03)"), max_length=7)
    channel = forms.ChoiceField(label=_("Channel"), choices=OutsideSales.Channel.choices)
    amount = forms.DecimalField(label=_("Sales (THB, incl. VAT)"), max_digits=12, decimal_places=2, min_value=0)


class OfficerOutsideSalesForm(OutsideSalesForm):
    producer = forms.IntegerField(label=_("Producer number"), min_value=1, max_value=2**31 - 1)

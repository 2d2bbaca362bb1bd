"""Shapes of the committee's input; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from otop.accounts.models import User
from otop.catalog.models import Category
from otop.core.i18n import localized
from otop.producers.models import Producer
from otop.selection.models import Application, Criterion, Decision, DecisionRule, Meeting

SCORE_CHOICES = [("", "—"), *[(str(value), str(value)) for value in range(1, 6)]]


class ScorecardForm(forms.Form):
    """One 1–5 score and an optional comment per active criterion, and an overall comment."""

    def __init__(self, *args: Any, criteria: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                label=localized(criterion, "name"), choices=SCORE_CHOICES, coerce=int
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on %(criterion)s") % {"criterion": localized(criterion, "name")},
                required=False,
                max_length=500,
            )
        self.fields["comment"] = forms.CharField(
            label=_("Overall comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
        )

    def rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"criterion_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}

    def comments(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data[f"comment_{c.pk}"] for c in self.criteria}


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=Decision.Outcome.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class MeetingForm(forms.ModelForm):
    applications = forms.ModelMultipleChoiceField(
        label=_("Applications on the agenda"),
        queryset=Application.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Meeting
        fields = ["title", "held_on", "chair"]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, waiting: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = (
            User.objects.filter(groups__permissions__codename="score_application", is_active=True)
            .distinct()
            .order_by("username")
        )
        self.fields["applications"].queryset = waiting


class DelistForm(forms.Form):
    reason = forms.CharField(label=_("Reason for delisting"), widget=forms.Textarea(attrs={"rows": 2}))


class DecisionRuleForm(forms.ModelForm):
    class Meta:
        model = DecisionRule
        fields = ["min_scorers", "approve_mean", "min_criterion_mean", "reject_below_mean"]


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["code", "name_th", "name_en", "description_th", "description_en", "sort_order", "is_active"]
        widgets = {
            "description_th": forms.Textarea(attrs={"rows": 2}),
            "description_en": forms.Textarea(attrs={"rows": 2}),
        }


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.ImageField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ApplicationForm(forms.ModelForm):
    """A producer applies with a product (phone-friendly: few required fields)."""

    photos = MultipleImageField(label=_("Photos of the product"), required=False)

    class Meta:
        model = Application
        fields = [
            "name_th", "name_en", "category", "proposed_price", "description_th", "story_th",
            "weight_grams", "certifications", "sample_delivered",
        ]  # fmt: skip
        widgets = {
            "description_th": forms.Textarea(attrs={"rows": 3}),
            "story_th": forms.Textarea(attrs={"rows": 4}),
            "certifications": forms.CheckboxSelectMultiple,
            "proposed_price": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0.01"}),
        }

    def __init__(self, *args: Any, producer: Producer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.order_by("sort_order", "code")
        self.fields["certifications"].queryset = producer.certifications.all()
        self.fields["certifications"].required = False

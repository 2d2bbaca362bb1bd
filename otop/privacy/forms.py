from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from otop.privacy.models import Breach, ConsentRecord, DataRequest, RetentionRule


class ConsentForm(forms.Form):
    """One checkbox per purpose; unticked means withdrawn (or never given)."""

    def __init__(self, *args, live: dict[str, bool], **kwargs):
        super().__init__(*args, **kwargs)
        for purpose, label in ConsentRecord.Purpose.choices:
            self.fields[purpose] = forms.BooleanField(label=label, required=False, initial=live.get(purpose, False))


class DataRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("I ask for"),
        choices=[(DataRequest.Kind.CORRECTION, DataRequest.Kind.CORRECTION.label),
                 (DataRequest.Kind.ERASURE, DataRequest.Kind.ERASURE.label)],
        widget=forms.RadioSelect,
    )  # fmt: skip
    details = forms.CharField(
        label=_("Details (what should be corrected, or anything we should know)"),
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class NoticeForm(forms.Form):
    body_th = forms.CharField(label=_("notice (Thai)"), max_length=50000, widget=forms.Textarea(attrs={"rows": 16}))
    body_en = forms.CharField(label=_("notice (English)"), max_length=50000, widget=forms.Textarea(attrs={"rows": 16}))
    asks_consent_again = forms.BooleanField(
        label=_("The change matters to what people consented to: ask them to confirm again"), required=False
    )


class CloseRequestForm(forms.Form):
    outcome = forms.CharField(label=_("What was done"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    refused = forms.BooleanField(label=_("Refused (say why above)"), required=False)


class RetentionRuleForm(forms.Form):
    keep_for = forms.IntegerField(label=_("keep for"), min_value=1, max_value=1200)
    unit = forms.ChoiceField(label=_("unit"), choices=RetentionRule.Unit.choices)
    applies = forms.BooleanField(label=_("apply (not only report)"), required=False)


class BreachForm(forms.ModelForm):
    class Meta:
        model = Breach
        fields = [
            "title", "description", "data_affected", "discovered_at", "risk", "scope", "period_start", "period_end",
            "measures",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "measures": forms.Textarea(attrs={"rows": 3}),
            "discovered_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "period_start": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "period_end": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }


class PdpcNoticeForm(forms.Form):
    reference = forms.CharField(label=_("PDPC reference"), max_length=80, required=False)


class GuestContactForm(forms.Form):
    contact = forms.CharField(
        label=_("The e-mail address you gave with your order or booking"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )

    def __init__(self, *args, sms: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if sms:
            field = self.fields["contact"]
            field.label = _("The e-mail address or mobile number you gave with your order or booking")
            field.widget = forms.TextInput(attrs={"autocomplete": "email", "inputmode": "email"})


class GuestCodeForm(forms.Form):
    code = forms.CharField(
        label=_("The 6-digit code from the e-mail or SMS"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}),
    )

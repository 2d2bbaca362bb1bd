from __future__ import annotations

from django import forms

from otop.core.models import CenterProfile
from otop.core.services import PROFILE_FIELDS


class CenterProfileForm(forms.ModelForm):
    class Meta:
        model = CenterProfile
        fields = PROFILE_FIELDS
        widgets = {
            "opens_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "address_th": forms.Textarea(attrs={"rows": 3}),
            "address_en": forms.Textarea(attrs={"rows": 3}),
        }

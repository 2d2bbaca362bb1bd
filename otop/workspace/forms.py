"""Forms check the shape of booking input; the services check the rules."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from otop.core.collation import NameOrderedModelChoiceField
from otop.core.selectors import center_profile
from otop.core.validators import normalize_thai_phone, validate_thai_phone
from otop.payments.models import Payment
from otop.workspace.models import Space
from otop.workspace.selectors import at_local


def grid_times(space: Space) -> list[tuple[str, str]]:
    """Times on the space's grid around the center's usual hours, as select options."""
    profile = center_profile()
    start = datetime.combine(date(2000, 1, 1), time(min(profile.opens_at.hour, 8), 0))
    end = datetime.combine(date(2000, 1, 1), profile.closes_at)
    if end.hour < 22:
        end = end.replace(hour=max(end.hour, 18))
    options = []
    moment = start
    while moment <= end:
        options.append((moment.strftime("%H:%M"), moment.strftime("%H:%M")))
        moment += timedelta(minutes=space.slot_minutes)
    return options


def default_end(start: str, *, space: Space, times: list[str]) -> str:
    """The end a booking form offers for a start: the space's shortest booking later, on the grid, and
    always after the start (the last time of the day when the shortest booking does not fit)."""
    try:
        hour, minute = (int(part) for part in start.split(":"))
    except ValueError:
        return times[-1] if times else ""
    wanted = hour * 60 + minute + max(space.minimum_minutes, space.slot_minutes)
    later = [t for t in times if int(t[:2]) * 60 + int(t[3:]) >= wanted]
    return later[0] if later else (times[-1] if times else "")


class TimeRangeForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start = forms.ChoiceField(label=pgettext_lazy("booking start time", "From"))
    end = forms.ChoiceField(label=_("Until"))

    def __init__(self, *args, space: Space, **kwargs):
        super().__init__(*args, **kwargs)
        self.space = space
        times = grid_times(space)
        self.fields["start"].choices = times
        self.fields["end"].choices = times
        if not self.is_bound and "start" in self.initial and "end" not in self.initial:
            self.initial["end"] = default_end(str(self.initial["start"]), space=space, times=[t for t, _l in times])

    def times(self) -> tuple[datetime, datetime]:
        day = self.cleaned_data["day"]
        start = time.fromisoformat(self.cleaned_data["start"])
        end = time.fromisoformat(self.cleaned_data["end"])
        return at_local(day, start), at_local(day, end)


class BookingForm(TimeRangeForm):
    name = forms.CharField(label=_("Your name"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=20, validators=[validate_thai_phone])
    email = forms.EmailField(
        label=_("E-mail"), required=False, help_text=_("The confirmation and a reminder are sent here.")
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=300, widget=forms.TextInput)
    attendees = forms.IntegerField(label=_("Number of people"), min_value=1, initial=1)

    def clean_phone(self) -> str:
        return normalize_thai_phone(self.cleaned_data["phone"])


class BlockForm(TimeRangeForm):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class PaymentForm(forms.Form):
    method = forms.ChoiceField(label=_("Method"), choices=Payment.Method.choices)
    amount = forms.DecimalField(label=_("Amount (baht)"), max_digits=12, decimal_places=2, min_value=0)
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)


class WifiForm(forms.Form):
    space = NameOrderedModelChoiceField(label=_("Space"), queryset=Space.objects.filter(is_active=True))
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    password = forms.CharField(
        label=_("New password"), max_length=64, required=False, help_text=_("Leave empty for a random password.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].initial = timezone.localdate()


class MonthForm(forms.Form):
    month = forms.RegexField(regex=r"^\d{4}-\d{2}$", required=False)

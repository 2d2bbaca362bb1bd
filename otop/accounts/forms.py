from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from otop.accounts.messages import send_password_link


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label=_("User name or phone number, or e-mail"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("The e-mail, phone number or user name and the password do not match. Please try again."),
        "inactive": _("This account is not active."),
    }


class SignUpForm(forms.Form):
    """A shopper's account: a name, the e-mail address they sign in with, a password typed twice."""

    name = forms.CharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name", "autofocus": True})
    )
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("You sign in with it; order confirmations and password links go there."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 8 characters, not only digits, not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            candidate = get_user_model()(username=data.get("email", ""), email=data.get("email", ""))
            candidate.first_name = data.get("name", "")
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class PhoneSignUpForm(forms.Form):
    """A shopper's account by mobile number: a name, the number (proved by a code by SMS), a password twice."""

    name = forms.CharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name", "autofocus": True})
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        help_text=_("We send a 6-digit code there by SMS. You sign in with the number."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    password1 = SignUpForm.base_fields["password1"]
    password2 = SignUpForm.base_fields["password2"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            candidate = get_user_model()(username=data.get("phone", ""))
            candidate.first_name = data.get("name", "")
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class SignUpCodeForm(forms.Form):
    code = forms.CharField(
        label=_("The 6-digit code from the SMS"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}),
    )


class ResetByEmailForm(PasswordResetForm):
    """Ask for a reset link by e-mail (sent through accounts.messages: queued like every e-mail)."""

    email = forms.EmailField(
        label=_("E-mail address of your account"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def get_users(self, email: str) -> Iterator[Any]:
        # Accounts opened by staff may not have a password yet; they may still set one by e-mail.
        users = get_user_model()._default_manager.filter(email__iexact=email, is_active=True)
        return (user for user in users if user.email.lower() == email.lower())

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        path = reverse("accounts:password-reset-confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
        send_password_link(
            user=context["user"], email=to_email, link=f"{context['protocol']}://{context['domain']}{path}"
        )


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app (or a recovery code)"), max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )  # fmt: skip

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from oversight.accounts.models import User


class SignInForm(forms.Form):
    username = forms.CharField(
        max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True})
    )
    password = forms.CharField(
        max_length=4096, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\s*[0-9]{6}\s*$",
        max_length=12,
        error_messages={"invalid": "Enter the six digits your authenticator app shows."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def cleaned_code(self) -> str:
        return str(self.cleaned_data["code"]).strip()


# The password rules' messages in our own words and catalogue: Django's Kazakh catalogue lacks most
# of them, and our own validators (accounts.passwords) speak English. Keyed by the error's code.
_PASSWORD_MESSAGES = {
    "password_too_short": gettext_lazy("Use at least %(min_length)d characters."),
    "password_too_long": gettext_lazy("Use at most %(max_length)d characters."),
    "password_too_common": gettext_lazy("This password is too common: it is among the first an attacker tries."),
    "password_too_similar": gettext_lazy("The password is too like your name, username or e-mail address."),
    "password_entirely_numeric": gettext_lazy("The password cannot be digits only."),
    "password_context_word": gettext_lazy("The password is built on a word everyone associates with this system."),
}


class PasswordForm(PasswordChangeForm):
    """Django's change of password (the current one checked, the new one twice, AUTH_PASSWORD_VALIDATORS),
    on a page where it is not the first thing: it takes no focus."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": gettext_lazy("The current password is not right. Enter it again."),
        "password_mismatch": gettext_lazy("The two new passwords differ."),
        "password_unchanged": gettext_lazy("The new password must differ from the current one."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].widget.attrs.pop("autofocus", None)
        for field in self.fields.values():
            field.help_text = ""  # the page says the rules once, in the reader's language; no dangling reference

    @sensitive_variables("password")
    def validate_password_for_user(self, user: User, password_field_name: str = "password2") -> None:  # noqa: S107 - a field name
        """Django's rules (AUTH_PASSWORD_VALIDATORS), their messages in ours (`_PASSWORD_MESSAGES`), and
        a new password that differs from the current one: an administrator's stays known to them."""
        password = self.cleaned_data.get(password_field_name)
        if not password:
            return
        if user.check_password(password):
            self.add_error(
                password_field_name,
                ValidationError(self.error_messages["password_unchanged"], code="password_unchanged"),
            )
            return
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            self.add_error(password_field_name, [_ours(item) for item in error.error_list])


def _ours(error: ValidationError) -> ValidationError:
    message = _PASSWORD_MESSAGES.get(error.code or "")
    if message is None:
        return error
    return ValidationError(message, code=error.code, params=error.params)

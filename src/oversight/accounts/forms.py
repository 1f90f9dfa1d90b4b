from __future__ import annotations

from django import forms


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

"""The register's browser forms: registering a report in the ERDR, adding a participant.

They bound what the database would refuse (lengths, choices) and parse dates as ISO whatever the
page's language; everything the law decides (a valid IIN, a report time the rulebook covers, who may
act) is the services' to check, so the page and the API refuse the same input the same way.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.kit.html_dates import ISO_DATE, ISO_MINUTE
from oversight.register.models import ROLES_BY_DECISION_ONLY, CaseForm, ParticipantRole

ARTICLE_ROWS = 3


class CaseRegistrationForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Investigative unit"), coerce=int)
    investigator = forms.TypedChoiceField(label=_("Investigator"), coerce=int, required=False)
    form = forms.ChoiceField(label=_("Form of investigation"), choices=CaseForm.choices)
    reported_at = forms.DateTimeField(
        label=_("Report received"),
        input_formats=[ISO_MINUTE],
        widget=forms.DateTimeInput(format=ISO_MINUTE, attrs={"type": "datetime-local"}),
    )
    summary = forms.CharField(
        label=_("Summary of the report"), max_length=20_000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, units: list[tuple[int, str]], investigators: list[tuple[int, str]], *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units  # type: ignore[attr-defined]
        self.fields["investigator"].choices = [("", "—"), *investigators]  # type: ignore[attr-defined]
        for row in range(ARTICLE_ROWS):
            self.fields[f"article-{row}"] = forms.CharField(
                label=_("Article of the Criminal Code"), max_length=8, required=row == 0
            )
            self.fields[f"part-{row}"] = forms.IntegerField(label=_("Part"), min_value=1, max_value=99, required=False)
            self.fields[f"paragraph-{row}"] = forms.IntegerField(
                label=_("Paragraph"), min_value=1, max_value=99, required=False
            )

    def article_rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [(self[f"article-{row}"], self[f"part-{row}"], self[f"paragraph-{row}"]) for row in range(ARTICLE_ROWS)]


class ParticipantForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Procedural role"),
        choices=[(value, label) for value, label in ParticipantRole.choices if value not in ROLES_BY_DECISION_ONLY],
    )
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=150, required=False)
    iin = forms.CharField(label=_("IIN"), max_length=12, required=False)
    foreign_national = forms.BooleanField(label=_("Foreign national (may have no IIN)"), required=False)
    citizenship = forms.CharField(label=_("Citizenship (ISO code)"), max_length=2, initial="KZ")
    birth_date = forms.DateField(
        label=_("Date of birth"),
        required=False,
        input_formats=[ISO_DATE],
        widget=forms.DateInput(format=ISO_DATE, attrs={"type": "date"}),
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    special_subject = forms.CharField(
        label=_("Special subject (CPC art. 547), if any"),
        max_length=64,
        required=False,
        help_text=_("For example member_of_parliament or judge."),
    )

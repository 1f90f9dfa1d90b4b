"""The drafting form, built from the decision type's fields in the rulebook; errors land beside them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight.decisions.messages import in_reader_language
from oversight.decisions.presentation import language
from oversight.kit.html_dates import ISO_DATE, ISO_MINUTE
from oversight.law.rulebook import DecisionType, FieldKind, SubjectRule
from oversight.register.models import Participant

ARTICLE_ROWS = 3


class DecisionForm(forms.Form):
    stated_date = forms.DateField(
        label=_("Date of the decision"),
        widget=forms.DateInput(format=ISO_DATE, attrs={"type": "date"}),
        input_formats=[ISO_DATE],
        required=False,
    )

    def __init__(self, decision_type: DecisionType, participants: list[Participant], *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.decision_type = decision_type
        self.article_fields: list[tuple[str, str, str]] = []
        if decision_type.subject is SubjectRule.REQUIRED:
            self.fields["subject"] = forms.TypedChoiceField(
                label=_("Person concerned"),
                coerce=int,
                required=False,
                choices=[("", "—")]
                + [(p.pk, f"{p.full_name()} ({p.get_role_display()})") for p in self._allowed(participants)],
            )
        for spec in decision_type.fields:
            title = spec.title.get(language())
            if spec.kind is FieldKind.TEXT:
                self.fields[spec.name] = forms.CharField(
                    label=title, required=False, max_length=spec.max_length, widget=forms.Textarea(attrs={"rows": 4})
                )
            elif spec.kind is FieldKind.CHOICE:
                self.fields[spec.name] = forms.ChoiceField(
                    label=title,
                    required=False,
                    choices=[("", "—")] + [(c.code, c.title.get(language())) for c in spec.choices],
                )
            elif spec.kind in (FieldKind.INTEGER, FieldKind.MONEY):
                self.fields[spec.name] = forms.IntegerField(
                    label=title, required=False, min_value=spec.minimum, max_value=spec.maximum
                )
            elif spec.kind is FieldKind.DATETIME:
                self.fields[spec.name] = forms.DateTimeField(
                    label=title,
                    required=False,
                    widget=forms.DateTimeInput(format=ISO_MINUTE, attrs={"type": "datetime-local"}),
                    input_formats=[ISO_MINUTE, "%Y-%m-%d %H:%M"],
                )
            elif spec.kind is FieldKind.PARTICIPANTS:
                self.fields[spec.name] = forms.TypedMultipleChoiceField(
                    label=title,
                    coerce=int,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    choices=[(p.pk, f"{p.full_name()} ({p.get_role_display()})") for p in self._allowed(participants)],
                )
            else:
                for row in range(ARTICLE_ROWS):
                    names = (f"{spec.name}-{row}-article", f"{spec.name}-{row}-part", f"{spec.name}-{row}-paragraph")
                    self.fields[names[0]] = forms.CharField(label=_("Article"), required=False, max_length=8)
                    self.fields[names[1]] = forms.IntegerField(label=_("Part"), required=False, min_value=1)
                    self.fields[names[2]] = forms.IntegerField(label=_("Paragraph"), required=False, min_value=1)
                    self.article_fields.append(names)

    def _allowed(self, participants: list[Participant]) -> list[Participant]:
        """Those the decision may concern: the type's roles (the co-accused, like the person concerned)."""
        roles = self.decision_type.subject_roles
        return [p for p in participants if not roles or p.role in roles]

    @classmethod
    def initial_from(cls, content: Mapping[str, Any], subject_id: int | None, stated: dt.date) -> dict[str, Any]:
        initial: dict[str, Any] = {"stated_date": stated, "subject": subject_id}
        for name, value in content.items():
            if isinstance(value, list) and all(isinstance(item, int) for item in value):
                initial[name] = value  # participants, by id
            elif isinstance(value, list):
                for row, entry in enumerate(value[:ARTICLE_ROWS]):
                    initial[f"{name}-{row}-article"] = entry.get("article")
                    initial[f"{name}-{row}-part"] = entry.get("part")
                    initial[f"{name}-{row}-paragraph"] = entry.get("paragraph")
            elif isinstance(value, str) and "T" in value and value[:4].isdigit() and value.count(":") >= 2:
                initial[name] = timezone.localtime(dt.datetime.fromisoformat(value)).strftime(ISO_MINUTE)
            else:
                initial[name] = value
        return initial

    def content(self) -> dict[str, Any]:
        """The fields as the workflow service takes them; blanks are left out (a draft may be unfinished)."""
        data = self.cleaned_data
        content: dict[str, Any] = {}
        for spec in self.decision_type.fields:
            if spec.kind is FieldKind.ARTICLES:
                rows = []
                for article, part, paragraph in self.article_fields:
                    if data.get(article):
                        rows.append(
                            {"article": data[article], "part": data.get(part), "paragraph": data.get(paragraph)}
                        )
                if rows:
                    content[spec.name] = rows
            elif spec.kind is FieldKind.DATETIME:
                if data.get(spec.name):
                    content[spec.name] = data[spec.name].isoformat()
            elif spec.kind is FieldKind.PARTICIPANTS:
                if data.get(spec.name):
                    content[spec.name] = [int(pk) for pk in data[spec.name]]
            elif data.get(spec.name) not in (None, ""):
                content[spec.name] = data[spec.name]
        return content

    def subject_id(self) -> int | None:
        value = self.cleaned_data.get("subject")
        return int(value) if value not in (None, "") else None

    def place_errors(self, errors: Mapping[str, str]) -> None:
        """Put the service's errors (`content.grounds`, `content.articles[0]`, `subject_id`) beside their fields."""
        for key, message in errors.items():
            name = key.removeprefix("content.")
            if name == "subject_id":
                name = "subject"
            if "[" in name:
                base, index = name.rstrip("]").split("[", 1)
                name = f"{base}-{index}-article"
            elif name in {spec.name for spec in self.decision_type.fields if spec.kind is FieldKind.ARTICLES}:
                name = f"{name}-0-article"
            self.add_error(name if name in self.fields else None, in_reader_language(message))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reasons"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 4}))

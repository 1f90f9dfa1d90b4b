"""Checking a decision's fields against its type: pure, so the rules are property-testable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from oversight.law.criminal_code import InvalidArticle, parse_article
from oversight.law.rulebook import DecisionType, FieldKind, FieldSpec


def _clean_articles(value: object, name: str, errors: dict[str, str]) -> list[dict[str, Any]] | None:
    if not isinstance(value, list) or not value:
        errors[name] = "give at least one article as {article, part, paragraph}"
        return None
    cleaned: list[dict[str, Any]] = []
    seen: set[tuple[str, int | None, int | None]] = set()
    for index, entry in enumerate(value):
        where = f"{name}[{index}]"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("article"), str):
            errors[where] = "an article is an object with a string 'article'"
            return None
        part, paragraph = entry.get("part"), entry.get("paragraph")
        if any(v is not None and (isinstance(v, bool) or not isinstance(v, int)) for v in (part, paragraph)):
            errors[where] = "part and paragraph are whole numbers"
            return None
        try:
            reference = parse_article(entry["article"], part, paragraph)
        except InvalidArticle as error:
            errors[where] = str(error)
            return None
        key = (reference.article, reference.part, reference.paragraph)
        if key in seen:
            errors[where] = "this article is listed twice"
            return None
        seen.add(key)
        cleaned.append({"article": reference.article, "part": reference.part, "paragraph": reference.paragraph})
    return cleaned


def _clean_value(spec: FieldSpec, value: object, errors: dict[str, str]) -> object:
    name = spec.name
    if spec.kind is FieldKind.TEXT:
        if not isinstance(value, str):
            errors[name] = "must be text"
            return None
        text = value.strip()
        if len(text) > spec.max_length:
            errors[name] = f"at most {spec.max_length} characters"
            return None
        return text
    if spec.kind in (FieldKind.INTEGER, FieldKind.MONEY):
        if isinstance(value, bool) or not isinstance(value, int):
            errors[name] = "must be a whole number"
            return None
        if spec.minimum is not None and value < spec.minimum:
            errors[name] = f"must be at least {spec.minimum}"
            return None
        if spec.maximum is not None and value > spec.maximum:
            errors[name] = f"must be at most {spec.maximum}"
            return None
        return value
    if spec.kind is FieldKind.CHOICE:
        if not isinstance(value, str) or spec.choice(value) is None:
            errors[name] = "must be one of " + ", ".join(choice.code for choice in spec.choices)
            return None
        return value
    if spec.kind is FieldKind.DATETIME:
        if not isinstance(value, str):
            errors[name] = "must be an ISO 8601 date and time with its offset"
            return None
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            errors[name] = "must be an ISO 8601 date and time with its offset"
            return None
        if moment.tzinfo is None:
            errors[name] = "must carry its UTC offset"
            return None
        return moment.astimezone(dt.UTC).isoformat()
    if spec.kind is FieldKind.PARTICIPANTS:
        return _clean_participants(spec, value, errors)
    return _clean_articles(value, name, errors)


def _clean_participants(spec: FieldSpec, value: object, errors: dict[str, str]) -> list[int] | None:
    """Participants of the case by id, each once. Whether they are in the case, and who they are, is the
    workflow's to check (it reads the register)."""
    most = spec.maximum if spec.maximum is not None else 50
    if not isinstance(value, list) or any(isinstance(item, bool) or not isinstance(item, int) for item in value):
        errors[spec.name] = "a list of participant ids"
        return None
    if any(item < 1 for item in value):
        errors[spec.name] = "participant ids are positive"
        return None
    if len(set(value)) != len(value):
        errors[spec.name] = "a participant is listed twice"
        return None
    if len(value) > most:
        errors[spec.name] = f"at most {most} participants"
        return None
    return list(value)


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def clean_content(
    decision_type: DecisionType, content: Mapping[str, object], *, complete: bool
) -> tuple[dict[str, object], dict[str, str]]:
    """Return the cleaned fields and the errors, keyed `content.<field>`.

    A draft may leave required fields blank (`complete=False`); a submission may not.
    Unknown fields are errors, so nothing the type does not define is stored.
    """
    errors: dict[str, str] = {}
    cleaned: dict[str, object] = {}
    for name in content:
        if decision_type.field_spec(name) is None:
            errors[name] = f"is not a field of {decision_type.code}"
    for spec in decision_type.fields:
        value = content.get(spec.name)
        if is_blank(value):
            if complete and spec.required:
                errors[spec.name] = "is required"
            continue
        errors_before = len(errors)
        result = _clean_value(spec, value, errors)
        if len(errors) == errors_before:
            cleaned[spec.name] = result
    return cleaned, {f"content.{name}": message for name, message in errors.items()}

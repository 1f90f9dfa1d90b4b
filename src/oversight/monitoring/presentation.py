"""A finding as its reader sees it: the rule, its article, the facts and what should have happened.

The rule's words come from the rulebook in the reader's language (en, ru, kk); the facts stored with
the finding are rendered for the reader: times in their zone, decision types and clocks by their
names, units by their name in the reader's language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight.decisions.presentation import APPROVAL_TITLES, language
from oversight.law import Rulebook, UnknownDecisionType, rulebook
from oversight.law.citations import cite
from oversight.law.violations import BY_CODE, Severity, ViolationRule
from oversight.monitoring.models import Finding

FACT_LABELS = {  # lazy: translated when shown, in the reader's language
    "decision": _("Decision"),
    "kind": _("Decision type"),
    "clock": _("Clock"),
    "due_at": _("Due"),
    "erdr_number": _("Case"),
    "reported_at": _("Reported"),
    "registered_at": _("Registered"),
    "person": _("Person"),
    "detained_at": _("Detained"),
    "custody_ends_at": _("Custody ends"),
    "term_ends_at": _("Term ended"),
    "drafted_at": _("Drafted"),
    "suspect_since": _("Suspect since"),
    "missing": _("Missing approvals"),
    "filed_at": _("Filed"),
    "interruptions": _("Interruptions"),
    "limit": _("Limit"),
    "last_act_at": _("Last act"),
    "idle_days": _("Days without an act"),
    "stated_date": _("Stated date"),
    "submitted_at": _("Submitted"),
    "unit": _("Unit"),
    "defender": _("Defender"),
    "cases": _("Cases with this defender"),
    "unit_cases": _("Defended cases of the unit"),
    "share": _("Share, %"),
    "reviewer": _("Reviewer"),
    "office": _("Reviewer's office"),
}

SEVERITY_TITLES = {
    Severity.CRITICAL: _("critical"),
    Severity.HIGH: _("high"),
    Severity.MEDIUM: _("medium"),
}


@dataclass(frozen=True)
class Explained:
    finding: Finding
    rule: ViolationRule
    title: str
    article: str
    source_note: str
    to_be_confirmed: bool
    severity: str
    text: str
    remedy: str
    facts: list[tuple[str, str]]


def _moment(value: str) -> str | None:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _render(key: str, value: Any, finding: Finding, book: Rulebook, reading: str) -> str:
    if value is None or value == "":
        return "—"
    if key == "kind":
        try:
            return book.decision_type(str(value)).title.get(reading)
        except UnknownDecisionType:
            return str(value)
    if key == "clock":
        return book.clock_title(str(value), reading)
    if key == "missing":
        return ", ".join(str(APPROVAL_TITLES.get(code.strip(), code.strip())) for code in str(value).split(","))
    if key == "unit" and finding.unit is not None:
        return finding.unit.name(reading)
    if key == "decision":
        return f"№ {value}"
    if isinstance(value, str):
        return _moment(value) or value
    return str(value)


def explain(finding: Finding) -> Explained:
    """The finding in the reader's language; `finding.unit` should be selected with it."""
    reading = language()
    rule = BY_CODE[finding.rule]
    book = rulebook(finding.rulebook_version)
    values = {key: _render(key, finding.facts.get(key), finding, book, reading) for key in rule.facts}
    return Explained(
        finding=finding,
        rule=rule,
        title=rule.title.get(reading),
        article=cite(rule.source.article, reading),
        source_note=rule.source.note if reading == "en" else "",  # the legal team's notes are kept in English
        to_be_confirmed=rule.source.to_be_confirmed,
        severity=str(SEVERITY_TITLES.get(Severity(finding.severity), finding.severity)),
        text=rule.explanation.get(reading).format(**values),
        remedy=rule.remedy.get(reading),
        facts=[(str(FACT_LABELS.get(key, key)), values[key]) for key in rule.facts if not _linked(key, finding)],
    )


def _linked(key: str, finding: Finding) -> bool:
    """Facts the finding's page already shows as links of their own (its case, its decision)."""
    return (key == "decision" and finding.decision_id is not None) or (
        key == "erdr_number" and finding.case_id is not None
    )


def rule_title(code: str) -> str:
    rule = BY_CODE.get(code)
    return rule.title.get(language()) if rule else code

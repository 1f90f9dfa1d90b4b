"""How decisions read on a page: titles in the user's language, what a user may draft, what changed."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from oversight.accounts.access import Jurisdiction
from oversight.decisions.models import Decision, DecisionRevision
from oversight.decisions.services import drafting_grant
from oversight.kit.languages import reader_language
from oversight.law import rulebook, rulebook_in_force
from oversight.law.rulebook import DecisionType, FieldKind
from oversight.register.models import Case

language = reader_language  # the name the pages import it by


def clock_title(clock: str) -> str:
    return rulebook_in_force(timezone.now()).clock_title(clock, language())


def type_title(decision_type: DecisionType) -> str:
    return decision_type.title.get(language())


def drafting_choices(jurisdiction: Jurisdiction, case: Case) -> list[tuple[str, str]]:
    """The decision types this user may draft in this case as it stands, by name, under the rulebook
    in force now: the one `services.draft_decision` drafts under."""
    book = rulebook_in_force(timezone.now())
    return [
        (code, type_title(decision_type))
        for code, decision_type in book.decision_types.items()
        if case.status in decision_type.case_statuses and drafting_grant(jurisdiction, case, decision_type) is not None
    ]


@dataclass(frozen=True)
class FieldView:
    name: str
    title: str
    kind: str
    value: Any
    text: str  # the value as a person reads it


def article_text(entry: dict[str, Any]) -> str:
    from oversight.web.templatetags.oversight import article  # one spelling of references for pages and fields

    return article(entry)


def readable(decision_type: DecisionType, content: dict[str, Any], people: Mapping[int, str]) -> list[FieldView]:
    """The decision's fields in their rulebook order, with choices, articles and people (`people`: the
    case's participants' names by id) spelled out."""
    shown: list[FieldView] = []
    for spec in decision_type.fields:
        value = content.get(spec.name)
        if spec.kind is FieldKind.CHOICE and isinstance(value, str):
            choice = spec.choice(value)
            text = choice.title.get(language()) if choice else value
        elif spec.kind is FieldKind.ARTICLES and isinstance(value, list):
            text = "; ".join(article_text(entry) for entry in value if isinstance(entry, dict))
        elif spec.kind is FieldKind.DATETIME and isinstance(value, str):
            text = timezone.localtime(dt.datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M")
        elif spec.kind is FieldKind.PARTICIPANTS and isinstance(value, list):
            text = "; ".join(people.get(pk, f"#{pk}") for pk in value if isinstance(pk, int))
        elif value is None:
            text = ""
        else:
            text = str(value)
        shown.append(FieldView(spec.name, spec.title.get(language()), spec.kind.value, value, text))
    return shown


def decision_type_of(decision: Decision) -> DecisionType:
    return rulebook(decision.rulebook_version).decision_type(decision.kind)


@dataclass(frozen=True)
class Change:
    title: str
    before: str
    after: str
    diff: SafeString


def _inline_diff(before: str, after: str) -> SafeString:
    words_before, words_after = before.split(), after.split()
    pieces: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=words_before, b=words_after).get_opcodes():
        if tag in ("delete", "replace"):
            pieces.append(f"<del>{escape(' '.join(words_before[i1:i2]))}</del>")
        if tag in ("insert", "replace"):
            pieces.append(f"<ins>{escape(' '.join(words_after[j1:j2]))}</ins>")
        if tag == "equal":
            pieces.append(escape(" ".join(words_before[i1:i2])))
    return mark_safe(" ".join(pieces))  # noqa: S308 - every piece is escaped above


def changes_since_return(
    decision: Decision, revisions: list[DecisionRevision], people: Mapping[int, str]
) -> list[Change]:
    """What the investigator changed after the last return: the reviewed revision against the current one
    (`people`: the case's participants' names by id)."""
    if decision.revision < 2 or len(revisions) < 2:
        return []
    decision_type = decision_type_of(decision)
    reviewed = {field.name: field for field in readable(decision_type, revisions[-2].content, people)}
    current = readable(decision_type, revisions[-1].content, people)
    return [
        Change(field.title, reviewed[field.name].text, field.text, _inline_diff(reviewed[field.name].text, field.text))
        for field in current
        if reviewed[field.name].text != field.text
    ]


EFFECT_TITLES = {
    "person_becomes_suspect": _("Recognised as suspect"),
    "qualification_set": _("Qualification of the act"),
    "terms_interrupted": _("Terms interrupted"),
    "terms_extended": _("Term extended"),
    "case_terminated": _("Case terminated"),
    "investigation_completed": _("Investigation completed"),
    "person_becomes_accused": pgettext_lazy("legal effect", "Accused"),
    "case_sent_to_court": _("Sent to court"),
    "procedural_agreement_concluded": _("Procedural agreement concluded"),
    "person_detained": _("Detained"),
    "custody_in_force": _("In custody"),
    "custody_extended": _("Custody extended"),
    "house_arrest_in_force": _("Under house arrest"),
    "bail_set": _("Bail"),
    "property_seized": _("Property seized"),
    "search_authorised": _("Search authorised"),
    "covert_actions_authorised": _("Covert investigative actions authorised"),
}

EVENT_TITLES = {
    "case.registered": _("Registered in the ERDR"),
    "participant.added": _("Participant added"),
    "case.procedural_prosecutor_assigned": _("Procedural prosecutor assigned"),
    "case.investigator_assigned": _("Investigator assigned"),
    "petition.filed": _("Petition of a participant recorded"),
    "petition.decided": _("Petition of a participant decided"),
    "qualification.announced": _("Qualification announced to the suspect"),
    "person.released": _("Person released"),
    "case.terms_resumed": _("Terms of investigation resumed"),
    "decision.drafted": _("Drafted"),
    "decision.edited": _("Edited"),
    "decision.submitted": _("Submitted to the prosecutor"),
    "decision.withdrawn": _("Withdrawn"),
    "decision.agreed": _("Agreed by the prosecutor"),
    "decision.refused": _("Refused by the prosecutor"),
    "decision.returned": _("Returned for rework"),
    "decision.consented": _("Consent given by the General Prosecutor"),
    "decision.consent_refused": _("Consent refused"),
    "decision.petitioned": _("Petition filed with the investigating judge"),
    "sanction.granted": _("Sanction granted"),
    "sanction.denied": _("Sanction denied"),
}

APPROVAL_TITLES = {
    "prosecutor_agreement": _("Prosecutor's agreement"),
    "special_subject_consent": _("Consent of the General Prosecutor"),
    "judicial_sanction": _("Sanction of the investigating judge"),
}


def effect_title(kind: str) -> str:
    return str(EFFECT_TITLES.get(kind, kind))


# A submission goes where the decision's approvals say: to the prosecutor, straight to the General
# Prosecutor (a special subject's detention), or nowhere, in force as signed (the prosecutor's own
# indictment, an ordinary detention protocol).
SUBMITTED_TITLES = {
    "awaiting_consent": _("Submitted for the General Prosecutor's consent"),
    "in_force": _("Signed: in force at once, no approval required"),
}


def event_title(code: str, to_state: str = "") -> str:
    if code == "decision.submitted" and to_state in SUBMITTED_TITLES:
        return str(SUBMITTED_TITLES[to_state])
    return str(EVENT_TITLES.get(code, code))

"""Deny by default: every API operation declares who may call it and what it does to personal data.

An operation absent from this table cannot be registered (see `guarded` in api.py) and fails the
authorization-matrix test. Object-level reach (jurisdiction) is then decided by the services'
visibility functions; this table decides only which roles may call the operation at all, and how
the call is recorded in the access log (LED art. 25 categories).
"""

from __future__ import annotations

from dataclasses import dataclass

from oversight.audit.models import Operation
from oversight.law.roles import Role

CASE_READERS = frozenset(
    {Role.INVESTIGATOR, Role.HEAD_OF_UNIT, Role.PROSECUTOR, Role.SENIOR_PROSECUTOR, Role.INVESTIGATING_JUDGE}
)
INVESTIGATIVE = frozenset({Role.INVESTIGATOR, Role.HEAD_OF_UNIT})
PROSECUTORIAL = frozenset({Role.PROSECUTOR, Role.SENIOR_PROSECUTOR})
DRAFTERS = INVESTIGATIVE | PROSECUTORIAL
EVERYONE = frozenset(Role)


@dataclass(frozen=True)
class Policy:
    roles: frozenset[Role]
    operation: Operation | None  # None: reference data without personal data, not logged
    object_type: str = ""
    handler_logs: bool = False  # the handler writes a richer row itself (with a justification)

    @property
    def writes(self) -> bool:
        return self.operation in {Operation.COLLECTION, Operation.ALTERATION, Operation.ERASURE}


POLICIES: dict[str, Policy] = {
    "create_case": Policy(INVESTIGATIVE, Operation.COLLECTION, "case"),
    "list_cases": Policy(CASE_READERS, Operation.CONSULTATION, "case"),
    "get_case": Policy(CASE_READERS, Operation.CONSULTATION, "case"),
    "add_participant": Policy(INVESTIGATIVE, Operation.COLLECTION, "participant"),
    "assign_procedural_prosecutor": Policy(frozenset({Role.SENIOR_PROSECUTOR}), Operation.ALTERATION, "case"),
    "resume_terms": Policy(DRAFTERS, Operation.ALTERATION, "case"),
    "draft_decision": Policy(DRAFTERS, Operation.COLLECTION, "decision"),
    "get_decision": Policy(CASE_READERS, Operation.CONSULTATION, "decision"),
    "list_findings": Policy(PROSECUTORIAL, Operation.CONSULTATION, "finding"),
    "get_finding": Policy(PROSECUTORIAL, Operation.CONSULTATION, "finding"),
    "acknowledge_finding": Policy(PROSECUTORIAL, Operation.ALTERATION, "finding"),
    "resolve_finding": Policy(PROSECUTORIAL, Operation.ALTERATION, "finding"),
    "dismiss_finding": Policy(PROSECUTORIAL, Operation.ALTERATION, "finding"),
    "edit_decision": Policy(DRAFTERS, Operation.ALTERATION, "decision"),
    "submit_decision": Policy(DRAFTERS, Operation.ALTERATION, "decision"),
    "withdraw_decision": Policy(DRAFTERS, Operation.ALTERATION, "decision"),
    "agree_decision": Policy(PROSECUTORIAL, Operation.ALTERATION, "decision"),
    "refuse_decision": Policy(PROSECUTORIAL, Operation.ALTERATION, "decision"),
    "return_decision": Policy(PROSECUTORIAL, Operation.ALTERATION, "decision"),
    "consent_decision": Policy(frozenset({Role.SENIOR_PROSECUTOR}), Operation.ALTERATION, "decision"),
    "refuse_consent": Policy(frozenset({Role.SENIOR_PROSECUTOR}), Operation.ALTERATION, "decision"),
    "petition_court": Policy(PROSECUTORIAL, Operation.ALTERATION, "decision"),
    "grant_sanction": Policy(frozenset({Role.INVESTIGATING_JUDGE}), Operation.ALTERATION, "decision"),
    "deny_sanction": Policy(frozenset({Role.INVESTIGATING_JUDGE}), Operation.ALTERATION, "decision"),
    "list_review_queue": Policy(CASE_READERS, Operation.CONSULTATION, "decision"),
    "break_glass_case": Policy(frozenset({Role.ADMINISTRATOR}), Operation.CONSULTATION, "case", handler_logs=True),
    "list_access_log": Policy(frozenset({Role.AUDITOR}), Operation.AUDIT_READ, "access_log"),
    "get_rulebook": Policy(EVERYONE, None),
    "get_rulebook_version": Policy(EVERYONE, None),
    "get_me": Policy(EVERYONE, None),
}

"""The legality monitor's writes: sweeping for violations, and a prosecutor's answer to each finding.

A sweep runs every rule of the rulebook in force as one `INSERT … SELECT … ON CONFLICT DO NOTHING`,
as of a given instant. A fact already found is never raised again, so a sweep that was stopped for
hours and restarted raises exactly what it missed, once. Findings no one acknowledged within the
rulebook's escalation threshold go to the office above.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from oversight.accounts.access import jurisdiction_of
from oversight.accounts.models import User
from oversight.kit.errors import Conflict, Forbidden, Invalid, NotFound
from oversight.law import Rulebook, rulebook_in_force
from oversight.law.roles import PROSECUTORIAL_ROLES
from oversight.law.terms import Unit
from oversight.monitoring.detectors import query_for
from oversight.monitoring.models import Finding, FindingStatus, Response, SweepRun

SUSPECT_ROLES = frozenset({"suspect", "accused"})


def _parameters(book: Rulebook, now: dt.datetime, case_ids: list[int] | None) -> dict[str, Any]:
    thresholds = book.monitor
    if thresholds is None:
        raise ValueError(f"rulebook {book.version} has no monitor settings")
    registration = book.term("report_registration")
    if registration.unit is not Unit.HOURS:
        raise ValueError("the registration clock is expected in hours")
    detention = book.term("detention")
    if detention.unit is not Unit.HOURS:
        raise ValueError("the detention clock is expected in hours")
    review_clocks = {t.review_clock for t in book.decision_types.values() if t.review_clock}
    review_clocks |= {book.special_subject_consent_clock, book.sanction_clock}
    return {
        "now": now,
        "cases": case_ids,
        "review_clocks": sorted(review_clocks),
        "registration_hours": registration.amount,
        "detention_hours": detention.amount,
        # a law with no exceptional length holds everyone to the ordinary one
        "detention_exceptional_hours": detention.exceptional_amount or detention.amount,
        "suspect_kinds": sorted(
            code for code, t in book.decision_types.items() if t.subject_roles and t.subject_roles <= SUSPECT_ROLES
        ),
        "max_interruptions": thresholds.max_interruptions.value,
        "idle_days": thresholds.idle_days.value,
        "backdating_days": thresholds.backdating_days.value,
        "zone": book.calendar.zone_name,
        "min_cases": thresholds.convenient_defender_min_cases.value,
        "defender_share": thresholds.convenient_defender_share.value,
    }


INSERT = """
    INSERT INTO monitoring_finding (rule, key, severity, rulebook_version, case_id, decision_id, participant_id,
                                    unit_id, office_id, occurred_at, detected_at, facts, status, response, note)
    SELECT %(rule)s, found.key, %(severity)s, %(version)s, found.case_id, found.decision_id, found.participant_id,
           found.unit_id, found.office_id, found.occurred_at, %(detected_at)s, found.facts, 'open', '', ''
    FROM ({query}) AS found (key, case_id, decision_id, participant_id, unit_id, office_id, occurred_at, facts)
    ON CONFLICT (rule, key) DO NOTHING
"""


@transaction.atomic
def sweep(*, now: dt.datetime | None = None, case_ids: Iterable[int] | None = None) -> dict[str, int]:
    """Raise every violation not yet found, as of `now` (default: this instant). Returns new findings by rule."""
    as_of = now or timezone.now()
    cases = sorted(set(case_ids)) if case_ids is not None else None
    book = rulebook_in_force(as_of)
    # A full sweep is recorded, so operators see when the register was last swept and what it found;
    # the evaluation of one case after each act is not.
    run = SweepRun.objects.create(started_at=timezone.now(), as_of=as_of) if cases is None else None
    parameters = _parameters(book, as_of, cases)
    found: dict[str, int] = {}
    seconds: dict[str, float] = {}
    with connection.cursor() as cursor:
        rules = book.violation_rules if cases is None or cases else ()  # no case: nothing to evaluate
        if cases is None:
            # A full sweep joins the register's largest tables: memory for its hash joins keeps them off
            # the disk (for this transaction only; the evaluation of one case needs none).
            cursor.execute("SELECT set_config('work_mem', %s, true)", [settings.MONITOR_SWEEP_WORK_MEM])
        for rule in rules:
            started = time.perf_counter()
            cursor.execute(  # the query text is our own constant; every value is a bound parameter
                INSERT.format(query=query_for(rule.code, restricted=cases is not None)),
                {
                    **parameters,
                    "rule": rule.code,
                    "severity": rule.severity.value,
                    "version": book.version,
                    "detected_at": as_of,  # the instant judged: a replay or a catch-up escalates by it too
                },
            )
            seconds[rule.code] = round(time.perf_counter() - started, 3)
            if cursor.rowcount:
                found[rule.code] = cursor.rowcount
    if run is not None:
        escalate(now=as_of, book=book)
        run.finished_at = timezone.now()
        run.found = found
        run.seconds = seconds
        run.save(update_fields=["finished_at", "found", "seconds"])
    return found


def escalate(*, now: dt.datetime, book: Rulebook) -> int:
    """Open findings nobody acknowledged in time go to the office above the one that had to act."""
    if book.monitor is None:
        return 0
    limit = now - dt.timedelta(hours=book.monitor.escalation_hours.value)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE monitoring_finding f SET escalated_to_id = o.parent_id, escalated_at = %(now)s
            FROM accounts_organisation o
            WHERE o.id = f.office_id AND o.parent_id IS NOT NULL AND f.status = 'open'
              AND f.escalated_at IS NULL AND f.detected_at < %(limit)s
            """,
            {"now": now, "limit": limit},
        )
        return int(cursor.rowcount)


def _already(finding: Finding) -> str:
    return gettext("This finding is already %(status)s.") % {"status": finding.get_status_display()}


def _finding_for(actor: User, finding_id: int) -> Finding:
    finding = Finding.objects.visible_to(actor).select_for_update(of=("self",)).filter(pk=finding_id).first()
    if finding is None:
        raise NotFound(f"finding {finding_id} not found")
    if not jurisdiction_of(actor).roles & PROSECUTORIAL_ROLES:
        raise Forbidden(gettext("Only a prosecutor answers a finding."))
    return finding


@transaction.atomic
def acknowledge_finding(finding_id: int, *, actor: User) -> Finding:
    finding = _finding_for(actor, finding_id)
    if finding.status != FindingStatus.OPEN:
        raise Conflict(_already(finding))
    finding.status = FindingStatus.ACKNOWLEDGED
    finding.acknowledged_by, finding.acknowledged_at = actor, timezone.now()
    finding.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
    return finding


@transaction.atomic
def resolve_finding(finding_id: int, *, actor: User, response: str, note: str) -> Finding:
    """Closed by a recorded act of prosecutorial response: instruction, cancellation, submission, protest, release."""
    errors: dict[str, str] = {}
    if response not in Response.values:
        errors["response"] = f"must be one of {', '.join(Response.values)}"
    if not note.strip():
        errors["note"] = "is required"
    if errors:
        raise Invalid(errors)
    finding = _finding_for(actor, finding_id)
    if finding.status not in (FindingStatus.OPEN, FindingStatus.ACKNOWLEDGED):
        raise Conflict(_already(finding))
    now = timezone.now()
    if finding.acknowledged_at is None:
        finding.acknowledged_by, finding.acknowledged_at = actor, now
    finding.status, finding.response, finding.note = FindingStatus.RESOLVED, response, note.strip()
    finding.closed_by, finding.closed_at = actor, now
    finding.save()
    return finding


@transaction.atomic
def dismiss_finding(finding_id: int, *, actor: User, reason: str) -> Finding:
    if not reason.strip():
        raise Invalid({"reason": "a reason is required"})
    finding = _finding_for(actor, finding_id)
    if finding.status not in (FindingStatus.OPEN, FindingStatus.ACKNOWLEDGED):
        raise Conflict(_already(finding))
    now = timezone.now()
    finding.status, finding.note, finding.closed_by, finding.closed_at = (
        FindingStatus.DISMISSED,
        reason.strip(),
        actor,
        now,
    )
    finding.save()
    return finding

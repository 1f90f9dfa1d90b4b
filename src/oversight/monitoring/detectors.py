"""One set-based query per violation rule: each returns the facts of every violation it sees.

Every query yields the same columns — key, case_id, decision_id, participant_id, unit_id, office_id,
occurred_at, facts — and is run by `services.sweep` inside `INSERT … SELECT … ON CONFLICT DO
NOTHING`, so a fact already found is never raised twice however often the sweep runs. All numbers of
hours or days come from the rulebook as parameters; none is written here. `query_for` restricts a
query to the cases in `%(cases)s` (the evaluation after an act), or leaves it over the whole register.

A clock is judged as of `%(now)s`: one that ran out before then was broken, whether it is still
running or was met late since (a review given, a petition decided, custody or terms extended an hour
after they ran out). The late act ends the wait, not the violation, so a sweep that was down while
both happened still raises it once, under the same key it would have had while the clock ran.
"""

# ruff: noqa: S608 - the queries are assembled from constants of this module; every value is a bound parameter

from __future__ import annotations

import re

# Where a query is restricted to some cases: `query_for` writes the restriction in, or TRUE for the
# whole register, so that each form gets its own plan (an index lookup, or a scan) from PostgreSQL.
CASES = "/* cases */ TRUE"
UNITS = "/* units of the cases */ TRUE"
RESTRICTED = {
    CASES: "c.id = ANY(%(cases)s::bigint[])",
    UNITS: "c.unit_id IN (SELECT unit_id FROM register_case WHERE id = ANY(%(cases)s::bigint[]))",
}
CASES_OF = re.compile(r"/\* cases: ([a-z_.]+) \*/ TRUE")


def cases_of(column: str) -> str:
    """The restriction on `column`, a case id of the rows a rule reads first (so their index serves it)."""
    return f"/* cases: {column} */ TRUE"


# Most rules read a few rows of a large table (clocks, effects, decisions) and need the case of each:
# looked up by key behind a fence (OFFSET 0), so that PostgreSQL does not hash the whole register to
# join them. Over a million cases the hash outgrows the processor's cache and the sweep stops scaling.
def row_of(table: str, alias: str, key: str) -> str:
    return f"JOIN LATERAL (SELECT * FROM {table} {alias} WHERE {alias}.id = {key} OFFSET 0) {alias} ON true"


def case_of(column: str) -> str:
    return row_of("register_case", "c", column)


# The office that supervises a decision's case, read for the rows found only.
OFFICE_OF_CASE = "(SELECT c.supervising_office_id FROM register_case c WHERE c.id = d.case_id)"
# concat_ws skips NULLs, not empty strings: a blank patronymic must not leave a trailing space.
PERSON = "concat_ws(' ', p.last_name, p.first_name, nullif(p.patronymic, ''))"


def person_of(column: str) -> str:
    """The person's name, read for the rows found only (no join of every participant)."""
    return (
        "(SELECT concat_ws(' ', who.last_name, who.first_name, nullif(who.patronymic, '')) "
        f"FROM register_participant who WHERE who.id = {column})"
    )


# Until the case goes to court (or ends) its person clocks run: completion does not end custody.
PRE_TRIAL = "c.status IN ('under_investigation', 'interrupted', 'completed')"
STAMP = "'YYYYMMDDHH24MISS'"

DETECTORS: dict[str, str] = {
    "review_overdue": f"""
        SELECT 'deadline:' || dl.id, d.case_id, d.id, d.subject_id, NULL::bigint, {OFFICE_OF_CASE}, dl.due_at,
               jsonb_build_object('decision', d.id, 'kind', d.kind, 'clock', dl.clock, 'due_at', dl.due_at)
        FROM decisions_deadline dl
        {row_of("decisions_decision", "d", "dl.decision_id")}
        WHERE dl.due_at < %(now)s AND dl.clock = ANY(%(review_clocks)s::text[]) AND {cases_of("dl.case_id")}
          AND (dl.status = 'open' OR dl.closed_at > dl.due_at)  -- of the clock alone, before its decision is read
          AND ((dl.status = 'open' AND d.state IN ('submitted', 'awaiting_consent', 'petitioned'))
               OR dl.closed_at > dl.due_at)""",
    "report_registration_late": f"""
        SELECT 'case:' || c.id, c.id, NULL::bigint, NULL::bigint, NULL::bigint, c.supervising_office_id,
               c.reported_at + %(registration_hours)s * interval '1 hour',
               jsonb_build_object('erdr_number', c.erdr_number, 'reported_at', c.reported_at,
                                  'registered_at', c.registered_at,
                                  'due_at', c.reported_at + %(registration_hours)s * interval '1 hour')
        FROM register_case c
        WHERE c.registered_at > c.reported_at + %(registration_hours)s * interval '1 hour' AND {CASES}""",
    # One finding per detention protocol, keyed by it: the person is held from the moment in the
    # protocol whether or not it is in force yet. A special subject's detention awaits the General
    # Prosecutor's consent before it takes effect; held past the term while it waits (or until the
    # consent was refused or the protocol withdrawn) is the same violation as held past it once in force,
    # and a consent that comes late finds the finding already raised.
    "detention_over_limit": f"""
        SELECT 'detention:' || e.decision_id, c.id, e.decision_id, e.participant_id, NULL::bigint,
               c.supervising_office_id, e.ends_at,
               jsonb_build_object('person', {person_of("e.participant_id")}, 'detained_at', e.started_at,
                                  'due_at', e.ends_at)
        FROM decisions_legaleffect e
        {case_of("e.case_id")}
        WHERE e.kind = 'person_detained' AND e.ends_at < %(now)s AND (e.ended_at IS NULL OR e.ended_at > e.ends_at)
          AND {cases_of("e.case_id")}
        UNION ALL
        SELECT 'detention:' || d.id, c.id, d.id, d.subject_id, NULL::bigint, c.supervising_office_id, held.until,
               jsonb_build_object('person', {person_of("d.subject_id")}, 'detained_at', held.since,
                                  'due_at', held.until)
        FROM decisions_decision d
        CROSS JOIN LATERAL (SELECT (d.content ->> 'detained_at')::timestamptz AS since) detained
        CROSS JOIN LATERAL (
            SELECT detained.since,
                   detained.since + interval '1 hour' * CASE WHEN coalesce(d.content ->> 'exceptional_ground', '') = ''
                                                             THEN %(detention_hours)s
                                                             ELSE %(detention_exceptional_hours)s END AS until) held
        {case_of("d.case_id")}
        WHERE d.kind = 'detention' AND d.needs_consent AND d.state IN ('awaiting_consent', 'refused', 'withdrawn')
          AND held.until < %(now)s AND {cases_of("d.case_id")}
          -- held until the release was recorded, a measure counted from the detention was sanctioned,
          -- the consent refused or the protocol withdrawn (the first of them)
          AND coalesce(least(
                (SELECT min(ev.at) FROM register_caseevent ev  -- a release that names this protocol
                 WHERE ev.case_id = d.case_id AND ev.code = 'person.released'
                   AND ev.data -> 'awaiting_consent' @> to_jsonb(d.id)),
                (SELECT min(coalesce(x.in_force_at, e.started_at)) FROM decisions_legaleffect e
                 JOIN decisions_decision x ON x.id = e.decision_id
                 WHERE e.participant_id = d.subject_id AND e.started_at >= held.since
                   AND e.kind IN ('custody_in_force', 'house_arrest_in_force')),
                (SELECT min(ev.at) FROM decisions_decisionevent ev
                 WHERE ev.decision_id = d.id AND ev.from_state = 'awaiting_consent')
              ), 'infinity') > held.until""",
    "custody_extension_not_petitioned": f"""
        SELECT 'deadline:' || dl.id, c.id, dl.decision_id, dl.participant_id, NULL::bigint, c.supervising_office_id,
               dl.due_at,
               jsonb_build_object('person', {person_of("dl.participant_id")}, 'due_at', dl.due_at, 'custody_ends_at', (
                   -- the custody term this petition was due against, opened by the same decision
                   SELECT t.due_at FROM decisions_deadline t
                   WHERE t.decision_id = dl.decision_id AND t.participant_id = dl.participant_id
                     AND t.clock = 'custody' ORDER BY t.id DESC LIMIT 1))
        FROM decisions_deadline dl
        {case_of("dl.case_id")}
        WHERE dl.clock = 'custody_extension_petition' AND dl.due_at < %(now)s AND {cases_of("dl.case_id")}
          AND ((dl.status = 'open' AND {PRE_TRIAL}) OR dl.closed_at > dl.due_at)""",
    "custody_expired": f"""
        SELECT 'effect:' || e.id || ':' || to_char(e.ends_at AT TIME ZONE 'UTC', {STAMP}), c.id,
               e.decision_id, e.participant_id, NULL::bigint, c.supervising_office_id, e.ends_at,
               jsonb_build_object('person', {person_of("e.participant_id")}, 'custody_ends_at', e.ends_at)
        FROM decisions_legaleffect e
        {case_of("e.case_id")}
        WHERE e.kind = 'custody_in_force' AND e.ends_at < %(now)s AND {cases_of("e.case_id")}
          AND ((e.ended_at IS NULL AND {PRE_TRIAL}) OR e.ended_at > e.ends_at)
        UNION ALL
        -- extended after it had run out: the extension moved ends_at, its effect keeps the end it replaced
        SELECT 'effect:' || e.id || ':' || to_char(x.previous_end AT TIME ZONE 'UTC', {STAMP}), c.id,
               e.decision_id, x.participant_id, NULL::bigint, c.supervising_office_id, x.previous_end,
               jsonb_build_object('person', {person_of("x.participant_id")}, 'custody_ends_at', x.previous_end)
        FROM (SELECT x.case_id, x.participant_id, x.started_at, (x.data ->> 'previous_end')::timestamptz AS previous_end
              FROM decisions_legaleffect x WHERE x.kind = 'custody_extended') x
        JOIN LATERAL (SELECT e.id, e.decision_id FROM decisions_legaleffect e
                      WHERE e.participant_id = x.participant_id AND e.kind = 'custody_in_force'
                        AND e.started_at <= x.started_at
                      ORDER BY e.started_at DESC, e.id DESC LIMIT 1) e ON true
        {case_of("x.case_id")}
        WHERE x.previous_end < x.started_at AND x.previous_end < %(now)s AND {cases_of("x.case_id")}""",
    "investigation_term_expired": f"""
        SELECT 'case:' || c.id || ':' || to_char(c.term_ends_at AT TIME ZONE 'UTC', {STAMP}), c.id,
               NULL::bigint, NULL::bigint, NULL::bigint, c.supervising_office_id, c.term_ends_at,
               jsonb_build_object('erdr_number', c.erdr_number, 'term_ends_at', c.term_ends_at)
        FROM register_case c
        WHERE c.status = 'under_investigation' AND c.term_ends_at < %(now)s AND {CASES}
        UNION ALL
        -- extended or interrupted after the term had run out: the effect keeps the end it replaced
        SELECT 'case:' || c.id || ':' || to_char(x.term_end AT TIME ZONE 'UTC', {STAMP}), c.id,
               NULL::bigint, NULL::bigint, NULL::bigint, c.supervising_office_id, x.term_end,
               jsonb_build_object('erdr_number', c.erdr_number, 'term_ends_at', x.term_end)
        FROM (SELECT x.case_id, x.started_at, CASE x.kind
                  WHEN 'terms_interrupted'
                  THEN x.started_at + (x.data ->> 'remaining_seconds')::float8 * interval '1 second'
                  ELSE (x.data ->> 'previous_end')::timestamptz END AS term_end
              FROM decisions_legaleffect x
              WHERE x.kind IN ('terms_extended', 'terms_interrupted', 'case_terminated', 'investigation_completed',
                               'case_sent_to_court')) x
        {case_of("x.case_id")}
        WHERE x.term_end < x.started_at AND x.term_end < %(now)s AND {cases_of("x.case_id")}""",
    "effect_before_approval": f"""
        SELECT 'decision:' || d.id, d.case_id, d.id, p.id, NULL::bigint, {OFFICE_OF_CASE}, d.addressed_at,
               jsonb_build_object('decision', d.id, 'kind', d.kind, 'person', {PERSON},
                                  'drafted_at', d.addressed_at, 'suspect_since', p.suspect_since)
        FROM (
            -- when the decision was addressed to its current subject: drafted so, or edited to name them
            SELECT d.*, coalesce((SELECT max(v.at) FROM decisions_decisionevent v
                                  WHERE v.decision_id = d.id AND v.code = 'decision.edited'
                                    AND v.data -> 'changed' ? 'subject'), d.drafted_at) AS addressed_at
            FROM decisions_decision d
            WHERE d.kind = ANY(%(suspect_kinds)s::text[]) AND d.state <> 'withdrawn' AND {cases_of("d.case_id")}
        ) d
        JOIN register_participant p ON p.id = d.subject_id
        -- addressed_at is never before drafted_at: the cheap test first spares the look-up of edits
        WHERE p.suspect_since IS NULL OR (d.drafted_at < p.suspect_since AND d.addressed_at < p.suspect_since)""",
    "in_force_without_approvals": f"""
        SELECT 'decision:' || d.id, d.case_id, d.id, d.subject_id, NULL::bigint, {OFFICE_OF_CASE}, d.in_force_at,
               jsonb_build_object('decision', d.id, 'kind', d.kind, 'missing', concat_ws(', ',
                   CASE WHEN d.no_agreement THEN 'prosecutor_agreement' END,
                   CASE WHEN d.no_consent THEN 'special_subject_consent' END,
                   CASE WHEN d.no_sanction THEN 'judicial_sanction' END))
        FROM (
            SELECT d.id, d.case_id, d.subject_id, d.kind, d.in_force_at,
                   d.needs_agreement AND NOT EXISTS (SELECT 1 FROM decisions_decisionevent v
                       WHERE v.decision_id = d.id AND v.code = 'decision.agreed') AS no_agreement,
                   d.needs_consent AND NOT EXISTS (SELECT 1 FROM decisions_decisionevent v
                       WHERE v.decision_id = d.id AND v.code = 'decision.consented') AS no_consent,
                   d.needs_sanction AND NOT EXISTS (SELECT 1 FROM decisions_decisionevent v
                       WHERE v.decision_id = d.id AND v.code = 'sanction.granted') AS no_sanction
            FROM decisions_decision d
            WHERE d.state = 'in_force' AND {cases_of("d.case_id")}
            OFFSET 0  -- each approval is looked up once per decision, not again for the facts
        ) d
        WHERE d.no_agreement OR d.no_consent OR d.no_sanction""",
    "qualification_not_announced": f"""
        SELECT 'deadline:' || dl.id, c.id, dl.decision_id, dl.participant_id, NULL::bigint, c.supervising_office_id,
               dl.due_at,
               jsonb_build_object('person', {person_of("dl.participant_id")}, 'decision', dl.decision_id,
                                  'due_at', dl.due_at)
        FROM decisions_deadline dl
        {case_of("dl.case_id")}
        WHERE dl.clock = 'qualification_announcement' AND dl.due_at < %(now)s AND {cases_of("dl.case_id")}
          AND ((dl.status = 'open' AND {PRE_TRIAL}) OR dl.closed_at > dl.due_at)""",
    "petition_not_decided": f"""
        SELECT 'petition:' || t.id, c.id, NULL::bigint, t.participant_id, NULL::bigint, c.supervising_office_id,
               t.due_at,
               jsonb_build_object('person', {person_of("t.participant_id")}, 'filed_at', t.filed_at,
                                  'due_at', t.due_at)
        FROM register_participantpetition t
        {case_of("t.case_id")}
        WHERE t.due_at < %(now)s AND (t.decided_at IS NULL OR t.decided_at > t.due_at) AND {cases_of("t.case_id")}""",
    "repeated_interruptions": f"""
        SELECT 'case:' || c.id, c.id, NULL::bigint, NULL::bigint, NULL::bigint, c.supervising_office_id,
               e.last_at,
               jsonb_build_object('erdr_number', c.erdr_number, 'interruptions', e.interruptions,
                                  'limit', %(max_interruptions)s)
        FROM (SELECT e.case_id, count(*) AS interruptions, max(e.started_at) AS last_at
              FROM decisions_legaleffect e
              WHERE e.kind = 'terms_interrupted' AND {cases_of("e.case_id")}
              GROUP BY e.case_id
              HAVING count(*) > %(max_interruptions)s) e
        {case_of("e.case_id")}""",
    "case_idle": f"""
        SELECT 'case:' || c.id || ':' || to_char(c.last_act_at AT TIME ZONE 'UTC', {STAMP}), c.id,
               NULL::bigint, NULL::bigint, NULL::bigint, c.supervising_office_id,
               c.last_act_at + %(idle_days)s * interval '1 day',
               jsonb_build_object('erdr_number', c.erdr_number, 'last_act_at', c.last_act_at,
                                  'idle_days', %(idle_days)s)
        FROM register_case c
        WHERE c.status = 'under_investigation' AND c.last_act_at < %(now)s - %(idle_days)s * interval '1 day'
          AND {CASES}""",
    "backdated_decision": f"""
        SELECT 'decision:' || d.id, d.case_id, d.id, d.subject_id, NULL::bigint, {OFFICE_OF_CASE}, d.submitted_at,
               jsonb_build_object('decision', d.id, 'kind', d.kind, 'stated_date', d.stated_date,
                                  'submitted_at', d.submitted_at)
        FROM decisions_decision d
        WHERE d.submitted_at IS NOT NULL
          AND d.stated_date < (d.submitted_at AT TIME ZONE %(zone)s)::date - %(backdating_days)s
          AND {cases_of("d.case_id")}""",
    "convenient_defender": f"""
        WITH defended AS (
            SELECT c.unit_id, c.id AS case_id, p.iin, {PERSON} AS name
            FROM register_participant p JOIN register_case c ON c.id = p.case_id
            WHERE p.role = 'defender' AND p.iin IS NOT NULL
              AND {UNITS}
        ), per_unit AS (
            SELECT unit_id, count(*) AS unit_cases FROM (SELECT DISTINCT unit_id, case_id FROM defended) x
            GROUP BY unit_id
        ), per_defender AS (
            -- a person is a case's defender once (participant_iin_role_unique_per_case): rows are cases
            SELECT unit_id, iin, min(name) AS name, count(*) AS cases FROM defended GROUP BY unit_id, iin
        )
        SELECT 'unit:' || d.unit_id || ':defender:' || d.iin, NULL::bigint, NULL::bigint, NULL::bigint, d.unit_id,
               o.supervising_office_id, %(now)s::timestamptz,
               jsonb_build_object('unit', o.name_en, 'defender', d.name, 'cases', d.cases,
                                  'unit_cases', u.unit_cases, 'share', round(100.0 * d.cases / u.unit_cases))
        FROM per_defender d JOIN per_unit u USING (unit_id) JOIN accounts_organisation o ON o.id = d.unit_id
        WHERE u.unit_cases >= %(min_cases)s AND 100.0 * d.cases / u.unit_cases > %(defender_share)s""",
    "review_out_of_jurisdiction": f"""
        SELECT 'event:' || v.id, c.id, v.decision_id, NULL::bigint, NULL::bigint, c.supervising_office_id, v.at,
               jsonb_build_object('decision', v.decision_id,
                                  'reviewer', concat_ws(' ', u.last_name, u.first_name, nullif(u.patronymic, '')),
                                  'office', coalesce(r.name_en, ''))
        FROM decisions_decisionevent v
        JOIN register_case c ON c.id = v.case_id
        JOIN accounts_organisation s ON s.id = c.supervising_office_id
        JOIN accounts_user u ON u.id = v.actor_id
        LEFT JOIN accounts_organisation r ON r.id = v.actor_organisation_id
        WHERE v.code IN ('decision.agreed', 'decision.refused', 'decision.returned', 'decision.petitioned')
          -- the supervising office's own reviews (nearly all) are set aside before the offices are joined
          AND v.actor_organisation_id IS DISTINCT FROM c.supervising_office_id
          AND (r.id IS NULL OR NOT starts_with(s.path, r.path)) AND {CASES}""",
}


def query_for(rule: str, *, restricted: bool) -> str:
    """The rule's query for the whole register, or restricted to the cases in `%(cases)s`."""
    query = DETECTORS[rule]
    if restricted:
        for marker, restriction in RESTRICTED.items():
            query = query.replace(marker, restriction)
        query = CASES_OF.sub(r"\1 = ANY(%(cases)s::bigint[])", query)
    return query

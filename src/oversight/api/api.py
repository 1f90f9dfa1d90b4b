"""The JSON API: thin operations over the services, each with a stable operationId.

Errors are problem details (RFC 9457) naming the field at fault: 404 outside the caller's reach
(the same as missing), 403 when the role may not act, 409 on a state conflict, 422 on bad input.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import DatabaseError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import NinjaAPI, Query, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError

from oversight.accounts.access import jurisdiction_of
from oversight.api import presenters
from oversight.api.auth import ActiveSession, BearerToken, caller
from oversight.api.idempotency import run_idempotent
from oversight.api.policy import POLICIES
from oversight.api.schemas import (
    AccessLogFilters,
    AccessLogPage,
    AssignProsecutorIn,
    BreakGlassIn,
    CaseDetailOut,
    CaseFilters,
    CaseIn,
    CaseOut,
    CasePage,
    CommentIn,
    DecisionDetailOut,
    DecisionEditIn,
    DecisionIn,
    DecisionOut,
    FindingFilters,
    FindingList,
    FindingOut,
    MeOut,
    OptionalReasonIn,
    Out,
    ParticipantIn,
    ParticipantOut,
    PetitionIn,
    QueueFilters,
    QueuePage,
    ReasonIn,
    ResolveIn,
    RulebookOut,
)
from oversight.audit.models import AccessLogEntry, Operation, Outcome
from oversight.audit.services import Who, record, record_refusal, who
from oversight.decisions import services as workflow
from oversight.decisions.access import access_decision, clocks_reached, effects_reached
from oversight.decisions.models import Decision
from oversight.kit import rows
from oversight.kit.errors import DomainError, Forbidden, Invalid, NotFound
from oversight.kit.transactions import all_or_nothing
from oversight.law import UnknownRulebook, rulebook, rulebook_in_force, rulebooks
from oversight.law.identifiers import InvalidIdentifier, validate_erdr
from oversight.law.violations import BY_CODE as VIOLATION_RULES
from oversight.monitoring import services as monitor
from oversight.monitoring.models import Finding
from oversight.register import services as register
from oversight.register.access import access_case
from oversight.register.models import Case, CaseStatus

logger = logging.getLogger(__name__)
PROBLEM = "application/problem+json"

api = NinjaAPI(
    title="Oversight API",
    version="1",
    description=(
        "The prosecutor's filter for pre-trial decisions. Authenticate with `Authorization: Bearer <token>` "
        "(`manage.py issue_token USERNAME`). Every write accepts an `Idempotency-Key` header. Errors are "
        "problem details naming the field at fault."
    ),
    auth=[BearerToken(), ActiveSession()],
    urls_namespace="api",
)

Problem = dict[str, Any]
ERRORS: dict[int, Any] = {401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem}


def problem(
    status: int,
    title: str,
    detail: str,
    errors: list[dict[str, str]] | None = None,
    code: str = "error",
) -> JsonResponse:
    body: dict[str, Any] = {
        "type": f"https://oversight.example/problems/{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if errors:
        body["errors"] = errors
    return JsonResponse(body, status=status, content_type=PROBLEM)


def _field_name(location: list[Any]) -> str:
    parts = [part for part in location if part not in ("body", "payload", "query", "path", "filters")]
    name = ""
    for part in parts:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += ("." if name else "") + str(part)
    return name or "body"


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    return JsonResponse(error.problem(), status=error.status, content_type=PROBLEM)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    errors = [
        {
            "field": _field_name(list(item.get("loc", []))),
            "message": str(item.get("msg", "is invalid")),
        }
        for item in error.errors
    ]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem(422, "Invalid input", detail, errors, code="invalid")


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    response = problem(401, "Not authenticated", "send a valid bearer token or sign in", code="unauthenticated")
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    return problem(error.status_code, "Request failed", str(error), code="http_error")


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, error: Exception) -> HttpResponse:
    logger.exception("unexpected error in %s %s", request.method, request.path)
    return problem(
        500,
        "Internal error",
        "the request could not be completed; nothing was changed",
        code="internal",
    )


class AuditUnavailable(DomainError):
    """The access log could not be written: the request is refused and nothing it did is kept."""

    status = 503
    code = "audit_unavailable"
    title = "Service unavailable"


OUTCOMES = {403: Outcome.DENIED, 404: Outcome.NOT_FOUND, 409: Outcome.CONFLICT, 422: Outcome.INVALID}
View = TypeVar("View", bound=Callable[..., Any])


def _object_id(kwargs: dict[str, Any], response: Any) -> str:
    for name in ("decision_id", "case_id", "finding_id"):
        if name in kwargs:
            return str(kwargs[name])
    if isinstance(response, HttpResponse) and response.get("Content-Type", "").startswith("application/json"):
        body = json.loads(response.content)
        return str(body.get("id", "")) if isinstance(body, dict) else ""
    if isinstance(response, dict):
        return str(response.get("id", ""))
    return ""


def _log_success(  # noqa: PLR0917 - private helper of guarded, called once
    actor: Who,
    operation: Operation,
    operation_id: str,
    object_type: str,
    response: Any,
    kwargs: dict[str, Any],
    riders: list[rows.Rider],
) -> None:
    """Write the access-log row in the operation's own transaction, with the writes that ride with it
    (the idempotency answer); if it fails, so does the operation."""
    try:
        record(
            actor,
            operation=operation,
            action=operation_id,
            object_type=object_type,
            object_id=_object_id(kwargs, response),
            riders=riders,
        )
    except DatabaseError as error:
        logger.exception("access log write failed for %s", operation_id)
        raise AuditUnavailable("the access log could not be written; nothing was changed") from error


def guarded(operation_id: str) -> Callable[[View], View]:
    """The one server-side gate of every operation: role policy, one transaction, the access log.

    The caller's roles must include one the policy allows (else 403, logged). The operation runs in
    one transaction together with its access-log row, so an operation whose log row cannot be
    written changes nothing (503). Refusals are logged after their rollback.
    """
    policy = POLICIES[operation_id]  # an operation without a policy cannot even be registered
    logs_success = policy.operation is not None and not policy.handler_logs

    def wrap(view: View) -> View:
        @functools.wraps(view)
        def guarded_view(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            user = caller(request)
            operation = policy.operation or Operation.CONSULTATION
            actor: Who | None = None
            try:
                # No query parameter of the API is a list: a repeated one is ambiguous, not "the last wins".
                repeated = sorted(key for key, values in request.GET.lists() if len(values) > 1)
                if repeated:
                    raise Invalid(dict.fromkeys(repeated, "is given more than once"))
                riders: list[rows.Rider] = []
                if logs_success:  # the idempotency answer is written with the access-log row
                    request.audit_riders = riders  # type: ignore[attr-defined]
                with all_or_nothing():  # every error leaves the block: the request changes all or nothing
                    # Writes lock the caller's grants until commit, so a revocation running at the
                    # same time waits: the act commits before the revocation or not at all.
                    jurisdiction = jurisdiction_of(user, lock=policy.writes)
                    actor = who(request, user)
                    if not jurisdiction.roles & policy.roles:
                        raise Forbidden(f"your role may not use {operation_id}")
                    response = view(request, *args, **kwargs)
                    if logs_success:
                        _log_success(actor, operation, operation_id, policy.object_type, response, kwargs, riders)
                return response
            except DomainError as error:
                if policy.operation is not None and not isinstance(error, AuditUnavailable):
                    record_refusal(
                        actor or who(request, user),
                        operation=operation,
                        action=operation_id,
                        outcome=OUTCOMES.get(error.status, Outcome.FAILED),
                        object_type=policy.object_type,
                        object_id=_object_id(kwargs, None),
                    )
                raise

        guarded_view.oversight_policy = policy  # type: ignore[attr-defined]
        return guarded_view  # type: ignore[return-value]

    return wrap


cases = Router(tags=["cases"])
decisions = Router(tags=["decisions"])
reference = Router(tags=["reference"])


# --- cases ------------------------------------------------------------------------------------------


def _case_queryset() -> Any:
    return Case.objects.select_related(
        "body", "unit", "investigator", "supervising_office", "procedural_prosecutor"
    ).prefetch_related("articles")


@cases.post(
    "/cases",
    response={201: CaseOut, **ERRORS},
    operation_id="create_case",
    summary="Register a case in the ERDR",
)
@guarded("create_case")
def create_case(request: HttpRequest, payload: CaseIn) -> HttpResponse:
    actor = caller(request)

    def produce() -> dict[str, Any]:
        case = register.register_case(
            actor=actor,
            unit_id=payload.unit_id,
            form=payload.form,
            articles=[register.ArticleInput(a.article, a.part, a.paragraph) for a in payload.articles],
            reported_at=payload.reported_at,
            summary=payload.summary,
            investigator_id=payload.investigator_id,
            erdr_number=payload.erdr_number,
        )
        return presenters.case(_case_queryset().get(pk=case.pk))

    return run_idempotent(
        request, user_id=actor.pk, operation="create_case", status=201, schema=CaseOut, produce=produce
    )


@cases.get(
    "/cases",
    response={200: CasePage, **ERRORS},
    operation_id="list_cases",
    summary="Cases within the caller's reach",
)
@guarded("list_cases")
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> dict[str, Any]:
    visible = _case_queryset().filter(pk__in=Case.objects.visible_to(caller(request)).values("pk"))
    if filters.erdr_number is not None:
        try:
            validate_erdr(filters.erdr_number)
        except InvalidIdentifier as error:
            raise Invalid({"erdr_number": str(error)}) from None
        visible = visible.filter(erdr_number=filters.erdr_number)
    if filters.status is not None:
        if filters.status not in CaseStatus.values:
            raise Invalid({"status": f"one of {', '.join(CaseStatus.values)}"})
        visible = visible.filter(status=filters.status)
    page = list(visible.order_by("-registered_at", "-pk")[filters.offset : filters.offset + filters.limit])
    return {"count": visible.count(), "items": [presenters.case(c) for c in page]}


@cases.get(
    "/cases/{case_id}",
    response={200: CaseDetailOut, **ERRORS},
    operation_id="get_case",
    summary="A case with its participants, decisions, effects and clocks",
)
@guarded("get_case")
def get_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    user = caller(request)
    case = access_case(user, case_id)
    visible_decisions = list(Decision.objects.visible_to(user).filter(case=case).order_by("drafted_at", "pk"))
    full = (
        _case_queryset()
        .prefetch_related(
            "participants",
            Prefetch("legal_effects", effects_reached(case, visible_decisions)),
            Prefetch("deadlines", clocks_reached(case, visible_decisions)),
        )
        .get(pk=case.pk)
    )
    return presenters.case_detail(full, decisions=visible_decisions)


@cases.post(
    "/cases/{case_id}/participants",
    response={201: ParticipantOut, **ERRORS},
    operation_id="add_participant",
    summary="Add a participant with their procedural role",
)
@guarded("add_participant")
def add_participant(request: HttpRequest, case_id: int, payload: ParticipantIn) -> HttpResponse:
    actor = caller(request)

    def produce() -> dict[str, Any]:
        return presenters.participant(register.add_participant(case_id, actor=actor, **payload.model_dump()))

    return run_idempotent(
        request, user_id=actor.pk, operation="add_participant", status=201, schema=ParticipantOut, produce=produce
    )


@cases.post(
    "/cases/{case_id}/procedural-prosecutor",
    response={200: CaseOut, **ERRORS},
    operation_id="assign_procedural_prosecutor",
    summary="Assign or replace the procedural prosecutor",
)
@guarded("assign_procedural_prosecutor")
def assign_procedural_prosecutor(request: HttpRequest, case_id: int, payload: AssignProsecutorIn) -> HttpResponse:
    actor = caller(request)

    def produce() -> dict[str, Any]:
        register.assign_procedural_prosecutor(case_id, actor=actor, prosecutor_id=payload.prosecutor_id)
        return presenters.case(_case_queryset().get(pk=case_id))

    return run_idempotent(
        request, user_id=actor.pk, operation="assign_procedural_prosecutor", status=200, schema=CaseOut, produce=produce
    )


@cases.post(
    "/cases/{case_id}/resume",
    response={200: CaseOut, **ERRORS},
    operation_id="resume_terms",
    summary="Resume the case's interrupted terms, naming the ground that has fallen away",
)
@guarded("resume_terms")
def resume_terms(request: HttpRequest, case_id: int, payload: ReasonIn) -> HttpResponse:
    actor = caller(request)

    def produce() -> dict[str, Any]:
        workflow.resume_terms(case_id, actor=actor, reason=payload.reason)
        return presenters.case(_case_queryset().get(pk=case_id))

    return run_idempotent(
        request, user_id=actor.pk, operation="resume_terms", status=200, schema=CaseOut, produce=produce
    )


# --- decisions --------------------------------------------------------------------------------------


def _decision_body(decision_id: int) -> dict[str, Any]:
    decision = Decision.objects.select_related("case", "subject", "court").get(pk=decision_id)
    return presenters.decision(decision)


def _changed_decision_body(decision: Decision) -> dict[str, Any]:
    """The answer to a write: the decision as the service left it (the row it wrote, with its case and
    subject as it read them under lock), without reading it back."""
    return presenters.decision(decision)


@cases.post(
    "/cases/{case_id}/decisions",
    response={201: DecisionOut, **ERRORS},
    operation_id="draft_decision",
    summary="Draft a procedural decision",
)
@guarded("draft_decision")
def draft_decision(request: HttpRequest, case_id: int, payload: DecisionIn) -> HttpResponse:
    actor = caller(request)

    def produce() -> dict[str, Any]:
        decision = workflow.draft_decision(
            case_id,
            actor=actor,
            kind=payload.kind,
            content=payload.content,
            subject_id=payload.subject_id,
            stated_date=payload.stated_date,
        )
        return _changed_decision_body(decision)

    return run_idempotent(
        request, user_id=actor.pk, operation="draft_decision", status=201, schema=DecisionOut, produce=produce
    )


@decisions.get(
    "/decisions/{decision_id}",
    response={200: DecisionDetailOut, **ERRORS},
    operation_id="get_decision",
    summary="A decision with its revisions, history and effects",
)
@guarded("get_decision")
def get_decision(request: HttpRequest, decision_id: int) -> dict[str, Any]:
    return presenters.decision_detail(access_decision(caller(request), decision_id))


@decisions.patch(
    "/decisions/{decision_id}",
    response={200: DecisionOut, **ERRORS},
    operation_id="edit_decision",
    summary="Edit a draft or a returned decision",
)
@guarded("edit_decision")
def edit_decision(request: HttpRequest, decision_id: int, payload: DecisionEditIn) -> HttpResponse:
    actor = caller(request)

    def produce() -> dict[str, Any]:
        workflow.edit_decision(
            decision_id,
            actor=actor,
            content=payload.content,
            subject_id=payload.subject_id,
            stated_date=payload.stated_date,
        )
        return _decision_body(decision_id)

    return run_idempotent(
        request, user_id=actor.pk, operation="edit_decision", status=200, schema=DecisionOut, produce=produce
    )


def _act(
    request: HttpRequest, operation: str, schema: type[Out], call: Any, body: Callable[[Any], dict[str, Any]]
) -> HttpResponse:
    """One write under the request's idempotency key: `call(actor)`, then answer with `body` of what it returned."""
    actor = caller(request)

    def produce() -> dict[str, Any]:
        return body(call(actor))

    return run_idempotent(request, user_id=actor.pk, operation=operation, status=200, schema=schema, produce=produce)


def _transition(request: HttpRequest, decision_id: int, operation: str, call: Any) -> HttpResponse:
    return _act(request, operation, DecisionOut, call, _changed_decision_body)


@decisions.post(
    "/decisions/{decision_id}/submit",
    response={200: DecisionOut, **ERRORS},
    operation_id="submit_decision",
    summary="Submit the draft to the prosecutor",
)
@guarded("submit_decision")
def submit_decision(request: HttpRequest, decision_id: int) -> HttpResponse:
    return _transition(
        request,
        decision_id,
        "submit_decision",
        lambda actor: workflow.submit_decision(decision_id, actor=actor),
    )


@decisions.post(
    "/decisions/{decision_id}/withdraw",
    response={200: DecisionOut, **ERRORS},
    operation_id="withdraw_decision",
    summary="Withdraw a decision before it is in force or before the judge",
)
@guarded("withdraw_decision")
def withdraw_decision(request: HttpRequest, decision_id: int, payload: OptionalReasonIn) -> HttpResponse:
    return _transition(
        request,
        decision_id,
        "withdraw_decision",
        lambda actor: workflow.withdraw_decision(decision_id, actor=actor, reason=payload.reason),
    )


@decisions.post(
    "/decisions/{decision_id}/agree",
    response={200: DecisionOut, **ERRORS},
    operation_id="agree_decision",
    summary="The prosecutor agrees",
)
@guarded("agree_decision")
def agree_decision(request: HttpRequest, decision_id: int, payload: CommentIn) -> HttpResponse:
    return _transition(
        request,
        decision_id,
        "agree_decision",
        lambda actor: workflow.agree_decision(decision_id, actor=actor, comment=payload.comment),
    )


@decisions.post(
    "/decisions/{decision_id}/refuse",
    response={200: DecisionOut, **ERRORS},
    operation_id="refuse_decision",
    summary="The prosecutor refuses, with reasons",
)
@guarded("refuse_decision")
def refuse_decision(request: HttpRequest, decision_id: int, payload: ReasonIn) -> HttpResponse:
    return _transition(
        request,
        decision_id,
        "refuse_decision",
        lambda actor: workflow.refuse_decision(decision_id, actor=actor, reason=payload.reason),
    )


@decisions.post(
    "/decisions/{decision_id}/return",
    response={200: DecisionOut, **ERRORS},
    operation_id="return_decision",
    summary="The prosecutor returns it for rework, with reasons",
)
@guarded("return_decision")
def return_decision(request: HttpRequest, decision_id: int, payload: ReasonIn) -> HttpResponse:
    return _transition(
        request,
        decision_id,
        "return_decision",
        lambda actor: workflow.return_decision(decision_id, actor=actor, reason=payload.reason),
    )


@decisions.post(
    "/decisions/{decision_id}/consent",
    response={200: DecisionOut, **ERRORS},
    operation_id="consent_decision",
    summary="Consent of the General Prosecutor (special subject)",
)
@guarded("consent_decision")
def consent_decision(request: HttpRequest, decision_id: int, payload: CommentIn) -> HttpResponse:
    return _transition(
        request,
        decision_id,
        "consent_decision",
        lambda actor: workflow.consent_decision(decision_id, actor=actor, comment=payload.comment),
    )


@decisions.post(
    "/decisions/{decision_id}/refuse-consent",
    response={200: DecisionOut, **ERRORS},
    operation_id="refuse_consent",
    summary="The General Prosecutor refuses consent, with reasons",
)
@guarded("refuse_consent")
def refuse_consent(request: HttpRequest, decision_id: int, payload: ReasonIn) -> HttpResponse:
    return _transition(
        request,
        decision_id,
        "refuse_consent",
        lambda actor: workflow.refuse_consent(decision_id, actor=actor, reason=payload.reason),
    )


@decisions.post(
    "/decisions/{decision_id}/petition",
    response={200: DecisionOut, **ERRORS},
    operation_id="petition_court",
    summary="File the agreed petition with the investigating judge",
)
@guarded("petition_court")
def petition_court(request: HttpRequest, decision_id: int, payload: PetitionIn) -> HttpResponse:
    return _transition(
        request,
        decision_id,
        "petition_court",
        lambda actor: workflow.petition_court(decision_id, actor=actor, court_id=payload.court_id),
    )


@decisions.post(
    "/decisions/{decision_id}/grant",
    response={200: DecisionOut, **ERRORS},
    operation_id="grant_sanction",
    summary="The investigating judge grants the sanction",
)
@guarded("grant_sanction")
def grant_sanction(request: HttpRequest, decision_id: int, payload: OptionalReasonIn) -> HttpResponse:
    return _transition(
        request,
        decision_id,
        "grant_sanction",
        lambda actor: workflow.grant_sanction(decision_id, actor=actor, reason=payload.reason),
    )


@decisions.post(
    "/decisions/{decision_id}/deny",
    response={200: DecisionOut, **ERRORS},
    operation_id="deny_sanction",
    summary="The investigating judge denies the sanction, with reasons",
)
@guarded("deny_sanction")
def deny_sanction(request: HttpRequest, decision_id: int, payload: ReasonIn) -> HttpResponse:
    return _transition(
        request,
        decision_id,
        "deny_sanction",
        lambda actor: workflow.deny_sanction(decision_id, actor=actor, reason=payload.reason),
    )


@decisions.get(
    "/queue",
    response={200: QueuePage, **ERRORS},
    operation_id="list_review_queue",
    summary="What awaits the caller's act, soonest deadline first",
)
@guarded("list_review_queue")
def list_review_queue(request: HttpRequest, filters: Query[QueueFilters]) -> dict[str, Any]:
    now = timezone.now()
    queue = Decision.objects.review_queue(caller(request))
    if filters.kind is not None:
        if not any(filters.kind in book.decision_types for book in rulebooks()):
            raise Invalid({"kind": f"no decision type {filters.kind!r} in any rulebook version"})
        queue = queue.filter(kind=filters.kind)
    if filters.overdue:
        queue = queue.filter(due_at__lt=now)
    page = list(queue[filters.offset : filters.offset + filters.limit])
    return {"count": queue.count(), "items": [presenters.queue_item(d, now) for d in page]}


# --- reference --------------------------------------------------------------------------------------


@reference.get(
    "/rulebook",
    response={200: RulebookOut, **ERRORS},
    operation_id="get_rulebook",
    summary="The rulebook version in force now, with its 'to be confirmed' flags",
)
@guarded("get_rulebook")
def get_rulebook(request: HttpRequest) -> dict[str, Any]:
    return presenters.rulebook_body(rulebook_in_force(timezone.now()))


@reference.get(
    "/rulebook/{version}",
    response={200: RulebookOut, **ERRORS},
    operation_id="get_rulebook_version",
    summary="One rulebook version",
)
@guarded("get_rulebook_version")
def get_rulebook_version(request: HttpRequest, version: str) -> dict[str, Any]:
    try:
        return presenters.rulebook_body(rulebook(version))
    except UnknownRulebook:
        raise NotFound(f"no rulebook version {version!r}") from None


@cases.post(
    "/cases/{case_id}/break-glass",
    response={200: CaseDetailOut, **ERRORS},
    operation_id="break_glass_case",
    summary="An administrator's emergency read of a case, with a written reason; alerts the senior prosecutors",
)
@guarded("break_glass_case")
def break_glass_case(request: HttpRequest, case_id: int, payload: BreakGlassIn) -> dict[str, Any]:
    case = register.break_glass(who(request, caller(request)), reason=payload.reason, case_id=case_id)
    full = _case_queryset().prefetch_related("participants", "legal_effects", "deadlines").get(pk=case.pk)
    return presenters.case_detail(full, decisions=list(Decision.objects.filter(case=case).order_by("drafted_at", "pk")))


@reference.get(
    "/access-log",
    response={200: AccessLogPage, **ERRORS},
    operation_id="list_access_log",
    summary="The access log (auditors only; reading it is itself logged)",
)
@guarded("list_access_log")
def list_access_log(request: HttpRequest, filters: Query[AccessLogFilters]) -> dict[str, Any]:
    entries = AccessLogEntry.objects.all()
    if filters.username is not None:
        entries = entries.filter(username=filters.username)
    if filters.object_type is not None:
        entries = entries.filter(object_type=filters.object_type)
    if filters.object_id is not None:
        entries = entries.filter(object_id=filters.object_id)
    if filters.since is not None:
        entries = entries.filter(at__gte=filters.since)
    page = entries.order_by("-at", "-pk")[filters.offset : filters.offset + filters.limit]
    return {"count": entries.count(), "items": [presenters.access_log_entry(entry) for entry in page]}


@reference.get(
    "/me",
    response={200: MeOut, **ERRORS},
    operation_id="get_me",
    summary="The caller and their roles",
)
@guarded("get_me")
def get_me(request: HttpRequest) -> dict[str, Any]:
    user = caller(request)
    grants = user.role_grants.select_related("organisation").order_by("role", "pk")
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name(),
        "roles": [{"role": g.role, "organisation": presenters.org_ref(g.organisation)} for g in grants],
    }


# --- the legality monitor's findings -------------------------------------------------------------------

findings = Router(tags=["legality monitor"])


def _finding_body(finding_id: int) -> dict[str, Any]:
    return presenters.finding(Finding.objects.select_related("case", "unit").get(pk=finding_id))


@findings.get(
    "/findings",
    response={200: FindingList, **ERRORS},
    operation_id="list_findings",
    summary="Violations found within the caller's supervision, the most recent first",
)
@guarded("list_findings")
def list_findings(request: HttpRequest, filters: Query[FindingFilters]) -> dict[str, Any]:
    chosen = Finding.objects.visible_to(caller(request)).select_related("case", "unit")
    if filters.status:
        chosen = chosen.filter(status=filters.status)
    if filters.rule:
        if filters.rule not in VIOLATION_RULES:
            raise Invalid({"rule": f"no violation rule {filters.rule!r}"})
        chosen = chosen.filter(rule=filters.rule)
    if filters.case_id:
        chosen = chosen.filter(case_id=filters.case_id)
    page = list(chosen.order_by("-occurred_at", "-pk")[filters.offset : filters.offset + filters.limit])
    return {"count": chosen.count(), "items": [presenters.finding(f) for f in page]}


@findings.get(
    "/findings/{finding_id}",
    response={200: FindingOut, **ERRORS},
    operation_id="get_finding",
    summary="One finding: its rule, article, facts, explanation and what should have happened",
)
@guarded("get_finding")
def get_finding(request: HttpRequest, finding_id: int) -> dict[str, Any]:
    if not Finding.objects.visible_to(caller(request)).filter(pk=finding_id).exists():
        raise NotFound(f"finding {finding_id} not found")
    return _finding_body(finding_id)


def _answer(request: HttpRequest, finding_id: int, operation: str, call: Any) -> HttpResponse:
    return _act(request, operation, FindingOut, call, lambda _: _finding_body(finding_id))


@findings.post(
    "/findings/{finding_id}/acknowledge",
    response={200: FindingOut, **ERRORS},
    operation_id="acknowledge_finding",
    summary="The prosecutor takes the finding up",
)
@guarded("acknowledge_finding")
def acknowledge_finding(request: HttpRequest, finding_id: int) -> HttpResponse:
    return _answer(
        request, finding_id, "acknowledge_finding", lambda actor: monitor.acknowledge_finding(finding_id, actor=actor)
    )


@findings.post(
    "/findings/{finding_id}/resolve",
    response={200: FindingOut, **ERRORS},
    operation_id="resolve_finding",
    summary="Resolved by a recorded act of prosecutorial response",
)
@guarded("resolve_finding")
def resolve_finding(request: HttpRequest, finding_id: int, payload: ResolveIn) -> HttpResponse:
    return _answer(
        request,
        finding_id,
        "resolve_finding",
        lambda actor: monitor.resolve_finding(finding_id, actor=actor, response=payload.response, note=payload.note),
    )


@findings.post(
    "/findings/{finding_id}/dismiss",
    response={200: FindingOut, **ERRORS},
    operation_id="dismiss_finding",
    summary="Dismissed, with the reason it is not a violation",
)
@guarded("dismiss_finding")
def dismiss_finding(request: HttpRequest, finding_id: int, payload: ReasonIn) -> HttpResponse:
    return _answer(
        request,
        finding_id,
        "dismiss_finding",
        lambda actor: monitor.dismiss_finding(finding_id, actor=actor, reason=payload.reason),
    )


api.add_router("", cases)
api.add_router("", decisions)
api.add_router("", reference)
api.add_router("", findings)

"""The rulebook as data: every value has its article, approvals follow the law, content is checked by type."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from oversight.law import ApprovalKind, DecisionType, OfficeLevel, Rulebook, UnknownDecisionType, rulebook, rulebooks
from oversight.law.content import clean_content
from oversight.law.rulebook import FieldKind
from oversight.law.terms import Source

AGREEMENT = ApprovalKind.PROSECUTOR_AGREEMENT
CONSENT = ApprovalKind.SPECIAL_SUBJECT_CONSENT
SANCTION = ApprovalKind.JUDICIAL_SANCTION


EVERY_DECISION_TYPE = [
    pytest.param(version, decision_type, id=f"{version.version}:{code}")
    for version in rulebooks()
    for code, decision_type in version.decision_types.items()
]


def every_source(version: Rulebook) -> Iterator[tuple[str, Source]]:
    """Every Source a rulebook version holds, wherever it sits, with a label saying where."""
    yield "effective_from", version.effective_from_source
    yield "custody_ceiling_months", version.custody_ceiling_source
    for code, term in version.clocks.items():
        yield f"clock {code}", term.source
    for code, decision_type in version.decision_types.items():
        yield f"decision type {code}", decision_type.source
        for rule in decision_type.approvals:
            yield f"{code} approval {rule.kind}", rule.source
        for step in decision_type.level_ladder:
            yield f"{code} level step {step.up_to_months}", step.source
        for spec in decision_type.fields:
            for choice in spec.choices:
                yield f"{code} {spec.name} choice {choice.code}", choice.source


# --- every value has its article ------------------------------------------------------------------


@pytest.mark.parametrize(("version", "decision_type"), EVERY_DECISION_TYPE)
def test_decision_type_rests_on_an_article(version: Rulebook, decision_type: DecisionType) -> None:
    assert decision_type.source.article.strip()
    assert decision_type.drafted_by, "someone must be able to draft it"
    assert decision_type.effects, "an agreed decision must change something"


@pytest.mark.parametrize(("version", "decision_type"), EVERY_DECISION_TYPE)
def test_review_clock_is_a_clock_of_the_same_version(version: Rulebook, decision_type: DecisionType) -> None:
    if decision_type.review_clock is not None:
        assert decision_type.review_clock in version.clocks


@pytest.mark.parametrize("version", rulebooks(), ids=lambda version: version.version)
def test_only_decisions_the_prosecutor_does_not_review_lack_a_review_clock(version: Rulebook) -> None:
    without_review = {
        code for code, decision_type in version.decision_types.items() if decision_type.review_clock is None
    }
    # the prosecutor concludes a procedural agreement and draws up the indictment himself before 2026-07;
    # detention is the investigator's own act, notified to the prosecutor
    expected = {"procedural_agreement", "detention"}
    if version.version == "kz-2022":
        expected |= {"indictment"}

    assert without_review == expected


@pytest.mark.parametrize(("version", "decision_type"), EVERY_DECISION_TYPE)
def test_every_approval_level_step_and_field_choice_has_a_source(
    version: Rulebook, decision_type: DecisionType
) -> None:
    for rule in decision_type.approvals:
        assert rule.source.article.strip(), rule.kind
    for step in decision_type.level_ladder:
        assert step.source.article.strip(), step.up_to_months
    for spec in decision_type.fields:
        if spec.kind is FieldKind.CHOICE:
            assert spec.choices, f"{spec.name} offers no choice"
        for choice in spec.choices:
            assert choice.source.article.strip(), choice.code


@pytest.mark.parametrize("version", rulebooks(), ids=lambda version: version.version)
def test_every_clock_and_investigation_term_has_an_article(version: Rulebook) -> None:
    for code, term in version.clocks.items():
        assert term.source.article.strip(), code
        if term.relative_to is not None:
            assert term.relative_to in version.clocks, code
    for form, clock in version.investigation_terms.items():
        assert clock in version.clocks, form


@pytest.mark.parametrize(("version", "decision_type"), EVERY_DECISION_TYPE)
def test_level_field_is_a_field_of_the_decision(version: Rulebook, decision_type: DecisionType) -> None:
    if decision_type.level_field is not None:
        spec = decision_type.field_spec(decision_type.level_field)
        assert spec is not None
        assert spec.kind is FieldKind.INTEGER


# --- versions -------------------------------------------------------------------------------------


def test_versions_come_in_order_of_their_effective_dates() -> None:
    versions = rulebooks()

    assert [version.version for version in versions] == ["kz-2021", "kz-2022", "kz-2026-07"]
    assert [version.effective_from for version in versions] == sorted(version.effective_from for version in versions)


def test_stage_two_adds_the_completion_report_and_the_indictment() -> None:
    with pytest.raises(UnknownDecisionType):
        rulebook("kz-2021").decision_type("indictment")
    with pytest.raises(UnknownDecisionType):
        rulebook("kz-2021").decision_type("completion_report")

    assert rulebook("kz-2022").decision_type("completion_report").review_clock == "completion_review"


def test_force_majeure_is_a_ground_for_interruption_only_from_2022() -> None:
    def grounds(version: str) -> set[str]:
        spec = rulebook(version).decision_type("interruption_of_terms").field_spec("ground")
        assert spec is not None
        return {choice.code for choice in spec.choices}

    assert {"force_majeure", "expert_examination_pending"}.isdisjoint(grounds("kz-2021"))
    assert {"force_majeure", "expert_examination_pending"} <= grounds("kz-2022")


# --- approvals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "code", "ordinary", "special"),
    [
        pytest.param("kz-2022", "recognition_as_suspect", (AGREEMENT,), (AGREEMENT, CONSENT), id="recognition"),
        pytest.param("kz-2022", "qualification", (AGREEMENT,), (AGREEMENT, CONSENT), id="qualification"),
        pytest.param(
            "kz-2022", "interruption_of_terms", (AGREEMENT,), (AGREEMENT,), id="interruption, no consent rule"
        ),
        pytest.param("kz-2022", "termination", (AGREEMENT,), (AGREEMENT,), id="termination, no consent rule"),
        pytest.param("kz-2022", "detention", (), (CONSENT,), id="detention"),
        pytest.param("kz-2022", "procedural_agreement", (), (CONSENT,), id="procedural agreement"),
        pytest.param(
            "kz-2022", "custody_petition", (AGREEMENT, SANCTION), (AGREEMENT, CONSENT, SANCTION), id="custody petition"
        ),
        pytest.param(
            "kz-2022", "search_petition", (AGREEMENT, SANCTION), (AGREEMENT, CONSENT, SANCTION), id="search petition"
        ),
        pytest.param("kz-2022", "indictment", (), (CONSENT,), id="indictment drawn up by the prosecutor"),
    ],
)
def test_required_approvals(
    version: str, code: str, ordinary: tuple[ApprovalKind, ...], special: tuple[ApprovalKind, ...]
) -> None:
    decision_type = rulebook(version).decision_type(code)

    assert decision_type.required_approvals(subject_is_special=False, drafted_by_investigative_body=True) == ordinary
    assert decision_type.required_approvals(subject_is_special=True, drafted_by_investigative_body=True) == special


@pytest.mark.parametrize(("version", "decision_type"), EVERY_DECISION_TYPE)
def test_special_subject_consent_is_needed_only_for_a_special_subject(
    version: Rulebook, decision_type: DecisionType
) -> None:
    has_consent_rule = any(rule.kind is CONSENT for rule in decision_type.approvals)
    for drafted_by_investigative_body in (True, False):
        ordinary = decision_type.required_approvals(
            subject_is_special=False, drafted_by_investigative_body=drafted_by_investigative_body
        )
        special = decision_type.required_approvals(
            subject_is_special=True, drafted_by_investigative_body=drafted_by_investigative_body
        )

        assert CONSENT not in ordinary
        assert (CONSENT in special) is has_consent_rule
        assert [kind for kind in special if kind is not CONSENT] == list(ordinary)


@pytest.mark.parametrize(("version", "decision_type"), EVERY_DECISION_TYPE)
def test_approvals_come_in_the_order_they_are_given(version: Rulebook, decision_type: DecisionType) -> None:
    needed = decision_type.required_approvals(subject_is_special=True, drafted_by_investigative_body=True)

    assert list(needed) == sorted(set(needed), key=list(ApprovalKind).index)


def test_indictment_from_2026_07_needs_the_prosecutor_only_when_the_investigative_body_drafts_it() -> None:
    indictment = rulebook("kz-2026-07").decision_type("indictment")

    assert indictment.required_approvals(subject_is_special=False, drafted_by_investigative_body=True) == (AGREEMENT,)
    assert indictment.required_approvals(subject_is_special=False, drafted_by_investigative_body=False) == ()
    assert indictment.required_approvals(subject_is_special=True, drafted_by_investigative_body=True) == (
        AGREEMENT,
        CONSENT,
    )
    assert indictment.required_approvals(subject_is_special=True, drafted_by_investigative_body=False) == (CONSENT,)
    assert indictment.review_clock == "indictment_review"


def test_only_the_indictment_from_2026_07_depends_on_who_drafts_it() -> None:
    depends = {
        (version.version, code)
        for version in rulebooks()
        for code, decision_type in version.decision_types.items()
        if decision_type.required_approvals(subject_is_special=False, drafted_by_investigative_body=True)
        != decision_type.required_approvals(subject_is_special=False, drafted_by_investigative_body=False)
    }

    assert depends == {("kz-2026-07", "indictment")}


@pytest.mark.parametrize(
    ("code", "total_months", "level"),
    [
        pytest.param("extension_of_terms", 6, OfficeLevel.DISTRICT, id="investigation to 6 months: district"),
        pytest.param("extension_of_terms", 7, OfficeLevel.REGIONAL, id="investigation to 7 months: regional"),
        pytest.param("extension_of_terms", 12, OfficeLevel.REGIONAL, id="investigation to 12 months: regional"),
        pytest.param("extension_of_terms", 13, OfficeLevel.GENERAL, id="investigation to 13 months: general"),
        pytest.param("custody_extension_petition", 6, OfficeLevel.DISTRICT, id="custody to 6 months: district"),
        pytest.param("custody_extension_petition", 9, OfficeLevel.REGIONAL, id="custody to 9 months: regional"),
        pytest.param("custody_extension_petition", 10, OfficeLevel.GENERAL, id="custody to 10 months: general"),
    ],
)
def test_level_of_prosecutor_who_may_agree_follows_the_total_term(
    code: str, total_months: int, level: OfficeLevel
) -> None:
    decision_type = rulebook("kz-2022").decision_type(code)

    assert decision_type.level_required({"total_months": total_months}) is level


def test_any_prosecutor_may_agree_where_there_is_no_ladder() -> None:
    assert rulebook("kz-2022").decision_type("qualification").level_required({"total_months": 18}) is None


# --- values to be confirmed -----------------------------------------------------------------------


@pytest.mark.parametrize("version", rulebooks(), ids=lambda version: version.version)
def test_unconfirmed_values_name_the_known_unconfirmed_clocks(version: Rulebook) -> None:
    listed = dict(version.unconfirmed_values())

    assert "clock:qualification_review" in listed
    assert "clock:complaint_to_prosecutor" in listed
    assert "clock:house_arrest" in listed
    assert "custody_ceiling_months" in listed
    assert "clock:detention" not in listed
    assert "clock:report_registration" not in listed
    assert "clock:custody" not in listed, "two months of custody are confirmed"


@pytest.mark.parametrize("version", rulebooks(), ids=lambda version: version.version)
def test_unconfirmed_values_name_what_domain_marks_to_be_checked_in_art_49(version: Rulebook) -> None:
    """DOMAIN.md: how terms are computed is [check] as a whole, and so is the list of terms that end on
    their last day even when it is not a working day (custody and house arrest among them)."""
    listed = dict(version.unconfirmed_values())

    assert listed["term_arithmetic"].article == "CPC art. 49"
    assert "clock:custody:non_working_days" in listed
    assert "clock:house_arrest:non_working_days" in listed
    assert version.term("custody").to_be_confirmed, "a custody clock's end is flagged with its calendar rule"
    assert "clock:detention:non_working_days" not in listed, "an hour term never moves"
    # DOMAIN confirms 9 months of custody, not who petitions for the step to them.
    assert "custody_extension_petition:level:9" in listed


@pytest.mark.parametrize("version", rulebooks(), ids=lambda version: version.version)
def test_unconfirmed_values_list_only_unconfirmed_sources(version: Rulebook) -> None:
    for key, source in version.unconfirmed_values():
        assert not source.confirmed, key
        assert source.article.strip(), key


@pytest.mark.parametrize("version", rulebooks(), ids=lambda version: version.version)
def test_unconfirmed_values_list_every_source_marked_unconfirmed(version: Rulebook) -> None:
    listed = [source for _, source in version.unconfirmed_values()]
    missing = [where for where, source in every_source(version) if not source.confirmed and source not in listed]

    assert missing == []


def test_a_confirmed_ground_is_not_listed() -> None:
    listed = dict(rulebook("kz-2022").unconfirmed_values())

    assert "interruption_of_terms:ground:suspect_absconded" in listed
    assert "interruption_of_terms:ground:force_majeure" not in listed


# --- decision content -----------------------------------------------------------------------------

QUALIFICATION = rulebook("kz-2022").decision_type("qualification")
INTERRUPTION = rulebook("kz-2022").decision_type("interruption_of_terms")
EXTENSION = rulebook("kz-2022").decision_type("extension_of_terms")
DETENTION = rulebook("kz-2022").decision_type("detention")
BAIL = rulebook("kz-2022").decision_type("bail_petition")

THEFT = {"article": "188", "part": 2, "paragraph": 1}


def test_complete_content_is_cleaned() -> None:
    cleaned, errors = clean_content(
        QUALIFICATION, {"articles": [THEFT], "grounds": "  seen on camera  "}, complete=True
    )

    assert errors == {}
    assert cleaned == {"articles": [{"article": "188", "part": 2, "paragraph": 1}], "grounds": "seen on camera"}


def test_unknown_field_is_refused_by_name() -> None:
    _, errors = clean_content(QUALIFICATION, {"articles": [THEFT], "grounds": "x", "verdict": "guilty"}, complete=True)

    assert set(errors) == {"content.verdict"}


def test_missing_required_fields_are_named_when_the_decision_is_submitted() -> None:
    _, errors = clean_content(QUALIFICATION, {"grounds": "   "}, complete=True)

    assert set(errors) == {"content.articles", "content.grounds"}


def test_a_draft_may_leave_required_fields_blank() -> None:
    cleaned, errors = clean_content(QUALIFICATION, {"grounds": ""}, complete=False)

    assert errors == {}
    assert cleaned == {}


def test_optional_field_may_be_left_out_of_a_submission() -> None:
    content = {"detained_at": "2026-04-14T10:00:00+05:00", "grounds": "caught in the act"}
    cleaned, errors = clean_content(DETENTION, content, complete=True)

    assert errors == {}
    assert "exceptional_ground" not in cleaned


@pytest.mark.parametrize(
    ("decision_type", "content", "field"),
    [
        pytest.param(QUALIFICATION, {"articles": [THEFT], "grounds": 5}, "content.grounds", id="number for text"),
        pytest.param(QUALIFICATION, {"articles": "188", "grounds": "x"}, "content.articles", id="string for articles"),
        pytest.param(QUALIFICATION, {"articles": [188], "grounds": "x"}, "content.articles[0]", id="bare number"),
        pytest.param(
            QUALIFICATION,
            {"articles": [{"article": "188", "part": "2"}], "grounds": "x"},
            "content.articles[0]",
            id="part as text",
        ),
        pytest.param(
            QUALIFICATION,
            {"articles": [{"article": "188", "part": True}], "grounds": "x"},
            "content.articles[0]",
            id="part as boolean",
        ),
        pytest.param(
            QUALIFICATION,
            {"articles": [{"article": "12"}], "grounds": "x"},
            "content.articles[0]",
            id="article outside the Special Part",
        ),
        pytest.param(
            QUALIFICATION,
            {"articles": [THEFT, dict(THEFT)], "grounds": "x"},
            "content.articles[1]",
            id="article listed twice",
        ),
        pytest.param(EXTENSION, {"total_months": "6", "grounds": "x"}, "content.total_months", id="text for integer"),
        pytest.param(BAIL, {"amount": True, "grounds": "x"}, "content.amount", id="boolean for money"),
        pytest.param(EXTENSION, {"total_months": 1, "grounds": "x"}, "content.total_months", id="below minimum"),
        pytest.param(EXTENSION, {"total_months": 61, "grounds": "x"}, "content.total_months", id="above maximum"),
        pytest.param(BAIL, {"amount": 0, "grounds": "x"}, "content.amount", id="bail of nothing"),
        pytest.param(INTERRUPTION, {"ground": "bored", "grounds": "x"}, "content.ground", id="unknown choice"),
        pytest.param(INTERRUPTION, {"ground": 1, "grounds": "x"}, "content.ground", id="number for choice"),
        pytest.param(
            DETENTION,
            {"detained_at": "2026-04-14T10:00:00", "grounds": "x"},
            "content.detained_at",
            id="moment without offset",
        ),
        pytest.param(DETENTION, {"detained_at": "yesterday", "grounds": "x"}, "content.detained_at", id="not a moment"),
    ],
)
def test_malformed_field_is_refused_by_name(
    decision_type: DecisionType, content: dict[str, object], field: str
) -> None:
    _, errors = clean_content(decision_type, content, complete=True)

    assert set(errors) == {field}


@pytest.mark.parametrize(
    ("decision_type", "content", "field"),
    [
        pytest.param(EXTENSION, {"total_months": 1, "grounds": "x"}, "total_months", id="integer"),
        pytest.param(INTERRUPTION, {"ground": "bored", "grounds": "x"}, "ground", id="choice"),
        pytest.param(QUALIFICATION, {"articles": [{"article": "12"}], "grounds": "x"}, "articles", id="articles"),
    ],
)
def test_malformed_field_is_left_out_of_the_cleaned_content(
    decision_type: DecisionType, content: dict[str, object], field: str
) -> None:
    cleaned, errors = clean_content(decision_type, content, complete=True)

    assert errors
    assert field not in cleaned


def test_choice_must_exist_in_the_version_the_decision_is_judged_by() -> None:
    content = {"ground": "force_majeure", "grounds": "flood"}
    interruption_2021 = rulebook("kz-2021").decision_type("interruption_of_terms")

    assert set(clean_content(interruption_2021, content, complete=True)[1]) == {"content.ground"}
    assert clean_content(INTERRUPTION, content, complete=True)[1] == {}


def test_moment_of_detention_is_stored_in_utc() -> None:
    cleaned, _ = clean_content(DETENTION, {"detained_at": "2026-04-14T10:00:00+05:00", "grounds": "x"}, complete=True)

    assert cleaned["detained_at"] == "2026-04-14T05:00:00+00:00"

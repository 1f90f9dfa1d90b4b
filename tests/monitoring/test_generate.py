"""The synthetic register: the monitor finds exactly what the generator planted, and a seed is a register."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from oversight.accounts.models import Organisation
from oversight.law.identifiers import validate_iin
from oversight.law.violations import RULES
from oversight.monitoring import services, synthetic
from oversight.monitoring.models import Finding, InjectedViolation, SyntheticDataset
from oversight.register.models import Case, Participant
from tests.factories import World

pytestmark = pytest.mark.django_db

CASES = 300
SEED = 20261102


def test_a_sweep_as_of_the_dataset_finds_every_planted_violation_and_nothing_else() -> None:
    summary = synthetic.generate(cases=CASES, seed=SEED)

    services.sweep(now=summary.as_of)

    found = set(Finding.objects.values_list("rule", "key"))
    planted = set(InjectedViolation.objects.filter(dataset_id=summary.dataset_id).values_list("rule", "key"))
    assert {rule for rule, _ in planted} == {rule.code for rule in RULES}
    recall = len(found & planted) / len(planted)
    precision = len(found & planted) / len(found)
    assert (recall, precision) == (1, 1), f"missed {sorted(planted - found)}, unexpected {sorted(found - planted)}"
    assert services.sweep(now=summary.as_of) == {}  # a second sweep raises nothing new


def test_the_register_is_national_and_well_formed() -> None:
    summary = synthetic.generate(cases=CASES, seed=SEED)

    dataset = SyntheticDataset.objects.get(pk=summary.dataset_id)
    assert (dataset.seed, dataset.cases, dataset.as_of) == (SEED, CASES, synthetic.DEFAULT_AS_OF)
    assert Case.objects.count() == CASES
    assert Organisation.objects.filter(kind="prosecutor_office", office_level="regional").count() == 20
    assert set(Organisation.objects.exclude(body_kind="").values_list("body_kind", flat=True)) == {
        "police",
        "anti_corruption",
        "financial_monitoring",
        "economic_investigation",
        "national_security",
    }
    iins = [iin for iin in Participant.objects.values_list("iin", flat=True)[:500] if iin is not None]
    assert iins
    assert all(validate_iin(iin) == iin for iin in iins)
    assert Case.objects.filter(last_act_at__gte=summary.as_of).count() == 0


def test_the_same_seed_gives_the_same_register() -> None:
    digests = []
    for seed in (SEED, SEED, SEED + 1):
        with transaction.atomic():
            synthetic.generate(cases=CASES, seed=seed)
            digests.append(synthetic.digest())
            transaction.set_rollback(True)  # empty tables again for the next run

    assert digests[0] == digests[1]
    assert digests[0] != digests[2]


def test_generate_refuses_a_register_that_is_not_empty(world: World) -> None:
    with pytest.raises(synthetic.RegisterNotEmpty, match="empty register"):
        synthetic.generate(cases=CASES, seed=SEED)


def test_the_command_generates_and_reports_what_it_planted() -> None:
    out = StringIO()

    call_command("generate", "--cases", str(CASES), "--seed", str(SEED), "--no-progress", stdout=out)

    assert f"{CASES:,} cases from seed {SEED}" in out.getvalue()
    assert "review_out_of_jurisdiction" in out.getvalue()
    with pytest.raises(CommandError, match="empty register"):
        call_command("generate", "--cases", str(CASES), "--no-progress", stdout=StringIO())

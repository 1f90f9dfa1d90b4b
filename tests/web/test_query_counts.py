"""List pages run as many SQL queries for a long list as for a short one (STYLE.md: list pages guard their query count).

Each test measures a page, lengthens its list tenfold through the real services, and measures again:
the counts must be equal, and under a fixed ceiling so that a new constant query is a decision too.
A first request warms what a process caches once (the rulebook, content types) before anything is counted.
"""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from oversight.accounts.middleware import SIGNED_IN_AT
from oversight.accounts.models import User
from oversight.decisions import services as workflow
from oversight.register import services as register
from oversight.register.models import Case
from tests.factories import World, add_person, make_case, submitted

# What each page costs today, savepoints included (the test runs in a transaction); raise one on purpose only.
QUEUE_CEILING = 12
CASE_LIST_CEILING = 12
CASE_CARD_CEILING = 20  # 20: the petitions of participants (CPC art. 99)


def signed_in(user: User) -> Client:
    """A client whose session passed the password and the second factor, as the sign-in pages leave it."""
    device = TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SIGNED_IN_AT] = timezone.now().isoformat()
    session.save()
    return client


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content.decode()[:500]
    return len(captured)


def waiting_for_bolat(world: World, count: int) -> None:
    """Decisions in cases of their own, with and without a person concerned, awaiting the prosecutor."""
    for number in range(count):
        case = make_case(world)
        if number % 2:
            submitted(case, "search_petition")
        else:
            submitted(case, "recognition_as_suspect", subject=add_person(case))


def cases_of_aigerim(world: World, count: int) -> None:
    """Cases of aigerim's unit; every other one has bolat as its procedural prosecutor."""
    for number in range(count):
        case = make_case(world)
        if number % 2:
            register.assign_procedural_prosecutor(case.pk, actor=world.saule, prosecutor_id=world.bolat.pk)


def decisions_in(case: Case, world: World, count: int) -> None:
    """Recognitions of new witnesses; every other one agreed, so it brings a legal effect and a suspect."""
    for number in range(count):
        decision = submitted(case, "recognition_as_suspect", subject=add_person(case))
        if number % 2:
            workflow.agree_decision(decision.pk, actor=world.bolat)


def test_the_review_queue_counts_the_same_for_3_and_30_decisions(world: World) -> None:
    decided = submitted(make_case(world), "search_petition")
    workflow.return_decision(decided.pk, actor=world.bolat, reason="Name the flat's owner")  # decided today
    waiting_for_bolat(world, 3)
    bolat = signed_in(world.bolat)
    bolat.get("/queue/")

    short = queries(bolat, "/queue/")
    waiting_for_bolat(world, 27)
    long = queries(bolat, "/queue/")

    assert long == short
    assert short <= QUEUE_CEILING


def test_the_case_list_counts_the_same_for_3_and_30_cases(world: World) -> None:
    cases_of_aigerim(world, 3)
    bolat = signed_in(world.bolat)
    bolat.get("/cases/")

    short = queries(bolat, "/cases/")
    cases_of_aigerim(world, 27)
    long = queries(bolat, "/cases/")

    assert long == short
    assert short <= CASE_LIST_CEILING


def test_the_case_card_counts_the_same_for_2_and_12_decisions(world: World) -> None:
    case = make_case(world)
    decisions_in(case, world, 2)
    aigerim = signed_in(world.aigerim)
    url = f"/cases/{case.pk}/"
    aigerim.get(url)

    short = queries(aigerim, url)
    decisions_in(case, world, 10)
    long = queries(aigerim, url)

    assert long == short
    assert short <= CASE_CARD_CEILING

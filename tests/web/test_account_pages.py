"""The administrator's account pages: creating an account, granting and removing roles, disabling,
enabling, unlocking and resetting sign-in; nobody else reaches them, and no administrator acts on
their own account."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from oversight.accounts.models import RoleGrant, User
from oversight.accounts.services import grant_role
from oversight.audit.models import AccessLogEntry, Operation
from oversight.law.roles import Role
from tests.factories import World, make_case, person
from tests.web.test_query_counts import queries, signed_in

pytestmark = pytest.mark.django_db

NEW = {
    "username": "madina",
    "last_name": "Serikova",
    "first_name": "Madina",
    "patronymic": "Askarovna",
    "email": "madina@example.kz",
    "language": "kk",
}


def account_acts() -> list[tuple[str, str, str]]:
    """(action, object label, by) of every act on an account the access log holds."""
    return list(
        AccessLogEntry.objects.filter(operation=Operation.ACCOUNT)
        .order_by("pk")
        .values_list("action", "object_label", "username")
    )


def first_password(html: str) -> str:
    found = re.search(r'<code class="kbd" id="first-password-value">([^<]+)</code>', html)
    assert found is not None, html[:2000]
    return found.group(1)


def test_the_administrator_finds_accounts_by_name_and_state(world: World) -> None:
    admin = signed_in(world.admin)
    User.objects.filter(pk=world.dana.pk).update(locked_at=timezone.now())

    assert 'href="/accounts/"' in admin.get("/").content.decode()
    everyone = admin.get("/accounts/").content.decode()
    found = admin.get("/accounts/", {"q": "bola"}).content.decode()
    locked = admin.get("/accounts/", {"state": "locked"}).content.decode()

    assert 'data-account="bolat"' in everyone
    assert 'data-account="aigerim"' in everyone
    assert 'data-account="bolat"' in found
    assert 'data-account="aigerim"' not in found
    assert re.findall(r'data-account="([^"]+)"', locked) == ["dana"]
    assert world.astana_district.name_en in everyone  # where each role is held


def test_an_account_is_created_with_a_first_password_shown_once(world: World) -> None:
    admin = signed_in(world.admin)

    page = admin.post("/accounts/new/", NEW)

    assert page.status_code == 201
    assert "no-store" in page["Cache-Control"]
    created = User.objects.get(username="madina")
    password = first_password(page.content.decode())
    assert created.check_password(password)
    assert password not in created.password
    assert (created.full_name(), created.email, created.preferred_language) == (
        "Serikova Madina Askarovna",
        "madina@example.kz",
        "kk",
    )
    assert created.must_change_password
    assert created.is_active
    assert not RoleGrant.objects.filter(user=created).exists()
    assert account_acts() == [("account_created", "madina", "admin")]
    # the password is in no later answer
    assert password not in admin.get(f"/accounts/{created.pk}/").content.decode()


@pytest.mark.parametrize(
    ("typed", "field"),
    [
        ({"username": ""}, "username"),
        ({"username": "madina serikova"}, "username"),
        ({"username": "bolat"}, "username"),
        ({"username": "Console"}, "username"),
        ({"last_name": "  "}, "last_name"),
        ({"first_name": ""}, "first_name"),
        ({"patronymic": "x" * 151}, "patronymic"),
        ({"email": "madina-at-example"}, "email"),
        ({"language": "de"}, "language"),
    ],
)
def test_bad_input_names_the_field_and_creates_nothing(world: World, typed: dict[str, str], field: str) -> None:
    before = User.objects.count()

    page = signed_in(world.admin).post("/accounts/new/", {**NEW, **typed})

    assert page.status_code == 422
    html = page.content.decode()
    assert f'id="{field}-error"' in html
    assert len(re.findall(r'class="error" role="alert"', html)) == 1
    assert User.objects.count() == before
    assert account_acts() == []


def test_a_role_granted_opens_the_pages_it_gives(world: World) -> None:
    madina = person("madina", "Serikova", "Madina")
    admin = signed_in(world.admin)
    holder = signed_in(madina)
    assert 'href="/cases/new/"' not in holder.get("/cases/").content.decode()

    answer = admin.post(
        f"/accounts/{madina.pk}/roles/",
        {"role": "investigator", "organisation": str(world.astana_unit.pk), "post": ""},
    )

    assert answer.status_code == 302
    assert RoleGrant.objects.filter(user=madina, role="investigator", organisation=world.astana_unit).exists()
    assert account_acts() == [("role_granted", "madina", "admin")]
    page = admin.get(answer["Location"]).content.decode()
    assert "now holds the role: investigator" in page
    assert world.astana_unit.name_en in page
    assert 'href="/cases/new/"' in holder.get("/cases/").content.decode()  # an investigator registers reports


@pytest.mark.parametrize(
    ("typed", "field"),
    [
        ({"role": "overlord"}, "role"),
        ({"role": ""}, "role"),
        ({"organisation": "999999"}, "organisation"),
        ({"organisation": "astana"}, "organisation"),
        ({"organisation": "office"}, "organisation"),  # a prosecutor's office, not a unit
        ({"post": "emperor"}, "post"),
        ({"post": "first_deputy"}, "post"),  # only a senior prosecutor of the General Prosecutor's Office
    ],
)
def test_a_grant_that_cannot_be_names_the_field_and_grants_nothing(
    world: World, typed: dict[str, str], field: str
) -> None:
    madina = person("madina", "Serikova", "Madina")
    given = {"role": "investigator", "organisation": str(world.astana_unit.pk), "post": "", **typed}
    if given["organisation"] == "office":
        given["organisation"] = str(world.astana_district.pk)

    page = signed_in(world.admin).post(f"/accounts/{madina.pk}/roles/", given)

    assert page.status_code == 422
    assert f'id="{field}-error"' in page.content.decode()
    assert not RoleGrant.objects.filter(user=madina).exists()
    assert account_acts() == []


def test_a_removed_role_ends_the_holders_sessions_and_names_their_open_cases(world: World) -> None:
    make_case(world)  # aigerim is its investigator
    admin = signed_in(world.admin)
    aigerim = signed_in(world.aigerim)
    assert aigerim.get("/cases/new/").status_code == 200
    page = admin.get(f"/accounts/{world.aigerim.pk}/").content.decode()
    assert "1 as investigator, 0 as procedural prosecutor" in page
    grant = RoleGrant.objects.get(user=world.aigerim)

    answer = admin.post(f"/accounts/{world.aigerim.pk}/roles/{grant.pk}/remove/")

    assert answer.status_code == 302
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    assert account_acts() == [("role_removed", "aigerim", "admin")]
    told = admin.get(answer["Location"]).content.decode()
    assert "1 open case is still assigned to them: a supervisor reassigns it." in told
    assert aigerim.get("/cases/new/").status_code == 302  # signed out: the sign-in page
    # a grant of another account is not found through this one
    other = RoleGrant.objects.get(user=world.saule)
    assert admin.post(f"/accounts/{world.aigerim.pk}/roles/{other.pk}/remove/").status_code == 404
    assert RoleGrant.objects.filter(pk=other.pk).exists()


def test_disabled_then_enabled(world: World) -> None:
    admin = signed_in(world.admin)
    bolat = signed_in(world.bolat)

    admin.post(f"/accounts/{world.bolat.pk}/disable/")
    world.bolat.refresh_from_db()
    assert not world.bolat.is_active
    assert bolat.get("/queue/").status_code == 302
    assert f'action="/accounts/{world.bolat.pk}/enable/"' in admin.get(f"/accounts/{world.bolat.pk}/").content.decode()

    admin.post(f"/accounts/{world.bolat.pk}/enable/")
    world.bolat.refresh_from_db()
    assert world.bolat.is_active
    assert [act for act, _, _ in account_acts()] == ["account_disabled", "account_enabled"]


def test_a_locked_account_is_unlocked(world: World) -> None:
    User.objects.filter(pk=world.dana.pk).update(locked_at=timezone.now())
    admin = signed_in(world.admin)
    assert f'action="/accounts/{world.dana.pk}/unlock/"' in admin.get(f"/accounts/{world.dana.pk}/").content.decode()

    admin.post(f"/accounts/{world.dana.pk}/unlock/")

    world.dana.refresh_from_db()
    assert world.dana.locked_at is None
    assert account_acts() == [("account_unlocked", "dana", "admin")]


def test_reset_sign_in_gives_a_new_first_password_and_removes_the_second_factors(world: World) -> None:
    admin = signed_in(world.admin)
    bolat = signed_in(world.bolat)  # enrols a TOTP device
    old_hash = User.objects.get(pk=world.bolat.pk).password

    page = admin.post(f"/accounts/{world.bolat.pk}/reset-sign-in/")

    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    world.bolat.refresh_from_db()
    assert world.bolat.check_password(first_password(page.content.decode()))
    assert world.bolat.password != old_hash
    assert world.bolat.must_change_password
    assert not TOTPDevice.objects.filter(user=world.bolat).exists()
    assert bolat.get("/queue/").status_code == 302
    assert account_acts() == [("sign_in_reset", "bolat", "admin")]
    assert AccessLogEntry.objects.get(action="sign_in_reset").detail == {"second_factors_removed": 1}


def test_a_disabled_account_is_enabled_before_its_sign_in_is_reset(world: World) -> None:
    admin = signed_in(world.admin)
    User.objects.filter(pk=world.bolat.pk).update(is_active=False)
    old_hash = User.objects.get(pk=world.bolat.pk).password

    answer = admin.post(f"/accounts/{world.bolat.pk}/reset-sign-in/")

    assert answer.status_code == 302
    assert "is disabled; enable it first" in admin.get(answer["Location"]).content.decode()
    assert User.objects.get(pk=world.bolat.pk).password == old_hash
    assert account_acts() == []


def test_no_administrator_acts_on_their_own_account(world: World) -> None:
    admin = signed_in(world.admin)
    own = f"/accounts/{world.admin.pk}/"
    page = admin.get(own).content.decode()
    assert 'id="own-account"' in page
    assert 'id="grant-role"' not in page
    assert "/disable/" not in page
    assert "/reset-sign-in/" not in page
    grant = RoleGrant.objects.get(user=world.admin)

    answers = [
        admin.post(f"{own}roles/", {"role": "senior_prosecutor", "organisation": str(world.gpo.pk), "post": ""}),
        admin.post(f"{own}roles/{grant.pk}/remove/"),
        admin.post(f"{own}disable/"),
        admin.post(f"{own}reset-sign-in/"),
    ]

    assert [answer.status_code for answer in answers] == [302] * 4
    assert "another administrator does" in admin.get(own).content.decode()
    assert list(RoleGrant.objects.filter(user=world.admin).values_list("role", flat=True)) == ["administrator"]
    world.admin.refresh_from_db()
    assert world.admin.is_active
    assert not world.admin.must_change_password
    assert account_acts() == []


def test_another_administrator_may(world: World) -> None:
    deputy = person("timur", "Akhmetov", "Timur")
    grant_role(deputy, Role.ADMINISTRATOR, None)

    signed_in(deputy).post(f"/accounts/{world.admin.pk}/disable/")

    world.admin.refresh_from_db()
    assert not world.admin.is_active
    assert account_acts() == [("account_disabled", "admin", "timur")]


def test_history_names_the_acts_in_the_readers_language(world: World) -> None:
    admin = signed_in(world.admin)
    admin.post(f"/accounts/{world.bolat.pk}/disable/")
    admin.post(f"/accounts/{world.bolat.pk}/enable/")
    User.objects.filter(pk=world.admin.pk).update(preferred_language="ru")

    page = admin.get(f"/accounts/{world.bolat.pk}/", headers={"accept-language": "ru"}).content.decode()

    history = page[page.index('id="history"') :]
    assert "account_disabled" not in history
    assert history.index("Учётная запись включена") < history.index("Учётная запись отключена")  # newest first


@pytest.mark.parametrize("name", ["bolat", "saule", "aigerim", "erlan", "kamila", "asel"])
def test_nobody_else_reaches_the_account_pages(world: World, name: str) -> None:
    client = signed_in(getattr(world, name))
    target = world.dana.pk
    grant = RoleGrant.objects.get(user=world.dana)

    gets = [client.get(url) for url in ("/accounts/", "/accounts/new/", f"/accounts/{target}/")]
    posts = [
        client.post("/accounts/new/", NEW),
        client.post(f"/accounts/{target}/roles/", {"role": "administrator", "organisation": "", "post": ""}),
        client.post(f"/accounts/{target}/roles/{grant.pk}/remove/"),
        client.post(f"/accounts/{target}/disable/"),
        client.post(f"/accounts/{target}/enable/"),
        client.post(f"/accounts/{target}/unlock/"),
        client.post(f"/accounts/{target}/reset-sign-in/"),
    ]

    assert [answer.status_code for answer in gets + posts] == [403] * 10
    assert 'href="/accounts/"' not in client.get("/").content.decode()
    assert not User.objects.filter(username="madina").exists()
    assert RoleGrant.objects.filter(pk=grant.pk).exists()
    assert account_acts() == []


def test_an_account_that_does_not_exist_is_not_found(world: World) -> None:
    admin = signed_in(world.admin)
    missing = User.objects.order_by("-pk").first().pk + 1  # type: ignore[union-attr]

    assert admin.get(f"/accounts/{missing}/").status_code == 404
    assert admin.post(f"/accounts/{missing}/disable/").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in() -> None:
    answer = Client().get("/accounts/")

    assert answer.status_code == 302
    assert answer["Location"].startswith("/sign-in/")


def test_the_list_reads_the_same_number_of_queries_however_many_accounts(world: World) -> None:
    admin = signed_in(world.admin)
    before = queries(admin, "/accounts/")
    for number in range(10):
        newcomer = person(f"investigator{number}", "Investigatorova", f"N{number}")
        grant_role(newcomer, Role.INVESTIGATOR, world.astana_unit)

    assert queries(admin, "/accounts/") == before

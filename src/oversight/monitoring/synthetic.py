"""A national-scale synthetic register, with a known set of planted violations.

`generate(cases=N, seed=S)` fills an empty, migrated database with Kazakhstan's organisation tree
(the General Prosecutor's Office, the 20 regions' offices and their district offices, the
investigating courts, the five pre-trial investigation bodies of every region and their units), the
people who work in it, and N cases whose histories are what the decision workflow would have written:
events for every transition, the clocks the rulebook attaches, the legal effects of decisions in
force, `last_act_at`. Everything is drawn from one seeded generator and every id is given by us, so
the same seed on an empty database writes the same rows.

The register is judged as of one instant, `as_of`. The lawful background is built so that no
violation rule of the rulebook fires at that instant (open review clocks not yet due, detentions
ended or under their limit, custody running with its extension deadline ahead, an act on every open
case within the idle threshold, reviewers from the supervising office or above, defenders rotated
so that none holds more than the threshold share of a unit's cases). On top of it, about half a
percent of the cases carry one planted violation each, of every rule, recorded as an
`InjectedViolation` under the key its detector produces. The legality monitor's sweep as of `as_of`
should therefore find exactly the planted set: that is what `bench/monitor.py` and the tests check.

Rows are written with PostgreSQL's COPY, in one transaction, the way pg_restore loads a dump: the
foreign keys and the non-unique indexes of the register's tables are taken off inside the
transaction and put back from their own catalogue definitions at the end, so PostgreSQL checks
every foreign key over the whole load in one pass. CHECK, NOT NULL, primary-key and unique
constraints stay in force throughout. The (empty) register tables are truncated in the same
transaction so that COPY can FREEZE: the rows arrive visible to all, with nothing left for the
first sweep or for autovacuum to rewrite. A failure anywhere rolls everything back, definitions
included. One thread copies a chunk of cases while the next chunk is being told.

The generator only fills an empty register: it refuses a database that holds any case or
organisation (adding to a register would need the existing defenders, sequences and clocks to be
taken into account, and a benchmark wants a known world).
"""

# ruff: noqa: S311 - seeded pseudo-randomness is the point: the same seed must give the same register
# ruff: noqa: S608 - the COPY and DDL statements are built from this module's constants and catalogue names
# ruff: noqa: SIM905 - word lists (names, columns) as split strings read as one line each, not one word a line

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import itertools
import json
import math
import queue
import random
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, TextIO

from django.db import connection, transaction
from django.utils import timezone

from oversight.decisions.services import remaining_approvals
from oversight.law import Rulebook, deadline_for, rulebook_in_force, rulebooks
from oversight.law.calendar import KAZAKHSTAN
from oversight.law.identifiers import format_erdr
from oversight.law.roles import INVESTIGATIVE_ROLES, Role
from oversight.law.rulebook import ApprovalKind, Effect
from oversight.law.terms import Unit as TermUnit
from oversight.law.violations import RULES

DEFAULT_AS_OF = dt.datetime(2026, 11, 2, 5, 30, tzinfo=dt.UTC)  # Monday 10:30 in Astana
WINDOW_DAYS = 730  # cases are registered over the two years before as_of
SPAN_DAYS = 500  # how far before the window and after as_of the time tables reach
INJECTED_SHARE = 0.005  # planted violations, as a share of the cases
CONVENIENT_CASES = 12  # defended cases forced into each unit with a 'convenient' defender
CHUNK = 10_000  # cases per COPY round
MIN_CASES = 60

H = 3600
DAY = 86_400
NULL = "\\N"

# --- the country ----------------------------------------------------------------------------------------

# code, slug, English, Russian, Kazakh, share of registered offences, district names (cities) or count
REGIONS: tuple[tuple[str, str, str, str, str, float, tuple[str, ...] | int], ...] = (
    ("71", "astana", "Astana", "Астана", "Астана", 0.10, ("Almaty", "Baikonur", "Esil", "Saryarka", "Nura")),
    (
        "75",
        "almaty",
        "Almaty",
        "Алматы",
        "Алматы",
        0.16,
        ("Alatau", "Almaly", "Auezov", "Bostandyk", "Zhetysu", "Medeu", "Nauryzbay", "Turksib"),
    ),
    ("79", "shymkent", "Shymkent", "Шымкент", "Шымкент", 0.06, ("Abai", "Al-Farabi", "Enbekshi", "Karatau", "Turan")),
    ("10", "abai", "Abai Region", "Абайская область", "Абай облысы", 0.03, 11),
    ("11", "akmola", "Akmola Region", "Акмолинская область", "Ақмола облысы", 0.04, 17),
    ("15", "aktobe", "Aktobe Region", "Актюбинская область", "Ақтөбе облысы", 0.05, 14),
    ("19", "almaty-region", "Almaty Region", "Алматинская область", "Алматы облысы", 0.07, 11),
    ("23", "atyrau", "Atyrau Region", "Атырауская область", "Атырау облысы", 0.03, 9),
    (
        "27",
        "west-kazakhstan",
        "West Kazakhstan Region",
        "Западно-Казахстанская область",
        "Батыс Қазақстан облысы",
        0.03,
        14,
    ),
    ("31", "zhambyl", "Zhambyl Region", "Жамбылская область", "Жамбыл облысы", 0.05, 12),
    ("33", "zhetisu", "Zhetisu Region", "Область Жетісу", "Жетісу облысы", 0.03, 10),
    ("35", "karaganda", "Karaganda Region", "Карагандинская область", "Қарағанды облысы", 0.08, 14),
    ("39", "kostanay", "Kostanay Region", "Костанайская область", "Қостанай облысы", 0.04, 18),
    ("43", "kyzylorda", "Kyzylorda Region", "Кызылординская область", "Қызылорда облысы", 0.03, 9),
    ("47", "mangystau", "Mangystau Region", "Мангистауская область", "Маңғыстау облысы", 0.03, 7),
    ("55", "pavlodar", "Pavlodar Region", "Павлодарская область", "Павлодар облысы", 0.05, 13),
    (
        "59",
        "north-kazakhstan",
        "North Kazakhstan Region",
        "Северо-Казахстанская область",
        "Солтүстік Қазақстан облысы",
        0.025,
        14,
    ),
    ("61", "turkestan", "Turkestan Region", "Туркестанская область", "Түркістан облысы", 0.06, 16),
    ("62", "ulytau", "Ulytau Region", "Область Ұлытау", "Ұлытау облысы", 0.01, 5),
    (
        "63",
        "east-kazakhstan",
        "East Kazakhstan Region",
        "Восточно-Казахстанская область",
        "Шығыс Қазақстан облысы",
        0.05,
        12,
    ),
)

# body kind, digit in the unit code, share of cases, English, Russian, Kazakh (of the body and its unit)
BODIES: tuple[tuple[str, str, float, str, str, str], ...] = (
    ("police", "1", 0.95, "Police Department", "Департамент полиции", "Полиция департаменті"),
    (
        "anti_corruption",
        "2",
        0.02,
        "Anti-Corruption Service",
        "Департамент Агентства по противодействию коррупции",
        "Сыбайлас жемқорлыққа қарсы іс-қимыл агенттігінің департаменті",
    ),
    (
        "economic_investigation",
        "3",
        0.015,
        "Economic Investigation Service",
        "Департамент экономических расследований",
        "Экономикалық тергеп-тексеру департаменті",
    ),
    (
        "financial_monitoring",
        "4",
        0.005,
        "Financial Monitoring Agency",
        "Департамент Агентства по финансовому мониторингу",
        "Қаржылық мониторинг агенттігінің департаменті",
    ),
    (
        "national_security",
        "5",
        0.01,
        "National Security Committee",
        "Департамент Комитета национальной безопасности",
        "Ұлттық қауіпсіздік комитетінің департаменті",
    ),
)

# Criminal Code references by body, with weights: (article, part, paragraph, weight)
ARTICLES: dict[str, tuple[tuple[str, int | None, int | None, float], ...]] = {
    "police": (
        ("188", 1, None, 18),
        ("188", 2, 3, 14),
        ("188", 3, 1, 5),
        ("188", 4, 1, 2),
        ("190", 1, None, 6),
        ("190", 2, 4, 10),
        ("190", 3, 2, 3),
        ("191", 2, 2, 3),
        ("192", 2, 1, 0.6),
        ("194", 2, 1, 0.5),
        ("99", 1, None, 0.5),
        ("106", 1, None, 1),
        ("107", 1, None, 1),
        ("120", 1, None, 0.3),
        ("200", 1, None, 1),
        ("202", 1, None, 1),
        ("293", 1, None, 3),
        ("293", 2, None, 1),
        ("296", 1, None, 1.5),
        ("297", 1, None, 1.5),
        ("345", 1, None, 1.5),
        ("345", 2, None, 0.5),
    ),
    "anti_corruption": (
        ("366", 2, None, 3),
        ("366", 3, 1, 1),
        ("367", 1, None, 3),
        ("368", 1, None, 1),
        ("361", 1, None, 2),
        ("189", 3, 2, 2),
    ),
    "economic_investigation": (("245", 1, None, 3), ("216", 2, 1, 3), ("214", 1, None, 1), ("234", 1, None, 1)),
    "financial_monitoring": (("218", 2, None, 3), ("217", 2, None, 2), ("190", 4, 1, 1)),
    "national_security": (("174", 1, None, 2), ("175", 1, None, 0.5), ("255", 1, None, 1), ("258", 1, None, 1)),
}
FORMS = (("pre_trial_investigation", 0.45), ("inquiry", 0.2), ("expedited", 0.1), ("protocol_form", 0.25))

MALE_LAST = (
    "Abenov Akhmetov Baimukhanov Bekov Dauletov Dzhaksybekov Ermekov Galiev Ibraev Iskakov Kassymov "
    "Kenzhebekov Lukpanov Mukhamedov Mukanov Nurpeisov Omarov Ospanov Rakhimov Sadykov Sarsenov "
    "Serikbayev Suleimenov Tokayev Tulegenov Utebayev Zhumabekov Zhaksylykov Ivanov Petrov Smirnov "
    "Kuznetsov Popov Volkov Kim Tsoi Li Shevchenko Bondarenko Yusupov"
).split()
MALE_FIRST = (
    "Arman Askar Azamat Bolat Daniyar Dauren Erlan Kairat Marat Nurlan Ruslan Samat Serik Timur Yerlan "
    "Zhanibek Aidos Bauyrzhan Alexei Sergei Dmitry Andrei"
).split()
FEMALE_FIRST = (
    "Aigerim Aliya Aruzhan Asel Dana Dinara Gulnara Kamila Madina Saule Togzhan Zarina Zhanna Aizhan "
    "Botagoz Elena Olga Natalia Irina Anna"
).split()
PATRONYMIC_STEMS = (
    "Askar Bolat Erlan Kairat Marat Nurlan Serik Sultan Timur Bakhyt Amangeldy Yerzhan Sergei Viktor Ivan"
).split()
FOREIGN = ("UZ", "KG", "RU", "TJ", "CN", "TR", "AZ")

GROUNDS = (
    "Identified by the victim and by CCTV footage",
    "Identified by witnesses; confirmed by the results of a search",
    "Caught at the scene; the stolen property was found on the person",
    "Established by the results of a forensic examination",
    "Confirmed by bank statements and telephone records",
)
REFUSALS = (
    "The evidence does not show the person's involvement",
    "The alibi has not been checked",
    "The grounds stated are not supported by the case file",
    "The qualification does not match the facts established",
    "No grounds under the Code of Criminal Procedure are shown",
)
RETURNS = (
    "State which evidence links the person to the offence",
    "Attach the expert's opinion and the inspection report",
    "Give the grounds in full and list the evidence",
)
DENIALS = (
    "No facts show a risk of absconding or of pressure on witnesses",
    "A less restrictive measure is sufficient",
    "The petition does not show why the search is needed",
)
PETITION_REQUESTS = (
    "To question an additional witness",
    "To order a forensic examination",
    "To return the seized telephone",
    "To be acquainted with the expert's opinion",
)
INTERRUPTION_GROUNDS = ("suspect_not_identified", "suspect_absconded", "suspect_abroad", "expert_examination_pending")
TERMINATION_GROUNDS = {  # ground -> rehabilitating (CPC arts. 35-36)
    "no_event": True,
    "no_corpus_delicti": True,
    "not_involved": True,
    "amnesty": False,
    "limitation_expired": False,
    "reconciliation": False,
}
SPECIAL_SUBJECTS = ("member_of_parliament", "judge", "akim")

# Review outcomes by decision type. A refused decision is often drafted again and agreed, and some flows have
# no time for a refusal, so these odds make about one decision in six a refused one (DOMAIN.md: ~16%).
REVIEW_ODDS: dict[str, tuple[float, float]] = {  # (refused, returned), the rest agreed
    "recognition_as_suspect": (0.34, 0.05),
    "qualification": (0.26, 0.04),
    "interruption_of_terms": (0.32, 0.03),
    "extension_of_terms": (0.26, 0.03),
    "termination": (0.32, 0.04),
    "protocol_of_accusation": (0.26, 0.05),
    "custody_petition": (0.22, 0.0),
    "search_petition": (0.24, 0.03),
    "completion_report": (0.24, 0.05),
}

# --- time -----------------------------------------------------------------------------------------------

EPOCH = dt.date(1970, 1, 1)


class Times:
    """Instants as whole UTC seconds, their text for COPY, local dates, and the rulebook's clocks (cached).

    Local offsets are whole hours, so the local day and the rulebook in force are looked up per UTC hour,
    in tables that cover the generated period with a margin of SPAN_DAYS on either side.
    """

    def __init__(self, as_of: dt.datetime) -> None:
        self.as_of = int(as_of.timestamp())
        self.tz = KAZAKHSTAN.tz
        self._hms = [f"{h:02d}:{m:02d}:{s:02d}+00" for h in range(24) for m in range(60) for s in range(60)]
        self._due: dict[tuple[str, int, int | None, bool, tuple[tuple[int, int], ...]], int] = {}
        # Every instant the generator writes lies within these bounds (a case's history, its clocks).
        self.first_hour = (self.as_of - (WINDOW_DAYS + SPAN_DAYS) * DAY) // H
        hours = range(self.first_hour, (self.as_of + SPAN_DAYS * DAY) // H)
        self.hour_day = [(hour * H + self._offset(hour)) // DAY for hour in hours]
        books: dict[int, Rulebook] = {}
        for day in sorted(set(self.hour_day)):
            books[day] = rulebook_in_force(dt.datetime.combine(EPOCH + dt.timedelta(days=day), dt.time(12), self.tz))
        self.hour_book = [books[day] for day in self.hour_day]
        self.first_day = self.first_hour * H // DAY - 1
        self.day_texts = [
            (EPOCH + dt.timedelta(days=day)).isoformat()
            for day in range(self.first_day, self.as_of // DAY + SPAN_DAYS + 2)
        ]
        self.stamp_days = [text + " " for text in self.day_texts]

    def _offset(self, hour: int) -> int:
        delta = dt.datetime.fromtimestamp(hour * H, tz=self.tz).utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    def local_day(self, moment: int) -> int:
        return self.hour_day[moment // H - self.first_hour]

    def day_text(self, day: int) -> str:
        return self.day_texts[day - self.first_day]

    def text(self, moment: int) -> str:
        return self.stamp_days[moment // DAY - self.first_day] + self._hms[moment % DAY]

    def opt(self, moment: int | None) -> str:
        return NULL if moment is None else self.text(moment)

    def iso(self, moment: int) -> str:
        day = moment // DAY
        return self.day_text(day) + "T" + self._hms[moment - day * DAY][:8] + "+00:00"

    def local_date(self, moment: int) -> str:
        return self.day_text(self.local_day(moment))

    @staticmethod
    def compact(moment: int) -> str:
        return time.strftime("%Y%m%d%H%M%S", time.gmtime(moment))

    def aware(self, moment: int) -> dt.datetime:
        return dt.datetime.fromtimestamp(moment, tz=dt.UTC)

    def book(self, moment: int) -> Rulebook:
        """The rulebook version in force on the local day of `moment`."""
        return self.hour_book[moment // H - self.first_hour]

    def due(
        self,
        clock: str,
        start: int,
        *,
        amount: int | None = None,
        exceptional: bool = False,
        interruptions: tuple[tuple[int, int], ...] = (),
    ) -> int:
        """When `clock` started at `start` runs out, by the rulebook in force at `start`, having stood
        still over `interruptions` (pairs of instants: interrupted, resumed).

        Hour terms are elapsed time; every other term depends only on the local dates it starts on
        and stood still over, so those are computed once per dates by `oversight.law.deadline_for`
        and remembered.
        """
        book = self.book(start)
        term = book.term(clock)
        if term.unit is TermUnit.HOURS and term.relative_to is None and not interruptions:
            hours = term.exceptional_amount if exceptional and term.exceptional_amount else term.amount
            return start + (amount or hours) * H
        days = tuple((self.local_day(interrupted), self.local_day(resumed)) for interrupted, resumed in interruptions)
        key = (clock + "@" + book.version, self.local_day(start), amount, exceptional, days)
        found = self._due.get(key)
        if found is None:
            moment = deadline_for(
                clock,
                self.aware(start),
                exceptional=exceptional,
                rulebook=book,
                amount=amount,
                interruptions=[
                    (self.aware(interrupted), self.aware(resumed)) for interrupted, resumed in interruptions
                ],
            )
            found = self._due[key] = int(moment.timestamp())
        return found

    def add_months_local(self, day: int, months: int) -> int:
        """The local day `months` after `day`, on the same date (or the month's last day)."""
        date = EPOCH + dt.timedelta(days=day)
        index = date.month - 1 + months
        year, month = date.year + index // 12, index % 12 + 1
        for candidate in (date.day, 30, 29, 28):
            try:
                return (dt.date(year, month, min(date.day, candidate)) - EPOCH).days
            except ValueError:
                continue
        raise ValueError(date)  # pragma: no cover

    def local_midnight(self, day: int) -> int:
        """The UTC instant of 00:00 local time on local day `day`."""
        guess = day * DAY - self._offset(day * DAY // H)
        return day * DAY - self._offset(guess // H)


# --- identifiers ----------------------------------------------------------------------------------------

_W1 = tuple(range(1, 12))
_W2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_SERIAL_TEXT = [f"{serial:04d}" for serial in range(10_000)]
_SERIAL_1 = [sum(int(c) * w for c, w in zip(text, _W1[7:], strict=True)) for text in _SERIAL_TEXT]
_SERIAL_2 = [sum(int(c) * w for c, w in zip(text, _W2[7:], strict=True)) for text in _SERIAL_TEXT]


class Identities:
    """Valid IINs (the algorithm of `oversight.law.identifiers.make_iin`, with its weighted sums precomputed)."""

    def __init__(self, rng: random.Random, as_of_year: int) -> None:
        # per date of birth: its text, then (first eleven digits but the serial, sum by weights 1, sum by weights 2)
        # for a man and for a woman (the seventh digit gives century and sex)
        self.births: list[tuple[str, tuple[str, int, int], tuple[str, int, int]]] = []
        first = dt.date(as_of_year - 75, 1, 1)
        span = (dt.date(as_of_year - 16, 1, 1) - first).days
        for _ in range(4000):
            birth = first + dt.timedelta(days=rng.randrange(span))
            century = {1900: 3, 2000: 5}[birth.year // 100 * 100]
            male, female = (self._prefix(f"{birth:%y%m%d}{digit}") for digit in (century, century + 1))
            self.births.append((birth.isoformat(), male, female))
        self.serial = rng.randrange(10_000)

    @staticmethod
    def _prefix(digits: str) -> tuple[str, int, int]:
        first = sum(int(c) * w for c, w in zip(digits, _W1, strict=False))
        return digits, first, sum(int(c) * w for c, w in zip(digits, _W2, strict=False))

    def person(self, rng: random.Random, female: bool) -> tuple[str, str]:
        """(IIN, birth date) of a new person."""
        birth, male_prefix, female_prefix = self.births[rng.randrange(len(self.births))]
        prefix, sum1, sum2 = female_prefix if female else male_prefix
        while True:
            self.serial = (self.serial + 7919) % 10_000
            check = (sum1 + _SERIAL_1[self.serial]) % 11
            if check == 10:
                check = (sum2 + _SERIAL_2[self.serial]) % 11
            if check != 10:
                return prefix + _SERIAL_TEXT[self.serial] + str(check), birth


def full_name(rng: random.Random, female: bool) -> tuple[str, str, str]:
    last = rng.choice(MALE_LAST)
    stem = rng.choice(PATRONYMIC_STEMS)
    if female:
        if last.endswith(("ov", "ev", "in")):
            last += "a"
        return last, rng.choice(FEMALE_FIRST), stem + ("ovna" if stem[-1] not in "aeiy" else "evna")
    return last, rng.choice(MALE_FIRST), stem + ("ovich" if stem[-1] not in "aeiy" else "evich")


# --- tables ---------------------------------------------------------------------------------------------

COLUMNS: dict[str, tuple[str, ...]] = {
    "accounts_region": tuple("id code name_en name_ru name_kk".split()),
    "accounts_organisation": tuple(
        "id kind code name_en name_ru name_kk parent_id path region_id office_level body_kind unit_code "
        "supervising_office_id investigating_court_id".split()
    ),
    "accounts_user": tuple(
        "id password last_login is_superuser username first_name last_name email is_staff is_active "
        "date_joined patronymic preferred_language locked_at security_stamp".split()
    ),
    "accounts_rolegrant": tuple("id user_id role organisation_id granted_at post".split()),
    "register_case": tuple(
        "id erdr_number reported_at registered_at form summary body_id unit_id investigator_id "
        "supervising_office_id procedural_prosecutor_id status rulebook_version term_started_at "
        "term_total_months term_ends_at interrupted_at terminated_at termination_rehabilitating "
        "completed_at sent_to_court_at created_by_id updated_at last_act_at".split()
    ),
    "register_casearticle": tuple("id case_id article part paragraph position".split()),
    "register_participant": tuple(
        "id case_id role last_name first_name patronymic iin foreign_national citizenship birth_date "
        "phone email special_subject qualification suspect_since accused_since added_at added_by_id".split()
    ),
    "register_caseevent": tuple("id case_id code actor_id at data".split()),
    "register_courtreferral": tuple("id case_id court_id decision_id referred_at".split()),
    "register_participantpetition": tuple(
        "id case_id participant_id request filed_at due_at rulebook_version decided_at decided_by_id "
        "granted answer recorded_by_id".split()
    ),
    "register_erdrsequence": tuple("id unit_id year last_value".split()),
    "decisions_decision": tuple(
        "id case_id kind rulebook_version state subject_id revision content stated_date drafted_by_id "
        "drafted_by_role drafted_at submitted_at needs_agreement needs_consent needs_sanction level_required due_at "
        "agreed_by_id agreed_at consented_by_id consented_at court_id petitioned_by_id petitioned_at "
        "ruled_by_id ruled_at granted_at closed_reason in_force_at updated_at".split()
    ),
    "decisions_decisionrevision": tuple(
        "id decision_id number content stated_date created_by_id created_at updated_at".split()
    ),
    "decisions_decisionevent": tuple(
        "id decision_id case_id code actor_id actor_role actor_organisation_id at from_state to_state "
        "revision reason data".split()
    ),
    "decisions_deadline": tuple(
        "id case_id decision_id participant_id clock rulebook_version exceptional started_at due_at "
        "status closed_at".split()
    ),
    "decisions_legaleffect": tuple(
        "id case_id decision_id kind participant_id started_at ends_at ended_at data".split()
    ),
    "monitoring_syntheticdataset": tuple("id seed cases as_of generated_at seconds".split()),
    "monitoring_injectedviolation": tuple("id dataset_id rule key".split()),
}
WORLD_TABLES = ("accounts_region", "accounts_organisation", "accounts_user", "accounts_rolegrant")
# The register's tables, in the order they are loaded; their foreign keys and non-unique indexes are
# rebuilt after the load.
REGISTER_TABLES = (
    "register_case",
    "register_casearticle",
    "register_participant",
    "register_caseevent",
    "register_courtreferral",
    "register_participantpetition",
    "register_erdrsequence",
    "decisions_decision",
    "decisions_decisionrevision",
    "decisions_decisionevent",
    "decisions_deadline",
    "decisions_legaleffect",
)
DATASET_TABLES = ("monitoring_syntheticdataset", "monitoring_injectedviolation")
TABLES = WORLD_TABLES + REGISTER_TABLES + DATASET_TABLES


def dumps(value: object) -> str:
    """JSON for a COPY text field (our strings hold no tabs, newlines or backslashes)."""
    return json.dumps(value, ensure_ascii=False).replace("\\", "\\\\")


class Rows:
    """Lines of COPY text per table, and the next id of each."""

    def __init__(self, first_ids: dict[str, int]) -> None:
        self.next_id = dict(first_ids)
        self.lines: dict[str, list[str]] = {table: [] for table in TABLES}
        self.counts: dict[str, int] = dict.fromkeys(TABLES, 0)

    def new_id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def add(self, table: str, line: str) -> None:
        self.lines[table].append(line)

    def take(self) -> dict[str, str]:
        """The lines gathered so far, as one text per table; the buffers start empty again."""
        taken: dict[str, str] = {}
        for table, lines in self.lines.items():
            if lines:
                self.counts[table] += len(lines)
                taken[table] = "".join(lines)
                self.lines[table] = []
        return taken


# --- the world ------------------------------------------------------------------------------------------

Actor = tuple[int, str, int]  # user id, role, organisation id


@dataclass
class Office:
    id: int
    path: str
    level: str
    prosecutors: list[int] = field(default_factory=list)
    seniors: list[int] = field(default_factory=list)
    court: int = 0


@dataclass
class Advocate:
    last_name: str
    first_name: str
    patronymic: str
    iin: str
    birth: str
    phone: str


@dataclass
class UnitInfo:
    id: int
    unit_code: str
    region_code: str
    region_index: int
    body_id: int
    body_kind: str
    office: Office  # the supervising office
    regional: Office  # the region's office
    weight: float
    investigators: list[int] = field(default_factory=list)
    head: int = 0
    judges: list[int] = field(default_factory=list)
    advocates: list[Advocate] = field(default_factory=list)
    rotation: int = 0  # where this unit starts in its region's rotation of advocates
    convenient: Advocate | None = None  # a planted 'convenient' defender
    defended: int = 0  # defended cases so far


@dataclass
class World:
    units: list[UnitInfo]
    cumulative: list[float]
    gpo: Office
    district_offices: list[list[Office]]  # by region index


def _names(rng: random.Random) -> tuple[str, str, str, bool]:
    female = rng.random() < 0.45
    return (*full_name(rng, female), female)


class WorldBuilder:
    """Writes the organisation tree, its users and their role grants."""

    def __init__(self, rows: Rows, times: Times, rng: random.Random, cases: int, regions: dict[str, int]) -> None:
        self.rows, self.times, self.rng, self.cases = rows, times, rng, cases
        self.existing_regions = regions
        self.joined = times.text(times.as_of - 3 * 365 * DAY)
        self.usernames: set[str] = set()
        self.identities = Identities(rng, 1990)

    def region(self, code: str, en: str, ru: str, kk: str) -> int:
        found = self.existing_regions.get(code)
        if found is not None:
            return found
        region_id = self.rows.new_id("accounts_region")
        self.rows.add("accounts_region", f"{region_id}\t{code}\t{en}\t{ru}\t{kk}\n")
        return region_id

    def organisation(
        self,
        kind: str,
        code: str,
        names: tuple[str, str, str],
        *,
        parent: tuple[int, str] | None = None,
        region: int | None = None,
        level: str = "",
        body_kind: str = "",
        unit_code: str = "",
        supervisor: int | None = None,
        court: int | None = None,
    ) -> tuple[int, str]:
        organisation_id = self.rows.new_id("accounts_organisation")
        path = (parent[1] if parent else "/") + code + "/"
        optional = [str(value) if value is not None else NULL for value in (parent and parent[0], region)]
        self.rows.add(
            "accounts_organisation",
            f"{organisation_id}\t{kind}\t{code}\t{names[0]}\t{names[1]}\t{names[2]}\t{optional[0]}\t{path}\t"
            f"{optional[1]}\t{level}\t{body_kind}\t{unit_code}\t{supervisor or NULL}\t{court or NULL}\n",
        )
        return organisation_id, path

    def user(self, username: str, role: str, organisation: int, post: str = "") -> int:
        if username in self.usernames:
            raise ValueError(f"duplicate synthetic username {username}")
        self.usernames.add(username)
        user_id = self.rows.new_id("accounts_user")
        last, first, patronymic, _ = _names(self.rng)
        stamp = f"{self.rng.getrandbits(128):032x}"
        unusable = "!" + f"{self.rng.getrandbits(160):040x}"  # as Django's make_password(None)
        self.rows.add(
            "accounts_user",
            f"{user_id}\t{unusable}\t{NULL}\tf\t{username}\t{first}\t{last}\t{username}@synthetic.oversight.invalid\t"
            f"f\tt\t{self.joined}\t{patronymic}\t\t{NULL}\t{stamp}\n",
        )
        grant_id = self.rows.new_id("accounts_rolegrant")
        self.rows.add("accounts_rolegrant", f"{grant_id}\t{user_id}\t{role}\t{organisation}\t{self.joined}\t{post}\n")
        return user_id

    def staff(self, expected: float, per: float, low: int, high: int) -> int:
        return max(low, min(high, math.ceil(expected / per)))

    def advocate(self) -> Advocate:
        return self.advocate_for(self.rng, self.identities)

    @staticmethod
    def advocate_for(rng: random.Random, identities: Identities) -> Advocate:
        last, first, patronymic, female = _names(rng)
        iin, birth = identities.person(rng, female)
        return Advocate(last, first, patronymic, iin, birth, f"+7701{rng.randrange(10**6, 10**7)}")

    def build(self) -> World:
        rng, total_share = self.rng, sum(region[5] for region in REGIONS)
        gpo_id, gpo_path = self.organisation(
            "prosecutor_office",
            "gpo",
            (
                "General Prosecutor's Office",
                "Генеральная прокуратура Республики Казахстан",
                "Қазақстан Республикасының Бас прокуратурасы",
            ),
            level="general",
        )
        gpo = Office(gpo_id, gpo_path, "general")
        # The General Prosecutor and the First Deputy: the two who consent for special subjects.
        gpo.seniors = [
            self.user(f"gpo.senior.{n}", "senior_prosecutor", gpo_id, post)
            for n, post in ((1, "general_prosecutor"), (2, "first_deputy"))
        ]
        gpo.prosecutors = [self.user(f"gpo.prosecutor.{n}", "prosecutor", gpo_id) for n in (1, 2)]
        units: list[UnitInfo] = []
        district_offices: list[list[Office]] = []
        for index, (code, slug, en, ru, kk, share, districts) in enumerate(REGIONS):
            expected = self.cases * share / total_share
            region_id = self.region(code, en, ru, kk)
            court_id, _ = self.organisation(
                "court",
                f"{slug}-investigating-court",
                (
                    f"Specialised Inter-district Investigating Court, {en}",
                    f"Специализированный межрайонный следственный суд, {ru}",
                    f"Мамандандырылған ауданаралық тергеу соты, {kk}",
                ),
                region=region_id,
            )
            judges = [
                self.user(f"judge.{slug}.{n}", "investigating_judge", court_id)
                for n in range(1, self.staff(expected, 25_000, 2, 12) + 1)
            ]
            office_id, office_path = self.organisation(
                "prosecutor_office",
                f"{slug}-prosecutor",
                (f"Prosecutor's Office of {en}", f"Прокуратура: {ru}", f"Прокуратура: {kk}"),
                parent=(gpo_id, gpo_path),
                region=region_id,
                level="regional",
                court=court_id,
            )
            regional = Office(office_id, office_path, "regional", court=court_id)
            regional.seniors = [self.user(f"senior.{slug}.{n}", "senior_prosecutor", office_id) for n in (1, 2)]
            regional.prosecutors = [
                self.user(f"prosecutor.{slug}.{n}", "prosecutor", office_id)
                for n in range(1, self.staff(expected * 0.1, 3_000, 3, 20) + 1)
            ]
            names = districts if isinstance(districts, tuple) else tuple(f"No. {n}" for n in range(1, districts + 1))
            offices: list[Office] = []
            district_weights = [rng.uniform(0.5, 1.5) for _ in names]
            scale = sum(district_weights)
            for number, (name, weight) in enumerate(zip(names, district_weights, strict=True), start=1):
                district_id, district_path = self.organisation(
                    "prosecutor_office",
                    f"{slug}-district-{number}",
                    (
                        f"Prosecutor's Office of District {name}, {en}",
                        f"Прокуратура района {name}, {ru}",
                        f"{name} ауданының прокуратурасы, {kk}",
                    ),
                    parent=(office_id, office_path),
                    region=region_id,
                    level="district",
                    court=court_id,
                )
                office = Office(district_id, district_path, "district", court=court_id)
                office.prosecutors = [
                    self.user(f"prosecutor.{slug}.d{number}.{n}", "prosecutor", district_id)
                    for n in range(1, self.staff(expected * 0.9 * weight / scale, 4_000, 2, 12) + 1)
                ]
                offices.append(office)
            district_offices.append(offices)
            advocates = [self.advocate() for _ in range(12)]
            for kind, digit, body_share, body_en, body_ru, body_kk in BODIES:
                body_id, body_path = self.organisation(
                    "investigation_body",
                    f"{slug}-{kind.replace('_', '-')}",
                    (f"{body_en}, {en}", f"{body_ru}, {ru}", f"{body_kk}, {kk}"),
                    region=region_id,
                    body_kind=kind,
                )
                specs: list[tuple[str, str, Office, float, tuple[str, str, str]]] = []
                if kind == "police":
                    specs.append(
                        (
                            "dept",
                            "00",
                            regional,
                            0.05,
                            (f"Investigation Department, Police of {en}", f"Следственное управление ДП, {ru}", ""),
                        )
                    )
                    for number, (name, weight) in enumerate(zip(names, district_weights, strict=True), start=1):
                        specs.append(
                            (
                                f"d{number}",
                                f"{number:02d}",
                                offices[number - 1],
                                0.95 * weight / scale,
                                (
                                    f"Investigation Division, District {name} Police, {en}",
                                    f"Следственный отдел УП района {name}, {ru}",
                                    "",
                                ),
                            )
                        )
                else:
                    specs.append(("unit", "01", regional, 1.0, (f"Investigation Unit, {body_en}, {en}", "", "")))
                for suffix, number_text, supervisor, unit_share, unit_names in specs:
                    en_name, ru_name, kk_name = unit_names
                    unit_code = f"{code}{digit}{number_text}"
                    unit_id, _ = self.organisation(
                        "investigative_unit",
                        f"{slug}-{kind.replace('_', '-')}-{suffix}",
                        (en_name, ru_name or en_name, kk_name or en_name),
                        parent=(body_id, body_path),
                        region=region_id,
                        body_kind=kind,
                        unit_code=unit_code,
                        supervisor=supervisor.id,
                    )
                    weight = share / total_share * body_share * unit_share
                    unit = UnitInfo(
                        unit_id,
                        unit_code,
                        code,
                        index,
                        body_id,
                        kind,
                        supervisor,
                        regional,
                        weight,
                        judges=judges,
                        advocates=advocates,
                        rotation=rng.randrange(len(advocates)),
                    )
                    unit.investigators = [
                        self.user(f"investigator.{unit_code}.{n}", "investigator", unit_id)
                        for n in range(1, self.staff(self.cases * weight, 150, 2, 60) + 1)
                    ]
                    unit.head = self.user(f"head.{unit_code}", "head_of_unit", unit_id)
                    units.append(unit)
        cumulative: list[float] = []
        running = 0.0
        for unit in units:
            running += unit.weight
            cumulative.append(running)
        return World(units, cumulative, gpo, district_offices)


# --- a case and its history ---------------------------------------------------------------------------


class LateAct(ValueError):
    """A lawful history would have broken a clock or a term: a fault of the generator, not of the data."""


class PlantFailed(ValueError):
    """A planted violation did not come out as its detector sees it: a fault of the generator."""


def planted(holds: bool, story: Story, rule: str) -> None:
    if not holds:
        raise PlantFailed(f"case {story.id}: the planted {rule} does not hold")


def _subject(decision: Decision) -> Person:
    if decision.subject is None:
        raise ValueError(f"decision {decision.id} ({decision.kind}) names no participant")
    return decision.subject


AWAITING = {
    ApprovalKind.PROSECUTOR_AGREEMENT: "submitted",
    ApprovalKind.SPECIAL_SUBJECT_CONSENT: "awaiting_consent",
    ApprovalKind.JUDICIAL_SANCTION: "agreed",
}
MEASURES = frozenset({"custody_in_force", "house_arrest_in_force", "person_detained", "bail_set"})
# Clocks the monitor judges (a review or a person's clock met late is a violation); `custody` and
# `house_arrest` are judged through their effects instead.
JUDGED_CLOCKS = (
    frozenset({"custody_extension_petition", "qualification_announcement", "detention"})
    | frozenset(clock for book in rulebooks() for kind in book.decision_types.values() if (clock := kind.review_clock))
    | {"special_subject_consent", "sanction_decision"}
)


@dataclass(slots=True)
class Person:
    id: int
    role: str
    added_at: int
    added_by: int
    last_name: str = ""
    first_name: str = ""
    patronymic: str = ""
    iin: str | None = None
    foreign: bool = False
    citizenship: str = "KZ"
    birth: str = NULL
    phone: str = ""
    special: str = ""
    qualification: str = "[]"
    suspect_since: int | None = None
    accused_since: int | None = None


@dataclass(slots=True)
class Clock:
    id: int
    clock: str
    version: str
    started: int
    due: int
    decision: int | None
    participant: int | None
    exceptional: bool
    status: str = "open"
    closed: int | None = None


@dataclass(slots=True)
class LegalEffect:
    id: int
    decision: int
    kind: str
    participant: int | None
    started: int
    ends: int | None
    data: str
    ended: int | None = None


@dataclass(slots=True)
class Decision:
    id: int
    kind: str
    version: str
    subject: Person | None
    drafter: Actor
    drafted: int
    updated: int
    content: str
    stated: str
    state: str = "draft"
    revision: int = 1
    submitted: int | None = None
    needs_agreement: bool = False
    needs_consent: bool = False
    needs_sanction: bool = False
    level_required: str = ""
    due: int | None = None
    agreed_by: int | None = None
    agreed_at: int | None = None
    consented_by: int | None = None
    consented_at: int | None = None
    court: int | None = None
    petitioned_by: int | None = None
    petitioned_at: int | None = None
    ruled_by: int | None = None
    ruled_at: int | None = None
    granted_at: int | None = None
    closed_reason: str = ""
    in_force_at: int | None = None
    # each revision: [id, number, content, stated date, created by, created at, updated at]
    revisions: list[list[Any]] = field(default_factory=list)


@dataclass(slots=True)
class Petition:
    id: int
    participant: int
    request: str
    filed: int
    due: int
    version: str
    decided_at: int | None = None
    decided_by: int | None = None
    granted: bool | None = None


def _bool(value: bool | None) -> str:
    return NULL if value is None else ("t" if value else "f")


def _opt(value: int | None) -> str:
    return NULL if value is None else str(value)


class Story:
    """One case, written forward in time through the workflow's own steps; `finish()` emits its rows."""

    def __init__(self, gen: Generator, unit: UnitInfo, form: str) -> None:
        self.gen, self.times, self.rows, self.rng = gen, gen.times, gen.rows, gen.rng
        self.unit, self.form = unit, form
        self.id = self.rows.new_id("register_case")
        self.investigator: Actor = (gen.rng.choice(unit.investigators), "investigator", unit.id)
        self.prosecutor: Actor = (gen.rng.choice(unit.office.prosecutors), "prosecutor", unit.office.id)
        self.status = "under_investigation"
        self.registered = self.reported = self.last_act = 0
        self.erdr = ""
        self.version = ""
        self.term_started = 0
        self.term_total: int | None = None
        self.term_ends: int | None = None
        self.interrupted_at: int | None = None
        self.terminated_at: int | None = None
        self.rehabilitating: bool | None = None
        self.completed_at: int | None = None
        self.sent_at: int | None = None
        self.persons: list[Person] = []
        self.decisions: list[Decision] = []
        self.clocks: list[Clock] = []
        self.effects: list[LegalEffect] = []
        self.petitions: list[Petition] = []
        self.identities: set[tuple[str, str]] = set()
        self.defended = False
        body_articles = ARTICLES[unit.body_kind]
        weights = gen.article_weights[unit.body_kind]
        chosen = [body_articles[bisect.bisect(weights, self.rng.random() * weights[-1])]]
        if self.rng.random() < 0.1:
            other = body_articles[bisect.bisect(weights, self.rng.random() * weights[-1])]
            if other[:2] != chosen[0][:2]:
                chosen.append(other)
        self.articles = [(article, part, paragraph) for article, part, paragraph, _ in chosen]
        self.articles_json = gen.articles_json(self.articles)

    # --- acts on the case ---------------------------------------------------------------------------------

    def act(self, at: int) -> None:
        if at >= self.gen.as_of:
            raise ValueError(f"case {self.id}: an act at {self.times.text(at)} is not before as_of")
        self.last_act = max(self.last_act, at)

    def case_event(self, code: str, actor: int, at: int, data: str) -> None:
        event_id = self.rows.new_id("register_caseevent")
        self.rows.add("register_caseevent", f"{event_id}\t{self.id}\t{code}\t{actor}\t{self.times.text(at)}\t{data}\n")
        self.act(at)

    def term_clock(self, book: Rulebook) -> str:
        form = "pre_trial_investigation" if self.term_total is not None else self.form
        return book.investigation_terms[form]

    def term_end(self, book: Rulebook) -> int:
        """The running term's end, from its start and every day it stood still (effects.term_end)."""
        clock = self.term_clock(book)
        return self.times.due(clock, self.term_started, amount=self.term_total, interruptions=self.interruptions())

    def interruptions(self) -> tuple[tuple[int, int], ...]:
        return tuple(
            (e.started, e.ended) for e in self.effects if e.kind == "terms_interrupted" and e.ended is not None
        )

    def resume_terms(self, investigator: int, at: int, remaining: int) -> None:
        """The terms run again with the time they had left (decisions.services.resume_terms)."""
        interruption = max(
            (e for e in self.effects if e.kind == "terms_interrupted" and e.ended is None), key=lambda e: e.started
        )
        interruption.ended = at
        book = self.times.book(self.registered)
        ends = self.term_end(book) if remaining > 0 else interruption.started + remaining
        self.status, self.interrupted_at, self.term_ends = "under_investigation", None, ends
        data = {
            "reason": "The ground of the interruption has fallen away",
            "interruption": interruption.decision,
            "remaining_seconds": remaining,
            "term_ends_at": self.times.iso(self.term_ends),
        }
        self.case_event("case.terms_resumed", investigator, at, json.dumps(data))

    def register(self, registered: int, reported: int) -> None:
        """Registration in the ERDR (CPC art. 179), the procedural prosecutor's assignment, the victim."""
        times, unit = self.times, self.unit
        self.registered, self.reported = registered, reported
        book = times.book(registered)
        self.version = book.version
        self.term_started = registered
        self.term_ends = times.due(book.investigation_terms[self.form], registered)
        year = int(times.local_date(registered)[:4])
        self.erdr = format_erdr(year, unit.region_code, unit.unit_code, self.gen.next_sequence(unit.id, year))
        self.case_event(
            "case.registered",
            self.investigator[0],
            registered,
            f'{{"erdr_number": "{self.erdr}", "form": "{self.form}", "articles": {self.articles_json}, '
            f'"investigator": {self.investigator[0]}, "supervising_office": {unit.office.id}, '
            f'"rulebook_version": "{book.version}"}}',
        )
        senior = self.rng.choice(unit.regional.seniors)
        self.case_event(
            "case.procedural_prosecutor_assigned",
            senior,
            registered + min(self.rng.randrange(600, 6 * H), (self.gen.as_of - registered) // 2),
            f'{{"previous": null, "current": {self.prosecutor[0]}}}',
        )

    def person(self, role: str, at: int, *, special: str = "", foreign: bool = False) -> Person:
        rng = self.rng
        female = rng.random() < (0.3 if role == "witness_with_right_to_defence" else 0.5)
        last, first, patronymic = full_name(rng, female)
        person = Person(
            self.rows.new_id("register_participant"), role, at, self.investigator[0], last, first, patronymic
        )
        if foreign:
            person.foreign, person.citizenship = True, rng.choice(FOREIGN)
        else:
            while True:
                iin, birth = self.gen.identities.person(rng, female)
                if (iin, role) not in self.identities:
                    break
            self.identities.add((iin, role))
            person.iin, person.birth = iin, birth
        person.phone = f"+770{rng.randrange(10**7, 10**8)}"
        person.special = special
        self.persons.append(person)
        self.case_event("participant.added", person.added_by, at, f'{{"participant": {person.id}, "role": "{role}"}}')
        return person

    def defender(self, at: int) -> Person:
        """Counsel for the suspect, from the region's advocates in rotation (or the unit's 'convenient' one)."""
        unit = self.unit
        turn = unit.defended
        unit.defended += 1
        if unit.convenient is not None and turn % 2 == 0:
            advocate = unit.convenient
        else:
            step = turn // 2 if unit.convenient is not None else turn
            advocate = unit.advocates[(unit.rotation + step) % len(unit.advocates)]
        person = Person(
            self.rows.new_id("register_participant"), "defender", at, self.investigator[0], advocate.last_name,
            advocate.first_name, advocate.patronymic, advocate.iin, birth=advocate.birth, phone=advocate.phone,
        )  # fmt: skip
        self.persons.append(person)
        self.defended = True
        self.case_event("participant.added", person.added_by, at, f'{{"participant": {person.id}, "role": "defender"}}')
        return person

    def petition(self, participant: Person, filed: int, *, decide_after: int | None) -> Petition:
        """A participant's petition (CPC art. 99), decided `decide_after` seconds later or left open."""
        times = self.times
        book = times.book(filed)
        petition = Petition(
            self.rows.new_id("register_participantpetition"),
            participant.id,
            self.rng.choice(PETITION_REQUESTS),
            filed,
            times.due("petition_decision", filed),
            book.version,
        )
        self.petitions.append(petition)
        self.case_event(
            "petition.filed",
            self.investigator[0],
            filed,
            f'{{"petition": {petition.id}, "participant": {participant.id}}}',
        )
        if decide_after is not None:
            decided = filed + decide_after
            if decided > petition.due:
                raise LateAct(f"case {self.id}: petition decided after {times.text(petition.due)}")
            petition.decided_at, petition.decided_by = decided, self.investigator[0]
            petition.granted = self.rng.random() < 0.6
            self.case_event(
                "petition.decided",
                self.investigator[0],
                decided,
                f'{{"petition": {petition.id}, "granted": {"true" if petition.granted else "false"}}}',
            )
        return petition

    # --- clocks and effects -------------------------------------------------------------------------------

    def open_clock(
        self,
        clock: str,
        start: int,
        *,
        decision: Decision | None = None,
        participant: Person | None = None,
        exceptional: bool = False,
        amount: int | None = None,
    ) -> Clock:
        times = self.times
        opened = Clock(
            self.rows.new_id("decisions_deadline"),
            clock,
            times.book(start).version,
            start,
            times.due(clock, start, amount=amount, exceptional=exceptional),
            decision.id if decision else None,
            participant.id if participant else None,
            exceptional,
        )
        self.clocks.append(opened)
        return opened

    def close_clocks(self, at: int, status: str, *, decision: int | None = None, participant: int | None = None,
                     clocks: Iterable[str] | None = None) -> None:  # fmt: skip
        wanted = set(clocks) if clocks is not None else None
        for opened in self.clocks:
            if opened.status != "open":
                continue
            if decision is not None and opened.decision != decision:
                continue
            if participant is not None and opened.participant != participant:
                continue
            if wanted is not None and opened.clock not in wanted:
                continue
            if at > opened.due and opened.clock in JUDGED_CLOCKS:
                raise LateAct(f"case {self.id}: clock {opened.clock} closed after it ran out")
            # as the service closes it (decisions/deadlines.py `acted_on`): the awaited act after the limit is late
            opened.status, opened.closed = ("late" if status == "met" and at > opened.due else status), at

    def effect(self, decision: Decision, kind: str, started: int, *, ends: int | None = None, data: str = "{}",
               participant: Person | None = None) -> LegalEffect:  # fmt: skip
        subject = participant or decision.subject
        made = LegalEffect(
            self.rows.new_id("decisions_legaleffect"),
            decision.id,
            kind,
            subject.id if subject else None,
            started,
            ends,
            data,
        )
        self.effects.append(made)
        return made

    def running(self, person: Person, kind: str) -> LegalEffect | None:
        found = [e for e in self.effects if e.participant == person.id and e.kind == kind and e.ended is None]
        return max(found, key=lambda e: e.started) if found else None

    def end_effect(self, made: LegalEffect, at: int) -> None:
        if made.ends is not None and made.ends < at:
            raise LateAct(f"case {self.id}: {made.kind} ended after it ran out")
        made.ended = at

    def end_interruption(self, at: int) -> None:
        """The investigation is over: an interruption in force ends with it (decisions.effects._end_interruption)."""
        for made in self.effects:
            if made.ended is None and made.kind == "terms_interrupted":
                self.end_effect(made, at)
        self.interrupted_at = None

    def end_measures(self, at: int) -> None:
        for made in self.effects:
            if made.ended is None and made.kind in MEASURES:
                self.end_effect(made, at)

    def apply(self, decision: Decision, at: int) -> None:
        """The legal effects of a decision at the moment it is in force (as `decisions.effects`)."""
        book = self.times.book(decision.submitted or at)
        for effect in book.decision_type(decision.kind).effects:
            self.EFFECTS.get(effect, Story._simple)(self, decision, effect.value, at, book)

    def _term_still_running(self, at: int) -> int | None:
        """The term's end, checked not to have run out before `at` (the monitor raises that as a violation)."""
        if self.term_ends is not None and self.term_ends < at:
            raise LateAct(f"case {self.id}: the term ran out at {self.times.text(self.term_ends)}")
        return self.term_ends

    def _previous_end(self, at: int) -> str:
        previous = self._term_still_running(at)
        return f'"{self.times.iso(previous)}"' if previous is not None else "null"

    def _simple(self, decision: Decision, kind: str, at: int, book: Rulebook) -> None:
        self.effect(decision, kind, at)

    def _suspect(self, decision: Decision, kind: str, at: int, book: Rulebook) -> None:
        subject = _subject(decision)
        previous = subject.role
        subject.role, subject.suspect_since = "suspect", at
        self.effect(decision, kind, at, data=f'{{"previous_role": "{previous}", "articles": {self.articles_json}}}')

    def _qualification(self, decision: Decision, kind: str, at: int, book: Rulebook) -> None:
        subject = _subject(decision)
        subject.qualification = self.articles_json
        self.open_clock("qualification_announcement", at, decision=decision, participant=subject)
        self.effect(decision, kind, at, data=f'{{"articles": {self.articles_json}}}')

    def _interrupted(self, decision: Decision, kind: str, at: int, book: Rulebook) -> None:
        term_ends = self._term_still_running(at)
        remaining = float(term_ends - at) if term_ends is not None else None
        self.status, self.interrupted_at, self.term_ends = "interrupted", at, None
        ground = json.loads(decision.content).get("ground")
        self.effect(decision, kind, at, data=dumps({"ground": ground, "remaining_seconds": remaining}))

    def _extended(self, decision: Decision, kind: str, at: int, book: Rulebook) -> None:
        total = int(json.loads(decision.content)["total_months"])
        previous = self._previous_end(at)
        self.term_total = total
        self.term_ends = self.term_end(book)
        self.effect(
            decision, kind, at, ends=self.term_ends, data=f'{{"total_months": {total}, "previous_end": {previous}}}'
        )

    def _terminated(self, decision: Decision, kind: str, at: int, book: Rulebook) -> None:
        ground = json.loads(decision.content)["ground"]
        rehabilitating = TERMINATION_GROUNDS[ground]
        previous = self._previous_end(at)
        self.end_interruption(at)
        self.status, self.terminated_at, self.rehabilitating, self.term_ends = "terminated", at, rehabilitating, None
        self.end_measures(at)
        self.close_clocks(at, "cleared")
        flag = "true" if rehabilitating else "false"
        self.effect(
            decision, kind, at, data=f'{{"ground": "{ground}", "rehabilitating": {flag}, "previous_end": {previous}}}'
        )

    def _completed(self, decision: Decision, kind: str, at: int, book: Rulebook) -> None:
        previous = self._previous_end(at)
        self.end_interruption(at)
        self.status, self.completed_at, self.term_ends = "completed", at, None
        self.effect(decision, kind, at, data=f'{{"previous_end": {previous}}}')

    def _accused(self, decision: Decision, kind: str, at: int, book: Rulebook) -> None:
        subject = _subject(decision)
        subject.role, subject.accused_since = "accused", at
        self.effect(decision, kind, at, data=f'{{"articles": {self.articles_json}}}')

    def _sent_to_court(self, decision: Decision, kind: str, at: int, book: Rulebook) -> None:
        previous = self._previous_end(at)
        self.end_interruption(at)
        self.status, self.sent_at, self.term_ends = "sent_to_court", at, None
        self.close_clocks(at, "cleared")
        self.effect(decision, kind, at, data=f'{{"previous_end": {previous}}}')

    def _agreement(self, decision: Decision, kind: str, at: int, book: Rulebook) -> None:
        agreement = json.loads(decision.content).get("kind")
        self.effect(decision, kind, at, data=f'{{"agreement_kind": "{agreement}"}}')

    def _detained(self, decision: Decision, kind: str, at: int, book: Rulebook) -> None:
        subject = _subject(decision)
        content = json.loads(decision.content)
        detained = int(dt.datetime.fromisoformat(content["detained_at"]).timestamp())
        exceptional = bool(content.get("exceptional_ground"))
        clock = self.open_clock("detention", detained, decision=decision, participant=subject, exceptional=exceptional)
        flag = "true" if exceptional else "false"
        self.effect(decision, kind, detained, ends=clock.due, data=f'{{"exceptional": {flag}}}')

    def _custody(self, decision: Decision, kind: str, at: int, book: Rulebook) -> None:
        subject = _subject(decision)
        detention = self.running(subject, "person_detained")
        start = detention.started if detention else at
        if detention is not None:
            self.end_effect(detention, at)
        self.close_clocks(at, "met", participant=subject.id, clocks=("detention",))
        custody = self.open_clock("custody", start, decision=decision, participant=subject)
        self.open_clock("custody_extension_petition", start, decision=decision, participant=subject)
        months = book.term("custody").amount
        self.effect(decision, kind, start, ends=custody.due, data=f'{{"total_months": {months}}}')

    def _custody_extended(self, decision: Decision, kind: str, at: int, book: Rulebook) -> None:
        subject = _subject(decision)
        custody_effect = self.running(subject, "custody_in_force")
        if custody_effect is None or custody_effect.ends is None:
            raise ValueError("custody extended without custody")
        if custody_effect.ends < at:
            raise LateAct(f"case {self.id}: custody extended after it ran out")
        total = int(json.loads(decision.content)["total_months"])
        self.close_clocks(at, "met", participant=subject.id, clocks=("custody", "custody_extension_petition"))
        started = custody_effect.started
        custody = self.open_clock("custody", started, decision=decision, participant=subject, amount=total)
        self.open_clock("custody_extension_petition", started, decision=decision, participant=subject, amount=total)
        previous = self.times.iso(custody_effect.ends)
        custody_effect.ends = custody.due
        custody_effect.data = f'{{"total_months": {total}}}'
        data = f'{{"total_months": {total}, "previous_end": "{previous}"}}'
        self.effect(decision, kind, at, ends=custody.due, data=data)

    def _search(self, decision: Decision, kind: str, at: int, book: Rulebook) -> None:
        place = json.loads(decision.content).get("place")
        self.effect(decision, kind, at, data=dumps({"place": place}))

    EFFECTS: ClassVar[dict[Effect, Callable[[Story, Decision, str, int, Rulebook], None]]] = {
        Effect.PERSON_BECOMES_SUSPECT: _suspect,
        Effect.QUALIFICATION_SET: _qualification,
        Effect.TERMS_INTERRUPTED: _interrupted,
        Effect.TERMS_EXTENDED: _extended,
        Effect.CASE_TERMINATED: _terminated,
        Effect.INVESTIGATION_COMPLETED: _completed,
        Effect.PERSON_BECOMES_ACCUSED: _accused,
        Effect.CASE_SENT_TO_COURT: _sent_to_court,
        Effect.PROCEDURAL_AGREEMENT_CONCLUDED: _agreement,
        Effect.PERSON_DETAINED: _detained,
        Effect.CUSTODY_IN_FORCE: _custody,
        Effect.CUSTODY_EXTENDED: _custody_extended,
        Effect.SEARCH_AUTHORISED: _search,
    }

    # --- the decision workflow (as `decisions.services`) ---------------------------------------------------

    def decision_event(  # noqa: PLR0917 - the event row's own columns, in the order the services write them
        self, decision: Decision, code: str, actor: Actor, at: int, from_state: str, to_state: str,
        *, reason: str = "", data: str = "{}", revision: int | None = None,
    ) -> int:  # fmt: skip
        event_id = self.rows.new_id("decisions_decisionevent")
        self.rows.add(
            "decisions_decisionevent",
            f"{event_id}\t{decision.id}\t{self.id}\t{code}\t{actor[0]}\t{actor[1]}\t{actor[2]}\t{self.times.text(at)}\t"
            f"{from_state}\t{to_state}\t{decision.revision if revision is None else revision}\t{reason}\t{data}\n",
        )
        self.act(at)
        return event_id

    def draft(self, kind: str, drafter: Actor, at: int, content: dict[str, object] | str,
              subject: Person | None = None, *, stated: int | None = None) -> Decision:  # fmt: skip
        times = self.times
        book = times.book(at)
        text = content if isinstance(content, str) else dumps(content)
        stated_date = times.local_date(stated if stated is not None else at)
        decision_id = self.rows.new_id("decisions_decision")
        decision = Decision(decision_id, kind, book.version, subject, drafter, at, at, text, stated_date)
        decision.revisions.append(
            [self.rows.new_id("decisions_decisionrevision"), 1, decision.content, decision.stated, drafter[0], at, at]
        )
        self.decisions.append(decision)
        self.decision_event(
            decision,
            "decision.drafted",
            drafter,
            at,
            "",
            "draft",
            data=f'{{"kind": "{kind}", "rulebook_version": "{book.version}"}}',
        )
        return decision

    def _enter(self, decision: Decision, target: str, at: int) -> None:
        decision.state = target
        decision.due = None
        book = self.times.book(decision.submitted or at)
        clock: str | None = None
        if target == "submitted":
            clock = book.decision_type(decision.kind).review_clock
        elif target == "awaiting_consent":
            clock = book.special_subject_consent_clock
        elif target == "petitioned":
            clock = book.sanction_clock
        if clock is not None:
            decision.due = self.open_clock(clock, at, decision=decision).due
        if target == "agreed" and decision.subject is not None:
            waiting = [
                c.due
                for c in self.clocks
                if c.participant == decision.subject.id
                and c.status == "open"
                and c.clock in ("detention", "custody_extension_petition")
            ]
            decision.due = min(waiting) if waiting else None
        if target == "in_force":
            decision.in_force_at = at
            self.apply(decision, at)
        decision.updated = at

    def _remaining(self, decision: Decision) -> list[ApprovalKind]:
        return list(remaining_approvals(decision))  # the services' own reading of what is still awaited

    @staticmethod
    def _waiting(remaining: Sequence[ApprovalKind]) -> str:
        """The state of a decision that still needs `remaining` (as `decisions.states.waiting_state`)."""
        return AWAITING[remaining[0]] if remaining else "in_force"

    def submit(self, decision: Decision, at: int) -> None:
        book = self.times.book(at)
        decision.version = book.version
        subject = decision.subject
        needed = self.gen.approvals(book, decision.kind, bool(subject and subject.special), decision.drafter[1])
        decision.needs_agreement = ApprovalKind.PROSECUTOR_AGREEMENT in needed
        decision.needs_consent = ApprovalKind.SPECIAL_SUBJECT_CONSENT in needed
        decision.needs_sanction = ApprovalKind.JUDICIAL_SANCTION in needed
        level = book.decision_type(decision.kind).level_required(json.loads(decision.content))
        decision.level_required = level.value if level is not None else ""  # as the service fixes it
        decision.submitted = at
        current = decision.state
        target = self._waiting(needed)
        self._enter(decision, target, at)
        self.decision_event(
            decision,
            "decision.submitted",
            decision.drafter,
            at,
            current,
            target,
            data=self.gen.submitted_data(book.version, needed),
        )

    def agree(self, decision: Decision, at: int, reviewer: Actor | None = None, *, record: bool = True) -> int:
        """The prosecutor agrees; with `record=False` the agreement is on the decision but no event says so."""
        reviewer = reviewer or self.prosecutor
        self.close_clocks(at, "met", decision=decision.id)
        decision.agreed_by, decision.agreed_at = reviewer[0], at
        target = self._waiting(self._remaining(decision))
        self._enter(decision, target, at)
        if not record:
            self.act(at)
            return 0
        return self.decision_event(decision, "decision.agreed", reviewer, at, "submitted", target)

    def refuse(self, decision: Decision, at: int, reviewer: Actor | None = None) -> None:
        reviewer = reviewer or self.prosecutor
        reason = self.rng.choice(REFUSALS)
        self.close_clocks(at, "met", decision=decision.id)
        decision.closed_reason = reason
        self._enter(decision, "refused", at)
        self.decision_event(decision, "decision.refused", reviewer, at, "submitted", "refused", reason=reason)

    def return_for_rework(self, decision: Decision, at: int, rework: int) -> None:
        """Returned by the prosecutor, edited by its author `rework` seconds later and submitted again."""
        reviewer = self.prosecutor
        reason = self.rng.choice(RETURNS)
        self.close_clocks(at, "met", decision=decision.id)
        decision.closed_reason = reason
        reviewed = decision.revision
        decision.revision = reviewed + 1
        decision.revisions.append(
            [self.rows.new_id("decisions_decisionrevision"), decision.revision, decision.content, decision.stated,
             reviewer[0], at, at]
        )  # fmt: skip
        self._enter(decision, "returned", at)
        self.decision_event(
            decision,
            "decision.returned",
            reviewer,
            at,
            "submitted",
            "returned",
            reason=reason,
            revision=reviewed,
            data=f'{{"reviewed_revision": {reviewed}}}',
        )
        edited = at + rework
        decision.stated = self.times.local_date(edited)
        decision.version = self.times.book(edited).version
        decision.updated = edited
        revision = decision.revisions[-1]
        revision[3], revision[6] = decision.stated, edited
        self.decision_event(
            decision,
            "decision.edited",
            decision.drafter,
            edited,
            "returned",
            "returned",
            data='{"changed": ["grounds"]}',
        )
        self.submit(decision, edited + self.rng.randrange(300, 2 * H))

    def consent(self, decision: Decision, at: int) -> None:
        gpo = self.gen.world.gpo
        actor: Actor = (self.rng.choice(gpo.seniors), "senior_prosecutor", gpo.id)
        self.close_clocks(at, "met", decision=decision.id)
        decision.consented_by, decision.consented_at = actor[0], at
        target = self._waiting(self._remaining(decision))
        self._enter(decision, target, at)
        self.decision_event(decision, "decision.consented", actor, at, "awaiting_consent", target)

    def petition_court(self, decision: Decision, at: int) -> None:
        court = self.unit.office.court
        decision.court, decision.petitioned_by, decision.petitioned_at = court, self.prosecutor[0], at
        referral = self.rows.new_id("register_courtreferral")
        self.rows.add(
            "register_courtreferral", f"{referral}\t{self.id}\t{court}\t{decision.id}\t{self.times.text(at)}\n"
        )
        if decision.kind == "custody_extension_petition" and decision.subject is not None:
            self.close_clocks(at, "met", participant=decision.subject.id, clocks=("custody_extension_petition",))
        self._enter(decision, "petitioned", at)
        self.decision_event(
            decision, "decision.petitioned", self.prosecutor, at, "agreed", "petitioned", data=f'{{"court": {court}}}'
        )

    def judge(self) -> Actor:
        return (self.rng.choice(self.unit.judges), "investigating_judge", self.unit.office.court)

    def grant(self, decision: Decision, at: int, *, record: bool = True) -> None:
        judge = self.judge()
        self.close_clocks(at, "met", decision=decision.id)
        decision.ruled_by, decision.ruled_at, decision.granted_at = judge[0], at, at
        target = self._waiting(self._remaining(decision))
        self._enter(decision, target, at)
        if record:
            self.decision_event(decision, "sanction.granted", judge, at, "petitioned", target)
        else:
            self.act(at)

    def deny(self, decision: Decision, at: int) -> None:
        judge = self.judge()
        reason = self.rng.choice(DENIALS)
        self.close_clocks(at, "met", decision=decision.id)
        decision.ruled_by, decision.ruled_at, decision.closed_reason = judge[0], at, reason
        self._enter(decision, "denied", at)
        self.decision_event(decision, "sanction.denied", judge, at, "petitioned", "denied", reason=reason)

    def withdraw(self, decision: Decision, at: int) -> None:
        current = decision.state
        self.close_clocks(at, "cleared", decision=decision.id)
        self._enter(decision, "withdrawn", at)
        self.decision_event(decision, "decision.withdrawn", decision.drafter, at, current, "withdrawn")

    # --- rows -----------------------------------------------------------------------------------------------

    def finish(self) -> None:
        times, rows, unit = self.times, self.rows, self.unit
        text, opt = times.text, times.opt
        summary = f"Report of an offence under art. {self.articles[0][0]} of the Criminal Code"
        rows.add(
            "register_case",
            f"{self.id}\t{self.erdr}\t{text(self.reported)}\t{text(self.registered)}\t{self.form}\t{summary}\t"
            f"{unit.body_id}\t{unit.id}\t{self.investigator[0]}\t{unit.office.id}\t{self.prosecutor[0]}\t{self.status}\t"
            f"{self.version}\t{text(self.term_started)}\t{_opt(self.term_total)}\t{opt(self.term_ends)}\t"
            f"{opt(self.interrupted_at)}\t{opt(self.terminated_at)}\t{_bool(self.rehabilitating)}\t"
            f"{opt(self.completed_at)}\t{opt(self.sent_at)}\t{self.investigator[0]}\t{text(self.last_act)}\t"
            f"{text(self.last_act)}\n",
        )
        for position, (article, part, paragraph) in enumerate(self.articles):
            rows.add(
                "register_casearticle",
                f"{rows.new_id('register_casearticle')}\t{self.id}\t{article}\t{_opt(part)}\t{_opt(paragraph)}\t{position}\n",
            )
        for p in self.persons:
            rows.add(
                "register_participant",
                f"{p.id}\t{self.id}\t{p.role}\t{p.last_name}\t{p.first_name}\t{p.patronymic}\t{p.iin or NULL}\t"
                f"{'t' if p.foreign else 'f'}\t{p.citizenship}\t{p.birth}\t{p.phone}\t\t{p.special}\t"
                f"{p.qualification}\t"
                f"{opt(p.suspect_since)}\t{opt(p.accused_since)}\t{text(p.added_at)}\t{p.added_by}\n",
            )
        for d in self.decisions:
            rows.add(
                "decisions_decision",
                f"{d.id}\t{self.id}\t{d.kind}\t{d.version}\t{d.state}\t{d.subject.id if d.subject else NULL}\t"
                f"{d.revision}\t{d.content}\t{d.stated}\t{d.drafter[0]}\t{d.drafter[1]}\t{text(d.drafted)}\t"
                f"{opt(d.submitted)}\t{_bool(d.needs_agreement)}\t{_bool(d.needs_consent)}\t{_bool(d.needs_sanction)}\t"
                f"{d.level_required}\t{opt(d.due)}\t{_opt(d.agreed_by)}\t{opt(d.agreed_at)}\t{_opt(d.consented_by)}\t{opt(d.consented_at)}\t"
                f"{_opt(d.court)}\t{_opt(d.petitioned_by)}\t{opt(d.petitioned_at)}\t{_opt(d.ruled_by)}\t"
                f"{opt(d.ruled_at)}\t{opt(d.granted_at)}\t{d.closed_reason}\t{opt(d.in_force_at)}\t{text(d.updated)}\n",
            )
            for revision_id, number, content, stated, author, created, updated in d.revisions:
                rows.add(
                    "decisions_decisionrevision",
                    f"{revision_id}\t{d.id}\t{number}\t{content}\t{stated}\t{author}\t{text(created)}\t{text(updated)}\n",
                )
        for c in self.clocks:
            rows.add(
                "decisions_deadline",
                f"{c.id}\t{self.id}\t{_opt(c.decision)}\t{_opt(c.participant)}\t{c.clock}\t{c.version}\t"
                f"{'t' if c.exceptional else 'f'}\t{text(c.started)}\t{text(c.due)}\t{c.status}\t{opt(c.closed)}\n",
            )
        for e in self.effects:
            rows.add(
                "decisions_legaleffect",
                f"{e.id}\t{self.id}\t{e.decision}\t{e.kind}\t{_opt(e.participant)}\t{text(e.started)}\t{opt(e.ends)}\t"
                f"{opt(e.ended)}\t{e.data}\n",
            )
        for t in self.petitions:
            rows.add(
                "register_participantpetition",
                f"{t.id}\t{self.id}\t{t.participant}\t{t.request}\t{text(t.filed)}\t{text(t.due)}\t{t.version}\t"
                f"{opt(t.decided_at)}\t{_opt(t.decided_by)}\t{_bool(t.granted)}\t"
                f"{'Granted' if t.granted else ('Refused' if t.granted is not None else '')}\t{self.investigator[0]}\n",
            )


# --- the stories ----------------------------------------------------------------------------------------


class Generator:
    """Plans the cases, tells each one's story and records the violations it plants."""

    def __init__(self, *, cases: int, rows: Rows, times: Times, world: World, rng: random.Random) -> None:
        self.cases, self.rows, self.times, self.world, self.rng = cases, rows, times, world, rng
        self.as_of = times.as_of
        self.identities = Identities(rng, int(times.local_date(times.as_of)[:4]))
        self.sequences: dict[tuple[int, int], int] = {}
        self.injected: list[tuple[str, str]] = []
        self._approvals: dict[tuple[str, str, bool, str], tuple[ApprovalKind, ...]] = {}
        self._submitted: dict[tuple[str, tuple[ApprovalKind, ...]], str] = {}
        self._articles: dict[tuple[tuple[str, int | None, int | None], ...], str] = {}
        self.article_weights: dict[str, list[float]] = {}
        for body, articles in ARTICLES.items():
            running, weights = 0.0, []
            for *_, weight in articles:
                running += weight
                weights.append(running)
            self.article_weights[body] = weights
        self.form_weights = list(itertools.accumulate(weight for _, weight in FORMS))
        self.special: dict[int, str] = {}  # case index -> rule planted there, or "convenient:<unit index>"
        self.injectors: dict[str, Callable[[Story, int], str]] = {
            "review_overdue": self.inject_review_overdue,
            "report_registration_late": self.inject_report_registration_late,
            "detention_over_limit": self.inject_detention_over_limit,
            "custody_extension_not_petitioned": self.inject_custody_extension_not_petitioned,
            "custody_expired": self.inject_custody_expired,
            "investigation_term_expired": self.inject_investigation_term_expired,
            "effect_before_approval": self.inject_effect_before_approval,
            "in_force_without_approvals": self.inject_in_force_without_approvals,
            "qualification_not_announced": self.inject_qualification_not_announced,
            "petition_not_decided": self.inject_petition_not_decided,
            "repeated_interruptions": self.inject_repeated_interruptions,
            "case_idle": self.inject_case_idle,
            "backdated_decision": self.inject_backdated_decision,
            "review_out_of_jurisdiction": self.inject_review_out_of_jurisdiction,
        }
        missing = {rule.code for rule in RULES} - set(self.injectors) - {"convenient_defender"}
        if missing:
            raise ValueError(f"no way to plant {sorted(missing)}")

    # --- helpers --------------------------------------------------------------------------------------------

    def hours(self, low: float, high: float) -> int:
        return int((low + (high - low) * self.rng.random()) * H)

    def days(self, low: float, high: float) -> int:
        return int((low + (high - low) * self.rng.random()) * DAY)

    def next_sequence(self, unit_id: int, year: int) -> int:
        value = self.sequences.get((unit_id, year), 0) + 1
        self.sequences[(unit_id, year)] = value
        return value

    def articles_json(self, articles: list[tuple[str, int | None, int | None]]) -> str:
        key = tuple(articles)
        found = self._articles.get(key)
        if found is None:
            found = self._articles[key] = dumps([{"article": a, "part": p, "paragraph": q} for a, p, q in articles])
        return found

    def submitted_data(self, version: str, needed: tuple[ApprovalKind, ...]) -> str:
        key = (version, needed)
        found = self._submitted.get(key)
        if found is None:
            found = self._submitted[key] = dumps(
                {"rulebook_version": version, "required_approvals": [kind.value for kind in needed]}
            )
        return found

    def approvals(self, book: Rulebook, kind: str, special: bool, drafter_role: str) -> tuple[ApprovalKind, ...]:
        key = (book.version, kind, special, drafter_role)
        found = self._approvals.get(key)
        if found is None:
            found = self._approvals[key] = book.decision_type(kind).required_approvals(
                subject_is_special=special, drafted_by_investigative_body=Role(drafter_role) in INVESTIGATIVE_ROLES
            )
        return found

    def review_at(self, decision: Decision, after: int, low: float, high: float) -> int:
        """An act on a submitted decision `low`-`high` hours after `after`, always before its clock runs out."""
        at = after + self.hours(low, high)
        if decision.due is not None and at > decision.due - 600:
            at = max(after + 60, decision.due - 600)
        return at

    # --- the plan -------------------------------------------------------------------------------------------

    def plan(self) -> None:
        """Choose the cases that carry a planted violation, and the units with a 'convenient' defender."""
        rng, world = self.rng, self.world
        rules = [rule.code for rule in RULES if rule.code != "convenient_defender"]
        per_rule = max(1, round(self.cases * INJECTED_SHARE / len(RULES)))
        police = [index for index, unit in enumerate(world.units) if unit.body_kind == "police"]
        convenient_units = rng.sample(police, max(1, min(len(police) // 4, round(self.cases / 100_000))))
        needed = per_rule * len(rules) + CONVENIENT_CASES * len(convenient_units)
        if needed > self.cases // 2:
            raise ValueError(f"generate at least {MIN_CASES} cases: {needed} are needed for the planted violations")
        chosen = rng.sample(range(self.cases), needed)
        position = 0
        for unit_index in convenient_units:
            unit = world.units[unit_index]
            unit.convenient = WorldBuilder.advocate_for(rng, self.identities)
            for index in chosen[position : position + CONVENIENT_CASES]:
                self.special[index] = f"convenient:{unit_index}"
            position += CONVENIENT_CASES
        for number, index in enumerate(chosen[position:]):
            self.special[index] = rules[number % len(rules)]

    def registration_time(self, index: int) -> int:
        window = WINDOW_DAYS * DAY
        return self.as_of - window + int((index + self.rng.random()) * window / self.cases)

    def unit_for(self) -> UnitInfo:
        world = self.world
        return world.units[bisect.bisect(world.cumulative, self.rng.random() * world.cumulative[-1]) % len(world.units)]

    def form_for(self, unit: UnitInfo) -> str:
        if unit.body_kind != "police":
            return "pre_trial_investigation"
        return FORMS[bisect.bisect(self.form_weights, self.rng.random() * self.form_weights[-1])][0]

    def case(self, index: int) -> None:
        registered = self.registration_time(index)
        special = self.special.get(index)
        if special is None:
            unit = self.unit_for()
            story = Story(self, unit, self.form_for(unit))
            self.lawful(story, registered)
        elif special.startswith("convenient:"):
            unit = self.world.units[int(special.split(":")[1])]
            story = Story(self, unit, self.form_for(unit))
            self.lawful(story, registered, defended=True)
        else:
            unit = self.unit_for()
            form = self.form_for(unit) if special == "report_registration_late" else "pre_trial_investigation"
            story = Story(self, unit, form)
            self.injected.append((special, self.injectors[special](story, registered)))
        story.finish()

    def finish(self) -> None:
        """ERDR sequences as the numbers given, and the planted 'convenient' defenders."""
        rows = self.rows
        for (unit_id, year), value in sorted(self.sequences.items()):
            rows.add("register_erdrsequence", f"{rows.new_id('register_erdrsequence')}\t{unit_id}\t{year}\t{value}\n")
        for unit in self.world.units:
            if unit.convenient is None:
                continue
            share = math.ceil(unit.defended / 2) * 100 / max(unit.defended, 1)
            if unit.defended < 10 or share <= 30:  # pragma: no cover - the plan forces enough defended cases
                raise ValueError(f"unit {unit.unit_code}: the planted defender holds {share:.0f}% of {unit.defended}")
            self.injected.append(("convenient_defender", f"unit:{unit.id}:defender:{unit.convenient.iin}"))

    # --- lawful histories -----------------------------------------------------------------------------------

    def start(self, s: Story, registered: int, *, late_report: bool = False, witness: bool = True) -> int:
        """Registration, the procedural prosecutor, the victim (and a witness); returns the time of the last act."""
        reported = registered - (self.hours(25, 120) if late_report else self.hours(0.2, 22))
        span = self.as_of - registered
        s.register(registered, reported)
        if self.rng.random() < 0.85:
            s.person("victim", registered + min(self.hours(0.5, 8), span // 3), foreign=self.rng.random() < 0.02)
        if witness and self.rng.random() < 0.2 and span > 3 * DAY:
            s.person("witness", registered + self.hours(2, 48))
        return s.last_act

    def lawful(self, s: Story, registered: int, *, defended: bool = False, late_report: bool = False) -> None:
        rng, as_of = self.rng, self.as_of
        if defended and as_of - registered < 10 * DAY:
            registered = as_of - self.days(10, 300)
        t = self.start(s, registered, late_report=late_report)
        age = as_of - registered
        if age < 3 * DAY:
            self.fresh(s, t)
            return
        term = (s.term_ends or registered) - registered
        roll = rng.random()
        if age < term:
            if defended:
                kind = "court" if roll < 0.4 else "open"
            else:
                kind = (
                    "open" if roll < 0.62 else "court" if roll < 0.78 else "terminated" if roll < 0.9 else "interrupted"
                )
            if (kind == "court" and as_of - t < 20 * DAY) or as_of - t < 8 * DAY:
                kind = "open"  # not enough time before as_of for the story to end
        elif s.form == "pre_trial_investigation":
            if defended:
                kind = "court" if roll < 0.85 or age > 330 * DAY else "extended"
            else:
                kind = (
                    "interrupted" if roll < 0.42 else "court" if roll < 0.7 else "terminated" if roll < 0.9
                    else "extended" if roll < 0.96 and age <= 330 * DAY else "completed"
                )  # fmt: skip
        else:
            kind = "court" if defended or roll < 0.45 else "interrupted" if roll < 0.75 else "terminated"
        if kind == "open":
            self.open_case(s, t, defended=defended)
        elif kind == "extended":
            self.extended_case(s, t, defended=defended)
        elif kind == "court":
            self.court_case(s, t)
        elif kind == "terminated":
            self.terminated_case(s, t)
        elif kind == "interrupted":
            self.interrupted_case(s, t)
        else:
            self.completed_case(s, t)

    def fresh(self, s: Story, t: int) -> None:
        """Registered in the last days: at most a recognition awaiting the prosecutor."""
        if self.as_of - t > 2 * H and self.rng.random() < 0.3:
            witness = s.person("witness_with_right_to_defence", t + (self.as_of - t) // 4)
            drafted = witness.added_at + (self.as_of - witness.added_at) // 3
            decision = s.draft("recognition_as_suspect", s.investigator, drafted, self.recognition_content(s), witness)
            s.submit(decision, drafted + (self.as_of - drafted) // 3)

    def detention(self, detained: int) -> str:
        """The fields of a detention protocol: the moment of actual detention (CPC art. 128) and the grounds."""
        return f'{{"detained_at": "{self.times.iso(detained)}", "grounds": "{self.rng.choice(GROUNDS)}"}}'

    def recognition_content(self, s: Story) -> str:
        """The fields of a recognition or a qualification: the case's articles and the grounds."""
        return f'{{"articles": {s.articles_json}, "grounds": "{GROUNDS[int(self.rng.random() * len(GROUNDS))]}"}}'

    def release(self, s: Story, person: Person, at: int) -> None:
        detention = s.running(person, "person_detained")
        if detention is not None:
            s.end_effect(detention, at)
            s.close_clocks(at, "met", participant=person.id, clocks=("detention",))
            s.case_event("person.released", s.investigator[0], at, f'{{"participant": {person.id}}}')

    def charge(
        self, s: Story, start: int, *, detain: bool, always: bool = False, may_refuse: bool = True
    ) -> tuple[Person | None, int]:
        """A person under suspicion is recognised as suspect (CPC art. 202), perhaps detained first.

        Needs nine days of room after `start` (two with detention, which is resolved within 40 hours).
        `always`: the person ends up a suspect, if need be on a second recognition after a refusal.
        Returns the suspect (None when the prosecutor refused) and the time of the last act.
        """
        rng = self.rng
        special = rng.choice(SPECIAL_SUBJECTS) if not detain and rng.random() < 0.004 else ""
        witness = s.person("witness_with_right_to_defence", start, special=special, foreign=rng.random() < 0.02)
        t = start
        if detain:
            detained = start + self.hours(0.3, 2)
            detention = s.draft(
                "detention", s.investigator, detained + self.hours(0.2, 1), self.detention(detained), witness
            )
            s.submit(detention, detention.drafted + self.hours(0.05, 0.5))
            t = detention.submitted or t
        recognition = s.draft(
            "recognition_as_suspect", s.investigator, t + self.hours(0.3, 2), self.recognition_content(s), witness
        )
        s.submit(recognition, recognition.drafted + self.hours(0.1, 1))
        t = recognition.submitted or t
        refused, returned = REVIEW_ODDS["recognition_as_suspect"]
        roll = rng.random() if may_refuse and not (always and detain) else 1.0
        if detain:
            returned = 0.0
        if roll < returned:
            s.return_for_rework(recognition, self.review_at(recognition, t, 1, 12), self.hours(2, 20))
            t = recognition.submitted or t
            roll = 1.0
        at = self.review_at(recognition, t, 0.5, 8 if detain else 20)
        if roll < returned + refused:
            s.refuse(recognition, at)
            if detain:
                self.release(s, witness, at + self.hours(0.2, 1))
            if not always:
                return None, s.last_act
            # the investigator gathers more evidence and asks again
            recognition = s.draft("recognition_as_suspect", s.investigator, at + self.days(1, 3),
                                  self.recognition_content(s), witness)  # fmt: skip
            s.submit(recognition, recognition.drafted + self.hours(0.1, 1))
            at = self.review_at(recognition, recognition.submitted or at, 0.5, 20)
        s.agree(recognition, at)
        t = at
        if recognition.state == "awaiting_consent":
            t += self.hours(2, 30)
            s.consent(recognition, t)
        s.defender(t + self.hours(0.3, 4))
        if detain:
            self.hold(s, witness, always=always)
        return witness, s.last_act

    def hold(self, s: Story, witness: Person, *, always: bool) -> None:
        """The custody petition of a detained suspect: agreed, filed and granted within the detention term.

        Refused by the prosecutor or denied by the judge (unless `always`), the person is released.
        """
        rng = self.rng
        t = s.last_act
        grounds = f'{{"grounds": "{rng.choice(GROUNDS)}"}}'
        petition = s.draft("custody_petition", s.investigator, t + self.hours(0.3, 2), grounds, witness)
        s.submit(petition, petition.drafted + self.hours(0.1, 1))
        at = self.review_at(petition, petition.submitted or t, 0.5, 8)
        if rng.random() < REVIEW_ODDS["custody_petition"][0] and not always:
            s.refuse(petition, at)
            self.release(s, witness, at + self.hours(0.2, 1))
            return
        s.agree(petition, at)
        petitioned = at + self.hours(0.2, 2)
        s.petition_court(petition, petitioned)
        ruled = self.review_at(petition, petitioned, 1, 12)
        if rng.random() < 0.1 and not always:
            s.deny(petition, ruled)
            self.release(s, witness, ruled + self.hours(0.2, 1))
        else:
            s.grant(petition, ruled)

    def qualify(self, s: Story, suspect: Person, after: int) -> int:
        """Qualification of the suspect's act (CPC arts. 203-204), announced within 24 hours (206). Five days."""
        rng = self.rng
        drafted = after + self.hours(1, 48)
        decision = s.draft(
            "qualification",
            s.investigator,
            drafted,
            self.recognition_content(s),
            suspect,
        )
        s.submit(decision, drafted + self.hours(0.1, 2))
        t = decision.submitted or drafted
        if rng.random() < REVIEW_ODDS["qualification"][0]:
            s.refuse(decision, self.review_at(decision, t, 1, 8))
            return self.qualify_again(s, suspect, s.last_act)
        s.agree(decision, self.review_at(decision, t, 1, 8))
        t = s.last_act
        if decision.state == "awaiting_consent":
            t += self.hours(2, 30)
            s.consent(decision, t)
        return self.announce(s, decision, t + self.hours(0.5, 20))

    def qualify_again(self, s: Story, suspect: Person, after: int) -> int:
        drafted = after + self.hours(2, 20)
        decision = s.draft(
            "qualification",
            s.investigator,
            drafted,
            self.recognition_content(s),
            suspect,
        )
        s.submit(decision, drafted + self.hours(0.1, 2))
        s.agree(decision, self.review_at(decision, decision.submitted or drafted, 1, 8))
        t = s.last_act
        if decision.state == "awaiting_consent":
            t += self.hours(2, 30)
            s.consent(decision, t)
        return self.announce(s, decision, t + self.hours(0.5, 20))

    def announce(self, s: Story, decision: Decision, at: int) -> int:
        for clock in s.clocks:
            if clock.decision == decision.id and clock.clock == "qualification_announcement" and clock.status == "open":
                at = min(at, clock.due - 600)
                clock.status, clock.closed = ("late" if at > clock.due else "met"), at
        s.case_event("qualification.announced", s.investigator[0], at, f'{{"decision": {decision.id}}}')
        return at

    def search(self, s: Story, after: int) -> int:
        """A search sanctioned by the investigating judge (CPC art. 107). Two days."""
        rng = self.rng
        decision = s.draft(
            "search_petition",
            s.investigator,
            after + self.hours(1, 12),
            {"place": "The suspect's home address", "grounds": rng.choice(GROUNDS)},
        )
        s.submit(decision, decision.drafted + self.hours(0.1, 1))
        t = decision.submitted or after
        at = self.review_at(decision, t, 0.5, 8)
        if rng.random() < REVIEW_ODDS["search_petition"][0]:
            s.refuse(decision, at)
            return at
        s.agree(decision, at)
        petitioned = at + self.hours(0.2, 3)
        s.petition_court(decision, petitioned)
        ruled = self.review_at(decision, petitioned, 1, 18)
        if rng.random() < 0.1:
            s.deny(decision, ruled)
        else:
            s.grant(decision, ruled)
        return ruled

    def decide(  # noqa: PLR0917 - reads as `draft`: the decision's own fields first, then how it is reviewed
        self, s: Story, kind: str, drafter: Actor, after: int, content: dict[str, object] | str,
        subject: Person | None = None, *, reviewer: Actor | None = None, may_refuse: bool = True,
        review_hours: float = 40,
    ) -> tuple[Decision, bool]:  # fmt: skip
        """Draft, submit and have the prosecutor act within the clock; the decision, and whether it is in force."""
        rng = self.rng
        decision = s.draft(kind, drafter, after, content, subject)
        s.submit(decision, after + self.hours(0.1, 2))
        if decision.state == "in_force":
            return decision, True
        t = decision.submitted or after
        refused, returned = REVIEW_ODDS.get(kind, (0.1, 0.03))
        roll = rng.random() if may_refuse else 1.0
        if roll < returned and may_refuse:
            s.return_for_rework(decision, self.review_at(decision, t, 1, review_hours), self.hours(2, 24))
            t = decision.submitted or t
            roll = 1.0
        at = self.review_at(decision, t, 1, review_hours)
        if roll < returned + refused:
            s.refuse(decision, at)
            return decision, False
        s.agree(decision, at, reviewer)
        if decision.state == "awaiting_consent":
            s.consent(decision, at + self.hours(2, 30))
        return decision, decision.state == "in_force"

    def extension_reviewer(self, s: Story, total: int) -> Actor:
        """Who may agree an extension to `total` months (the rulebook's ladder: district, regional, general)."""
        if total <= 6 or (total <= 12 and s.unit.office.level == "regional"):
            return s.prosecutor
        if total <= 12:
            regional = s.unit.regional
            return (self.rng.choice(regional.seniors), "senior_prosecutor", regional.id)
        gpo = self.world.gpo
        return (self.rng.choice(gpo.seniors), "senior_prosecutor", gpo.id)

    def cover_term(self, s: Story, until: int) -> int:
        """Extend the pre-trial investigation's term (CPC art. 192) until it runs past `until`."""
        while s.term_ends is not None and s.term_ends <= until:
            total = (s.term_total or 2) + self.rng.choice((1, 1, 2, 3))
            drafted = max(s.last_act + H, s.term_ends - self.days(5, 12))
            content = {"total_months": total, "grounds": "Forensic examinations and questioning are pending"}
            reviewer = self.extension_reviewer(s, total)
            may_refuse = s.term_ends - drafted >= 8 * DAY  # time for a second request after a refusal
            _, in_force = self.decide(s, "extension_of_terms", s.investigator, drafted, content,
                                      reviewer=reviewer, may_refuse=may_refuse, review_hours=30)  # fmt: skip
            if not in_force:
                self.decide(s, "extension_of_terms", s.investigator, s.last_act + self.hours(8, 36), content,
                            reviewer=reviewer, may_refuse=False, review_hours=30)  # fmt: skip
        return s.last_act

    def keep_alive(self, s: Story) -> None:
        """An open case moves: some act within the idle threshold before as_of."""
        as_of = self.as_of
        if s.status != "under_investigation" or s.last_act >= as_of - 26 * DAY:
            return
        at = max(s.last_act + H, as_of - self.days(1, 25))
        victims = [p for p in s.persons if p.role in ("victim", "suspect", "defender")]
        if victims and self.rng.random() < 0.5:
            s.petition(self.rng.choice(victims), at, decide_after=min(self.hours(1, 40), max(60, as_of - at - H)))
        else:
            s.person("witness", at)

    def pending(self, s: Story) -> None:
        """Something awaiting an act at as_of, inside its clock."""
        rng, as_of = self.rng, self.as_of
        earliest = s.last_act + 600
        roll = rng.random()
        suspects = [p for p in s.persons if p.role == "suspect"]
        if roll < 0.35:
            at = max(earliest, as_of - self.hours(0.5, 20))
            witness = s.person("witness_with_right_to_defence", at)
            drafted = witness.added_at + (as_of - witness.added_at) // 4
            decision = s.draft("recognition_as_suspect", s.investigator, drafted, self.recognition_content(s), witness)
            s.submit(decision, decision.drafted + (as_of - decision.drafted) // 4)
        elif roll < 0.5 and suspects:
            at = max(earliest, as_of - self.hours(0.5, 8))
            decision = s.draft("qualification", s.investigator, at, self.recognition_content(s), suspects[0])
            s.submit(decision, at + (as_of - at) // 3)
        elif roll < 0.7:
            at = max(earliest, as_of - self.days(0.1, 2))
            kind = rng.choice(("termination", "interruption_of_terms"))
            content: dict[str, object] = (
                {"ground": "no_corpus_delicti", "grounds": "The act contains no elements of an offence"}
                if kind == "termination"
                else {"ground": "expert_examination_pending", "grounds": "An expert examination is pending"}
            )
            decision = s.draft(kind, s.investigator, at, content)
            submitted = at + (as_of - at) // 3
            if s.times.due(s.times.book(submitted).decision_type(kind).review_clock or "", submitted) <= as_of:
                submitted = as_of - 600  # pragma: no cover - a working-day clock always runs past a day
            s.submit(decision, submitted)
        elif roll < 0.8:
            at = max(earliest, as_of - self.hours(0.5, 20))
            decision = s.draft(
                "search_petition", s.investigator, at, {"place": "A garage", "grounds": rng.choice(GROUNDS)}
            )
            s.submit(decision, at + (as_of - at) // 4)
            s.agree(
                decision, decision.submitted + (as_of - (decision.submitted or at)) // 3 if decision.submitted else at
            )
            if rng.random() < 0.5 and decision.agreed_at is not None:
                s.petition_court(decision, decision.agreed_at + (as_of - decision.agreed_at) // 3)
        elif roll < 0.9:
            at = max(earliest, as_of - self.days(0.1, 3))
            content = {"ground": "suspect_not_identified", "grounds": "The offender has not been identified"}
            s.draft("interruption_of_terms", s.investigator, at, content)
        else:
            at = max(earliest, as_of - self.days(0.1, 2.5))
            people = [p for p in s.persons if p.role in ("victim", "suspect", "defender", "witness")]
            if people:
                petition = s.petition(rng.choice(people), at, decide_after=None)
                if petition.due <= as_of:  # pragma: no cover - three days always run past as_of here
                    raise ValueError("pending petition already due")

    def open_case(self, s: Story, t: int, *, defended: bool = False) -> None:
        """Still under investigation at as_of, within its term."""
        rng, as_of = self.rng, self.as_of
        room = as_of - t
        suspect: Person | None = None
        if (defended or rng.random() < 0.55) and room > 10 * DAY:
            start = t + min(self.days(0.1, 20), room - 9 * DAY)
            detain = rng.random() < 0.2 and self.times.due("custody_extension_petition", start) > as_of + 2 * DAY
            suspect, t = self.charge(s, start, detain=detain, always=defended)
            if suspect is not None and suspect.role == "suspect" and as_of - t > 6 * DAY and rng.random() < 0.7:
                t = self.qualify(s, suspect, t)
            if suspect is not None and as_of - t > 3 * DAY and rng.random() < 0.15:
                t = self.search(s, t)
        if as_of - t > 5 * DAY and rng.random() < 0.08:
            people = [p for p in s.persons if p.role != "defender"]
            if people:
                s.petition(rng.choice(people), t + self.hours(2, 48), decide_after=self.hours(1, 60))
        self.keep_alive(s)
        if rng.random() < 0.3:
            self.pending(s)

    def extended_case(self, s: Story, t: int, *, defended: bool = False) -> None:
        """A pre-trial investigation running past its two months, on agreed extensions."""
        rng, as_of = self.rng, self.as_of
        if defended or rng.random() < 0.6:
            suspect, t = self.charge(s, t + self.days(1, 20), detain=False, always=defended)
            if suspect is not None and suspect.role == "suspect":
                t = self.qualify(s, suspect, t)
        self.cover_term(s, as_of + 3 * DAY)
        self.keep_alive(s)
        if rng.random() < 0.2:
            self.pending(s)

    def court_case(self, s: Story, t: int) -> None:
        """Charged, qualified and sent to court: an indictment (pre-trial) or a protocol of accusation."""
        rng, as_of, times = self.rng, self.as_of, self.times
        term_ends = s.term_ends or as_of
        pre_trial = s.form == "pre_trial_investigation"
        if pre_trial:
            limit = as_of - DAY if rng.random() < 0.3 else min(as_of, term_ends) - DAY  # or on extensions
            start = t + self.hours(1, 48)
            limit = max(limit, min(as_of - DAY, start + 9 * DAY))
        else:  # the short forms: the protocol, its review and a consent must fit in the term
            limit = min(as_of - DAY, term_ends - 3 * DAY)
            start = t + self.hours(1, 6)
        detain = rng.random() < 0.3 and s.form != "protocol_form"
        if detain:
            custody_limit = times.due("custody_extension_petition", start) - 2 * DAY
            if custody_limit - start < 20 * DAY:
                detain = False
            else:
                limit = min(limit, custody_limit)
        suspect, t = self.charge(
            s, start, detain=detain, always=True, may_refuse=pre_trial or term_ends - start > 15 * DAY
        )
        if suspect is None or suspect.role != "suspect":  # pragma: no cover - always=True keeps the suspect
            raise ValueError("no suspect")
        if pre_trial or limit - t > 8 * DAY:
            t = self.qualify(s, suspect, t)
        if rng.random() < 0.12 and limit - t > 4 * DAY:
            t = self.search(s, t)
        final = t + int((limit - t) * rng.uniform(0.1, 0.9)) if limit > t + 2 * DAY else t + self.hours(1, 3)
        summary = f'{{"articles": {s.articles_json}, "summary": "The evidence collected is set out"}}'
        if not pre_trial:
            drafted = max(final, s.last_act + 600)
            _, in_force = self.decide(s, "protocol_of_accusation", s.investigator, drafted, summary, suspect,
                                      may_refuse=term_ends - drafted >= 8 * DAY, review_hours=20)  # fmt: skip
            if not in_force:
                self.decide(s, "protocol_of_accusation", s.investigator, s.last_act + self.hours(8, 36), summary,
                            suspect, may_refuse=False, review_hours=20)  # fmt: skip
            return
        self.cover_term(s, final + 2 * DAY)
        if rng.random() < 0.05:
            drafted = max(s.last_act + 600, final - self.hours(3, 20))
            agreement = s.draft("procedural_agreement", s.prosecutor, drafted,
                                '{"kind": "plea", "terms": "Full admission of guilt"}', suspect)  # fmt: skip
            s.submit(agreement, drafted + self.hours(0.1, 1))
        indictment = s.draft("indictment", s.prosecutor, max(final, s.last_act + 600), summary, suspect)
        s.submit(indictment, indictment.drafted + self.hours(0.1, 1))
        if indictment.state == "awaiting_consent":
            s.consent(indictment, (indictment.submitted or final) + self.hours(2, 30))

    def closing_time(self, s: Story, t: int) -> int:
        """When to draft the decision that closes or pauses the case: inside the term, before as_of."""
        limit = min(self.as_of, s.term_ends or self.as_of) - 4 * DAY
        if limit <= t + H:
            return t + H
        return t + int((limit - t) * self.rng.uniform(0.2, 0.95))

    def terminated_case(self, s: Story, t: int) -> None:
        rng = self.rng
        suspect: Person | None = None
        if rng.random() < 0.5 and min(self.as_of, s.term_ends or self.as_of) - t > 12 * DAY:
            suspect, t = self.charge(s, t + self.hours(2, 72), detain=False)
        rehabilitating = suspect is None or rng.random() < 0.3
        ground = rng.choice(("no_event", "no_corpus_delicti", "not_involved") if rehabilitating
                            else ("reconciliation", "amnesty", "limitation_expired"))  # fmt: skip
        if suspect is None and ground == "not_involved":
            ground = "no_corpus_delicti"
        content: dict[str, object] = {"ground": ground, "grounds": "Established in the course of the investigation"}
        drafted = self.closing_time(s, t)
        room = min(self.as_of, s.term_ends or self.as_of) - drafted
        _, in_force = self.decide(s, "termination", s.investigator, drafted, content, may_refuse=room > 12 * DAY)
        if not in_force:
            self.decide(s, "termination", s.investigator, s.last_act + self.days(2, 6), content, may_refuse=False)

    def interrupted_case(self, s: Story, t: int, *, cycles: int | None = None) -> int:
        """Terms interrupted (CPC art. 45 p. 7), now and then resumed and interrupted again, at most three times."""
        rng, as_of = self.rng, self.as_of
        ground = "suspect_not_identified"
        if rng.random() < 0.2 and min(as_of, s.term_ends or as_of) - t > 12 * DAY:
            suspect, t = self.charge(s, t + self.hours(2, 72), detain=False)
            if suspect is not None:
                ground = "suspect_absconded"
        if cycles is None:
            cycles = 1 if rng.random() < 0.9 else rng.choice((2, 3))
        done = 0
        while True:
            drafted = self.closing_time(s, t)
            content: dict[str, object] = {"ground": ground, "grounds": "The offender has not been identified"}
            room = min(as_of, s.term_ends or as_of) - drafted
            _, in_force = self.decide(
                s,
                "interruption_of_terms",
                s.investigator,
                drafted,
                content,
                may_refuse=room > 12 * DAY,
                review_hours=30,
            )
            if not in_force:
                self.decide(
                    s, "interruption_of_terms", s.investigator, s.last_act + self.days(2, 6), content,
                    may_refuse=False, review_hours=30,
                )  # fmt: skip
            done += 1
            interrupted_at = s.interrupted_at or s.last_act
            remaining = next(
                (json.loads(e.data)["remaining_seconds"] for e in reversed(s.effects) if e.kind == "terms_interrupted"),
                None,
            )
            if done >= cycles or remaining is None:
                return done
            resumed = interrupted_at + self.days(20, 90)
            if resumed + int(remaining) * 0.6 + 20 * DAY > as_of:
                return done
            s.resume_terms(s.investigator[0], resumed, int(remaining))
            t = resumed

    def completed_case(self, s: Story, t: int) -> None:
        suspect, t = self.charge(s, t + self.hours(2, 72), detain=False, always=True)
        if suspect is not None and suspect.role == "suspect":
            t = self.qualify(s, suspect, t)
        final = self.closing_time(s, t)
        self.cover_term(s, final + 12 * DAY)
        content = '{"summary": "All investigative actions are complete"}'
        _, in_force = self.decide(s, "completion_report", s.investigator, max(final, s.last_act + H), content)
        if not in_force:
            self.decide(s, "completion_report", s.investigator, s.last_act + self.days(1, 3), content, may_refuse=False)

    # --- planted violations: each returns the key its rule's detector gives ---------------------------------

    def base(self, s: Story, registered: int) -> int:
        """An open pre-trial investigation registered at `registered`, nothing else wrong with it."""
        return self.start(s, registered, witness=False)

    def witness(self, s: Story, at: int) -> Person:
        return s.person("witness_with_right_to_defence", at)

    def inject_review_overdue(self, s: Story, registered: int) -> str:
        as_of = self.as_of
        t = self.base(s, as_of - self.days(6, 25))
        if self.rng.random() < 0.7:
            submitted = min(max(t + H, as_of - self.hours(26, 70)), as_of - 25 * H)
            witness = self.witness(s, submitted - self.hours(1, 3))
            decision = s.draft(
                "recognition_as_suspect", s.investigator, submitted - H // 2, self.recognition_content(s), witness
            )
            s.submit(decision, submitted)
            clock = "suspect_recognition_review"
        else:
            petitioned = min(max(t + 4 * H, as_of - self.hours(26, 60)), as_of - 25 * H)
            decision = s.draft("search_petition", s.investigator, petitioned - 3 * H,
                               {"place": "An office", "grounds": self.rng.choice(GROUNDS)})  # fmt: skip
            s.submit(decision, petitioned - 2 * H)
            s.agree(decision, petitioned - H)
            s.petition_court(decision, petitioned)
            clock = "sanction_decision"
        found = [c for c in s.clocks if c.decision == decision.id and c.clock == clock and c.status == "open"]
        planted(bool(found) and found[0].due < as_of, s, "review_overdue")
        return f"deadline:{found[0].id}"

    def inject_report_registration_late(self, s: Story, registered: int) -> str:
        self.lawful(s, registered, late_report=True)
        return f"case:{s.id}"

    def inject_detention_over_limit(self, s: Story, registered: int) -> str:
        as_of = self.as_of
        t = self.base(s, as_of - self.days(6, 20))
        detained = max(t + H, as_of - self.hours(52, 110))
        witness = self.witness(s, detained - self.hours(0.2, 1))
        decision = s.draft(
            "detention", s.investigator, detained + self.hours(0.2, 1), self.detention(detained), witness
        )
        s.submit(decision, decision.drafted + self.hours(0.05, 0.5))
        effect = s.running(witness, "person_detained")
        if effect is None or effect.ends is None or effect.ends >= as_of:
            raise PlantFailed(f"case {s.id}: the planted detention_over_limit does not hold")
        return f"detention:{decision.id}"

    def custody_start(self, months: int, target_day: int) -> int | None:
        """The local day on which custody of `months` months ends on `target_day`, if there is one."""
        for back in range(months * 31 + 3, months * 28 - 3, -1):
            day = target_day - back
            if self.times.add_months_local(day, months) == target_day:
                return day
        return None

    def detain_and_hold(self, s: Story, detained: int) -> Person:
        """Detained, recognised as suspect and taken into custody by the judge, all within 48 hours."""
        witness = self.witness(s, detained - self.hours(0.2, 1))
        drafted = detained + self.hours(0.2, 1)
        detention = s.draft("detention", s.investigator, drafted, self.detention(detained), witness)
        s.submit(detention, detention.drafted + self.hours(0.05, 0.5))
        self.decide(s, "recognition_as_suspect", s.investigator, s.last_act + self.hours(0.3, 2),
                    self.recognition_content(s), witness, may_refuse=False, review_hours=8)  # fmt: skip
        s.defender(s.last_act + self.hours(0.3, 3))
        grounds = f'{{"grounds": "{self.rng.choice(GROUNDS)}"}}'
        petition, _ = self.decide(s, "custody_petition", s.investigator, s.last_act + self.hours(0.3, 2), grounds,
                                  witness, may_refuse=False, review_hours=8)  # fmt: skip
        s.petition_court(petition, s.last_act + self.hours(0.2, 2))
        s.grant(petition, self.review_at(petition, s.last_act, 1, 10))
        return witness

    def extend_custody(self, s: Story, person: Person, total: int, *, deny: bool) -> Decision:
        """The prosecutor petitions in time to extend custody to `total` months; the judge grants or denies."""
        due = next(c.due for c in s.clocks if c.participant == person.id and c.clock == "custody_extension_petition"
                   and c.status == "open")  # fmt: skip
        drafted = max(s.last_act + H, due - self.days(3, 6))
        decision, _ = self.decide(s, "custody_extension_petition", s.investigator, drafted,
                                  {"total_months": total, "grounds": "The investigation needs more time"}, person,
                                  may_refuse=False, review_hours=8)  # fmt: skip
        s.petition_court(decision, s.last_act + self.hours(0.2, 2))
        ruled = self.review_at(decision, s.last_act, 1, 18)
        if deny:
            s.deny(decision, ruled)
        else:
            s.grant(decision, ruled)
        return decision

    def inject_custody_extension_not_petitioned(self, s: Story, registered: int) -> str:
        times, as_of = self.times, self.as_of
        target = times.local_day(as_of)
        for months in (2, 3, 4):
            day = self.custody_start(months, target)
            if day is not None:
                break
        else:  # pragma: no cover
            raise ValueError("no custody start day for as_of")
        start = times.local_midnight(day) + self.hours(6, 9)
        self.base(s, start)
        suspect = self.detain_and_hold(s, start + self.hours(0.5, 2))
        t = self.qualify(s, suspect, s.last_act)
        total = 2
        while total < months:
            total += 1
            self.cover_term(s, s.last_act + 40 * DAY)
            self.extend_custody(s, suspect, total, deny=False)
        self.cover_term(s, as_of + 3 * DAY)
        del t
        self.keep_alive(s)
        clock = next(c for c in s.clocks if c.clock == "custody_extension_petition" and c.status == "open")
        custody = s.running(suspect, "custody_in_force")
        running = custody is not None and custody.ends is not None and custody.ends > as_of
        planted(clock.due < as_of and running, s, "custody_extension_not_petitioned")
        return f"deadline:{clock.id}"

    def inject_custody_expired(self, s: Story, registered: int) -> str:
        times, as_of = self.times, self.as_of
        target = times.local_day(as_of) - self.rng.randrange(2, 20)
        day = self.custody_start(2, target)
        if day is None:
            day = self.custody_start(2, target - 2) or target - 61
        start = times.local_midnight(day) + self.hours(6, 9)
        self.base(s, start)
        suspect = self.detain_and_hold(s, start + self.hours(0.5, 2))
        self.qualify(s, suspect, s.last_act)
        self.cover_term(s, s.last_act + 45 * DAY)
        self.extend_custody(s, suspect, 3, deny=True)
        self.cover_term(s, as_of + 3 * DAY)
        self.keep_alive(s)
        custody = s.running(suspect, "custody_in_force")
        if custody is None or custody.ends is None or custody.ends >= as_of:
            raise PlantFailed(f"case {s.id}: the planted custody_expired does not hold")
        return f"effect:{custody.id}:{times.compact(custody.ends)}"

    def inject_investigation_term_expired(self, s: Story, registered: int) -> str:
        as_of = self.as_of
        self.base(s, as_of - self.days(66, 95))
        if s.term_ends is None or s.term_ends >= as_of - H:  # pragma: no cover
            raise ValueError("term not expired")
        self.keep_alive(s)
        return f"case:{s.id}:{self.times.compact(s.term_ends)}"

    def inject_effect_before_approval(self, s: Story, registered: int) -> str:
        as_of = self.as_of
        t = self.base(s, as_of - self.days(8, 25))
        witness = self.witness(s, t + self.hours(2, 48))
        recognition = s.draft("recognition_as_suspect", s.investigator, witness.added_at + self.hours(0.5, 3),
                              self.recognition_content(s), witness)  # fmt: skip
        s.submit(recognition, recognition.drafted + self.hours(0.1, 1))
        submitted = recognition.submitted or recognition.drafted
        qualification = s.draft("qualification", s.investigator, submitted + self.hours(0.5, 3),
                                self.recognition_content(s), witness)  # fmt: skip
        s.agree(recognition, qualification.drafted + self.hours(1, 6))
        s.defender(s.last_act + self.hours(0.2, 2))
        s.submit(qualification, s.last_act + self.hours(0.5, 3))
        s.agree(qualification, self.review_at(qualification, qualification.submitted or s.last_act, 1, 8))
        self.announce(s, qualification, s.last_act + self.hours(0.5, 10))
        self.keep_alive(s)
        return f"decision:{qualification.id}"

    def inject_in_force_without_approvals(self, s: Story, registered: int) -> str:
        as_of = self.as_of
        if self.rng.random() < 0.5:
            t = self.base(s, as_of - self.days(10, 25))
            suspect, t = self.charge(s, t + self.hours(2, 48), detain=False, always=True)
            if suspect is None:  # pragma: no cover - always=True keeps the suspect
                raise ValueError("no suspect")
            decision = s.draft("qualification", s.investigator, t + self.hours(1, 20),
                               self.recognition_content(s), suspect)  # fmt: skip
            s.submit(decision, decision.drafted + self.hours(0.1, 2))
            s.agree(decision, self.review_at(decision, decision.submitted or t, 1, 8), record=False)
            if decision.state == "awaiting_consent":
                s.consent(decision, s.last_act + self.hours(2, 20))
            self.announce(s, decision, s.last_act + self.hours(0.5, 10))
            self.keep_alive(s)
        else:
            t = self.base(s, as_of - self.days(10, 50))
            decision = s.draft("termination", s.investigator, t + self.days(1, 5),
                               {"ground": "no_event", "grounds": "No event of an offence"})  # fmt: skip
            s.submit(decision, decision.drafted + self.hours(0.1, 2))
            s.agree(decision, self.review_at(decision, decision.submitted or t, 2, 40), record=False)
        planted(decision.state == "in_force", s, "in_force_without_approvals")
        return f"decision:{decision.id}"

    def inject_qualification_not_announced(self, s: Story, registered: int) -> str:
        as_of = self.as_of
        t = self.base(s, as_of - self.days(9, 25))
        suspect, t = self.charge(s, t + self.hours(2, 24), detain=False, always=True)
        if suspect is None:  # pragma: no cover - always=True keeps the suspect
            raise ValueError("no suspect")
        in_force = max(t + 3 * H, as_of - self.hours(30, 120))
        decision = s.draft("qualification", s.investigator, in_force - 3 * H,
                           self.recognition_content(s), suspect)  # fmt: skip
        s.submit(decision, in_force - 2 * H)
        s.agree(decision, in_force)
        if decision.state == "awaiting_consent":
            s.consent(decision, in_force + H)
        clock = next(c for c in s.clocks if c.decision == decision.id and c.clock == "qualification_announcement")
        planted(clock.due < as_of, s, "qualification_not_announced")
        return f"deadline:{clock.id}"

    def inject_petition_not_decided(self, s: Story, registered: int) -> str:
        as_of = self.as_of
        t = self.base(s, as_of - self.days(12, 40))
        people = [p for p in s.persons if p.role == "victim"] or [s.person("victim", t + H)]
        filed = max(s.last_act + H, as_of - self.days(6, 15))
        petition = s.petition(people[0], filed, decide_after=None)
        planted(petition.due < as_of, s, "petition_not_decided")
        self.keep_alive(s)
        return f"petition:{petition.id}"

    def inject_repeated_interruptions(self, s: Story, registered: int) -> str:
        t = self.base(s, self.as_of - self.days(480, 700))
        self.interrupted_case_fixed(s, t, 4)
        return f"case:{s.id}"

    def interrupted_case_fixed(self, s: Story, t: int, cycles: int) -> None:
        """`cycles` interruptions, each agreed in time and followed (but the last) by a resumption."""
        for cycle in range(cycles):
            if s.term_ends is None:  # pragma: no cover
                raise ValueError("no term")
            remaining_room = s.term_ends - t
            drafted = t + int(remaining_room * self.rng.uniform(0.05, 0.25))
            content: dict[str, object] = {"ground": "suspect_not_identified", "grounds": "The offender is unknown"}
            self.decide(s, "interruption_of_terms", s.investigator, drafted, content, may_refuse=False, review_hours=30)
            if cycle == cycles - 1:
                return
            remaining = int(json.loads(s.effects[-1].data)["remaining_seconds"])
            resumed = (s.interrupted_at or s.last_act) + self.days(30, 90)
            s.resume_terms(s.investigator[0], resumed, remaining)
            t = resumed

    def inject_case_idle(self, s: Story, registered: int) -> str:
        as_of = self.as_of
        self.base(s, as_of - self.days(37, 50))
        monitor = self.times.book(as_of).monitor
        assert monitor is not None  # noqa: S101 - every rulebook version carries the monitor's thresholds
        idle_limit = as_of - monitor.idle_days.value * DAY
        planted(s.last_act < idle_limit and s.term_ends is not None and s.term_ends > as_of, s, "case_idle")
        return f"case:{s.id}:{self.times.compact(s.last_act)}"

    def inject_backdated_decision(self, s: Story, registered: int) -> str:
        as_of = self.as_of
        t = self.base(s, as_of - self.days(8, 25))
        witness = self.witness(s, t + self.hours(2, 48))
        drafted = witness.added_at + self.hours(0.5, 3)
        decision = s.draft("recognition_as_suspect", s.investigator, drafted, self.recognition_content(s), witness,
                           stated=drafted - self.days(2.5, 7))  # fmt: skip
        s.submit(decision, drafted + self.hours(0.1, 2))
        s.agree(decision, self.review_at(decision, decision.submitted or drafted, 1, 20))
        if decision.state == "awaiting_consent":
            s.consent(decision, s.last_act + self.hours(2, 20))
        s.defender(s.last_act + self.hours(0.3, 3))
        self.keep_alive(s)
        return f"decision:{decision.id}"

    def inject_review_out_of_jurisdiction(self, s: Story, registered: int) -> str:
        as_of, world = self.as_of, self.world
        t = self.base(s, as_of - self.days(8, 25))
        witness = self.witness(s, t + self.hours(2, 48))
        decision = s.draft("recognition_as_suspect", s.investigator, witness.added_at + self.hours(0.5, 3),
                           self.recognition_content(s), witness)  # fmt: skip
        s.submit(decision, decision.drafted + self.hours(0.1, 2))
        supervising = s.unit.office.path
        others = [o for o in world.district_offices[s.unit.region_index] if not supervising.startswith(o.path)]
        office = self.rng.choice(others)
        outsider: Actor = (self.rng.choice(office.prosecutors), "prosecutor", office.id)
        event = s.agree(decision, self.review_at(decision, decision.submitted or t, 1, 20), outsider)
        if decision.state == "awaiting_consent":
            s.consent(decision, s.last_act + self.hours(2, 20))
        s.defender(s.last_act + self.hours(0.3, 3))
        self.keep_alive(s)
        return f"event:{event}"


# --- loading ----------------------------------------------------------------------------------------------


class RegisterNotEmpty(Exception):
    """The database already holds cases or organisations; the generator fills an empty register only."""


class Loader:
    """COPY into the tables from a thread of its own, so PostgreSQL loads one chunk while the next is made.

    Before the load it takes the foreign keys and non-unique indexes off the register's tables (inside
    the transaction); `rebuild` puts them back from the definitions it read, which makes PostgreSQL
    check every foreign key of every row.
    """

    def __init__(self) -> None:
        self.chunks: queue.Queue[dict[str, str] | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread: threading.Thread | None = None
        self.indexes: list[str] = []
        self.foreign_keys: list[tuple[str, str, str]] = []
        self.copy_seconds = 0.0
        self.per_table: dict[str, float] = {}

    def take_off(self, cursor: Any) -> None:
        tables = list(REGISTER_TABLES)
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[]) ORDER BY 1, 2
            """,
            [tables],
        )
        self.foreign_keys = [(table, name, definition) for table, name, definition in cursor.fetchall()]
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisunique AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            ORDER BY 1
            """,
            [tables],
        )
        found = cursor.fetchall()
        self.indexes = [definition for _, definition in found]
        for table, name, _ in self.foreign_keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in found:
            cursor.execute(f"DROP INDEX {name}")
        # COPY FREEZE writes rows already frozen and visible (no hint bits to set, no vacuum to wait for) into a
        # table truncated in the same transaction. The tables are empty; so must be those that refer to them.
        cursor.execute(
            "SELECT DISTINCT conrelid::regclass::text FROM pg_constraint WHERE contype = 'f' "
            "AND confrelid = ANY(%s::regclass[]) ORDER BY 1",
            [tables],
        )
        referring = [table for (table,) in cursor.fetchall() if table not in tables]
        for table in (*tables, *referring):
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")
            if cursor.fetchone()[0]:
                raise RegisterNotEmpty(f"{table} is not empty; generate fills an empty register")
        cursor.execute(f"TRUNCATE {', '.join((*tables, *referring))}")

    def rebuild(self, cursor: Any, report: Callable[[str], None]) -> dict[str, float]:
        started = time.monotonic()
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        for definition in self.indexes:
            cursor.execute(definition)
        indexed = time.monotonic()
        report(f"indexes rebuilt in {indexed - started:.1f} s; checking foreign keys")
        for table, name, definition in self.foreign_keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        checked = time.monotonic()
        return {"indexes": indexed - started, "foreign_keys": checked - indexed}

    def start(self, raw_connection: Any) -> None:
        def run() -> None:
            try:
                with raw_connection.cursor() as cursor:
                    while True:
                        chunk = self.chunks.get()
                        if chunk is None:
                            return
                        started = time.monotonic()
                        for table in TABLES:
                            text = chunk.get(table)
                            if text:
                                columns = ", ".join(COLUMNS[table])
                                began = time.monotonic()
                                freeze = " WITH (FREEZE)" if table in REGISTER_TABLES else ""
                                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN{freeze}") as copy:
                                    copy.write(text)
                                self.per_table[table] = self.per_table.get(table, 0.0) + time.monotonic() - began
                        self.copy_seconds += time.monotonic() - started
            except BaseException as error:  # handed to the main thread, which raises it
                self.error = error
                while self.chunks.get() is not None:  # drain so the producer never blocks
                    pass

        self.thread = threading.Thread(target=run, name="synthetic-copy", daemon=True)
        self.thread.start()

    def put(self, chunk: dict[str, str]) -> None:
        if self.error is not None:
            raise self.error
        self.chunks.put(chunk)

    def finish(self) -> None:
        self.chunks.put(None)
        if self.thread is not None:
            self.thread.join()
        if self.error is not None:
            raise self.error


@dataclass
class Summary:
    dataset_id: int
    cases: int
    seed: int
    as_of: dt.datetime
    seconds: float
    injected: dict[str, int]
    rows: dict[str, int]
    phases: dict[str, float]


def _first_ids(cursor: Any) -> dict[str, int]:
    ids: dict[str, int] = {}
    for table in TABLES:
        cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")
        ids[table] = int(cursor.fetchone()[0])
    return ids


def check_empty() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT count(*) FROM register_case), (SELECT count(*) FROM accounts_organisation)")
        cases, organisations = cursor.fetchone()
    if cases or organisations:
        raise RegisterNotEmpty(
            f"the database already holds {cases} cases and {organisations} organisations; "
            "generate fills an empty register: create a fresh database and migrate it first"
        )


class Progress:
    """A one-line progress report on a stream (stderr by the command), or nothing."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream, self.began = stream, time.monotonic()

    def elapsed(self) -> float:
        return time.monotonic() - self.began

    def line(self, message: str, *, done: bool = True) -> None:
        if self.stream is not None:
            self.stream.write(f"\r[generate] {message}\x1b[K" + ("\n" if done else ""))
            self.stream.flush()


def _prepare(loader: Loader) -> tuple[dict[str, int], dict[str, int]]:
    """Lock and check the tables, take the register's keys and indexes off; the first ids and the regions."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("LOCK TABLE " + ", ".join(WORLD_TABLES + REGISTER_TABLES) + " IN SHARE ROW EXCLUSIVE MODE")
        check_empty()
        first_ids = _first_ids(cursor)
        cursor.execute("SELECT code, id FROM accounts_region")
        regions = dict(cursor.fetchall())
        loader.take_off(cursor)
    return first_ids, regions


def _write_cases(generator: Generator, rows: Rows, loader: Loader, chunk: int, progress: Progress) -> float:
    """Tell every case's story, a chunk at a time, while the loader copies the previous chunk; the seconds spent."""
    cases, made = generator.cases, 0.0
    for first in range(0, cases, chunk):
        started = time.monotonic()
        for index in range(first, min(cases, first + chunk)):
            generator.case(index)
        taken = rows.take()
        made += time.monotonic() - started
        loader.put(taken)
        done = min(cases, first + chunk)
        progress.line(f"{done:,}/{cases:,} cases ({done * 100 // cases}%), {progress.elapsed():.0f} s", done=False)
    generator.finish()
    loader.put(rows.take())
    return made


def _record_dataset(cursor: Any, rows: Rows, generator: Generator, seed: int, generated_at: dt.datetime) -> int:
    """The dataset's row and its planted violations, written after the register they describe."""
    dataset_id = rows.new_id("monitoring_syntheticdataset")
    as_of = generator.times.text(generator.as_of)
    rows.add("monitoring_syntheticdataset", f"{dataset_id}\t{seed}\t{generator.cases}\t{as_of}\t{generated_at}\t0\n")
    for rule, key in generator.injected:
        rows.add(
            "monitoring_injectedviolation",
            f"{rows.new_id('monitoring_injectedviolation')}\t{dataset_id}\t{rule}\t{key}\n",
        )
    for table, text in rows.take().items():
        with cursor.cursor.copy(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN") as copy:
            copy.write(text)
    return dataset_id


def _settle(cursor: Any) -> float:
    """Sequences past the ids we gave, fresh planner statistics; returns the seconds ANALYZE took."""
    for table in TABLES:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table} HAVING max(id) > 0"
        )
    started = time.monotonic()
    for table in TABLES:
        cursor.execute(f"ANALYZE {table}")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return time.monotonic() - started


def generate(
    *,
    cases: int,
    seed: int,
    as_of: dt.datetime = DEFAULT_AS_OF,
    chunk: int = CHUNK,
    progress: TextIO | None = None,
) -> Summary:
    """Fill the empty register with `cases` cases from `seed`, judged as of `as_of`; see the module's docstring."""
    if cases < MIN_CASES:
        raise ValueError(f"generate at least {MIN_CASES} cases")
    if as_of.tzinfo is None:
        raise ValueError("as_of must be an aware datetime")
    report = Progress(progress)
    generated_at = timezone.now()
    with transaction.atomic():
        check_empty()
        connection.ensure_connection()
        loader = Loader()
        first_ids, regions = _prepare(loader)
        rng = random.Random(seed)
        times = Times(as_of)
        rows = Rows(first_ids)
        world = WorldBuilder(rows, times, rng, cases, regions).build()
        generator = Generator(cases=cases, rows=rows, times=times, world=world, rng=rng)
        generator.plan()
        loader.start(connection.connection)
        loader.put(rows.take())
        made = _write_cases(generator, rows, loader, chunk, report)
        loader.finish()
        loaded = report.elapsed()
        report.line(f"{cases:,} cases written in {loaded:.1f} s; rebuilding indexes")
        with connection.cursor() as cursor:
            phases = loader.rebuild(cursor, report.line)
            dataset_id = _record_dataset(cursor, rows, generator, seed, generated_at)
            phases["analyze"] = _settle(cursor)
            seconds = report.elapsed()
            cursor.execute("UPDATE monitoring_syntheticdataset SET seconds = %s WHERE id = %s", [seconds, dataset_id])
    phases.update({"make": made, "copy": loader.copy_seconds, "load": loaded})
    phases.update({f"copy:{table}": value for table, value in loader.per_table.items()})
    injected: dict[str, int] = {}
    for rule, _ in generator.injected:
        injected[rule] = injected.get(rule, 0) + 1
    report.line(f"done in {seconds:.1f} s: {len(generator.injected)} planted violations")
    return Summary(dataset_id, cases, seed, as_of, seconds, injected, dict(rows.counts), phases)


def digest(tables: Sequence[str] = WORLD_TABLES + REGISTER_TABLES) -> str:
    """A fingerprint of the generated rows (all but the dataset's wall-clock fields), to compare two runs."""
    hasher = hashlib.sha256()
    with connection.cursor() as cursor:
        for table in (*tables, "monitoring_injectedviolation"):
            columns = ", ".join(column for column in COLUMNS[table] if column != "dataset_id")
            cursor.execute(f"SELECT md5(string_agg(({columns})::text, '|' ORDER BY id)) FROM {table}")
            hasher.update(f"{table}:{cursor.fetchone()[0]}".encode())
    return hasher.hexdigest()

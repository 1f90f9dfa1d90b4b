"""Kazakhstan's rulebook: the Criminal Procedure Code of 4 July 2014 No. 231-V as the system applies it.

Every value carries its article. Values the research could not confirm from the article text are
marked `confirmed=False` with the source they rest on; the API shows that flag, and
docs/rulebook.md lists them for the legal team. Three versions:

- kz-2021: stage one of the three-tier model (prosecutor's agreement on key decisions), 1 Jan 2021;
- kz-2022: Law of 27 Dec 2021 No. 88-VII (report on completion, the prosecutor drafts the
  indictment, interruption for force majeure and pending expert examination);
- kz-2026-07: Law No. 331-VIII (the prosecutor "draws up or approves" the indictment).
"""

from __future__ import annotations

import datetime as dt

from oversight.law import violations
from oversight.law.calendar import KAZAKHSTAN
from oversight.law.roles import INVESTIGATIVE_ROLES, OfficeLevel, Role
from oversight.law.rulebook import (
    CO_ACCUSED_FIELD,
    OPEN_CASE,
    ApprovalKind,
    ApprovalRule,
    Choice,
    Condition,
    DecisionType,
    Effect,
    FieldKind,
    FieldSpec,
    LevelStep,
    Rulebook,
    SubjectRule,
    Text,
)
from oversight.law.terms import Source, Term, Unit


def unconfirmed(article: str, note: str) -> Source:
    return Source(article=article, note=note, confirmed=False)


ONE_TWO_THREE_TEN = "continent-online doc 39865073: 1, 3 or 10 days by type; which type gets which is unconfirmed"
# DOMAIN.md marks this exception to art. 49's rule "to be confirmed" (the list of terms it covers).
ENDS_ON_ITS_DAY = unconfirmed(
    "CPC art. 49",
    "terms of detention, custody and house arrest end on their last day even when it is not a working day",
)

# --- clocks -------------------------------------------------------------------------------------

CLOCKS: dict[str, Term] = {
    "report_registration": Term(
        24,
        Unit.HOURS,
        Source(
            "CPC art. 180; GPO Order No. 89 of 19 Sep 2014",
            "register or route a report within 24 h",
        ),
    ),
    "suspect_recognition_review": Term(
        24,
        Unit.HOURS,
        Source("CPC art. 202", "agreement immediately, at most 24 h, around the clock"),
    ),
    "qualification_review": Term(1, Unit.WORKING_DAYS, unconfirmed("CPC arts. 203-204, 207", ONE_TWO_THREE_TEN)),
    "interruption_review": Term(3, Unit.WORKING_DAYS, unconfirmed("CPC art. 45 p. 7", ONE_TWO_THREE_TEN)),
    "extension_review": Term(3, Unit.WORKING_DAYS, unconfirmed("CPC art. 192", ONE_TWO_THREE_TEN)),
    "termination_review": Term(10, Unit.WORKING_DAYS, unconfirmed("CPC art. 288", ONE_TWO_THREE_TEN)),
    "completion_review": Term(10, Unit.WORKING_DAYS, unconfirmed("CPC art. 7 p. 40-1", ONE_TWO_THREE_TEN)),
    "accusation_protocol_review": Term(3, Unit.WORKING_DAYS, unconfirmed("CPC art. 192-2", ONE_TWO_THREE_TEN)),
    "indictment_review": Term(10, Unit.WORKING_DAYS, unconfirmed("CPC art. 65 (Law No. 331-VIII)", ONE_TWO_THREE_TEN)),
    "measure_petition_review": Term(
        12,
        Unit.HOURS,
        unconfirmed(
            "CPC arts. 147-148",
            "the petition must reach the judge within the detention term; 12 h assumed",
        ),
    ),
    "investigative_petition_review": Term(1, Unit.WORKING_DAYS, unconfirmed("CPC art. 55", ONE_TWO_THREE_TEN)),
    "special_subject_consent": Term(
        2,
        Unit.DAYS,
        Source("CPC arts. 547, 550, 551", "consent within 2 days of notification"),
    ),
    "sanction_decision": Term(
        24,
        Unit.HOURS,
        unconfirmed("CPC arts. 55-56", "the judge's term to rule on a petition; 24 h assumed"),
    ),
    "detention": Term(
        48,
        Unit.HOURS,
        Source(
            "CPC art. 131; Constitution art. 16",
            "48 h, exceptionally 72 h (Deputy PG Umiraliev, Jan 2026)",
        ),
        exceptional_amount=72,
    ),
    "custody": Term(
        2,
        Unit.MONTHS,
        Source("CPC art. 151", "2 months during pre-trial investigation"),
        moves_off_non_working_days=False,
        calendar_source=ENDS_ON_ITS_DAY,
    ),
    "custody_extension_petition": Term(
        -1,
        Unit.DAYS,
        Source("CPC art. 151", "the prosecutor files at least one day before custody expires"),
        relative_to="custody",
    ),
    "house_arrest": Term(
        2,
        Unit.MONTHS,
        unconfirmed("CPC art. 146", "terms of house arrest follow those of custody"),
        moves_off_non_working_days=False,
        calendar_source=ENDS_ON_ITS_DAY,
    ),
    "petition_decision": Term(3, Unit.DAYS, Source("CPC art. 99", "decided at once or within 3 days")),
    "qualification_announcement": Term(24, Unit.HOURS, Source("CPC art. 206", "announced within 24 h")),
    "complaint_to_prosecutor": Term(3, Unit.DAYS, unconfirmed("CPC art. 105", "commonly cited as 3 days")),
    "investigation_term.pre_trial_investigation": Term(
        2,
        Unit.MONTHS,
        unconfirmed("CPC art. 192 p. 1", "commonly cited as 2 months"),
    ),
    "investigation_term.inquiry": Term(1, Unit.MONTHS, unconfirmed("CPC art. 191", "commonly cited as 1 month")),
    "investigation_term.expedited": Term(15, Unit.DAYS, unconfirmed("CPC art. 190", "commonly cited as 15 days")),
    "investigation_term.protocol_form": Term(10, Unit.DAYS, unconfirmed("CPC art. 526", "commonly cited as 10 days")),
}

CLOCK_TITLES: dict[str, Text] = {
    "report_registration": Text("Registration of the report", "Регистрация сообщения", "Хабарламаны тіркеу"),
    "suspect_recognition_review": Text(
        "Prosecutor's review of the recognition as suspect",
        "Согласование признания подозреваемым",
        "Күдікті деп тануды келісу",
    ),
    "qualification_review": Text(
        "Prosecutor's review of the qualification", "Согласование квалификации", "Саралауды келісу"
    ),
    "interruption_review": Text(
        "Prosecutor's review of the interruption", "Согласование прерывания сроков", "Мерзімдерді үзуді келісу"
    ),
    "extension_review": Text(
        "Prosecutor's review of the extension", "Согласование продления срока", "Мерзімді ұзартуды келісу"
    ),
    "termination_review": Text(
        "Prosecutor's review of the termination", "Согласование прекращения", "Тоқтатуды келісу"
    ),
    "completion_review": Text(
        "Prosecutor's review of the completion report",
        "Согласование отчёта о завершении",
        "Аяқтау туралы есепті келісу",
    ),
    "accusation_protocol_review": Text(
        "Prosecutor's approval of the protocol of accusation",
        "Утверждение протокола обвинения",
        "Айыптау хаттамасын бекіту",
    ),
    "indictment_review": Text(
        "Prosecutor's approval of the indictment", "Утверждение обвинительного акта", "Айыптау актісін бекіту"
    ),
    "measure_petition_review": Text(
        "Prosecutor's review of the petition for a measure",
        "Согласование ходатайства о мере пресечения",
        "Бұлтартпау шарасы туралы өтінішхатты келісу",
    ),
    "investigative_petition_review": Text(
        "Prosecutor's review of the petition", "Согласование ходатайства", "Өтінішхатты келісу"
    ),
    "special_subject_consent": Text(
        "Consent of the General Prosecutor", "Согласие Генерального Прокурора", "Бас Прокурордың келісімі"
    ),
    "sanction_decision": Text(
        "Investigating judge's ruling", "Решение следственного судьи", "Тергеу судьясының шешімі"
    ),
    "detention": Text("Detention", "Задержание", "Ұстап алу"),
    "custody": Text("Custody", "Содержание под стражей", "Күзетпен ұстау"),
    "custody_extension_petition": Text(
        "Petition to extend custody due",
        "Срок ходатайства о продлении стражи",
        "Күзетпен ұстауды ұзарту туралы өтінішхат мерзімі",
    ),
    "house_arrest": Text("House arrest", "Домашний арест", "Үйде қамау"),
    "petition_decision": Text(
        "Decision on a participant's petition", "Разрешение ходатайства участника", "Қатысушының өтінішхатын шешу"
    ),
    "qualification_announcement": Text(
        "Announcement of the qualification to the suspect",
        "Объявление квалификации подозреваемому",
        "Саралауды күдіктіге жариялау",
    ),
    "complaint_to_prosecutor": Text("Complaint to the prosecutor", "Жалоба прокурору", "Прокурорға шағым"),
    "investigation_term.pre_trial_investigation": Text(
        "Term of the pre-trial investigation", "Срок досудебного расследования", "Сотқа дейінгі тергеп-тексеру мерзімі"
    ),
    "investigation_term.inquiry": Text("Term of the inquiry", "Срок дознания", "Анықтау мерзімі"),
    "investigation_term.expedited": Text(
        "Term of the expedited investigation",
        "Срок ускоренного досудебного расследования",
        "Жеделдетілген тергеп-тексеру мерзімі",
    ),
    "investigation_term.protocol_form": Text(
        "Term of the protocol form", "Срок протокольной формы", "Хаттамалық нысан мерзімі"
    ),
}

INVESTIGATION_TERMS = {
    "pre_trial_investigation": "investigation_term.pre_trial_investigation",
    "inquiry": "investigation_term.inquiry",
    "expedited": "investigation_term.expedited",
    "protocol_form": "investigation_term.protocol_form",
}

# --- approvals ----------------------------------------------------------------------------------

AGREEMENT = ApprovalRule(
    ApprovalKind.PROSECUTOR_AGREEMENT,
    Source("CPC art. 193; three-tier model", "no legal force without the prosecutor's agreement"),
)
SPECIAL_CONSENT = ApprovalRule(
    ApprovalKind.SPECIAL_SUBJECT_CONSENT,
    Source("CPC arts. 547, 550, 551", "consent of the General Prosecutor or the First Deputy"),
    when=Condition.SUBJECT_IS_SPECIAL,
)
SANCTION = ApprovalRule(
    ApprovalKind.JUDICIAL_SANCTION,
    Source("CPC arts. 55, 56", "sanctioned by the investigating judge"),
)

# --- fields -------------------------------------------------------------------------------------

ARTICLES = FieldSpec(
    "articles",
    FieldKind.ARTICLES,
    Text("Criminal Code articles", "Статьи Уголовного кодекса", "Қылмыстық кодекс баптары"),
)
# The decision's reasoning in free text; "ground" (a choice) is the legal ground the law lists.
GROUNDS = FieldSpec("grounds", FieldKind.TEXT, Text("Reasoning", "Обоснование", "Негіздеме"))
# The indictment names every accused of the case it sends to court: "the accused (the accused
# persons)", all those against whom the case has gathered evidence (CPC arts. 298-299, 301 item 6;
# the article text is to be checked). The person concerned is the first; the others are named here.
CO_ACCUSED = FieldSpec(
    CO_ACCUSED_FIELD,
    FieldKind.PARTICIPANTS,
    Text("Other accused", "Другие обвиняемые", "Басқа айыпталушылар"),
    required=False,
    maximum=50,
)
SUMMARY = FieldSpec(
    "summary",
    FieldKind.TEXT,
    Text("Summary of the evidence", "Изложение доказательств", "Дәлелдемелер баяндамасы"),
)


def choice(code: str, en: str, ru: str, kk: str, source: Source, **data: object) -> Choice:
    return Choice(code, Text(en, ru, kk), source, data)


def item(number: str, confirmed: bool = False) -> Source:
    article = f"CPC art. 45 p. 7 item {number}"
    if confirmed:
        return Source(article, "added by Law of 27 Dec 2021 No. 88-VII")
    return unconfirmed(article, "wording and numbering paraphrased")


INTERRUPTION_GROUNDS_2021 = (
    choice(
        "suspect_not_identified",
        "The person to be prosecuted as suspect is not identified",
        "Лицо, подлежащее привлечению в качестве подозреваемого, не установлено",
        "Күдікті ретінде тартылуға тиіс адам анықталмаған",
        item("1"),
    ),
    choice(
        "suspect_absconded",
        "The suspect has absconded or their whereabouts are unknown",
        "Подозреваемый скрылся либо место его нахождения не установлено",
        "Күдікті жасырынған не оның тұрған жері анықталмаған",
        item("2"),
    ),
    choice(
        "suspect_abroad",
        "The suspect is abroad and cannot take part",
        "Подозреваемый находится за пределами Республики Казахстан",
        "Күдікті Қазақстан Республикасының шегінен тыс жерде",
        item("3"),
    ),
    choice(
        "suspect_seriously_ill",
        "The suspect's serious illness prevents participation",
        "Тяжёлое заболевание подозреваемого препятствует его участию",
        "Күдіктінің ауыр науқасы оның қатысуына кедергі келтіреді",
        item("4"),
    ),
    choice(
        "legal_assistance_abroad",
        "A request for legal assistance has been sent abroad",
        "Направлен запрос о правовой помощи в иностранное государство",
        "Шет мемлекетке құқықтық көмек туралы сұрау жіберілді",
        item("5"),
    ),
)
INTERRUPTION_GROUNDS_2022 = (
    *INTERRUPTION_GROUNDS_2021,
    choice("force_majeure", "Force majeure", "Непреодолимая сила", "Еңсерілмейтін күш", item("8", True)),
    choice(
        "expert_examination_pending",
        "An expert examination is pending",
        "Производство экспертизы",
        "Сараптама жүргізілуде",
        item("9", True),
    ),
)


def termination_ground(code: str, en: str, ru: str, kk: str, rehabilitating: bool) -> Choice:
    source = unconfirmed("CPC arts. 35, 36, 288", "grounds paraphrased; item numbers to be confirmed")
    return choice(code, en, ru, kk, source, rehabilitating=rehabilitating)


TERMINATION_GROUNDS = (
    termination_ground(
        "no_event",
        "No event of a criminal offence",
        "Отсутствие события уголовного правонарушения",
        "Қылмыстық құқық бұзушылық оқиғасының болмауы",
        True,
    ),
    termination_ground(
        "no_corpus_delicti",
        "No elements of a criminal offence in the act",
        "Отсутствие в деянии состава уголовного правонарушения",
        "Әрекетте қылмыстық құқық бұзушылық құрамының болмауы",
        True,
    ),
    termination_ground(
        "not_involved",
        "The suspect was not involved in the offence",
        "Непричастность подозреваемого к совершению уголовного правонарушения",
        "Күдіктінің қылмыстық құқық бұзушылық жасауға қатысының болмауы",
        True,
    ),
    termination_ground("amnesty", "Amnesty", "Амнистия", "Рақымшылық", False),
    termination_ground(
        "limitation_expired",
        "The limitation period has expired",
        "Истечение сроков давности",
        "Ескіру мерзімдерінің өтуі",
        False,
    ),
    termination_ground(
        "reconciliation",
        "Reconciliation with the victim",
        "Примирение с потерпевшим",
        "Жәбірленушімен татуласу",
        False,
    ),
    termination_ground(
        "death_of_suspect",
        "Death of the suspect",
        "Смерть подозреваемого",
        "Күдіктінің қайтыс болуы",
        False,
    ),
)

AGREEMENT_KINDS = (
    choice(
        "plea",
        "Plea agreement",
        "Соглашение о признании вины",
        "Кінәні мойындау туралы келісім",
        Source("CPC art. 612"),
    ),
    choice(
        "cooperation",
        "Cooperation agreement",
        "Соглашение о сотрудничестве",
        "Ынтымақтастық туралы келісім",
        Source("CPC art. 612"),
    ),
)

EXTENSION_LADDER = (
    LevelStep(
        6,
        OfficeLevel.DISTRICT,
        unconfirmed("CPC art. 192", "extension ladder by level: to be confirmed"),
    ),
    LevelStep(
        12,
        OfficeLevel.REGIONAL,
        unconfirmed("CPC art. 192", "extension ladder by level: to be confirmed"),
    ),
    LevelStep(
        10_000,
        OfficeLevel.GENERAL,
        unconfirmed("CPC art. 192", "extension ladder by level: to be confirmed"),
    ),
)
CUSTODY_LADDER = (
    LevelStep(6, OfficeLevel.DISTRICT, unconfirmed("CPC art. 151", "step agreed by district prosecutor")),
    LevelStep(
        9,
        OfficeLevel.REGIONAL,
        unconfirmed("CPC art. 151", "9 months confirmed; that a regional prosecutor petitions for it is not"),
    ),
    LevelStep(18, OfficeLevel.GENERAL, unconfirmed("CPC art. 151", "12 and 18 month limits not confirmed")),
)

TOTAL_MONTHS = FieldSpec(
    "total_months",
    FieldKind.INTEGER,
    Text(
        "Total term after extension, months",
        "Общий срок после продления, месяцев",
        "Ұзартудан кейінгі жалпы мерзім, ай",
    ),
    minimum=2,
    maximum=60,
)
CUSTODY_TOTAL_MONTHS = FieldSpec(
    "total_months",
    FieldKind.INTEGER,
    Text(
        "Total custody after extension, months",
        "Общий срок содержания под стражей, месяцев",
        "Күзетпен ұстаудың жалпы мерзімі, ай",
    ),
    minimum=3,
    maximum=18,
)

SUSPECTS = frozenset({"suspect", "accused"})
# A measure of restraint outlives the investigation's own acts: after the report on completion the
# suspect may still be held, and custody runs out while the file is read and the indictment drawn up,
# so measures may be chosen, changed and extended in a completed case too (CPC arts. 147-152: the
# extension counts the time the accused and counsel read the file, CPC art. 151 [check]). Searches,
# seizures and covert actions are acts of the investigation and end with it.
MEASURE_STATUSES = OPEN_CASE | {"completed"}
PERSONS_UNDER_SUSPICION = frozenset({"witness", "witness_with_right_to_defence"})

# --- decision types -----------------------------------------------------------------------------


def _decision_types(*, stage_two: bool, indictment_by_investigator: bool) -> dict[str, DecisionType]:
    investigators = INVESTIGATIVE_ROLES
    types = [
        DecisionType(
            "recognition_as_suspect",
            Text("Recognition as suspect", "Признание лица подозреваемым", "Адамды күдікті деп тану"),
            Source("CPC art. 202"),
            investigators,
            (AGREEMENT, SPECIAL_CONSENT),
            (Effect.PERSON_BECOMES_SUSPECT,),
            "suspect_recognition_review",
            subject_roles=PERSONS_UNDER_SUSPICION,
            fields=(ARTICLES, GROUNDS),
        ),
        DecisionType(
            "qualification",
            Text(
                "Qualification of the suspect's act",
                "Квалификация деяния подозреваемого",
                "Күдіктінің әрекетін саралау",
            ),
            Source("CPC arts. 203-204"),
            investigators,
            (AGREEMENT, SPECIAL_CONSENT),
            (Effect.QUALIFICATION_SET,),
            "qualification_review",
            subject_roles=frozenset({"suspect"}),
            fields=(ARTICLES, GROUNDS),
        ),
        DecisionType(
            "qualification_change",
            Text(
                "Change or addition of qualification",
                "Изменение или дополнение квалификации",
                "Саралауды өзгерту немесе толықтыру",
            ),
            Source("CPC art. 207"),
            investigators,
            (AGREEMENT, SPECIAL_CONSENT),
            (Effect.QUALIFICATION_SET,),
            "qualification_review",
            subject_roles=frozenset({"suspect"}),
            fields=(ARTICLES, GROUNDS),
        ),
        DecisionType(
            "interruption_of_terms",
            Text(
                "Interruption of the terms of investigation",
                "Прерывание сроков досудебного расследования",
                "Сотқа дейінгі тергеп-тексеру мерзімдерін үзу",
            ),
            Source("CPC art. 45 p. 7"),
            investigators,
            (AGREEMENT,),
            (Effect.TERMS_INTERRUPTED,),
            "interruption_review",
            subject=SubjectRule.NONE,
            fields=(
                FieldSpec(
                    "ground",
                    FieldKind.CHOICE,
                    Text("Legal ground", "Основание по закону", "Заңдағы негіз"),
                    choices=INTERRUPTION_GROUNDS_2022 if stage_two else INTERRUPTION_GROUNDS_2021,
                ),
                GROUNDS,
            ),
        ),
        DecisionType(
            "extension_of_terms",
            Text(
                "Extension of the terms of investigation",
                "Продление срока досудебного расследования",
                "Сотқа дейінгі тергеп-тексеру мерзімін ұзарту",
            ),
            Source("CPC art. 192"),
            investigators,
            (AGREEMENT,),
            (Effect.TERMS_EXTENDED,),
            "extension_review",
            subject=SubjectRule.NONE,
            fields=(TOTAL_MONTHS, GROUNDS),
            level_ladder=EXTENSION_LADDER,
            level_field="total_months",
        ),
        DecisionType(
            "termination",
            Text("Termination of the case", "Прекращение уголовного дела", "Қылмыстық істі тоқтату"),
            unconfirmed("CPC art. 288", "grounds in arts. 35-36"),
            investigators,
            (AGREEMENT,),
            (Effect.CASE_TERMINATED,),
            "termination_review",
            subject=SubjectRule.NONE,
            fields=(
                FieldSpec(
                    "ground",
                    FieldKind.CHOICE,
                    Text("Legal ground", "Основание по закону", "Заңдағы негіз"),
                    choices=TERMINATION_GROUNDS,
                ),
                GROUNDS,
            ),
        ),
        DecisionType(
            "protocol_of_accusation",
            Text("Protocol of accusation", "Протокол обвинения", "Айыптау хаттамасы"),
            Source("CPC art. 192-2"),
            investigators,
            (AGREEMENT, SPECIAL_CONSENT),
            (Effect.PERSON_BECOMES_ACCUSED, Effect.CASE_SENT_TO_COURT),
            "accusation_protocol_review",
            subject_roles=frozenset({"suspect"}),
            fields=(ARTICLES, SUMMARY),
        ),
        DecisionType(
            "procedural_agreement",
            Text("Procedural agreement", "Процессуальное соглашение", "Процестік келісім"),
            Source("CPC art. 612", "concluded by the prosecutor"),
            frozenset({Role.PROSECUTOR, Role.SENIOR_PROSECUTOR}),
            (SPECIAL_CONSENT,),
            (Effect.PROCEDURAL_AGREEMENT_CONCLUDED,),
            None,
            subject_roles=frozenset({"suspect"}),
            fields=(
                FieldSpec("kind", FieldKind.CHOICE, Text("Kind", "Вид", "Түрі"), choices=AGREEMENT_KINDS),
                FieldSpec("terms", FieldKind.TEXT, Text("Terms", "Условия", "Шарттар")),
            ),
        ),
        DecisionType(
            "detention",
            Text("Detention of a suspect", "Задержание подозреваемого", "Күдіктіні ұстап алу"),
            unconfirmed("CPC arts. 128-131", "the investigator's protocol; the prosecutor is notified"),
            investigators,
            (SPECIAL_CONSENT,),
            (Effect.PERSON_DETAINED,),
            None,
            subject_roles=frozenset({"suspect", "witness_with_right_to_defence"}),
            fields=(
                FieldSpec(
                    "detained_at",
                    FieldKind.DATETIME,
                    Text(
                        "Moment of actual detention",
                        "Момент фактического задержания",
                        "Нақты ұстап алу сәті",
                    ),
                ),
                GROUNDS,
                FieldSpec(
                    "exceptional_ground",
                    FieldKind.TEXT,
                    Text(
                        "Ground for the exceptional 72-hour term",
                        "Основание исключительного срока 72 часа",
                        "72 сағаттық ерекше мерзімнің негізі",
                    ),
                    required=False,
                ),
            ),
            may_be_returned=False,
        ),
    ]

    def petition_type(  # noqa: PLR0917 - a local row builder; its call sites read as a table
        code: str,
        title: Text,
        article: Source,
        effect: Effect,
        review: str,
        subject: SubjectRule,
        *fields: FieldSpec,
        ladder: tuple[LevelStep, ...] = (),
        level_field: str | None = None,
        case_statuses: frozenset[str] = OPEN_CASE,
    ) -> DecisionType:
        return DecisionType(
            code,
            title,
            article,
            investigators,
            (AGREEMENT, SPECIAL_CONSENT, SANCTION),
            (effect,),
            review,
            subject=subject,
            subject_roles=SUSPECTS if subject is SubjectRule.REQUIRED else frozenset(),
            fields=(*fields, GROUNDS),
            level_ladder=ladder,
            level_field=level_field,
            # A measure concerns its person, one at a time; a search, seizure or covert action
            # petition authorises one act among several the case may need at once.
            one_pending_at_a_time=subject is SubjectRule.REQUIRED,
            case_statuses=case_statuses,
        )

    types += [
        petition_type(
            "custody_petition",
            Text(
                "Petition for custody",
                "Ходатайство о санкционировании содержания под стражей",
                "Күзетпен ұстауға санкция беру туралы өтінішхат",
            ),
            unconfirmed("CPC arts. 147-148", "custody sanctioned by the investigating judge"),
            Effect.CUSTODY_IN_FORCE,
            "measure_petition_review",
            SubjectRule.REQUIRED,
            case_statuses=MEASURE_STATUSES,
        ),
        petition_type(
            "custody_extension_petition",
            Text(
                "Petition to extend custody",
                "Ходатайство о продлении срока содержания под стражей",
                "Күзетпен ұстау мерзімін ұзарту туралы өтінішхат",
            ),
            Source("CPC arts. 151, 152"),
            Effect.CUSTODY_EXTENDED,
            "measure_petition_review",
            SubjectRule.REQUIRED,
            CUSTODY_TOTAL_MONTHS,
            ladder=CUSTODY_LADDER,
            level_field="total_months",
            case_statuses=MEASURE_STATUSES,
        ),
        petition_type(
            "house_arrest_petition",
            Text(
                "Petition for house arrest",
                "Ходатайство о санкционировании домашнего ареста",
                "Үйде қамауға санкция беру туралы өтінішхат",
            ),
            unconfirmed("CPC art. 146", "sanctioned by the investigating judge"),
            Effect.HOUSE_ARREST_IN_FORCE,
            "measure_petition_review",
            SubjectRule.REQUIRED,
            case_statuses=MEASURE_STATUSES,
        ),
        petition_type(
            "bail_petition",
            Text(
                "Petition for bail",
                "Ходатайство о санкционировании залога",
                "Кепілге санкция беру туралы өтінішхат",
            ),
            unconfirmed("CPC art. 145", "sanctioned by the investigating judge"),
            Effect.BAIL_SET,
            "measure_petition_review",
            SubjectRule.REQUIRED,
            FieldSpec(
                "amount",
                FieldKind.MONEY,
                Text("Amount, tenge", "Сумма, тенге", "Сомасы, теңге"),
                minimum=1,
            ),
            case_statuses=MEASURE_STATUSES,
        ),
        petition_type(
            "seizure_of_property_petition",
            Text(
                "Petition for seizure of property",
                "Ходатайство о санкционировании ареста имущества",
                "Мүлікке тыйым салуға санкция беру туралы өтінішхат",
            ),
            unconfirmed("CPC art. 161", "sanctioned by the investigating judge"),
            Effect.PROPERTY_SEIZED,
            "investigative_petition_review",
            SubjectRule.NONE,
            FieldSpec("property", FieldKind.TEXT, Text("Property", "Имущество", "Мүлік")),
        ),
        petition_type(
            "search_petition",
            Text(
                "Petition for a search",
                "Ходатайство о санкционировании обыска",
                "Тінтуге санкция беру туралы өтінішхат",
            ),
            Source("CPC art. 107", "searches are sanctioned by the investigating judge"),
            Effect.SEARCH_AUTHORISED,
            "investigative_petition_review",
            SubjectRule.NONE,
            FieldSpec("place", FieldKind.TEXT, Text("Place", "Место", "Орны")),
        ),
        petition_type(
            "covert_actions_petition",
            Text(
                "Petition for covert investigative actions",
                "Ходатайство о санкционировании негласных следственных действий",
                "Жасырын тергеу әрекеттеріне санкция беру туралы өтінішхат",
            ),
            unconfirmed("CPC art. 232", "sanctioned by the investigating judge"),
            Effect.COVERT_ACTIONS_AUTHORISED,
            "investigative_petition_review",
            SubjectRule.NONE,
            FieldSpec("actions", FieldKind.TEXT, Text("Actions", "Действия", "Әрекеттер")),
        ),
    ]
    if stage_two:
        types.append(
            DecisionType(
                "completion_report",
                Text(
                    "Report on completion of the investigation",
                    "Отчёт о завершении досудебного расследования",
                    "Сотқа дейінгі тергеп-тексеруді аяқтау туралы есеп",
                ),
                Source("CPC art. 7 p. 40-1", "Law of 27 Dec 2021 No. 88-VII"),
                investigators,
                (AGREEMENT,),
                (Effect.INVESTIGATION_COMPLETED,),
                "completion_review",
                subject=SubjectRule.NONE,
                fields=(SUMMARY,),
            )
        )
        indictment_drafters = frozenset({Role.PROSECUTOR, Role.SENIOR_PROSECUTOR})
        indictment_approvals: tuple[ApprovalRule, ...] = (SPECIAL_CONSENT,)
        indictment_source = Source("CPC art. 65", "the prosecutor draws up the indictment (Law No. 88-VII)")
        if indictment_by_investigator:
            indictment_drafters = indictment_drafters | investigators
            indictment_approvals = (
                ApprovalRule(
                    ApprovalKind.PROSECUTOR_AGREEMENT,
                    Source("CPC art. 65", "Law No. 331-VIII: the prosecutor draws up or approves"),
                    when=Condition.DRAFTED_BY_INVESTIGATIVE_BODY,
                ),
                SPECIAL_CONSENT,
            )
            indictment_source = Source("CPC art. 65", "Law No. 331-VIII: draws up or approves the indictment")
        types.append(
            DecisionType(
                "indictment",
                Text("Indictment", "Обвинительный акт", "Айыптау актісі"),
                indictment_source,
                indictment_drafters,
                indictment_approvals,
                (Effect.PERSON_BECOMES_ACCUSED, Effect.CASE_SENT_TO_COURT),
                "indictment_review" if indictment_by_investigator else None,
                subject_roles=frozenset({"suspect"}),
                fields=(ARTICLES, SUMMARY, CO_ACCUSED),
                # The report on completion closes the investigation (status "completed"); the
                # indictment follows it: "investigator's report on completion -> prosecutor drafts
                # or approves the indictment" (CPC art. 65, Law No. 88-VII).
                case_statuses=OPEN_CASE | {"completed"},
            )
        )
    return {decision_type.code: decision_type for decision_type in types}


def _rulebook(
    version: str,
    effective_from: dt.date,
    source: Source,
    *,
    stage_two: bool,
    indictment_by_investigator: bool,
) -> Rulebook:
    return Rulebook(
        country="KZ",
        version=version,
        effective_from=effective_from,
        effective_from_source=source,
        calendar=KAZAKHSTAN,
        clocks=dict(CLOCKS),
        clock_titles=dict(CLOCK_TITLES),
        violation_rules=violations.RULES,
        monitor=violations.SETTINGS,
        decision_types=_decision_types(stage_two=stage_two, indictment_by_investigator=indictment_by_investigator),
        investigation_terms=dict(INVESTIGATION_TERMS),
        custody_ceiling_months=18,
        custody_ceiling_source=unconfirmed("CPC art. 151", "9 months confirmed; 12 and 18 not confirmed"),
        terms_source=unconfirmed(
            "CPC art. 49", "how terms are computed, taken from secondary sources: the article's text is to be checked"
        ),
        resumption_source=unconfirmed(
            "CPC art. 45 p. 7",
            "the investigator resumes the term once its ground has fallen away, or the supervising prosecutor "
            "cancels the interruption; the term runs on from the resumption with the time it had left",
        ),
    )


KZ_2021 = _rulebook(
    "kz-2021",
    dt.date(2021, 1, 1),
    Source("three-tier model, stage one", "prosecutor's agreement on key decisions from 1 Jan 2021"),
    stage_two=False,
    indictment_by_investigator=False,
)
KZ_2022 = _rulebook(
    "kz-2022",
    dt.date(2022, 1, 1),
    unconfirmed("Law of 27 Dec 2021 No. 88-VII", "the date the stage-two provisions took effect"),
    stage_two=True,
    indictment_by_investigator=False,
)
KZ_2026_07 = _rulebook(
    "kz-2026-07",
    dt.date(2026, 7, 1),
    unconfirmed("Law No. 331-VIII", "ealegislation.com gives 1 Jul 2026"),
    stage_two=True,
    indictment_by_investigator=True,
)

VERSIONS: tuple[Rulebook, ...] = (KZ_2021, KZ_2022, KZ_2026_07)

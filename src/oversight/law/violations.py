"""Violation rules as data: what the legality monitor looks for, under which article, how it explains it.

"Not a single fact of violation of the law should go unnoticed by the prosecutor." Each rule names
its article, its severity, the facts it cites and, in the three languages, what happened and what
should have happened. Detection itself is SQL in `oversight.monitoring.detectors`, one query per
rule; the thresholds it uses live here, with their sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from oversight.law.rulebook import Text
from oversight.law.terms import Source


class Severity(StrEnum):
    CRITICAL = "critical"  # liberty: a person held without a lawful basis
    HIGH = "high"  # a statutory deadline missed, a decision acting without its approvals
    MEDIUM = "medium"  # patterns that call for a look: idle cases, repeated interruptions


@dataclass(frozen=True)
class ViolationRule:
    code: str
    title: Text
    source: Source
    severity: Severity
    facts: tuple[str, ...]  # the keys of the finding's facts, in the order the explanation uses them
    explanation: Text  # str.format template over the facts
    remedy: Text  # what should have happened


@dataclass(frozen=True)
class Threshold:
    value: int
    source: Source


@dataclass(frozen=True)
class MonitorSettings:
    idle_days: Threshold  # a case with no recorded act for this long
    max_interruptions: Threshold  # interruptions of one case beyond this
    convenient_defender_share: Threshold  # percent of a unit's defended cases held by one defender
    convenient_defender_min_cases: Threshold  # only units with at least this many defended cases
    backdating_days: Threshold  # a stated date more than this many days before submission
    escalation_hours: Threshold  # an open finding not acknowledged within this goes to the office above


def _unconfirmed(article: str, note: str) -> Source:
    return Source(article, note, confirmed=False)


RULES: tuple[ViolationRule, ...] = (
    ViolationRule(
        "review_overdue",
        Text("Review overdue", "Просрочено рассмотрение", "Қарау мерзімі өтті"),
        Source(
            "CPC arts. 193, 202; rulebook review clocks",
            "the clock of the step awaited: the prosecutor's review, the special-subject consent or the judge's ruling",
        ),
        Severity.HIGH,
        ("decision", "kind", "clock", "due_at"),
        Text(
            "Decision {decision} ({kind}) has waited past its {clock} deadline of {due_at}.",
            "Решение {decision} ({kind}) не рассмотрено в срок «{clock}» до {due_at}.",
            "{decision} шешімі ({kind}) «{clock}» мерзімінде ({due_at} дейін) қаралмады.",
        ),
        Text(
            "The act awaited (the prosecutor's review, the consent, the judge's ruling) comes before its deadline.",
            "Ожидаемое действие (рассмотрение прокурором, согласие, решение судьи) совершается до истечения срока.",
            "Күтілген әрекет (прокурордың қарауы, келісім, судья шешімі) мерзімі өткенге дейін жасалады.",
        ),
    ),
    ViolationRule(
        "report_registration_late",
        Text("Report registered late", "Несвоевременная регистрация сообщения", "Хабарлама уақтылы тіркелмеді"),
        Source("CPC art. 180; GPO Order No. 89", "register within 24 h of receipt"),
        Severity.HIGH,
        ("erdr_number", "reported_at", "registered_at", "due_at"),
        Text(
            "Case {erdr_number}: the report of {reported_at} was registered at {registered_at}, after {due_at}.",
            "Дело {erdr_number}: сообщение от {reported_at} зарегистрировано {registered_at}, позже {due_at}.",
            "{erdr_number} ісі: {reported_at} хабарламасы {due_at} кейін, {registered_at} тіркелді.",
        ),
        Text(
            "A report is registered in the ERDR or routed elsewhere within 24 hours.",
            "Сообщение регистрируется в ЕРДР или направляется по подследственности в течение 24 часов.",
            "Хабарлама 24 сағат ішінде СДТБ-да тіркеледі немесе тиесілігі бойынша жіберіледі.",
        ),
    ),
    ViolationRule(
        "detention_over_limit",
        Text("Detention beyond its limit", "Задержание сверх срока", "Ұстап алу мерзімінен асып кетті"),
        Source("CPC art. 131; Constitution art. 16", "48 h, exceptionally 72 h, then release or custody"),
        Severity.CRITICAL,
        ("person", "detained_at", "due_at"),
        Text(
            "{person}, detained at {detained_at}, was held past {due_at} with no custody sanction.",
            "{person}, задержанный {detained_at}, удерживался после {due_at} без санкции на арест.",
            "{detained_at} ұсталған {person} {due_at} кейін күзетпен ұстауға санкциясыз ұсталды.",
        ),
        Text(
            "The person is released, or the investigating judge sanctions custody, before the term ends.",
            "До истечения срока лицо освобождается либо следственный судья санкционирует арест.",
            "Мерзім біткенге дейін адам босатылады немесе тергеу судьясы күзетпен ұстауға санкция береді.",
        ),
    ),
    ViolationRule(
        "custody_extension_not_petitioned",
        Text(
            "No petition to extend custody",
            "Не заявлено ходатайство о продлении стражи",
            "Күзетпен ұстауды ұзарту туралы өтінішхат берілмеді",
        ),
        Source("CPC art. 151", "the prosecutor files at least one day before custody ends"),
        Severity.HIGH,
        ("person", "custody_ends_at", "due_at"),
        Text(
            "Custody of {person} ends at {custody_ends_at}; no extension petition was filed by {due_at}.",
            "Стража {person} истекает {custody_ends_at}; ходатайство о продлении не подано до {due_at}.",
            "{person} күзетпен ұстау мерзімі {custody_ends_at} бітеді; ұзарту туралы өтінішхат {due_at} дейін берілмеді.",
        ),
        Text(
            "The extension petition reaches the judge at least a day before custody ends, or the person is released.",
            "Ходатайство поступает к судье не позднее чем за сутки до истечения стражи, либо лицо освобождается.",
            "Өтінішхат күзетпен ұстау біткенге дейін кемінде бір тәулік бұрын судьяға жетеді немесе адам босатылады.",
        ),
    ),
    ViolationRule(
        "custody_expired",
        Text("Custody expired", "Истёк срок содержания под стражей", "Күзетпен ұстау мерзімі өтті"),
        Source("CPC art. 151", "custody ends when its sanctioned term runs out"),
        Severity.CRITICAL,
        ("person", "custody_ends_at"),
        Text(
            "The custody of {person} ran out at {custody_ends_at} and no release or extension is recorded.",
            "Срок стражи {person} истёк {custody_ends_at}; освобождение или продление не зафиксированы.",
            "{person} күзетпен ұстау мерзімі {custody_ends_at} өтті; босату немесе ұзарту тіркелмеген.",
        ),
        Text(
            "The person is released at once, or custody is extended by the judge before it ends.",
            "Лицо немедленно освобождается либо стража продлевается судьёй до её истечения.",
            "Адам дереу босатылады немесе күзетпен ұстау біткенге дейін судьямен ұзартылады.",
        ),
    ),
    ViolationRule(
        "investigation_term_expired",
        Text(
            "Investigation term expired",
            "Истёк срок досудебного расследования",
            "Сотқа дейінгі тергеп-тексеру мерзімі өтті",
        ),
        Source("CPC art. 192", "the term is extended or interrupted before it runs out"),
        Severity.HIGH,
        ("erdr_number", "term_ends_at"),
        Text(
            "Case {erdr_number}: the term of investigation ran out at {term_ends_at} with no extension or interruption.",
            "Дело {erdr_number}: срок расследования истёк {term_ends_at} без продления или прерывания.",
            "{erdr_number} ісі: тергеп-тексеру мерзімі {term_ends_at} ұзартусыз немесе үзусіз өтті.",
        ),
        Text(
            "The term is extended, interrupted, or the case completed before it runs out.",
            "До истечения срока он продлевается, прерывается или расследование завершается.",
            "Мерзім өткенге дейін ұзартылады, үзіледі немесе тергеп-тексеру аяқталады.",
        ),
    ),
    ViolationRule(
        "effect_before_approval",
        Text(
            "Acted on a status before it was agreed",
            "Действие до согласования статуса",
            "Мәртебе келісілгенге дейін әрекет жасалды",
        ),
        Source("CPC arts. 64, 202", "a person is a suspect only once the recognition is agreed"),
        Severity.HIGH,
        ("decision", "kind", "person", "drafted_at", "suspect_since"),
        Text(
            "Decision {decision} ({kind}) treated {person} as a suspect at {drafted_at}, before the recognition took effect at {suspect_since}.",
            "Решение {decision} ({kind}) обращалось с {person} как с подозреваемым {drafted_at}, до вступления признания в силу {suspect_since}.",
            "{decision} шешімі ({kind}) {person} адамын {drafted_at} күдікті ретінде қарады, ал тану {suspect_since} күшіне енді.",
        ),
        Text(
            "Acts that need a suspect wait until the prosecutor has agreed to the recognition.",
            "Действия в отношении подозреваемого совершаются только после согласования признания.",
            "Күдіктіге қатысты әрекеттер прокурор тануды келіскеннен кейін ғана жасалады.",
        ),
    ),
    ViolationRule(
        "in_force_without_approvals",
        Text("In force without its approvals", "Вступило в силу без согласований", "Келісімдерсіз күшіне енді"),
        Source("three-tier model; CPC art. 193", "no legal force without the prosecutor's agreement"),
        Severity.CRITICAL,
        ("decision", "kind", "missing"),
        Text(
            "Decision {decision} ({kind}) is in force but its record lacks: {missing}.",
            "Решение {decision} ({kind}) в силе, но в его истории нет: {missing}.",
            "{decision} шешімі ({kind}) күшінде, бірақ тарихында жоқ: {missing}.",
        ),
        Text(
            "A decision takes effect only after every approval its rulebook requires, each recorded.",
            "Решение вступает в силу только после всех требуемых согласований, каждое из которых зафиксировано.",
            "Шешім талап етілетін барлық келісімдерден кейін ғана күшіне енеді, әрқайсысы тіркеледі.",
        ),
    ),
    ViolationRule(
        "qualification_not_announced",
        Text("Qualification not announced", "Квалификация не объявлена", "Саралау жарияланбады"),
        Source("CPC art. 206", "announced to the suspect within 24 h"),
        Severity.HIGH,
        ("person", "decision", "due_at"),
        Text(
            "The qualification in decision {decision} was not announced to {person} by {due_at}.",
            "Квалификация по решению {decision} не объявлена {person} до {due_at}.",
            "{decision} шешіміндегі саралау {person} адамына {due_at} дейін жарияланбады.",
        ),
        Text(
            "The suspect (and counsel) learn the qualification within 24 hours of its agreement.",
            "Подозреваемому (и защитнику) квалификация объявляется в течение 24 часов после согласования.",
            "Саралау келісілгеннен кейін 24 сағат ішінде күдіктіге (және қорғаушыға) жарияланады.",
        ),
    ),
    ViolationRule(
        "petition_not_decided",
        Text(
            "Participant's petition not decided",
            "Ходатайство участника не разрешено",
            "Қатысушының өтінішхаты шешілмеді",
        ),
        Source("CPC art. 99", "decided at once or within 3 days"),
        Severity.HIGH,
        ("person", "filed_at", "due_at"),
        Text(
            "The petition {person} filed at {filed_at} was not decided by {due_at}.",
            "Ходатайство {person} от {filed_at} не разрешено до {due_at}.",
            "{person} {filed_at} берген өтінішхат {due_at} дейін шешілмеді.",
        ),
        Text(
            "A participant's petition is decided at once or within three days.",
            "Ходатайство участника разрешается немедленно либо в течение трёх суток.",
            "Қатысушының өтінішхаты дереу немесе үш тәулік ішінде шешіледі.",
        ),
    ),
    ViolationRule(
        "repeated_interruptions",
        Text("Terms interrupted again and again", "Неоднократное прерывание сроков", "Мерзімдер қайта-қайта үзілді"),
        _unconfirmed("CPC art. 45 p. 7", "threshold is a practice value for a supervisory look"),
        Severity.MEDIUM,
        ("erdr_number", "interruptions", "limit"),
        Text(
            "Case {erdr_number} has had its terms interrupted {interruptions} times (more than {limit}).",
            "Сроки по делу {erdr_number} прерывались {interruptions} раз (более {limit}).",
            "{erdr_number} ісі бойынша мерзімдер {interruptions} рет үзілді ({limit} артық).",
        ),
        Text(
            "Interruptions rest on real grounds; a case interrupted repeatedly is looked at by the supervisor.",
            "Прерывание опирается на реальные основания; многократно прерываемое дело проверяется надзором.",
            "Үзу нақты негіздерге сүйенеді; қайта-қайта үзілген іс қадағалаумен тексеріледі.",
        ),
    ),
    ViolationRule(
        "case_idle",
        Text("Case without any act", "Дело без движения", "Іс қозғалыссыз"),
        _unconfirmed("CPC art. 192", "idle threshold is a practice value"),
        Severity.MEDIUM,
        ("erdr_number", "last_act_at", "idle_days"),
        Text(
            "Case {erdr_number} has had no recorded act since {last_act_at} ({idle_days} days).",
            "По делу {erdr_number} нет процессуальных действий с {last_act_at} ({idle_days} дн.).",
            "{erdr_number} ісі бойынша {last_act_at} бастап ({idle_days} күн) ешбір әрекет тіркелмеген.",
        ),
        Text(
            "An open case moves: acts are recorded, or its terms are interrupted on a ground.",
            "По открытому делу ведутся действия либо сроки прерываются по основанию.",
            "Ашық іс бойынша әрекеттер жүргізіледі немесе мерзімдер негізбен үзіледі.",
        ),
    ),
    ViolationRule(
        "backdated_decision",
        Text("Decision back-dated", "Решение датировано задним числом", "Шешім бұрынғы күнмен белгіленген"),
        _unconfirmed("CPC art. 193", "tolerance in days is a practice value"),
        Severity.HIGH,
        ("decision", "kind", "stated_date", "submitted_at"),
        Text(
            "Decision {decision} ({kind}) is dated {stated_date} but was submitted at {submitted_at}.",
            "Решение {decision} ({kind}) датировано {stated_date}, а направлено {submitted_at}.",
            "{decision} шешімі ({kind}) {stated_date} күнмен белгіленген, бірақ {submitted_at} жіберілген.",
        ),
        Text(
            "A decision carries the date it was made and is submitted the same day.",
            "Решение датируется днём его вынесения и направляется в тот же день.",
            "Шешім шығарылған күнімен белгіленеді және сол күні жіберіледі.",
        ),
    ),
    ViolationRule(
        "convenient_defender",
        Text("A 'convenient' defender", "«Удобный» защитник", "«Ыңғайлы» қорғаушы"),
        _unconfirmed("CPC art. 67; GPO review", "in 90% of cases a convenient state-paid lawyer (GPO's count)"),
        Severity.MEDIUM,
        ("unit", "defender", "cases", "share", "unit_cases"),
        Text(
            "In unit {unit}, defender {defender} appears in {cases} of {unit_cases} defended cases ({share}%).",
            "В подразделении {unit} защитник {defender} участвует в {cases} из {unit_cases} дел ({share}%).",
            "{unit} бөлінісінде {defender} қорғаушы {unit_cases} істің {cases} ісіне қатысады ({share}%).",
        ),
        Text(
            "Defenders are chosen by the person or assigned at random, not by the investigator.",
            "Защитник избирается лицом или назначается случайно, а не следователем.",
            "Қорғаушыны адам таңдайды немесе кездейсоқ тағайындалады, тергеуші емес.",
        ),
    ),
    ViolationRule(
        "review_out_of_jurisdiction",
        Text("Reviewed outside jurisdiction", "Согласование вне компетенции", "Құзыреттен тыс келісу"),
        Source("CPC art. 193", "the supervising prosecutor of the case, or a higher one, reviews"),
        Severity.HIGH,
        ("decision", "reviewer", "office"),
        Text(
            "Decision {decision} was reviewed by {reviewer} of {office}, who does not supervise the case.",
            "Решение {decision} рассмотрено {reviewer} ({office}), не осуществляющим надзор по делу.",
            "{decision} шешімін іс бойынша қадағалауды жүзеге асырмайтын {reviewer} ({office}) қарады.",
        ),
        Text(
            "Only the case's supervising office, or an office above it, reviews its decisions.",
            "Решения рассматривает только надзирающая прокуратура или вышестоящая.",
            "Шешімдерді тек қадағалаушы прокуратура немесе жоғары тұрған прокуратура қарайды.",
        ),
    ),
)

SETTINGS = MonitorSettings(
    idle_days=Threshold(30, _unconfirmed("CPC art. 192", "30 days without a recorded act")),
    max_interruptions=Threshold(3, _unconfirmed("CPC art. 45 p. 7", "more than 3 interruptions of one case")),
    convenient_defender_share=Threshold(
        30, _unconfirmed("GPO review", "one defender in more than 30% of a unit's cases")
    ),
    convenient_defender_min_cases=Threshold(
        10, _unconfirmed("GPO review", "only units with 10 or more defended cases")
    ),
    backdating_days=Threshold(1, _unconfirmed("CPC art. 193", "stated more than 1 day before its submission")),
    escalation_hours=Threshold(24, _unconfirmed("Law on the Prosecutor's Office", "unacknowledged for 24 h")),
)

BY_CODE = {rule.code: rule for rule in RULES}

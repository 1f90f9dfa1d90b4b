"""The rulebook as a Markdown page (docs/rulebook.md), so the legal team reads what the code applies."""

from __future__ import annotations

from oversight.law.rulebook import Rulebook
from oversight.law.terms import Source


def _source(source: Source) -> str:
    flag = " **[to be confirmed]**" if source.to_be_confirmed else ""
    note = f" — {source.note}" if source.note else ""
    return f"{source.article}{note}{flag}"


def describe(books: tuple[Rulebook, ...]) -> str:
    lines = [
        "# The rulebook as the system applies it",
        "",
        "Generated from `src/oversight/law/` by `make rulebook-doc`; a test keeps this page equal to the code.",
        "Values marked **[to be confirmed]** could not be confirmed from the article text; they are",
        "configurable and the API shows their flag (`GET /api/rulebook`).",
        "",
    ]
    for book in books:
        lines += [
            f"## {book.version} (in force from {book.effective_from.isoformat()})",
            "",
            f"Source: {_source(book.effective_from_source)}. Calendar: {book.calendar.country}, "
            f"zone {book.calendar.zone_name}. Custody ceiling: {book.custody_ceiling_months} months "
            f"({_source(book.custody_ceiling_source)}).",
            "",
            *([f"Computing terms: {_source(book.terms_source)}.", ""] if book.terms_source is not None else []),
            *(
                [f"Resuming interrupted terms: {_source(book.resumption_source)}.", ""]
                if book.resumption_source is not None
                else []
            ),
            "### Clocks",
            "",
            "| clock | term | moves off non-working days | source |",
            "|---|---|---|---|",
        ]
        for code, term in book.clocks.items():
            length = term.describe()
            if term.exceptional_amount is not None:
                length += f" (exceptionally {term.describe(exceptional=True)})"
            if term.relative_to is not None:
                length = f"{-term.amount} day(s) before `{term.relative_to}` runs out"
            moves = (
                "yes"
                if term.moves_off_non_working_days and term.unit.value != "hours" and not term.relative_to
                else "no"
            )
            if term.calendar_source is not None:
                moves += f" ({_source(term.calendar_source)})"
            lines.append(f"| `{code}` | {length} | {moves} | {_source(term.source)} |")
        lines += ["", "### Decisions", ""]
        for decision_type in book.decision_types.values():
            approvals = (
                ", ".join(
                    f"{rule.kind.value}" + (f" (when {rule.when.value})" if rule.when.value != "always" else "")
                    for rule in decision_type.approvals
                )
                or "none: in force when signed"
            )
            lines += [
                f"#### {decision_type.title.en} — `{decision_type.code}`",
                "",
                f"- Article: {_source(decision_type.source)}",
                f"- Russian: {decision_type.title.ru}; Kazakh: {decision_type.title.kk}",
                f"- Drafted by: {', '.join(sorted(role.value for role in decision_type.drafted_by))}",
                f"- Approvals: {approvals}",
                f"- Review clock: `{decision_type.review_clock}`"
                if decision_type.review_clock
                else "- Review clock: none",
                f"- Effects: {', '.join(effect.value for effect in decision_type.effects)}",
                f"- Drafted and in force while the case is: {', '.join(sorted(decision_type.case_statuses))}",
                "- Fields: "
                + ", ".join(spec.name + ("" if spec.required else " (optional)") for spec in decision_type.fields),
            ]
            for step in decision_type.level_ladder:
                lines.append(
                    f"- Up to {step.up_to_months} months: a prosecutor of {step.level.value} level "
                    f"or above ({_source(step.source)})"
                )
            lines.append("")
        if book.violation_rules:
            lines += [
                "### Violations the legality monitor looks for",
                "",
                "| rule | severity | article | what should have happened |",
                "|---|---|---|---|",
            ]
            for rule in book.violation_rules:
                title = f"{rule.title.en} (`{rule.code}`)"
                lines.append(f"| {title} | {rule.severity.value} | {_source(rule.source)} | {rule.remedy.en} |")
            lines.append("")
        if book.monitor is not None:
            settings = book.monitor
            lines += ["Monitor thresholds:", ""]
            lines += [
                f"- `{name}`: {getattr(settings, name).value} ({_source(getattr(settings, name).source)})"
                for name in settings.__dataclass_fields__
            ]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"

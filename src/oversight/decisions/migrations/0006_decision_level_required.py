from typing import Any

from django.db import migrations, models


def fix_levels_at_submission(apps: Any, schema_editor: Any) -> None:
    """Decisions submitted before the field existed get the level their own rulebook version required."""
    from oversight.law import UnknownDecisionType, UnknownRulebook, rulebook, rulebooks

    laddered = {code for book in rulebooks() for code, kind in book.decision_types.items() if kind.level_ladder}
    decision_model = apps.get_model("decisions", "Decision")
    submitted = decision_model.objects.filter(submitted_at__isnull=False, kind__in=laddered)
    for decision in submitted.only("kind", "rulebook_version", "content").iterator():
        try:
            level = rulebook(decision.rulebook_version).decision_type(decision.kind).level_required(decision.content)
        except (UnknownRulebook, UnknownDecisionType):
            continue
        if level is not None:
            decision_model.objects.filter(pk=decision.pk).update(level_required=level.value)


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0005_deadline_closed_late"),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="level_required",
            field=models.CharField(blank=True, db_default="", default="", max_length=16),
        ),
        migrations.RunPython(fix_levels_at_submission, migrations.RunPython.noop),
    ]

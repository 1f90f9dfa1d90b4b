"""The legality monitor finds special subjects' detentions that wait for consent by a small index.

A special subject's detention protocol takes effect only with the General Prosecutor's consent, but
the person is held from the moment in the protocol: `detention_over_limit` now also reads protocols
awaiting consent, or refused it or withdrawn after the term ran out (monitoring/detectors.py). The
partial index holds those protocols only, so the sweep of the whole register does not read every
refused or withdrawn decision to find them.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    # Built concurrently: a plain CREATE INDEX would hold every transition of every decision meanwhile.
    atomic = False

    dependencies = [("decisions", "0006_decision_level_required")]

    operations = [
        AddIndexConcurrently(
            model_name="decision",
            index=models.Index(
                condition=models.Q(("kind", "detention"), ("needs_consent", True)),
                fields=["case"],
                name="decision_detention_consent",
            ),
        ),
    ]

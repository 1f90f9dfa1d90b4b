"""A detention held past its term is found once per detention protocol, whether it was in force or
still awaited the General Prosecutor's consent (a special subject): its findings' key names the
protocol (`detention:<decision id>`) instead of the detention's legal effect (`effect:<effect id>`),
which a protocol awaiting consent does not have yet. Findings already raised take the new key, so
the next sweep does not raise them again.
"""

from django.db import migrations

TO_PROTOCOL = """
UPDATE monitoring_finding f SET key = 'detention:' || e.decision_id
FROM decisions_legaleffect e
WHERE f.rule = 'detention_over_limit' AND f.key = 'effect:' || e.id
"""

TO_EFFECT = """
UPDATE monitoring_finding f SET key = 'effect:' || e.id
FROM decisions_legaleffect e
WHERE f.rule = 'detention_over_limit' AND f.key = 'detention:' || e.decision_id AND e.kind = 'person_detained'
"""


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0005_waiting_evaluation_found_by_its_index"),
        ("decisions", "0007_decision_detention_consent"),
    ]

    operations = [migrations.RunSQL(TO_PROTOCOL, TO_EFFECT)]

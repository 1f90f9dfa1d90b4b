"""A detention held past its term is found once per detention protocol, whether it was in force or
still awaited the General Prosecutor's consent (a special subject): its findings' key names the
protocol (`detention:<decision id>`) instead of the detention's legal effect (`effect:<effect id>`),
which a protocol awaiting consent does not have yet. Findings already raised take the new key, so
the next sweep does not raise them again. Each finding finds its effect by the id in its key (the
primary key), so the effects table is not read whole. Stop the monitor's workers while deploying: a
sweep of the old code after this migration would raise those facts again under the old key.
"""

from django.db import migrations

TO_PROTOCOL = """
UPDATE monitoring_finding f SET key = 'detention:' || e.decision_id
FROM decisions_legaleffect e
WHERE f.rule = 'detention_over_limit' AND f.key LIKE 'effect:%' AND e.id = split_part(f.key, ':', 2)::bigint
"""

TO_EFFECT = """
UPDATE monitoring_finding f SET key = 'effect:' || e.id
FROM decisions_legaleffect e
WHERE f.rule = 'detention_over_limit' AND f.key LIKE 'detention:%'
  AND e.decision_id = split_part(f.key, ':', 2)::bigint AND e.kind = 'person_detained'
"""


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0005_waiting_evaluation_found_by_its_index"),
        ("decisions", "0007_decision_detention_consent"),
    ]

    operations = [migrations.RunSQL(TO_PROTOCOL, TO_EFFECT)]

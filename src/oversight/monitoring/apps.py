from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "oversight.monitoring"
    label = "monitoring"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from oversight.register.signals import case_acted_on

        case_acted_on.connect(_queue_evaluation, dispatch_uid="monitoring.evaluate_case")


def _queue_evaluation(sender: Any, *, case_id: int, **_: Any) -> None:
    from oversight.monitoring.tasks import queue_evaluation

    queue_evaluation(case_id)

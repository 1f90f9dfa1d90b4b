"""The synthetic register closes clocks as the service does: the awaited act after the limit makes a clock late."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

from oversight.monitoring import synthetic


def test_the_generator_closes_a_clock_its_act_came_after_as_late_and_one_in_time_as_met() -> None:
    """Custody is not a clock the generator refuses to close late (JUDGED_CLOCKS), so both outcomes occur."""
    in_time = synthetic.Clock(1, "custody", "kz-2026-07", started=0, due=100, decision=None, participant=7,
                              exceptional=False)  # fmt: skip
    run_out = synthetic.Clock(2, "custody", "kz-2026-07", started=0, due=99, decision=None, participant=8,
                              exceptional=False)  # fmt: skip
    withdrawn = synthetic.Clock(3, "custody", "kz-2026-07", started=0, due=99, decision=None, participant=9,
                                exceptional=False)  # fmt: skip
    story = cast(synthetic.Story, SimpleNamespace(id=1, clocks=[in_time, run_out, withdrawn]))

    synthetic.Story.close_clocks(story, 100, "met", participant=7)
    synthetic.Story.close_clocks(story, 100, "met", participant=8)
    synthetic.Story.close_clocks(story, 100, "cleared", participant=9)

    assert [(c.status, c.closed) for c in (in_time, run_out, withdrawn)] == [
        ("met", 100),
        ("late", 100),
        ("cleared", 100),
    ]

from __future__ import annotations

import pytest
from time_machine import TimeMachineFixture

from tests.accounts.journey import START


@pytest.fixture
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    """A frozen clock at START; tests move it with `shift` and `move_to`."""
    time_machine.move_to(START, tick=False)
    return time_machine

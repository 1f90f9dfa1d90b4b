"""What the register tells the rest of the system, without depending on it.

`case_acted_on` is sent inside the transaction that records an act on a case (a case event, or a
decision's event). The legality monitor listens and queues the case's evaluation in that same
transaction, so the job exists exactly when the act does.
"""

from __future__ import annotations

from django.dispatch import Signal

case_acted_on = Signal()  # sent with case_id=<int>

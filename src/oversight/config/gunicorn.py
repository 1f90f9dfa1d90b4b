"""gunicorn's settings, for `make serve` and the approvals bench alike (`-c python:oversight.config.gunicorn`).

Synchronous workers, two per core. A request here is short and waits mostly on PostgreSQL, so a
process per request in flight serves it with the least Python around it; threaded workers (gthread)
spent more CPU handing each request between threads than they saved (bench/README.md). A sync worker
holds no keep-alive connection, so behind a public address it belongs behind a buffering proxy, as
gunicorn's documentation says. `WEB_WORKERS` sets the count.

No control socket: nothing of ours uses `gunicornc`, and its default path is one per user
($XDG_RUNTIME_DIR or ~/.gunicorn), so a second server (the bench beside the demo) would take it over
and remove it when it stops.
"""

from __future__ import annotations

import os

from oversight.kit.env import ImproperSetting

wsgi_app = "oversight.config.wsgi:application"
worker_class = "sync"
control_socket_disable = True
_workers = os.environ.get("WEB_WORKERS", "").strip()
if _workers and not (_workers.isdigit() and int(_workers) > 0):
    raise ImproperSetting(f"WEB_WORKERS must be a positive whole number; got {_workers!r}")
workers = int(_workers) if _workers else 2 * (os.cpu_count() or 1)

"""gunicorn's settings module: sync workers, two per core unless WEB_WORKERS says otherwise."""

from __future__ import annotations

import importlib
import os
import sys
from types import ModuleType

import pytest
from gunicorn.app.wsgiapp import WSGIApplication

from oversight.kit.env import ImproperSetting

MODULE = "oversight.config.gunicorn"


def load(monkeypatch: pytest.MonkeyPatch, workers: str | None) -> ModuleType:
    if workers is None:
        monkeypatch.delenv("WEB_WORKERS", raising=False)
    else:
        monkeypatch.setenv("WEB_WORKERS", workers)
    module = importlib.import_module(MODULE)
    return importlib.reload(module)


def test_two_sync_workers_per_core_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load(monkeypatch, None)
    assert settings.worker_class == "sync"
    assert settings.workers == 2 * (os.cpu_count() or 1)
    assert settings.wsgi_app == "oversight.config.wsgi:application"


def test_web_workers_sets_the_count(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load(monkeypatch, "7").workers == 7


@pytest.mark.parametrize("value", ["0", "-2", "four", "2.5"])
def test_a_count_that_is_not_a_positive_whole_number_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    with pytest.raises(ImproperSetting, match="WEB_WORKERS"):
        load(monkeypatch, value)


def test_gunicorn_reads_every_setting_by_its_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """gunicorn ignores a name it does not know, so the settings are read back through gunicorn itself."""
    load(monkeypatch, None)  # gunicorn imports the module: the one loaded here, with the default count
    monkeypatch.setattr(sys, "argv", ["gunicorn", "-c", f"python:{MODULE}"])
    config = WSGIApplication("%(prog)s [OPTIONS]").cfg
    assert config.worker_class_str == "sync"
    assert config.workers == 2 * (os.cpu_count() or 1)
    assert config.wsgi_app == "oversight.config.wsgi:application"
    assert config.control_socket_disable is True

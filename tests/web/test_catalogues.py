"""The Russian and Kazakh interface catalogues are complete, well-formed and in step with the source.

No database: the catalogues are read with Babel, and `makemessages` runs on a copy of the package so
that the committed files are never touched.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "oversight"
LANGUAGES = ("ru", "kk")
PLURAL_FORMS = {"ru": 3, "kk": 2}

# A printf-style conversion as Python's % operator reads it, named or not, and the escaped percent sign.
PLACEHOLDER = re.compile(r"%%|%(?:\([^)]*\))?[-#0 +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa]")

MsgId = str | tuple[str, ...]


def catalogue_path(locale_dir: Path, language: str) -> Path:
    return locale_dir / language / "LC_MESSAGES" / "django.po"


def read_catalogue(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, abort_invalid=True)


def entries(catalogue: Catalog) -> list[Message]:
    return [message for message in catalogue if message.id]


def key(message: Message) -> MsgId:
    return tuple(message.id) if isinstance(message.id, (tuple, list)) else message.id


def forms(value: object) -> list[str]:
    if isinstance(value, (tuple, list)):
        return [str(form) if form is not None else "" for form in value]
    return [str(value) if value is not None else ""]


def placeholders(text: str) -> set[str]:
    """Conversions in the catalogue's form, and in the runtime form where templates double the percent sign."""
    found = set(PLACEHOLDER.findall(text))
    if "%%" in text:
        found |= {f"runtime {token}" for token in PLACEHOLDER.findall(text.replace("%%", "%"))}
    return found


@pytest.fixture(scope="module", params=LANGUAGES)
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def catalogue(language: str) -> Catalog:
    return read_catalogue(catalogue_path(PACKAGE / "locale", language))


def test_header_names_the_language_and_its_plural_forms(language: str, catalogue: Catalog) -> None:
    assert not catalogue.fuzzy, "the header is still marked fuzzy"
    assert str(catalogue.locale) == language
    assert catalogue.charset.lower() == "utf-8"
    assert catalogue.num_plurals == PLURAL_FORMS[language]


def test_every_message_is_translated_in_every_form(catalogue: Catalog) -> None:
    untranslated = [
        key(message)
        for message in entries(catalogue)
        if not all(form.strip() for form in forms(message.string))
        or (message.pluralizable and len(forms(message.string)) != catalogue.num_plurals)
    ]
    assert untranslated == []


def test_no_message_is_fuzzy(catalogue: Catalog) -> None:
    assert [key(message) for message in entries(catalogue) if message.fuzzy] == []


def test_translations_keep_the_placeholders(catalogue: Catalog) -> None:
    mismatched = []
    for message in entries(catalogue):
        expected = set().union(*(placeholders(source) for source in forms(message.id)))
        for form in forms(message.string):
            if placeholders(form) != expected:
                mismatched.append((key(message), form))
    assert mismatched == []


def test_catalogues_hold_exactly_what_makemessages_extracts(tmp_path: Path) -> None:
    assert shutil.which("xgettext"), "makemessages needs GNU gettext (.ci/run installs it)"
    assert shutil.which("msguniq"), "makemessages needs GNU gettext (.ci/run installs it)"
    copy = tmp_path / "oversight"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.po", "*.mo", "*.pyc"))
    # Settings of our own, so that no locale path can lead makemessages back to the committed files.
    (tmp_path / "catalogue_settings.py").write_text(
        f"from oversight.config.settings import *  # noqa: F403\nLOCALE_PATHS = [{str(copy / 'locale')!r}]\n",
        encoding="utf-8",
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "catalogue_settings",
        # makemessages never connects; a URL keeps the copied settings from starting an embedded server
        # under the temporary directory (which would outlive the test).
        "DATABASE_URL": "postgresql://makemessages@127.0.0.1:1/unused",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")])),
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter runs the project's manage.py
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "makemessages",
            "-l",
            "ru",
            "-l",
            "kk",
            "--no-location",
            "--no-obsolete",
        ],
        cwd=copy,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr

    for language in LANGUAGES:
        extracted = {key(message) for message in entries(read_catalogue(catalogue_path(copy / "locale", language)))}
        committed = {key(message) for message in entries(read_catalogue(catalogue_path(PACKAGE / "locale", language)))}
        assert sorted(map(str, extracted - committed)) == [], f"{language}: not yet in the catalogue"
        assert sorted(map(str, committed - extracted)) == [], f"{language}: no longer in the source"

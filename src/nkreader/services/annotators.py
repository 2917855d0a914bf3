"""Who is marking (issue 11): `--as NAME`, else the config file's `annotator`, else the OS user.

Every mark records who made it (`author`) and who last changed it, so a team on one library can
tell its work apart, filter it and measure agreement. The name is read once, when the library is
opened for the command or the app.
"""

from __future__ import annotations

import getpass
import os
import tomllib
from pathlib import Path

import platformdirs

from nkreader.services.library import Library

CONFIG_ENV = "NKREADER_CONFIG"
MAX_NAME = 80


def config_path() -> Path:
    """`$NKREADER_CONFIG`, else config.toml in the user config folder (the app's keymap file too)."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    return platformdirs.user_config_path("nkreader") / "config.toml"


def clean_name(name: str) -> str:
    """One line of printable text, at most MAX_NAME characters; '' when nothing is left."""
    kept = "".join(ch for ch in name if ch.isprintable()).strip()
    return " ".join(kept.split())[:MAX_NAME]


def configured_annotator() -> str | None:
    """`annotator = "…"` from config.toml; None when absent or unreadable (the app reports a
    broken config file itself)."""
    try:
        with config_path().open("rb") as file:
            value = tomllib.load(file).get("annotator")
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    if isinstance(value, str) and clean_name(value):
        return clean_name(value)
    return None


def os_user() -> str | None:
    try:
        return clean_name(getpass.getuser()) or None
    except (KeyError, OSError):  # no name for this uid (a container), no login
        return None


def resolve_annotator(flag: str | None = None) -> str | None:
    if flag is not None and clean_name(flag):
        return clean_name(flag)
    return configured_annotator() or os_user()


def marks_per_annotator(library: Library) -> dict[str | None, int]:
    """How many marks each annotator made in the library (the app's "whose marks" picker)."""
    from nkreader.store import annotators as stored

    with library.database.reading() as session:
        return stored.marks_per_author(session)

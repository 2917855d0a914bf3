"""What the app remembers between runs: theme, pane layout, the last open article.

Why a separate file from ``config.toml``: that file is the analyst's own, written by hand and only read
by the app; rewriting it would lose their comments and layout. These are the app's own choices, written
whenever one changes, beside it as ``state.json`` in the user's config folder (``$NKREADER_CONFIG``'s
folder in tests). The reading position of each article is already in the library itself.

A missing, unreadable or malformed file means defaults, never an error: losing a remembered theme must not
stop anyone from reading. Writes are atomic (a temporary file renamed over the old one), so a crash while
saving leaves the previous state.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from nkreader.tui.keymap import config_path

__all__ = ["Preferences", "load_preferences", "preferences_path", "save_preferences"]

_THEMES = ("textual-dark", "textual-light")


@dataclass(frozen=True)
class Preferences:
    """The remembered state; every field has a default a first run uses."""

    theme: str = "textual-dark"
    show_library: bool = True
    show_annotations: bool = True
    library_width: int = 0
    """Columns of the library pane; 0 means the stylesheet's default."""
    annotations_width: int = 0
    """Columns of the annotations pane; 0 means the stylesheet's default."""
    last_article_id: int | None = None

    def with_changes(self, **changes: Any) -> Preferences:
        return replace(self, **changes)


def preferences_path() -> Path:
    return config_path().with_name("state.json")


def _valid(name: str, value: Any) -> bool:
    if name == "theme":
        return value in _THEMES
    if name in ("show_library", "show_annotations"):
        return isinstance(value, bool)
    if name in ("library_width", "annotations_width"):
        return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 400
    if name == "last_article_id":
        return value is None or (isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63)
    return False


def load_preferences(path: Path | None = None) -> Preferences:
    """The stored preferences; fields that are missing or wrong take their defaults."""
    path = preferences_path() if path is None else path
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return Preferences()
    if not isinstance(data, dict):
        return Preferences()
    known = {field.name for field in fields(Preferences)}
    kept = {name: value for name, value in data.items() if name in known and _valid(name, value)}
    return Preferences(**kept)


def save_preferences(preferences: Preferences, path: Path | None = None) -> bool:
    """Write atomically; False (and nothing changed) when the folder cannot be written."""
    path = preferences_path() if path is None else path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".state-", suffix=".json", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump(asdict(preferences), file, indent=2, sort_keys=True)
                file.write("\n")
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True

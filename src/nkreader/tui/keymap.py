"""User key remapping from ``config.toml``.

Why a table of binding ids: every ``Binding`` in the app carries an ``id`` (``library.down``,
``dialog.save`` …), and Textual's ``App.set_keymap({id: "keys"})`` replaces the keys of those bindings
everywhere, Footer and help included. The file is the analyst's own, so a mistake in it must never stop
the app from starting: :func:`load_keymap` returns warnings for the app to show and loads what it can.

Example ``config.toml``::

    [keymap]
    "library.down" = "j,down"
    "dialog.save" = "ctrl+s,ctrl+enter"
    "annotate.claim" = ["c", "1"]     # a list works too
"""

from __future__ import annotations

import os
import tomllib
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import platformdirs
from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import KEY_ALIASES, KEY_NAME_REPLACEMENTS, KEY_TO_UNICODE_NAME, Keys

__all__ = ["CONFIG_ENV", "binding_ids", "config_path", "invalid_key", "load_keymap", "unknown_ids"]

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
"""The modifier names Textual understands in a key such as ``ctrl+shift+left``."""

CONFIG_ENV = "NKREADER_CONFIG"
"""Environment variable naming the config file to use instead of the user's (tests set it)."""


def config_path() -> Path:
    """Where ``config.toml`` is read from: ``$NKREADER_CONFIG`` if set, else the user config folder.

    Nothing is created: the file and its folder are optional.
    """
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    return platformdirs.user_config_path("nkreader") / "config.toml"


def load_keymap(path: Path | None = None) -> tuple[dict[str, str], list[str]]:
    """Read the ``[keymap]`` table: ``(binding id → comma-separated keys, warnings)``.

    A missing file is not an error (empty keymap, no warning). A file that cannot be read or parsed gives
    one warning ``"config.toml: <reason>"`` and an empty keymap; a bad entry gives a warning and is
    skipped while the others are kept. Values may be a string (``"j,down"``) or a list of strings.
    """
    path = config_path() if path is None else path
    name = path.name
    try:
        with path.open("rb") as file:
            data = tomllib.load(file)
    except FileNotFoundError:
        return {}, []
    except (OSError, UnicodeDecodeError) as error:
        return {}, [f"{name}: cannot read {path}: {error}"]
    except tomllib.TOMLDecodeError as error:
        return {}, [f"{name}: {error}"]

    table = data.get("keymap")
    if table is None:
        return {}, []
    if not isinstance(table, dict):
        return {}, [f'{name}: [keymap] must be a table of binding id = "keys"']

    keymap: dict[str, str] = {}
    warnings: list[str] = []
    for binding_id, value in table.items():
        if isinstance(value, str):
            keys = value.split(",")
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            keys = [key for item in value for key in item.split(",")]
        else:
            warnings.append(f'{name}: keymap {binding_id!r}: expected a string such as "ctrl+s" or a list')
            continue
        keys = [key.strip() for key in keys if key.strip()]
        bad = [key for key in keys if any(ch.isspace() for ch in key)]
        if bad:
            warnings.append(f"{name}: keymap {binding_id!r}: key names cannot contain spaces: {bad[0]!r}")
            continue
        if not keys:
            warnings.append(f"{name}: keymap {binding_id!r}: no key given")
            continue
        invalid = [key for key in keys if invalid_key(key)]
        if invalid:
            # A key Textual cannot produce would silently unbind the action: refuse the entry so the
            # binding keeps its default keys, and say why.
            reason = invalid_key(invalid[0])
            warnings.append(f"{name}: keymap {binding_id!r}: {reason}; the default keys are kept")
            continue
        keymap[binding_id] = ",".join(dict.fromkeys(keys))
    return keymap, warnings


@cache
def _key_names() -> frozenset[str]:
    """Every unmodified key name a terminal key press can carry in Textual."""
    names = {key.value.rpartition("+")[2] for key in Keys if not key.value.startswith("<")}
    names.update(KEY_ALIASES)
    names.update(KEY_NAME_REPLACEMENTS.values())
    names.update(KEY_TO_UNICODE_NAME)
    names.update(("space", "enter", "tab", "backspace", "escape", "delete", "insert"))
    names.update(f"f{number}" for number in range(1, 25))
    return frozenset(names)


def invalid_key(key: str) -> str | None:
    """Why `key` (``"ctrl+shift+wibble"``) is not a key Textual can deliver, or None when it is.

    A key is modifiers joined by ``+`` and one key name: a single printable character (``"c"``, ``"?"``),
    a named key (``"pagedown"``, ``"f5"``) or a character's Textual name (``"question_mark"``).
    """
    *modifiers, base = key.split("+") if key != "+" else ["+"]
    for modifier in modifiers:
        if modifier not in MODIFIERS:
            return f"{key!r} is not a key ({modifier!r} is not one of {', '.join(sorted(MODIFIERS))})"
    if len(base) == 1:
        return None if base.isprintable() else f"{key!r} is not a key (unprintable character)"
    if base in _key_names():
        return None
    try:
        character = unicodedata.lookup(base.replace("_", " ").upper())
    except KeyError:
        return f"{key!r} is not a key ({base!r} is not a key name Textual knows)"
    return None if len(character) == 1 and character.isprintable() else f"{key!r} is not a key"


def unknown_ids(keymap: dict[str, str], known_ids: Iterable[str]) -> list[str]:
    """Ids in `keymap` that no binding has (typos, or bindings renamed since), sorted."""
    known = set(known_ids)
    return sorted(binding_id for binding_id in keymap if binding_id not in known)


def binding_ids(*classes: type[DOMNode]) -> set[str]:
    """Every binding id declared in ``BINDINGS`` by these classes and their bases.

    Lets the app compute ``known_ids`` for :func:`unknown_ids` from its screens and widgets.
    """
    ids: set[str] = set()
    for cls in classes:
        for base in cls.__mro__:
            for binding in base.__dict__.get("BINDINGS", ()):
                if isinstance(binding, Binding) and binding.id:
                    ids.add(binding.id)
    return ids

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
from collections.abc import Iterable
from pathlib import Path

import platformdirs
from textual.binding import Binding
from textual.dom import DOMNode

__all__ = ["CONFIG_ENV", "binding_ids", "config_path", "load_keymap", "unknown_ids"]

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
        keymap[binding_id] = ",".join(dict.fromkeys(keys))
    return keymap, warnings


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

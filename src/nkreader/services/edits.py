"""Field-level edits of an annotation and how they merge with a change made elsewhere.

An editor (a window of the app, the command line) shows an annotation at some version and
changes some of its fields. The write names that version: if the annotation still has it,
only the changed fields are stored. If another window (another process, another member of a
team) stored a change in between, the annotation is read again and the edit is merged field
by field against what the editor saw (`seen`):

- a field only this editor changed is stored;
- a field only the other changed keeps the other's value (reported in `merged_from_others`);
- tags changed on both sides are merged as sets: this editor's additions and removals are
  applied to the other's tags;
- a note changed on both sides keeps both texts (the other's first), so no typing is lost;
- any other field (kind, speaker, status, position) changed to different values on both sides
  keeps the value stored first, and this editor's value is returned in `conflicts` with a
  message that says so.

Nothing is dropped without a word: every field of the edit is either stored or named in the
outcome's message. This module is pure (no store); `Library.update_fields` runs it in the
write transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from nkreader.domain import AnchorState, Annotation, Kind, Status

PLACE = ("start", "end", "exact", "prefix", "suffix", "anchor_state")
"""The fields that say where an annotation sits: they change (and clash) together."""

EDITABLE = ("kind", "note", "tags", "speaker", "status", *PLACE)
"""Fields an edit may change. Identity (uuid, article), author, times and version are the store's."""

_NAMES = {"kind": "kind", "note": "note", "tags": "tags", "speaker": "speaker", "status": "status"}


def field_name(name: str) -> str:
    """What a user calls a field: the place fields are one "position"."""
    return "position" if name in PLACE else _NAMES.get(name, name)


@dataclass(frozen=True, slots=True)
class Conflict:
    """A change of this editor that was not stored as given, because another stored one first."""

    field: str
    """`kind`, `note`, `tags`, `speaker`, `status` or `position`."""
    yours: object
    """The value this editor asked for (for `position`: the (start, end) asked for)."""
    stored: object
    """The value stored now."""
    kept_both: bool = False
    """True when both changes are in the stored value (notes, tags); False when yours was not stored."""


@dataclass(frozen=True, slots=True)
class EditOutcome:
    """What an edit stored, and what happened to it when another window had changed the annotation."""

    annotation: Annotation
    """The annotation as stored now (its new version included)."""
    saved: tuple[str, ...] = ()
    """User names of the fields of this edit that were stored as asked."""
    conflicts: tuple[Conflict, ...] = ()
    merged_from_others: tuple[str, ...] = ()
    """User names of the fields another window changed since the editor's version (now shown)."""
    message: str = ""
    """One line for the user; empty when the edit was stored over the version the editor saw."""

    @property
    def clean(self) -> bool:
        """Stored exactly as asked over the version the editor saw: nothing to tell the user."""
        return not self.conflicts and not self.merged_from_others

    @property
    def lost(self) -> tuple[Conflict, ...]:
        """The changes of this edit that are not in the stored annotation (the user was told)."""
        return tuple(c for c in self.conflicts if not c.kept_both)


@dataclass(slots=True)
class Merge:
    """The result of `merge`: the values to store, and what to tell the editor."""

    values: dict[str, object] = field(default_factory=dict)
    saved: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    others: list[str] = field(default_factory=list)


def normalise(changes: Mapping[str, object]) -> dict[str, object]:
    """`changes` with values of the fields' types (enums from their values, tags as a list).

    ValueError for a field an edit may not change.
    """
    unknown = [name for name in changes if name not in EDITABLE]
    if unknown:
        raise ValueError(f"cannot edit {', '.join(sorted(unknown))} of an annotation")
    clean: dict[str, object] = {}
    for name, value in changes.items():
        if name == "kind":
            value = Kind(value)  # type: ignore[arg-type]
        elif name == "status":
            value = Status(value)  # type: ignore[arg-type]
        elif name == "anchor_state":
            value = AnchorState(value)  # type: ignore[arg-type]
        elif name == "tags":
            value = list(dict.fromkeys(value))  # type: ignore[call-overload]
        elif name == "speaker":
            value = value or None
        clean[name] = value
    return clean


def differing(annotation: Annotation, changes: Mapping[str, object]) -> dict[str, object]:
    """The changes whose value is not already the annotation's."""
    return {name: value for name, value in changes.items() if getattr(annotation, name) != value}


def changed_fields(before: Annotation, after: Annotation) -> dict[str, object]:
    """The editable fields of `after` that differ from `before` (what an edit from one to the other changes)."""
    return {name: getattr(after, name) for name in EDITABLE if getattr(before, name) != getattr(after, name)}


def merge(seen: Annotation | None, stored: Annotation, changes: Mapping[str, object]) -> Merge:
    """Merge `changes` (made on `seen`) into `stored` (changed since by someone else).

    Without `seen` nothing can be told about what the other changed: a field whose stored
    value differs from the one asked for counts as changed on both sides.
    """
    result = Merge()
    groups: dict[str, list[str]] = {}
    for name in changes:
        groups.setdefault(field_name(name), []).append(name)
    for label, names in groups.items():
        mine = {n: changes[n] for n in names}
        if label == "position":
            # the position is one value: all its fields from one side
            names = list(PLACE) if any(n in mine for n in ("start", "end")) else names
        theirs_changed = seen is None or any(getattr(seen, n) != getattr(stored, n) for n in names)
        already = all(getattr(stored, n) == v for n, v in mine.items())
        if already:
            result.saved.append(label)
        elif not theirs_changed:
            result.values.update(mine)
            result.saved.append(label)
        elif label == "tags":
            merged = merge_tags(seen.tags if seen else None, stored.tags, mine["tags"])  # type: ignore[arg-type]
            if merged != stored.tags:
                result.values["tags"] = merged
            result.conflicts.append(Conflict("tags", mine["tags"], merged, kept_both=True))
        elif label == "note":
            merged_note = merge_note(seen.note if seen else None, stored.note, mine["note"])  # type: ignore[arg-type]
            if merged_note != stored.note:
                result.values["note"] = merged_note
            result.conflicts.append(Conflict("note", mine["note"], merged_note, kept_both=True))
        else:
            if label == "position":
                yours: object = (mine.get("start", stored.start), mine.get("end", stored.end))
                now: object = (stored.start, stored.end)
            else:
                yours, now = mine[names[0]], getattr(stored, names[0])
            result.conflicts.append(Conflict(label, yours, now))
    if seen is not None:
        touched = {field_name(n) for n in changes}
        for name in EDITABLE:
            label = field_name(name)
            if (
                label not in touched
                and label not in result.others
                and getattr(seen, name) != getattr(stored, name)
            ):
                result.others.append(label)
    return result


def merge_tags(seen: list[str] | None, stored: list[str], mine: list[str]) -> list[str]:
    """This editor's additions and removals (against `seen`) applied to the stored tags.

    Without `seen`, nothing is known to be removed: the union, stored tags first.
    """
    base = seen if seen is not None else []
    removed = set(base) - set(mine) if seen is not None else set()
    added = [t for t in mine if t not in base]
    kept = [t for t in stored if t not in removed]
    return kept + [t for t in added if t not in kept]


def merge_note(seen: str | None, stored: str, mine: str) -> str:
    """A note changed on both sides: both texts, unless one already holds the other."""
    if mine in stored:
        return stored
    if stored in mine:  # the other's note is inside yours (or was cleared)
        return mine
    if seen and mine.startswith(seen) and stored.startswith(seen):
        return stored + mine[len(seen) :]  # both added to the end of the same note
    return stored.rstrip() + "\n\n" + mine.strip()


def describe(saved: list[str], conflicts: list[Conflict], others: list[str], *, moved: bool) -> str:
    """The one line the editor is shown ("tags changed in another window; your note was saved")."""
    if not moved:
        return ""
    parts: list[str] = []
    if others:
        parts.append(f"{_join(others)} changed in another window")
    for conflict in conflicts:
        if conflict.kept_both:
            parts.append(f"{conflict.field} also changed in another window: both kept")
        else:
            parts.append(
                f"{conflict.field} changed in another window first: "
                f"kept {_shown(conflict.stored)}, yours ({_shown(conflict.yours)}) not saved"
            )
    if saved:
        parts.append(f"your {_join(saved)} {'was' if len(saved) == 1 else 'were'} saved")
    if not parts:
        return "changed in another window meanwhile; nothing of yours was lost"
    return "; ".join(parts)


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _shown(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, tuple):
        return f"{value[0]}..{value[1]}"
    text = str(value.value if hasattr(value, "value") else value)
    text = " ".join(text.split())
    return f"“{text[:40]}…”" if len(text) > 40 else f"“{text}”"

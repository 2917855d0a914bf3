"""Making an alias the name a speaker is shown by (issue 16 item 16).

`speakers --merge A B` where A is already an alias of B used to report success and change
nothing: both names were one speaker, so there was "nothing to merge". What the user asks for
is that A be the name kept: A becomes the canonical name, B (and the other aliases) its aliases,
and every annotation naming any of them names A.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, bindparam, text
from sqlalchemy.orm import Session

from nkreader.domain import utcnow
from nkreader.store.models import SpeakerAliasRow, SpeakerRow

__all__ = ["promote_alias"]

_UTC_STORED = "%Y-%m-%d %H:%M:%S.%f"


def promote_alias(session: Session, alias: str, spellings: list[str], *, by: str | None = None) -> int:
    """Make the registered `alias` its speaker's canonical name; the old name becomes an alias.

    `spellings` are every spelling of that speaker (the old canonical name first); annotations
    naming any of them are rewritten to `alias` (`by`, the annotator, as their `updated_by`).
    Returns how many annotations changed.
    """
    row = session.query(SpeakerAliasRow).filter(SpeakerAliasRow.alias == alias).one()
    speaker = session.get(SpeakerRow, row.speaker_id)
    assert speaker is not None
    old_name = speaker.name
    # swap the two names in one flush (both columns are unique)
    row.alias = f"\x00{old_name}"
    session.flush()
    speaker.name = alias
    session.flush()
    row.alias = old_name
    session.flush()
    stored_now = utcnow().replace(tzinfo=None).strftime(_UTC_STORED)
    others = [s for s in spellings if s != alias]
    if not others:
        return 0
    result = session.execute(
        text(
            "UPDATE annotations SET speaker = :keep, updated_at = :now, updated_by = :by, "
            "version = version + 1 WHERE speaker IN :names"
        ).bindparams(bindparam("names", expanding=True)),
        {"keep": alias, "now": stored_now, "by": by, "names": others},
    )
    changed = cast(CursorResult[Any], result).rowcount
    return changed or 0

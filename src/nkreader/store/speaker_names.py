"""Making an alias the name a speaker is shown by (issue 16 item 16).

`speakers --merge A B` where A is already an alias of B used to report success and change
nothing: both names were one speaker, so there was "nothing to merge". What the user asks for
is that A be the name kept: A becomes the canonical name (the name of the speaker's entity), B
(and the other aliases) its aliases, and every annotation naming any of them names A.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from nkreader.analysis import fold
from nkreader.store.speakers import rewrite_speakers

__all__ = ["promote_alias"]


def promote_alias(session: Session, alias: str, spellings: list[str], *, by: str | None = None) -> int:
    """Make the registered `alias` its speaker's canonical name; the old name becomes an alias.

    `spellings` are every spelling of that speaker (the old canonical name first); annotations
    naming any of them are rewritten to `alias` (`by`, the annotator, as their `updated_by`).
    Returns how many annotations changed.
    """
    variant_id, entity_id = session.execute(
        text("SELECT id, entity_id FROM entity_variants WHERE folded = :f"), {"f": fold(alias)}
    ).one()
    session.execute(text("UPDATE entity_variants SET variant = :a WHERE id = :v"), {"a": alias, "v": variant_id})
    session.execute(text("UPDATE entities SET name = :a WHERE id = :e"), {"a": alias, "e": entity_id})
    session.flush()
    return rewrite_speakers(session, alias, spellings, by=by)

"""How tags and passages are written inside other text, so that what is shown cannot be misread.

Why this exists: tags may hold spaces (``foreign phones``), and ``#foreign phones`` reads as two tags; a
passage's preview wrapped in “…” looks like a quotation when the passage itself begins with a quotation
mark (``““People used to…”``). Tags with spaces are bracketed, and previews are set off with single
guillemets ‹…›, which news text in English and Korean hardly ever uses, so the text's own quotation
marks stay visibly its own.
"""

from __future__ import annotations

from collections.abc import Iterable

from nkreader.tui.safe import excerpt

__all__ = ["passage_preview", "tag_label", "tags_label"]


def tag_label(tag: str, cells: int = 40) -> str:
    """``#market``; ``#[foreign phones]`` for a tag with spaces (one tag, visibly)."""
    text = excerpt(tag, cells)
    return f"#[{text}]" if any(ch.isspace() for ch in text) else f"#{text}"


def tags_label(tags: Iterable[str], cells: int = 40) -> str:
    """Every non-blank tag as :func:`tag_label`, space-separated."""
    return " ".join(tag_label(tag, cells) for tag in tags if tag.strip())


def passage_preview(text: str, cells: int) -> str:
    """``‹excerpt…›``: a passage quoted inside a sentence of the app's own."""
    return f"‹{excerpt(text, cells) or '…'}›"

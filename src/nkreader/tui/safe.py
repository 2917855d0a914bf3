"""Make untrusted strings safe and compact for the terminal.

Every article title, source, speaker, note, tag and excerpt comes from files the analyst did not write.
Two things can go wrong when such a string reaches the screen:

- markup: Textual parses ``[...]`` in plain ``str`` given to ``Static``, ``Label``, ``OptionList``,
  ``notify()`` and ``DataTable`` (``[@click=app.quit]`` runs an action, ``[/nope]`` crashes). That is
  avoided by rendering through ``Text``/``Content``/``Strip`` — not by this module;
- control characters: neither ``Text`` nor ``Content`` strips ESC, CSI, OSC or C1 controls, so an OSC
  title sequence in an article title would reach the real terminal, and bidi overrides can reorder what
  the analyst sees. The importer sanitizes bodies; :func:`safe_text` is the defensive second line for
  everything shown in widgets.

:func:`fold` is the matching counterpart: the key that makes "kim jong un" find "Kim Jong-un" and
"seoul" find "Séoul".
"""

from __future__ import annotations

import re
import unicodedata

from rich.cells import cell_len, get_character_cell_size

from nkreader.text.sanitize import REPLACEMENT, sanitize

__all__ = ["ELLIPSIS", "REPLACEMENT", "excerpt", "fit", "fold", "safe_text"]

ELLIPSIS = "…"
_SPACES = re.compile(r"\s+")


def safe_text(s: str, *, multiline: bool = False) -> str:
    """Return `s` with terminal control characters replaced, ready for ``Text``/``Content``.

    The policy is `nkreader.text.sanitize`'s (one table for the app, the CLI and imports): unsafe
    characters become U+FFFD; tab, CR, LF and U+2028/U+2029 a space so one-line widgets stay one
    line. With ``multiline=True`` (editing a note) ``\\n`` and ``\\t`` are kept as they are.
    """
    return sanitize(s, "multiline" if multiline else "line")


def fit(s: str, width: int) -> tuple[str, int]:
    """Cut an already safe, single-line `s` to at most `width` cells, ending with "…" if cut.

    Returns the text and its width in cells (which may be less than `width`: a wide character that
    would straddle the edge is dropped), so callers can pad columns exactly.
    """
    if width <= 0:
        return "", 0
    if s.isascii():  # fast path: one cell per character (controls are gone already)
        if len(s) <= width:
            return s, len(s)
        return s[: width - 1] + ELLIPSIS, width
    total = cell_len(s)
    if total <= width:
        return s, total
    budget = width - 1  # room for the ellipsis
    used = 0
    for end, ch in enumerate(s):
        size = get_character_cell_size(ch)
        if used + size > budget:
            return s[:end] + ELLIPSIS, used + 1
        used += size
    return s, used  # not reached: total > width


def excerpt(s: str, width: int) -> str:
    """One line of at most `width` terminal cells: safe, whitespace collapsed, "…" when cut.

    Cell-width aware: CJK and other wide characters count as two cells, so a Korean title is cut at
    the same visual column as a Latin one.
    """
    s = _SPACES.sub(" ", safe_text(s)).strip()
    return fit(s, width)[0]


# --------------------------------------------------------------------------- matching
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_CURLY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00ad": ""})
_CURLY_CHARS = re.compile(r"[\u2018\u2019\u201c\u201d\u00ad]")


def fold(s: str) -> str:
    """Matching key: case-folded, without diacritics, hyphens and dashes as spaces, spaces collapsed.

    "Kim Jong-un", "KIM JONG UN" and "kim  jong un" all fold to "kim jong un"; "Séoul" to "seoul".
    Hangul is recomposed after the diacritics are removed, so Korean substrings still match whole
    syllables. ASCII strings take a fast path (about 0.5 µs each): keys for 10,000 titles cost ~6 ms.
    """
    s = s.casefold()
    if s.isascii():
        if "-" in s:
            s = s.replace("-", " ")
        if "_" in s:
            s = s.replace("_", " ")
    else:
        s = unicodedata.normalize("NFC", _COMBINING.sub("", unicodedata.normalize("NFKD", s)))
        s = _DASHES.sub(" ", s.replace("-", " ").replace("_", " "))
        if _CURLY_CHARS.search(s):
            s = s.translate(_CURLY)
    return " ".join(s.split())

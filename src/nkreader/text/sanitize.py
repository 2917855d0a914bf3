"""One control-character policy for everything nkreader stores or shows (docs/ARCHITECTURE.md §4).

Article text, titles, notes and file names come from sources the analyst did not write. Two
things can go wrong with them: a control or escape sequence reaches the terminal (an OSC title,
an OSC 52 clipboard write, `ESC[2J`, the 8-bit CSI U+009B), or a bidi override reorders what the
analyst sees. This module holds the one table of such characters and the ways to neutralise them:

- storage (`strip_unsafe`): used by `text.normalize` on import; whole escape sequences and
  unsafe characters are removed, so a stored body is clean and its offsets stable;
- terminal, three modes (`sanitize`):
  - ``"line"``: one line (titles, sources, speakers, reasons); tab, CR, LF, U+2028/2029 become a
    space, every other unsafe character U+FFFD (tampering stays visible, never silently gone);
  - ``"multiline"``: notes, bodies printed by the CLI; ``\\n`` and ``\\t`` kept (``\\r\\n`` read as
    ``\\n``), the rest as in ``"line"``;
  - ``"display"``: the reader widget's copy of a body: one character in, one out (offsets into the
    stored text stay valid); ``\\n`` kept, tab a space, the rest U+FFFD.

The stored data itself is never rewritten for display: files get the data as stored, terminals get
`sanitize` output.
"""

from __future__ import annotations

import re
from typing import Literal

__all__ = [
    "ESCAPE_SEQUENCES",
    "REPLACEMENT",
    "UNSAFE",
    "UNSAFE_CHARACTERS",
    "Mode",
    "escape_json_unsafe",
    "has_unsafe",
    "sanitize",
    "strip_unsafe",
]

REPLACEMENT = "\ufffd"
"""Shown in place of an unsafe character on a terminal."""

UNSAFE_CHARACTERS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u206f\ufeff\ud800-\udfff"
"""The one table, as a regex character-class body: C0 controls but tab and LF, DEL, C1 controls,
bidi embeddings/overrides (U+202A-202E) and isolates plus deprecated format characters
(U+2066-206F), BOM / zero-width no-break space, lone surrogates (which no terminal can encode)."""

_BREAKS = "\t\n\r\u2028\u2029"
"""Layout, not attack: shown as a space on one line (CR, U+2028/2029 are also in the table or
treated as breaks so a "single line" never becomes two)."""

ESCAPE_SEQUENCES = re.compile(
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n\r]*(?:\x07|\x1b\\|\x9c)?"
    r"|(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]"
)
"""Whole escape sequences, in their 7-bit (ESC x) and 8-bit (C1) forms: control strings (OSC, DCS,
SOS, PM, APC) up to BEL or ST, or the end of the line if unterminated; CSI with its parameter and
intermediate bytes; any other ESC sequence (ESC 7, ESC ( B, ESC \\ ...)."""

ESCAPE_STARTS = "\x1b\x90\x98\x9b\x9d\x9e\x9f"
"""First characters of `ESCAPE_SEQUENCES`: text without any needs no sequence scan."""

Mode = Literal["line", "multiline", "display"]

UNSAFE = re.compile(f"[{UNSAFE_CHARACTERS}]")
"""Any character of the table (tab and LF are not in it)."""
_UNSAFE_LINE = re.compile(f"[{UNSAFE_CHARACTERS}\t\n\u2028\u2029]")
_UNSAFE_MULTILINE = re.compile(f"[{UNSAFE_CHARACTERS}\u2028\u2029]")
_UNSAFE_DISPLAY = re.compile(f"[{UNSAFE_CHARACTERS}\t\u2028\u2029]")
_PATTERNS: dict[str, re.Pattern[str]] = {
    "line": _UNSAFE_LINE,
    "multiline": _UNSAFE_MULTILINE,
    "display": _UNSAFE_DISPLAY,
}


def strip_unsafe(text: str) -> str:
    """Storage: remove whole escape sequences, then every unsafe character (tab and LF stay)."""
    if any(c in text for c in ESCAPE_STARTS):
        text = ESCAPE_SEQUENCES.sub("", text)
    return UNSAFE.sub("", text)


def has_unsafe(text: str, mode: Mode = "line") -> bool:
    return _PATTERNS[mode].search(text) is not None


def _as_line(match: re.Match[str]) -> str:
    return " " if match.group() in _BREAKS else REPLACEMENT


def _as_multiline(match: re.Match[str]) -> str:
    return " " if match.group() in "\r\u2028\u2029" else REPLACEMENT


def _as_display(match: re.Match[str]) -> str:
    return " " if match.group() == "\t" else REPLACEMENT


_REPLACERS = {"line": _as_line, "multiline": _as_multiline, "display": _as_display}


def sanitize(text: str, mode: Mode = "line", *, replacement: str = REPLACEMENT) -> str:
    """`text` made safe for a terminal in `mode` (see the module docstring).

    Clean strings (the common case) come back unchanged after one regex scan, so this is cheap
    enough to call on every rendered row. In ``"display"`` mode the result has the same length.
    """
    pattern = _PATTERNS[mode]
    if pattern.search(text) is None:
        return text
    if mode == "multiline" and "\r\n" in text:
        text = text.replace("\r\n", "\n")
    result = pattern.sub(_REPLACERS[mode], text)
    if replacement != REPLACEMENT:
        result = result.replace(REPLACEMENT, replacement)
    return result


def escape_json_unsafe(document: str) -> str:
    """A JSON document with every unsafe character written as a `\\uXXXX` escape.

    `json.dumps(ensure_ascii=False)` escapes C0 controls but leaves C1 (U+009B is an 8-bit CSI),
    bidi overrides and U+2028/2029 raw. Outside strings JSON holds only ASCII, so the escapes land
    inside strings: the document parses to exactly the same data and is safe on a terminal.
    """
    if _UNSAFE_MULTILINE.search(document) is None:
        return document
    return _UNSAFE_MULTILINE.sub(lambda m: f"\\u{ord(m.group()):04x}", document)

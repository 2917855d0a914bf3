"""One control-character policy (issue 10 item 7): the importer, the app, the reader widget and the
CLI treat every character of `text.sanitize`'s table the same way."""

from __future__ import annotations

import json

import pytest

from nkreader.cli.output import printable, printable_text
from nkreader.text.layout import display_text
from nkreader.text.normalize import normalize_line, normalize_text
from nkreader.text.sanitize import REPLACEMENT, escape_json_unsafe, sanitize, strip_unsafe
from nkreader.tui.safe import safe_text

TABLE = [
    *(chr(c) for c in range(0x00, 0x20) if chr(c) not in "\t\n\r"),
    *(chr(c) for c in range(0x7F, 0xA0)),
    *"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u206a\u206f\ufeff",
    "\ud800",
]


@pytest.mark.parametrize("ch", TABLE, ids=lambda c: f"U+{ord(c):04X}")
def test_every_place_treats_an_unsafe_character_alike(ch: str) -> None:
    text = f"a{ch}b"
    assert sanitize(text) == sanitize(text, "multiline") == "a" + REPLACEMENT + "b"
    assert display_text(text) == "a" + REPLACEMENT + "b"  # the reader: same length, same offsets
    assert safe_text(text) == safe_text(text, multiline=True) == "a" + REPLACEMENT + "b"
    assert printable(text) == "a?b"
    assert printable_text(text) == "a" + REPLACEMENT + "b"
    assert ch not in normalize_text(text) and ch not in normalize_line(text)
    assert ch not in strip_unsafe(text) and strip_unsafe(text).startswith("a")  # ESC... eats its sequence


def test_modes_differ_only_in_layout_characters() -> None:
    text = "one\ttwo\nthree\r\nfour\u2028five"
    assert sanitize(text, "line") == "one two three  four five"
    assert sanitize(text, "multiline") == "one\ttwo\nthree\nfour five"
    shown = sanitize(text, "display")
    assert len(shown) == len(text) and shown.split("\n")[0] == "one two"


def test_whole_escape_sequences_are_removed_on_import() -> None:
    hostile = "a\x1b]0;title\x07b\x1b]52;c;ZXZpbA==\x1b\\c\x1b[2Jd\x9b31me"
    assert strip_unsafe(hostile) == normalize_text(hostile) == "abcde"


def test_json_escapes_keep_the_data() -> None:
    value = {"t": "x\x9b31m\u202e\u2028y\ud800"}
    document = escape_json_unsafe(json.dumps(value, ensure_ascii=False))
    assert json.loads(document) == value
    assert sanitize(document, "multiline") == document  # nothing a terminal acts on is left

"""nkreader.text.normalize: decoding of bytes and normalization of bodies and metadata."""

from __future__ import annotations

import codecs
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from nkreader.text.normalize import TextDecodeError, decode_bytes, normalize_line, normalize_text

# Everything that must never survive: C0/C1 controls but \n, DEL, bidi embeddings/overrides/isolates,
# the other line separators, BOM, lone surrogates.
FORBIDDEN = {
    *map(chr, range(0x00, 0x0A)),
    *map(chr, range(0x0B, 0x20)),
    *map(chr, range(0x7F, 0xA0)),
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
    "\u2028",
    "\u2029",
    "\ufeff",
}

PIECES = st.sampled_from(
    [
        *"\x1b[]\x07\x9b\x9d\x9c\x90\x98\x9e\x9f\\;0P_^X\r\n\t \x85\x0b\x0c\x1c\x1d\x1e\x1f\x00\x7f",
        "\r\n",
        "\x1b[31m",
        "\x1b]0;title\x07",
        "\x1b]8;;http://x\x1b\\",
        "\u00a0",
        "\u3000",
        "\u2003",
        "\u2028",
        "\u2029",
        "\u202e",
        "\u2066",
        "\u200d",
        "\u200b",
        "\ufeff",
        "\u0301",
        "\u0327",
        "e",
        "가",
        "\u1100",
        "\u1161",
        "\u11a8",
        "a",
        "word",
        "[bold]",
        "[/]",
        "😀",
        "\U0001f1f0\U0001f1f7",
        "\ud800",
    ]
)
TEXTS = st.one_of(
    st.text(),
    st.lists(PIECES, max_size=40).map("".join),
    st.lists(st.one_of(PIECES, st.text(max_size=4)), max_size=30).map("".join),
)


# --- normalize_text: properties ------------------------------------------------------------


@settings(max_examples=400, deadline=None)
@given(TEXTS)
@example("\u1100\x00\u1161")  # removing a control lets conjoining jamo compose
@example("e\x1b[1m\u0301")  # removing an escape lets a combining mark reach its base
@example("a\n\u0301b")
@example("\x1b\x1b[31m[31m")
def test_normalize_text_properties(text: str) -> None:
    body = normalize_text(text)
    assert normalize_text(body) == body  # idempotent: stored offsets never move on re-normalization
    assert not FORBIDDEN & set(body)
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in body)
    assert "\t" not in body
    assert body.splitlines() == (body.split("\n") if body else [])
    assert "\n\n\n" not in body
    assert body == body.strip()
    for paragraph in body.split("\n\n") if body else []:
        assert paragraph and "\n" not in paragraph  # lines inside a paragraph are joined
        assert paragraph == paragraph.strip()
        assert "  " not in paragraph
    assert unicodedata.is_normalized("NFC", body)


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_normalize_line_properties(text: str) -> None:
    line = normalize_line(text)
    assert normalize_line(line) == line
    assert "\n" not in line and not FORBIDDEN & set(line)
    assert line == line.strip()


# --- normalize_text: examples ---------------------------------------------------------------


def test_paragraphs_flow_and_are_separated_by_one_blank_line() -> None:
    text = "  First line\r\nwrapped here.  \r\n\r\n\r\n\n Second\tparagraph\t\twith   spaces \n\n\n"
    assert normalize_text(text) == "First line wrapped here.\n\nSecond paragraph with spaces"


@pytest.mark.parametrize("separator", ["\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028"])
def test_every_line_break_is_a_line_break(separator: str) -> None:
    assert normalize_text(f"a{separator}b{separator}{separator}c") == "a b\n\nc"


def test_paragraph_separator_is_a_paragraph_break() -> None:
    assert normalize_text("one\u2029two") == "one\n\ntwo"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\x1b[1;31mred\x1b[0mb", "aredb"),
        ("a\x1b[38;2;255;0;0mb", "ab"),
        ("a\x1b]0;window title\x07b", "ab"),
        ("a\x1b]2;window title\x1b\\b", "ab"),
        ("a\x1b]52;c;cm0gLXJmIH4=\x07b", "ab"),  # OSC 52: set the clipboard
        ("\x1b]8;;https://evil.example/\x1b\\text\x1b]8;;\x1b\\", "text"),  # OSC 8 hyperlink
        ("a\x1bPq#0;2;0;0;0#0!10~\x1b\\b", "ab"),  # DCS (sixel)
        ("a\x1b_payload\x1b\\b", "ab"),  # APC
        ("a\x1b^pm\x1b\\b x\x1bXsos\x1b\\y", "ab xy"),  # PM, SOS
        ("a\x9b2Jb", "ab"),  # 8-bit CSI
        ("a\x9d0;title\x9cb", "ab"),  # 8-bit OSC ... ST
        ("a\x9d0;title\x07b", "ab"),
        ("a\x90qdata\x9cb", "ab"),  # 8-bit DCS
        ("a\x1b7b\x1b8c\x1bcd\x1b(Be\x1b=f", "abcdef"),  # two-byte and nF sequences
        ("bell\x07 and del\x7f and nul\x00 and esc\x1b", "bell and del and nul and esc"),
        ("unterminated \x1b]0;title to the end of the line\nnext", "unterminated next"),
        ("\u202eevil\u202c \u2066iso\u2069 \u202aemb\u202c \u202bx\u202c \u202dy\u202c", "evil iso emb x y"),
    ],
)
def test_escape_sequences_and_controls_are_removed_whole(text: str, expected: str) -> None:
    assert normalize_text(text) == expected


def test_meaningful_characters_are_kept() -> None:
    text = "한국어 👨\u200d👩\u200d👧 e\u0301 \u200b \u200e [bold]x[/] [/nope] [@click=app.quit]click[/] \U0001f1f0\U0001f1f7"
    expected = unicodedata.normalize("NFC", text)
    assert normalize_text(text) == expected
    assert "é" in normalize_text("e\u0301")  # NFC


def test_non_breaking_spaces_alone_are_kept_runs_collapse() -> None:
    assert normalize_text("10\u00a0km") == "10\u00a0km"
    assert normalize_text("a\u00a0 \u3000b") == "a b"


def test_normalize_line() -> None:
    assert normalize_line("  A\ntitle\n\n second \x1b[31mpart\x1b[0m ") == "A title second part"
    assert normalize_line("\x1b]0;x\x07") == ""


def test_empty() -> None:
    assert normalize_text("") == ""
    assert normalize_text(" \n\t\r\n ") == ""


# --- decode_bytes -------------------------------------------------------------------------

KOREAN = "평양 시장에서 쌀값이 올랐다고 소식통이 전했다."


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (codecs.BOM_UTF8 + "héllo 한국".encode(), "héllo 한국"),
        ("héllo 한국".encode("utf-16"), "héllo 한국"),
        (codecs.BOM_UTF16_BE + "héllo 한국".encode("utf-16-be"), "héllo 한국"),
        ("héllo 한국".encode("utf-32"), "héllo 한국"),
        (codecs.BOM_UTF32_BE + "héllo 한국".encode("utf-32-be"), "héllo 한국"),
        ("plain UTF-8: 한국어 ✓".encode(), "plain UTF-8: 한국어 ✓"),
        ("Café in Pyongyang, crème brûlée".encode("latin-1"), "Café in Pyongyang, crème brûlée"),
        ("naïve".encode("latin-1"), "naïve"),
        ("São Paulo and Brasília".encode("latin-1"), "São Paulo and Brasília"),
        ("“Quoted,” he said — it’s €5…".encode("cp1252"), "“Quoted,” he said — it’s €5…"),
        (KOREAN.encode("euc-kr"), KOREAN),
        ("북한 소식".encode("euc-kr"), "북한 소식"),  # short: CJK encodings tie, Korean wins
        ("Rice prices rose in Hyesan.".encode("utf-16-le"), "Rice prices rose in Hyesan."),
        ("Rice prices rose in Hyesan.".encode("utf-16-be"), "Rice prices rose in Hyesan."),
        (KOREAN.encode("utf-16-le"), KOREAN),
    ],
)
def test_decode_bytes(data: bytes, expected: str) -> None:
    assert decode_bytes(data) == expected


def test_declared_charset_wins_when_valid() -> None:
    data = "Größe".encode("latin-1")
    assert decode_bytes(data, "iso-8859-1") == "Größe"
    assert decode_bytes("“x”".encode("cp1252"), "iso-8859-1") == "“x”"  # Latin-1 labels mean CP1252
    assert decode_bytes(KOREAN.encode("euc-kr"), "euc-kr") == KOREAN
    assert decode_bytes(b"plain", "no-such-charset") == "plain"
    assert decode_bytes("한국".encode(), "ascii") == "한국"  # invalid in the declared one: go on


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"text\x00with a NUL", "NUL"),
        (bytes(range(256)) * 4, "binary"),
        (
            b"\x01\x02\x03\x04 mostly control bytes \x05\x06\x07\x08\x0e\x0f\x10\x11\x12\x13\x14\x15",
            "control",
        ),
        (codecs.BOM_UTF16_LE + b"\x00\xd8", "UTF-16"),  # lone surrogate after a BOM
    ],
)
def test_decode_refuses_binary(data: bytes, reason: str) -> None:
    with pytest.raises(TextDecodeError) as caught:
        decode_bytes(data)
    assert reason in str(caught.value) and "\n" not in str(caught.value)


def test_decode_refuses_random_bytes() -> None:
    import random

    data = random.Random(7).randbytes(5000).replace(b"\x00", b"")
    with pytest.raises(TextDecodeError):
        decode_bytes(data)

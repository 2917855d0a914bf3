"""Decoding and normalization of imported text (docs/ARCHITECTURE.md §4).

Every body the store keeps has gone through `normalize_text`; annotation offsets refer to the
result, so the function is deterministic and idempotent. It also makes untrusted text safe to
put on a terminal: no escape sequence, C0/C1 control or bidi override survives it.

- `decode_bytes` turns the bytes of a file into `str` (BOM, declared charset, UTF-8, detection)
  and refuses binary data with `TextDecodeError`.
- `normalize_text` produces a body: paragraphs of single-spaced text separated by one blank line.
- `normalize_line` produces a single-line metadata string (title, author, source ...).
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

from nkreader.text.sanitize import ESCAPE_SEQUENCES, ESCAPE_STARTS, UNSAFE

__all__ = ["TextDecodeError", "decode_bytes", "normalize_line", "normalize_text"]


class TextDecodeError(ValueError):
    """The bytes are not text in any encoding we can recognise (or are binary)."""


# --- decoding ---------------------------------------------------------------------------------

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Declared charsets that are, in practice, supersets (the WHATWG encoding standard does the same):
# pages labelled Latin-1 or ASCII use Windows-1252 curly quotes; EUC-KR pages use UHC (CP949).
_DECLARED_SUPERSETS = {"iso8859-1": "cp1252", "ascii": "cp1252", "euc_kr": "cp949"}
_KOREAN = {"cp949", "euc_kr", "johab", "iso2022_kr"}
_MULTIBYTE = ("cp949", "euc", "johab", "iso2022", "shift_jis", "cp932", "gb", "hz", "cp936", "big5", "cp950")
_EBCDIC = {"cp037", "cp273", "cp424", "cp500", "cp875", "cp1026", "cp1140"}

_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\v\f\r\x1b") + b"\x7f"
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")
_MAX_CONTROL_RATIO = 0.1


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode the bytes of a text file.

    Order: byte-order mark; UTF-16 without BOM (recognised by its NUL pattern); the `declared`
    charset if Python knows it and the bytes are valid in it; strict UTF-8; charset-normalizer
    detection (ties go to Korean for CJK double-byte text, to CP1252 for Western text). One
    exception: bytes that are valid UTF-8 are read as UTF-8 even when a single-byte charset is
    declared (a stale label: multi-byte UTF-8 sequences hardly ever occur by chance).
    Raises `TextDecodeError` for binary data: NUL bytes in anything but UTF-16/32, too many
    control characters, or bytes no detector can read.
    """
    if not data:
        return ""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data[len(bom) :].decode(encoding))
            except UnicodeDecodeError:
                if encoding == "utf-8":
                    data = data[len(bom) :]  # a stray UTF-8 BOM on legacy text: detect below
                    break
                raise TextDecodeError(
                    f"not valid {encoding.upper()[:6]} despite its byte-order mark"
                ) from None
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise TextDecodeError("binary data (NUL bytes), not text")
        return _checked(text)
    control = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if control > _MAX_CONTROL_RATIO * len(data):
        raise TextDecodeError("binary data (too many control characters), not text")
    encoding = _usable_declared(declared)
    try:
        utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    # A declared single-byte charset on bytes that are valid UTF-8 (with non-ASCII in them) is a
    # stale label, common in saved pages: multi-byte UTF-8 sequences almost never occur by chance.
    if utf8 is not None and (encoding is None or not encoding.startswith(_MULTIBYTE)):
        if b"\xc2" not in data:
            # No C1 control (U+0080-U+009F is \xc2\x80-\xc2\x9f in UTF-8) and no NUL: the control
            # characters of the text are the control bytes counted above (same set); no need
            # to scan the text for them again.
            if control > _MAX_CONTROL_RATIO * len(utf8):
                raise TextDecodeError("binary data (too many control characters), not text")
            return utf8
        return _checked(utf8)
    if encoding is not None:
        try:
            return _checked(data.decode(encoding))
        except UnicodeDecodeError:
            pass
    if utf8 is not None:
        return _checked(utf8)
    return _checked(_detect(data))


def _checked(text: str) -> str:
    if "\x00" in text:
        raise TextDecodeError("binary data (NUL characters), not text")
    if len(_CONTROL_CHARS.findall(text)) > _MAX_CONTROL_RATIO * len(text):
        raise TextDecodeError("binary data (too many control characters), not text")
    return text


def _usable_declared(declared: str | None) -> str | None:
    if not declared:
        return None
    try:
        name = codecs.lookup(declared.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None
    if name.startswith(("utf-16", "utf-32")):
        return None  # without a BOM such a label is almost always wrong (WHATWG ignores it too)
    return _DECLARED_SUPERSETS.get(name, name)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM: ASCII characters leave NULs in every other byte."""
    if len(data) % 2:
        return None
    sample = data[:65536]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    pairs = len(sample) // 2
    if max(even, odd) < 0.2 * pairs:
        return None
    encoding = "utf-16-le" if odd > even else "utf-16-be"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _detect(data: bytes) -> str:
    # UTF-16/32 guesses for bytes without NULs are only plausible for East Asian scripts.
    # EBCDIC code pages never fit files written on the machines we read from.
    results = [
        r
        for r in from_bytes(data)
        if r.encoding not in _EBCDIC
        and (not r.encoding.startswith(("utf_16", "utf_32")) or _mostly_cjk(str(r)))
    ]
    if not results:
        raise TextDecodeError("unknown text encoding (binary data?)")
    best = results[0]
    close = [r for r in results if r.chaos <= best.chaos + 0.01]
    # Short Korean texts are ambiguous between the CJK double-byte encodings: prefer Korean.
    if best.encoding not in _KOREAN:
        for match in close:
            if match.encoding in _KOREAN:
                text = str(match)
                if _mostly_hangul(text):
                    return text
    # Western single-byte texts: charset-normalizer reports CP1250 when CP1252 reads the same.
    if best.encoding != "cp1252" and any("cp1252" in r.could_be_from_charset for r in close):
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return str(best)


def _mostly_hangul(text: str) -> bool:
    return _mostly(text, _HANGUL)


def _mostly_cjk(text: str) -> bool:
    return _mostly(text, _CJK)


_HANGUL = re.compile(r"[\uac00-\ud7a3\u3130-\u318f]")
_CJK = re.compile(r"[\uac00-\ud7a3\u3130-\u318f\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]")


def _mostly(text: str, script: re.Pattern[str]) -> bool:
    """At least 80% of the non-ASCII, non-space characters are in `script`."""
    sample = text[:20000]
    wide = sum(1 for c in sample if ord(c) > 0x7F and not c.isspace())
    return wide > 0 and len(script.findall(sample)) >= 0.8 * wide


# --- normalization ----------------------------------------------------------------------------

# The escape sequences and unsafe characters removed are `text.sanitize`'s one table.
_LINE_BREAKS = re.compile(r"\r\n|[\r\v\f\x1c-\x1e\x85\u2028]")
_STRIP = UNSAFE
_HSPACE = "\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
# A run of two or more horizontal spaces, or a single tab. Written to start with one character
# class (rather than `[...]{2,}|\t`) so the regex engine can skip ahead to candidate characters.
_SPACE_RUNS = re.compile(f"[{_HSPACE}](?:[{_HSPACE}]+|(?<=\t))")
_WIDE_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_BREAK_CHARACTERS = "\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"  # what `_LINE_BREAKS` and U+2029 change
# Every character any step below could remove or change, but for "\n" and " ": text without any
# (most text) goes straight to NFC and the paragraph split. A search for one character class
# costs ~3 ns a character; the three substitutions it saves cost ~60.
_SPECIAL = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u00a0\u1680\u2000-\u200a\u2028-\u202f\u205f-\u206f"
    "\u3000\ufeff\ud800-\udfff]"
)
_DOUBLE_SPACES = re.compile("  +")


def normalize_text(text: str) -> str:
    """Normalize a body (docs/ARCHITECTURE.md §4); idempotent.

    Escape sequences and control characters are removed, line breaks of every kind become `\\n`
    (U+2029 a paragraph break), the text is put in NFC, runs of horizontal whitespace become
    one space and each line is stripped. Paragraphs are blocks separated by blank lines: the
    lines inside one are joined with a space (hard-wrapped text flows again), and paragraphs are
    joined by exactly one blank line. No leading or trailing whitespace.
    """
    if _SPECIAL.search(text) is None:
        # Nothing to remove or change but NFC and spaces: the only whitespace is " " and "\n".
        if not text.isascii():
            text = unicodedata.normalize("NFC", text)
        if "  " in text:
            text = _DOUBLE_SPACES.sub(" ", text)
        return _paragraphs(text)
    if any(c in text for c in ESCAPE_STARTS):
        text = ESCAPE_SEQUENCES.sub("", text)
    if any(c in text for c in _BREAK_CHARACTERS):
        text = _LINE_BREAKS.sub("\n", text).replace("\u2029", "\n\n")
    text = _STRIP.sub("", text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if "\t" in text or "  " in text or _WIDE_SPACES.search(text):
        text = _SPACE_RUNS.sub(" ", text)
    return _paragraphs(text)


def _paragraphs(text: str) -> str:
    """Strip each line; join the lines of a paragraph with a space, paragraphs with a blank line.
    Runs of horizontal space are already single (so a stripped line has none at its ends)."""
    paragraphs: list[str] = []
    lines: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if line:
            lines.append(line)
        elif lines:
            paragraphs.append(" ".join(lines))
            lines = []
    if lines:
        paragraphs.append(" ".join(lines))
    return "\n\n".join(paragraphs)


def normalize_line(text: str) -> str:
    """Normalize a metadata string (title, author ...) to a single line; idempotent."""
    return normalize_text(text).replace("\n\n", " ")

"""`normalize_text`'s fast paths give exactly what the plain, step-by-step version gives.

The reference below is the function as it was before the fast paths (every substitution on
every text, spaces collapsed line by line). Stored bodies and annotation offsets depend on
the result, so the two must agree on any input, not only on typical text.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from nkreader.text import normalize
from nkreader.text.normalize import TextDecodeError, decode_bytes, normalize_text
from nkreader.text.sanitize import ESCAPE_SEQUENCES
from test_normalize import TEXTS

_HSPACE = "\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_SPACE_RUNS = re.compile(f"[{_HSPACE}]{{2,}}|\t")


def reference(text: str) -> str:
    text = ESCAPE_SEQUENCES.sub("", text)  # the one control-character policy (text/sanitize.py)
    text = normalize._LINE_BREAKS.sub("\n", text).replace("\u2029", "\n\n")
    text = normalize._STRIP.sub("", text)
    text = unicodedata.normalize("NFC", text)
    paragraphs: list[str] = []
    lines: list[str] = []
    for raw in text.split("\n"):
        line = _SPACE_RUNS.sub(" ", raw).strip()
        if line:
            lines.append(line)
        elif lines:
            paragraphs.append(" ".join(lines))
            lines = []
    if lines:
        paragraphs.append(" ".join(lines))
    return "\n\n".join(paragraphs)


# text made mostly of the characters the fast paths decide on
SPACES = st.lists(
    st.sampled_from([" ", "  ", "\n", "\n\n", "\t", "\u00a0", "\u3000", "\u2003", "\u202f", "\u2028", "\u2029",
                     "\x85", "\r\n", "\x1b[1m", "\x9b", "\u200b", "\u2060", "\ufeff", "é", "e\u0301", "\u212b",
                     "가", "\u1100\u1161", "word", "“q”", "—", "😀", "\U0001f1f0\U0001f1f7", "\x00", "\x7f"]),
    max_size=40,
).map("".join)  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.one_of(TEXTS, SPACES, st.text(alphabet=st.characters(max_codepoint=0x3100), max_size=60)))
@example("  a  b \n c\u00a0\n\n\n d ")
@example("a\u00a0b")  # one no-break space between words stays
@example("\u2001x")  # NFC turns U+2001 into U+2003, a space to collapse
@example("x \u0301")
def test_fast_paths_agree_with_the_reference(text: str) -> None:
    assert normalize_text(text) == reference(text)


CONTROL_HEAVY = st.lists(
    st.sampled_from(["a", "가", "\x01", "\x1b", "\x7f", "\x85", "\x9b", "\u00a0", "\t", "\n", "é"]),
    max_size=60,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(CONTROL_HEAVY, st.text(max_size=40)))
def test_utf8_control_check_agrees_with_counting_characters(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    if (
        not text
        or "\x00" in text
        or data.startswith(codecs.BOM_UTF8)
        or any(0xD800 <= ord(c) <= 0xDFFF for c in text)
    ):
        return
    controls = len(normalize._CONTROL_CHARS.findall(text))
    control_bytes = len(data) - len(data.translate(None, normalize._CONTROL_BYTES))
    try:
        decoded = decode_bytes(data)
    except TextDecodeError:
        assert controls > 0.1 * len(text) or control_bytes > 0.1 * len(data)
    else:
        assert decoded == text
        assert controls <= 0.1 * len(text)

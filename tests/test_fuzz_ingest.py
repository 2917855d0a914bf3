"""Hostile input, fuzzed: every importer, random and structured-random documents.

Properties, for every format (`nkreader.ingest.read_bytes`):
- the result is a `ReadResult` or an `IngestError`, never any other exception;
- each document is handled within 5 s (a SIGALRM guard stops a hang) and within a bounded amount
  of memory (an address-space limit while the importer runs: an explosion is a MemoryError,
  i.e. a failure, not a machine brought to its knees);
- what comes out is safe to store and show: no C0/C1 control (but newline and tab in bodies),
  no bidi override or isolate, nothing from an XML entity: internal ones (billion laughs,
  quadratic blow-up) and external ones (a local file with a secret token, an external DTD,
  parameter entities, XInclude) are never resolved.
The crafted corpus (tests/ingest_cases.py) runs too, in a separate process under a hard memory
limit, every file timed.
"""

from __future__ import annotations

import contextlib
import json
import resource
import signal
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nkreader.ingest import FORMATS, IngestError, ReadResult, read_bytes

TIME_LIMIT_S = 5.0
MEMORY_HEADROOM = 768 * 1024 * 1024
"""Address space an importer may add while it runs (the whole worker keeps its own)."""
SECRET = "s3cr3t-token-7f3a-never-imported"
FUZZ = settings(
    max_examples=150,
    deadline=None,  # the SIGALRM guard below is the deadline, and it also stops a hang
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
UNSAFE = {chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))} | {
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
}


class TooSlow(Exception):
    pass


@contextmanager
def guarded(seconds: float = TIME_LIMIT_S) -> Iterator[None]:
    """Stop whatever runs inside after `seconds` (SIGALRM) and cap the address space it may add."""

    def alarm(_signum: int, _frame: object) -> None:
        raise TooSlow(f"an importer took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = _address_space() + MEMORY_HEADROOM
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        signal.signal(signal.SIGALRM, previous)


def _address_space() -> int:
    with open("/proc/self/statm") as stream:
        return int(stream.read().split()[0]) * resource.getpagesize()


def read(data: bytes, fmt: str) -> ReadResult | IngestError:
    """Read under the guard; any exception but IngestError fails the test (with the input)."""
    started = time.monotonic()
    try:
        with guarded():
            result: ReadResult | IngestError = read_bytes(data, fmt, origin=f"fuzz.{fmt}")
    except IngestError as error:
        assert str(error) and "\n" not in str(error)
        result = error
    elapsed = time.monotonic() - started
    assert elapsed < TIME_LIMIT_S, f"{fmt}: {elapsed:.1f} s"
    if isinstance(result, ReadResult):
        check_safe(result)
    return result


def check_safe(result: ReadResult) -> None:
    for draft in result.drafts:
        assert draft.body.strip(), "an empty body was accepted"
        assert unicodedata.is_normalized("NFC", draft.body)
        for name in ("title", "source", "author", "url", "language"):
            value = getattr(draft, name)
            if value is not None:
                assert not (set(value) & (UNSAFE | {"\n", "\t"})), (name, value)
                assert SECRET not in value
        assert not (set(draft.body) & UNSAFE), repr(draft.body[:200])
        assert SECRET not in draft.body
    for error in result.errors:
        assert "\n" not in error


# ------------------------------------------------------------------------------------ random bytes


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@settings(FUZZ, max_examples=300)
@given(data=st.binary(max_size=4096))
def test_random_bytes(fmt: str, data: bytes) -> None:
    read(data, fmt)


# ------------------------------------------------------------------------ structured-random input

HOSTILE_CHARS = st.sampled_from(
    [
        *(
            "\x1b[2J",
            "\x1b]0;t\x07",
            "\x1b]52;c;cHduZWQ=\x07",
            "\x07",
            "\x00",
            "\x9b",
            "\x9d",
            "\u202e",
            "\u2066",
        ),
        *("\r\n", "\r", "\u2028", "\ufeff", "\u200b", "e\u0301", "한국어", "[bold]", "[/]", "&amp;", "&#27;"),
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=40), HOSTILE_CHARS), max_size=30).map("".join)
SENTENCE = (
    "the market price of rice in Hyesan rose sharply last week said a source who trades there "
    "북한 쌀값 시장 혜산 소식통 Kim Jong Un ordered new campaign against smuggling"
)
WORDS = SENTENCE.split()
PROSE = st.lists(
    st.one_of(st.permutations(WORDS).map(" ".join), HOSTILE_CHARS.filter(lambda s: "\x00" not in s)),
    min_size=2,
    max_size=8,
).map(" ".join)
"""Sentences long enough for extractors to keep (random short strings, or a NUL, are refused)."""
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252", "euc-kr"])


@st.composite
def plain_text(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(TEXT, min_size=1, max_size=12))
    separator = draw(st.sampled_from(["\n", "\r\n", "\n\n", "\r"]))
    return separator.join(lines).encode(draw(ENCODINGS), errors="replace")


YAML_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True),
        TEXT,
        st.sampled_from(["2024-02-30", "9999-12-31", "0000-01-01", "!!binary aGk=", "*alias", "&anchor x"]),
    ),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(TEXT, children, max_size=4)),
    max_leaves=12,
)


@st.composite
def markdown(draw: st.DrawFn) -> bytes:
    parts = []
    if draw(st.booleans()):
        keys = st.sampled_from(["title", "author", "source", "date", "url", "language", "tags", "x"])
        front = draw(st.dictionaries(keys, YAML_VALUES, max_size=6))
        raw = json.dumps(front, ensure_ascii=False, default=str)  # JSON is YAML
        if draw(st.booleans()):
            raw = draw(st.sampled_from([raw, "title: &a [*a]", "title: !!python/name:os.system", ": : :"]))
        parts.append(f"---\n{raw}\n---")
    blocks = st.one_of(
        TEXT.map(lambda t: "# " + t),
        TEXT.map(lambda t: "- " + t),
        TEXT.map(lambda t: "```\n" + t + "\n```"),
        TEXT.map(lambda t: f"<div onclick=x>{t}</div>"),
        TEXT.map(lambda t: f"[{t}](javascript:alert(1)) ![{t}](file:///etc/passwd)"),
        TEXT.map(lambda t: "> " + t),
        TEXT,
    )
    parts.extend(draw(st.lists(blocks, max_size=10)))
    return "\n\n".join(parts).encode(draw(ENCODINGS), errors="replace")


TAGS = st.sampled_from(
    [
        *("p", "div", "article", "main", "span", "a", "h1", "script", "style", "iframe", "svg", "math"),
        *("table", "td", "template", "noscript", "title", "meta", "base", "object", "li", "pre", "br", "img"),
    ]
)
HTML_NODES = st.recursive(
    st.one_of(TEXT.map(lambda t: t.replace("<", "&lt;")), st.just("<!-- c -->"), st.just("<![CDATA[x]]>")),
    lambda children: st.tuples(TAGS, TEXT, st.lists(children, max_size=5), st.booleans()).map(
        lambda n: f'<{n[0]} title="{n[1]}">' + "".join(n[2]) + (f"</{n[0]}>" if n[3] else "")
    ),
    max_leaves=30,
)


@st.composite
def html(draw: st.DrawFn) -> bytes:
    head = draw(
        st.sampled_from(
            [
                "",
                "<!DOCTYPE html>",
                '<!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret}">]>',
                '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
            ]
        )
    )
    charset = draw(
        st.sampled_from(["", '<meta charset="utf-8">', '<meta charset="euc-kr">', '<meta charset="x">'])
    )
    title = draw(TEXT).replace("<", "")
    body = draw(HTML_NODES)
    if draw(st.booleans()):  # an article an extractor will keep, with hostile bits in it
        title = draw(PROSE).replace("<", "")
        paragraphs = draw(st.lists(PROSE, min_size=2, max_size=6))
        body = f"<article><h1>{title}</h1>" + "".join(f"<p>{p.replace('<', '')}</p>" for p in paragraphs)
        body += "</article>"
    entity = draw(st.sampled_from(["", "&x;", "&b;", "&nbsp;", "&#x1b;", "&#155;"]))
    document = f"{head}<html><head>{charset}<title>{title}</title></head><body>{body}{entity}</body></html>"
    return document.replace("{secret}", str(_secret_path())).encode(draw(ENCODINGS), errors="replace")


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(TEXT, children, max_size=4)),
    max_leaves=20,
)
ARTICLE_FIELDS = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            key: st.one_of(TEXT, JSON_VALUES)
            for key in ("title", "body", "text", "source", "author", "url", "published", "language", "date")
        },
    ),
    st.fixed_dictionaries(  # title and body as an importer wants them, the rest random
        {"title": PROSE, "body": PROSE},
        optional={key: st.one_of(TEXT, JSON_VALUES) for key in ("source", "author", "url", "published")},
    ),
)


@st.composite
def json_document(draw: st.DrawFn) -> bytes:
    article = ARTICLE_FIELDS
    shape = draw(st.sampled_from(["value", "article", "list", "articles", "native"]))
    if shape == "value":
        value = draw(JSON_VALUES)
    elif shape == "article":
        value = draw(article)
    elif shape == "list":
        value = draw(st.lists(article, max_size=5))
    elif shape == "articles":
        value = {"articles": draw(st.lists(article, max_size=5))}
    else:
        value = {
            "format": "nkreader-annotations",
            "version": 1,
            "articles": draw(st.lists(article, max_size=3)),
        }
    return json.dumps(value, ensure_ascii=draw(st.booleans())).encode(
        draw(st.sampled_from(["utf-8", "utf-16"]))
    )


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace("]]>", "")


@st.composite
def feed(draw: st.DrawFn) -> bytes:
    atom = draw(st.booleans())
    entries = []
    for _ in range(draw(st.integers(0, 4))):
        title, content = _xml_text(draw(TEXT)), draw(TEXT)
        wrapped = draw(
            st.sampled_from(
                [
                    _xml_text(content),
                    f"<![CDATA[<p>{content.replace(']]>', '')}</p>]]>",
                    _xml_text(f"<p>{content}</p>"),
                ]
            )
        )
        if atom:
            entries.append(f'<entry><title>{title}</title><content type="html">{wrapped}</content></entry>')
        else:
            entries.append(f"<item><title>{title}</title><description>{wrapped}</description></item>")
    if atom:
        document = f'<feed xmlns="http://www.w3.org/2005/Atom"><title>{_xml_text(draw(TEXT))}</title>{"".join(entries)}</feed>'
    else:
        document = f'<rss version="2.0"><channel><title>{_xml_text(draw(TEXT))}</title>{"".join(entries)}</channel></rss>'
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "iso-8859-1"]))
    declared = draw(st.sampled_from([encoding, "utf-8", "bogus-encoding", None]))
    prolog = f'<?xml version="1.0" encoding="{declared}"?>\n' if declared else ""
    return (prolog + document).encode(encoding, errors="replace")


STRUCTURED = {
    "text": plain_text(),
    "markdown": markdown(),
    "html": html(),
    "json": json_document(),
    "feed": feed(),
}


@pytest.mark.parametrize("fmt", sorted(STRUCTURED))
@FUZZ
@given(data=st.data())
def test_structured_documents(fmt: str, data: st.DataObject) -> None:
    document = data.draw(STRUCTURED[fmt])
    read(document, fmt)
    if data.draw(st.booleans()):  # and a damaged copy of it
        cut = data.draw(st.integers(0, len(document)))
        flip = data.draw(st.binary(max_size=8))
        read(document[:cut] + flip + document[cut + len(flip) :], fmt)


# ------------------------------------------------------------------------- XML entities, mutated


_SECRET_FILE: list[Path] = []


def _secret_path() -> Path:
    if not _SECRET_FILE:
        import atexit
        import shutil
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="nkreader-xxe-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        secret = folder / "secret.txt"
        secret.write_text(SECRET + "\n", encoding="utf-8")
        (folder / "secret.dtd").write_text(f'<!ENTITY leak "{SECRET}">', encoding="utf-8")
        _SECRET_FILE.append(secret)
    return _SECRET_FILE[0]


@st.composite
def entity_feed(draw: st.DrawFn) -> bytes:
    """An RSS or Atom feed that tries to pull the secret file in, or to expand itself to death."""
    secret = _secret_path()
    uri = draw(
        st.sampled_from(
            [f"file://{secret}", str(secret), f"file:{secret}", "secret.txt", f"file://localhost{secret}"]
        )
    )
    dtd_uri = uri.replace("secret.txt", "secret.dtd")
    depth, fanout = draw(st.integers(2, 9)), draw(st.integers(2, 12))
    laughs = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * fanout}">' for i in range(1, depth + 1)
    )
    attack = draw(
        st.sampled_from(
            [
                ("[<!ENTITY e SYSTEM '{uri}'>]", "&e;"),
                ('[<!ENTITY e PUBLIC "-//x//y" "{uri}">]', "&e;"),
                ("[<!ENTITY % p SYSTEM '{dtd}'> %p;]", "&leak;"),
                ("SYSTEM '{dtd}'", "&leak;"),
                ('PUBLIC "-//x//y" "{dtd}"', "&leak;"),
                (f"[{laughs}]", f"&l{depth};"),
                ('[<!ENTITY big "' + "B" * 20000 + '">]', "&big;" * 200),
                ("", '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{uri}" parse="text"/>'),
                ("", "&e;"),  # an undeclared entity
            ]
        )
    )
    declaration, reference = (part.replace("{uri}", uri).replace("{dtd}", dtd_uri) for part in attack)
    where = draw(st.sampled_from(["title", "body", "both", "channel"]))
    filler = _xml_text(draw(TEXT)) or "text"
    title = reference if where in ("title", "both") else f"Title {filler}"
    body = reference if where in ("body", "both") else f"Body {filler} with words"
    channel = reference if where == "channel" else "Channel"
    if draw(st.booleans()):
        document = (
            f'<rss version="2.0"><channel><title>{channel}</title><item><title>{title}</title>'
            f"<description>{body}</description></item></channel></rss>"
        )
        root = "rss"
    else:
        document = (
            f'<feed xmlns="http://www.w3.org/2005/Atom"><title>{channel}</title><entry><title>{title}</title>'
            f'<content type="html">{body}</content></entry></feed>'
        )
        root = "feed"
    doctype = f"<!DOCTYPE {root} {declaration}>" if declaration else ""
    encoding = draw(st.sampled_from(["utf-8", "utf-16"]))
    prolog = f'<?xml version="1.0" encoding="{encoding}"?>' if draw(st.booleans()) else ""
    return f"{prolog}{doctype}\n{document}".encode(encoding)


@settings(FUZZ, max_examples=300)
@given(document=entity_feed())
def test_xml_entities_are_never_resolved(document: bytes) -> None:
    result = read(document, "feed")
    if isinstance(result, ReadResult):
        for draft in result.drafts:
            assert "lollollol" not in draft.body + draft.title, "an internal entity was expanded"
            assert "BBBBBBBBBB" not in draft.body + draft.title, "an internal entity was expanded"


@settings(FUZZ, max_examples=40)
@given(document=entity_feed())
def test_entity_feeds_as_html_and_markdown(document: bytes) -> None:
    """The same documents, mis-named: the HTML and Markdown readers must not resolve them either."""
    for fmt in ("html", "markdown", "text"):
        read(document, fmt)


# ------------------------------------------------------------------------- the crafted corpus


def read_guarded(folder: Path) -> list[dict]:
    script = Path(__file__).resolve().parent / "helpers" / "ingest_guarded.py"
    result = subprocess.run(
        [sys.executable, str(script), str(folder)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_crafted_corpus_in_a_memory_limited_process(tmp_path: Path) -> None:
    """Every hostile file of tests/ingest_cases.py, plus bigger bombs, read in a child process whose
    address space is capped: each within 5 s, each a result or an IngestError."""
    from ingest_cases import write_hostile_corpus

    folder = tmp_path / "corpus"
    folder.mkdir()
    write_hostile_corpus(folder)
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 12))
    (folder / "laughs_11.rss").write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "lol">{laughs}]>'
        '<rss version="2.0"><channel><title>x</title><item><title>&l11;</title>'
        "<description>&l11;</description></item></channel></rss>"
    )
    (folder / "quadratic.atom").write_text(
        '<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY big "' + "B" * 100_000 + '">]>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>t</title><content>'
        + "&big;" * 20_000
        + "</content></entry></feed>"
    )
    (folder / "deep.json").write_text("[" * 200_000 + "]" * 200_000)
    (folder / "deep.md").write_text("---\ntitle: " + "[" * 50_000 + "\n---\nbody\n" + "> " * 50_000 + "x\n")
    (folder / "alias_bomb_in_tags.md").write_text(
        "---\ntitle: Tags bomb\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
            f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
            for i in range(8)
        )
        + "tags: *i\nauthor: *i\nsource: *i\n---\nThe body survives.\n"
    )
    (folder / "wide.html").write_text("<p>" + "<b>x</b>" * 60_000 + "</p>")  # 470 KB, 60,000 elements
    (folder / "long_line.txt").write_text("Title\n\n" + "word " * 400_000)
    report = read_guarded(folder)
    assert len(report) >= 40
    bad = [r for r in report if r["outcome"] not in ("ok", "refused")]
    assert bad == [], bad
    slow = [(r["name"], r["seconds"]) for r in report if r["seconds"] >= TIME_LIMIT_S]
    assert slow == []
    refused = {r["name"] for r in report if r["outcome"] == "refused"}
    assert {"xxe_feed.rss", "billion_laughs.xml", "laughs_11.rss", "quadratic.atom"} <= refused


def test_a_page_of_dense_markup_within_five_seconds(tmp_path: Path) -> None:
    """Half a million elements in 3.9 MB (well under --max-size): trafilatura alone needs ~9 s."""
    folder = tmp_path / "dense"
    folder.mkdir()
    (folder / "dense.html").write_text("<p>" + "<b>x</b>" * 500_000 + "</p>")
    [record] = read_guarded(folder)
    assert record["outcome"] in ("ok", "refused") and record["seconds"] < TIME_LIMIT_S, record


def test_feed_with_a_non_ascii_encoding_name() -> None:
    document = b'<?xml version="1.0" encoding="\x80tf-8"?>\n<rss version="2.0"><channel><title>t</title>'
    document += b"<item><title>x</title><description>Some text.</description></item></channel></rss>"
    with contextlib.suppress(IngestError):
        read_bytes(document, "feed", origin="bad-declaration.rss")

"""Hostile and good input files for the importers, shared by the ingest and CLI tests.

`write_hostile_corpus(folder)` writes one file per case and returns `{file name: "ok" | "refused"}`.
Every "ok" file is under 1 MB (the CLI test imports the folder with `--max-size 1`); the oversized
file is sparse, so it costs no disk. `CASES` documents what each file is for, `EXPECTED` holds the
title (and a phrase of the body) each good file must give.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

OVERSIZED_BYTES = 21 * 1024 * 1024
"""Apparent size of `too_large.txt`: over the default 20 MB limit (and any smaller one)."""

KOREAN_TITLE = "평양 시장 쌀값 급등"
KOREAN_BODY = (
    "양강도 혜산시 소식통에 따르면 쌀 1kg 가격이 7,000원을 넘어섰다. “당국이 가격을 통제하고 있다”고 전했다."
)

CASES: dict[str, str] = {
    # refused
    "binary.txt": "random bytes with NULs",
    "empty.txt": "zero bytes",
    "whitespace_only.txt": "spaces, tabs and line breaks only",
    "nul_inside.txt": "readable text with NUL bytes in it",
    "controls_only.txt": "nothing but escape sequences and control characters",
    "title_only.txt": "a title line and no body",
    "single_line_2mb.txt": "a 2 MB file that is one line: a title, no body",
    "too_large.txt": "a sparse file over the size limit",
    "broken_front_matter.md": "front matter that is not YAML",
    "unclosed_front_matter.md": "front matter without its closing ---",
    "malformed.json": "JSON with a syntax error",
    "json_wrong_shape.json": "JSON that is a number",
    "json_all_bad.json": "a JSON list whose entries are all unusable",
    "malformed_feed.xml": "XML that is not well formed and has no entries",
    "xxe_feed.rss": "a feed declaring an external entity (file:///etc/passwd)",
    "billion_laughs.xml": "a feed with an entity-expansion bomb",
    "deep_nesting.html": "HTML nested 5,000 elements deep",
    # ok
    "latin1.txt": "ISO-8859-1 without a declaration",
    "cp1252.txt": "Windows-1252 with curly quotes, dashes and the euro sign",
    "euc_kr.txt": "Korean in EUC-KR",
    "utf16_bom.txt": "UTF-16 LE with a BOM, Korean and English",
    "utf16_no_bom.txt": "UTF-16 LE without a BOM",
    "utf8_bom_crlf.txt": "UTF-8 with a BOM and CRLF line endings",
    "ansi_escapes.txt": "CSI colours, OSC title, OSC 52 clipboard, OSC 8 link, BEL, DCS, C1 controls",
    "bidi_controls.txt": "right-to-left override and isolates around text",
    "rich_markup.txt": "Rich/Textual markup that must stay literal text",
    "hard_wrapped.txt": "hard-wrapped paragraphs that must flow",
    "long_paragraph.txt": "a title and one 900 KB paragraph",
    "article.md": "front matter, headings, lists, emphasis, links, image, HTML block, code",
    "heading_title.md": "no front matter: the # heading is the title",
    "yaml_alias_bomb.md": "front matter with a YAML alias bomb (values that are not text are ignored)",
    "article.html": "a page with navigation, share bar, footer, script",
    "euc_kr.html": "a Korean page declaring <meta charset=euc-kr>",
    "article.json": "one article object",
    "list_one_bad.json": "a list of three articles, the second without a title",
    "native_export.json": "an nkreader export: {format, articles: [...]}",
    "feed.rss": "RSS 2.0 with two items (content:encoded and description)",
    "feed.atom": "Atom with one entry",
}

EXPECTED: dict[str, tuple[str, str]] = {
    "latin1.txt": ("Café in Pyongyang", "crème brûlée"),
    "cp1252.txt": ("“Quotes” — and €5", "it’s the regime’s way…"),
    "euc_kr.txt": (KOREAN_TITLE, KOREAN_BODY),
    "utf16_bom.txt": ("UTF-16 북한", "Rice prices 쌀값"),
    "utf16_no_bom.txt": ("UTF-16 without a BOM", "Rice prices rose"),
    "utf8_bom_crlf.txt": ("BOM and CRLF", "First paragraph line two."),
    "ansi_escapes.txt": ("ANSI title RED", "Colours: red and more."),
    "bidi_controls.txt": ("Bidi title", "evil txt.exe"),
    "rich_markup.txt": ("[bold]Rich[/] title", "[@click=app.quit]click[/]"),
    "hard_wrapped.txt": ("Hard wrapped", "seven people were sentenced to forced labour in a public trial"),
    "long_paragraph.txt": ("A very long paragraph", "word0 word1"),
    "article.md": ("Front matter title", "• first item"),
    "heading_title.md": ("Heading title", "Body under the heading."),
    "yaml_alias_bomb.md": ("Alias bomb", "The body survives."),
    "article.html": ("Seven sentenced to forced labour", "a source in South Pyongan Province"),
    "euc_kr.html": (KOREAN_TITLE, KOREAN_BODY),
    "article.json": ("JSON article", "Paragraph two."),
    "list_one_bad.json": ("First good", "Body one."),
    "native_export.json": ("Exported article", "Exported body."),
    "feed.rss": ("RSS entry one", "Paragraph one of entry one."),
    "feed.atom": ("Atom entry", "Atom content paragraph."),
}

_ANSI = (
    "ANSI title \x1b[1;31mRED\x1b[0m\x07\n"
    "Colours: \x1b[31mred\x1b[0m and \x1b[38;5;196mmore\x1b[m.\n"
    "Title set: \x1b]0;pwned window title\x07 done. Also \x1b]2;other title\x1b\\ done.\n"
    "Clipboard: \x1b]52;c;cm0gLXJmIH4vKg==\x07 copied.\n"
    "Link: \x1b]8;;https://evil.example/\x1b\\click here\x1b]8;;\x1b\\ end.\n"
    "Bell:\x07 ring. C1 CSI: \x9b2J cleared. C1 OSC: \x9d0;c1 title\x9c ok.\n"
    "DCS: \x1bPq#0;2;0;0;0\x1b\\ done. 8-bit DCS: \x90qsixel\x9c end. APC: \x1b_apc payload\x1b\\ end.\n"
    "Cursor: \x1b7saved\x1b8, charset \x1b(B, reset \x1bc, keypad \x1b=; next\x85line; DEL\x7f gone.\n"
)

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Seven sentenced to forced labour | Example News</title>
<meta name="author" content="Jane Reporter">
<meta property="og:site_name" content="Example News">
<link rel="canonical" href="https://example.org/news/seven-sentenced">
<meta property="article:published_time" content="2024-03-05T10:00:00+09:00">
<script>document.title = "\\u001b]0;pwned\\u0007";</script>
<style>body { color: red }</style>
</head><body>
<nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li><li><a href="/economy">Economy</a></li></ul></nav>
<div class="share-bar">Share on Facebook | Share on X | Email this story</div>
<article>
<h1>Seven sentenced to forced labour</h1>
<p>Seven people were sentenced to forced labour after a public trial in Sunchon, a source in South Pyongan Province told Example News on Monday.</p>
<p>The source said the seven had been caught watching foreign dramas, and that the trial was attended by about 300 residents who had been ordered to attend.</p>
<p>“They wanted everyone to see it,” the source said, adding that the sentences ranged from five to ten years.</p>
<script>trackReader();</script>
</article>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/a">Rice prices climb</a></li><li><a href="/b">Border fence extended</a></li></ul></aside>
<footer><p>Copyright 2024 Example News. All rights reserved. Privacy policy | Contact us</p></footer>
</body></html>
"""

_RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Example Feed</title><link>https://example.org/</link><language>en</language>
<item><title>RSS entry one</title><link>https://example.org/1</link><dc:creator>Reporter One</dc:creator>
<pubDate>Tue, 05 Mar 2024 10:00:00 +0900</pubDate><description>Short summary.</description>
<content:encoded><![CDATA[<p>Paragraph one of entry one.</p><p>Paragraph two with <b>bold</b> and a <a href="https://x">link</a>.</p><script>alert(1)</script><ul><li>item</li></ul>]]></content:encoded></item>
<item><title>RSS entry two</title><link>https://example.org/2</link><description>&lt;p&gt;Only a description.&lt;/p&gt;</description></item>
</channel></rss>
"""

_ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>Example Atom</title><id>urn:x</id><updated>2024-03-06T00:00:00Z</updated>
<entry><title type="html">Atom &lt;i&gt;entry&lt;/i&gt;</title><id>urn:x:1</id><link href="https://example.org/atom/1"/>
<author><name>Atom Author</name></author><updated>2024-03-06T00:00:00Z</updated><published>2024-03-04T08:00:00Z</published>
<content type="html">&lt;p&gt;Atom content paragraph.&lt;/p&gt;&lt;p&gt;Second one.&lt;/p&gt;</content></entry>
</feed>
"""

_BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10)
    )
    + ']>\n<rss version="2.0"><channel><title>Laughs</title><item><title>&lol9;</title>'
    "<description>&lol9;</description></item></channel></rss>\n"
)


def write_hostile_corpus(folder: Path) -> dict[str, str]:
    """Write every case of `CASES` into `folder`; return `{file name: "ok" | "refused"}`."""
    folder = Path(folder)
    rng = random.Random(20240305)
    files: dict[str, bytes] = {}
    refused: set[str] = set()

    def bad(name: str, data: bytes) -> None:
        files[name] = data
        refused.add(name)

    # --- refused ---
    binary = bytearray(rng.randbytes(4096))
    binary[10] = binary[500] = binary[2000] = 0
    bad("binary.txt", bytes(binary))
    bad("empty.txt", b"")
    bad("whitespace_only.txt", b"  \n\t\r\n   \n\n")
    bad("nul_inside.txt", b"A title\n\nSome perfectly readable text\x00 with a NUL in it.\n")
    bad("controls_only.txt", b"\x1b[31m\x1b]0;title\x07\x07\x01\x02\n\x1b[0m\n")
    bad("title_only.txt", b"Only a title line\n")
    bad("single_line_2mb.txt", b"word " * (2 * 1024 * 1024 // 5))
    bad(
        "broken_front_matter.md",
        b'---\ntitle: "an unclosed quote\nauthor: [a, b\n---\n\n# Heading\n\nBody.\n',
    )
    bad("unclosed_front_matter.md", b"---\ntitle: Never closed\n\nBody text.\n")
    bad("malformed.json", b'{"title": "Broken", "body": "x",, }')
    bad("json_wrong_shape.json", b"42")
    bad("json_all_bad.json", json.dumps([{"body": "no title"}, {"title": "no body"}, 7]).encode())
    bad(
        "malformed_feed.xml",
        b'<?xml version="1.0"?>\n<rss version="2.0">\n<channel>\n<title>Broken feed</title>\n<<<< not xml &&& >>>\n',
    )
    bad(
        "xxe_feed.rss",
        b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        b'<rss version="2.0"><channel><title>XXE</title><item><title>Leak</title>'
        b"<description>&xxe;</description></item></channel></rss>\n",
    )
    bad("billion_laughs.xml", _BILLION_LAUGHS.encode())
    bad(
        "deep_nesting.html",
        (
            "<html><head><title>Deep</title></head><body>"
            + "<div>" * 5000
            + "<p>Deep text inside five thousand divs.</p>"
            + "</div>" * 5000
            + "</body></html>"
        ).encode(),
    )

    # --- ok ---
    files["latin1.txt"] = (
        "Café in Pyongyang\n\nThe señor ordered crème brûlée at the façade of the hotel; naïve, he said.\n"
    ).encode("latin-1")
    files["cp1252.txt"] = (
        "“Quotes” — and €5\n\n“Seven people were sentenced,” the source said — it’s the regime’s way… Price: €5.\n"
    ).encode("cp1252")
    files["euc_kr.txt"] = f"{KOREAN_TITLE}\n\n{KOREAN_BODY}\n".encode("euc-kr")
    files["utf16_bom.txt"] = "UTF-16 북한\r\n\r\nRice prices 쌀값 rose again.\r\n".encode("utf-16")
    files["utf16_no_bom.txt"] = "UTF-16 without a BOM\n\nRice prices rose in Hyesan.\n".encode("utf-16-le")
    files["utf8_bom_crlf.txt"] = (
        "\ufeffBOM and CRLF\r\n\r\nFirst paragraph\r\nline two.\r\n\r\nSecond paragraph.\r\n".encode()
    )
    files["ansi_escapes.txt"] = _ANSI.encode()
    files["bidi_controls.txt"] = (
        "Bidi title\u202e\u202c\n\nThe file evil \u202etxt.exe\u202c is \u2066isolated\u2069 and \u202aembedded\u202c.\n"
    ).encode()
    files["rich_markup.txt"] = (
        b"[bold]Rich[/] title\n\n[bold]x[/] and [/nope] and [@click=app.quit]click[/] stay literal.\n"
    )
    files["hard_wrapped.txt"] = (
        b"Hard wrapped\n\nA source said that\nseven people were sentenced\nto forced labour in a public trial\n"
        b"held last week.\n\nSecond paragraph\n   indented and\twith\t\ttabs.\n"
    )
    files["long_paragraph.txt"] = (
        "A very long paragraph\n\n" + " ".join(f"word{i}" for i in range(100_000)) + "\n"
    ).encode()
    files["article.md"] = (
        b"---\ntitle: Front matter title\nsource: Example News\nauthor: Jane Reporter\n"
        b"url: https://example.org/md\npublished: 2024-03-05\nlanguage: en\n---\n\n"
        b"# A heading that is not the title\n\nSome *emphasis*, **strong** and a [link](https://x.example).\n"
        b'![an image](img.png)\n\n<div class="ad">Buy now</div>\n\n- first item\n- second item\n\n'
        b"1. one\n2. two\n\n```\ncode stays as text\n```\n"
    )
    files["heading_title.md"] = b"# Heading title\n\nBody under the heading.\n"
    files["yaml_alias_bomb.md"] = (
        b"---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        b"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
        b"g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nauthor: *g\nsource: *g\ntitle: Alias bomb\n---\n\n"
        b"The body survives.\n"
    )
    files["article.html"] = _PAGE.encode()
    files["euc_kr.html"] = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=euc-kr">'
        f"<title>{KOREAN_TITLE}</title></head><body><article><h1>{KOREAN_TITLE}</h1>"
        f"<p>{KOREAN_BODY}</p></article></body></html>"
    ).encode("euc-kr")
    files["article.json"] = json.dumps(
        {
            "title": "JSON article",
            "body": "Paragraph one.\n\nParagraph two.",
            "source": "Example News",
            "author": "Jane Reporter",
            "url": "https://example.org/json",
            "published": "2024-03-05T09:30:00+09:00",
            "language": "en",
        },
        ensure_ascii=False,
    ).encode()
    files["list_one_bad.json"] = json.dumps(
        [
            {"title": "First good", "body": "Body one."},
            {"body": "This entry has no title."},
            {"title": "Third good", "text": "Body three."},
        ]
    ).encode()
    files["native_export.json"] = json.dumps(
        {
            "format": "nkreader-annotations",
            "version": 1,
            "exported_at": "2024-03-06T00:00:00Z",
            "articles": [
                {
                    "uuid": "0b6f2f8e-8c43-4a4e-9a3b-2f6d6f1c7c11",
                    "title": "Exported article",
                    "body": "Exported body.\n\nSecond paragraph.",
                    "published": "2024-03-05",
                    "annotations": [],
                }
            ],
        }
    ).encode()
    files["feed.rss"] = _RSS.encode()
    files["feed.atom"] = _ATOM.encode()

    for name, data in files.items():
        (folder / name).write_bytes(data)
    with (folder / "too_large.txt").open("wb") as stream:  # sparse: no data blocks written
        stream.write(b"Too large\n\nbody\n")
        stream.truncate(OVERSIZED_BYTES)
    refused.add("too_large.txt")
    return {name: ("refused" if name in refused else "ok") for name in sorted(CASES)}

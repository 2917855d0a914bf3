"""Markdown files (.md, .markdown).

Optional YAML front matter between `---` lines (title, source,
author, url, published, language), then the document rendered down to plain paragraphs:
headings, list items ("• " or "N. "), table rows ("a | b"), code blocks; emphasis markers,
raw HTML and images dropped, links keep their text. Without a front-matter title the first
`# heading` is the title and leaves the body.
"""

from __future__ import annotations

from collections.abc import Sequence

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from nkreader.domain import ArticleDraft
from nkreader.ingest.base import IngestError, decode, metadata, parse_date, require_body
from nkreader.text.normalize import normalize_line

__all__ = ["read_markdown"]


MAX_FRONT_MATTER = 64 * 1024
"""Characters of YAML front matter read at most: real ones are a few hundred; 20 MB of keys took
34 s and 815 MB to parse."""


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit timestamps: `published: 2024-13-45` stays a string, so one bad
    date is named and left out instead of refusing the whole file as "not valid YAML"."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_DATE_FIELDS = ("published", "date")


def read_markdown(data: bytes, origin: str, fallback_title: str) -> ArticleDraft:
    return read_markdown_with_notes(data, origin, fallback_title)[0]


def read_markdown_with_notes(data: bytes, origin: str, fallback_title: str) -> tuple[ArticleDraft, list[str]]:
    """The draft, and a note for each front-matter field that was left out (a date that is not one)."""
    text = decode(data)
    front, source = _split_front_matter(text)
    notes: list[str] = []
    paragraphs, heading = _render(source, take_title=not metadata(front.get("title")))
    title = metadata(front.get("title")) or heading or fallback_title
    body = require_body("\n\n".join(paragraphs))
    field = next((f for f in _DATE_FIELDS if f in front), None)
    published = parse_date(front[field]) if field else None
    if field and published is None and front[field] not in (None, ""):
        shown = metadata(front[field]) or "?"
        notes.append(f"front matter {field!r}: {shown[:40]!r} is not a date (YYYY-MM-DD); imported without it")
    draft = ArticleDraft(
        title=title,
        body=body,
        source=metadata(front.get("source")),
        author=_names(front.get("author", front.get("authors"))),
        url=metadata(front.get("url")),
        published=published,
        language=metadata(front.get("language", front.get("lang"))),
        origin=origin,
        origin_format="markdown",
    )
    return draft, notes


def _names(value: object) -> str | None:
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value[:50]):
        return metadata(", ".join(value[:50]))
    return metadata(value)


def _split_front_matter(text: str) -> tuple[dict[str, object], str]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        raise IngestError("front matter has no closing '---' line")
    matter = "\n".join(lines[1:end])
    if len(matter) > MAX_FRONT_MATTER:
        raise IngestError(
            f"front matter is too large ({len(matter) // 1024:,} KB; at most {MAX_FRONT_MATTER // 1024} KB)"
        )
    try:
        front = yaml.load(matter, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 2}" if mark is not None else "unknown line"
        problem = error.problem or error.context or "syntax error"
        if error.problem and error.context:
            problem += f" ({error.context})"
        raise IngestError(f"front matter is not valid YAML: {where}: {problem}") from None
    except yaml.YAMLError as error:
        raise IngestError(f"front matter is not valid YAML: {error}") from None
    except RecursionError:
        raise IngestError("front matter is not valid YAML: nested too deeply") from None
    except (ValueError, TypeError, OverflowError) as error:  # e.g. a timestamp like 2024-13-45
        raise IngestError(f"front matter is not valid YAML: {error}") from None
    if front is None:
        front = {}
    if not isinstance(front, dict):
        raise IngestError("front matter is not valid YAML: expected 'key: value' lines")
    return {str(k).lower(): v for k, v in front.items()}, "\n".join(lines[end + 1 :])


_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _render(source: str, *, take_title: bool) -> tuple[list[str], str | None]:
    """Markdown to plain paragraphs; and the first `# heading` (removed) if `take_title`."""
    paragraphs: list[str] = []
    title: str | None = None
    prefix = ""
    row: list[str] | None = None
    heading = ""
    for token in _MARKDOWN.parse(source):
        kind = token.type
        if kind == "heading_open":
            heading = token.tag
        elif kind == "heading_close":
            heading = ""
        elif kind == "list_item_open":
            prefix = f"{token.info}. " if token.info.isdigit() else "• "
        elif kind == "list_item_close":
            prefix = ""
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            paragraphs.append(" | ".join(row))
            row = None
        elif kind == "inline":
            text = _inline_text(token.children or [])
            if row is not None:
                row.append(normalize_line(text))
            elif take_title and title is None and heading == "h1" and normalize_line(text):
                title = normalize_line(text)
            elif text.strip():
                paragraphs.append(prefix + text)
                prefix = ""
        elif kind in ("fence", "code_block") and token.content.strip():
            paragraphs.append(prefix + token.content)
            prefix = ""
        # html_block, hr, and the other open/close tokens carry no text of their own.
    return paragraphs, title


def _inline_text(children: Sequence[Token]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        # images (and their alt text), raw inline HTML and the emphasis/link markers are dropped
    return "".join(parts)

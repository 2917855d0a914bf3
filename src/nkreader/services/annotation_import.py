"""`nkreader import-annotations FILE`: annotations from an export, merged into the library.

Two kinds of file:

- **native JSON** (`nkreader export`): restored exactly. Articles are matched by uuid, then
  URL, then content hash; an article the library lacks is created from the export (its uuid,
  times, and its id when that id is free) if the export carries its text, and its annotations
  are skipped otherwise. Annotations merge by uuid: a new one is added with its uuid and
  times; a known one is replaced only when the file's `updated_at` is newer. Offsets are kept
  when the library's text is the exported one, and re-anchored (`text.anchoring`) when it is not.
- **W3C Web Annotation JSON-LD** (nkreader's `w3c` export, Hypothesis and other tools): each
  annotation is attached to the article whose URL is its target's source (or whose uuid a
  `urn:uuid:` source names) by anchoring its quote selector in that article's text; one that
  cannot be found is stored *orphaned* with its quote, never dropped.

Importing the same file twice changes nothing. One transaction per article; links last.
Text from the file is made safe for the terminal (control characters and escape sequences
removed) before it is stored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag

from nkreader.domain import (
    AnchorState,
    Annotation,
    Article,
    Link,
    Status,
    quote_context,
    utcnow,
)
from nkreader.export import hypothesis_reader
from nkreader.export.native_reader import AnnotationFileError, NativeArticle, is_native, read_native
from nkreader.export.w3c_reader import ExternalAnnotation, read_w3c
from nkreader.ingest.files import FileRefused, read_limited
from nkreader.services.library import Library, content_hash
from nkreader.services.restore_history import merge_revisions, merge_speakers
from nkreader.services.restore_instruments import merge_entities, merge_instruments
from nkreader.store.annotations import add_annotation, find_annotation, update_annotation
from nkreader.store.instrument_restore import restore_credibility
from nkreader.store.articles import (
    find_article_by_hash,
    find_article_by_url,
    find_article_by_uuid,
    insert_article,
)
from nkreader.store.links import add_link, find_link
from nkreader.text.anchoring import TextIndex, reanchor
from nkreader.text.normalize import normalize_line, normalize_text
from nkreader.text.sanitize import UNSAFE

__all__ = ["AnnotationFileError", "AnnotationImportReport", "import_annotation_file", "import_document"]

MAX_FILE_BYTES = 200 * 1024 * 1024


@dataclass(slots=True)
class AnnotationImportReport:
    format: str = ""
    articles_created: int = 0
    articles_matched: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    links_added: int = 0
    links_unchanged: int = 0
    revisions_added: int = 0
    aliases_added: int = 0
    anchors: dict[AnchorState, int] = field(default_factory=lambda: dict.fromkeys(AnchorState, 0))
    """States of the annotations placed on a text other than the one they were made on."""
    skipped: list[str] = field(default_factory=list)
    restored: dict[str, int] = field(default_factory=dict)
    """What else a native file restored (issue 17): "sources", "entities", … -> how many."""

    def count(self, what: str) -> None:
        self.restored[what] = self.restored.get(what, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(
            self.articles_created
            or self.added
            or self.updated
            or self.links_added
            or self.revisions_added
            or self.aliases_added
            or self.restored
        )

    def summary(self) -> str:
        text = (
            f"{self.format}: articles {self.articles_created} created, {self.articles_matched} matched; "
            f"annotations {self.added} added, {self.updated} updated, {self.unchanged} unchanged; "
            f"links {self.links_added} added"
        )
        if self.revisions_added:
            text += f"; earlier texts {self.revisions_added} added"
        if self.aliases_added:
            text += f"; speaker aliases {self.aliases_added} added"
        for what, n in self.restored.items():
            text += f"; {what} {n} added"
        placed = {s: n for s, n in self.anchors.items() if n}
        if placed:
            text += "; re-anchored: " + ", ".join(f"{n} {s.value}" for s, n in placed.items())
        if self.skipped:
            text += f"; skipped {len(self.skipped)}"
        return text


def import_annotation_file(library: Library, path: Path) -> AnnotationImportReport:
    """Read `path` (native, W3C or Hypothesis JSON; brat `.ann` or a folder of them) and merge it."""
    from nkreader.services import interchange_import  # brat and Hypothesis (issue 17)

    if interchange_import.is_brat(path):
        return interchange_import.import_brat(library, path)
    try:
        data = read_limited(path, MAX_FILE_BYTES)
    except FileRefused as exc:
        raise AnnotationFileError(str(exc)) from None
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise AnnotationFileError(f"not JSON ({exc})") from None
    except RecursionError:
        raise AnnotationFileError("the document is nested too deeply") from None
    try:
        return import_document(library, document)
    except RecursionError:
        raise AnnotationFileError("the document is nested too deeply") from None


def import_document(library: Library, document: Any) -> AnnotationImportReport:
    from nkreader.services import interchange_import  # Hypothesis API JSON (issue 17)

    if is_native(document):
        return _import_native(library, document)
    if hypothesis_reader.is_hypothesis(document):
        return interchange_import.import_hypothesis(library, document)
    return _import_w3c(library, document)


# --------------------------------------------------------------------------- cleaning


def _safe(text: str | None, *, multiline: bool = False) -> str | None:
    """`text` unchanged unless it holds controls or escapes; then cleaned line by line."""
    if text is None or not UNSAFE.search(text):
        return text
    if not multiline:
        return normalize_line(text)
    return "\n".join(normalize_line(line) for line in text.replace("\r\n", "\n").split("\n"))


def _clean_annotation(annotation: Annotation) -> Annotation:
    tags = [t for t in (_safe(tag) for tag in annotation.tags) if t]
    return replace(
        annotation,
        note=_safe(annotation.note, multiline=True) or "",
        tags=list(dict.fromkeys(tags)),
        speaker=_safe(annotation.speaker) or None,
        author=_safe(annotation.author) or None,
        updated_by=_safe(annotation.updated_by) or None,
        exact=_safe(annotation.exact, multiline=True) or "",
        prefix=_safe(annotation.prefix, multiline=True) or "",
        suffix=_safe(annotation.suffix, multiline=True) or "",
    )


def _clean_article(article: Article) -> Article:
    body = normalize_text(article.body)
    digest = content_hash(body)

    def line(value: str | None) -> str | None:
        return normalize_line(value) or None if value is not None else None

    return replace(
        article,
        title=normalize_line(article.title) or "Untitled",
        body=body,
        content_hash=article.content_hash if article.content_hash == digest else digest,
        source=line(article.source),
        author=line(article.author),
        url=line(article.url),
        language=line(article.language),
        origin=line(article.origin),
        origin_format=line(article.origin_format),
    )


# --------------------------------------------------------------------------- placing


def _place(index: TextIndex, annotation: Annotation, report: AnnotationImportReport) -> Annotation:
    """The annotation on `index.body`: kept as is where its text still is, else re-anchored by
    `text.anchoring.reanchor` (the rule `import --update` uses too)."""
    if annotation.exact and _sits_on(index.body, annotation.start, annotation.end, annotation.exact):
        return annotation
    placed = reanchor(index, annotation)
    report.anchors[placed.anchor_state] += 1
    return placed


def _merge(
    session: Any, incoming: Annotation, report: AnnotationImportReport, *, may_replace: bool = True
) -> None:
    """Add `incoming`, or replace the stored one with the same uuid if `incoming` is newer."""
    existing = find_annotation(session, incoming.uuid)
    if existing is not None and existing.article_id != incoming.article_id:
        report.skipped.append(
            f"annotation {incoming.uuid}: that uuid is an annotation of article {existing.article_id}, "
            f"not of article {incoming.article_id}"
        )
        return
    if existing is None:
        add_annotation(session, incoming)
        report.added += 1
    elif (
        may_replace
        and incoming.updated_at > existing.updated_at
        and replace(incoming, id=existing.id, version=existing.version) != existing
    ):
        update_annotation(session, incoming)
        report.updated += 1
    else:
        report.unchanged += 1


def _merge_links(library: Library, links: Iterable[Link], report: AnnotationImportReport) -> None:
    with library.database.writing() as session:
        for link in links:
            if link.source_uuid == link.target_uuid:
                report.skipped.append(f"link {link.uuid}: it links annotation {link.source_uuid} to itself")
            elif find_link(session, link.uuid) is not None:
                report.links_unchanged += 1
            elif add_link(session, link) is not None:
                report.links_added += 1
            else:
                report.skipped.append(
                    f"link {link.uuid}: annotation {link.source_uuid} or {link.target_uuid} "
                    "is neither in the file nor in the library"
                )


# --------------------------------------------------------------------------- native


def _import_native(library: Library, document: Any) -> AnnotationImportReport:
    parsed = read_native(document)
    report = AnnotationImportReport(format="nkreader JSON")
    for item in parsed.articles:
        _import_native_article(library, item, report)
    _merge_links(library, parsed.links, report)
    merge_entities(library, parsed.instruments, report)  # speakers are entities: theirs first
    if parsed.speakers:
        merge_speakers(library, parsed.speakers, report)
    merge_instruments(library, parsed.instruments, report)
    return report


def _match(session: Any, article: Article, has_body: bool) -> Article | None:
    found = find_article_by_uuid(session, article.uuid)
    if found is None and article.url:
        found = find_article_by_url(session, [article.url])
    if found is None and has_body:
        found = find_article_by_hash(session, content_hash(article.body))
    if found is None and article.content_hash:
        found = find_article_by_hash(session, article.content_hash)
    return found


def _import_native_article(library: Library, item: NativeArticle, report: AnnotationImportReport) -> None:
    exported = item.article
    with library.database.writing() as session:
        article = _match(session, exported, item.has_body)
        if article is None:
            if not item.has_body:
                report.skipped.append(
                    f"{len(item.annotations)} annotations of {exported.title!r}: the article is not in the "
                    "library and the export has no text (exported with --no-text)"
                )
                return
            cleaned = _clean_article(exported)
            if not cleaned.body:
                report.skipped.append(
                    f"article {exported.uuid} ({len(item.annotations)} annotations): "
                    "its text is empty once control characters are removed"
                )
                return
            article = insert_article(session, cleaned)
            report.articles_created += 1
        else:
            report.articles_matched += 1
        assert article.id is not None
        merge_revisions(session, article, item, report)
        index = TextIndex(article.body)
        same_text = (
            exported.body == article.body if item.has_body else exported.content_hash == article.content_hash
        )
        for annotation in item.annotations:
            annotation = _clean_annotation(replace(annotation, article_id=article.id))
            if not same_text or body_mismatch(article.body, annotation):
                annotation = _place(index, annotation, report)
            _merge(session, annotation, report)


def body_mismatch(body: str, annotation: Annotation) -> bool:
    """An annotation that does not sit on its exact text (and is not a known orphan)."""
    if annotation.anchor_state is AnchorState.ORPHANED:
        return annotation.end > len(body)
    return not annotation.exact or not _sits_on(body, annotation.start, annotation.end, annotation.exact)


def _sits_on(body: str, start: int, end: int, exact: str) -> bool:
    """`exact` is the text at start..end, inside the body (a slice past the end is clamped)."""
    return end <= len(body) and body[start:end] == exact


# --------------------------------------------------------------------------- W3C


def _url_variants(source: str) -> list[str]:
    variants = [source, unquote(source)]
    for value in list(variants):
        base = urldefrag(value).url
        variants += [base, base.rstrip("/"), base + "/"]
    return list(dict.fromkeys(v for v in variants if v))


def _w3c_article(session: Any, source: str) -> Article | None:
    if source.lower().startswith("urn:uuid:"):
        return find_article_by_uuid(session, source[9:].lower())
    return find_article_by_url(session, _url_variants(source))


def _import_w3c(library: Library, document: Any) -> AnnotationImportReport:
    parsed = read_w3c(document)
    report = AnnotationImportReport(format="W3C annotations")
    report.skipped.extend(parsed.skipped)
    by_source: dict[str, list[ExternalAnnotation]] = {}
    for external in parsed.annotations:
        if not external.source:
            report.skipped.append(f"{external.label}: its target names no source document")
        elif external.exact is None and external.start is None:
            report.skipped.append(f"{external.label}: no TextQuoteSelector or TextPositionSelector")
        else:
            by_source.setdefault(external.source, []).append(external)
    for source, externals in by_source.items():
        with library.database.writing() as session:
            article = _w3c_article(session, source)
            if article is None:
                report.skipped.append(
                    f"{len(externals)} annotations of {source}: no article in the library has that URL"
                )
                continue
            report.articles_matched += 1
            index = TextIndex(article.body)
            for external in externals:
                annotation = _from_external(index, article, external, report)
                # without a modification time it cannot be newer than what is stored
                _merge(session, annotation, report, may_replace=external.modified is not None)
                if external.credibility and restore_credibility(session, annotation.uuid, external.credibility):
                    report.count("credibility grades")
    _merge_links(library, parsed.links, report)
    return report


def _from_external(
    index: TextIndex, article: Article, external: ExternalAnnotation, report: AnnotationImportReport
) -> Annotation:
    assert article.id is not None
    body = index.body
    now = utcnow()
    start = external.start if external.start is not None else 0
    end = external.end if external.end is not None else start
    exact = external.exact
    if exact is None:  # a position selector alone: trusted only when it fits the text
        exact = body[start:end] if end <= len(body) else ""
    annotation = Annotation(
        id=None,
        uuid=external.uuid,
        article_id=article.id,
        kind=external.kind,
        start=start,
        end=end,
        exact=exact,
        prefix=external.prefix,
        suffix=external.suffix,
        note=external.note,
        tags=external.tags,
        speaker=external.speaker,
        status=external.status if external.kind.value == "claim" else Status.UNVERIFIED,
        anchor_state=AnchorState.ANCHORED,
        author=external.author,
        updated_by=external.author,  # W3C `creator`; who changed it last is not in the format
        created_at=external.created or now,
        updated_at=external.modified or now,
    )
    annotation = _clean_annotation(annotation)
    if exact and _sits_on(body, start, end, exact):
        exact, prefix, suffix = quote_context(body, start, end)
        return replace(annotation, exact=exact, prefix=prefix, suffix=suffix)
    return _place(index, annotation, report)

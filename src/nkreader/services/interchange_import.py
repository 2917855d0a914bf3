"""`import-annotations` for brat standoff files and Hypothesis API JSON.

**brat**: a `.ann` file (its `.txt` beside it) or a folder of them. The `.txt` is the article:
the one in the library with the same text (after the importer's normalization), or a new one
made from it (title: its first line; origin: the `.txt` path). Spans sit at their offsets when
the stored text is the `.txt`, and are re-anchored by their words otherwise. An annotation
carries the uuid a `UUID` note gives it (nkreader's own export), else a name-based one of the
text, its id and span, so importing the same file twice changes nothing. A known annotation is
rewritten only when the brat side differs *and* the `.ann` file is newer than its last change
(brat keeps no times; the file's modification time stands in). One transaction per file.

**Hypothesis**: rows become W3C annotations (`export.hypothesis_reader`) and go through the W3C
import: attached to the article whose URL is their target's source.
"""

from __future__ import annotations

import uuid as uuid_module
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nkreader.domain import AnchorState, Annotation, Article, Kind, Link, new_uuid, quote_context, utcnow
from nkreader.export import brat_reader, hypothesis_reader
from nkreader.export.native_reader import AnnotationFileError
from nkreader.services.annotation_import import (
    MAX_FILE_BYTES,
    AnnotationImportReport,
    _clean_annotation,
    _import_w3c,
    _place,
)
from nkreader.services.library import Library, content_hash
from nkreader.store import annotations as _annotations
from nkreader.store import articles as _articles
from nkreader.store import instruments
from nkreader.store import links as _links
from nkreader.text.anchoring import TextIndex
from nkreader.text.normalize import normalize_line, normalize_text

_NAMESPACE = uuid_module.UUID("0c3b8f5e-1d59-4c55-a2c4-8d8a6a1f2b17")


def is_brat(path: Path) -> bool:
    return path.suffix.lower() == ".ann" or path.is_dir()


# --------------------------------------------------------------------------- Hypothesis


def import_hypothesis(library: Library, document: Any) -> AnnotationImportReport:
    annotations, skipped = hypothesis_reader.to_w3c(document)
    report = _import_w3c(library, annotations) if annotations else AnnotationImportReport()
    report.format = "Hypothesis"
    report.skipped[:0] = skipped
    return report


# --------------------------------------------------------------------------- brat


def import_brat(library: Library, path: Path) -> AnnotationImportReport:
    """Import one `.ann` file, or every `.ann` file of a folder (sorted by name)."""
    report = AnnotationImportReport(format="brat standoff")
    files = sorted(path.glob("*.ann")) if path.is_dir() else [path]
    if not files:
        raise AnnotationFileError("the folder holds no .ann files")
    pending: list[tuple[str, brat_reader.BratRelation, dict[str, str]]] = []
    for ann_path in files:
        try:
            _import_brat_file(library, ann_path, report, pending)
        except AnnotationFileError as exc:
            if len(files) == 1:
                raise
            report.skipped.append(f"{ann_path}: {exc}")
    _import_relations(library, pending, report)
    return report


def _read(path: Path) -> str:
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise AnnotationFileError(f"{path.name} is not a regular file")
        if size > MAX_FILE_BYTES:
            raise AnnotationFileError(f"{path.name} is too large ({size // (1024 * 1024)} MB)")
        with path.open(encoding="utf-8", newline="") as handle:
            return handle.read()
    except OSError as exc:
        raise AnnotationFileError(f"cannot read {path.name}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise AnnotationFileError(f"{path.name} is not UTF-8 text") from None


def _article_for(session: Any, text: str, txt_path: Path, report: AnnotationImportReport) -> Article:
    body = normalize_text(text)
    if not body.strip():
        raise AnnotationFileError(f"{txt_path.name} holds no text")
    digest = content_hash(body)
    found = _articles.find_article_by_hash(session, digest)
    if found is not None:
        report.articles_matched += 1
        return found
    title = next((line for line in body.split("\n") if line.strip()), "Untitled")
    now = utcnow()
    article = Article(
        id=None,
        uuid=new_uuid(),
        title=normalize_line(title)[:200] or "Untitled",
        body=body,
        content_hash=digest,
        origin=str(txt_path.resolve()),
        origin_format="brat",
        imported_at=now,
        updated_at=now,
    )
    report.articles_created += 1
    return _articles.insert_article(session, article)


def _import_brat_file(
    library: Library,
    ann_path: Path,
    report: AnnotationImportReport,
    pending: list[tuple[str, brat_reader.BratRelation, dict[str, str]]],
) -> None:
    txt_path = ann_path.with_suffix(".txt")
    if not txt_path.exists():
        raise AnnotationFileError(f"no {txt_path.name} beside {ann_path.name} (brat offsets refer to it)")
    text = _read(txt_path)
    parsed = brat_reader.read_ann(_read(ann_path), text, label=ann_path.name)
    report.skipped.extend(parsed.skipped)
    changed_at = datetime.fromtimestamp(ann_path.stat().st_mtime, UTC)
    changed_at = changed_at.replace(microsecond=changed_at.microsecond // 1000 * 1000)
    uuids: dict[str, str] = {}
    with library.database.writing() as session:
        article = _article_for(session, text, txt_path, report)
        assert article.id is not None
        index = TextIndex(article.body)
        for span in parsed.spans:
            uuid = span.uuid or str(
                uuid_module.uuid5(_NAMESPACE, f"{content_hash(text)}:{span.id}:{span.start}:{span.end}")
            )
            exact, prefix, suffix = quote_context(text, span.start, span.end)
            incoming = Annotation(
                id=None,
                uuid=uuid,
                article_id=article.id,
                kind=span.kind,
                start=span.start,
                end=span.end,
                exact=exact,
                prefix=prefix,
                suffix=suffix,
                note=span.note,
                tags=span.tags,
                speaker=span.speaker,
                status=span.status,
                created_at=changed_at,
                updated_at=changed_at,
                updated_by=library.annotator,  # brat names no annotator: the one importing
            )
            incoming = _clean_annotation(incoming)
            if article.body[span.start : span.end] != exact:
                incoming = _place(index, incoming, report)
            if _merge_brat(session, incoming, article, report, ann_path.name):
                uuids[span.id] = uuid
                if span.credibility is not None and incoming.kind is not Kind.POLICY:
                    instruments.set_credibility(session, uuid, span.credibility)
    for relation in parsed.relations:
        pending.append((ann_path.name, relation, uuids))


_BRAT_FIELDS = ("kind", "start", "end", "note", "tags", "speaker", "status")


def _merge_brat(
    session: Any, incoming: Annotation, article: Article, report: AnnotationImportReport, label: str
) -> bool:
    """Add or update; False when the uuid belongs to another article (skipped and named)."""
    existing = _annotations.find_annotation(session, incoming.uuid)
    if existing is None:
        _annotations.add_annotation(session, incoming)
        report.added += 1
        return True
    if existing.article_id != article.id:
        report.skipped.append(f"{label}: annotation {incoming.uuid} belongs to another article")
        return False
    differs = any(getattr(existing, f) != getattr(incoming, f) for f in _BRAT_FIELDS)
    if differs and incoming.updated_at > existing.updated_at:
        changes = {f: getattr(incoming, f) for f in _BRAT_FIELDS}
        moved = existing.start != incoming.start or existing.end != incoming.end
        if moved:
            changes |= {"exact": incoming.exact, "prefix": incoming.prefix, "suffix": incoming.suffix}
            changes["anchor_state"] = incoming.anchor_state
        elif (
            existing.anchor_state is not AnchorState.ANCHORED
            and incoming.anchor_state is AnchorState.ANCHORED
        ):
            changes["anchor_state"] = AnchorState.ANCHORED
        _annotations.update_annotation(
            session, replace(existing, **changes, updated_at=incoming.updated_at, updated_by=incoming.updated_by)
        )
        report.updated += 1
    else:
        report.unchanged += 1
    return True


def _import_relations(
    library: Library,
    pending: list[tuple[str, brat_reader.BratRelation, dict[str, str]]],
    report: AnnotationImportReport,
) -> None:
    with library.database.writing() as session:
        for label, relation, uuids in pending:
            source = uuids.get(relation.source)
            target = (
                relation.target[9:] if relation.target.startswith("urn:uuid:") else uuids.get(relation.target)
            )
            if source is None or target is None:
                continue
            link_uuid = str(uuid_module.uuid5(_NAMESPACE, f"link:{source}:{target}:{relation.type.value}"))
            if _links.find_link(session, link_uuid) is not None:
                report.links_unchanged += 1
                continue
            link = Link(None, link_uuid, source, target, relation.type, utcnow())
            if _links.add_link(session, link) is not None:
                report.links_added += 1
            elif _annotations.find_annotation(session, target) is None:
                report.skipped.append(
                    f"{label}: a {relation.type.value} link to {target}, not in the library"
                )
            else:
                report.links_unchanged += 1

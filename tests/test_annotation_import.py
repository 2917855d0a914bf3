"""`nkreader import-annotations`: native exports restored exactly and merged; W3C from other tools."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SAMPLES
from nkreader.cli import main
from nkreader.domain import (
    AnchorState,
    Annotation,
    Article,
    ArticleDraft,
    Kind,
    Link,
    LinkType,
    Status,
    new_uuid,
    quote_context,
    utcnow,
)
from nkreader.export import native, w3c
from nkreader.services.annotation_import import AnnotationFileError, import_document
from nkreader.services.exporting import native_document, render
from nkreader.services.importing import import_paths
from nkreader.services.library import Library, content_hash
from nkreader.store import articles as article_store
from nkreader.store.annotations import add_annotation
from nkreader.store.articles import insert_article
from nkreader.store.database import Database
from nkreader.store.links import add_link
from nkreader.text.normalize import normalize_line, normalize_text

# --------------------------------------------------------------------------- helpers


def export_text(library: Library) -> str:
    """The native export with its one moment-dependent field blanked out."""
    text = native.dumps(native_document(library))
    return re.sub(r'"exported_at": "[^"]+"', '"exported_at": "-"', text, count=1)


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def add_article(library: Library, body: str, **fields: object) -> Article:
    draft = ArticleDraft(title=str(fields.pop("title", "A title")), body=body, **fields)  # type: ignore[arg-type]
    with library.database.writing() as session:
        return article_store.add_article(session, draft, content_hash(body))


BODY = (
    "Rice rose to 7,200 won a kilogram in Hyesan on Aug. 20, a source in Ryanggang Province said.\n\n"
    "“People used to switch to corn when rice got expensive, but now corn is going up just as fast,” "
    "the source said. Officials inspected the market on Monday."
)
URL = "https://example.org/yalu/hyesan-rice"


@pytest.fixture
def other(tmp_path: Path):
    library = Library.open(str(tmp_path / "other.db"))
    yield library
    library.close()


# --------------------------------------------------------------------------- native


def test_native_round_trip_of_samples_is_exact(library: Library, other: Library) -> None:
    import_paths(library, [SAMPLES])
    for summary in library.summaries():
        body = library.article(summary.id).body
        a = library.annotate(summary.id, Kind.QUOTE, 0, min(30, len(body)), speaker="Kim", tags=["x", "y"])
        library.edit(a, note="note\nwith lines", status=Status.CORROBORATED)
    first = export_text(library)
    report = import_document(other, json.loads(first))
    assert (report.articles_created, report.added) == (11, 11)
    assert export_text(other) == first
    again = import_document(other, json.loads(first))
    assert not again.changed and again.unchanged == 11
    assert export_text(other) == first


def test_merge_newer_wins_and_older_is_ignored(library: Library, other: Library) -> None:
    article = add_article(library, BODY, url=URL)
    annotation = library.annotate(article.id, Kind.CLAIM, 0, 40, note="first")  # type: ignore[arg-type]
    import_document(other, native_document(library))
    older = native_document(library)
    newer_note = library.edit(annotation, note="second")
    newer = native_document(library)
    report = import_document(other, newer)
    assert (report.updated, report.added) == (1, 0)
    assert other.annotations(article.id)[0].note == "second"  # type: ignore[arg-type]
    report = import_document(other, older)
    assert (report.updated, report.unchanged) == (0, 1)
    stored = other.annotations(article.id)[0]  # type: ignore[arg-type]
    assert stored.note == "second" and stored.updated_at == newer_note.updated_at


def test_articles_matched_by_url_then_content_hash(library: Library, other: Library) -> None:
    by_url = add_article(library, BODY, url=URL, title="By URL")
    by_hash = add_article(library, "Another article entirely. It has two sentences.", title="By hash")
    library.annotate(by_url.id, Kind.CLAIM, 0, 20)  # type: ignore[arg-type]
    library.annotate(by_hash.id, Kind.QUOTE, 0, 25)  # type: ignore[arg-type]
    # the other library imported the same articles itself: other uuids, other ids
    add_article(other, "Filler so that ids differ.", title="Filler")
    mine_hash = add_article(other, "Another article entirely. It has two sentences.", title="Mine")
    mine_url = add_article(other, BODY, url=URL, title="Mine too")
    report = import_document(other, native_document(library))
    assert (report.articles_created, report.articles_matched, report.added) == (0, 2, 2)
    assert [a.kind for a in other.annotations(mine_url.id)] == [Kind.CLAIM]  # type: ignore[arg-type]
    assert [a.kind for a in other.annotations(mine_hash.id)] == [Kind.QUOTE]  # type: ignore[arg-type]


def test_other_text_is_reanchored_and_missing_text_is_skipped(library: Library, other: Library) -> None:
    article = add_article(library, BODY, url=URL)
    start = BODY.index("Officials")
    library.annotate(article.id, Kind.CLAIM, start, len(BODY))  # type: ignore[arg-type]
    library.annotate(article.id, Kind.QUOTE, 0, 10)  # type: ignore[arg-type]
    newer = "Update: prices fell on Tuesday.\n\n" + BODY.replace("Rice rose to", "Rice climbed to")
    mine = add_article(other, newer, url=URL)
    report = import_document(other, native_document(library))
    claim, quote = sorted(other.annotations(mine.id), key=lambda a: a.kind.value)  # type: ignore[arg-type]
    assert (
        claim.anchor_state is AnchorState.ANCHORED
        and claim.exact == "Officials inspected the market on Monday."
    )
    assert newer[claim.start : claim.end] == claim.exact
    assert quote.anchor_state is AnchorState.ORPHANED and quote.exact == "Rice rose "
    assert report.anchors[AnchorState.ANCHORED] == 1 and report.anchors[AnchorState.ORPHANED] == 1
    # an article the library lacks, exported without its text: its annotations cannot be placed
    lonely = add_article(library, "A story only the first library has.", title="Lonely")
    library.annotate(lonely.id, Kind.CLAIM, 0, 7)  # type: ignore[arg-type]
    report = import_document(other, native_document(library, article_ids=[lonely.id], include_text=False))  # type: ignore[list-item]
    assert report.added == 0 and len(report.skipped) == 1 and "--no-text" in report.skipped[0]


def test_imported_text_is_made_safe(other: Library) -> None:
    document = {
        "format": "nkreader-annotations",
        "version": 1,
        "exported_at": "2026-01-01T00:00:00.000Z",
        "articles": [
            {
                "uuid": new_uuid(),
                "title": "Title\x1b]0;pwned\x07 here",
                "body": "Body with \x1b[31mred\x1b[0m text. Second sentence.",
                "imported_at": "2026-01-01T00:00:00.000Z",
                "updated_at": "2026-01-01T00:00:00.000Z",
                "annotations": [
                    {
                        "uuid": new_uuid(),
                        "kind": "claim",
                        "start": 0,
                        "end": 24,
                        "exact": "Body with \x1b[31mred\x1b[0m",
                        "note": "line one\x1b[2J\nline \u202etwo",
                        "tags": ["\x07bell"],
                        "speaker": "Kim\x00",
                        "created_at": "2026-01-01T00:00:00.000Z",
                        "updated_at": "2026-01-01T00:00:00.000Z",
                    }
                ],
            }
        ],
        "links": [],
    }
    import_document(other, document)
    [summary] = other.summaries()
    article = other.article(summary.id)
    assert article.title == "Title here" and article.body == "Body with red text. Second sentence."
    [annotation] = other.annotations(summary.id)
    assert annotation.exact == "Body with red" and (annotation.start, annotation.end) == (0, 13)
    assert (
        annotation.note == "line one\nline two"
        and annotation.tags == ["bell"]
        and annotation.speaker == "Kim"
    )


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"format": "nkreader-annotations", "version": 9, "articles": []}, "version 9"),
        (
            {"format": "nkreader-annotations", "version": 1, "articles": [{"uuid": "x"}]},
            'articles[0]: "uuid"',
        ),
        ({"hello": "world"}, "neither an nkreader export nor W3C"),
    ],
)
def test_unreadable_files_are_refused_whole(other: Library, document: object, message: str) -> None:
    with pytest.raises(AnnotationFileError, match=re.escape(message)):
        import_document(other, document)
    assert other.is_empty()


# --------------------------------------------------------------------------- the property

_SAFE = st.characters(
    blacklist_categories=("Cc", "Cs"),
    blacklist_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff",
)
_TEXT = st.text(alphabet=_SAFE | st.sampled_from(" \n“”’é김"), max_size=40)
_LINE = _TEXT.map(normalize_line)
_MS = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
).map(lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000))
_OPTIONAL_LINE = st.none() | _LINE.filter(bool)


@st.composite
def annotations_for(draw: st.DrawFn, body: str) -> Annotation:
    start = draw(st.integers(0, len(body) - 1))
    end = draw(st.integers(start + 1, len(body)))
    exact, prefix, suffix = quote_context(body, start, end)
    state = draw(st.sampled_from(AnchorState))
    if state is AnchorState.ORPHANED:  # an orphan keeps the words it was made on, whatever is there now
        exact = draw(_TEXT.filter(bool))
        prefix, suffix = draw(_TEXT.map(lambda t: t[:32])), draw(_TEXT.map(lambda t: t[:32]))
    created = draw(_MS)
    return Annotation(
        id=None,
        uuid=new_uuid(),
        article_id=0,
        kind=draw(st.sampled_from(Kind)),
        start=start,
        end=end,
        exact=exact,
        prefix=prefix,
        suffix=suffix,
        note=draw(_TEXT),
        tags=draw(st.lists(_LINE.filter(bool), max_size=3, unique=True)),
        speaker=draw(_OPTIONAL_LINE),
        status=draw(st.sampled_from(Status)),
        anchor_state=state,
        author=draw(_OPTIONAL_LINE),
        created_at=created,
        updated_at=created + timedelta(milliseconds=draw(st.integers(0, 10**9))),
    )


@st.composite
def libraries(draw: st.DrawFn) -> list[tuple[Article, list[Annotation]]]:
    ids = sorted(draw(st.sets(st.integers(1, 60), min_size=1, max_size=4)))
    content = []
    bodies: set[str] = set()  # a library never holds one text twice: the importer refuses duplicates
    for number, article_id in enumerate(ids):
        body = draw(
            st.text(alphabet=_SAFE | st.sampled_from(" \n\n“”"), min_size=1, max_size=300)
            .map(normalize_text)
            .filter(lambda b: b and b not in bodies)
        )
        bodies.add(body)
        imported = draw(_MS)
        page = draw(st.none() | st.integers(0, 10**6))
        article = Article(
            id=article_id,
            uuid=new_uuid(),
            title=draw(_LINE.filter(bool)),
            body=body,
            content_hash=content_hash(body),
            source=draw(_OPTIONAL_LINE),
            author=draw(_OPTIONAL_LINE),
            url=None if page is None else f"https://example.org/a/{number}/{page}",
            published=draw(st.none() | st.dates(date(1990, 1, 1), date(2030, 1, 1))),
            language=draw(st.sampled_from([None, "en", "ko"])),
            origin=draw(_OPTIONAL_LINE),
            origin_format=draw(st.sampled_from([None, "text", "markdown", "feed"])),
            imported_at=imported,
            updated_at=imported + timedelta(seconds=draw(st.integers(0, 10**6))),
        )
        content.append((article, draw(st.lists(annotations_for(body), max_size=4))))
    return content


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty library with the schema in place, copied for each example (no migration each time)."""
    path = tmp_path_factory.mktemp("template") / "empty.db"
    Database.open(str(path)).close()
    return path


def library_from(template: Path, folder: Path, name: str) -> Library:
    path = folder / name
    shutil.copy(template, path)
    return Library(Database.open(str(path)))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    content=libraries(),
    link_picks=st.lists(
        st.tuples(st.integers(0, 99), st.integers(0, 99), st.sampled_from(LinkType)), max_size=4
    ),
)
def test_random_libraries_survive_export_import_export(
    template: Path,
    content: list[tuple[Article, list[Annotation]]],
    link_picks: list[tuple[int, int, LinkType]],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = library_from(template, Path(folder), "source.db")
        target = library_from(template, Path(folder), "target.db")
        try:
            uuids = []
            with source.database.writing() as session:
                for article, annotations in content:
                    stored = insert_article(session, article)
                    assert stored.id == article.id
                    for annotation in annotations:
                        add_annotation(session, replace(annotation, article_id=stored.id))
                        uuids.append(annotation.uuid)
                for a, b, link_type in link_picks:
                    # the app never links an annotation to itself (services.links refuses it)
                    if uuids and uuids[a % len(uuids)] != uuids[b % len(uuids)]:
                        add_link(
                            session,
                            Link(
                                None,
                                new_uuid(),
                                uuids[a % len(uuids)],
                                uuids[b % len(uuids)],
                                link_type,
                                utcnow(),
                            ),
                        )
            exported = export_text(source)
            report = import_document(target, json.loads(exported))
            assert not report.skipped
            assert export_text(target) == exported
            again = import_document(target, json.loads(exported))
            assert not again.changed
            assert export_text(target) == exported
        finally:
            source.close()
            target.close()


# --------------------------------------------------------------------------- W3C


HYPOTHESIS_EXPORT = {
    "@context": "http://www.w3.org/ns/anno.jsonld",
    "type": "AnnotationCollection",
    "id": "https://hypothes.is/export/abc",
    "total": 3,
    "first": {
        "type": "AnnotationPage",
        "id": "https://hypothes.is/export/abc?page=1",
        "items": [
            {
                "@context": "http://www.w3.org/ns/anno.jsonld",
                "type": "Annotation",
                "id": "https://hypothes.is/a/AbC123",
                "created": "2026-08-22T10:00:00.000000+00:00",
                "modified": "2026-08-22T10:05:00.000000+00:00",
                "creator": "acct:reporter@hypothes.is",
                "body": [
                    {"type": "TextualBody", "value": "Matches the June survey.", "format": "text/markdown"},
                    {"type": "TextualBody", "purpose": "tagging", "value": "prices"},
                ],
                "target": [
                    {
                        "source": URL + "/",
                        "selector": [
                            {
                                "type": "RangeSelector",
                                "startSelector": {"type": "XPathSelector", "value": "/p[1]"},
                            },
                            {"type": "TextPositionSelector", "start": 2, "end": 60},
                            {
                                "type": "TextQuoteSelector",
                                # the web page had line breaks and straight quotes
                                "exact": "Rice rose to 7,200 won a kilogram\nin Hyesan on Aug. 20",
                                "prefix": "",
                                "suffix": ", a source in",
                            },
                        ],
                    }
                ],
            },
            {
                "type": "Annotation",
                "id": "https://hypothes.is/a/DeF456",
                "created": "2026-08-22T11:00:00Z",
                "body": [
                    {"type": "TextualBody", "purpose": "tagging", "value": "Quote"},
                    {"type": "TextualBody", "purpose": "tagging", "value": "speaker:a source in Ryanggang"},
                ],
                "target": {
                    "source": URL,
                    "selector": {
                        "type": "TextQuoteSelector",
                        "exact": '"People used to switch to corn when rice got expensive, but now corn is going up just as fast,"',
                    },
                },
            },
            {
                "type": "Annotation",
                "id": "https://hypothes.is/a/GhI789",
                "body": {"type": "TextualBody", "value": "About another page"},
                "target": {
                    "source": "https://example.org/unknown",
                    "selector": {"type": "TextQuoteSelector", "exact": "x"},
                },
            },
        ],
    },
}


def test_hypothesis_export_is_anchored_by_quote(library: Library, db_path: Path, tmp_path: Path) -> None:
    article = add_article(library, BODY, url=URL)
    path = tmp_path / "hypothesis.jsonld"
    path.write_text(json.dumps(HYPOTHESIS_EXPORT), encoding="utf-8")
    code, out, err = run(db_path, "import-annotations", str(path))
    assert code == 1  # one annotation's page is not in the library
    assert "https://example.org/unknown" in err and "no article in the library has that URL" in err
    assert "2 added" in out
    claim, quote = library.annotations(article.id)  # type: ignore[arg-type]
    assert (
        claim.kind is Kind.CLAIM and claim.exact == "Rice rose to 7,200 won a kilogram in Hyesan on Aug. 20"
    )
    assert (claim.start, claim.end) == (0, len(claim.exact))
    assert claim.note == "Matches the June survey." and claim.tags == ["prices"]
    assert claim.author == "acct:reporter@hypothes.is"
    assert claim.created_at == datetime(2026, 8, 22, 10, tzinfo=UTC)
    assert quote.kind is Kind.QUOTE and quote.speaker == "a source in Ryanggang"
    assert quote.exact.startswith("“People") and BODY[quote.start : quote.end] == quote.exact
    before = export_text(library)
    code, out, _ = run(db_path, "import-annotations", str(path))
    assert "0 added, 0 updated, 2 unchanged" in out
    assert export_text(library) == before


def test_own_w3c_export_restores_the_annotations(library: Library, other: Library) -> None:
    article = add_article(library, BODY, url=URL)
    policy = library.annotate(article.id, Kind.POLICY, BODY.index("Officials"), len(BODY), speaker="KCNA")  # type: ignore[arg-type]
    claim = library.annotate(article.id, Kind.CLAIM, 0, 40, note="A note", tags=["t1", "t2"])  # type: ignore[arg-type]
    claim = library.edit(claim, status=Status.REFUTED)
    with library.database.writing() as session:
        add_link(session, Link(None, new_uuid(), claim.uuid, policy.uuid, LinkType.CONTRADICTS, utcnow()))
    document = json.loads(render(library, "w3c").text)
    mine = add_article(other, BODY, url=URL)
    report = import_document(other, document)
    assert (report.added, report.links_added, report.skipped) == (2, 1, [])
    restored = {a.uuid: a for a in other.annotations(mine.id)}  # type: ignore[arg-type]
    for original in (policy, claim):
        got = restored[original.uuid]
        for name in (
            "kind",
            "start",
            "end",
            "exact",
            "prefix",
            "suffix",
            "note",
            "tags",
            "speaker",
            "status",
        ):
            assert getattr(got, name) == getattr(original, name), name
        assert got.created_at == original.created_at and got.updated_at == original.updated_at
    assert native_document(other)["links"][0]["type"] == "contradicts"
    assert not import_document(other, document).changed


def test_w3c_source_by_urn_and_orphans_kept(library: Library) -> None:
    article = add_article(library, BODY)
    item = {
        "@context": w3c.CONTEXT,
        "type": "Annotation",
        "id": "urn:uuid:" + new_uuid(),
        "body": [{"type": "TextualBody", "purpose": "tagging", "value": "policy statement"}],
        "target": {
            "source": f"urn:uuid:{article.uuid}",
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": "a passage that this text never had",
                    "prefix": "x" * 50,
                }
            ],
        },
    }
    report = import_document(library, [item])
    assert report.added == 1 and report.anchors[AnchorState.ORPHANED] == 1
    [annotation] = library.annotations(article.id)  # type: ignore[arg-type]
    assert annotation.kind is Kind.POLICY and annotation.anchor_state is AnchorState.ORPHANED
    assert annotation.exact == "a passage that this text never had" and annotation.prefix == "x" * 32

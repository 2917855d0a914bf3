"""Issue 16, `import-annotations` under hostile files (items 3, 5, 6, 7, 12), and the one
duplicate rule for single and batch imports (issue 10, item 7)."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from nkreader.cli import main
from nkreader.domain import Annotation, ArticleDraft, Kind, new_uuid
from nkreader.export import native
from nkreader.services.exporting import native_document
from nkreader.services.importing import Outcome, store_batch, store_draft
from nkreader.services.library import Library, content_hash
from nkreader.store.annotations import add_annotation
from nkreader.store.articles import add_article, revisions_for
from nkreader.store.speakers import canonical_speaker
from nkreader.store.stats import count_annotations_by_kind, count_articles


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def annotated(library: Library, body: str, exact: str, kind: Kind = Kind.QUOTE, **fields: object) -> int:
    with library.database.writing() as session:
        article = add_article(
            session,
            ArticleDraft(title=str(fields.pop("title", "T")), body=body, **fields),
            content_hash(body),
        )  # type: ignore[arg-type]
        assert article.id is not None
        start = body.index(exact)
        add_annotation(
            session, Annotation(None, new_uuid(), article.id, kind, start, start + len(exact), exact)
        )
        return article.id


def export_of(library: Library) -> dict:
    return json.loads(native.dumps(native_document(library)))


def write(tmp_path: Path, document: object, name: str = "in.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document) if not isinstance(document, str) else document)
    return path


def counts(library: Library) -> tuple[int, int]:
    with library.database.reading() as session:
        return count_articles(session), sum(count_annotations_by_kind(session).values())


# ------------------------------------------------------------------ item 3


def test_a_uuid_of_another_articles_annotation_is_skipped(
    library: Library, db_path: Path, tmp_path: Path
) -> None:
    first = annotated(library, "Kim said the harvest failed. Nobody agreed.", "the harvest failed")
    second = annotated(library, "Prices rose in Hyesan market this week.", "Prices rose")
    document = export_of(library)
    theirs = document["articles"][[a["id"] for a in document["articles"]].index(first)]["annotations"][0]
    mine = next(a for a in document["articles"] if a["id"] == second)
    # the other article's annotation, as if made on this one, and newer
    mine["annotations"] = [
        {
            **theirs,
            "start": 0,
            "end": 11,
            "exact": "Prices rose",
            "kind": "claim",
            "updated_at": "2099-01-01T00:00:00Z",
        }
    ]
    document["articles"] = [mine]
    code, out, err = run(db_path, "import-annotations", str(write(tmp_path, document)))
    assert code == 1 and theirs["uuid"] in err and "another article" not in out
    assert f"of article {first}" in err
    stored = library.annotations(first)
    assert [(a.kind, a.exact) for a in stored] == [(Kind.QUOTE, "the harvest failed")]
    assert [a.exact for a in library.annotations(second)] == ["Prices rose"]


# ------------------------------------------------------------------ items 5, 6, 7


@pytest.mark.parametrize("depth", [990, 100_000])
def test_deeply_nested_files_are_refused_in_one_line(db_path: Path, tmp_path: Path, depth: int) -> None:
    run(db_path, "import", str(SAMPLES / "hyesan-market-prices.txt"))
    nested = '{"type": "Annotation", "target": ' + "[" * depth + "]" * depth + "}"
    code, _, err = run(db_path, "import-annotations", str(write(tmp_path, nested, "deep.jsonld")))
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err, err


def test_integers_past_the_stores_range_change_nothing(
    library: Library, db_path: Path, tmp_path: Path
) -> None:
    annotated(library, "Kim said the harvest failed. Nobody agreed.", "the harvest failed")
    document = export_of(library)
    first = document["articles"][0]
    fresh = json.loads(json.dumps(first))
    fresh.update(uuid=new_uuid(), id=2, body="A wholly new article about fishing quotas.", url=None)
    fresh["annotations"] = [{**fresh["annotations"][0], "uuid": new_uuid(), "end": 2**70}]
    document["articles"] = [
        {**first, "uuid": new_uuid(), "id": 2**63, "body": "Another new text entirely.", "url": None},
        fresh,
    ]
    before = counts(library)
    code, _, err = run(db_path, "import-annotations", str(write(tmp_path, document)))
    assert code == 1 and err.count("\n") == 1 and "between" in err, err
    assert counts(library) == before


def test_devices_and_fifos_are_refused_not_read(db_path: Path, tmp_path: Path) -> None:
    run(db_path, "import", str(SAMPLES / "hyesan-market-prices.txt"))
    code, _, err = run(db_path, "import-annotations", "/dev/zero")
    assert code == 1 and "not a file (a device)" in err, err
    link = tmp_path / "zero.json"
    link.symlink_to("/dev/zero")
    code, _, err = run(db_path, "import-annotations", str(link))
    assert code == 1 and "not a file (a device)" in err, err
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    result: dict[str, object] = {}
    worker = threading.Thread(target=lambda: result.update(r=run(db_path, "import-annotations", str(fifo))))
    worker.start()
    worker.join(timeout=30)
    if worker.is_alive():  # unblock the reader so the test run can end, then fail
        with open(fifo, "w") as handle:
            handle.write("{}")
        worker.join()
        pytest.fail("import-annotations hung on a FIFO")
    code, _, err = result["r"]  # type: ignore[misc]
    assert code == 1 and "not a file (a FIFO)" in err


# ------------------------------------------------------------------ item 12


def test_an_end_past_the_text_is_not_stored_as_anchored(
    library: Library, db_path: Path, tmp_path: Path
) -> None:
    body = "Kim said the harvest failed. Nobody agreed."
    article_id = annotated(library, body, "Nobody agreed.")
    document = export_of(library)
    annotation = document["articles"][0]["annotations"][0]
    annotation.update(uuid=new_uuid(), end=len(body) + 100, updated_at="2099-01-01T00:00:00Z")
    code, _, err = run(db_path, "import-annotations", str(write(tmp_path, document)))
    assert code == 0, err
    for stored in library.annotations(article_id):
        assert stored.end <= len(body)
        assert body[stored.start : stored.end] == stored.exact


def test_hostile_native_contents_are_refused_or_named(
    library: Library, db_path: Path, tmp_path: Path
) -> None:
    annotated(library, "Kim said the harvest failed. Nobody agreed.", "the harvest failed")
    document = export_of(library)
    article = document["articles"][0]
    annotation = article["annotations"][0]
    annotation["author"] = "\x1b[31m\x07"
    annotation["updated_at"] = "2099-01-01T00:00:00Z"
    empty = {
        **article,
        "uuid": new_uuid(),
        "id": 7,
        "url": None,
        "title": "Empty",
        "body": "\x00\x1b",
        "content_hash": "",
        "annotations": [],
    }
    document["articles"].append(empty)
    missing, own = new_uuid(), annotation["uuid"]
    document["links"] = [
        {
            "uuid": new_uuid(),
            "source": own,
            "target": own,
            "type": "corroborates",
            "created_at": "2025-01-01T00:00:00Z",
        },
        {
            "uuid": new_uuid(),
            "source": own,
            "target": missing,
            "type": "corroborates",
            "created_at": "2025-01-01T00:00:00Z",
        },
    ]
    before = counts(library)
    code, _, err = run(db_path, "import-annotations", str(write(tmp_path, document)))
    assert code == 1
    assert "its text is empty" in err and "to itself" in err and missing in err, err
    assert counts(library) == before
    assert library.annotations(1)[0].author is None  # cleaned to nothing: no author, not ''
    negative = export_of(library)
    negative["articles"][0]["id"] = -5
    code, _, err = run(db_path, "import-annotations", str(write(tmp_path, negative, "neg.json")))
    assert code == 1 and '"id" must be between 1' in err, err


def test_an_empty_w3c_quote_is_skipped(library: Library, db_path: Path, tmp_path: Path) -> None:
    annotated(library, "Kim said the harvest failed. Nobody agreed.", "Nobody", url="https://example.org/a")
    document = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "id": "urn:uuid:" + new_uuid(),
        "target": {
            "source": "https://example.org/a",
            "selector": {"type": "TextQuoteSelector", "exact": "  "},
        },
    }
    code, _, err = run(db_path, "import-annotations", str(write(tmp_path, document, "a.jsonld")))
    assert code == 1 and "quote" in err and "empty" in err, err
    assert counts(library) == (1, 1)


# ------------------------------------------------------------------ issue 10 item 7: one duplicate rule


def test_single_and_batch_imports_pick_the_same_article(library: Library) -> None:
    with library.database.writing() as session:
        for text in ("First text of the page.", "Second text of the same page."):
            add_article(
                session, ArticleDraft(title="T", body=text, url="https://x.org/p"), content_hash(text)
            )
        add_article(
            session,
            ArticleDraft(title="T", body="Origin text.", origin="/data/p.html"),
            content_hash("Origin text."),
        )
    draft = ArticleDraft(title="T", body="Third text.", url="https://x.org/p", origin="/data/p.html")
    single = store_draft(library, draft)
    batch = store_batch(
        library, [ArticleDraft(**{f: getattr(draft, f) for f in ("title", "body", "url", "origin")})]
    )[0]
    assert single.outcome is batch.outcome is Outcome.CHANGED
    assert single.reason == batch.reason and "article 1 " in (single.reason or "")


# ------------------------------------------------------------------ item 4


def test_the_native_export_restores_revisions_and_speaker_aliases(db_path: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("---\ntitle: Rice\nurl: https://x.org/rice\n---\n\nRice rose to 7,000 won.\n")
    run(db_path, "import", str(page))
    page.write_text("---\ntitle: Rice\nurl: https://x.org/rice\n---\n\nRice rose to 7,500 won.\n")
    code, _, err = run(db_path, "import", "--update", str(page))
    assert code == 0, err
    library = Library.open(str(db_path))
    try:
        from nkreader.services import speakers as speaker_service

        speaker_service.add_alias(library, "Kim Jong Un", "김정은")
    finally:
        library.close()
    backup = tmp_path / "backup.json"
    assert run(db_path, "export", "-o", str(backup))[0] == 0
    restored_db = tmp_path / "restored.db"
    code, out, err = run(restored_db, "import-annotations", str(backup))
    assert code == 0, err
    assert "earlier texts 1 added" in out and "speaker aliases 1 added" in out
    restored = Library.open(str(restored_db))
    try:
        with restored.database.reading() as session:
            revisions = revisions_for(session, 1)
        assert [r.body for r in revisions] == ["Rice rose to 7,000 won."]
        with restored.database.reading() as session:
            assert canonical_speaker(session, "김정은") == "Kim Jong Un"
    finally:
        restored.close()
    again = tmp_path / "again.json"
    assert run(restored_db, "export", "-o", str(again))[0] == 0

    def comparable(path: Path) -> dict:
        document = json.loads(path.read_text())
        document.pop("exported_at")
        for article in document["articles"]:
            article.pop("id")
            article.pop("imported_at")
            article.pop("updated_at")
        return document

    assert comparable(again) == comparable(backup)
    code, out, _ = run(restored_db, "import-annotations", str(backup))  # twice: nothing changes
    assert code == 0 and "earlier texts" not in out and "aliases" not in out

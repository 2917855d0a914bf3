"""`nkreader import --update`: a newer text of a known article, its annotations carried over."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from nkreader.cli import main
from nkreader.domain import AnchorState, Kind
from nkreader.services import updating
from nkreader.services.importing import Outcome, store_draft
from nkreader.services.library import InvalidSpan, Library
from nkreader.store import migrate
from nkreader.store.annotations import write_fields
from nkreader.store.articles import revisions_for
from nkreader.store.database import Database

URL = "https://example.org/yalu-ledger/2026/08/hyesan-rice"
FRONT = f"---\ntitle: Rice tops 7,000 won in Hyesan\nsource: Yalu Ledger\nurl: {URL}\npublished: 2026-08-21\n---\n\n"
TEXT = (
    "Rice prices in Hyesan rose above 7,000 won per kilogram in mid-August, a source said.\n\n"
    "A kilogram of rice sold for 7,200 won at Hyesan market on Aug. 20. Pork was selling for 17,000 won "
    "per kilogram. “People used to switch to corn when rice got expensive,” the source said.\n\n"
    "The won also lost ground. Fuel prices followed the currency.\n\n"
    "Inspection teams would visit every stall each day, the notice said."
)
UPDATED = (
    "Rice prices in Hyesan rose above 7,000 won per kilogram in mid-August, a source said.\n\n"
    "Prices kept rising. A kilogram of rice sold for 7,200 won at Hyesan market on Aug. 20. Pork was selling "
    'for 17,500 won per kilogram. "People used to switch to corn when rice got expensive," the source said.\n\n'
    "The won also lost ground.\n\n"
    "Inspection teams would visit every stall each day, the notice said.\n\n"
    "Editor's note: this story was updated on Aug. 23 with new figures."
)
MARKS = {
    "unchanged": ("Rice prices in Hyesan rose above 7,000 won per kilogram in mid-August", Kind.CLAIM),
    "moved": ("A kilogram of rice sold for 7,200 won at Hyesan market on Aug. 20.", Kind.CLAIM),
    "fuzzy": ("Pork was selling for 17,000 won per kilogram.", Kind.CLAIM),
    "quote": ("“People used to switch to corn when rice got expensive,”", Kind.QUOTE),
    "orphan": ("Fuel prices followed the currency.", Kind.CLAIM),
    "last": ("Inspection teams would visit every stall each day", Kind.POLICY),
}


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def marked(tmp_path: Path, db_path: Path) -> tuple[Path, int, dict[str, str]]:
    """An imported article with one annotation per kind of fate; returns (file, article id, uuids)."""
    article = tmp_path / "news" / "hyesan.md"
    article.parent.mkdir()
    article.write_text(FRONT + TEXT, encoding="utf-8")
    assert run(db_path, "import", str(article))[0] == 0
    library = Library.open(str(db_path))
    [summary] = library.summaries()
    body = library.article(summary.id).body
    uuids = {}
    for name, (passage, kind) in MARKS.items():
        start = body.index(passage)
        annotation = library.annotate(summary.id, kind, start, start + len(passage), note=f"note {name}")
        uuids[name] = annotation.uuid
    library.close()
    return article, summary.id, uuids


def annotations_by_name(library: Library, article_id: int, uuids: dict[str, str]):
    stored = {a.uuid: a for a in library.annotations(article_id)}
    return {name: stored[uuid] for name, uuid in uuids.items()}


def test_without_update_a_changed_article_is_reported_and_skipped(
    marked: tuple[Path, int, dict[str, str]], db_path: Path
) -> None:
    article, article_id, _ = marked
    article.write_text(FRONT + UPDATED, encoding="utf-8")
    code, out, err = run(db_path, "import", str(article))
    assert code == 0
    assert out.strip() == "imported 0, skipped 1, failed 0"
    assert "changed" in err and "--update" in err
    library = Library.open(str(db_path))
    assert library.article(article_id).body == TEXT
    library.close()


def test_update_replaces_text_keeps_revision_and_reanchors(
    marked: tuple[Path, int, dict[str, str]], db_path: Path
) -> None:
    article, article_id, uuids = marked
    library = Library.open(str(db_path))
    before = library.article(article_id)
    library.close()
    # the new version comes from another file: matched by URL
    newer = article.with_name("hyesan-updated.md")
    newer.write_text(FRONT + UPDATED, encoding="utf-8")
    code, out, err = run(db_path, "import", "--update", str(newer))
    assert code == 0, err
    assert out.strip() == "imported 0, updated 1, skipped 0, failed 0"
    assert "1 anchored, 3 moved, 1 fuzzy, 1 orphaned" in err

    library = Library.open(str(db_path))
    after = library.article(article_id)
    assert after.uuid == before.uuid and after.imported_at == before.imported_at
    assert after.body == UPDATED and after.updated_at > before.updated_at
    assert after.origin == str(newer.resolve())
    marks = annotations_by_name(library, article_id, uuids)
    assert len(library.annotations(article_id)) == len(MARKS)  # none dropped
    assert {name: a.anchor_state for name, a in marks.items()} == {
        "unchanged": AnchorState.ANCHORED,
        "moved": AnchorState.MOVED,
        "fuzzy": AnchorState.FUZZY,
        "quote": AnchorState.MOVED,
        "orphan": AnchorState.ORPHANED,
        "last": AnchorState.MOVED,
    }
    for name, annotation in marks.items():
        assert annotation.note == f"note {name}"
        if annotation.anchor_state is not AnchorState.ORPHANED:
            assert UPDATED[annotation.start : annotation.end] == annotation.exact
            assert annotation.prefix == UPDATED[max(0, annotation.start - 32) : annotation.start]
        # each one's offsets, quote or context changed: its updated_at moves on
        assert annotation.updated_at == after.updated_at
    assert marks["fuzzy"].exact == "Pork was selling for 17,500 won per kilogram."
    assert marks["quote"].exact == '"People used to switch to corn when rice got expensive,"'
    orphan = marks["orphan"]
    assert orphan.exact == "Fuel prices followed the currency."  # the original words, kept
    assert orphan.prefix.endswith("The won also lost ground. ")
    assert 0 <= orphan.start <= orphan.end <= len(UPDATED)
    with library.database.reading() as session:
        [revision] = revisions_for(session, article_id)
    assert revision.body == TEXT and revision.content_hash == before.content_hash
    assert revision.stored_at == before.updated_at and revision.replaced_at == after.updated_at
    with library.database.engine.connect() as connection:  # full-text search follows the new text
        hits = connection.exec_driver_sql("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'editor'")
        assert [r[0] for r in hits] == [article_id]
    library.close()

    # the same text again: a duplicate, nothing changes
    code, out, _ = run(db_path, "import", "--update", str(newer))
    assert out.strip() == "imported 0, updated 0, skipped 1, failed 0"


def test_orphan_can_be_reattached_and_fuzzy_stays_until_then(
    marked: tuple[Path, int, dict[str, str]], db_path: Path
) -> None:
    article, article_id, uuids = marked
    article.write_text(FRONT + UPDATED, encoding="utf-8")
    run(db_path, "import", "--update", str(article))
    library = Library.open(str(db_path))
    second = annotations_by_name(library, article_id, uuids)
    library.close()
    # a third version that holds the fuzzy passage exactly: it stays fuzzy until someone checks it
    third = UPDATED.replace("Editor's note", "Correction")
    assert third != UPDATED
    article.write_text(FRONT + third, encoding="utf-8")
    code, _, err = run(db_path, "import", "--update", str(article))
    assert code == 0, err
    library = Library.open(str(db_path))
    marks = annotations_by_name(library, article_id, uuids)
    assert marks["unchanged"] == second["unchanged"]  # nothing changed for it: not even updated_at
    assert marks["fuzzy"].anchor_state is AnchorState.FUZZY
    assert marks["orphan"].anchor_state is AnchorState.ORPHANED
    with library.database.reading() as session:
        assert len(revisions_for(session, article_id)) == 2

    start = third.index("The won also lost ground.")
    reattached = library.reattach(uuids["orphan"], start, start + len("The won also lost ground."))
    assert reattached.anchor_state is AnchorState.ANCHORED
    assert reattached.exact == "The won also lost ground."
    assert reattached.note == "note orphan"
    assert reattached.updated_at > marks["orphan"].updated_at
    fuzzy = marks["fuzzy"]
    checked = library.reattach(fuzzy.uuid, fuzzy.start, fuzzy.end)
    assert checked.anchor_state is AnchorState.ANCHORED
    with pytest.raises(InvalidSpan):
        library.reattach(uuids["last"], 0, len(third) + 5)
    library.close()


def test_one_article_update_is_one_transaction(
    marked: tuple[Path, int, dict[str, str]], db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, article_id, _ = marked
    library = Library.open(str(db_path))
    before = library.article(article_id)
    calls = []

    def failing(session, uuid, expected_version, values):
        calls.append(uuid)
        if len(calls) == 2:
            raise RuntimeError("disk pulled out")
        return original(session, uuid, expected_version, values)

    original = write_fields
    monkeypatch.setattr(updating, "write_fields", failing)
    from nkreader.domain import ArticleDraft

    draft = ArticleDraft(title=before.title, body=UPDATED, url=URL, origin=before.origin)
    with pytest.raises(RuntimeError):
        store_draft(library, draft, update=True)
    monkeypatch.undo()
    assert library.article(article_id).body == TEXT
    assert {a.anchor_state for a in library.annotations(article_id)} == {AnchorState.ANCHORED}
    with library.database.reading() as session:
        assert revisions_for(session, article_id) == []
    event = store_draft(library, draft, update=True)
    assert event.outcome is Outcome.UPDATED and event.article_id == article_id
    library.close()


def test_revisions_migration_upgrades_an_existing_library(db_path: Path) -> None:
    database = Database.open(str(db_path))
    migrate.downgrade(database.engine, "0001")
    database.close()
    with sqlite3.connect(db_path) as connection:
        tables = {r[0] for r in connection.execute("select name from sqlite_master where type='table'")}
    assert "article_revisions" not in tables
    library = Library.open(str(db_path))  # upgraded on open, a backup made first
    assert migrate.current_revision(library.database.engine) == migrate.head_revision()
    with library.database.reading() as session:
        assert revisions_for(session, 1) == []
    library.close()
    assert list(db_path.parent.glob("library.before-0001-*.db"))

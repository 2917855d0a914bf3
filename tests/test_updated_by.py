"""Who last changed a mark (issue 11): every write path stores the writing annotator as
`updated_by`; exports carry it and an import restores it; migration 0012 fills it from `author`.
Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from nkreader.cli import main
from nkreader.domain import Annotation, ArticleDraft, Kind, Status
from nkreader.services import register, speakers
from nkreader.services.importing import import_paths, store_draft
from nkreader.services.library import Library
from nkreader.services.search import search
from nkreader.store import migrate
from nkreader.store.database import Database


def cli(db: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--db", db, *args])
    return result.exit_code, result.output


@pytest.fixture
def two(db_url: str):
    """ana's and ben's view of one library (the rice sample article in it) and the article id."""
    ana = Library.open(db_url, annotator="ana")
    import_paths(ana, [SAMPLES])
    article = next(s.id for s in ana.summaries() if s.title.startswith("Rice tops"))
    ben = Library.open(db_url, annotator="ben")
    yield ana, ben, article
    ana.close()
    ben.close()


def stored(library: Library, mark: Annotation) -> Annotation:
    found = library.find(mark.uuid)
    assert found is not None
    return found


def test_a_new_mark_was_last_changed_by_its_maker(two) -> None:
    ana, _, article = two
    mark = ana.annotate(article, Kind.CLAIM, 0, 40)
    assert (mark.author, mark.updated_by) == ("ana", "ana")
    assert stored(ana, mark).updated_by == "ana"


def test_every_write_path_names_who_wrote(two) -> None:
    ana, ben, article = two
    mark = ana.annotate(article, Kind.CLAIM, 0, 40, speaker="KCNA")
    changed = ben.edit(mark, note="checked against the ministry's figures")
    assert (changed.author, changed.updated_by) == ("ana", "ben")

    again = ana.update_fields(changed.uuid, changed.version, {"tags": ["rice"]}, seen=changed)
    assert again.annotation.updated_by == "ana"

    assert register.set_status(ben, mark.uuid, Status.DISPUTED).updated_by == "ben"
    assert ana.reattach(mark.uuid, 2, 40).updated_by == "ana"
    assert ben.put(stored(ben, mark)).updated_by == "ana"  # nothing differs: nothing written
    current = stored(ben, mark)
    current.note = "put by ben"
    assert ben.put(current).updated_by == "ben"
    assert ana.put(stored(ana, mark)).updated_by == "ben"  # an empty write changes nobody's name

    assert speakers.merge(ana, "Korean Central News Agency", "KCNA") == 1
    after = stored(ana, mark)
    assert (after.speaker, after.author, after.updated_by) == ("Korean Central News Agency", "ana", "ana")
    assert after.status is Status.DISPUTED  # nothing else of ben's was lost


def test_update_reanchoring_names_the_one_who_updated(two) -> None:
    ana, ben, article = two
    body = ana.article(article).body
    mark = ana.annotate(article, Kind.QUOTE, 100, 160)
    untouched = ana.annotate(article, Kind.CLAIM, 0, 20)  # its suffix ends before the change
    original = ana.article(article)
    draft = ArticleDraft(
        title=original.title,
        body=body[:60] + "An added sentence moves the rest along. " + body[60:],
        url=original.url,
        origin=original.origin,
    )
    event = store_draft(ben, draft, update=True)
    assert event.outcome.value == "updated", event
    moved = stored(ben, mark)
    assert moved.start != mark.start and moved.updated_by == "ben"
    assert stored(ben, untouched).updated_by == "ana"  # not moved: not changed


def test_exports_carry_it_and_an_import_restores_it(two, tmp_path: Path, db_url: str, backend: str) -> None:
    ana, ben, article = two
    mark = ana.annotate(article, Kind.CLAIM, 0, 40)
    ben.edit(mark, note="ben's note")
    native_file, csv_file, w3c_file = tmp_path / "n.json", tmp_path / "c.csv", tmp_path / "w.json"
    for fmt, target in (("json", native_file), ("csv", csv_file), ("w3c", w3c_file)):
        code, output = cli(db_url, "export", "-f", fmt, "-o", str(target))
        assert code == 0, output

    document = json.loads(native_file.read_text(encoding="utf-8"))
    records = [a for item in document["articles"] for a in item["annotations"]]
    assert [(r["author"], r["updated_by"]) for r in records] == [("ana", "ben")]

    rows = list(csv.DictReader(io.StringIO(csv_file.read_text(encoding="utf-8-sig"))))
    assert [(r["author"], r["updated_by"]) for r in rows] == [("ana", "ben")]

    w3c = json.loads(w3c_file.read_text(encoding="utf-8"))
    items = w3c.get("first", {}).get("items") or w3c.get("items") or []
    assert [i["creator"]["name"] for i in items if i.get("motivation") != "linking"] == ["ana"]

    other = str(tmp_path / "other.db")
    code, output = cli(other, "--as", "cat", "import-annotations", str(native_file))
    assert code == 0, output
    restored = Library.open(other)
    try:
        (back,) = restored.annotations(restored.summaries()[0].id)
        assert (back.author, back.updated_by, back.note) == ("ana", "ben", "ben's note")
    finally:
        restored.close()


def test_a_file_from_before_updated_by_reads_as_changed_by_its_maker(two, tmp_path: Path, db_url: str) -> None:
    ana, _, article = two
    ana.annotate(article, Kind.CLAIM, 0, 40)
    target = tmp_path / "n.json"
    code, output = cli(db_url, "export", "-f", "json", "-o", str(target))
    assert code == 0, output
    document = json.loads(target.read_text(encoding="utf-8"))
    for item in document["articles"]:
        for record in item["annotations"]:
            del record["updated_by"]
    target.write_text(json.dumps(document), encoding="utf-8")
    other = str(tmp_path / "other.db")
    code, output = cli(other, "import-annotations", str(target))
    assert code == 0, output
    restored = Library.open(other)
    try:
        (back,) = restored.annotations(restored.summaries()[0].id)
        assert (back.author, back.updated_by) == ("ana", "ana")
    finally:
        restored.close()


def test_migration_0012_fills_it_from_the_author_and_keeps_search(db_url: str, backend: str) -> None:
    setup = Library.open(db_url, annotator="ana")
    import_paths(setup, [SAMPLES])
    article = setup.summaries()[0].id
    setup.annotate(article, Kind.CLAIM, 0, 40, note="zebrafish")
    setup.close()
    database = Database.open(db_url)
    migrate.downgrade(database.engine, "0011")
    database.close()
    library = Library.open(db_url, annotator="ben")  # upgraded on open
    try:
        assert migrate.current_revision(library.database.engine) == migrate.head_revision()
        (mark,) = library.annotations(article)
        assert (mark.author, mark.updated_by) == ("ana", "ana")
        library.edit(mark, note="okapi")  # the full-text triggers still follow the table
        assert [h.annotation_uuid for h in search(library, "okapi")] == [mark.uuid]
        assert not [h for h in search(library, "zebrafish") if h.kind == "annotation"]
    finally:
        library.close()
    if backend == "sqlite":
        with sqlite3.connect(db_url) as connection:
            triggers = {r[0] for r in connection.execute("select name from sqlite_master where type = 'trigger'")}
        assert {"annotations_fts_ai", "annotations_fts_ad", "annotations_fts_au"} <= triggers


def test_the_app_names_the_maker_and_a_different_last_changer() -> None:
    from nkreader.tui.annotation_list import annotation_prompt
    from nkreader.tui.annotator_labels import who_label

    mark = Annotation(id=1, uuid="u", article_id=1, kind=Kind.CLAIM, start=0, end=3, exact="abc")
    assert who_label(mark) == ""
    mark.author = mark.updated_by = "ana"
    assert who_label(mark) == "ana"
    mark.updated_by = "ben"
    assert who_label(mark) == "ana · changed by ben"
    assert "ana · changed by ben" in annotation_prompt(mark).plain
    mark.author = None
    assert who_label(mark) == "changed by ben"

"""Versioned, field-level writes: two windows (two `Library` instances on one file) editing one
annotation keep both changes, and what cannot be merged is said, never silently dropped."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from nkreader.domain import AnchorState, ArticleDraft, Kind, Status
from nkreader.services.edits import merge_note, merge_tags
from nkreader.services.library import EditConflict, Library, content_hash
from nkreader.services.register import set_status
from nkreader.store.articles import add_article
from nkreader.store.errors import NotFound

BODY = "Rice prices rose in Hyesan. Traders blamed the border closure. Officials said nothing."


@pytest.fixture
def windows(db_path: Path):
    """Window A and window B: two libraries open on one file, as two app processes are."""
    a = Library.open(str(db_path))
    with a.database.writing() as session:
        article = add_article(session, ArticleDraft(title="Rice", body=BODY), content_hash(BODY))
    b = Library.open(str(db_path))
    mark = a.annotate(article.id, Kind.CLAIM, 0, 27, note="first note", tags=["rice"])  # type: ignore[arg-type]
    yield a, b, mark
    a.close()
    b.close()


def stored_row(db_path: Path, uuid: str) -> tuple:
    with sqlite3.connect(db_path) as connection:
        return connection.execute(
            "SELECT note, tags, speaker, status, version FROM annotations WHERE uuid = ?", (uuid,)
        ).fetchone()


def test_a_new_annotation_has_version_1_and_each_write_moves_it_on(windows, db_path: Path) -> None:
    a, _, mark = windows
    assert mark.version == 1
    outcome = a.update_fields(mark.uuid, 1, {"note": "second"}, seen=mark)
    assert outcome.clean and outcome.message == "" and outcome.annotation.version == 2
    assert stored_row(db_path, mark.uuid)[4] == 2
    # a write that changes nothing stores nothing: the version stays
    same = a.update_fields(mark.uuid, 2, {"note": "second"}, seen=outcome.annotation)
    assert same.annotation.version == 2 and same.clean


def test_note_in_one_window_and_tags_in_the_other_keep_both(windows, db_path: Path) -> None:
    a, b, mark = windows
    seen_by_b = b.annotations(mark.article_id)[0]  # B opens the note dialog on this
    tagged = a.update_fields(mark.uuid, mark.version, {"tags": ["rice", "xinjiang"]}, seen=mark)
    assert tagged.clean
    outcome = b.update_fields(seen_by_b.uuid, seen_by_b.version, {"note": "B's note"}, seen=seen_by_b)
    assert not outcome.clean and not outcome.conflicts
    assert outcome.merged_from_others == ("tags",) and outcome.saved == ("note",)
    assert outcome.message == "tags changed in another window; your note was saved"
    assert outcome.annotation.tags == ["rice", "xinjiang"] and outcome.annotation.note == "B's note"
    note, tags, *_rest, version = stored_row(db_path, mark.uuid)
    assert note == "B's note" and "xinjiang" in tags and version == 3


def test_edit_merges_the_same_way(windows) -> None:
    """`Library.edit(annotation, ...)`, which the app used to write whole records with, now
    writes only the fields given over the annotation's version."""
    a, b, mark = windows
    b.edit(b.annotations(mark.article_id)[0], speaker="A trader")
    stored = a.edit(mark, note="A's note")  # A still holds the version without the speaker
    assert stored.speaker == "A trader" and stored.note == "A's note"


def test_tags_changed_in_both_windows_are_merged_as_sets(windows) -> None:
    a, b, mark = windows
    seen_by_b = b.annotations(mark.article_id)[0]
    a.update_fields(mark.uuid, mark.version, {"tags": ["rice", "prices"]}, seen=mark)
    # B removes "rice" and adds "border" on the version it saw
    outcome = b.update_fields(mark.uuid, seen_by_b.version, {"tags": ["border"]}, seen=seen_by_b)
    assert outcome.annotation.tags == ["prices", "border"]
    assert [c.field for c in outcome.conflicts] == ["tags"] and outcome.conflicts[0].kept_both
    assert "both kept" in outcome.message and not outcome.lost


def test_notes_changed_in_both_windows_keep_both_texts(windows) -> None:
    a, b, mark = windows
    seen_by_b = b.annotations(mark.article_id)[0]
    a.update_fields(mark.uuid, mark.version, {"note": "A wrote this."}, seen=mark)
    outcome = b.update_fields(mark.uuid, seen_by_b.version, {"note": "B wrote that."}, seen=seen_by_b)
    assert "A wrote this." in outcome.annotation.note and "B wrote that." in outcome.annotation.note
    assert not outcome.lost and "note also changed in another window" in outcome.message


def test_a_clashing_speaker_keeps_the_first_and_says_yours_was_not_saved(windows, db_path: Path) -> None:
    a, b, mark = windows
    seen_by_b = b.annotations(mark.article_id)[0]
    a.update_fields(mark.uuid, mark.version, {"speaker": "Kim Jong Un"}, seen=mark)
    outcome = b.update_fields(
        mark.uuid, seen_by_b.version, {"speaker": "Kim Yo Jong", "note": "kept"}, seen=seen_by_b
    )
    assert outcome.annotation.speaker == "Kim Jong Un" and outcome.annotation.note == "kept"
    (lost,) = outcome.lost
    assert (lost.field, lost.yours, lost.stored) == ("speaker", "Kim Yo Jong", "Kim Jong Un")
    assert "not saved" in outcome.message and "Kim Yo Jong" in outcome.message
    assert "your note was saved" in outcome.message
    # through `edit` the same clash is an error the app shows (a StoreError), the rest stored
    again = b.annotations(mark.article_id)[0]
    a.edit(a.annotations(mark.article_id)[0], speaker="Choe Son Hui")
    with pytest.raises(EditConflict) as raised:
        b.edit(again, speaker="Ri Son Gwon")
    assert "Ri Son Gwon" in raised.value.message
    assert stored_row(db_path, mark.uuid)[2] == "Choe Son Hui"


def test_an_edit_of_an_annotation_deleted_elsewhere_says_so(windows) -> None:
    a, b, mark = windows
    a.delete(mark.uuid)
    with pytest.raises(NotFound, match="deleted"):
        b.update_fields(mark.uuid, mark.version, {"note": "too late"}, seen=mark)


def test_status_from_an_old_view_does_not_overwrite_a_newer_one(windows) -> None:
    a, b, mark = windows
    seen_by_b = b.annotations(mark.article_id)[0]
    set_status(a, mark.uuid, Status.CORROBORATED, seen=mark)
    with pytest.raises(EditConflict):
        set_status(b, mark.uuid, Status.REFUTED, seen=seen_by_b)
    assert a.annotations(mark.article_id)[0].status is Status.CORROBORATED
    # without a view (the command line reads and writes at once) it is simply set
    assert set_status(b, mark.uuid, Status.DISPUTED).status is Status.DISPUTED


def test_reattach_and_a_text_update_move_the_version_on(windows) -> None:
    a, b, mark = windows
    moved = a.reattach(mark.uuid, 28, 62)
    assert moved.version == mark.version + 1 and moved.anchor_state is AnchorState.ANCHORED
    # B, still showing the old version, edits the note: the position A chose stays
    outcome = b.update_fields(mark.uuid, mark.version, {"note": "B"}, seen=mark)
    assert (outcome.annotation.start, outcome.annotation.end) == (28, 62)
    assert outcome.merged_from_others == ("position",)


def test_fields_an_edit_may_not_change_are_refused(windows) -> None:
    a, _, mark = windows
    with pytest.raises(ValueError, match="version"):
        a.update_fields(mark.uuid, mark.version, {"version": 9})


def test_the_tag_and_note_merge_rules() -> None:
    assert merge_tags(["a", "b"], ["a", "b", "c"], ["b", "d"]) == ["b", "c", "d"]
    assert merge_tags(None, ["a"], ["b"]) == ["a", "b"]
    assert merge_note("Base.", "Base. Theirs.", "Base. Mine.") == "Base. Theirs. Mine."
    assert merge_note("", "Theirs", "Theirs") == "Theirs"
    assert merge_note("x", "Theirs", "Mine") == "Theirs\n\nMine"

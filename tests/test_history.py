"""Undo and redo store each step: what the store holds follows every undo and redo."""

from __future__ import annotations

import pytest

from nkreader.domain import ArticleDraft, Kind, LinkType
from nkreader.services.history import History
from nkreader.services.library import Library, content_hash
from nkreader.services.links import link, links_of
from nkreader.store.articles import add_article
from nkreader.store.errors import NotFound


def make_article(library: Library) -> int:
    body = "One sentence here. Another one there."
    with library.database.writing() as session:
        return add_article(session, ArticleDraft(title="T", body=body), content_hash(body)).id  # type: ignore[return-value]


def states(library: Library, article_id: int) -> list[tuple[str, str | None, str]]:
    return [(a.uuid, a.speaker, a.note) for a in library.annotations(article_id)]


def test_undo_redo_create_edit_delete(library: Library) -> None:
    article_id = make_article(library)
    history = History(library)
    created = library.annotate(article_id, Kind.QUOTE, 0, 18)
    history.created(created, "mark")
    edited = library.edit(created, speaker="A source")
    history.edited(created, edited, "speaker")
    gone = library.delete(edited.uuid)
    history.deleted(gone, "delete")
    assert states(library, article_id) == []

    history.undo()  # the deletion
    assert states(library, article_id) == [(created.uuid, "A source", "")]
    restored = library.annotations(article_id)[0]
    assert restored.created_at == created.created_at and restored.updated_at == edited.updated_at
    history.undo()  # the edit
    assert states(library, article_id) == [(created.uuid, None, "")]
    history.undo()  # the creation
    assert states(library, article_id) == []
    assert history.undo() is None

    history.redo()
    history.redo()
    assert states(library, article_id) == [(created.uuid, "A source", "")]
    history.redo()
    assert states(library, article_id) == []
    assert history.redo() is None


def test_new_change_clears_redo(library: Library) -> None:
    article_id = make_article(library)
    history = History(library)
    first = library.annotate(article_id, Kind.CLAIM, 0, 18)
    history.created(first, "mark")
    history.undo()
    second = library.annotate(article_id, Kind.CLAIM, 19, 37)
    history.created(second, "mark")
    assert not history.can_redo
    assert [a.uuid for a in library.annotations(article_id)] == [second.uuid]


# --------------------------------------------------------------------------- links and other windows


def linked_pair(library: Library):
    article_id = make_article(library)
    first = library.annotate(article_id, Kind.CLAIM, 0, 18)
    second = library.annotate(article_id, Kind.QUOTE, 19, 37)
    third = library.annotate(article_id, Kind.POLICY, 27, 37)
    out = link(library, first.uuid, second.uuid, LinkType.CORROBORATES)
    into = link(library, third.uuid, first.uuid, LinkType.CITES)
    return article_id, first, second, third, out, into


def link_set(library: Library, uuid: str) -> set[tuple[str, str, str, str]]:
    return {
        (v.link.uuid, v.link.source_uuid, v.link.target_uuid, v.link.type.value)
        for v in links_of(library, uuid)
    }


def test_undoing_a_delete_brings_back_its_links(library: Library) -> None:
    _, first, second, third, out, into = linked_pair(library)
    before = link_set(library, first.uuid)
    assert {out.uuid, into.uuid} == {u for u, *_ in before}
    history = History(library)
    change = history.delete(first.uuid)
    assert {link.uuid for link in change.links} == {out.uuid, into.uuid}
    assert link_set(library, second.uuid) == set() and link_set(library, third.uuid) == set()

    history.undo()
    assert link_set(library, first.uuid) == before  # same uuids, ends, types and directions
    assert history.message == ""
    history.redo()
    assert link_set(library, second.uuid) == set()
    history.undo()
    assert link_set(library, first.uuid) == before


def test_undoing_a_delete_says_which_links_could_not_come_back(library: Library) -> None:
    _, first, second, _, _out, into = linked_pair(library)
    history = History(library)
    history.delete(first.uuid)
    library.delete(second.uuid)  # the other end of one link is gone meanwhile
    history.undo()
    assert {u for u, *_ in link_set(library, first.uuid)} == {into.uuid}
    assert history.message == "1 link not restored: its other annotation is gone"


def test_removing_a_link_is_undoable(library: Library) -> None:
    _, first, second, _, out, _ = linked_pair(library)
    history = History(library)
    history.unlink(out.uuid)
    assert out.uuid not in {u for u, *_ in link_set(library, first.uuid)}
    step = history.undo()
    assert step is not None and step.label == "unlink" and step.annotation_uuid == first.uuid
    assert (out.uuid, first.uuid, second.uuid, "corroborates") in link_set(library, first.uuid)
    history.redo()
    assert out.uuid not in {u for u, *_ in link_set(library, first.uuid)}


def test_making_a_link_is_undoable(library: Library) -> None:
    _, first, _, third, _, _ = linked_pair(library)
    history = History(library)
    made = history.link(first.uuid, third.uuid, LinkType.CONTRADICTS)
    history.undo()
    assert made.uuid not in {u for u, *_ in link_set(library, first.uuid)}
    history.redo()
    assert made.uuid in {u for u, *_ in link_set(library, first.uuid)}


def test_undo_of_an_edit_keeps_what_another_window_changed(library: Library, db_path) -> None:
    article_id = make_article(library)
    history = History(library)
    created = library.annotate(article_id, Kind.QUOTE, 0, 18)
    noted = library.edit(created, note="mine")
    history.edited(created, noted, "edit note")
    other = Library.open(str(db_path))
    try:
        other.edit(other.annotations(article_id)[0], tags=["theirs"], speaker="Them")
        history.undo()  # writes back the note only
        (now,) = library.annotations(article_id)
        assert (now.note, now.tags, now.speaker) == ("", ["theirs"], "Them")
        assert history.message == "tags and speaker changed in another window; your note was saved"
        history.redo()
        (now,) = library.annotations(article_id)
        assert (now.note, now.tags, now.speaker) == ("mine", ["theirs"], "Them")
    finally:
        other.close()


def test_a_step_whose_annotation_was_deleted_elsewhere_is_dropped_with_a_message(library: Library) -> None:
    article_id = make_article(library)
    history = History(library)
    created = library.annotate(article_id, Kind.QUOTE, 0, 18)
    history.created(created, "mark")
    noted = library.edit(created, note="mine")
    history.edited(created, noted, "edit note")
    library.delete(created.uuid)  # as another window would
    with pytest.raises(NotFound, match="cannot undo edit note"):
        history.undo()
    assert history.can_undo  # the creation behind it is still there to undo

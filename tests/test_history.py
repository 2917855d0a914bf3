"""Undo and redo store each step: what the store holds follows every undo and redo."""

from __future__ import annotations

from nkreader.domain import ArticleDraft, Kind
from nkreader.services.history import History
from nkreader.services.library import Library, content_hash
from nkreader.store.articles import add_article


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

"""An article's annotations are read as plain tuples (`store.mappers.annotation_select`), not ORM
objects — and they are the very `Annotation`s the ORM gives, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update

from nkreader.domain import ArticleDraft, Kind
from nkreader.services.library import Library, content_hash
from nkreader.store.annotations import annotations_by_article, annotations_for
from nkreader.store.articles import add_article
from nkreader.store.mappers import annotation_from_row
from nkreader.store.models import AnnotationRow

BODY = "First paragraph says one thing. It says another.\n\nSecond paragraph: 김정은 위원장이 말했다."


def test_annotations_read_as_tuples_equal_the_orm_ones(any_library: Library) -> None:
    library = any_library
    with library.database.writing() as session:
        article_id = add_article(session, ArticleDraft(title="t", body=BODY), content_hash(BODY)).id
    assert article_id is not None
    korean = BODY.index("김")
    library.annotate(article_id, Kind.QUOTE, korean, korean + 3, speaker="김정은", tags=["경제", 'say "no"\\'])
    library.annotate(article_id, Kind.CLAIM, 0, 31, note="line\nbreak")
    library.annotate(article_id, Kind.POLICY, 32, 48)
    with library.database.writing() as session:  # a time without microseconds, a speaker-less mark
        session.execute(
            update(AnnotationRow)
            .where(AnnotationRow.start == 32)
            .values(created_at=datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC))
        )
    with library.database.reading() as session:
        read = annotations_for(session, article_id)
        orm = [
            annotation_from_row(row)
            for row in session.scalars(
                select(AnnotationRow)
                .where(AnnotationRow.article_id == article_id)
                .order_by(AnnotationRow.start, AnnotationRow.end, AnnotationRow.id)
            )
        ]
        grouped = annotations_by_article(session, [article_id])
        claims = annotations_for(session, article_id, kinds=[Kind.CLAIM])
    assert read == orm and len(read) == 3
    assert [a.kind for a in read] == [Kind.CLAIM, Kind.POLICY, Kind.QUOTE]
    assert read[2].tags == ["경제", 'say "no"\\'] and read[2].speaker == "김정은"
    assert read[1].created_at == datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert all(a.created_at.tzinfo is not None and a.updated_at.tzinfo is not None for a in read)
    assert grouped == {article_id: read} and claims == read[:1]
    read[2].tags.append("mine")  # each annotation has its own list
    with library.database.reading() as session:
        assert annotations_for(session, article_id)[2].tags == ["경제", 'say "no"\\']

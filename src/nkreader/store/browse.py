"""Lists to browse: the library list (article summaries with counts) and the annotation browser
(every annotation, filtered, sorted and paged in SQL). Callers own the session."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date

from sqlalchemy import DateTime, bindparam, func, select, text, type_coerce
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from nkreader.domain import ArticleSummary, BrowseRow, Kind, Status
from nkreader.store.articles import article_or_missing
from nkreader.store.bulk import collector_paused
from nkreader.store.fulltext import FtsQueryError, TextMatch, _is_query_error, _match_sql
from nkreader.store.mappers import stored_date, stored_time
from nkreader.store.models import AnnotationRow, ArticleRow

# --------------------------------------------------------------------------- the library list


def _newest_first() -> tuple:
    return (
        func.coalesce(ArticleRow.published, func.date(ArticleRow.imported_at)).desc(),
        ArticleRow.id.desc(),
    )


def list_summaries(session: Session) -> list[ArticleSummary]:
    """Every article without its body, newest first, with counts per kind, in two queries.

    With 10,000 articles this is what the app waits for before it paints its first screen, so:
    Core selects of plain columns (no ORM loading); the counts come one row per article (a
    `count(*) FILTER` per kind) from the covering index `ix_annotations_article_kind`, and the
    article columns from the covering index `ix_articles_listing` (no body pages read).
    """
    with collector_paused():
        return _list_summaries(session)


def _list_summaries(session: Session) -> list[ArticleSummary]:
    connection = session.connection()
    kinds = list(Kind)
    counts = {
        row[0]: dict(zip(kinds, row[1:], strict=True))
        for row in connection.execute(
            select(
                AnnotationRow.article_id, *(func.count().filter(AnnotationRow.kind == k.value) for k in kinds)
            ).group_by(AnnotationRow.article_id)
        ).all()
    }
    rows = connection.execute(
        select(
            ArticleRow.id,
            ArticleRow.uuid,
            ArticleRow.title,
            ArticleRow.source,
            ArticleRow.published,
            type_coerce(ArticleRow.imported_at, DateTime()),  # naive UTC; made aware below
            ArticleRow.language,
        ).order_by(*_newest_first())
    ).all()
    get = counts.get
    zero = dict.fromkeys(kinds, 0)
    return [
        ArticleSummary(
            id,
            uuid,
            title,
            source,
            published,
            imported_at.replace(tzinfo=UTC),
            get(id) or zero.copy(),
            language,
        )
        for id, uuid, title, source, published, imported_at, language in rows
    ]


def summary_of(session: Session, article_id: int) -> ArticleSummary:
    row = article_or_missing(session, article_id)
    counts = {k: 0 for k in Kind}
    for kind, count in session.execute(
        select(AnnotationRow.kind, func.count())
        .where(AnnotationRow.article_id == article_id)
        .group_by(AnnotationRow.kind)
    ):
        counts[Kind(kind)] = count
    return ArticleSummary(
        id=row.id,
        uuid=row.uuid,
        title=row.title,
        source=row.source,
        published=row.published,
        imported_at=row.imported_at,
        counts=counts,
        language=row.language,
    )


# --------------------------------------------------------------------------- the annotation browser

_SORTS = {
    "published": "coalesce(a.published, date(a.imported_at))",
    "kind": "n.kind",
    "speaker": "n.speaker",
    "article": "a.title COLLATE NOCASE",
    "source": "a.source COLLATE NOCASE",
    "status": "n.status",
    "created": "n.created_at",
}
BROWSE_SORTS = tuple(_SORTS)


def _instrument_conditions(
    conditions: list[str], params: dict[str, object], credibility: int | None, needs_review: bool
) -> None:
    """The instruments' filters (issue 17), in SQL both dialects read alike."""
    if credibility is not None:
        params["credibility"] = credibility
        conditions.append(
            "EXISTS (SELECT 1 FROM annotation_credibility c WHERE c.annotation_id = n.id "
            "AND c.credibility = :credibility)"
        )
    if needs_review:
        params["needs_review"] = True
        conditions.append(
            "EXISTS (SELECT 1 FROM annotation_wording w WHERE w.annotation_id = n.id "
            "AND w.needs_review = :needs_review)"
        )


def browse_annotations(
    session: Session,
    *,
    kinds: Sequence[Kind] | None = None,
    speakers: Sequence[str] | None = None,
    tag: str | None = None,
    status: Status | None = None,
    source: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    credibility: int | None = None,
    needs_review: bool = False,
    match: TextMatch | None = None,
    sort: str = "published",
    descending: bool = True,
    offset: int = 0,
    limit: int = 200,
) -> tuple[list[BrowseRow], int]:
    """One page of annotations with their article columns, and how many match in all.

    The page's ids are sorted and cut in SQL over narrow rows (id and the sort key); only the
    page's rows are then read whole.
    """
    if sort not in _SORTS:
        raise ValueError(f"unknown sort {sort!r} (one of {', '.join(_SORTS)})")
    params: dict[str, object] = {}
    conditions: list[str] = []
    joins = ""
    if match is not None:
        joins, conditions, _rank = _match_sql("annotations", match, params)
    if kinds:
        names = [f"kind_{i}" for i in range(len(kinds))]
        params.update({n: k.value for n, k in zip(names, kinds, strict=True)})
        conditions.append(f"n.kind IN ({', '.join(':' + n for n in names)})")
    if speakers:
        names = [f"speaker_{i}" for i in range(len(speakers))]
        params.update(dict(zip(names, speakers, strict=True)))
        conditions.append(f"n.speaker IN ({', '.join(':' + n for n in names)})")
    if tag:
        # a cheap look at the JSON text first (stored with non-ASCII escaped, as json.dumps
        # writes it), then the exact test on its elements
        params["tag"] = tag
        params["tag_json"] = json.dumps(tag)
        conditions.append(
            "instr(n.tags, :tag_json) > 0 AND EXISTS (SELECT 1 FROM json_each(n.tags) WHERE json_each.value = :tag)"
        )
    if status is not None:
        params["status"] = status.value
        conditions.append("n.status = :status")
    _instrument_conditions(conditions, params, credibility, needs_review)
    if source:
        # part of the name, any case: "kcna" finds "KCNA (translation)"
        params["source"] = "%" + source.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append("a.source LIKE :source ESCAPE '\\'")
    day = "coalesce(a.published, date(a.imported_at))"
    if date_from is not None:
        params["date_from"] = date_from.isoformat()
        conditions.append(f"{day} >= :date_from")
    if date_to is not None:
        params["date_to"] = date_to.isoformat()
        conditions.append(f"{day} <= :date_to")
    where = " AND ".join(conditions) or "1"
    direction = "DESC" if descending else "ASC"
    key = _SORTS[sort]
    article_filter = any(c.startswith(("a.", day)) for c in conditions)
    article_sort = sort in ("published", "article", "source")
    with_article = f"FROM annotations n{joins} JOIN articles a ON a.id = n.article_id WHERE {where}"
    alone = with_article if article_filter else f"FROM annotations n{joins} WHERE {where}"
    page = "LIMIT :limit OFFSET :offset"
    try:
        total = session.execute(text(f"SELECT count(*) {alone}"), params).scalar() or 0
        params.update(limit=limit, offset=offset)
        if not article_sort:
            page_sql = f"SELECT n.id {alone} ORDER BY {key} {direction}, n.id {direction} {page}"
        elif match is None and not (speakers or tag or status or credibility or needs_review):
            # nothing selective on the annotations: walk the articles (few, through their
            # covering index) and fetch each one's annotations by index; the other way round
            # reads every annotation, then its article by id, and sorts wide rows
            page_sql = (
                f"SELECT n.id FROM articles a CROSS JOIN annotations n ON a.id = n.article_id WHERE {where} "
                f"ORDER BY {key} {direction}, a.id {direction}, n.id {direction} {page}"
            )
        else:
            # the articles' order is computed once over the (few) articles; the annotations
            # are then sorted by an integer, not by the article's text
            ranked = (
                f"WITH r AS MATERIALIZED (SELECT a.id, row_number() OVER (ORDER BY {key}, a.id) AS k "
                "FROM articles a) "
            )
            source = alone.replace(
                "FROM annotations n", "FROM annotations n JOIN r ON r.id = n.article_id", 1
            )
            page_sql = f"{ranked}SELECT n.id {source} ORDER BY r.k {direction}, n.id {direction} {page}"
        ids = [row[0] for row in session.execute(text(page_sql), params)]
    except OperationalError as exc:
        if _is_query_error(exc):
            raise FtsQueryError(str(exc.orig).splitlines()[0]) from None
        raise
    return _browse_rows(session, ids), total


def _browse_rows(session: Session, ids: list[int]) -> list[BrowseRow]:
    if not ids:
        return []
    sql = text(
        "SELECT n.id, n.uuid, n.article_id, n.kind, substr(n.exact, 1, 200), n.speaker, a.title, "
        "a.source, a.published, n.created_at, n.status, n.tags, "
        "(SELECT count(*) FROM links l WHERE l.source_id = n.id) "
        "+ (SELECT count(*) FROM links l WHERE l.target_id = n.id) "
        "FROM annotations n JOIN articles a ON a.id = n.article_id WHERE n.id IN :ids"
    ).bindparams(bindparam("ids", expanding=True))
    found = {}
    for row in session.execute(sql, {"ids": ids}):
        (id_, uuid, article_id, kind, excerpt, speaker, title, source, published, created, status) = row[:11]
        tags, links = row[11], row[12]
        found[id_] = BrowseRow(
            uuid=uuid,
            article_id=article_id,
            kind=Kind(kind),
            excerpt=" ".join((excerpt or "").split()),
            speaker=speaker,
            article_title=title,
            source=source,
            published=stored_date(published),
            created_at=stored_time(created),
            status=Status(status),
            tags=list(json.loads(tags) if isinstance(tags, str) else tags or []),
            link_count=links,
        )
    return [found[i] for i in ids if i in found]

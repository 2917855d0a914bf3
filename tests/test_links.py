"""Links between annotations across articles (issue 6): made, seen both ways, exported, kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SAMPLES
from nkreader.domain import Kind, LinkType, Status
from nkreader.services.exporting import render
from nkreader.services.importing import import_paths
from nkreader.services.library import Library
from nkreader.services.links import LinkError, link, links_of, restore_link, unlink
from nkreader.services.register import set_status
from nkreader.store.errors import NotFound


@pytest.fixture
def two(library: Library):
    import_paths(library, [SAMPLES])
    first, second = library.summaries()[:2]
    a = library.annotate(first.id, Kind.CLAIM, 0, 30)
    b = library.annotate(second.id, Kind.CLAIM, 10, 40)
    return library, a, b, first, second


def test_link_shows_on_both_ends(two) -> None:
    library, a, b, first, second = two
    made = link(library, a.uuid, b.uuid, LinkType.CORROBORATES)
    assert (made.source_uuid, made.target_uuid, made.type) == (a.uuid, b.uuid, LinkType.CORROBORATES)
    [out] = links_of(library, a.uuid)
    assert (out.direction, out.other.uuid, out.other_article_title) == ("out", b.uuid, second.title)
    [back] = links_of(library, b.uuid)
    assert (back.direction, back.other.uuid, back.other_article_title) == ("in", a.uuid, first.title)
    assert out.link == back.link == made


def test_self_links_and_duplicates_are_refused(two) -> None:
    library, a, b, *_ = two
    with pytest.raises(LinkError):
        link(library, a.uuid, a.uuid, LinkType.SAME_AS)
    link(library, a.uuid, b.uuid, LinkType.CONTRADICTS)
    with pytest.raises(LinkError):
        link(library, a.uuid, b.uuid, LinkType.CONTRADICTS)
    with pytest.raises(LinkError):
        link(library, b.uuid, a.uuid, LinkType.CONTRADICTS)
    with pytest.raises(LinkError):
        link(library, a.uuid, "no-such-annotation", LinkType.CITES)
    link(library, b.uuid, a.uuid, LinkType.CITES)  # another type is another link
    assert len(links_of(library, a.uuid)) == 2
    assert isinstance(LinkError("x"), ValueError)


def test_unlink_and_restore(two) -> None:
    library, a, b, *_ = two
    made = link(library, a.uuid, b.uuid, LinkType.SAME_AS)
    gone = unlink(library, made.uuid)
    assert gone == made
    assert links_of(library, a.uuid) == [] and links_of(library, b.uuid) == []
    with pytest.raises(LinkError):
        unlink(library, made.uuid)
    assert restore_link(library, gone) == made
    assert [v.link for v in links_of(library, b.uuid)] == [made]


def test_deleting_an_annotation_deletes_its_links(two) -> None:
    library, a, b, *_ = two
    link(library, a.uuid, b.uuid, LinkType.CITES)
    library.delete(b.uuid)
    assert links_of(library, a.uuid) == []


def test_link_survives_reopening_and_is_in_both_exports(two, db_path: Path) -> None:
    library, a, b, *_ = two
    made = link(library, a.uuid, b.uuid, LinkType.CORROBORATES)
    library.close()
    reopened = Library.open(str(db_path))
    try:
        assert [v.link for v in links_of(reopened, a.uuid)] == [made]
        native = json.loads(render(reopened, "json").text)
        [exported] = native["links"]
        assert exported["uuid"] == made.uuid
        assert (exported["source"], exported["target"], exported["type"]) == (a.uuid, b.uuid, "corroborates")
        w3c = json.loads(render(reopened, "w3c").text)
        linking = [item for item in w3c["first"]["items"] if item["motivation"] == "linking"]
        assert len(linking) == 1
        assert linking[0]["id"] == f"urn:uuid:{made.uuid}"
        assert linking[0]["target"] == f"urn:uuid:{a.uuid}"
        assert linking[0]["body"][0] == f"urn:uuid:{b.uuid}"
        assert {"type": "TextualBody", "purpose": "tagging", "value": "corroborates"} in linking[0]["body"]
    finally:
        reopened.close()


def test_set_status(two) -> None:
    library, a, *_ = two
    changed = set_status(library, a.uuid, Status.CORROBORATED)
    assert changed.status is Status.CORROBORATED and changed.updated_at >= a.updated_at
    assert library.annotations(a.article_id)[0].status is Status.CORROBORATED
    assert set_status(library, a.uuid, Status.CORROBORATED) == changed
    with pytest.raises(NotFound):
        set_status(library, "missing", Status.REFUTED)

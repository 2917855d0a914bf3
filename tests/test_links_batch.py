"""An open article's links are read in one go, with the same answer as one read per annotation."""

from __future__ import annotations

from conftest import SAMPLES
from nkreader.domain import Kind, LinkType
from nkreader.services.importing import import_paths
from nkreader.services.library import Library
from nkreader.services.links import link, links_of, links_of_many


def test_links_of_many_equals_links_of_each(library: Library) -> None:
    import_paths(library, [SAMPLES])
    first, second = [s.id for s in library.summaries()[:2]]
    marks = [library.annotate(first, Kind.CLAIM, n * 20, n * 20 + 10) for n in range(6)]
    elsewhere = library.annotate(second, Kind.QUOTE, 0, 12)
    link(library, marks[0].uuid, marks[1].uuid, LinkType.CORROBORATES)
    link(library, marks[2].uuid, marks[0].uuid, LinkType.CONTRADICTS)
    link(library, marks[3].uuid, elsewhere.uuid, LinkType.CITES)
    link(library, elsewhere.uuid, marks[4].uuid, LinkType.CORROBORATES)
    uuids = [m.uuid for m in marks]
    expected = {u: views for u in uuids if (views := links_of(library, u))}
    got = links_of_many(library, uuids)
    assert got == expected
    assert set(got) == {marks[i].uuid for i in (0, 1, 2, 3, 4)}
    assert [v.direction for v in got[marks[0].uuid]] == ["out", "in"]
    assert links_of_many(library, []) == {}

"""Speakers (issue 6): canonical names, aliases, merging, completion and filters."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from nkreader.cli import main
from nkreader.domain import BrowseFilter, Kind
from nkreader.services.browse import browse
from nkreader.services.importing import import_paths
from nkreader.services.library import Library
from nkreader.services.speakers import SpeakerError, add_alias, canonical, merge, speakers


@pytest.fixture
def spoken(any_library: Library) -> Library:
    library = any_library
    import_paths(library, [SAMPLES])
    article = library.summaries()[0].id
    for i, (kind, speaker) in enumerate(
        [
            (Kind.QUOTE, "Kim Jong Un"),
            (Kind.POLICY, "Kim Jong Un"),
            (Kind.POLICY, "Kim Jong-un"),
            (Kind.QUOTE, "김정은"),
            (Kind.CLAIM, "a source in Hyesan"),
            (Kind.QUOTE, "a source in Hyesan"),
            (Kind.QUOTE, None),
        ]
    ):
        library.annotate(article, kind, i * 10, i * 10 + 8, speaker=speaker)
    return library


def by_name(library: Library) -> dict[str, tuple]:
    return {s.name: (s.aliases, s.quotes, s.policies, s.claims, s.total) for s in speakers(library)}


def test_every_spelling_is_its_own_speaker_until_told(spoken: Library) -> None:
    stats = speakers(spoken)
    assert [s.name for s in stats] == ["a source in Hyesan", "Kim Jong Un", "Kim Jong-un", "김정은"]
    assert by_name(spoken) == {
        "Kim Jong Un": ([], 1, 1, 0, 2),
        "Kim Jong-un": ([], 0, 1, 0, 1),
        "김정은": ([], 1, 0, 0, 1),
        "a source in Hyesan": ([], 1, 0, 1, 2),
    }


def test_aliases_group_spellings(spoken: Library) -> None:
    assert add_alias(spoken, "Kim Jong Un", "Kim Jong-un") == "Kim Jong Un"
    assert add_alias(spoken, "Kim Jong-un", "김정은") == "Kim Jong Un"  # any spelling names the speaker
    stats = speakers(spoken)
    assert stats[0].name == "Kim Jong Un"
    assert by_name(spoken)["Kim Jong Un"] == (["Kim Jong-un", "김정은"], 2, 2, 0, 4)
    assert canonical(spoken, "김정은") == canonical(spoken, "Kim Jong-un") == "Kim Jong Un"
    assert canonical(spoken, "nobody") == "nobody"
    # completion offers canonical names and aliases, most used first
    assert spoken.known_speakers()[:3] == ["Kim Jong Un", "Kim Jong-un", "김정은"]
    assert "a source in Hyesan" in spoken.known_speakers()
    # the browser's speaker filter matches every spelling
    for spelling in ("김정은", "Kim Jong Un", "Kim Jong-un"):
        rows, total = browse(spoken, BrowseFilter(speaker=spelling))
        assert total == 4 and {r.speaker for r in rows} == {"Kim Jong Un", "Kim Jong-un", "김정은"}


def test_bad_aliases_are_refused(spoken: Library) -> None:
    add_alias(spoken, "Kim Jong Un", "Kim Jong-un")
    add_alias(spoken, "a source in Hyesan", "Hyesan source")
    with pytest.raises(SpeakerError):
        add_alias(spoken, "Kim Jong Un", "Kim Jong Un")
    with pytest.raises(SpeakerError):
        add_alias(spoken, "a source in Hyesan", "Kim Jong-un")  # another speaker's alias
    with pytest.raises(SpeakerError):
        add_alias(spoken, "Kim Jong Un", "a source in Hyesan")  # has aliases: merge instead
    with pytest.raises(SpeakerError):
        add_alias(spoken, "Kim Jong Un", "   ")
    assert add_alias(spoken, "Kim Jong Un", "Kim Jong-un") == "Kim Jong Un"  # already so: no change


def test_merge_rewrites_annotations_in_one_go(spoken: Library) -> None:
    add_alias(spoken, "김정은", "Kim Jong-un")
    changed = merge(spoken, "Kim Jong Un", "김정은")
    assert changed == 2  # 김정은 and its alias Kim Jong-un
    assert by_name(spoken)["Kim Jong Un"] == (["Kim Jong-un", "김정은"], 2, 2, 0, 4)
    assert "김정은" not in by_name(spoken)
    spelled = {a.speaker for a in spoken.annotations(spoken.summaries()[0].id)}
    assert spelled == {"Kim Jong Un", "a source in Hyesan", None}
    # the old spellings still find the speaker
    assert canonical(spoken, "김정은") == "Kim Jong Un"
    with pytest.raises(SpeakerError):
        merge(spoken, "Kim Jong Un", "Kim Jong Un")


def test_cli(spoken: Library, db_url: str) -> None:
    def run(*args: str):
        return CliRunner().invoke(main, ["speakers", "--db", db_url, *args], catch_exceptions=False)

    result = run("--alias", "Kim Jong Un", "Kim Jong-un")
    assert result.exit_code == 0 and "alias of Kim Jong Un" in result.output
    result = run("--merge", "Kim Jong Un", "김정은")
    assert result.exit_code == 0 and "1 annotations changed" in result.output
    result = run()
    assert result.exit_code == 0
    first = result.output.splitlines()[1]
    assert first.startswith("Kim Jong Un") and "Kim Jong-un" in first and "김정은" in first
    bad = run("--alias", "Kim Jong Un", "Kim Jong Un")
    assert bad.exit_code == 2 and bad.stderr.count("\n") == 1

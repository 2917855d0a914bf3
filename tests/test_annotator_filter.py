"""Whose marks the app shows (issue 11): everyone, mine, one person, mine beside another's.

The rules (tui/annotator_filter.py) without a terminal; then the `@` picker in a real app on
both backends: the annotations pane and the reader's highlights follow it, the status line and
the pane title say what is shown, the choice outlives opening another article, and in compare
mode the other's marks are drawn in their own style.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLES
from nkreader.domain import Annotation, Kind
from nkreader.services.importing import import_paths
from nkreader.services.library import Library
from nkreader.tui.annotator_filter import AnnotatorFilter, Whose


def mark(author: str | None, start: int = 0) -> Annotation:
    return Annotation(
        id=None, uuid=f"{author}-{start}", article_id=1, kind=Kind.CLAIM, start=start, end=start + 5,
        exact="abcde", author=author,
    )  # fmt: skip


def test_the_filter_rules() -> None:
    ana, ben, cat, nobody = mark("ana"), mark("ben"), mark("cat"), mark(None)
    marks = [ana, ben, cat, nobody]
    base = AnnotatorFilter(me="ana")
    assert base.shown(marks) == marks and base.label() == "everyone"
    assert base.mine().shown(marks) == [ana] and base.mine().label() == "mine"
    assert base.only("ben").shown(marks) == [ben] and base.only("ben").label() == "ben only"
    assert base.only("ana") == base.mine()
    compare = base.compare("ben")
    assert compare.shown(marks) == [ana, ben] and compare.label() == "mine beside ben"
    assert [compare.is_other(m) for m in (ana, ben)] == [False, True]
    two_others = base.compare("cat", base="ben")
    assert two_others.shown(marks) == [ben, cat] and two_others.label() == "ben beside cat"
    assert two_others.hides_mine() and base.only("ben").hides_mine()
    assert not compare.hides_mine() and not base.mine().hides_mine()
    assert AnnotatorFilter(me=None).mine().shown(marks) == [nobody]


def prompts(app) -> list[str]:
    from nkreader.tui.annotation_list import AnnotationList

    listing = app.screen.query_one(AnnotationList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


@pytest.fixture
def team(db_url: str):
    """Two sample articles; on the first ana marks two claims, ben one claim and one quote."""
    ana = Library.open(db_url, annotator="ana")
    import_paths(ana, [SAMPLES / "hyesan-market-prices.txt", SAMPLES / "defector-testimony-musan.txt"])
    article = next(s.id for s in ana.summaries() if "Hyesan" in s.title)
    body = ana.article(article).body
    ben = Library.open(db_url, annotator="ben")
    ana.annotate(article, Kind.CLAIM, 0, 30)
    ana.annotate(article, Kind.CLAIM, 100, 140)
    ben.annotate(article, Kind.CLAIM, 0, 30)  # the same words as ana's first: not a duplicate of hers
    ben.annotate(article, Kind.QUOTE, 200, 260)
    ben.close()
    assert len(body) > 260
    yield ana, article
    ana.close()


async def test_whose_marks_picker_filters_list_and_highlights(team, tmp_path: Path) -> None:
    from nkreader.tui.app import create_app
    from nkreader.tui.reader import ReaderView
    from nkreader.tui.status_line import StatusLine

    ana, article = team
    app = create_app(ana, keymap_path=tmp_path / "config.toml", samples=SAMPLES)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = pilot.app.screen
        screen.open_article(article)
        screen.focus_pane("reader")
        await pilot.pause()
        reader = screen.query_one(ReaderView)
        status = screen.query_one(StatusLine)
        assert len(reader.highlights) == 4 and len(prompts(pilot.app)) == 4
        await pilot.pause(0.2)
        assert "marks: everyone" in str(status.render())

        await pilot.press("at")  # the picker: e everyone, m mine, 1 only ben, c compare
        await pilot.pause()
        dialog = pilot.app.screen
        from textual.widgets import OptionList

        options = dialog.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert labels[0].startswith("e  everyone (4 here · 4 in all)")
        assert labels[1].startswith("m  mine — ana (2 here · 2 in all)")
        assert labels[2].startswith("1  only ben (2 here · 2 in all)")
        assert labels[3].startswith("c  compare")
        await pilot.press("1")
        await pilot.pause(0.2)
        assert pilot.app.screen is screen
        assert len(reader.highlights) == 2
        assert all("ben" in p for p in prompts(pilot.app)) and len(prompts(pilot.app)) == 2
        assert "marks: ben only" in str(status.render())
        assert "Annotations · ben only" in str(screen.query_one("#annotations-title").render())

        # n steps through the marks shown only
        await pilot.press("n")
        await pilot.press("n")
        await pilot.press("n")
        assert screen.session.current_uuid in {h.key for h in reader.highlights}

        # remembered while the app runs: another article, and back
        other = next(s.id for s in ana.summaries() if s.id != article)
        screen.open_article(other)
        await pilot.pause()
        screen.open_article(article)
        await pilot.pause(0.2)
        assert len(reader.highlights) == 2 and "marks: ben only" in str(status.render())

        await pilot.press("at", "m")
        await pilot.pause(0.2)
        assert len(reader.highlights) == 2 and all("ana" in p for p in prompts(pilot.app))
        assert "marks: mine" in str(status.render())

        await pilot.press("at", "c", "1")  # compare: mine beside ben's
        await pilot.pause(0.2)
        drawn = sorted(reader.highlights, key=lambda h: (h.start, h.other))
        assert [(h.start, h.other) for h in drawn] == [(0, False), (0, True), (100, False), (200, True)]
        assert "marks: mine beside ben" in str(status.render())
        listed = prompts(pilot.app)
        assert len(listed) == 4 and sum("ben" in p for p in listed) == 2

        await pilot.press("at", "e")
        await pilot.pause(0.2)
        assert len(reader.highlights) == 4 and not any(h.other for h in reader.highlights)
        assert str(screen.query_one("#annotations-title").render()).strip() == "Annotations"


async def test_a_new_mark_shows_when_own_marks_were_hidden(team, tmp_path: Path) -> None:
    from nkreader.tui.app import create_app
    from nkreader.tui.reader import ReaderView

    ana, article = team
    app = create_app(ana, keymap_path=tmp_path / "config.toml", samples=SAMPLES)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = pilot.app.screen
        screen.open_article(article)
        screen.focus_pane("reader")
        await pilot.pause()
        await pilot.press("at", "1")  # ben only
        await pilot.pause()
        reader = screen.query_one(ReaderView)
        reader.move_to(300)
        await pilot.press("c")  # ana marks the sentence there
        await pilot.pause(0.2)
        assert screen.session.annotator_filter.whose is Whose.COMPARE
        mine = [a for a in screen.session.visible if a.author == "ana"]
        assert any(a.start <= 300 < a.end for a in mine)
        assert any(h.other for h in reader.highlights)  # ben's, in the other style


async def test_a_library_of_one_annotator_says_there_is_nobody_else(library: Library, tmp_path: Path) -> None:
    from nkreader.tui.app import create_app

    library.annotator = "ana"
    import_paths(library, [SAMPLES / "hyesan-market-prices.txt"])
    article = library.summaries()[0].id
    library.annotate(article, Kind.CLAIM, 0, 30)
    app = create_app(library, keymap_path=tmp_path / "config.toml", samples=SAMPLES)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        screen.open_article(article)
        screen.focus_pane("reader")
        await pilot.pause()
        await pilot.press("at")
        await pilot.pause()
        assert pilot.app.screen is screen  # no picker with nothing to pick
        assert screen.session.annotator_filter.shows_all


def test_another_annotators_marks_are_drawn_in_their_own_style() -> None:
    """Compare mode: one's own claim has its background; the other's claim none, its own colour and
    an underline; where both marked, both show; the gutter names the other's kind in their colour."""
    from rich.style import Style

    from nkreader.text.highlights import Highlight, HighlightIndex
    from nkreader.text.layout import WrapLayout
    from nkreader.tui.reader_render import LineStyles, render_visual_line

    body = "aaaa bbbb cccc dddd"
    layout = WrapLayout(body)
    layout.wrap(40)
    mine_style, theirs_style = Style(bgcolor="blue"), Style(color="cyan", underline=True)
    styles = LineStyles(kinds={k: mine_style for k in Kind}, others={k: theirs_style for k in Kind})
    index = HighlightIndex(
        [Highlight(0, 9, Kind.CLAIM, "mine"), Highlight(5, 14, Kind.CLAIM, "theirs", other=True)], layout
    )
    strip = render_visual_line(layout, index, styles, 0, 40)
    pieces = {segment.text: segment.style for segment in strip if segment.text.strip()}
    assert pieces["aaaa "].bgcolor.name == "blue" and not pieces["aaaa "].underline
    assert pieces["bbbb"].bgcolor.name == "blue" and pieces["bbbb"].underline  # both marked it
    assert pieces[" cccc"].bgcolor is None and pieces[" cccc"].color.name == "cyan"  # only theirs
    assert pieces[" cccc"].underline
    only_theirs = HighlightIndex([Highlight(10, 14, Kind.QUOTE, "theirs", other=True)], layout)
    gutter = next(iter(render_visual_line(layout, only_theirs, styles, 0, 40)))
    assert gutter.text == "Q" and gutter.style.color.name == "cyan"


async def test_an_edit_key_on_words_a_colleague_marked_too_edits_my_own_mark(
    team, tmp_path: Path
) -> None:
    """ana and ben both marked characters 0–30 (ben later): in ana's app `e` opens ana's note."""
    from nkreader.tui.app import create_app
    from nkreader.tui.dialogs import NoteDialog

    ana, article = team
    app = create_app(ana, keymap_path=tmp_path / "config.toml", samples=SAMPLES)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = pilot.app.screen
        screen.open_article(article)
        screen.focus_pane("reader")
        await pilot.pause()
        screen.reader.move_to(5)
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause(0.2)
        assert isinstance(pilot.app.screen, NoteDialog)
        await pilot.press(*"mine")
        await pilot.press("ctrl+s")
        await pilot.pause(0.2)
    notes = {(a.author, a.start): a.note for a in ana.annotations(article)}
    assert notes[("ana", 0)] == "mine"
    assert notes[("ben", 0)] == ""

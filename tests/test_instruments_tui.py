"""The analyst's instruments in the app (issue 17), with the keys a user presses: a passage's
credibility (C) and its source's grade in the annotations pane, an entity made from a selection and
from the sources register (A, e), every mention of an entity highlighted (H), the revisions of an
article as a diff (D), and a claim whose words an update changed flagged with its old words."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widgets import Select

from conftest import SAMPLES
from nkreader.analysis import EntityKind
from nkreader.domain import Kind, Status
from nkreader.services import entities, revisions, sources
from nkreader.services.importing import import_paths
from nkreader.services.library import Library
from nkreader.tui.app import create_app
from nkreader.tui.entity_dialogs import CredibilityDialog, EntityDialog, EntityPickDialog
from nkreader.tui.main_screen import MainScreen
from nkreader.tui.revision_screen import EMPTY_REVISIONS, RevisionScreen
from nkreader.tui.speakers_screen import SpeakersScreen

A = "an additional source in North Hamgyong Province"
FRONT = "---\ntitle: Public trial in Kaecheon\nsource: Daily NK\npublished: 2025-03-02\n---\n"
BEFORE = "Seven people were executed in Kaecheon on Monday, a source said.\n\nResidents of Kaechon were made to watch.\n"
AFTER = "Eight people were executed in Kaecheon on Monday, a source said.\n\nResidents of Kaechon were made to watch.\n"


async def until(pilot, condition, *, timeout: float = 10.0) -> None:
    for _ in range(int(timeout / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    assert condition(), "timed out waiting"


def _setup(library: Library, tmp_path: Path, *, update: bool = False) -> tuple[int, str]:
    page = tmp_path / "trial.md"
    page.write_text(FRONT + BEFORE, encoding="utf-8")
    import_paths(library, [page])
    (summary,) = library.summaries()
    body = library.article(summary.id).body
    claim = library.annotate(summary.id, Kind.CLAIM, 0, body.index(", a source"), speaker=A)
    library.edit(claim, status=Status.CORROBORATED)
    if update:
        page.write_text(FRONT + AFTER, encoding="utf-8")
        import_paths(library, [page], update=True)
    return summary.id, claim.uuid


def _app(library: Library, tmp_path: Path):
    return create_app(library, keymap_path=tmp_path / "config.toml", samples=SAMPLES)


async def _open(pilot, article_id: int) -> MainScreen:
    screen = pilot.app.screen
    assert isinstance(screen, MainScreen)
    screen.open_article(article_id)
    screen.focus_pane("reader")
    await pilot.pause()
    return screen


def _rows(screen: MainScreen) -> list[str]:
    annotations = screen.annotation_list
    return [str(annotations.get_option_at_index(i).prompt) for i in range(annotations.option_count)]


async def test_credibility_key_and_the_source_grade_beside_the_speaker(
    library: Library, tmp_path: Path
) -> None:
    article_id, uuid = _setup(library, tmp_path)
    sources.grade(library, A, "B")
    async with _app(library, tmp_path).run_test(size=(160, 50)) as pilot:
        screen = await _open(pilot, article_id)
        assert _rows(screen)[0].startswith(f"[C] B– {A} · corroborated")  # the source's grade, first
        screen.reader.move_to(3)
        await pilot.press("C")
        await until(pilot, lambda: isinstance(pilot.app.screen, CredibilityDialog))
        await pilot.press("2")
        await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))
        assert sources.grades_for(library, [uuid]).credibility == {uuid: 2}
        await until(pilot, lambda: _rows(screen)[0].startswith(f"[C] B2 {A}"))
        # u takes the grade back, ctrl+r sets it again
        await pilot.press("u")
        await until(pilot, lambda: _rows(screen)[0].startswith(f"[C] B– {A}"))
        assert sources.grades_for(library, [uuid]).credibility == {}
        await pilot.press("ctrl+r")
        await until(pilot, lambda: _rows(screen)[0].startswith(f"[C] B2 {A}"))
        assert sources.grades_for(library, [uuid]).credibility == {uuid: 2}
        # - removes the grade
        await pilot.press("C")
        await until(pilot, lambda: isinstance(pilot.app.screen, CredibilityDialog))
        await pilot.press("minus")
        await until(pilot, lambda: _rows(screen)[0].startswith(f"[C] B– {A}"))
        assert sources.grades_for(library, [uuid]).credibility == {}
        # a policy statement has no credibility: a warning, no dialog
        body = screen.session.body
        library.annotate(article_id, Kind.POLICY, body.index("Residents"), len(body.rstrip()))
        screen._reload_annotations()
        screen.reader.move_to(body.index("Residents") + 2)
        await pilot.press("C")
        await pilot.pause(0.2)
        assert isinstance(pilot.app.screen, MainScreen)


async def test_a_changed_claim_is_flagged_with_its_old_words_and_the_diff(
    library: Library, tmp_path: Path
) -> None:
    article_id, uuid = _setup(library, tmp_path, update=True)
    async with _app(library, tmp_path).run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, article_id)
        row = _rows(screen)[0]
        assert row.startswith(f"[C] ⚑ review {A} · corroborated")
        assert row.splitlines()[1:] == [
            "    Eight people were executed in Kaecheon on Monday",
            "    was: Seven people were executed in Kaecheon on Monday",
        ]
        await pilot.press("D")
        await until(pilot, lambda: isinstance(pilot.app.screen, RevisionScreen))
        revision_screen = pilot.app.screen
        await until(pilot, lambda: bool(revision_screen.shown.plain))
        diff: Text = revision_screen.shown
        assert "Seven Eight people" in diff.plain
        struck = [diff.plain[s.start : s.end] for s in diff.spans if "strike" in str(s.style)]
        added = [diff.plain[s.start : s.end] for s in diff.spans if "green" in str(s.style)]
        assert struck == ["Seven"] and added == ["Eight"]
        assert "Residents" not in diff.plain  # an unchanged paragraph is left out
        assert "Change 1 of 1" in str(revision_screen.query_one("#revisions-status").render())
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))
        # W: the words are checked again; the flag goes, the old words stay
        screen.reader.move_to(3)
        await pilot.press("W")
        await until(pilot, lambda: "⚑ review" not in _rows(screen)[0])
        assert revisions.flagged(library) == [] and "was: Seven" in _rows(screen)[0]
        await pilot.press("u")  # undo: flagged again
        await until(pilot, lambda: "⚑ review" in _rows(screen)[0])
        assert len(revisions.flagged(library)) == 1
        await pilot.press("ctrl+r")
        await until(pilot, lambda: "⚑ review" not in _rows(screen)[0])
        assert revisions.flagged(library) == []
        await pilot.press("W")  # nothing left to review: a warning, nothing changes
        await pilot.pause(0.1)
        assert revisions.wording_changes(library)[uuid].original.startswith("Seven")
    async with _app(library, tmp_path).run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, article_id)
        row = _rows(screen)[0]
        assert "⚑ review" not in row and "was: Seven" in row  # reviewed: the old words stay


async def test_revisions_of_an_article_never_updated(library: Library, tmp_path: Path) -> None:
    article_id, _uuid = _setup(library, tmp_path)
    async with _app(library, tmp_path).run_test(size=(80, 24)) as pilot:
        await _open(pilot, article_id)
        await pilot.press("D")
        await until(pilot, lambda: isinstance(pilot.app.screen, RevisionScreen))
        first = EMPTY_REVISIONS.splitlines()[0]
        await until(
            pilot, lambda: str(pilot.app.screen.query_one("#revisions-diff").render()).startswith(first)
        )
        await pilot.press("right")  # nothing newer: the bell, still here
        assert isinstance(pilot.app.screen, RevisionScreen)


async def test_entity_from_the_selection_and_its_mentions(library: Library, tmp_path: Path) -> None:
    article_id, _uuid = _setup(library, tmp_path)
    async with _app(library, tmp_path).run_test(size=(160, 50)) as pilot:
        screen = await _open(pilot, article_id)
        body = screen.session.body
        # A with nothing selected: a warning, no dialog
        await pilot.press("A")
        await pilot.pause(0.1)
        assert isinstance(pilot.app.screen, MainScreen)
        start = body.index("Kaecheon")
        screen.reader.select_span(start, start + len("Kaecheon"))
        await pilot.press("A")
        await until(pilot, lambda: isinstance(pilot.app.screen, EntityDialog))
        assert pilot.app.screen.query_one("#entity-name").value == "Kaecheon"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))
        made = entities.find(library, "kaecheon")
        assert made is not None and made.kind is EntityKind.PLACE and made.variants == ["Kaecheon"]
        # the other spelling, added to it: tab to the kind, tab to the list, pick the entity
        start = body.index("Kaechon")
        screen.reader.select_span(start, start + len("Kaechon"))
        await pilot.press("A")
        await until(pilot, lambda: isinstance(pilot.app.screen, EntityDialog))
        existing = pilot.app.screen.query_one("#entity-existing", Select)
        await pilot.press("tab", "tab", "enter")
        await until(pilot, lambda: existing.expanded)
        await pilot.press("down", "enter")
        await until(pilot, lambda: existing.value == "Kaecheon")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))
        assert entities.find(library, "Kaechon") == entities.find(library, "Kaecheon")
        assert entities.find(library, "Kaecheon").variants == ["Kaecheon", "Kaechon"]
        # H: pick it by any spelling; both spellings are highlighted
        await pilot.press("H")
        await until(pilot, lambda: isinstance(pilot.app.screen, EntityPickDialog))
        await pilot.press(*"kaechon", "enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))
        mentions = [(h.start, h.end) for h in screen.reader.highlights if h.mention]
        assert [body[s:e] for s, e in mentions] == ["Kaecheon", "Kaechon"]
        line = screen.reader.vline_of(mentions[0][0])
        strip = screen.reader.render_line(line - screen.reader.scroll_offset.y)
        drawn = [seg for seg in strip if len(seg.text) > 3 and seg.text in "Kaecheon"]  # the cursor cuts it
        plain = [seg for seg in strip if seg.text.startswith(" on Monday")]
        assert drawn and drawn[0].style is not None and plain and plain[0].style is not None
        assert drawn[0].style.color != plain[0].style.color and drawn[0].style.bold
        # H again clears them
        await pilot.press("H")
        await until(pilot, lambda: not any(h.mention for h in screen.reader.highlights))


async def test_entity_from_the_sources_register(library: Library, tmp_path: Path) -> None:
    _setup(library, tmp_path)
    async with _app(library, tmp_path).run_test(size=(160, 50)) as pilot:
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(pilot.app.screen, SpeakersScreen))
        register = pilot.app.screen
        await until(pilot, lambda: register.loads >= 1)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(pilot.app.screen, EntityDialog))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(pilot.app.screen, SpeakersScreen))
        made = entities.find(library, A)
        assert made is not None and made.kind is EntityKind.PERSON


def _two_claims(library: Library, tmp_path: Path) -> tuple[str, str]:
    """A claim of a source graded B, credibility 2, corroborated, then changed by an update; and a
    claim of nobody in particular."""
    article_id, uuid = _setup(library, tmp_path)
    body = library.article(article_id).body
    other = library.annotate(article_id, Kind.CLAIM, body.index("Residents"), len(body.rstrip()))
    sources.grade(library, A, "B")
    sources.set_credibility(library, uuid, 2)
    page = tmp_path / "trial.md"
    page.write_text(FRONT + AFTER, encoding="utf-8")
    import_paths(library, [page], update=True)
    return uuid, other.uuid


def test_browse_filters_by_grade_credibility_and_review(any_library: Library, tmp_path: Path) -> None:
    from nkreader.services.browse import BrowseFilter, browse

    library = any_library
    flagged, plain = _two_claims(library, tmp_path)

    def uuids(**filters: object) -> list[str]:
        rows, total = browse(library, BrowseFilter(**filters))  # type: ignore[arg-type]
        assert total == len(rows)
        return sorted(r.uuid for r in rows)

    assert uuids() == sorted([flagged, plain])
    assert uuids(reliability="B") == [flagged]
    assert uuids(reliability="A") == []
    assert uuids(reliability="B", speaker="Hamgyong") == [flagged]
    assert uuids(reliability="B", speaker="nobody") == []
    assert uuids(credibility=2) == [flagged] and uuids(credibility=3) == []
    assert uuids(needs_review=True) == [flagged]
    revisions.clear_review(library, flagged)
    assert uuids(needs_review=True) == []


async def test_the_browser_shows_grades_and_the_flag_and_filters_them(
    library: Library, tmp_path: Path
) -> None:
    from nkreader.tui.browser_screen import BrowserScreen

    flagged, plain = _two_claims(library, tmp_path)
    async with _app(library, tmp_path).run_test(size=(160, 50)) as pilot:
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(pilot.app.screen, BrowserScreen))
        browser = pilot.app.screen
        await until(pilot, lambda: browser.loads >= 1)
        cells = {row.uuid: [str(c) for c in browser.table.get_row(row.uuid)] for row in browser.rows}
        assert cells[flagged][1] == "B2" and cells[flagged][7] == "corroborated ⚑"
        assert cells[plain][1] == "" and cells[plain][7] == "unverified"
        browser.table.move_cursor(row=[r.uuid for r in browser.rows].index(flagged))
        await until(pilot, lambda: "⚑" in str(browser.query_one("#browser-detail").render()))
        detail = str(browser.query_one("#browser-detail").render())
        assert "⚑ review" in detail and "was: Seven people were executed in Kaecheon" in detail
        assert "source B (usually reliable) · credibility 2 (probably true)" in detail
        for widget_id, value in [("#f-reliability", "B"), ("#f-credibility", 2), ("#f-review", True)]:
            loads = browser.loads
            browser.query_one(widget_id, Select).value = value
            await until(pilot, lambda before=loads: browser.loads > before)
            assert [r.uuid for r in browser.rows] == [flagged], widget_id
            browser.query_one(widget_id, Select).clear()
            await until(pilot, lambda: len(browser.rows) == 2)
        # W on the flagged row: reviewed, the ⚑ goes
        browser.table.move_cursor(row=[r.uuid for r in browser.rows].index(flagged))
        await pilot.pause(0.1)
        loads = browser.loads
        await pilot.press("W")
        await until(pilot, lambda: browser.loads > loads)
        assert str(browser.table.get_row(flagged)[7]) == "corroborated"
        assert revisions.flagged(library) == []


def test_a_rows_line_count_counts_the_old_words() -> None:
    from nkreader.domain import Annotation
    from nkreader.tui.annotation_rows import annotation_lines, annotation_prompt
    from nkreader.tui.instrument_cues import RowExtras

    mark = Annotation(id=1, uuid="u-1", article_id=1, kind=Kind.CLAIM, start=0, end=5, exact="Eight")
    for extras in [None, RowExtras(credibility=2), RowExtras(was="Seven", needs_review=True)]:
        for tags in ([], ["kcna"]):
            mark.tags = tags
            prompt = annotation_prompt(mark, extras).plain
            assert annotation_lines(mark, extras) == len(prompt.split("\n")), (extras, tags)
    assert "was: Seven" in annotation_prompt(mark, RowExtras(was="Seven")).plain


async def test_a_character_motion_takes_the_next_key_even_a_command_key(
    library: Library, tmp_path: Path
) -> None:
    """`fH` goes to the next "H" (not the mentions picker), `fa` to the next "a" (not the speaker
    dialog): after f/t/F/T the screen's priority keys step aside."""
    page = tmp_path / "hamgyong.md"
    page.write_text("---\ntitle: Hamgyong\n---\nA source in North Hamgyong said so.\n", encoding="utf-8")
    import_paths(library, [page])
    (summary,) = library.summaries()
    async with _app(library, tmp_path).run_test(size=(160, 50)) as pilot:
        screen = await _open(pilot, summary.id)
        body = screen.session.body
        screen.reader.move_to(2)
        await pilot.press("f", "H")
        await until(pilot, lambda: screen.reader.cursor == body.index("Hamgyong"))
        assert isinstance(pilot.app.screen, MainScreen)
        screen.reader.move_to(2)
        await pilot.press("f", "a")
        await until(pilot, lambda: screen.reader.cursor == body.index("a", 3))
        assert isinstance(pilot.app.screen, MainScreen)
        await pilot.press("H")  # and afterwards H is the mentions key again
        await pilot.pause(0.2)
        assert isinstance(pilot.app.screen, MainScreen)  # no entity yet: a warning, no picker

"""The app as a user drives it: keys pressed in a real App, then what the store and the export hold."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import SAMPLES
from nkreader.domain import ArticleDraft, Kind
from nkreader.services.exporting import native_document
from nkreader.services.importing import import_paths
from nkreader.services.library import Library, content_hash
from nkreader.store import articles as article_store
from nkreader.text.segment import sentence_at
from nkreader.tui.app import create_app
from nkreader.tui.help import HelpScreen
from nkreader.tui.library_list import LibraryList
from nkreader.tui.reader import ReaderView
from nkreader.tui.welcome import WelcomePanel

HYESAN = SAMPLES / "hyesan-market-prices.txt"
MIXED = SAMPLES / "hyesan-slogans-mixed.md"


def add_article(library: Library, title: str, body: str, **fields: object) -> int:
    draft = ArticleDraft(title=title, body=body, **fields)  # type: ignore[arg-type]
    with library.database.writing() as session:
        return article_store.add_article(session, draft, content_hash(body)).id  # type: ignore[return-value]


def exported_annotations(library: Library) -> list[dict]:
    document = native_document(library)
    return [a for article in document["articles"] for a in article["annotations"]]


def app_for(library: Library, tmp_path: Path):
    return create_app(library, keymap_path=tmp_path / "config.toml", samples=SAMPLES)


async def open_first(pilot) -> ReaderView:
    await pilot.press("enter")
    await pilot.pause()
    await pilot.pause()
    reader = pilot.app.screen.query_one(ReaderView)
    assert reader.has_focus
    return reader


async def find(pilot, phrase: str) -> None:
    await pilot.press("slash")
    await pilot.press(*phrase)
    await pilot.press("enter")
    await pilot.pause()


async def test_find_then_claim_marks_exactly_that_sentence(any_library: Library, tmp_path: Path) -> None:
    library = any_library  # on SQLite and on PostgreSQL
    import_paths(library, [HYESAN])
    phrase = "the staple for most"
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        reader = await open_first(pilot)
        await find(pilot, phrase)
        body = reader.body
        assert reader.cursor == body.index(phrase)
        await pilot.press("c")
        await pilot.pause()
    [claim] = exported_annotations(library)
    assert claim["kind"] == "claim"
    assert claim["exact"] == (
        "Corn, the staple for most poorer households, reached 3,450 won per kilogram, "
        "an increase of 12.5% over the same two weeks."
    )


async def test_select_two_sentences_quote_and_speaker_then_delete_and_undo(
    library: Library, tmp_path: Path
) -> None:
    import_paths(library, [HYESAN])
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        reader = await open_first(pilot)
        await find(pilot, "A kilogram of rice sold")
        start = reader.cursor
        await pilot.press("v", ")", ")", "q")
        await pilot.pause()
        body = reader.body
        first = sentence_at(body, start)
        second = sentence_at(body, first[1] + 1)
        [quote] = exported_annotations(library)
        assert quote["kind"] == "quote"
        assert quote["exact"] == body[first[0] : second[1]]
        assert reader.selection is None  # tagging ends the selection

        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"a source in Ryanggang Province")
        await pilot.press("enter")
        await pilot.pause()
        [quote] = exported_annotations(library)
        assert quote["speaker"] == "a source in Ryanggang Province"

        await pilot.press("g", "n")
        await pilot.pause()
        assert reader.cursor == quote["start"]
        await pilot.press("x")
        await pilot.pause()
        assert exported_annotations(library) == []
        await pilot.press("u")
        await pilot.pause()
        [restored] = exported_annotations(library)
        assert restored == quote
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert exported_annotations(library) == []
        await pilot.press("u")
        await pilot.pause()
        assert exported_annotations(library) == [quote]


async def test_n_and_shift_n_move_between_annotations(library: Library, tmp_path: Path) -> None:
    import_paths(library, [HYESAN])
    [summary] = library.summaries()
    body = library.article(summary.id).body
    spans = [sentence_at(body, body.index(p)) for p in ("Rice prices in", "Corn, the staple", "The won also")]
    for span in spans:
        library.annotate(summary.id, Kind.CLAIM, *span)
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        reader = await open_first(pilot)
        await pilot.press("g")
        visited = []
        for _ in range(3):
            await pilot.press("n")
            visited.append(reader.cursor)
        assert visited == [spans[1][0], spans[2][0], spans[0][0]]  # wraps around
        await pilot.press("N")
        assert reader.cursor == spans[2][0]


async def test_korean_sentence_in_mixed_article(library: Library, tmp_path: Path) -> None:
    import_paths(library, [MIXED])
    sentence = "당이 부르면 우리는 언제나 한마음으로 일어선다."
    async with app_for(library, tmp_path).run_test(size=(120, 40)) as pilot:
        reader = await open_first(pilot)
        await find(pilot, "우리는 언제나")
        assert reader.body[reader.cursor : reader.cursor + 7] == "우리는 언제나"
        start = reader.body.index(sentence)
        reader.move_to(start)
        await pilot.press("v")
        for _ in range(len(sentence) - 1):  # inclusive: the cursor ends on the full stop
            await pilot.press("l")
        await pilot.press("p")
        await pilot.pause()
    [policy] = exported_annotations(library)
    assert policy["exact"] == sentence
    assert policy["kind"] == "policy"


async def test_note_and_tags_dialogs_store_and_escape_cancels(library: Library, tmp_path: Path) -> None:
    import_paths(library, [HYESAN])
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        await open_first(pilot)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await pilot.press(*"needs a second source")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        await pilot.press(*"market, hyesan")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await pilot.press(*"discard me")
        await pilot.press("escape")
        await pilot.pause()
    [claim] = exported_annotations(library)
    assert claim["note"] == "needs a second source"
    assert claim["tags"] == ["market", "hyesan"]


async def test_reopening_restores_cursor_and_highlights(db_path: Path, tmp_path: Path) -> None:
    library = Library.open(str(db_path))
    import_paths(library, [HYESAN])
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        reader = await open_first(pilot)
        await find(pilot, "The won also lost")
        await pilot.press("c")
        await pilot.pause()
        position = reader.cursor
    library.close()

    reopened = Library.open(str(db_path))
    async with app_for(reopened, tmp_path).run_test(size=(160, 50)) as pilot:
        reader = await open_first(pilot)
        assert reader.cursor == position
        assert [h.kind for h in reader.highlights] == [Kind.CLAIM]
    reopened.close()


async def test_hostile_title_and_text_shown_literally_and_inert(library: Library, tmp_path: Path) -> None:
    title = "[bold]x[/] [/nope] [@click=app.quit]quit[/]"
    body = "Plain start. [@click=app.quit]Click me[/] and [/nope] and [bold]x[/].\n\nSecond paragraph."
    add_article(library, title, body, source="[red]src[/]")
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        await open_first(pilot)
        await pilot.click("#article-header")
        await pilot.click(ReaderView, offset=(20, 0))
        await pilot.click(LibraryList, offset=(5, 0))
        await pilot.pause()
        assert pilot.app.is_running
        screen_text = "\n".join(
            "".join(segment.text for segment in strip)
            for strip in pilot.app.screen._compositor.render_strips()
        )
        assert "[@click=app.quit]Click me[/]" in screen_text
        assert title in screen_text  # the header shows the title literally
        assert "[red]src[/]" in screen_text


async def test_empty_library_shows_welcome_and_i_imports_samples(library: Library, tmp_path: Path) -> None:
    async with app_for(library, tmp_path).run_test(size=(120, 40)) as pilot:
        welcome = pilot.app.screen.query_one(WelcomePanel)
        assert welcome.display
        await pilot.press("i")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert pilot.app.screen.query_one(LibraryList).row_count == len(library.summaries()) == 11
        assert not pilot.app.screen.has_class("-empty")


async def test_keymap_from_config_remaps_a_binding(library: Library, tmp_path: Path) -> None:
    import_paths(library, [HYESAN])
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\n"annotate.claim" = "K"\n', encoding="utf-8")
    async with create_app(library, keymap_path=config).run_test(size=(160, 50)) as pilot:
        await open_first(pilot)
        await pilot.press("K")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)
        marking = dict(pilot.app.help_groups())["Marking"]
        assert ("K", "Mark as a claim", "annotate.claim") in marking
    assert [a["kind"] for a in exported_annotations(library)] == ["claim"]


async def test_narrow_terminal_shows_one_pane_at_a_time(library: Library, tmp_path: Path) -> None:
    import_paths(library, [HYESAN])
    async with app_for(library, tmp_path).run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        assert screen.query_one("#library-pane").display
        assert not screen.query_one("#reader-pane").display
        await open_first(pilot)
        await pilot.pause()
        assert screen.query_one("#reader-pane").display
        assert not screen.query_one("#library-pane").display
        await pilot.press("tab")
        await pilot.pause()
        assert screen.query_one("#annotations-pane").display


async def test_status_line_counts_and_mode(library: Library, tmp_path: Path) -> None:
    add_article(library, "Dated", "One claim here. Another here.", published=date(2026, 1, 2))
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        await open_first(pilot)
        await pilot.press("c")
        await pilot.press("v")
        await pilot.pause(0.2)
        status = str(pilot.app.screen.query_one("#status").render())
        assert "C1" in status and "SELECTING" in status


@pytest.mark.parametrize("key", ["c", "q", "p"])
async def test_tag_keys_do_nothing_in_the_library_filter(library: Library, tmp_path: Path, key: str) -> None:
    import_paths(library, [HYESAN])
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        await pilot.press("slash", key)
        await pilot.pause()
    assert exported_annotations(library) == []


async def test_mouse_drag_selects_and_clicking_an_annotation_jumps(library: Library, tmp_path: Path) -> None:
    body = "Alpha beta gamma delta. Epsilon zeta eta theta.\n\nIota kappa lambda mu."
    article_id = add_article(library, "Mouse", body)
    later = library.annotate(article_id, Kind.QUOTE, body.index("Iota"), len(body))
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        reader = await open_first(pilot)
        # the gutter takes two cells: x=2 is the first character of a line
        await pilot.mouse_down(ReaderView, offset=(2 + body.index("beta"), 0))
        await pilot.hover(ReaderView, offset=(2 + body.index(" delta"), 0))
        await pilot.mouse_up(ReaderView, offset=(2 + body.index(" delta"), 0))
        await pilot.pause()
        assert reader.selection == (body.index("beta"), body.index(" delta"))
        await pilot.press("c")
        await pilot.pause()
        claims = [a for a in exported_annotations(library) if a["kind"] == "claim"]
        assert [c["exact"] for c in claims] == ["beta gamma"]

        annotation_list = pilot.app.screen.query_one("#annotations")
        await pilot.click(annotation_list, offset=(4, 3))  # second entry (a border row, then 2 rows each)
        await pilot.pause()
        await pilot.pause()
        assert reader.cursor == later.start


async def test_command_palette_runs_marking_and_export(library: Library, tmp_path: Path) -> None:
    import json

    import_paths(library, [HYESAN])
    target = tmp_path / "palette-export.json"
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        await open_first(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Mark as policy")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert [a["kind"] for a in exported_annotations(library)] == ["policy"]

        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Export annotations")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        dialog_input = pilot.app.screen.query_one("Input")
        dialog_input.value = str(target)
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    document = json.loads(target.read_text(encoding="utf-8"))
    assert [a["kind"] for a in document["articles"][0]["annotations"]] == ["policy"]


async def test_n_visits_every_mark_on_the_same_sentence(library: Library, tmp_path: Path) -> None:
    body = "First sentence here. Second sentence there. Third one."
    article_id = add_article(library, "Stacked", body)
    second = sentence_at(body, body.index("Second"))
    made = [library.annotate(article_id, kind, *second) for kind in (Kind.CLAIM, Kind.QUOTE, Kind.POLICY)]
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        await open_first(pilot)
        screen = pilot.app.screen
        seen = []
        for _ in range(4):
            await pilot.press("n")
            seen.append(screen.current_annotation().uuid)
        assert seen == [a.uuid for a in made] + [made[0].uuid]
        await pilot.press("N")
        assert screen.current_annotation().uuid == made[2].uuid
        await pilot.press("x")  # acts on the visited one
        await pilot.pause()
    assert sorted(a["kind"] for a in exported_annotations(library)) == ["claim", "quote"]


async def test_marking_the_sentence_leaves_the_cursor_on_its_start(library: Library, tmp_path: Path) -> None:
    import_paths(library, [HYESAN])
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        reader = await open_first(pilot)
        await find(pilot, "the staple for most")
        await pilot.press("c")
        await pilot.pause()
        [claim] = exported_annotations(library)
        assert reader.cursor == claim["start"]
        await pilot.press("v", ")", ")", "q")
        await pilot.pause()
        quote = next(a for a in exported_annotations(library) if a["kind"] == "quote")
        assert quote["start"] == claim["start"]
        assert quote["exact"].startswith(claim["exact"]) and len(quote["exact"]) > len(claim["exact"])


async def test_keymap_conflict_is_reported(library: Library, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\n"annotate.quote" = "c"\n', encoding="utf-8")
    app = create_app(library, keymap_path=config)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        warnings = app.keymap_conflicts({"annotate.quote": "c"})
        assert warnings == [
            "config.toml: key 'c' is given to both annotate.claim and annotate.quote; only one of them will work"
        ]
        assert any("annotate.claim and annotate.quote" in str(n.message) for n in app._notifications)


async def test_orphan_is_listed_not_drawn_and_reattached_with_R(library: Library, tmp_path: Path) -> None:
    from dataclasses import replace as dc_replace

    from nkreader.domain import AnchorState

    body = "The old sentence was here. A new sentence replaced it."
    article_id = add_article(library, "Changed", body)
    made = library.annotate(article_id, Kind.CLAIM, 0, 26)
    library.put(dc_replace(made, anchor_state=AnchorState.ORPHANED))
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        reader = await open_first(pilot)
        assert reader.highlights == ()  # listed, not drawn
        assert pilot.app.screen.query_one("#annotations").highlighted_uuid == made.uuid
        await pilot.press("n")
        start = body.index("A new")
        reader.select_span(start, len(body))
        await pilot.press("R")
        await pilot.pause()
        [moved] = exported_annotations(library)
        assert (moved["exact"], moved["anchor_state"]) == ("A new sentence replaced it.", "anchored")
        assert [h.key for h in reader.highlights] == [made.uuid]
        await pilot.press("u")
        await pilot.pause()
        [back] = exported_annotations(library)
        assert back["anchor_state"] == "orphaned"


async def test_changes_by_another_process_show_up(db_url: str, tmp_path: Path) -> None:
    library = Library.open(db_url)
    import_paths(library, [HYESAN])
    other = Library.open(db_url)  # a second app or a CLI import: its own connections
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        reader = await open_first(pilot)
        screen = pilot.app.screen
        article_id = library.summaries()[0].id
        body = reader.body
        other.annotate(article_id, Kind.QUOTE, 0, body.index(" a source"))
        import_paths(other, [MIXED])
        screen.poll_changes()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.query_one(LibraryList).row_count == 2
        assert [h.kind for h in reader.highlights] == [Kind.QUOTE]
        await pilot.press("c")  # our own change still lands next to theirs
        await pilot.pause()
    other.close()
    assert sorted(a.kind for a in library.annotations(article_id)) == [Kind.CLAIM, Kind.QUOTE]
    library.close()


@pytest.mark.parametrize(
    ("label", "start"), [("CSV", "\ufeffarticle_uuid,"), ("Markdown", "<!-- nkreader brief"), ("W3C", "{")]
)
async def test_palette_exports_every_format(library: Library, tmp_path: Path, label: str, start: str) -> None:
    import_paths(library, [HYESAN])
    target = tmp_path / "out.file"
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        await open_first(pilot)
        await pilot.press("c")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*f"Export annotations ({label})")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        pilot.app.screen.query_one("Input").value = str(target)
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    text = target.read_text(encoding="utf-8")
    assert text.startswith(start), text[:40]
    if label == "W3C":
        assert '"AnnotationCollection"' in text


@pytest.mark.parametrize("target_kind", ["folder", "library"])
async def test_export_to_a_folder_or_the_library_says_why_and_keeps_running(
    library: Library, tmp_path: Path, target_kind: str
) -> None:
    """A refused target (a folder, the library file itself) is one message, never a crash."""
    import_paths(library, [HYESAN])
    target = tmp_path if target_kind == "folder" else Path(library.database.path)
    before = Path(library.database.path).read_bytes() if target_kind == "library" else b""
    app = app_for(library, tmp_path)
    async with app.run_test(size=(160, 50)) as pilot:
        await open_first(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Export annotations (JSON")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        pilot.app.screen.query_one("Input").value = str(target)
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        messages = [str(n.message) for n in app._notifications]
        assert any(m.startswith("Not exported:") for m in messages), messages
        assert app.is_running
    if target_kind == "library":
        assert Path(library.database.path).read_bytes()[:100] == before[:100]

"""Precise spans in a few keys, driven through the real app (issue 12, items 1 and 5).

Each test presses the keys an analyst would and checks what was stored (the export), so a change in
the selection rules that puts one character too many or too few into a mark fails here.
"""

from __future__ import annotations

from pathlib import Path

from conftest import SAMPLES
from nkreader.services.exporting import native_document
from nkreader.services.importing import import_paths
from nkreader.services.library import Library
from nkreader.tui.app import create_app
from nkreader.tui.dialogs import SpeakerDialog, TagsDialog
from nkreader.tui.reader import ReaderView

HYESAN = SAMPLES / "hyesan-market-prices.txt"
SENTENCE = (
    "A kilogram of rice sold for 7,200 won at Hyesan market on Aug. 20, up from 6,400 won two weeks "
    "earlier and 5,850 won at the start of July, according to the source."
)


def exported(library: Library) -> list[dict]:
    return [a for article in native_document(library)["articles"] for a in article["annotations"]]


async def open_at(pilot, phrase: str) -> ReaderView:
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("slash", *phrase, "enter")
    await pilot.pause()
    reader = pilot.app.screen.query_one(ReaderView)
    assert reader.has_focus and reader.body[reader.cursor :].startswith(phrase)
    return reader


def app_for(library: Library, tmp_path: Path):
    import_paths(library, [HYESAN])
    return create_app(library, keymap_path=tmp_path / "config.toml")


async def test_first_clause_in_three_keys(library: Library, tmp_path: Path) -> None:
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        await open_at(pilot, "A kilogram of rice sold")
        await pilot.press("v", "right_square_bracket", "c")
        await pilot.pause()
    [claim] = exported(library)
    assert claim["exact"] == "A kilogram of rice sold for 7,200 won at Hyesan market on Aug. 20"


async def test_a_clause_inside_a_sentence_in_five_keys(library: Library, tmp_path: Path) -> None:
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        await open_at(pilot, "A kilogram of rice sold")
        await pilot.press("right_square_bracket", "w", "v", "right_square_bracket", "c")
        await pilot.pause()
    [claim] = exported(library)
    assert claim["exact"] == "up from 6,400 won two weeks earlier and 5,850 won at the start of July"


async def test_till_a_character_and_find_extend_the_selection(library: Library, tmp_path: Path) -> None:
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        reader = await open_at(pilot, "A kilogram of rice sold")
        await pilot.press("v", "t", "7")  # till the 7 of 7,200: the selection stops before it
        assert reader.selection is not None
        assert reader.body[slice(*reader.selection)] == "A kilogram of rice sold for"
        await pilot.press("slash", *"the start of July", "enter")  # find while selecting extends
        await pilot.pause()
        assert reader.mode == "selecting"
        assert reader.body[slice(*reader.selection)] == SENTENCE[: SENTENCE.index("July") + 4]
        await pilot.press("p")
        await pilot.pause()
    [policy] = exported(library)
    assert policy["kind"] == "policy" and policy["exact"] == SENTENCE[: SENTENCE.index("July") + 4]


async def test_f_and_repeat_and_the_other_end(library: Library, tmp_path: Path) -> None:
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        reader = await open_at(pilot, "A kilogram of rice sold")
        start = reader.cursor
        await pilot.press("f", "w")  # onto the w of "won"
        assert reader.body[reader.cursor :].startswith("won at")
        await pilot.press("semicolon")  # the next w
        assert reader.body[reader.cursor :].startswith("won two")
        await pilot.press("comma")  # and back
        assert reader.body[reader.cursor :].startswith("won at")
        await pilot.press("s", "o", "w")  # the sentence, then its start moves one word on
        assert reader.selection == (start + len("A "), start + len(SENTENCE))


async def test_t_and_e_keep_their_edit_meaning_while_reading(library: Library, tmp_path: Path) -> None:
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        await open_at(pilot, "A kilogram of rice sold")
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(pilot.app.screen, TagsDialog)
        await pilot.press(*"prices", "enter")
        await pilot.pause()
    [claim] = exported(library)
    assert claim["tags"] == ["prices"] and claim["exact"] == SENTENCE


async def test_move_a_marks_end_by_two_words_and_undo(library: Library, tmp_path: Path) -> None:
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        await open_at(pilot, "A kilogram of rice sold")
        await pilot.press("v", "right_square_bracket", "c")
        await pilot.pause()
        [before] = exported(library)
        await pilot.press("a", *"a source", "enter")
        await pilot.pause()
        [before] = exported(library)
        await pilot.press("E", "e", "e", "enter")  # the boundary move: four keys
        await pilot.pause()
        [after] = exported(library)
        assert after["uuid"] == before["uuid"] and after["speaker"] == "a source"
        assert after["exact"] == "A kilogram of rice sold for 7,200 won at Hyesan market on Aug. 20, up from"
        await pilot.press("u")
        await pilot.pause()
        [undone] = exported(library)
        assert (undone["uuid"], undone["exact"]) == (before["uuid"], before["exact"])


async def test_escape_leaves_the_bounds_as_they_were(library: Library, tmp_path: Path) -> None:
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        await open_at(pilot, "A kilogram of rice sold")
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("E", "b", "b", "escape", "enter")
        await pilot.pause()
        assert pilot.app.screen.session.adjusting_uuid is None  # type: ignore[attr-defined]
    [claim] = exported(library)
    assert claim["exact"] == SENTENCE


async def test_quote_over_two_sentences_with_its_speaker(library: Library, tmp_path: Path) -> None:
    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        reader = await open_at(pilot, "People used to switch")
        start = reader.cursor - 1  # the sentence starts at its opening quotation mark
        await pilot.press("s", ")", "Q")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SpeakerDialog)
        await pilot.press(*"the source", "enter")
        await pilot.pause()
        body = reader.body
    [quote] = exported(library)
    end = body.index("grain a day.") + len("grain a day.")  # “…fast,” the source said. “A family … a day.
    assert quote["kind"] == "quote" and quote["speaker"] == "the source"
    assert quote["exact"] == body[start:end]


async def test_dragging_a_marks_last_character_moves_its_end(library: Library, tmp_path: Path) -> None:
    from nkreader.tui.reader_render import GUTTER

    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        reader = await open_at(pilot, "A kilogram of rice sold")
        await pilot.press("v", "right_square_bracket", "c")
        await pilot.pause()
        [before] = exported(library)
        assert any(h.current and h.key == before["uuid"] for h in reader.highlights)
        body, layout = reader.body, reader.wrap_layout
        last = before["end"] - 1
        new_last = body.index("up from") + len("up from") - 1

        def cell(offset: int) -> tuple[int, int]:
            line = layout.vline_of(offset)
            return GUTTER + layout.x_of(offset, line), line - int(reader.scroll_offset.y)

        await pilot.mouse_down(reader, offset=cell(last))
        await pilot.hover(reader, offset=cell(new_last))
        await pilot.mouse_up(reader, offset=cell(new_last))
        await pilot.pause()
    [after] = exported(library)
    assert after["uuid"] == before["uuid"]
    assert after["exact"] == "A kilogram of rice sold for 7,200 won at Hyesan market on Aug. 20, up from"


async def test_a_phrase_pasted_right_after_slash_goes_to_the_find_bar(library: Library, tmp_path: Path) -> None:
    """`/` and a phrase arriving in one burst (tmux send-keys, a paste): the phrase is found, and none of
    its letters acts in the reader (`a` would ask for a speaker, `k` move, `g` jump to the top)."""
    from textual import events

    async with app_for(library, tmp_path).run_test(size=(160, 50)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        reader = pilot.app.screen.query_one(ReaderView)
        driver = pilot.app._driver
        assert driver is not None
        for key, char in [("slash", "/"), *[(c if c != " " else "space", c) for c in "A kilogram of rice"],
                          ("enter", "\r")]:
            event = events.Key(key, char)
            event.set_sender(pilot.app)
            driver.send_message(event)
        await pilot.pause()
        await pilot.pause()
        bar = pilot.app.screen.query_one("#find-bar")
        assert reader.has_focus, (pilot.app.focused, bar.value)
        assert reader.body[reader.cursor :].startswith("A kilogram of rice")
        assert len(pilot.app.screen_stack) == 1
    assert exported(library) == []

"""Issue 10 in the real app: every edit key acts on the annotation the analyst sees, and no input
leaks past a dialog that is opening or reaches the open article from the library pane."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from textual import events
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from nkreader.domain import Kind, LinkType
from nkreader.services.exporting import native_document
from nkreader.services.importing import import_paths
from nkreader.services.library import Library
from nkreader.services.links import link, links_of
from nkreader.tui.annotation_list import AnnotationList
from nkreader.tui.app import create_app
from nkreader.tui.dialogs import DialogScreen, NoteDialog, TagsDialog
from nkreader.tui.reader import ReaderView

ONE_SENTENCE = "Kim Jong Un visited the farm at Sinpo."
TWO_SENTENCES = "The ministry announced new grain quotas. Officials in Hyesan disagreed."
BODY = f"{ONE_SENTENCE}\n\n{TWO_SENTENCES}"


def article_file(tmp_path: Path, body: str = BODY, title: str = "Farm visit") -> Path:
    path = tmp_path / "article.txt"
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return path


def stored(library: Library) -> list[dict]:
    return [a for article in native_document(library)["articles"] for a in article["annotations"]]


def notifications(app: object) -> list[str]:
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]


async def open_article(pilot) -> ReaderView:
    await pilot.press("enter")
    await pilot.pause()
    await pilot.pause()
    reader = pilot.app.screen.query_one(ReaderView)
    assert reader.has_focus
    return reader


async def mark_both_first_sentences(pilot) -> None:
    await pilot.press("c")  # the only sentence of the first paragraph
    await pilot.pause()
    await pilot.press("right_curly_bracket", "c")  # the first sentence of the second paragraph
    await pilot.pause()


def current_highlight(reader: ReaderView) -> str | None:
    return next((h.key for h in reader.highlights if getattr(h, "current", False)), None)


async def test_edit_keys_act_on_the_mark_under_the_cursor_shown_before_the_key(
    library: Library, tmp_path: Path
) -> None:
    """Case 1: `c`, `}`, `c`, `N`, `}`, then `t`: the tag lands on the second mark, which was shown as
    the current one (outlined in the reader, selected in the list) before `t` was pressed."""
    import_paths(library, [article_file(tmp_path)])
    async with create_app(library, keymap_path=tmp_path / "config.toml").run_test(size=(160, 50)) as pilot:
        reader = await open_article(pilot)
        await mark_both_first_sentences(pilot)
        await pilot.press("N", "right_curly_bracket")
        await pilot.pause()
        second = next(a for a in library.annotations(1) if a.exact.startswith("The ministry"))
        assert reader.cursor == second.start
        assert current_highlight(reader) == second.uuid
        assert pilot.app.screen.query_one(AnnotationList).highlighted_uuid == second.uuid
        await pilot.press("t")
        await pilot.pause()
        await pilot.press(*"WHICH", "enter")
        await pilot.pause()
    tags = {a["exact"]: a["tags"] for a in stored(library)}
    assert tags == {ONE_SENTENCE: [], "The ministry announced new grain quotas.": ["WHICH"]}


async def test_on_the_blank_line_edit_keys_say_no_annotation_here(library: Library, tmp_path: Path) -> None:
    """Case 1: the blank line after a one-sentence paragraph is not on its mark: `x` and `t` there
    say "no annotation here", delete nothing and open no dialog."""
    import_paths(library, [article_file(tmp_path)])
    async with create_app(library, keymap_path=tmp_path / "config.toml").run_test(size=(160, 50)) as pilot:
        reader = await open_article(pilot)
        await mark_both_first_sentences(pilot)
        await pilot.press("N")  # back on the first mark: it is the current one
        await pilot.pause()
        await pilot.press("down")  # the blank line between the paragraphs
        await pilot.pause()
        assert reader.cursor == len(ONE_SENTENCE) + 1
        assert current_highlight(reader) is None
        await pilot.press("x", "t")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, DialogScreen)
        assert sum("No annotation here" in n for n in notifications(pilot.app)) == 2
    assert len(stored(library)) == 2


async def test_keys_typed_while_the_tags_dialog_opens_go_to_the_dialog(
    library: Library, tmp_path: Path
) -> None:
    """Case 2: `t` and `xinjiang` arrive in one burst (a paste, fast typing): the dialog holds
    `xinjiang`, nothing is deleted, no second dialog opens."""
    import_paths(library, [article_file(tmp_path)])
    app = create_app(library, keymap_path=tmp_path / "config.toml")
    async with app.run_test(size=(160, 50)) as pilot:
        await open_article(pilot)
        await pilot.press("c")
        await pilot.pause()
        driver = app._driver
        assert driver is not None
        for key in "txinjiang":  # queued at once: no pause between the keys
            event = events.Key(key, key)
            event.set_sender(app)
            driver.send_message(event)
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, TagsDialog)
        assert len(app.screen_stack) == 2
        assert app.screen.query_one("#tags-input", Input).value == "xinjiang"
        await pilot.press("enter")
        await pilot.pause()
    [mark] = stored(library)
    assert mark["tags"] == ["xinjiang"]


async def test_pilot_typing_right_after_t_goes_to_the_dialog(library: Library, tmp_path: Path) -> None:
    """Case 2 with Pilot's own key presses, no pause between `t` and the word."""
    import_paths(library, [article_file(tmp_path)])
    app = create_app(library, keymap_path=tmp_path / "config.toml")
    async with app.run_test(size=(160, 50)) as pilot:
        await open_article(pilot)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("t", *"xinjiang")
        await pilot.pause()
        assert isinstance(app.screen, TagsDialog)
        assert len(app.screen_stack) == 2
        assert app.screen.query_one("#tags-input", Input).value == "xinjiang"
        await pilot.press("escape")
        await pilot.pause()
    [mark] = stored(library)
    assert mark["tags"] == []


ARTICLE_KEYS = ["x", "e", "t", "a", "V", "R", "m", "L", "n", "N"]


async def test_article_keys_do_nothing_from_the_library_pane(library: Library, tmp_path: Path) -> None:
    """Case 3: with the library pane focused, x e t a V R m L n N act on nothing and the footer does
    not offer them."""
    import_paths(library, [article_file(tmp_path)])
    app = create_app(library, keymap_path=tmp_path / "config.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_article(pilot)
        await pilot.press("c")
        await pilot.pause()
        before = notifications(app)
        await pilot.press("shift+tab")  # to the library pane
        await pilot.pause()
        assert app.screen.query_one("LibraryList").has_focus
        footer = {key.description for key in app.screen.query(FooterKey)}
        assert not footer & {"Delete", "Note", "Tags", "Speaker", "Next mark"}
        for key in ARTICLE_KEYS:
            await pilot.press(key)
            await pilot.pause()
            assert not isinstance(app.screen, DialogScreen), key
        assert reader.cursor == 0
        assert [n for n in notifications(app) if n not in before] == []
    [mark] = stored(library)
    assert mark["exact"] == ONE_SENTENCE


UPDATED_LEAD = (
    "Editor's note: this report was updated on Aug. 23 with the ministry's figures and a correction "
    "to the name of the farm.\n\n"
)


def import_update_in_another_process(db: Path, path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "nkreader", "--db", str(db), "import", "--update", "-q", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert result.returncode == 0, result.stderr


async def test_a_mark_is_stored_on_the_text_on_screen_after_another_process_updates_it(
    db_path: Path, tmp_path: Path
) -> None:
    """Case 5: another process runs `import --update` on the open article (the text moves by ~130
    characters); `s` + `p` right away never stores a mark at offsets of the old text: the app shows
    the new text with its highlights first, and the mark then lands on the sentence on screen."""
    library = Library.open(str(db_path))
    path = article_file(tmp_path)
    import_paths(library, [path])
    first = library.annotate(1, Kind.CLAIM, 0, len(ONE_SENTENCE))
    async with create_app(library, keymap_path=tmp_path / "config.toml").run_test(size=(160, 50)) as pilot:
        reader = await open_article(pilot)
        await pilot.press("right_curly_bracket")  # on "The ministry announced …"
        await pilot.pause()
        path.write_text(f"Farm visit\n\n{UPDATED_LEAD}{BODY}\n", encoding="utf-8")
        import_update_in_another_process(db_path, path)
        await pilot.press("s", "p")
        await pilot.pause()
        new_body = library.article(1).body
        assert new_body.startswith("Editor's note")
        assert reader.body == new_body  # the new text is on screen
        moved = {h.key: (h.start, h.end) for h in reader.highlights}
        assert moved[first.uuid] == (len(UPDATED_LEAD), len(UPDATED_LEAD) + len(ONE_SENTENCE))
        for annotation in library.annotations(1):  # whatever was stored is the text it names
            assert new_body[annotation.start : annotation.end] == annotation.exact
        assert reader.cursor == new_body.index("The ministry")  # the cursor stayed on its words
        await pilot.press("s", "p")  # pressed again, on the text now shown
        await pilot.pause()
    [policy] = [a for a in library.annotations(1) if a.kind is Kind.POLICY]
    assert policy.exact == "The ministry announced new grain quotas."
    assert policy.start == new_body.index("The ministry")
    library.close()


async def test_the_command_palette_shows_remapped_keys(library: Library, tmp_path: Path) -> None:
    """The palette is built from the bindings: remapping `annotate.tags` to T shows T there, and
    the command runs the binding's action (the tags dialog opens)."""
    import_paths(library, [article_file(tmp_path)])
    config = tmp_path / "config.toml"
    config.write_text(
        '[keymap]\n"annotate.tags" = "T"\n"reader.select_sentence" = "ctrl+l"\n', encoding="utf-8"
    )
    app = create_app(library, keymap_path=config)
    async with app.run_test(size=(160, 50)) as pilot:
        await open_article(pilot)
        await pilot.press("c")
        await pilot.pause()
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert commands["Edit tags"].endswith("(key: T)")
        assert commands["Select the sentence"] == "Sentence (key: ^l)"
        assert commands["Delete annotation"].endswith("(key: x)")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Edit tags")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, TagsDialog)


async def test_two_windows_a_note_in_one_and_a_tag_in_the_other_keep_both(
    db_path: Path, tmp_path: Path
) -> None:
    """Case 4: window B opens the note dialog, window A adds a tag, B saves its note: both are kept
    and B is told what happened."""
    library = Library.open(str(db_path))
    import_paths(library, [article_file(tmp_path)])
    mark = library.annotate(1, Kind.CLAIM, 0, len(ONE_SENTENCE))
    window_a = Library.open(str(db_path))  # another window: its own connections
    app = create_app(library, keymap_path=tmp_path / "config.toml")
    async with app.run_test(size=(160, 50)) as pilot:
        await open_article(pilot)  # the cursor is on the mark
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*"needs a second source")
        [seen_by_a] = window_a.annotations(1)
        window_a.edit(seen_by_a, tags=["from-window-a"])
        await pilot.press("ctrl+s")
        await pilot.pause()
        told = notifications(app)
        shown = pilot.app.screen.query_one(AnnotationList).options
    [stored_mark] = window_a.annotations(1)
    assert stored_mark.uuid == mark.uuid
    assert stored_mark.note == "needs a second source"
    assert stored_mark.tags == ["from-window-a"]
    assert any("tags changed in another window; your note was saved" in n for n in told)
    assert any("#from-window-a" in str(option.prompt) for option in shown)  # B shows A's tag too
    window_a.close()
    library.close()


async def test_undo_brings_back_a_deleted_marks_links_and_a_removed_link(
    library: Library, tmp_path: Path
) -> None:
    """Case 6: `x` on a linked mark then `u` brings the mark back with its link; `x` on a link row
    removes the link and `u` makes it again."""
    import_paths(library, [article_file(tmp_path)])
    first = library.annotate(1, Kind.CLAIM, 0, len(ONE_SENTENCE))
    start = BODY.index("The ministry")
    second = library.annotate(1, Kind.CLAIM, start, start + len("The ministry announced new grain quotas."))
    made = link(library, first.uuid, second.uuid, LinkType.CORROBORATES)
    app = create_app(library, keymap_path=tmp_path / "config.toml")
    async with app.run_test(size=(160, 50)) as pilot:
        await open_article(pilot)  # the cursor is on the first mark
        await pilot.press("x")
        await pilot.pause()
        assert [a.uuid for a in library.annotations(1)] == [second.uuid]
        assert links_of(library, second.uuid) == []
        await pilot.press("u")
        await pilot.pause()
        assert {a.uuid for a in library.annotations(1)} == {first.uuid, second.uuid}
        assert [v.link.uuid for v in links_of(library, first.uuid)] == [made.uuid]

        main = app.screen
        annotations = main.query_one(AnnotationList)
        annotations.focus()
        await pilot.pause()
        rows = [str(o.prompt) for o in annotations.options]
        annotations.highlighted = next(i for i, p in enumerate(rows) if "corroborates" in p)
        await pilot.press("x")
        await pilot.pause()
        assert links_of(library, first.uuid) == []
        assert len(library.annotations(1)) == 2  # the link went, not an annotation
        await pilot.press("u")
        await pilot.pause()
        assert [v.link.uuid for v in links_of(library, first.uuid)] == [made.uuid]

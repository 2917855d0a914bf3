"""Small modal dialogs: note, tags, speaker, a one-line prompt and a yes/no question.

All of them share one frame (:class:`DialogScreen`): a title, an optional context line (the passage being
annotated), the body, and a hint line that names the keys. ``Esc`` cancels (the result is ``None``, or
``False`` for :class:`ConfirmDialog`), ``ctrl+s`` saves everywhere — the one key that means "save" even in
the multi-line note editor, where ``Enter`` is a newline. The hint is computed from the active bindings
when the dialog opens, so a user remap (``dialog.save``) shows in it.

Titles, contexts, initial values and completion lists carry untrusted text (speaker names, tags, excerpts):
they are shown as ``Content`` built from :func:`safe_text` output, never as markup strings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import ClassVar, TypeVar

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from nkreader.tui.cues import passage_preview
from nkreader.tui.safe import excerpt, fold, safe_text

__all__ = [
    "CompletingInput",
    "ConfirmDialog",
    "DialogScreen",
    "NoteDialog",
    "PromptDialog",
    "SpeakerDialog",
    "SpeakerSuggester",
    "TagSuggester",
    "TagsDialog",
    "parse_tags",
]

ResultType = TypeVar("ResultType")

SPEAKER_LIST_SIZE = 8


# --------------------------------------------------------------------------- completion
def _lines_up(known: str, typed: str) -> bool:
    """Does `known` begin with `typed`, ignoring case, diacritics and hyphens, character for character?

    Then the grey inline suggestion (Textual draws ``known[len(typed):]`` after the typed text) reads
    right: "ki" → "m Yo-jong", "kim yo j" → "ong" for "Kim Yo-jong". Accepting it replaces the typed
    text with the known spelling.
    """
    return len(known) > len(typed) and fold(known[: len(typed)]) == fold(typed)


class TagSuggester(Suggester):
    """Completes the last comma-separated token of a tag list from the known tags.

    ``"north korea, nuc"`` → ``"north korea, nuclear"``: the text before the token is kept as typed,
    the token is replaced by the known spelling ("NUC" → "nuclear" too). Tags already in the list are
    not suggested again. Matching is a prefix ignoring case, diacritics and hyphens, character for
    character, so the grey suggestion lines up with what was typed.
    """

    def __init__(self, known_tags: Iterable[str]) -> None:
        # case_sensitive=True: Textual would otherwise casefold the whole value, and the part before the
        # last comma must come back exactly as typed. Case is ignored below, per token.
        super().__init__(use_cache=True, case_sensitive=True)
        self._known = [(tag, fold(tag)) for tag in _unique(t.strip() for t in known_tags) if tag]

    def complete(self, value: str) -> str | None:
        """The value with its last token completed, or None when nothing (new) matches."""
        head, _, token = value.rpartition(",")
        token = token.lstrip()
        if not token:
            return None
        prefix = value[: len(value) - len(token)]
        used = {fold(t) for t in head.split(",")} if head else set()
        for tag, tag_folded in self._known:
            if _lines_up(tag, token) and tag_folded not in used:
                return prefix + tag
        return None

    async def get_suggestion(self, value: str) -> str | None:
        return self.complete(value)


class SpeakerSuggester(Suggester):
    """Speakers matching what was typed: a case-insensitive prefix first, then any word start.

    Typing "jong" finds "Kim Jong Un"; "kim jong-un" finds "Kim Jong Un" too (hyphens and diacritics are
    ignored via :func:`fold`). The inline (grey) suggestion is shown only for a prefix, where it lines up
    with the typed text ("ki" → "Kim Yo-jong", case ignored); ``right``/``tab`` accept :meth:`complete`,
    the first match of either kind, in its known spelling.
    """

    def __init__(self, known_speakers: Iterable[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self._known = [(s, fold(s)) for s in _unique(" ".join(k.split()) for k in known_speakers) if s]

    def matches(self, value: str, limit: int | None = None) -> list[str]:
        """Known speakers matching `value`, prefix matches first, in the order given; all if empty."""
        query = fold(value)
        if not query:
            return [s for s, _ in self._known][:limit]
        prefix = [s for s, f in self._known if f.startswith(query)]
        words = [s for s, f in self._known if not f.startswith(query) and f" {query}" in f" {f}"]
        return (prefix + words)[:limit]

    def complete(self, value: str) -> str | None:
        """The first matching speaker, unless it is what was typed already."""
        if not value.strip():
            return None
        found = self.matches(value, 1)
        return found[0] if found and found[0] != value else None

    async def get_suggestion(self, value: str) -> str | None:
        """The inline (grey) suggestion: the first match, when it begins with what was typed
        (ignoring case, diacritics and hyphens): "ki" shows "Kim Yo-jong"."""
        best = self.complete(value)
        if best is not None and _lines_up(best, value):
            return best
        return None


class CompletingInput(Input):
    """An ``Input`` whose ``right`` (at the end) and ``tab`` accept the completion of its suggester.

    While a grey inline suggestion is shown, the typed part is drawn in the suggestion's spelling too
    (case, diacritics and hyphens as known); the value itself changes only when it is accepted.

    Textual's ``Input`` accepts only the grey inline suggestion on ``right``; the speaker dialog also
    completes word-start matches ("jong" → "Kim Jong Un") that cannot be drawn inline, so acceptance
    asks the suggester's ``complete(value)`` directly. ``tab`` completes when there is something to
    complete and otherwise moves focus as usual.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "complete", "Complete", show=False, id="dialog.complete"),
    ]

    @property
    def _value(self) -> Text:
        """The value as drawn: while an inline suggestion is shown, its known spelling ("ki" is drawn
        as "Ki", the suggestion's "m Yo-jong" follows in grey), so the completion reads as one name."""
        text = super()._value
        value, suggestion = self.value, self._suggestion
        if (
            self.has_focus
            and not self.password
            and _lines_up(suggestion, value)
            and cell_len(suggestion[: len(value)]) == cell_len(value)
        ):
            text = text.copy()
            text.plain = suggestion[: len(value)]  # same length: the spans and the cursor still fit
        return text

    def _completion(self) -> str | None:
        complete: Callable[[str], str | None] | None = getattr(self.suggester, "complete", None)
        if complete is None or not self.cursor_at_end or not self.selection.is_empty:
            return None
        return complete(self.value)

    def _accept(self, completion: str) -> None:
        self.value = completion
        self.cursor_position = len(completion)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "complete":
            return self._completion() is not None  # else tab falls through to focus_next
        return super().check_action(action, parameters)

    def action_complete(self) -> None:
        completion = self._completion()
        if completion is not None:
            self._accept(completion)

    def action_cursor_right(self, select: bool = False) -> None:
        completion = None if select else self._completion()
        if completion is not None:
            self._accept(completion)
        else:
            super().action_cursor_right(select)


def parse_tags(value: str, known_tags: Iterable[str] = ()) -> list[str]:
    """Comma-separated text → tags: trimmed, inner spaces collapsed, leading ``#`` dropped, empty removed,
    duplicates (ignoring case) removed, order kept. A tag equal to a known tag except for case takes the
    known spelling, so "Nuclear" does not split the analyst's "nuclear" in two.
    """
    canonical = {tag.casefold(): tag for tag in known_tags}
    tags: list[str] = []
    seen: set[str] = set()
    for raw in value.split(","):
        tag = " ".join(raw.strip().lstrip("#").split())
        if not tag:
            continue
        key = tag.casefold()
        if key not in seen:
            seen.add(key)
            tags.append(canonical.get(key, tag))
    return tags


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


# --------------------------------------------------------------------------- the frame
class DialogScreen(ModalScreen[ResultType]):
    """The shared frame: title, optional context line, body, hint; ``escape`` cancels, ``ctrl+s`` saves.

    Subclasses yield their widgets from :meth:`compose_body`, return the saved value from :meth:`result`
    and list the keys for the hint line in ``HINT``.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel", tooltip="Close without saving"),
        Binding("ctrl+s", "save", "Save", id="dialog.save", tooltip="Save and close"),
    ]

    DEFAULT_CSS = """
    DialogScreen {
        align: center middle;
        background: $background 60%;
        & > #dialog {
            width: 72;
            max-width: 95%;
            height: auto;
            max-height: 90%;
            padding: 1 2;
            border: thick $primary 70%;
            background: $surface;
        }
        & .dialog--title {
            text-style: bold;
            width: 1fr;
            margin-bottom: 1;
        }
        & .dialog--context {
            color: $text-muted;
            text-style: italic;
            width: 1fr;
            max-height: 4;
            margin-bottom: 1;
            text-overflow: ellipsis;
        }
        & .dialog--hint {
            color: $text-muted;
            width: 1fr;
            margin-top: 1;
        }
    }
    """

    HINT: ClassVar[list[tuple[str | None, str, str]]] = [
        ("dialog.save", "ctrl+s", "save"),
        ("dialog.cancel", "esc", "cancel"),
    ]
    """(binding id or None, key shown if the binding is not active, what it does), for the hint line."""

    def __init__(self, title: str, *, context: str = "") -> None:
        super().__init__()
        self._heading = title
        self._context_text = context

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Content(excerpt(self._heading, 200)), classes="dialog--title", markup=False)
            if self._context_text.strip():
                # a passage (one line, cut), or lines the caller laid out ("marked: ‹…›\nthis: ‹…›")
                context = self._context_text
                quoted = context if "\n" in context else passage_preview(context, 400)
                yield Static(Content(quoted), classes="dialog--context", markup=False)
            yield from self.compose_body()
            yield Static(Content(""), classes="dialog--hint", markup=False)

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        # Subclasses' on_mount run too (Textual calls the handler of every class in the MRO): no super().
        self.call_after_refresh(self._update_hint)

    def _update_hint(self) -> None:
        parts: list[str | tuple[str, str]] = []
        for binding_id, fallback, what in self.HINT:
            if parts:
                parts.append("  ·  ")
            parts += [(self._key_for(binding_id, fallback), "bold"), f" {what}"]
        self.query_one(".dialog--hint", Static).update(Content.assemble(*parts))

    def _key_for(self, binding_id: str | None, fallback: str) -> str:
        """The key currently bound to `binding_id` (so remaps show), or `fallback`."""
        if binding_id is None:
            return fallback
        keys = [
            self.app.get_key_display(active.binding)
            for active in self.active_bindings.values()
            if active.binding.id == binding_id
        ]
        return "/".join(dict.fromkeys(keys)) or fallback

    def result(self) -> ResultType:
        """The value ``ctrl+s`` saves."""
        raise NotImplementedError

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        self.dismiss(self.result())


# --------------------------------------------------------------------------- dialogs
class NoteDialog(DialogScreen[str | None]):
    """Edit an annotation's note: a soft-wrapping ``TextArea`` where ``Enter`` is a newline.

    Returns the note text ("" clears it) on ``ctrl+s``, None on ``Esc``.
    """

    DEFAULT_CSS = """
    NoteDialog #note-text {
        height: 10;
        min-height: 4;
    }
    """

    HINT: ClassVar[list[tuple[str | None, str, str]]] = [
        (None, "enter", "new line"),
        *DialogScreen.HINT,
    ]

    def __init__(self, initial: str, *, title: str = "Note", context: str = "") -> None:
        super().__init__(title, context=context)
        self._initial = safe_text(initial, multiline=True)

    def compose_body(self) -> ComposeResult:
        yield TextArea(
            self._initial,
            id="note-text",
            soft_wrap=True,
            show_line_numbers=False,
            tab_behavior="focus",
        )

    def on_mount(self) -> None:
        area = self.query_one("#note-text", TextArea)
        if self.app.size.height < 30:
            # At 80×24 a ten-line editor fills the screen; the passage and the hints must stay in sight.
            area.styles.height = 4
        area.focus()
        area.move_cursor(area.document.end)

    def result(self) -> str:
        return self.query_one("#note-text", TextArea).text


class TagsDialog(DialogScreen[list[str] | None]):
    """Edit an annotation's tags as comma-separated text, completing each tag from the known ones.

    ``right`` or ``tab`` accept the grey completion; ``Enter`` or ``ctrl+s`` save. Returns the tags
    (see :func:`parse_tags`) or None on ``Esc``.
    """

    HINT: ClassVar[list[tuple[str | None, str, str]]] = [
        (None, "→/tab", "complete"),
        (None, "enter", "save"),
        ("dialog.cancel", "esc", "cancel"),
    ]

    def __init__(
        self, initial: list[str], known_tags: list[str], *, title: str = "Tags", context: str = ""
    ) -> None:
        super().__init__(title, context=context)
        self._initial = [safe_text(tag) for tag in initial]
        self._known = [safe_text(tag) for tag in known_tags]

    def compose_body(self) -> ComposeResult:
        value = ", ".join(self._initial)
        yield CompletingInput(
            value + ", " if value else "",
            placeholder="comma, separated, tags",
            suggester=TagSuggester(self._known),
            id="tags-input",
            select_on_focus=False,
        )

    def on_mount(self) -> None:
        self.query_one("#tags-input", Input).focus()

    def result(self) -> list[str]:
        return parse_tags(self.query_one("#tags-input", Input).value, self._known)

    @on(Input.Submitted, "#tags-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()


class SpeakerDialog(DialogScreen[str | None]):
    """Set who said it: an input with completion, and below it up to eight matching known speakers.

    ``right``/``tab`` accept the completion, ``down`` moves into the list, ``Enter`` on a list entry
    picks it, ``Enter`` in the input saves what was typed. Returns the speaker ("" removes it; a name
    equal to a known one except for case takes the known spelling) or None on ``Esc``.
    """

    DEFAULT_CSS = """
    SpeakerDialog #speaker-matches {
        height: auto;
        max-height: 10;
        margin-top: 1;
        border: none;
        padding: 0;
        background: $surface;
        &:focus { background-tint: $foreground 5%; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "to_matches", "Matches", show=False, id="dialog.speaker.matches"),
    ]

    HINT: ClassVar[list[tuple[str | None, str, str]]] = [
        (None, "→/tab", "complete"),
        (None, "↓", "known speakers"),
        (None, "enter", "save"),
        ("dialog.cancel", "esc", "cancel"),
    ]

    def __init__(
        self,
        initial: str | None,
        known_speakers: list[str],
        *,
        title: str = "Speaker",
        context: str = "",
    ) -> None:
        super().__init__(title, context=context)
        self._initial = safe_text(initial or "")
        self._suggester = SpeakerSuggester(safe_text(s) for s in known_speakers)
        self._canonical = {s.casefold(): s for s in self._suggester.matches("")}
        self._shown: list[str] = []

    def compose_body(self) -> ComposeResult:
        yield CompletingInput(
            self._initial,
            placeholder="Who said it? (empty: no speaker)",
            suggester=self._suggester,
            id="speaker-input",
            select_on_focus=False,
        )
        yield OptionList(id="speaker-matches")

    def on_mount(self) -> None:
        self._show_matches(self._initial)
        self.query_one("#speaker-input", Input).focus()

    def _show_matches(self, value: str) -> None:
        matches = self._suggester.matches(value, SPEAKER_LIST_SIZE)
        if matches == self._shown:
            return
        self._shown = matches
        options = self.query_one("#speaker-matches", OptionList)
        options.clear_options()
        options.add_options(Option(Content(name)) for name in matches)
        options.display = bool(matches)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "to_matches":
            focused = self.focused
            return focused is not None and focused.id == "speaker-input" and bool(self._shown)
        return True

    def action_to_matches(self) -> None:
        options = self.query_one("#speaker-matches", OptionList)
        options.focus()
        options.highlighted = 0

    @on(Input.Changed, "#speaker-input")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self._show_matches(event.value)

    @on(Input.Submitted, "#speaker-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(OptionList.OptionSelected, "#speaker-matches")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._shown[event.option_index])

    def on_key(self, event: events.Key) -> None:
        # ``up`` on the first match goes back to the input, so the list is not a trap.
        options = self.query_one("#speaker-matches", OptionList)
        if event.key == "up" and options.has_focus and options.highlighted in (None, 0):
            event.stop()
            event.prevent_default()
            self.query_one("#speaker-input", Input).focus()

    def result(self) -> str:
        typed = " ".join(self.query_one("#speaker-input", Input).value.split())
        return self._canonical.get(typed.casefold(), typed)


class PromptDialog(DialogScreen[str | None]):
    """A one-line question ("Find in article", "Import path"): the text as typed, or None on ``Esc``."""

    HINT: ClassVar[list[tuple[str | None, str, str]]] = [
        (None, "enter", "ok"),
        ("dialog.cancel", "esc", "cancel"),
    ]

    def __init__(self, title: str, placeholder: str = "", initial: str = "", *, context: str = "") -> None:
        super().__init__(title, context=context)
        self._placeholder = safe_text(placeholder)
        self._initial = safe_text(initial)

    def compose_body(self) -> ComposeResult:
        yield Input(self._initial, placeholder=self._placeholder, id="prompt-input", select_on_focus=False)

    def on_mount(self) -> None:
        self.query_one("#prompt-input", Input).focus()

    def result(self) -> str:
        return self.query_one("#prompt-input", Input).value

    @on(Input.Submitted, "#prompt-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()


class ConfirmDialog(DialogScreen[bool]):
    """A yes/no question: ``y`` or the Yes button → True; ``n``, ``Esc`` or No → False.

    The question may quote untrusted text (an article title); it is shown as plain ``Content``.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", show=False, id="dialog.yes"),
        Binding("n", "answer(False)", "No", show=False, id="dialog.no"),
    ]

    DEFAULT_CSS = """
    ConfirmDialog {
        & > #dialog { width: 60; }
        & #confirm-buttons {
            height: auto;
            align-horizontal: right;
            & > Button { margin-left: 2; min-width: 10; }
        }
    }
    """

    HINT: ClassVar[list[tuple[str | None, str, str]]] = [
        ("dialog.yes", "y", "yes"),
        ("dialog.no", "n", "no"),
        ("dialog.cancel", "esc", "cancel"),
    ]

    def __init__(self, question: str, *, yes: str = "Yes", no: str = "No", default: bool = True) -> None:
        super().__init__(question)
        self._yes, self._no, self._default = yes, no, default

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="confirm-buttons"):
            yield Button(Content(self._yes), id="confirm-yes", variant="primary")
            yield Button(Content(self._no), id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-yes" if self._default else "#confirm-no", Button).focus()

    def result(self) -> bool:
        return True

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    def action_cancel(self) -> None:
        self.dismiss(False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "save"  # nothing to save: ctrl+s does nothing here

    @on(Button.Pressed, "#confirm-yes")
    def _yes_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _no_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(False)

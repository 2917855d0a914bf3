"""The "whose marks" key of the main screen (issue 11): everyone, mine, one person, or compare.

`@` opens a picker listing the library's annotators with how many marks each made (in the open
article and in the whole library); the choice becomes the session's `AnnotatorFilter`, which
the annotations pane and the reader's highlights both follow, and the status line and the
pane's title say what is shown. "Compare" asks for one other annotator and draws their marks
beside one's own in a style of their own, so where the two differ shows on the text.

The rules live in `tui/annotator_filter.py`; this mixin only asks and shows.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from nkreader.services import StoreError
from nkreader.services.annotators import marks_per_annotator
from nkreader.tui.annotation_editing import AnnotationEditing
from nkreader.tui.annotator_filter import AnnotatorFilter, Whose
from nkreader.tui.modal import push_modal
from nkreader.tui.safe import excerpt, safe_text

__all__ = ["COMPARE", "AnnotatorActions", "whose_choices"]

COMPARE = "compare"
"""The picker's value for "compare mine with someone": a second picker asks with whom."""

_KEYS = "123456789"


def _count(here: int, library: int) -> str:
    return f"{here} here · {library} in all"


def whose_choices(
    current: AnnotatorFilter, here: dict[str | None, int], everywhere: dict[str | None, int]
) -> list[tuple[str, str, AnnotatorFilter | str]]:
    """The picker's entries: (key, label, filter or COMPARE). People are the named annotators of
    the library, most marks first; the first nine get the keys 1–9."""
    me = current.me
    choices: list[tuple[str, str, AnnotatorFilter | str]] = [
        ("e", f"everyone ({_count(sum(here.values()), sum(everywhere.values()))})", current.everyone()),
        ("m", f"mine — {me or 'unnamed'} ({_count(here.get(me, 0), everywhere.get(me, 0))})", current.mine()),
    ]
    people = others(me, everywhere)
    for key, person in zip([*_KEYS, *[""] * len(people)], people, strict=False):
        label = f"only {excerpt(person, 30)} ({_count(here.get(person, 0), everywhere.get(person, 0))})"
        choices.append((key, label, current.only(person)))
    if people:
        choices.append(("c", "compare: mine beside another annotator's…", COMPARE))
    return choices


def others(me: str | None, everywhere: dict[str | None, int]) -> list[str]:
    """The named annotators other than `me`, most marks first."""
    named = [p for p in everywhere if p and p != me]
    return sorted(named, key=lambda p: (-everywhere[p], p.casefold()))


class AnnotatorActions(AnnotationEditing):
    """Whose marks are shown: the picker, the compare picker, and showing the choice."""

    def action_whose_marks(self) -> None:
        from nkreader.tui.link_dialog import ChoiceDialog

        try:
            everywhere = marks_per_annotator(self.library)
        except StoreError as exc:
            self.notify(safe_text(exc.message), severity="error", markup=False)
            return
        current = self.session.annotator_filter
        here = self.session.by_author()
        choices = whose_choices(current, here, everywhere)
        if len(choices) == 2 and current.shows_all:
            self.notify(
                "Only your marks are in this library: nobody else's to show or compare "
                "(a colleague marks with nkreader --as NAME).",
                markup=False,
            )
            return

        def picked(value: AnnotatorFilter | str | None) -> None:
            if value == COMPARE:
                self._ask_compare(here, everywhere)
            elif isinstance(value, AnnotatorFilter):
                self.show_whose(value)

        push_modal(
            self.app,
            ChoiceDialog("Whose marks to show", choices, current=_same(choices, current)),
            picked,
        )

    def _ask_compare(self, here: dict[str | None, int], everywhere: dict[str | None, int]) -> None:
        from nkreader.tui.link_dialog import ChoiceDialog

        current = self.session.annotator_filter
        people = others(current.me, everywhere)
        choices: list[tuple[str, str, AnnotatorFilter]] = [
            (key, f"{excerpt(p, 30)} ({_count(here.get(p, 0), everywhere.get(p, 0))})", current.compare(p))
            for key, p in zip([*_KEYS, *[""] * len(people)], people, strict=False)
        ]

        def picked(value: AnnotatorFilter | None) -> None:
            if value is not None:
                self.show_whose(value)

        push_modal(
            self.app,
            ChoiceDialog(
                "Compare your marks with…",
                choices,
                current=current if current.whose is Whose.COMPARE else None,
            ),
            picked,
        )

    def compare_annotators(self, first: str, second: str) -> None:
        """Show `first`'s marks as usual and `second`'s beside them (the agreement screen's hook)."""
        current = self.session.annotator_filter
        self.show_whose(current.compare(second, base=first), say=False)

    def reveal(self, uuid: str | None) -> None:
        """Before jumping to the annotation `uuid` (a link, a search hit): show everyone's marks
        if the filter hides it, and say so."""
        annotation = self.session.find(uuid)
        if annotation is not None and not self.session.annotator_filter.admits(annotation):
            self.show_whose(self.session.annotator_filter.everyone(), say=False)
            self.notify("Showing everyone's marks: that one was hidden by the filter.", markup=False)

    def show_own_marks(self) -> None:
        """A mark was just made: if the filter hides one's own marks, show them (beside the one
        person shown, or everyone's) and say so."""
        current = self.session.annotator_filter
        if not current.hides_mine():
            return
        shown = (
            current.compare(current.person)
            if current.whose is Whose.ONLY and current.person
            else current.everyone()
        )
        self.show_whose(shown, say=False)
        self.notify(f"Marks: {shown.label()} (your new mark is shown)", markup=False, timeout=3)

    def show_whose(self, annotator_filter: AnnotatorFilter, *, say: bool = True) -> None:
        """Apply a filter: list, highlights, status line and pane title follow."""
        session = self.session
        session.set_filter(annotator_filter)
        self.show_annotator_title()
        if session.article_id is not None:
            self.annotation_list.set_annotations(session.visible, session.links, empty=self.empty_hint())
            self.reader.set_highlights(self.all_highlights())
            if session.current_uuid is not None:
                self.annotation_list.select_uuid(session.current_uuid)
        self.update_status()
        if say:
            if annotator_filter.whose is Whose.COMPARE:
                text = f"{excerpt(annotator_filter.person or '', 20)}'s marks: coloured, underlined"
            else:
                text = f"Marks: {annotator_filter.label()} ({len(session.visible)} of {len(session.annotations)})"
            self.notify(text, markup=False, timeout=4)

    def show_annotator_title(self) -> None:
        label = self.session.annotator_filter.label()
        title = "Annotations" if self.session.annotator_filter.shows_all else f"Annotations · {label}"
        self.query_one("#annotations-title", Static).update(Text(excerpt(title, 60)))

    def empty_hint(self) -> str | None:
        """What the empty annotations pane says when the filter hides every mark (None: the usual)."""
        session = self.session
        if session.annotations and not session.visible:
            return f"No marks by {session.annotator_filter.label()} here.\nPress @ to show everyone's."
        return None

    def all_highlights(self) -> Any:  # provided by SuggestionActions
        raise NotImplementedError


def _same(choices: list[tuple[str, str, Any]], current: AnnotatorFilter) -> AnnotatorFilter | None:
    for _key, _label, value in choices:
        if value == current:
            return value
    return None

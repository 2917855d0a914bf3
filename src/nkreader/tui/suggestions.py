"""Suggestions in the app: shown dim over the article, stepped through, accepted or rejected.

`SuggestionLayer` is the state (which suggestions the open article has, whether they are shown,
which one was visited last) and holds no widget; `SuggestionActions` is the main screen's part:
its keys, the worker that runs the rules off the event loop, and what accept and reject store.
An accepted suggestion becomes an annotation through the same history as a mark made by hand
(`u` undoes it); a rejected one is remembered for the article and not suggested again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual.binding import Binding

from nkreader.domain import AnchorState, Annotation, Kind
from nkreader.text.highlights import Highlight
from nkreader.tui.safe import safe_text

if TYPE_CHECKING:
    from nkreader.services.history import Change
    from nkreader.suggest import Suggestion

__all__ = ["SUGGESTION_BINDINGS", "SuggestionActions", "SuggestionLayer"]

SUGGESTION_BINDINGS = [
    Binding(
        "z",
        "suggestions_toggle",
        "Suggest",
        show=False,  # the footer is full at 80 columns; ? and the palette list it
        id="suggest.toggle",
        tooltip="Show or hide suggested quotes, policy statements and claims (drawn dim)",
    ),
    Binding("plus", "suggestion_next", "Next suggestion", show=False, id="suggest.next"),
    Binding(
        "minus", "suggestion_previous", "Previous suggestion", show=False, id="suggest.previous"
    ),
    Binding(
        "y",
        "suggestion_accept",
        "Accept",
        show=False,
        id="suggest.accept",
        tooltip="Accept the suggestion at the cursor: it becomes an annotation with its speaker (u undoes)",
    ),
    Binding(
        "d",
        "suggestion_reject",
        "Reject",
        show=False,
        id="suggest.reject",
        tooltip="Reject the suggestion at the cursor: not suggested again for this article",
    ),
    Binding(
        "Y",
        "suggestion_accept_kind",
        "Accept all of kind",
        show=False,
        id="suggest.accept_kind",
        tooltip="Accept every suggestion of this kind in the article (quotes, policy statements or claims)",
    ),
]


class SuggestionLayer:
    """The open article's suggestions; shown ones leave out spans already marked with their kind."""

    def __init__(self) -> None:
        self.visible = False
        self.article_id: int | None = None
        self.items: list[Suggestion] = []
        self.loading = False
        self.generation = 0
        self.current: Suggestion | None = None

    def reset(self, article_id: int | None) -> None:
        self.article_id = article_id
        self.items = []
        self.current = None
        self.generation += 1

    def shown(self, annotations: Sequence[Annotation]) -> list[Suggestion]:
        if not self.visible:
            return []
        marked: dict[Kind, list[tuple[int, int]]] = {}
        for a in annotations:
            if a.anchor_state is not AnchorState.ORPHANED:
                marked.setdefault(a.kind, []).append((a.start, a.end))
        return [
            s for s in self.items if not any(x < s.end and s.start < y for x, y in marked.get(s.kind, ()))
        ]

    def at(self, offset: int, annotations: Sequence[Annotation]) -> Suggestion | None:
        """The suggestion to act on: the one last visited if the cursor is in it, else the first
        one holding the cursor."""
        shown = self.shown(annotations)
        current = self.current
        if (
            current is not None
            and current in shown
            and current.start <= offset < max(current.end, current.start + 1)
        ):
            return current
        return next((s for s in shown if s.start <= offset < s.end), None)

    def step(self, offset: int, step: int, annotations: Sequence[Annotation]) -> Suggestion | None:
        shown = self.shown(annotations)
        if not shown:
            return None
        if self.current in shown:
            index = (shown.index(self.current) + step) % len(shown)
        elif step > 0:
            index = next((i for i, s in enumerate(shown) if s.start >= offset), 0)
        else:
            index = next((i for i in range(len(shown) - 1, -1, -1) if shown[i].start < offset), -1)
        self.current = shown[index]
        return self.current

    def drop(self, suggestion: Suggestion) -> None:
        self.items = [s for s in self.items if s is not suggestion]
        if self.current is suggestion:
            self.current = None


class SuggestionActions:
    """Suggestion keys of the main screen (mixed into `MainScreen`, which provides `library`,
    `session`, `article`, `annotations`, `reader`, `history` and `_stored`)."""

    suggestions: SuggestionLayer

    # ------------------------------------------------------------------ loading

    def all_highlights(self: Any) -> list[Highlight]:
        """The open article's marks, then its suggestions when they are shown."""
        marks: list[Highlight] = self.session.highlights()
        return marks + [
            Highlight(s.start, s.end, s.kind, f"suggestion:{i}", suggested=True)
            for i, s in enumerate(self.suggestions.shown(self.annotations))
        ]

    def suggestions_article_opened(self: Any) -> None:
        """A new article is shown: forget the last one's suggestions, compute these if shown."""
        article_id = self.article.id if self.article is not None else None
        self.suggestions.reset(article_id)
        if self.suggestions.visible and article_id is not None:
            self._compute_suggestions()

    def _compute_suggestions(self: Any) -> None:
        layer: SuggestionLayer = self.suggestions
        layer.loading = True
        generation, article_id = layer.generation, layer.article_id
        library = self.library
        if article_id is None:
            layer.loading = False
            return

        def work() -> None:
            from nkreader.services import StoreError
            from nkreader.services import suggestions as service

            try:
                found = service.suggestions_for(library, article_id)
            except StoreError as exc:  # reported; the app keeps running
                self.app.call_from_thread(self._suggestions_failed, generation, exc.message)
                return
            self.app.call_from_thread(self._suggestions_ready, generation, found)

        self.run_worker(work, thread=True, group="suggestions", exclusive=True, exit_on_error=False)

    def _suggestions_ready(self: Any, generation: int, found: list[Suggestion]) -> None:
        layer: SuggestionLayer = self.suggestions
        if generation != layer.generation:
            return  # another article was opened meanwhile
        layer.loading = False
        layer.items = found
        self.reader.set_highlights(self.all_highlights())
        shown = layer.shown(self.annotations)
        counts = {kind: sum(1 for s in shown if s.kind is kind) for kind in Kind}
        summary = ", ".join(
            f"{n} {kind.plural.lower() if n != 1 else kind.label.lower()}" for kind, n in counts.items() if n
        )
        self.notify(
            f"{summary or 'No suggestions'}. + next, - previous, y accept, d reject, Y accept all of a kind.",
            title="Suggestions",
            markup=False,
            timeout=4,
        )
        self.update_status()

    def _suggestions_failed(self: Any, generation: int, reason: str) -> None:
        if generation == self.suggestions.generation:
            self.suggestions.loading = False
            self.notify(safe_text(f"Suggestions failed: {reason}"), severity="error", markup=False)

    # ------------------------------------------------------------------ keys

    def action_suggestions_toggle(self: Any) -> None:
        layer: SuggestionLayer = self.suggestions
        if self.article is None:
            self.app.bell()
            return
        layer.visible = not layer.visible
        if layer.visible and (layer.article_id != self.article.id or not layer.items):
            layer.reset(self.article.id)
            self._compute_suggestions()
        elif not layer.visible:
            self.notify("Suggestions hidden.", markup=False, timeout=2)
        self.reader.set_highlights(self.all_highlights())
        self.update_status()

    def action_suggestion_next(self: Any) -> None:
        self._visit_suggestion(1)

    def action_suggestion_previous(self: Any) -> None:
        self._visit_suggestion(-1)

    def _visit_suggestion(self: Any, step: int) -> None:
        if not self._suggestions_ready_for_keys():
            return
        found = self.suggestions.step(self.reader.cursor, step, self.annotations)
        if found is None:
            self.app.bell()
            self.notify("No suggestions left in this article.", markup=False, timeout=2)
            return
        self.reader.move_to(found.start)  # scrolled to its start, then selected to its end
        self.reader.select_span(found.start, found.end)
        self.reader.focus()
        shown = self.suggestions.shown(self.annotations)
        speaker = f" · {found.speaker_to_store}" if found.speaker_to_store else ""
        self.app.clear_notifications()  # one explanation at a time while stepping
        self.notify(
            f"{found.kind.label}{speaker} ({found.score:.2f}, {found.rule}): {found.reason}",
            title=f"Suggestion {shown.index(found) + 1} of {len(shown)}",
            markup=False,
            timeout=6,
        )

    def _suggestions_ready_for_keys(self: Any) -> bool:
        layer: SuggestionLayer = self.suggestions
        if self.article is None:
            self.app.bell()
            return False
        if not layer.visible:
            self.notify("Suggestions are hidden: z shows them.", markup=False, timeout=2)
            return False
        if layer.loading:
            self.notify("Still looking for suggestions…", markup=False, timeout=2)
            return False
        return True

    def _suggestion_here(self: Any) -> Suggestion | None:
        if not self._suggestions_ready_for_keys():
            return None
        selection = self.reader.selection
        offset = selection[0] if selection is not None else self.reader.cursor
        found = self.suggestions.at(offset, self.annotations)
        if found is None:
            self.app.bell()
            self.notify("No suggestion at the cursor: + goes to the next one.", markup=False, timeout=2)
        return found

    def action_suggestion_accept(self: Any) -> None:
        found = self._suggestion_here()
        if found is not None and self._accept(found) is not None:
            self.notify(
                f"{found.kind.label}"
                + (f" by {found.speaker_to_store}" if found.speaker_to_store else "")
                + " accepted (u undoes).",
                markup=False,
                timeout=3,
            )

    def action_suggestion_accept_kind(self: Any) -> None:
        found = self._suggestion_here()
        if found is None:
            return
        kind = found.kind
        todo = [s for s in self.suggestions.shown(self.annotations) if s.kind is kind]
        made: list[Annotation] = []
        for suggestion in todo:
            created = self._accept(suggestion, record=False)
            if created is None:
                break  # the reason is shown; what was stored so far stays one undo step
            made.append(created)
        noun = kind.plural.lower() if len(made) != 1 else kind.label.lower()
        self.history.created_together(made, f"accept {len(made)} suggested {noun}")
        self.notify(
            f"Accepted {len(made)} {noun} (u undoes them together).",
            markup=False,
            timeout=4,
        )

    def _accept(self: Any, suggestion: Suggestion, *, record: bool = True) -> Annotation | None:
        from nkreader.services import StoreError
        from nkreader.services import suggestions as service
        from nkreader.services.library import InvalidSpan

        try:
            created = service.accept(self.library, self.article.id, suggestion)
        except (StoreError, InvalidSpan) as exc:
            self.notify(safe_text(str(exc)), severity="error", markup=False)
            return None
        if record:
            self.history.created(created, f"accept suggested {suggestion.kind.label.lower()}")
        if self.suggestions.current is suggestion:
            self.suggestions.current = None
        self.reader.clear_selection()
        self.session.apply_stored(created)
        self._stored(created)
        return created

    def action_suggestion_reject(self: Any) -> None:
        from nkreader.services import StoreError
        from nkreader.services import suggestions as service

        found = self._suggestion_here()
        if found is None:
            return
        try:
            service.reject(self.library, self.article.id, found)
        except StoreError as exc:
            self.notify(safe_text(exc.message), severity="error", markup=False)
            return
        self.history.rejected(self.article.id, found, f"reject suggested {found.kind.label.lower()}")
        self.suggestions.drop(found)
        self.reader.clear_selection()
        self.reader.set_highlights(self.all_highlights())
        self.notify(
            f"{found.kind.label} rejected: not suggested again for this article (u undoes).",
            markup=False,
            timeout=3,
        )
        self.update_status()

    def after_history_step(self: Any, change: Change) -> None:
        """An undone or redone rejection changes what is suggested: look again."""
        from nkreader.services.history import RejectionChange

        layer: SuggestionLayer = self.suggestions
        if isinstance(change, RejectionChange) and layer.visible and self.article is not None:
            layer.reset(self.article.id)
            self._compute_suggestions()
        elif layer.visible:
            self.reader.set_highlights(self.all_highlights())

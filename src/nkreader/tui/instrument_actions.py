"""The analyst's instruments on the main screen (issue 17): a passage's credibility (``C``), an entity
from the selection (``A``), every mention of an entity highlighted (``H``), the article's revisions
(``D``), and the grades and review flags the annotations pane shows.

A mixin of `MainScreen` (tui/main_screen.py), like `SuggestionActions`: it uses the screen's
`library`, `session`, `reader`, `annotation_list` and its showing half (`_stored`, `_require_annotation`).
The entity whose mentions are shown stays chosen from article to article, until ``H`` clears it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from textual.binding import Binding, BindingType
from textual.widgets import Input

from nkreader.analysis import CREDIBILITY, Entity
from nkreader.domain import Annotation, Kind
from nkreader.services import StoreError
from nkreader.services import entities as entity_service
from nkreader.services import revisions as revision_service
from nkreader.services import sources as source_service
from nkreader.text.highlights import Highlight
from nkreader.tui.annotation_editing import AnnotationEditing
from nkreader.tui.instrument_cues import ExtrasCache, RowExtras, extras_for
from nkreader.tui.modal import push_modal
from nkreader.tui.safe import excerpt, safe_text

if TYPE_CHECKING:
    from nkreader.tui.entity_dialogs import EntityChoice

# The dialogs are imported when a key opens one: the first screen needs none of them.

__all__ = ["INSTRUMENT_ACTIONS", "INSTRUMENT_BINDINGS", "InstrumentActions"]

INSTRUMENT_BINDINGS: list[BindingType] = [
    Binding(
        "C",
        "grade_credibility",
        "Credibility",
        show=False,
        id="annotate.credibility",
        tooltip="Grade this quote or claim's credibility: 1 confirmed … 5 improbable, 6 cannot be judged",
        priority=True,
    ),
    Binding(
        "W",
        "review_done",
        "Reviewed",
        show=False,
        id="annotate.reviewed",
        tooltip="The changed words are checked again: the ⚑ review flag goes (was: … stays)",
    ),
    Binding(
        "A",
        "entity_from_selection",
        "Entity",
        show=False,
        id="entity.add",
        tooltip="Make the selected name an entity (person, place, org) or another spelling of one",
        priority=True,
    ),
    Binding(
        "H",
        "entity_mentions",
        "Mentions",
        show=False,
        id="entity.mentions",
        tooltip="Highlight every mention of an entity, in all its spellings (H again clears them)",
        priority=True,
    ),
    Binding(
        "D",
        "revisions",
        "Revisions",
        show=False,
        id="article.revisions",
        tooltip="What updates changed in this article: old words struck, new ones green",
        priority=True,
    ),
]

INSTRUMENT_ACTIONS = frozenset(
    {"grade_credibility", "review_done", "entity_from_selection", "entity_mentions", "revisions"}
)
"""On the open article: not from the library pane, not while typing in the find bar."""


class InstrumentActions(AnnotationEditing):
    """Keys and state of the instruments on the main screen (see the module docstring)."""

    mention_entity: Entity | None = None
    """The entity whose mentions are highlighted, if any."""
    _mention_cache: tuple[tuple[object, ...], list[Highlight]] | None = None
    """((entity id, its spellings, article id, body length), the mentions) of the last computation."""
    _extras_cache: ExtrasCache | None = None
    """The annotations pane's grades and wording changes, kept until the store changes."""

    # ------------------------------------------------------------------ rows and highlights

    def row_extras(self, annotations: list[Annotation]) -> Mapping[str, RowExtras]:
        """The grades and wording changes the annotations pane shows (its `row_extras` provider),
        kept until the store changes (`ExtrasCache`, issue 14)."""
        if self._extras_cache is None:
            self._extras_cache = ExtrasCache(self.library)
        return self._extras_cache(annotations)

    def note_own_mark(self, before: int | None, made: Annotation) -> None:
        """`made` was just marked, at change token `before`: the other rows' extras still hold."""
        if self._extras_cache is not None:
            self._extras_cache.own_mark(before, made)

    def all_highlights(self) -> list[Highlight]:
        """The screen's highlights, then the mentions of the chosen entity (drawn in their own style).
        The same `Highlight` objects while the entity and the text stay, so the reader (which diffs
        highlights by identity) redraws nothing for them."""
        found: list[Highlight] = cast(Any, super()).all_highlights()
        return found + self._mention_highlights()

    def mention_spans(self) -> list[tuple[int, int]]:
        return [(h.start, h.end) for h in self._mention_highlights()]

    def _mention_highlights(self) -> list[Highlight]:
        entity, article = self.mention_entity, self.session.article
        if entity is None or article is None:
            return []
        key = (entity.id, tuple(entity.variants), article.id or 0, len(article.body))
        cached = self._mention_cache
        if cached is None or cached[0] != key:
            spans = entity_service.mentions(article.body, entity)
            highlights = [
                Highlight(start, end, Kind.CLAIM, f"mention:{i}", mention=True)
                for i, (start, end) in enumerate(spans)
            ]
            cached = (key, highlights)
            self._mention_cache = cached
        return cached[1]

    def _show_mentions(self) -> None:
        self.reader.set_highlights(self.all_highlights())

    # ------------------------------------------------------------------ credibility

    def action_grade_credibility(self) -> None:
        from nkreader.tui.entity_dialogs import CLEAR_GRADE, CredibilityDialog

        annotation = self._require_annotation()
        if annotation is None:
            return
        if annotation.kind is Kind.POLICY:
            self.app.bell()
            self.notify(
                "Credibility grades quotes and claims, not policy statements.",
                severity="warning",
                markup=False,
            )
            return
        try:
            current = source_service.grades_for(self.library, [annotation.uuid]).credibility.get(
                annotation.uuid
            )
        except StoreError as exc:
            self.notify(safe_text(exc.message), severity="error", markup=False)
            return

        def save(grade: int | None) -> None:
            if grade is None or grade == (current or CLEAR_GRADE):
                return
            value = None if grade == CLEAR_GRADE else grade
            try:
                source_service.set_credibility(self.library, annotation.uuid, value)
            except (StoreError, source_service.SourceError) as exc:
                self.notify(safe_text(str(exc)), severity="error", markup=False)
                return
            self.session.history.graded(annotation, current, value, "set credibility")
            self._stored(annotation)
            words = f"{value} ({CREDIBILITY[value]})" if value else "no grade"
            self.notify(f"Credibility: {words} (u undoes).", markup=False, timeout=3)

        push_modal(self.app, CredibilityDialog(current, context=annotation.exact), save)

    def action_review_done(self) -> None:
        annotation = self._require_annotation()
        if annotation is None:
            return
        extras = extras_for(self.library, [annotation]).get(annotation.uuid)
        if extras is None or not extras.needs_review:
            self.app.bell()
            self.notify(
                "Nothing to review here: no update changed these words after the status was set.",
                severity="warning",
                markup=False,
            )
            return
        try:
            revision_service.clear_review(self.library, annotation.uuid)
        except StoreError as exc:
            self.notify(safe_text(exc.message), severity="error", markup=False)
            return
        self.session.history.reviewed(annotation, "clear the review flag")
        self._stored(annotation)
        self.notify("Reviewed: the flag is gone; the old words stay (was: …; u undoes).", markup=False, timeout=3)

    # ------------------------------------------------------------------ entities

    def action_entity_from_selection(self) -> None:
        from nkreader.tui.entity_dialogs import EntityDialog

        if not self.ensure_text_current():
            return
        selection = self.reader.selection
        if selection is None:
            self.app.bell()
            self.notify(
                "Select the name first (v and a motion, or s), then press A.",
                severity="warning",
                markup=False,
            )
            return
        spelling = " ".join(self.session.body[selection[0] : selection[1]].split())
        if len(spelling) > 120:
            self.app.bell()
            self.notify("That is a passage, not a name: select just the name.", severity="warning")
            return
        try:
            known = entity_service.entities(self.library)
        except StoreError as exc:
            self.notify(safe_text(exc.message), severity="error", markup=False)
            return
        existing = entity_service.find(self.library, spelling)
        if existing is not None:
            self.reader.clear_selection()
            self.notify(
                safe_text(f"“{spelling}” is already a spelling of {existing.name} ({existing.kind.value})."),
                markup=False,
                timeout=4,
            )
            return

        def save(choice: EntityChoice | None) -> None:
            if choice is not None:
                self._store_entity(choice)

        push_modal(self.app, EntityDialog(spelling, known, context=spelling), save)

    def _store_entity(self, choice: EntityChoice) -> None:
        try:
            if choice.existing is not None:
                entity, added = entity_service.add_variants(self.library, choice.existing, [choice.name])
                message = (
                    f"“{choice.name}” is now a spelling of {entity.name}: {' · '.join(entity.variants)}."
                    if added
                    else f"{entity.name} already has the spelling “{choice.name}”."
                )
            else:
                entity = entity_service.add(self.library, choice.name, choice.kind)
                message = f"New {entity.kind.value}: {entity.name}. H highlights its mentions."
        except (StoreError, entity_service.EntityError) as exc:
            self.notify(safe_text(str(exc)), severity="error", markup=False)
            return
        self.reader.clear_selection()
        if self.mention_entity is not None and self.mention_entity.id == entity.id:
            self.mention_entity = entity
            self._show_mentions()
        self.notify(safe_text(message), markup=False, timeout=4)

    def action_entity_mentions(self) -> None:
        from nkreader.tui.entity_dialogs import EntityPickDialog

        if self.mention_entity is not None:
            name = self.mention_entity.name
            self.mention_entity = None
            self._show_mentions()
            self.notify(safe_text(f"Mentions of {name} no longer highlighted."), markup=False, timeout=2)
            return
        try:
            known = entity_service.entities(self.library)
        except StoreError as exc:
            self.notify(safe_text(exc.message), severity="error", markup=False)
            return
        if not known:
            self.app.bell()
            self.notify(
                "No entities yet: select a name and press A (or: nkreader entity add NAME).",
                severity="warning",
                markup=False,
            )
            return

        def show(entity: Entity | None) -> None:
            if entity is not None:
                self.highlight_mentions(entity)

        push_modal(self.app, EntityPickDialog(known), show)

    def highlight_mentions(self, entity: Entity) -> None:
        """Highlight `entity`'s mentions here (and in every article opened next) and go to the first
        one after the cursor."""
        self.mention_entity = entity
        spans = self.mention_spans()
        self._show_mentions()
        name = safe_text(entity.name)
        if not spans:
            self.notify(f"{name}: no mention in this article (H clears).", markup=False, timeout=4)
            return
        cursor = self.reader.cursor
        target = next((s for s, _e in spans if s > cursor), spans[0][0])
        self.reader.clear_selection()
        self.reader.move_to(target)
        spellings = sorted({" ".join(self.session.body[s:e].split()) for s, e in spans})
        plural = "s" if len(spans) != 1 else ""
        self.notify(
            f"{name}: {len(spans)} mention{plural} ({excerpt(' · '.join(spellings), 60)}). H clears.",
            markup=False,
            timeout=4,
        )

    # ------------------------------------------------------------------ revisions

    def action_revisions(self) -> None:
        from nkreader.tui.revision_screen import RevisionScreen

        article = self.session.article
        if article is None or article.id is None:
            return
        self.app.push_screen(RevisionScreen(self.library, article.id))

    # ------------------------------------------------------------------ when the keys act

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in INSTRUMENT_ACTIONS:
            if self.reader.waiting_for_char:
                return False  # `fH`: the H is the character to find
            if action == "entity_mentions" and self.mention_entity is not None:
                return not isinstance(self.focused, Input)  # clearing needs no open article
            return (
                self.session.article is not None
                and self.focused_pane() != "library"
                and not isinstance(self.focused, Input)
            )
        return super().check_action(action, parameters)

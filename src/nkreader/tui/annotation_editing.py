"""The edit keys of the main screen: note, tags, speaker, delete, re-attach, status, links, undo.

Each action asks the screen which annotation it acts on, asks the user (a dialog) what to
change, has the `ArticleSession` store the change, and shows the result. `MainScreen`
(tui/main_screen.py) inherits these and provides the showing half declared at the top.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from nkreader.domain import Annotation, Kind, LinkType, LinkView, Status
from nkreader.services import StoreError
from nkreader.services.history import Change
from nkreader.services.library import InvalidSpan, Library
from nkreader.services.links import LinkError
from nkreader.services.speakers import completions as speaker_completions
from nkreader.tui.cues import passage_preview
from nkreader.tui.modal import push_modal
from nkreader.tui.panes import PaneScreen
from nkreader.tui.safe import excerpt, safe_text
from nkreader.tui.session import ArticleSession

if TYPE_CHECKING:
    from nkreader.tui.agreement_view import AgreementPlace

__all__ = ["AnnotationEditing"]


class AnnotationEditing(PaneScreen):
    """The annotation use cases that talk to the user; the screen below shows their results."""

    library: Library
    session: ArticleSession
    agreement_place: AgreementPlace | None = None
    """Where the agreement screen was left (scope, disagreement), to come back to it."""

    # ------------------------------------------------------------------ provided by MainScreen

    def current_annotation(self) -> Annotation | None:
        raise NotImplementedError

    def ensure_text_current(self) -> bool:
        raise NotImplementedError

    def update_status(self) -> None:
        raise NotImplementedError

    def open_article(self, article_id: int, *, cursor: int | None = None) -> None:
        raise NotImplementedError

    def show_annotation(self, article_id: int, uuid: str | None, *, cursor: int | None = None) -> None:
        raise NotImplementedError

    def compare_annotators(self, first: str, second: str) -> None:
        raise NotImplementedError

    def _stored(self, annotation: Annotation, *, gone: bool = False) -> None:
        raise NotImplementedError

    def empty_hint(self) -> str | None:  # AnnotatorActions: the hint when the filter hides every mark
        raise NotImplementedError

    def _jump(self, annotation: Annotation) -> None:
        raise NotImplementedError

    def _load_links(self) -> None:
        raise NotImplementedError

    def _reload_annotations(self, select: str | None = None) -> None:
        raise NotImplementedError

    # ------------------------------------------------------------------ helpers

    def _require_annotation(self) -> Annotation | None:
        if not self.ensure_text_current():
            return None
        annotation = self.current_annotation()
        if annotation is None:
            self.app.bell()
            self.notify("No annotation here: press n to jump to the next one.", severity="warning")
        return annotation

    def _store_edit(self, before: Annotation, label: str, **changes: object) -> None:
        """Store an edit made in a dialog over the annotation as the dialog showed it."""
        try:
            outcome = self.session.edit(before, label, **changes)
        except (StoreError, ValueError) as exc:
            self.notify(safe_text(str(exc)), severity="error", markup=False)
            self._reload_annotations()
            return
        self._stored(outcome.annotation)
        if outcome.message:
            # Another window changed it while the dialog was open: both changes are kept, or the
            # message names what could not be.
            if outcome.lost:
                self.notify(safe_text(outcome.message), severity="warning", markup=False, timeout=8)
            else:
                self.notify(safe_text(outcome.message), markup=False, timeout=8)

    # ------------------------------------------------------------------ fields

    def action_edit_note(self) -> None:
        from nkreader.tui.dialogs import NoteDialog

        annotation = self._require_annotation()
        if annotation is None:
            return

        def save(note: str | None) -> None:
            if note is not None and note != annotation.note:
                self._store_edit(annotation, "edit note", note=note)

        push_modal(self.app, NoteDialog(annotation.note, context=annotation.exact), save)

    def action_edit_tags(self) -> None:
        from nkreader.tui.dialogs import TagsDialog

        annotation = self._require_annotation()
        if annotation is None:
            return

        def save(tags: list[str] | None) -> None:
            if tags is not None and tags != annotation.tags:
                self._store_edit(annotation, "edit tags", tags=tags)

        try:
            known = self.library.known_tags()
        except StoreError:  # completion is a help, not a reason to refuse the edit
            known = []
        push_modal(self.app, TagsDialog(annotation.tags, known, context=annotation.exact), save)

    def action_edit_speaker(self, uuid: str | None = None) -> None:
        """Ask who said the current annotation (or the one with `uuid`, just marked with ``Q``)."""
        from nkreader.tui.dialogs import SpeakerDialog

        annotation = self.session.find(uuid) if uuid else self._require_annotation()
        if annotation is None:
            return

        def save(speaker: str | None) -> None:
            if speaker is None:
                return
            speaker = speaker.strip() or None
            if speaker != annotation.speaker:
                self._store_edit(annotation, "set speaker", speaker=speaker)

        push_modal(
            self.app,
            SpeakerDialog(annotation.speaker, self._speaker_completions(), context=annotation.exact),
            save,
        )

    def _speaker_completions(self) -> list[str]:
        """Speakers to complete from: canonical names with their aliases ("김정은" finds Kim Jong Un's)."""
        try:
            return speaker_completions(self.library)
        except StoreError:
            return self.library.known_speakers()

    def action_delete(self) -> None:
        if self.annotation_list.has_focus and self.annotation_list.highlighted_link is not None:
            self._unlink(self.annotation_list.highlighted_link)
            return
        annotation = self._require_annotation()
        if annotation is None:
            return
        try:
            gone = self.session.delete(annotation)
        except StoreError as exc:
            self.notify(safe_text(exc.message), severity="error", markup=False)
            return
        self._stored(gone, gone=True)
        self.notify(f"Deleted {gone.kind.label.lower()} (u undoes).", markup=False, timeout=3)

    def action_reattach(self) -> None:
        """Move the annotation last chosen (in the list, or with n/N) onto the selection."""
        if not self.ensure_text_current():
            return
        chosen = self.session.find(self.session.chosen_uuid)
        selection = self.reader.selection
        if chosen is None or selection is None:
            self.app.bell()
            self.notify(
                "Choose the annotation in the list (or with n), select its new text, then press R.",
                severity="warning",
                markup=False,
            )
            return
        try:
            after = self.session.reattach(chosen, *selection)
        except (StoreError, InvalidSpan) as exc:
            self.notify(safe_text(str(exc)), severity="error", markup=False)
            return
        self.reader.clear_selection()
        self._stored(after)
        self.notify(f"Re-attached: {excerpt(after.exact, 60)}", markup=False, timeout=3)

    # ------------------------------------------------------------------ claim register: status and links

    def action_set_status(self) -> None:
        from nkreader.tui.link_dialog import StatusDialog

        annotation = self._require_annotation()
        if annotation is None:
            return
        if annotation.kind is not Kind.CLAIM:
            self.app.bell()
            self.notify(
                f"Only claims have a status; this is a {annotation.kind.label.lower()}.",
                severity="warning",
                markup=False,
            )
            return

        def save(status: Status | None) -> None:
            if status is not None and status is not annotation.status:
                self._store_status(annotation, status)

        push_modal(self.app, StatusDialog(annotation.status, context=annotation.exact), save)

    def _store_status(self, before: Annotation, status: Status) -> None:
        try:
            after = self.session.set_status(before, status)
        except (StoreError, ValueError) as exc:
            self.notify(safe_text(str(exc)), severity="error", markup=False)
            return
        self._stored(after)
        self.notify(f"Status: {status.value} (u undoes).", markup=False, timeout=3)

    def action_mark_link_source(self) -> None:
        annotation = self._require_annotation()
        if annotation is None:
            return
        self.session.link_source = annotation
        self.update_status()
        self.notify(
            f"Marked for a link: {passage_preview(annotation.exact, 50)}\nGo to another annotation and press L.",
            markup=False,
            timeout=4,
        )

    def action_link(self) -> None:
        from nkreader.tui.link_dialog import LinkTypeDialog

        source = self.session.link_source
        if source is None:
            self.app.bell()
            self.notify("First mark an annotation with m, then press L on another.", severity="warning")
            return
        target = self._require_annotation()
        if target is None:
            return
        if target.uuid == source.uuid:
            self.app.bell()
            self.notify("This is the marked annotation: go to another one to link it.", severity="warning")
            return

        def save(kind: LinkType | None) -> None:
            if kind is None:
                return
            try:
                made = self.session.link(source, target, kind)
            except (StoreError, LinkError) as exc:
                self.notify(safe_text(str(exc)), severity="error", markup=False)
                return
            self._refresh_links(select=target.uuid)
            self.notify(f"Linked: marked annotation {made.type.value} this one.", markup=False, timeout=3)

        context = (
            f"marked: {passage_preview(source.exact, 120)}\nthis:   {passage_preview(target.exact, 120)}"
        )
        push_modal(self.app, LinkTypeDialog(context=context), save)

    def _refresh_links(self, select: str | None = None) -> None:
        if select is not None:
            self.session.choose(self.session.find(select))
            self.annotation_list.select_uuid(select)
        self._load_links()

    def _unlink(self, view: LinkView) -> None:
        # No question asked: like deleting an annotation, removing a link is undone with u.
        try:
            self.session.unlink(view)
        except (StoreError, LinkError) as exc:
            self.notify(safe_text(str(exc)), severity="error", markup=False)
            return
        self._refresh_links(select=self.annotation_list.highlighted_uuid)
        self.notify(
            f"Removed the link “{view.link.type.value}” with {passage_preview(view.other.exact, 50)} (u undoes).",
            markup=False,
            timeout=4,
        )

    # ------------------------------------------------------------------ library-wide screens, undo

    def action_search(self) -> None:
        from nkreader.domain import SearchHit
        from nkreader.tui.search_screen import SearchScreen

        def go(hit: SearchHit | None) -> None:
            if hit is not None:
                self.show_annotation(hit.article_id, hit.annotation_uuid, cursor=hit.offset)

        push_modal(self.app, SearchScreen(self.library), go)

    def action_browse(self) -> None:
        from nkreader.tui.browser_screen import BrowserScreen

        def go(chosen: tuple[int, str] | None) -> None:
            if chosen is not None:
                article_id, uuid = chosen
                self.show_annotation(article_id, uuid)

        push_modal(self.app, BrowserScreen(self.library), go)

    def action_agreement(self) -> None:
        """The agreement screen, for the open article (or the whole library, as last left);
        Enter there opens a disagreement here, where both annotators' marks are drawn."""
        from nkreader.tui.agreement_screen import AgreementScreen
        from nkreader.tui.agreement_view import AgreementResult, jump_message

        article = self.session.article
        place = self.agreement_place
        keys_of = getattr(self.app, "keys_of", None)
        binding = next((b for b in self.BINDINGS if getattr(b, "id", None) == "app.agreement"), None)
        back = keys_of(binding) if keys_of is not None and binding is not None else "ctrl+t"

        def go(result: AgreementResult | None) -> None:
            if result is None:
                return
            self.agreement_place = result.place
            chosen = result.chosen
            if chosen is None:
                return
            # both annotators' marks drawn, and only theirs: the app's annotator's as usual when one
            # of the two, the other's beside them (the whose-marks filter's compare mode)
            me = self.session.annotator_filter.me
            base, other = chosen.pair if me != chosen.pair[1] else chosen.pair[::-1]
            self.compare_annotators(base, other)
            first = chosen.a or chosen.b
            self.show_annotation(chosen.article_id, first.uuid if first else None, cursor=chosen.start)
            self.notify(jump_message(chosen, back), markup=False, timeout=8)

        screen = AgreementScreen(
            self.library, article.id if article else None, article.title if article else "", place=place
        )
        push_modal(self.app, screen, go)

    def action_undo(self) -> None:
        self._step(self.session.undo, "Undid", "Nothing to undo.")

    def action_redo(self) -> None:
        self._step(self.session.redo, "Redid", "Nothing to redo.")

    def after_history_step(self, change: Change) -> None:
        """Called after an undo or redo has been shown (the suggestions layer refreshes here)."""

    def _step(self, step: Callable[[], Change | None], verb: str, nothing: str) -> None:
        if self.session.article_id is not None and not self.ensure_text_current():
            return
        try:
            change = step()
        except StoreError as exc:
            self.notify(safe_text(exc.message), severity="error", markup=False)
            return
        if change is None:
            self.app.bell()
            self.notify(nothing, markup=False, timeout=2)
            return
        if self.session.article_id != change.article_id:
            self.open_article(change.article_id)
        self._reload_annotations()
        uuid = change.annotation_uuid
        current = self.session.find(uuid) if uuid is not None else None
        if current is not None:
            self._jump(current)
        self.after_history_step(change)
        detail = self.session.step_message
        if detail:
            self.notify(
                f"{verb} {change.label}; {safe_text(detail)}.", severity="warning", markup=False, timeout=6
            )
        else:
            self.notify(f"{verb} {change.label}.", markup=False, timeout=2)

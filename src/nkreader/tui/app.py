"""The Textual application: themes, keymap, help, command palette, import and export.

`create_app` is the one factory: the CLI and the tests build the app the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ScreenStackError, SystemCommand
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.css.query import NoMatches
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.screen import Screen

from nkreader.services import StoreError
from nkreader.services.library import Library
from nkreader.tui import binding_owners
from nkreader.tui.help_sections import MORE, SECTIONS, section_of
from nkreader.tui.key_order import OrderedKeys
from nkreader.tui.keymap import config_path, load_keymap, unknown_ids
from nkreader.tui.main_screen import MainScreen
from nkreader.tui.modal import ModalKeyHold
from nkreader.tui.preferences import Preferences, load_preferences, save_preferences
from nkreader.tui.reader_pane import ReaderPane
from nkreader.tui.safe import safe_text
from nkreader.tui.samples import bundled_samples
from nkreader.tui.status_line import StatusLine

if TYPE_CHECKING:
    from nkreader.tui.feeds_screen import FeedRefresher
    from nkreader.tui.help import HelpGroups, HelpRow

# Every other screen (search, browser, speakers, overview, agreement, feeds, help) and every dialog
# is imported when it is opened: the start paints the library list only (issue 14).

EXPORT_FORMATS = {
    "json": ("JSON", "nkreader's own format: complete, with article texts; restores exactly"),
    "w3c": ("W3C", "W3C Web Annotation JSON-LD, for other annotation tools"),
    "csv": ("CSV", "One row per annotation, safe to open in a spreadsheet"),
    "markdown": ("Markdown", "A brief per article: claims, quotes and policy statements"),
}


class NkReaderApp(OrderedKeys, ModalKeyHold):
    """nkreader: read, mark and export news reporting."""

    TITLE = "nkreader"
    ENABLE_COMMAND_PALETTE = True
    CSS_PATH = "nkreader.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="app.help", tooltip="Every key, grouped"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("f5", "toggle_dark", "Theme", show=False, id="app.theme", tooltip="Dark or light theme"),
        Binding(
            "ctrl+k",
            "speakers",
            "Speakers",
            show=False,
            id="app.speakers",
            tooltip="The sources register: speakers graded A–F, their spellings, articles and counts",
        ),
        Binding(
            "ctrl+g",
            "overview",
            "Overview",
            show=False,
            id="app.overview",
            tooltip="The library in figures: kinds, sources, months, most quoted speakers",
        ),
        Binding(
            "ctrl+e", "feeds", "Feeds", show=False, id="app.feeds", tooltip="Feeds: subscriptions, refresh"
        ),
    ]

    def __init__(
        self,
        library: Library,
        *,
        keymap_path: Path | None = None,
        samples: Path | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.samples_path = samples
        self._keymap_path = keymap_path if keymap_path is not None else config_path()
        self._keymap_warnings: list[str] = []
        self.preferences: Preferences = load_preferences()
        self._preferences_warned = False
        self.theme = self.preferences.theme
        self._feed_refresher: FeedRefresher | None = None

    @property
    def feed_refresher(self) -> FeedRefresher:
        """Feed refreshes in the background; made (and its fetch code imported) at the first use."""
        if self._feed_refresher is None:
            from nkreader.tui.feeds_screen import FeedRefresher

            self._feed_refresher = FeedRefresher(self, self.library)
        return self._feed_refresher

    def get_default_screen(self) -> Screen:
        return MainScreen(self.library)

    @property
    def main(self) -> MainScreen:
        screen = self.screen_stack[0] if self.screen_stack else self.screen
        assert isinstance(screen, MainScreen)
        return screen

    def on_mount(self) -> None:
        keymap, self._keymap_warnings = load_keymap(self._keymap_path)
        if keymap:
            self.set_keymap(keymap)

    def on_ready(self) -> None:
        """The first frame (the library list) is on the screen: the collector runs again, and the
        user's remaps are checked (that needs every screen's keys, so every screen imported; only
        a config.toml that remaps keys pays for it, and after the list is painted)."""
        from nkreader.tui.startup import release_collector

        release_collector()
        # A library opened for the first screen with plain sqlite3 (`Library.deferred`) opens its
        # store (SQLAlchemy: ~0.3 s) now that the list is painted, in a thread so the list takes
        # keys meanwhile; a call that needs the store before it is open waits for it.
        if not self.library.opened:
            self._open_store()
        warnings = self._keymap_warnings
        if self._keymap:
            unknown = unknown_ids(self._keymap, self.known_binding_ids())
            if unknown:
                warnings.append(f"config.toml: unknown key binding ids: {', '.join(sorted(unknown))}")
            warnings.extend(self.keymap_conflicts(self._keymap))
        for warning in warnings:
            self.notify(safe_text(warning), severity="warning", markup=False, timeout=8)

    @work(thread=True, exclusive=True, group="open-store", description="open the library's store")
    def _open_store(self) -> None:
        try:
            self.library.open_store()
            self.library.warm_reading()  # so the first article opened does not load them (h-open)
        except StoreError as exc:  # the next action that needs the store says so again
            self.call_from_thread(self.notify, safe_text(exc.message), severity="error", markup=False)

    def on_app_focus(self) -> None:
        """Back from another window: pick up what another process changed meanwhile."""
        if self.screen_stack and isinstance(self.screen_stack[0], MainScreen):
            self.screen_stack[0].poll_changes()

    # ------------------------------------------------------------------ keys and help

    @staticmethod
    def binding_sources() -> Iterable[tuple[str, list[Binding]]]:
        """The bindings of each owner group (a class's bases included: the main screen's mixins)."""
        return binding_owners.binding_sources(NkReaderApp)

    def keymap_conflicts(self, keymap: dict[str, str]) -> list[str]:
        """Keys the user's remaps give to two bindings that are active at the same time."""
        return binding_owners.keymap_conflicts(NkReaderApp, keymap)

    def known_binding_ids(self) -> set[str]:
        return {b.id for _, bindings in self.binding_sources() for b in bindings if b.id}

    def help_groups(self) -> HelpGroups:
        """Key and description per binding, with the user's remaps applied, in the help's sections
        (by binding id: `help_sections`); a section with no key is left out."""
        rows_by_section: dict[str, list[HelpRow]] = {}
        seen: set[str] = set()
        for _, bindings in self.binding_sources():
            for binding in bindings:
                if binding.id and binding.id in seen:
                    continue
                seen.add(binding.id or "")
                description = binding.tooltip or binding.description or binding.action
                section = section_of(binding.id) if binding.id else MORE
                rows_by_section.setdefault(section, []).append(
                    (self.keys_of(binding), description, binding.id or "")
                )
        order = [title for title, _ in SECTIONS] + [MORE]
        return [(title, rows_by_section[title]) for title in order if rows_by_section.get(title)]

    def action_help(self) -> None:
        from nkreader.tui.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(self.help_groups()))

    # ------------------------------------------------------------------ command palette

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if not isinstance(screen, MainScreen):
            return
        yield SystemCommand("Import files…", "Import articles from a file or folder path", self.action_import)
        yield SystemCommand(
            "Import files, updating changed articles…",
            "Replace the text of known articles that changed and re-anchor their annotations",
            lambda: self.action_import(update=True),
        )
        for fmt, (label, what) in EXPORT_FORMATS.items():
            yield SystemCommand(
                f"Export annotations ({label})…", what, lambda fmt=fmt: self.action_export(fmt)
            )
        if screen.has_class("-empty"):
            yield SystemCommand(
                "Import the sample articles", "Bundled fictional articles", self.action_import_samples
            )
        yield SystemCommand(
            "Refresh all feeds", "Fetch new articles from every subscription", self.action_refresh_feeds
        )
        from nkreader.tui.commands import binding_commands
        from nkreader.tui.library_list import LibraryPane

        owners: list[DOMNode] = [self, screen, screen.reader, screen.query_one(ReaderPane)]
        owners.extend(screen.query(LibraryPane))
        yield from binding_commands(self, owners, self.keys_of)

    def keys_of(self, binding: Binding) -> str:
        """The keys `binding` has now (the user's remaps applied), as the footer shows them."""
        keys = self._keymap.get(binding.id, binding.key) if binding.id else binding.key
        return ", ".join(self.get_key_display(Binding(k.strip(), "")) for k in keys.split(","))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """On the main screen, messages go to the status line (they would cover the reader's text as
        toasts); elsewhere they are toasts. Every message is also kept as a Textual notification."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
        try:
            text = Content.from_markup(message).plain if markup else message
        except Exception:  # a message that is not valid markup is shown as written
            text = message
        self._show_in_status(safe_text(text), safe_text(title), severity, timeout, retry=True)

    def _refresh_notifications(self) -> None:
        """Toasts for the notifications, except on the main screen: there each message is in the
        status line and its toasts are hidden (nkreader.tcss), yet each was mounted and later
        removed — a layout and a repaint of the whole screen twice per message, the largest part
        of a `c` on a 1,000-mark article (issue 14). The notifications are kept all the same."""
        try:
            if isinstance(self.screen, MainScreen):
                return
        except ScreenStackError:
            pass
        super()._refresh_notifications()

    def _show_in_status(
        self, text: str, title: str, severity: SeverityLevel, timeout: float | None, *, retry: bool
    ) -> None:
        """Put a message in the main screen's status line; before that line is mounted (a warning
        about config.toml while the app starts) try once more after the next refresh."""
        try:
            screen = self.screen
            line = screen.query_one(StatusLine) if isinstance(screen, MainScreen) else None
        except (NoMatches, ScreenStackError):
            line = None
            screen = None
        if line is not None:
            line.show_message(text, title=title, severity=severity, timeout=timeout)
        elif retry and (screen is None or isinstance(screen, MainScreen)):
            self.call_after_refresh(self._show_in_status, text, title, severity, timeout, retry=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("speakers", "overview"):
            return isinstance(self.screen, MainScreen)  # not over a dialog or another screen
        return super().check_action(action, parameters)

    def action_feeds(self) -> None:
        from nkreader.tui.feeds_screen import FeedsScreen

        if isinstance(self.screen, FeedsScreen):
            self.screen.dismiss(None)
            return
        self.push_screen(FeedsScreen(self.library, self.feed_refresher))

    def action_refresh_feeds(self) -> None:
        from nkreader.services.feeds import Subscriptions

        try:
            feeds = Subscriptions(self.library).feeds()
        except StoreError as exc:
            self.notify(safe_text(exc.message), severity="error", markup=False)
            return
        self.feed_refresher.start(feeds)

    def on_unmount(self) -> None:
        if self._feed_refresher is not None:
            self._feed_refresher.stop()  # a refresh under way stops between requests; stored articles are whole

    def action_speakers(self) -> None:
        from nkreader.tui.speakers_screen import SpeakersScreen

        def back(_result: object = None) -> None:
            # grades, merges and spellings changed there are this app's own writes, which the
            # change poll does not report: show them in the open article's pane now
            self.main._reload_annotations()

        self.push_screen(SpeakersScreen(self.library), back)

    def action_overview(self) -> None:
        from nkreader.tui.overview_screen import OverviewScreen

        self.push_screen(OverviewScreen(self.library))

    # ------------------------------------------------------------------ import and export

    @work
    async def action_import(self, update: bool = False) -> None:
        from nkreader.tui.dialogs import PromptDialog

        title = "Import files, updating changed articles" if update else "Import files"
        path = await self.push_screen_wait(PromptDialog(title, "Path to a file or folder (~ allowed)"))
        if not path:
            return
        target = Path(path).expanduser()
        if not target.exists():
            self.notify(safe_text(f"{target}: no such file or folder"), severity="error", markup=False)
            return
        self.run_import([target], update=update)

    def action_import_samples(self) -> None:
        samples = self.samples_path or bundled_samples()
        if samples is None:
            self.notify("The sample articles are not installed with this copy.", severity="error")
            return
        self.run_import([samples])

    @work(thread=True, exclusive=True, group="import")
    def run_import(self, paths: list[Path], update: bool = False) -> None:
        """Import in a thread; progress and the result come back as notifications."""
        from nkreader.services.importing import import_paths

        def progress(done: int, total: int, _path: Path) -> None:
            if total and (done == total or done % 25 == 0):
                self.call_from_thread(
                    self.notify, f"Importing… {done}/{total} files", timeout=2, markup=False
                )

        try:
            report = import_paths(self.library, paths, progress=progress, update=update)
        except StoreError as exc:
            self.call_from_thread(self.notify, safe_text(exc.message), severity="error", markup=False)
            return
        failures = [e for e in report.events if e.reason and e.outcome.value in ("failed", "changed")]
        detail = "\n".join(safe_text(f"{Path(e.origin).name}: {e.reason}") for e in failures[:5])
        message = report.summary() + (f"\n{detail}" if detail else "")
        self.call_from_thread(self._import_done, message, bool(report.failed))

    def _import_done(self, message: str, failed: bool) -> None:
        was_empty = self.main.has_class("-empty")
        self.main.refresh_library()
        if was_empty and not self.main.has_class("-empty"):
            self.main.focus_library()
        self.notify(message, title="Import", severity="warning" if failed else "information", markup=False)

    @work
    async def action_export(self, fmt: str = "json") -> None:
        from nkreader.tui.dialogs import PromptDialog

        label, _ = EXPORT_FORMATS[fmt]
        suffix = {"json": "json", "w3c": "jsonld", "csv": "csv", "markdown": "md"}[fmt]
        default = Path.home() / f"nkreader-export-{datetime.now():%Y%m%d-%H%M}.{suffix}"
        target = await self.push_screen_wait(
            PromptDialog(f"Export annotations ({label})", "File to write", str(default))
        )
        if target:
            self.run_export(Path(target).expanduser(), fmt)

    @work(thread=True, exclusive=True, group="export")
    def run_export(self, target: Path, fmt: str = "json") -> None:
        from nkreader.services.exporting import export_file
        from nkreader.services.output_files import TargetRefused

        try:
            _articles, count = export_file(self.library, target, fmt)
        except (StoreError, OSError, TargetRefused) as exc:
            if isinstance(exc, StoreError):
                message = exc.message
            elif isinstance(exc, TargetRefused):  # a folder, the library itself, a device
                message = f"Not exported: {exc}"
            else:
                message = f"cannot write {target}: {exc}"
            self.call_from_thread(self.notify, safe_text(message), severity="error", markup=False)
            return
        self.call_from_thread(
            self.notify, safe_text(f"Exported {count} annotations to {target}"), title="Export", markup=False
        )

    def action_toggle_dark(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"
        self.remember(theme=self.theme)

    def remember(self, **changes: object) -> None:
        """Keep a choice for the next run (theme, panes, last article); a folder that cannot be written
        is said once, and the app goes on with the choice for this run."""
        updated = self.preferences.with_changes(**changes)
        if updated == self.preferences:
            return
        self.preferences = updated
        if not save_preferences(updated) and not self._preferences_warned:
            self._preferences_warned = True
            self.notify("Cannot save preferences; they last until you quit", severity="warning", markup=False)


def create_app(
    library: Library,
    *,
    keymap_path: Path | None = None,
    samples: Path | None = None,
) -> NkReaderApp:
    return NkReaderApp(library, keymap_path=keymap_path, samples=samples)

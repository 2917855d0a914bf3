"""The library: a fast list of every article, with a live filter above it.

Why a Line-API widget: with 10,000 rows ``ListView`` took 76 s to mount, ``OptionList`` 1.9 s and
``DataTable`` about 2 s (``spikes/reader-widget/README.md``). :class:`LibraryList` keeps the rows in a
plain list and renders only the visible lines (``ScrollView.render_line``), so mounting costs the same for
ten rows or ten thousand, and a key press redraws two lines.

Why the filter is a separate ``Input``: the list's own letter keys (``j``, ``k``, ``g``, ``G``) would
collide with type-to-filter, so ``/`` or ``f`` moves focus to a small input above the list
(:class:`LibraryPane`); matching is done on keys precomputed with :func:`nkreader.tui.safe.fold`, so a
keystroke costs a substring scan (about 1 ms for 10,000 rows).

Every title and source is untrusted: rows are drawn as ``Segment``s of :func:`safe_text` output, never
parsed as markup.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input, Static

from nkreader.domain import ArticleSummary, Kind
from nkreader.tui.safe import fit, fold, safe_text

__all__ = ["LibraryFilter", "LibraryList", "LibraryPane"]

_KINDS: tuple[Kind, ...] = tuple(Kind)
_SOURCE_MAX = 18
"""Widest the source column gets; long publication names are cut with an ellipsis."""
_SOURCE_MIN = 8
"""Narrowest the source column gets before it is hidden."""
_TITLE_WITH_SOURCE = 28
"""The source column is shown only when the title keeps at least this many cells."""
_TITLE_MIN = 12
"""Columns are dropped (source, then counts, then date) rather than squeezing the title below this."""
_GAP = 2
_DATE_WIDTH = 10


NO_DATE = "no date"
"""What an undated article shows in the date column (issue 17): its import date would pass for
a publication date, and a report built on it would place the article in the wrong week."""


def row_date(row: ArticleSummary) -> str | None:
    """The publication date shown for a row, or None when the article has none (undated)."""
    return row.published.isoformat() if row.published is not None else None


class LibraryList(ScrollView, can_focus=True):
    """One line per article: title, source, date and annotation counts per kind (``C3 Q5 P1``).

    Rows are shown in the order given (the caller sorts, newest first). The widget never touches the
    database: the app passes :class:`~nkreader.domain.ArticleSummary` rows in and handles the messages.
    """

    ALLOW_SELECT = False  # rows are chosen with the mouse; screen-level text selection would fight it

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False, id="library.up", tooltip="Previous article"),
        Binding("down,j", "cursor_down", "Down", show=False, id="library.down", tooltip="Next article"),
        Binding("home,g", "cursor_first", "First", show=False, id="library.first", tooltip="First article"),
        Binding("end,G", "cursor_last", "Last", show=False, id="library.last", tooltip="Last article"),
        Binding("pageup", "page_up", "Page up", show=False, id="library.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="library.page_down"),
        Binding("enter", "choose", "Open", id="library.open", tooltip="Open the article in the reader"),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | up, k | Highlight the previous article. |
    | down, j | Highlight the next article. |
    | home, g | Highlight the first article. |
    | end, G | Highlight the last article. |
    | pageup / pagedown | Move the highlight by a page. |
    | enter | Open the highlighted article (posts `ArticleChosen`). |
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "library--cursor",
        "library--source",
        "library--date",
        "library--date-none",
        "library--count",
        "library--count-zero",
        "library--empty",
        "library--unread",
    }
    """
    | Class | Description |
    | :- | :- |
    | `library--cursor` | The highlighted row (dimmer when the list is not focused). |
    | `library--source` | The source column. |
    | `library--date` | A publication date. |
    | `library--date-none` | "no date", shown when the publication date is unknown. |
    | `library--count` | A non-zero annotation count. |
    | `library--count-zero` | A zero count (dimmed, so the eye finds the annotated articles). |
    | `library--empty` | The "no match" line shown when the filter hides every row. |
    | `library--unread` | The dot before an unread article (new from a feed, not opened yet). |
    """

    DEFAULT_CSS = """
    LibraryList {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;  /* the title column must not re-flow when the scrollbar appears */
        background: $surface;
        color: $foreground;
        & > .library--cursor {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .library--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
        & > .library--source { color: $text-secondary; }
        & > .library--date { color: $text-muted; }
        & > .library--date-none { color: $text-muted; text-style: italic; }
        & > .library--count { color: $foreground; }
        & > .library--count-zero { color: $text-disabled; }
        & > .library--empty { color: $text-muted; text-style: italic; }
        & > .library--unread { color: $accent; text-style: bold; }
    }
    """

    class Highlighted(Message):
        """The highlighted article changed (`article_id` is None when no row is shown)."""

        def __init__(self, library_list: LibraryList, article_id: int | None) -> None:
            super().__init__()
            self.library_list = library_list
            self.article_id = article_id

        @property
        def control(self) -> LibraryList:
            return self.library_list

    class ArticleChosen(Message):
        """The user asked to open an article (Enter, click on the highlighted row, double-click)."""

        def __init__(self, library_list: LibraryList, article_id: int) -> None:
            super().__init__()
            self.library_list = library_list
            self.article_id = article_id

        @property
        def control(self) -> LibraryList:
            return self.library_list

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._all: list[ArticleSummary] = []
        self._index_by_id: dict[int, int] = {}  # article id -> position in self._all
        self._keys: list[str] | None = None  # fold(title) + "\n" + fold(source), built lazily
        self._rows: list[ArticleSummary] = []  # what is shown: self._all filtered
        self._query = ""
        self._unread: set[int] = set()  # articles not opened yet (feeds): a dot and a bold title
        self._unread_only = False
        self._cursor = -1  # index into self._rows; -1 when empty
        self._last_posted: int | None = None
        self._source_width = 0
        self._digits = 1
        self._chose_on_click = False
        self._strips: LRUCache[tuple[int, bool, int, Style], Strip] = LRUCache(512)
        self._base = Style()
        self.empty_message = "No articles match the filter."
        """Shown when a filter hides every row (an empty library shows nothing)."""

    # ------------------------------------------------------------------ data
    @property
    def highlighted_id(self) -> int | None:
        """Id of the highlighted article, or None when no row is shown."""
        return self._rows[self._cursor].id if 0 <= self._cursor < len(self._rows) else None

    @property
    def row_count(self) -> int:
        """Rows shown (after the filter)."""
        return len(self._rows)

    @property
    def total_count(self) -> int:
        """Rows held (before the filter)."""
        return len(self._all)

    @property
    def visible_ids(self) -> list[int]:
        """Ids of the rows shown, in order (mainly for tests and "open next" commands)."""
        return [row.id for row in self._rows]

    @property
    def filter_text(self) -> str:
        return self._query

    @property
    def unread_only(self) -> bool:
        return self._unread_only

    @property
    def filtering(self) -> bool:
        """Whether some rows may be hidden (a filter text, or unread only)."""
        return bool(self._query) or self._unread_only

    def is_unread(self, article_id: int) -> bool:
        return article_id in self._unread

    def set_unread(self, article_ids: set[int]) -> None:
        """Which articles are unread; with `unread_only`, a row read meanwhile stays until refiltered."""
        if article_ids == self._unread:
            return
        self._unread = set(article_ids)
        self._strips.clear()
        if self._unread_only:
            self._apply_filter(self.highlighted_id, notify=False)
        else:
            self.refresh()

    def mark(self, article_id: int, *, unread: bool) -> None:
        """One article read or unread (it stays shown under `unread_only` until the filter changes)."""
        (self._unread.add if unread else self._unread.discard)(article_id)
        self._strips.clear()
        position = self._position_of(article_id)
        if position is not None:
            self.refresh_line(position)

    def set_unread_only(self, only: bool) -> None:
        if only != self._unread_only:
            self._unread_only = only
            self._apply_filter(self.highlighted_id)

    def set_articles(self, rows: list[ArticleSummary]) -> None:
        """Replace every row, keeping the highlight on the same article when it is still there.

        Like every programmatic change (:meth:`update_article`, :meth:`highlight`) this posts no
        :class:`Highlighted`: the caller knows what it did. Keys, the mouse and the filter do post.
        """
        keep = self.highlighted_id
        self._all = list(rows)
        self._index_by_id = {row.id: i for i, row in enumerate(self._all)}
        self._keys = None
        self._strips.clear()
        self._measure_columns()
        self._apply_filter(keep, notify=False)
        if self._all and self.is_mounted:
            # Build the filter keys after this frame is painted, so the first keystroke is fast too.
            self.call_after_refresh(self._ensure_keys)

    def update_article(self, row: ArticleSummary) -> None:
        """Replace one row in place (its counts or title changed). Unknown ids are ignored."""
        index = self._index_by_id.get(row.id)
        if index is None:
            return
        old = self._all[index]
        self._all[index] = row
        self._strips.clear()
        if self._keys is not None:
            self._keys[index] = self._key(row)
        if (
            len(row.source or "") > self._source_width
            or max(row.counts.values(), default=0) >= 10**self._digits
        ):
            self._measure_columns()
        if self._query and (old.title != row.title or old.source != row.source):
            self._apply_filter(self.highlighted_id, notify=False)
            return
        position = self._position_of(row.id)
        if position is not None:
            self._rows[position] = row  # (a no-op when unfiltered: _rows is _all)
            self.refresh_line(position)

    def highlight(self, article_id: int) -> bool:
        """Move the highlight to `article_id`, clearing the filter if it hides that row.

        Returns False if the article is not in the list.
        """
        if article_id not in self._index_by_id:
            return False
        position = self._position_of(article_id)
        if position is None:
            self._query = ""
            self._unread_only = self._unread_only and article_id in self._unread
            self._apply_filter(article_id, notify=False)
            position = self._position_of(article_id)
        if position is not None:
            self._move_to(position, center=True, notify=False)
        return True

    def set_filter(self, query: str) -> None:
        """Show only rows whose title or source contains `query` (case, diacritics and hyphens ignored)."""
        query = fold(query)
        if query == self._query:
            return
        previous = self._query
        self._query = query
        self._apply_filter(self.highlighted_id, narrowing=bool(previous) and previous in query)

    # --------------------------------------------------------------- helpers
    @staticmethod
    def _key(row: ArticleSummary) -> str:
        return f"{fold(row.title)}\n{fold(row.source or '')}"

    def _ensure_keys(self) -> list[str]:
        if self._keys is None:
            self._keys = [self._key(row) for row in self._all]
        return self._keys

    def _position_of(self, article_id: int) -> int | None:
        if not self.filtering:
            return self._index_by_id.get(article_id)
        for i, row in enumerate(self._rows):
            if row.id == article_id:
                return i
        return None

    def _measure_columns(self) -> None:
        """Column widths from all rows (not the filtered ones), so filtering never shifts columns."""
        longest = max((len(row.source) for row in self._all if row.source), default=0)
        self._source_width = min(_SOURCE_MAX, longest)
        most = max((n for row in self._all for n in row.counts.values()), default=0)
        self._digits = len(str(most))

    def _apply_filter(self, keep: int | None, *, narrowing: bool = False, notify: bool = True) -> None:
        query = self._query
        if not query and not self._unread_only:
            self._rows = self._all
        elif not query:
            self._rows = [row for row in self._all if row.id in self._unread]
        else:
            keys = self._ensure_keys()
            if narrowing:  # the query only grew: search within what is shown
                index = self._index_by_id
                self._rows = [row for row in self._rows if query in keys[index[row.id]]]
            else:
                self._rows = [row for row, key in zip(self._all, keys, strict=True) if query in key]
            if self._unread_only:
                self._rows = [row for row in self._rows if row.id in self._unread]
        position = self._position_of(keep) if keep is not None else None
        self._cursor = position if position is not None else (0 if self._rows else -1)
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._rows))
        height = max(1, self.scrollable_content_region.height)
        top = 0 if self._cursor < height else self._cursor - height // 2
        if self.is_mounted:
            self.scroll_to(y=top, animate=False)
            self.refresh()
        self._post_highlighted(notify)

    def _post_highlighted(self, notify: bool = True) -> None:
        current = self.highlighted_id
        if current != self._last_posted:
            self._last_posted = current
            if notify:
                self._post(self.Highlighted(self, current))

    def _post(self, message: Message) -> None:
        # The sender must be this list: when the change comes from the pane's Input.Changed handler,
        # Textual would take the pane as sender and stop the message there instead of bubbling it.
        self.post_message(message.set_sender(self))

    def _move_to(self, position: int, *, center: bool = False, notify: bool = True) -> None:
        if not self._rows:
            return
        position = max(0, min(position, len(self._rows) - 1))
        old = self._cursor
        self._cursor = position
        if old != position:
            self.refresh_line(old)
            self.refresh_line(position)
        self._scroll_cursor_visible(center=center)
        self._post_highlighted(notify)

    def _scroll_cursor_visible(self, *, center: bool = False) -> None:
        if self._cursor < 0 or not self.is_mounted:
            return
        height = max(1, self.scrollable_content_region.height)
        top = int(self.scroll_y)
        if top <= self._cursor < top + height:
            return
        if center:
            target = self._cursor - height // 2
        elif self._cursor < top:
            target = self._cursor
        else:
            target = self._cursor - height + 1
        self.scroll_to(y=max(0, target), animate=False, immediate=True)

    # --------------------------------------------------------------- actions
    def action_cursor_up(self) -> None:
        self._move_to(self._cursor - 1)

    def action_cursor_down(self) -> None:
        self._move_to(self._cursor + 1)

    def action_cursor_first(self) -> None:
        self._move_to(0)

    def action_cursor_last(self) -> None:
        self._move_to(len(self._rows) - 1)

    def action_page_up(self) -> None:
        self._move_to(self._cursor - max(1, self.scrollable_content_region.height - 1))

    def action_page_down(self) -> None:
        self._move_to(self._cursor + max(1, self.scrollable_content_region.height - 1))

    def action_choose(self) -> None:
        article_id = self.highlighted_id
        if article_id is not None:
            self._post(self.ArticleChosen(self, article_id))

    # ----------------------------------------------------------------- mouse
    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        position = int(self.scroll_y) + offset.y
        if not 0 <= position < len(self._rows):
            return
        event.stop()
        if event.chain == 1:
            self._chose_on_click = position == self._cursor
            self._move_to(position)
            if self._chose_on_click:
                self.action_choose()
        elif event.chain == 2 and not self._chose_on_click:  # double-click on a row not yet highlighted
            self._move_to(position)
            self.action_choose()

    # ---------------------------------------------------------------- render
    def on_mount(self) -> None:
        if self._all:
            self.call_after_refresh(self._ensure_keys)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._rows))
        self._scroll_cursor_visible(center=True)

    def on_focus(self) -> None:
        self._strips.clear()  # the cursor row changes colour with focus
        self.refresh()

    def on_blur(self) -> None:
        self._strips.clear()
        self.refresh()

    def _layout(self, width: int) -> tuple[int, int, int, int]:
        """Widths of (title, source, date, counts); 0 means the column is hidden.

        The title wins: the source is shown (cut down to `_SOURCE_MIN` if need be) only while the
        title keeps `_TITLE_WITH_SOURCE` cells, the date and counts only while it keeps `_TITLE_MIN`;
        columns go in that order: source, then counts, then date.
        """
        usable = width - 2  # one cell of padding at each end
        counts = 3 * (1 + self._digits) + 2
        date_w = _DATE_WIDTH
        rest = usable - (date_w + _GAP) - (counts + _GAP)  # the title's width without a source
        source = min(self._source_width, rest - _GAP - _TITLE_WITH_SOURCE)
        if source >= min(_SOURCE_MIN, self._source_width) and source > 0:
            return rest - _GAP - source, source, date_w, counts
        if rest < _TITLE_MIN:
            counts, rest = 0, rest + counts + _GAP
        if rest < _TITLE_MIN:
            date_w, rest = 0, rest + date_w + _GAP
        return max(0, rest), 0, date_w, counts

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()  # theme or focus changed: colours of every row may differ

    def render_lines(self, crop: Region) -> list[Strip]:
        self._base = self.rich_style  # computed once per frame, not once per line
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._base
        position = int(self.scroll_y) + y
        if not 0 <= position < len(self._rows):
            if position == 0 and self._all and not self._rows and self.empty_message:
                style = base + self.get_component_rich_style("library--empty")
                text, _ = fit(self.empty_message, width - 2)
                return Strip([Segment(" " + text, style)]).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        row = self._rows[position]
        is_cursor = position == self._cursor
        key = (row.id, is_cursor, width, base)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._strips[key] = self._render_row(row, is_cursor, width, base)
        return strip

    def _render_row(self, row: ArticleSummary, is_cursor: bool, width: int, base: Style) -> Strip:
        component = self.get_component_rich_style
        title_w, source_w, date_w, counts_w = self._layout(width)
        if is_cursor:
            line = base + component("library--cursor")
            dim = line + Style(dim=True)
            source_style = date_style = count_style = line
            undated_style = zero_style = dim
        else:
            line = base
            source_style = line + component("library--source")
            date_style = line + component("library--date")
            undated_style = line + component("library--date-none")
            count_style = line + component("library--count")
            zero_style = line + component("library--count-zero")

        unread = row.id in self._unread
        segments = [Segment("•", line + component("library--unread")) if unread else Segment(" ", line)]
        title, used = fit(" ".join(safe_text(row.title).split()), title_w)
        segments.append(Segment(title + " " * (title_w - used), line + Style(bold=True) if unread else line))
        if source_w:
            source, used = fit(" ".join(safe_text(row.source or "").split()), source_w)
            segments.append(Segment("  ", line))
            segments.append(Segment(source + " " * (source_w - used), source_style))
        if date_w:
            day = row_date(row)
            segments.append(Segment("  ", line))
            segments.append(
                Segment(f"{day:<{_DATE_WIDTH}}", date_style)
                if day
                else Segment(f"{NO_DATE:<{_DATE_WIDTH}}", undated_style)
            )
        if counts_w:
            segments.append(Segment("  ", line))
            for i, kind in enumerate(_KINDS):
                n = row.counts.get(kind, 0)
                if i:
                    segments.append(Segment(" ", line))
                segments.append(
                    Segment(f"{kind.letter}{n:<{self._digits}}", count_style if n else zero_style)
                )
        return Strip(segments).adjust_cell_length(width, line)


class LibraryFilter(Input):
    """The filter field above the list: ``down`` goes to the list, ``enter`` opens the highlighted
    match (the pane posts the list's ``ArticleChosen``), ``escape`` clears and leaves.

    It is left out of the Tab order (Tab moves between panes, docs/ARCHITECTURE.md §5): it becomes focusable only
    while in use — when ``/``/``f`` is pressed or it is clicked — and drops out again on blur.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "leave", "To list", show=False, id="library.filter.to_list"),
        Binding("escape", "clear_and_leave", "Clear filter", show=False, id="library.filter.clear"),
    ]

    class Leave(Message):
        """The user wants to go back to the list (`cleared`: the filter was emptied)."""

        def __init__(self, cleared: bool) -> None:
            super().__init__()
            self.cleared = cleared

    def __init__(self, *, placeholder: str = "Filter…", id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, id=id, compact=True)
        self.can_focus = False

    def activate(self) -> None:
        """Make the field focusable and focus it."""
        self.can_focus = True
        self.focus()

    def on_mouse_down(self) -> None:
        if not self.has_focus:
            self.activate()

    def on_blur(self) -> None:
        self.can_focus = False

    def action_leave(self) -> None:
        self.post_message(self.Leave(cleared=False).set_sender(self))

    def action_clear_and_leave(self) -> None:
        self.value = ""
        self.post_message(self.Leave(cleared=True).set_sender(self))


class LibraryPane(Vertical):
    """The library list with its filter field: what the app mounts in the left pane.

    ``/`` or ``f`` (while the list has focus) moves to the filter; typing narrows the list live and
    ``enter`` opens the highlighted (first) match.
    The pane forwards the list's API so the app does not reach inside it.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash,f",
            "focus_filter",
            "Filter",
            id="library.filter",
            tooltip="Filter articles by title or source",
        ),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="library.clear_filter"),
        Binding(
            "U",
            "unread_only",
            "Unread",
            id="library.unread_only",
            tooltip="Show only unread articles, or all",
        ),
        Binding(
            "M",
            "toggle_read",
            "Read/unread",
            show=False,
            id="library.toggle_read",
            tooltip="Mark the highlighted article read or unread",
        ),
    ]

    class ToggleRead(Message):
        """The user asked to flip the highlighted article between read and unread (the screen stores it)."""

        def __init__(self, article_id: int) -> None:
            super().__init__()
            self.article_id = article_id

    DEFAULT_CSS = """
    LibraryPane {
        height: 1fr;
        & > #library-filter-row {
            height: 1;
            & > LibraryFilter {
                width: 1fr;
                height: 1;
                border: none;
                padding: 0 1;
                background: $boost;
            }
            & > #library-filter-count {
                width: auto;
                height: 1;
                padding: 0 1;
                color: $text-muted;
                background: $boost;
            }
        }
    }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._count_text = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="library-filter-row"):
            yield LibraryFilter(placeholder="Filter…", id="library-filter")
            yield Static("", id="library-filter-count")
        yield LibraryList(id="library-list")

    # ------------------------------------------------------------------- API
    @property
    def library_list(self) -> LibraryList:
        return self.query_one(LibraryList)

    @property
    def filter_input(self) -> LibraryFilter:
        return self.query_one(LibraryFilter)

    @property
    def highlighted_id(self) -> int | None:
        """Id of the highlighted article, or None."""
        return self.library_list.highlighted_id

    def set_articles(self, rows: list[ArticleSummary]) -> None:
        """Show these rows (newest first is the caller's order); the filter is kept."""
        self.library_list.set_articles(rows)
        self._update_count()

    def update_article(self, row: ArticleSummary) -> None:
        """Redraw one row whose counts (or title) changed."""
        self.library_list.update_article(row)
        self._update_count()

    def highlight(self, article_id: int) -> bool:
        """Highlight an article, clearing the filter if it hides it. False if the id is unknown."""
        hidden = self.library_list.filtering and article_id not in self.library_list.visible_ids
        found = self.library_list.highlight(article_id)
        if found and hidden:
            with self.filter_input.prevent(Input.Changed):
                self.filter_input.value = ""
            self._update_count()
        return found

    def focus_list(self) -> None:
        self.library_list.focus()

    def set_unread(self, article_ids: set[int]) -> None:
        self.library_list.set_unread(article_ids)
        self._update_count()

    def mark(self, article_id: int, *, unread: bool) -> None:
        self.library_list.mark(article_id, unread=unread)

    def action_unread_only(self) -> None:
        self.library_list.set_unread_only(not self.library_list.unread_only)
        self._update_count()
        if self.library_list.unread_only and not self.library_list.row_count:
            self.notify("No unread articles.", timeout=3)

    def action_toggle_read(self) -> None:
        article_id = self.highlighted_id
        if article_id is not None:
            self.post_message(self.ToggleRead(article_id))

    # --------------------------------------------------------------- actions
    def action_focus_filter(self) -> None:
        self.filter_input.activate()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            # Only claim escape when there is a filter to clear; otherwise let the app have it.
            return bool(self.library_list.filter_text)
        return True

    def action_clear_filter(self) -> None:
        self.filter_input.value = ""

    # -------------------------------------------------------------- handlers
    @on(Input.Changed, "#library-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.library_list.set_filter(event.value)
        self._update_count()

    @on(Input.Submitted, "#library-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        """Enter in the filter opens the highlighted (first) match; with no match it goes to the list."""
        event.stop()
        library_list = self.library_list
        library_list.focus()  # first, so that whoever opens the article can move focus on from here
        library_list.action_choose()

    @on(LibraryFilter.Leave)
    def _filter_left(self, event: LibraryFilter.Leave) -> None:
        event.stop()
        self.library_list.focus()

    def _update_count(self) -> None:
        shown, total = self.library_list.row_count, self.library_list.total_count
        text = f"{shown:,}/{total:,}" if self.library_list.filtering else (f"{total:,}" if total else "")
        if self.library_list.unread_only:
            text = f"unread {text}"
        if text != self._count_text:
            # A relayout is needed only when the label's width changes (saves ~2 ms per keystroke).
            layout = len(text) != len(self._count_text)
            self._count_text = text
            self.query_one("#library-filter-count", Static).update(Content(text), layout=layout)

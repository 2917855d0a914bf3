"""Which section of the help screen each key belongs to, by binding id.

Why by id and not by widget class: a class holds keys of several kinds (the reader's moves and its
selection keys; the main screen's edit keys and its pane keys), and one kind of key is spread over
several classes (marking keys on the reader pane, the bounds keys on a mixin of the main screen).
Grouping by the class put "Import samples" under "Annotations and panes" and left "Annotations list"
empty. Ids are stable (they are what ``config.toml`` remaps), so the table below names ids or id
prefixes; an id no section names falls in "More keys" rather than vanishing, so a key added later is
still on the help screen until someone gives it its place.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding
from textual.dom import DOMNode

__all__ = ["SECTIONS", "bindings_of", "section_of"]

_READING_MOVES = (
    "reader.left", "reader.right", "reader.up", "reader.down", "reader.word_next", "reader.word_prev",
    "reader.sentence_next", "reader.sentence_prev", "reader.paragraph_next", "reader.paragraph_prev",
    "reader.top", "reader.bottom", "reader.page_up", "reader.page_down", "reader.line_start",
    "reader.line_end",
)

SECTIONS: list[tuple[str, tuple[str, ...]]] = [
    ("Application", ("app.help", "app.quit", "app.theme", "app.search", "app.browse", "app.speakers",
                     "app.overview", "app.")),
    ("Panes", ("pane.",)),
    ("Library", ("library.",)),
    ("Reading", (*_READING_MOVES, "reader.find", "find.")),
    ("Selecting", ("reader.select", "reader.extend", "reader.to_char", "reader.back_to_char",
                   "reader.till_char", "reader.back_till_char", "reader.repeat_char", "reader.word_end",
                   "reader.clause_end", "reader.clause_start", "reader.swap_ends", "reader.")),
    ("Marking", ("annotate.claim", "annotate.quote", "annotate.policy", "annotate.quote_speaker")),
    ("The annotation under the cursor", ("annotate.",)),
    ("Annotations list", ("annotations.",)),
    ("Annotators", ("annotators.",)),
    ("Suggestions", ("suggest.",)),
    ("Entities and revisions", ("entity.", "article.", "revisions.")),
    ("Feeds", ("feeds.", "feed.")),
    ("Search", ("search.",)),
    ("Annotation browser", ("browser.",)),
    ("Speakers", ("speakers.",)),
    ("Overview", ("overview.",)),
    ("Agreement", ("agreement.",)),
    ("Dialogs", ("dialog.", "help.")),
]
"""(section title, ids or id prefixes ending in "."), in the order the help screen shows them."""

MORE = "More keys"


def section_of(binding_id: str) -> str:
    """The section for `binding_id`: an exact id first, else the longest matching prefix."""
    best, length = MORE, 0
    for title, names in SECTIONS:
        for name in names:
            if name == binding_id:
                return title
            if name.endswith(".") and binding_id.startswith(name) and len(name) > length:
                best, length = title, len(name)
    return best


def bindings_of(classes: Iterable[type[DOMNode]]) -> list[Binding]:
    """Every `Binding` the classes declare, their bases' included, each id once, in declaration order."""
    seen: set[str] = set()
    found: list[Binding] = []
    for cls in classes:
        for base in reversed(cls.__mro__):
            for binding in base.__dict__.get("BINDINGS", ()):
                if not isinstance(binding, Binding):
                    continue
                key = binding.id or f"{base.__name__}:{binding.key}:{binding.action}"
                if key not in seen:
                    seen.add(key)
                    found.append(binding)
    return found

"""The reader's keys, by binding id (``config.toml`` remaps them by these ids).

A separate module so the widget file reads as state, input and drawing; like `main_bindings.py`.

| Key(s) | Binding id | Description |
| :- | :- | :- |
| left, h / right, l | reader.left / reader.right | Previous / next grapheme. |
| up, k / down, j | reader.up / reader.down | Previous / next visual line (sticky column). |
| w, ctrl+right / b, ctrl+left | reader.word_next / reader.word_prev | Next word / start of word. |
| ) / ( | reader.sentence_next / reader.sentence_prev | Next sentence / start of sentence. |
| } / { | reader.paragraph_next / reader.paragraph_prev | Next / previous paragraph. |
| g, ctrl+home / G, ctrl+end | reader.top / reader.bottom | Start / end of the article. |
| pageup, ctrl+u / pagedown, ctrl+d | reader.page_up / reader.page_down | One page up / down. |
| home / end | reader.line_start / reader.line_end | Start / end of the visual line. |
| shift+arrows, shift+home/end | reader.extend_* | Extend the selection. |
| f / F, t / T (selecting) | reader.to_char … | To / back to (till: just before) the next typed character. |
| ; / , | reader.repeat_char / reader.repeat_char_back | Repeat the last f/t/F/T, the same / other way. |
| e (selecting) | reader.word_end | End of the word. |
| ] / [ | reader.clause_end / reader.clause_start | End of the clause (comma, semicolon, dash) / its start. |
| o | reader.swap_ends | Move the other end of the selection. |
| v | reader.select_toggle | Start selecting (movement extends); again: stop, keep it. |
| s / S | reader.select_sentence / reader.select_paragraph | Select the sentence / paragraph. |
| escape | reader.select_clear | Clear the selection. |
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

__all__ = ["READER_BINDINGS"]

READER_BINDINGS: list[BindingType] = [
    Binding("left,h", "move('left')", "Left", show=False, id="reader.left"),
    Binding("right,l", "move('right')", "Right", show=False, id="reader.right"),
    Binding("up,k", "move('up')", "Up", show=False, id="reader.up"),
    Binding("down,j", "move('down')", "Down", show=False, id="reader.down"),
    Binding("w,ctrl+right", "move('word_next')", "Next word", show=False, id="reader.word_next"),
    Binding("b,ctrl+left", "move('word_prev')", "Previous word", show=False, id="reader.word_prev"),
    Binding(")", "move('sentence_next')", "Next sentence", show=False, id="reader.sentence_next"),
    Binding("(", "move('sentence_prev')", "Previous sentence", show=False, id="reader.sentence_prev"),
    Binding("}", "move('paragraph_next')", "Next paragraph", show=False, id="reader.paragraph_next"),
    Binding("{", "move('paragraph_prev')", "Previous paragraph", show=False, id="reader.paragraph_prev"),
    Binding("g,ctrl+home", "move('top')", "Top", show=False, id="reader.top"),
    Binding("G,ctrl+end", "move('bottom')", "Bottom", show=False, id="reader.bottom"),
    Binding("pageup,ctrl+u", "move('page_up')", "Page up", show=False, id="reader.page_up"),
    Binding("pagedown,ctrl+d", "move('page_down')", "Page down", show=False, id="reader.page_down"),
    Binding("home", "move('line_start')", "Line start", show=False, id="reader.line_start"),
    Binding("end", "move('line_end')", "Line end", show=False, id="reader.line_end"),
    Binding("shift+left", "extend('left')", "Extend left", show=False, id="reader.extend_left"),
    Binding("shift+right", "extend('right')", "Extend right", show=False, id="reader.extend_right"),
    Binding("shift+up", "extend('up')", "Extend up", show=False, id="reader.extend_up"),
    Binding("shift+down", "extend('down')", "Extend down", show=False, id="reader.extend_down"),
    Binding(
        "shift+home", "extend('line_start')", "Extend to line start", show=False, id="reader.extend_home"
    ),
    Binding("shift+end", "extend('line_end')", "Extend to line end", show=False, id="reader.extend_end"),
    Binding("f", "find_char('f')", "To char", show=False, id="reader.to_char"),
    Binding("F", "find_char('F')", "Back to char", show=False, id="reader.back_to_char"),
    Binding("t", "find_char('t')", "Till char", show=False, id="reader.till_char"),
    Binding("T", "find_char('T')", "Back till char", show=False, id="reader.back_till_char"),
    Binding("semicolon", "repeat_find_char(False)", "Repeat f/t", show=False, id="reader.repeat_char"),
    Binding("comma", "repeat_find_char(True)", "Repeat f/t back", show=False, id="reader.repeat_char_back"),
    Binding("e", "move_to_end('word')", "Word end", show=False, id="reader.word_end"),
    Binding("right_square_bracket", "move_to_end('clause')", "Clause end", show=False, id="reader.clause_end"),
    Binding(
        "left_square_bracket", "move_to_end('clause_start')", "Clause start", show=False,
        id="reader.clause_start",
    ),
    Binding("o", "swap_ends", "Other end", show=False, id="reader.swap_ends"),
    Binding("v", "select_toggle", "Select", id="reader.select_toggle"),
    Binding("s", "select_sentence", "Sentence", id="reader.select_sentence"),
    Binding("S", "select_paragraph", "Paragraph", show=False, id="reader.select_paragraph"),
    Binding("escape", "clear_selection", "Clear selection", show=False, id="reader.select_clear"),
]

"""Text made safe for a terminal: control characters shown as visible escapes, never obeyed.

Tracker text (labels, titles, keys, identities, error messages) is written by whoever can edit
an issue. Shown raw, `\\x1b[31m` would colour the operator's terminal and `\\x1b]0;...\\x07` set
its window title. Every C0 control but newline and tab, DEL, and every C1 control (`\\x9b` is
CSI on its own) is replaced by its escape, so no sequence can start. So are the invisible
characters that reorder or hide text around them (bidirectional overrides and isolates,
zero-width spaces and non-joiners, line and paragraph separators: `\\u202e`), which a terminal
obeys too. All other characters, non-ASCII letters and emoji included, stay as they are.
"""

from __future__ import annotations

_CONTROLS = (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0))
# Format characters that move or hide text: marks, embeddings, overrides and isolates, word
# joiner and invisible operators, the BOM; and U+2028/2029, which some terminals break lines at.
# The zero-width joiner (U+200D) stays: emoji sequences are made with it.
_INVISIBLE = (0x200B, 0x200C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2060, 0x2065))
_INVISIBLE += (*range(0x2066, 0x206A), 0xFEFF, 0x2028, 0x2029)
_NAMED = {ord("\n"): "\\n", ord("\t"): "\\t", ord("\r"): "\\r"}
# Single-line fields (a table cell, a log line) also escape newline and tab: a title ending
# in a newline would otherwise break the row or forge a second log line.
_ONE_LINE = {code: _NAMED.get(code, f"\\x{code:02x}") for code in _CONTROLS}
_ONE_LINE |= {code: f"\\u{code:04x}" for code in _INVISIBLE}
_TEXT = {code: escape for code, escape in _ONE_LINE.items() if code not in {0x0A, 0x09}}


def printable(text: str) -> str:
    """`text` with every control character but newline and tab escaped (`\\x1b`, `\\x9b`)."""
    return text.translate(_TEXT)


def printable_line(text: str) -> str:
    """`text` as one line: every control character escaped, newline and tab as `\\n`, `\\t`."""
    return text.translate(_ONE_LINE)

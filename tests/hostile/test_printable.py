"""Text made safe for a terminal: control characters escaped, everything else untouched."""

from __future__ import annotations

from syncd.entrypoints.printable import printable, printable_line

C0 = "".join(chr(code) for code in range(0x20) if chr(code) not in "\n\t")
C1 = "".join(chr(code) for code in range(0x80, 0xA0))


def controls(text: str) -> list[str]:
    """Every C0 (but newline and tab), DEL and C1 character in `text`."""
    return [c for c in text if (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) < 0xA0]


class TestPrintable:
    """printable: multi-line text (a traceback, a message) stays multi-line."""

    def test_every_c0_control_but_newline_and_tab_is_escaped(self) -> None:
        """NUL to US, CR included, become visible escapes; none is left raw."""
        shown = printable(C0)

        assert controls(shown) == []
        assert shown.startswith("\\x00\\x01")
        assert "\\x1b" in shown
        assert "\\r" in shown

    def test_del_and_every_c1_control_are_escaped(self) -> None:
        """DEL and 0x80-0x9F (8-bit CSI 0x9b, OSC 0x9d) are shown as `\\x7f`, `\\x9b`, ..."""
        shown = printable("\x7f" + C1)

        assert controls(shown) == []
        assert shown.startswith("\\x7f\\x80")
        assert "\\x9b" in shown and "\\x9d" in shown

    def test_an_osc_window_title_sequence_cannot_act(self) -> None:
        """`ESC ] 0 ; PWNED BEL` (sets the window title) reads as plain text."""
        assert printable("SUP-1\x1b]0;PWNED\x07") == "SUP-1\\x1b]0;PWNED\\x07"

    def test_a_colour_sequence_and_an_8_bit_csi_read_as_text(self) -> None:
        """A hand-set label with colour codes shows them escaped, the rest as written."""
        assert printable("tier/\x1b[31mRED\x9b0m") == "tier/\\x1b[31mRED\\x9b0m"

    def test_newline_and_tab_are_kept(self) -> None:
        """Multi-line text keeps its lines and tabs."""
        assert printable("line one\n\tline two") == "line one\n\tline two"

    def test_non_ascii_letters_and_emoji_stay_as_they_are(self) -> None:
        """Accents, CJK, right-to-left letters, emoji (with joiners) and NBSP are not controls."""
        text = "Zoë café 東京 שלום 🔥 👩‍💻 a\u00a0b ✓"

        assert printable(text) == text
        assert printable_line(text) == text


class TestPrintableLine:
    """printable_line: one table cell or log line, which a newline would break."""

    def test_newline_tab_and_carriage_return_are_escaped(self) -> None:
        """A title ending in a newline cannot start a forged row or log line."""
        assert printable_line("a\nb\tc\rd") == "a\\nb\\tc\\rd"

    def test_every_control_is_escaped(self) -> None:
        """C0, DEL and C1 all become visible escapes, as in printable."""
        shown = printable_line(C0 + "\n\t\x7f" + C1)

        assert controls(shown) == []
        assert "\n" not in shown and "\t" not in shown

    def test_plain_text_is_returned_unchanged(self) -> None:
        """Ordinary labels and keys are printed exactly as the tracker has them."""
        assert printable_line("tier/fire acme/web#7 SUP-12") == "tier/fire acme/web#7 SUP-12"


class TestInvisibleFormatCharacters:
    """Characters that reorder or hide text (Trojan Source) are shown, not obeyed."""

    def test_bidirectional_overrides_and_isolates_are_escaped(self) -> None:
        """A right-to-left override cannot make `tier/fire` read backwards on the terminal."""
        shown = printable("tier/\u202eerif\u202c and \u2066x\u2069")

        assert shown == "tier/\\u202eerif\\u202c and \\u2066x\\u2069"

    def test_zero_width_and_separators_are_escaped_but_emoji_joiners_stay(self) -> None:
        """Zero-width spaces, the BOM and U+2028 show; the joiner inside an emoji stays."""
        shown = printable_line("a\u200bb\ufeffc\u2028d 👩\u200d💻")

        assert shown == "a\\u200bb\\ufeffc\\u2028d 👩\u200d💻"

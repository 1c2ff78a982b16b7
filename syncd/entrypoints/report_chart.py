"""The report's chart as server-side SVG: escalations per shift by tier, and shifts per person.

Self-contained markup (no script, no style element or attribute, nothing loaded from elsewhere),
so a page with a strict Content-Security-Policy can inline it and `syncd report --svg` can write
it to a file. Text is escaped twice over: control characters made visible, then XML-escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from syncd.domain.report import PersonLine, Report
from syncd.entrypoints.printable import printable_line

WIDTH = 720
_BARS_TOP, _BARS_HEIGHT = 60, 180
_LEFT = 40
_ROW = 22  # one person's bar
_PALETTE = ("#b00020", "#e67e22", "#2e86c1", "#7d3c98", "#17a589", "#7f8c8d")


def chart(view: Report) -> str:
    """The SVG document (an `<svg>` element, with its namespace) of `view`."""
    tiers = view.tiers()
    people = [p for p in view.people if p.shifts or p.covered]
    height = _BARS_TOP + _BARS_HEIGHT + 70 + _ROW * max(1, len(people)) + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}"'
        f' viewBox="0 0 {WIDTH} {height}" role="img" font-family="sans-serif" font-size="12"'
        ' aria-label="Escalations per shift by tier, and shifts per person">',
        "<title>Escalations per shift by tier, and shifts per person</title>",
        _text(_LEFT, 20, "Escalations placed per shift, by tier", bold=True),
        *_legend(tiers),
        *_bars(view, tiers),
        *_people(people, _BARS_TOP + _BARS_HEIGHT + 50),
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


def _legend(tiers: Sequence[str]) -> list[str]:
    parts: list[str] = []
    for i, tier in enumerate(tiers):
        x = _LEFT + i * 110
        parts.append(f'<rect x="{x}" y="32" width="10" height="10" fill="{_colour(i)}"/>')
        parts.append(_text(x + 14, 41, tier))
    return parts


def _bars(view: Report, tiers: Sequence[str]) -> list[str]:
    """One stacked bar per shift, its member's name below when there is room."""
    base = _BARS_TOP + _BARS_HEIGHT
    parts = [f'<line x1="{_LEFT}" y1="{base}" x2="{WIDTH - 10}" y2="{base}" stroke="#888"/>']
    shifts = view.shifts
    if not shifts:
        return [*parts, _text(_LEFT, base - 10, "no shifts in this period")]
    tallest = max(1, *(sum(line.placed.values()) for line in shifts))
    step = (WIDTH - 10 - _LEFT) / len(shifts)
    width = max(1.0, step * 0.8)
    parts.append(_text(4, _BARS_TOP + 10, str(tallest)))
    for i, line in enumerate(shifts):
        x, top = _LEFT + i * step, float(base)
        for t, tier in enumerate(tiers):
            count = line.placed.get(tier, 0)
            if count:
                h = _BARS_HEIGHT * count / tallest
                top -= h
                parts.append(
                    f'<rect x="{x:.1f}" y="{top:.1f}" width="{width:.1f}" height="{h:.1f}"'
                    f' fill="{_colour(t)}"><title>{escape(_label(line.shift.member, tier, count))}'
                    "</title></rect>"
                )
        if step >= 28:
            parts.append(_text(x, base + 14, (line.shift.member or "-")[: int(step // 7)]))
    return parts


def _people(people: Sequence[PersonLine], top: int) -> list[str]:
    """One bar per person: the turns they were given, then the overrides they covered."""
    parts = [_text(_LEFT, top - 14, "Shifts per person (and overrides covered)", bold=True)]
    most = max([1, *(p.shifts + p.covered for p in people)])
    scale = (WIDTH - 200) / most
    for i, person in enumerate(people):
        y = top + i * _ROW
        parts.append(_text(_LEFT, y + 13, person.person[:18]))
        own, cover = person.shifts * scale, person.covered * scale
        parts.append(f'<rect x="170" y="{y + 3}" width="{own:.1f}" height="14" fill="#2e86c1"/>')
        if cover:
            x = 170 + own
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{cover:.1f}" height="14" fill="#aed6f1"/>'
            )
        count = f"{person.shifts}" + (f" + {person.covered} covered" if person.covered else "")
        parts.append(_text(int(174 + own + cover), y + 14, count))
    return parts


def _label(member: str | None, tier: str, count: int) -> str:
    return printable_line(f"{member or 'nobody'}: {count} {tier}")


def _text(x: float, y: int, text: str, *, bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return f'<text x="{x:.0f}" y="{y}"{weight}>{escape(printable_line(text))}</text>'


def _colour(index: int) -> str:
    return _PALETTE[index % len(_PALETTE)]

"""Overrides laid over base shifts: exact replacements for a time range, the later entry winning."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise

from syncd.config.model import Override
from syncd.domain.rotation.shift import Shift, ShiftSource


def overlay(base: Shift, overrides: Sequence[Override]) -> list[Shift]:
    """The segments of `base` with `overrides` applied, in time order; they tile `base` exactly.

    Overrides never touch the walk (the cursor and debts): they only rename who holds a span.
    Segments keep the base shift's index; adjacent spans held alike are merged.
    """
    relevant = [
        o for o in overrides if o.start < o.end and o.start < base.end and base.start < o.end
    ]
    if not relevant:
        return [base]
    inner = {t for o in relevant for t in (o.start, o.end) if base.start < t < base.end}
    segments: list[Shift] = []
    for low, high in pairwise(sorted({base.start, base.end, *inner})):
        # Every override edge inside the shift is a cut, so an override covers a whole piece
        # or none of it; the last one listed wins.
        winner = next((o for o in reversed(relevant) if o.start <= low < o.end), None)
        if winner is None:
            piece = replace(base, start=low, end=high)
        else:
            held = replace(base, member=winner.member, source=ShiftSource.OVERRIDE)
            piece = replace(held, start=low, end=high, reason=winner.reason)
        last = segments[-1] if segments else None
        if last is not None and replace(last, end=high) == replace(piece, start=last.start):
            segments[-1] = replace(last, end=high)
        else:
            segments.append(piece)
    return segments

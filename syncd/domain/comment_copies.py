"""Copies of syncd's flag comment on one issue, and which of them a race left over."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class MarkedComment:
    """A comment that carries syncd's marker: its id in the tracker and who wrote it."""

    id: int
    author: str


def surplus(marked: Iterable[MarkedComment], me: str) -> list[MarkedComment]:
    """The copies to delete: syncd's own (written by `me`), all but the one with the lowest id.

    Reading before posting cannot stop two instances that both read "no marker" from both
    posting. Each applies this rule after posting; it depends only on what the tracker holds,
    so both delete the same copies and one comment stays. A comment by anyone else is never
    surplus (a person quoting the marker), and syncd's earliest stays even when a person's is
    earlier, so the flag keeps its own comment.
    """
    own = sorted((c for c in marked if c.author.casefold() == me.casefold()), key=_by_id)
    return own[1:]


def _by_id(comment: MarkedComment) -> int:
    return comment.id

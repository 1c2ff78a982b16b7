"""A tracker's `write_budget`: `{per_minute: N, per_hour: M}`, or `none` for no budget."""

from __future__ import annotations

from syncd.config.document import Node, Scalar
from syncd.config.section import Section
from syncd.config.values import integer
from syncd.domain.write_budget import WriteBudget

KEY = "write_budget"
_KEYS = ("per_minute", "per_hour")
_MOST = 1_000_000


def read_write_budget(tracker: Section, default: WriteBudget | None) -> WriteBudget | None:
    """The `write_budget` of one tracker; `default` when absent (a problem when invalid).

    A key left out of the mapping keeps `default`'s value (GitHub's 80 a minute, 500 an hour).
    """
    node = tracker.node(KEY)
    if node is None:
        return default
    if isinstance(node, Scalar) and str(node.value).casefold() in {"none", "null"}:
        return None
    section = Section(node, f"{tracker.path}.{KEY}", tracker.ctx, _KEYS)
    fallback = default or WriteBudget()
    per_minute = section.get("per_minute", _count, fallback.per_minute)
    per_hour = section.get("per_hour", _count, fallback.per_hour)
    return WriteBudget(per_minute=per_minute, per_hour=per_hour)


def _count(node: Node) -> int:
    return integer(node, minimum=1, maximum=_MOST)

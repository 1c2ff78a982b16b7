"""Which plans go first when writes must wait (a write budget, the cap, a pause): fires first.

The fire tier is the tier of the first rule with `assign: rotation`: rules are evaluated in
order and the first match wins, so the first rule that pulls in the person on shift is the most
urgent one (`tier: fire` in the SPEC's example). Then the other `assign: rotation` tiers, then
the rest; fires with more reporters first, and oldest first within each group.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from syncd.config.model import AssignMode, Tiers
from syncd.domain.actions import IssuePlan
from syncd.domain.issue import IssueSnapshot

_FIRE, _ROTATION, _REST = 0, 1, 2
_UNKNOWN = datetime.max.replace(tzinfo=UTC)


def fire_tier(tiers: Tiers) -> str | None:
    """The tier of the first `assign: rotation` rule; None when no rule assigns the rotation."""
    return next((rule.tier for rule in tiers.rules if rule.assign is AssignMode.ROTATION), None)


def rotation_tiers(tiers: Tiers) -> frozenset[str]:
    """Every tier that assigns the person on shift, the default tier included when it does."""
    named = {rule.tier for rule in tiers.rules if rule.assign is AssignMode.ROTATION}
    if tiers.default_assign is AssignMode.ROTATION:
        named.add(tiers.default_tier)
    return frozenset(named)


def urgent_first(
    plans: Sequence[IssuePlan], snapshots: Mapping[str, IssueSnapshot], tiers: Tiers
) -> list[IssuePlan]:
    """`plans` in the order their writes should go; `snapshots` by issue key (for reporters
    and age). Stable: plans that rank the same keep their order."""
    fire, rotation = fire_tier(tiers), rotation_tiers(tiers)

    def rank(made: IssuePlan) -> tuple[int, int, datetime]:
        tier = made.decision.tier if made.decision is not None else None
        snapshot = snapshots.get(made.key)
        created = snapshot.created if snapshot is not None else _UNKNOWN
        if tier is not None and tier == fire:
            reporters = snapshot.reporters if snapshot is not None else 1
            return (_FIRE, -reporters, created)
        return (_ROTATION if tier in rotation else _REST, 0, created)

    return sorted(plans, key=rank)

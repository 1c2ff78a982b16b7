"""The escalations a message lists: by tier for a handoff, in stand-up order for the digest."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from syncd.config.model import Tiers
from syncd.domain.notices.events import Escalation, TierList
from syncd.domain.urgency import fire_tier, rotation_tiers

# A message lists this many escalations per tier (or section) and counts the rest: a chat
# message with hundreds of lines is read by nobody, and Slack caps a message's blocks.
MAX_LISTED = 15


def tier_order(tiers: Tiers, found: Sequence[str] = ()) -> list[str]:
    """Tiers as people read them: rule order, then the default, then others by name."""
    order = list(dict.fromkeys([*(rule.tier for rule in tiers.rules), tiers.default_tier]))
    return order + sorted(set(found) - set(order))


def by_tier(items: Sequence[Escalation], tiers: Tiers) -> tuple[TierList, ...]:
    """The non-empty tiers in tier order, each oldest first, at most MAX_LISTED listed."""
    lists = []
    for tier in tier_order(tiers, [item.tier for item in items]):
        held = _oldest_first(item for item in items if item.tier == tier)
        if held:
            lists.append(TierList(tier, tuple(held[:MAX_LISTED]), len(held)))
    return tuple(lists)


def standup_sections(
    items: Sequence[Escalation], tiers: Tiers
) -> tuple[list[Escalation], list[Escalation], list[Escalation], list[Escalation]]:
    """(fires, queue, flagged, acknowledged): fires are the fire tier's (urgency.fire_tier)
    with the most reporters first; the queue is every other tier the rotation is assigned,
    oldest first; flagged are those flagged for the team; acknowledged the rest."""
    fire, rotation = fire_tier(tiers), rotation_tiers(tiers)
    fires = [i for i in items if i.tier == fire and not i.flagged]
    queue = [i for i in items if i.tier in rotation and i.tier != fire and not i.flagged]
    flagged = [i for i in items if i.flagged]
    rest = [i for i in items if i.tier not in rotation and not i.flagged]
    fires.sort(key=lambda i: (-i.reporters, i.created, i.tracker, i.key))
    return fires, _oldest_first(queue), _oldest_first(flagged), _oldest_first(rest)


def _oldest_first(items: Iterable[Escalation]) -> list[Escalation]:
    return sorted(items, key=lambda i: (i.created, i.tracker, i.key))

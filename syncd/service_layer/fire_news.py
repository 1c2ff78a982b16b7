"""News of fires from what one settle applied (SPEC §8): a fire placed and assigned, and a fire
that nobody owned for `notify.unowned_fire_after` (escalated to the fallback, once).

The settle's records before and after tell what happened (syncd.domain.placements); an unowned
fire whose escalation to the fallback is still waiting (the write cap, a pause) is told once
that write lands.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from syncd.config.model import Config
from syncd.domain.actions import Assign, IssuePlan
from syncd.domain.issue import IssueSnapshot
from syncd.domain.ledger import IssueRecord, RecordKey
from syncd.domain.notices.events import Escalation, Fire, UnownedFire
from syncd.domain.placements import Assigned, Placed, happenings
from syncd.domain.unowned import UNOWNED_RULE, unowned_due
from syncd.domain.urgency import fire_tier

# An issue as a message lists it, once the settle's writes landed; None if it lists nothing.
Describe = Callable[[IssueSnapshot], Escalation | None]

_FRESH = IssueRecord()

# Told what each settle did (Notifier.settled): tracker, snapshots, plans, records before and
# after, the settle's time.
SettleHook = Callable[
    [
        str,
        Sequence[IssueSnapshot],
        Sequence[IssuePlan],
        Mapping[RecordKey, IssueRecord],
        Mapping[RecordKey, IssueRecord],
        datetime,
    ],
    object,
]


def fire_news(  # noqa: PLR0917 - one settle's pieces
    config: Config,
    tracker: str,
    snapshots: Sequence[IssueSnapshot],
    plans: Sequence[IssuePlan],
    before: Mapping[RecordKey, IssueRecord],
    after: Mapping[RecordKey, IssueRecord],
    now: datetime,
    describe: Describe,
) -> list[Fire | UnownedFire]:
    """The fire messages one settle of `tracker` calls for (the outbox drops those told)."""
    fire = fire_tier(config.tiers)
    if fire is None or config.notify is None:
        return []
    by_key = {made.key: made for made in plans}
    by_snapshot = {snapshot.key: snapshot for snapshot in snapshots}
    unowned = _unowned(config, tracker, snapshots, by_key, before, after, now, describe)
    told = {news.item.key for news in unowned}
    fires: list[Fire | UnownedFire] = []
    if config.notify.fires:
        for happening in happenings(tracker, snapshots, before, after, now):
            match happening:
                case Placed(placement) if placement.tier == fire:
                    key, at = placement.key, placement.placed_at
                case Assigned(key=key, tier=tier, at=at) if tier == fire:
                    pass
                case _:
                    continue
            snapshot = by_snapshot.get(key)
            item = describe(snapshot) if snapshot is not None else None
            if key not in told and item is not None and item.assignees:
                fires.append(Fire(item, at))
    return [*unowned, *fires]


def _unowned(  # noqa: PLR0917 - one settle's pieces
    config: Config,
    tracker: str,
    snapshots: Sequence[IssueSnapshot],
    plans: Mapping[str, IssuePlan],
    before: Mapping[RecordKey, IssueRecord],
    after: Mapping[RecordKey, IssueRecord],
    now: datetime,
    describe: Describe,
) -> list[UnownedFire]:
    found: list[UnownedFire] = []
    for snapshot in snapshots:
        made = plans.get(snapshot.key)
        if made is None or made.decision is None:
            continue
        old = before.get((tracker, snapshot.key), _FRESH)
        since = unowned_due(snapshot, old, made.decision.tier, config, now)
        if since is None:
            continue
        escalation = next(
            (a for a in made.actions if isinstance(a, Assign) and a.why.rule == UNOWNED_RULE), None
        )
        fallback = None
        if escalation is not None:
            new = after.get((tracker, snapshot.key), old)
            taker = [c for c in escalation.candidates if c.identity == new.assignee]
            if not taker:
                continue  # the write waits (or was refused): told when it lands, or next time
            fallback = taker[0].person
        item = describe(snapshot)
        if item is not None:
            zone = config.rotation.timezone.key
            found.append(UnownedFire(item, since, now, fallback, zone))
    return found

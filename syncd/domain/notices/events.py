"""The events syncd tells people about, as data: each is rendered for Slack and as JSON.

Every event has a stable `id` (`handoff:<shift start>:<person>`, `standup:<day>`, ...): the
outbox keeps one record per id and destination, so an event decided again on a later cycle, after
a restart or a reload, is never sent twice. A new kind (a fire, an unowned fire) is one more
dataclass here with its `kind`, `id` and `relevant_until`, and one renderer in each of
syncd.domain.notices.event_json and syncd.domain.notices.slack.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import ClassVar

from syncd.domain.rotation.shift import FOREVER
from syncd.domain.timestamps import iso_utc

# How long news of a fire is worth sending (after that, the stand-up lists it).
FIRE_NEWS = timedelta(days=1)


@dataclass(frozen=True)
class Escalation:
    """One open escalation as a message lists it; `assignees` are person ids where the config
    knows the identity, else the tracker identity. Title and URL are tracker text (unsafe)."""

    tracker: str
    key: str
    title: str
    url: str
    tier: str
    assignees: tuple[str, ...]
    reporters: int
    created: datetime
    flagged: bool


@dataclass(frozen=True)
class TierList:
    """The open escalations of one tier, oldest first; `total` counts those left out too."""

    tier: str
    items: tuple[Escalation, ...]
    total: int


@dataclass(frozen=True)
class Handoff:
    """`person` (None: nobody eligible) is on shift from `start` until `end`, then `next_person`.

    `first`: syncd's first start announces the running shift; `late`: the change happened while
    syncd was not running and is told after the fact. `carried`: escalations passed on from the
    outgoing person (rotation.carry_over).
    """

    person: str | None
    start: datetime
    end: datetime | None
    next_person: str | None
    previous: str | None
    timezone: str
    queue: tuple[TierList, ...]
    first: bool = False
    late: bool = False
    carried: tuple[Escalation, ...] = ()

    kind: ClassVar[str] = "handoff"

    @property
    def id(self) -> str:
        """One handoff per start of a person's turn."""
        return f"handoff:{iso_utc(self.start)}:{self.person or '-'}"

    @property
    def relevant_until(self) -> datetime:
        """A handoff message is worth sending until the turn it announces ends (a turn with no
        end in sight, as in a one-person rotation, stays worth it)."""
        return self.end if self.end is not None else FOREVER


@dataclass(frozen=True)
class Standup:
    """The digest of working day `day` at `at`: fires (most reporters first), the queue
    (oldest first), items flagged for the team, acknowledged items; `until`: worth sending
    until then (the day's end)."""

    day: date
    at: datetime
    until: datetime
    person: str | None
    timezone: str
    fires: tuple[Escalation, ...]
    queue: tuple[Escalation, ...]
    flagged: tuple[Escalation, ...]
    acknowledged: tuple[Escalation, ...]
    late: bool = False

    kind: ClassVar[str] = "standup"

    @property
    def id(self) -> str:
        """One digest per working day."""
        return f"standup:{self.day.isoformat()}"

    @property
    def relevant_until(self) -> datetime:
        """The end of the day it digests."""
        return self.until


@dataclass(frozen=True)
class CoverageGap:
    """Nobody on the rotation is eligible from `start` to `end`; `fallback` covers, if set."""

    start: datetime
    end: datetime
    fallback: str | None
    timezone: str
    why: str = ""

    kind: ClassVar[str] = "coverage_gap"

    @property
    def id(self) -> str:
        """One warning per uncovered shift."""
        return f"coverage_gap:{iso_utc(self.start)}:{iso_utc(self.end)}"

    @property
    def relevant_until(self) -> datetime:
        """Worth telling until the uncovered shift is over."""
        return self.end


@dataclass(frozen=True)
class Fire:
    """`item` was placed in the fire tier at `placed_at` and is assigned (`item.assignees`)."""

    item: Escalation
    placed_at: datetime

    kind: ClassVar[str] = "fire"

    @property
    def id(self) -> str:
        """One announcement per issue."""
        return f"fire:{self.item.tracker}:{self.item.key}"

    @property
    def relevant_until(self) -> datetime:
        """News for a day; later the stand-up lists it."""
        return self.placed_at + FIRE_NEWS


@dataclass(frozen=True)
class UnownedFire:
    """The fire `item` has had no assignee since `since`; `fallback` (None: not set, or not
    assignable in its tracker) is who syncd assigned it to."""

    item: Escalation
    since: datetime
    at: datetime
    fallback: str | None
    timezone: str

    kind: ClassVar[str] = "unowned_fire"

    @property
    def id(self) -> str:
        """Escalated once per issue."""
        return f"unowned_fire:{self.item.tracker}:{self.item.key}"

    @property
    def relevant_until(self) -> datetime:
        """News for a day after the escalation."""
        return self.at + FIRE_NEWS


Event = Handoff | Standup | CoverageGap | Fire | UnownedFire

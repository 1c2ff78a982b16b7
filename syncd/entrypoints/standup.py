"""The morning stand-up view: who is on call, each tracker's last cycle, the queue, recent writes.

Pure: built from what the state file holds, the config and the roster's shifts at a given `now`;
`syncd status` renders it as a table or as JSON.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from operator import attrgetter

from syncd.adapters.state import AuditEntry, CycleOutcome, CycleRow, SeenIssue
from syncd.config.model import Config, TrackerConfig
from syncd.domain.durations import format_duration
from syncd.domain.notices.digest import tier_order
from syncd.domain.rotation import Shift

# How far back `syncd status` lists writes.
WRITES_WINDOW = timedelta(hours=24)
# A last cycle older than this many poll intervals: the daemon looks stopped (or stuck).
STALE_POLLS = 3
# The queue's order; attrgetter, not a lambda: a third of the page's time at 10,000 issues.
_OLDEST_FIRST = attrgetter("created", "tracker", "key")


@dataclass(frozen=True)
class TrackerState:
    """One configured tracker: its last cycle, and the rate-limit pause still running, if any.

    `stale`: the last cycle finished more than STALE_POLLS poll intervals ago (or never), so
    the daemon looks stopped or stuck and what status shows may be out of date.
    """

    name: str
    kind: str  # github, jira
    last: CycleRow | None
    paused_until: datetime | None
    age: timedelta | None = None  # since the last cycle finished
    stale: bool = False


@dataclass(frozen=True)
class Assignee:
    """An assignee's tracker identity and, when the config knows them, the person's id."""

    identity: str
    person: str | None


@dataclass(frozen=True)
class QueueItem:
    """One open escalation in the queue, with its age at the view's time; `estimate` in the
    config's effort units (`1w 2d`), empty without one."""

    issue: SeenIssue
    age: timedelta
    assignees: tuple[Assignee, ...]
    estimate: str = ""


@dataclass(frozen=True)
class TierGroup:
    """The escalations in one tier, oldest first; `tier` None holds those syncd leaves alone.

    `count`: how many the tier holds; `items` may list only the oldest of them (see `queue`).
    """

    tier: str | None
    label: str | None
    items: tuple[QueueItem, ...]
    count: int


@dataclass(frozen=True)
class Standup:
    """Everything the stand-up view shows, at `at`."""

    at: datetime
    on_call: Shift
    next_shift: Shift | None
    trackers: tuple[TrackerState, ...]
    queue: tuple[TierGroup, ...]
    writes: tuple[AuditEntry, ...]
    people: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # by tracker, identity

    def person(self, tracker: str, identity: str) -> str | None:
        """The person id behind `identity` in `tracker`, when the config knows them."""
        return self.people.get(tracker, {}).get(identity)

    @property
    def open_issues(self) -> int:
        """How many escalations the queue holds."""
        return sum(group.count for group in self.queue)


def standup(  # noqa: PLR0917 - the view's inputs, each from a different source
    config: Config,
    shifts: Sequence[Shift],
    cycles: Mapping[str, CycleRow],
    seen: Sequence[SeenIssue],
    writes: Sequence[AuditEntry],
    now: datetime,
    shown: int | None = None,
) -> Standup:
    """The view at `now`; `shifts` starts with the segment covering `now` (Roster.shifts);
    `shown`: how many issues each tier lists at most (all when None)."""
    if not shifts:
        raise ValueError("the stand-up view needs the shift covering `now`")
    return Standup(
        at=now,
        on_call=shifts[0],
        next_shift=shifts[1] if len(shifts) > 1 else None,
        trackers=tuple(
            _tracker_state(t, cycles.get(t.name), now, config.poll_interval)
            for t in config.trackers
        ),
        queue=queue(config, seen, now, shown),
        writes=tuple(w for w in writes if w.time >= now - WRITES_WINDOW),
        people={tracker.name: _names(config, tracker) for tracker in config.trackers},
    )


def queue(
    config: Config, seen: Sequence[SeenIssue], now: datetime, shown: int | None = None
) -> tuple[TierGroup, ...]:
    """The open escalations of configured trackers by tier; every configured tier, even empty.

    Each tier lists its oldest `shown` issues (all when None) and counts them all: the status
    page shows a screenful of 10,000, and builds only the items it shows.
    """
    trackers = {tracker.name: tracker for tracker in config.trackers}
    found: dict[str | None, list[SeenIssue]] = {}
    for issue in seen:
        if issue.tracker in trackers:
            found.setdefault(issue.tier, []).append(issue)
    order = tier_order(config.tiers, [tier for tier in found if tier])
    names = {name: _names(config, tracker) for name, tracker in trackers.items()}
    groups = []
    for tier in [*order, None]:
        issues = found.get(tier, [])
        if tier is None and not issues:
            continue
        oldest = sorted(issues, key=_OLDEST_FIRST)[:shown]
        items = tuple(_item(config, names, issue, now) for issue in oldest)
        label = None if tier is None else config.tiers.label(tier)
        groups.append(TierGroup(tier, label, items, len(issues)))
    return tuple(groups)


def _item(
    config: Config, names: Mapping[str, Mapping[str, str]], issue: SeenIssue, now: datetime
) -> QueueItem:
    who = tuple(Assignee(x, names[issue.tracker].get(x)) for x in issue.assignees)
    span = max(timedelta(0), now - issue.created)
    units = config.estimates.units
    effort = "" if issue.estimate is None else format_duration(issue.estimate, units)
    return QueueItem(issue, span, who, effort)


def _names(config: Config, tracker: TrackerConfig) -> dict[str, str]:
    """Person ids by their identity in `tracker`."""
    found: dict[str, str] = {}
    for person in config.people.values():
        identity = person.identity(tracker)
        if identity is not None:
            found.setdefault(identity, person.id)
    return found


def _tracker_state(
    tracker: TrackerConfig, last: CycleRow | None, now: datetime, poll_interval: float
) -> TrackerState:
    paused = (
        last is not None
        and last.outcome is CycleOutcome.PAUSED
        and last.paused_until is not None
        and last.paused_until > now
    )
    until = last.paused_until if paused and last is not None else None
    if last is None:
        return TrackerState(tracker.name, tracker.kind, None, None)
    age = max(timedelta(0), now - last.finished)
    stale = age > timedelta(seconds=STALE_POLLS * poll_interval)
    return TrackerState(tracker.name, tracker.kind, last, until, age, stale)

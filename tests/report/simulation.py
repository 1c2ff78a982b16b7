"""A year of simulated rotation kept in a real state file, as the daemon would have kept it.

Seeded: random skips (deferred and forfeited), overrides that never overlap one another, and
escalations placed, assigned and flagged at random times. The journal is recorded day by day
by the roster, as each settle of the daemon records it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from syncd.adapters.state import Store
from syncd.config.model import Config, Member, Override, Skip, SkipMode
from syncd.domain.placements import Assigned, Flagged, Placed, Placement
from syncd.domain.rotation import Roster
from tests.builders import a_config

FIRST_DAY = date(2026, 1, 5)  # a Monday
SINCE = datetime(2026, 1, 5, tzinfo=UTC)
UNTIL = datetime(2027, 1, 4, 12, 0, tzinfo=UTC)
MEMBERS = ("alice", "bob", "carol", "dave", "erin")
SKIPS_END = date(2026, 8, 31)  # no skip after this day: the last months are the fair stretch
REASONS = ("billing rewrite", "PTO", "conference", "deep work: \x1b[31msearch\x1b[0m")
TIERS = ("fire", "queue", "triage")


@dataclass(frozen=True)
class Year:
    """The simulated configuration (its state file in `config.state_path`) and the placements."""

    config: Config
    placements: tuple[Placement, ...]


def simulate(tmp_path: Path, seed: int, *, skips: int = 14, overrides: int = 24) -> Year:
    """A year of rotation from FIRST_DAY to UNTIL, its history kept in `tmp_path`."""
    rng = random.Random(seed)
    config = a_config(members=MEMBERS)
    rotation = replace(
        config.rotation,
        start=FIRST_DAY,
        holidays=frozenset(),
        members=tuple(Member(m) for m in MEMBERS),
        skips=tuple(_skip(rng) for _ in range(skips)),
        overrides=_overrides(rng, overrides),
    )
    config = replace(config, rotation=rotation, state_path=tmp_path / "syncd.db")
    with Store.open(config.state_path) as store:
        roster = Roster(rotation, store.journal)
        placements = []
        day = SINCE
        while day < UNTIL:
            roster.record_started(day + timedelta(hours=15))
            for _ in range(rng.randint(0, 4)):
                at = day + timedelta(hours=15, seconds=rng.randint(0, 86399))
                if at < UNTIL and roster.on_call(at).index >= 0:
                    placements.append(_escalation(rng, store, roster, at))
            day += timedelta(days=1)
        roster.record_started(UNTIL)
    return Year(config, tuple(placements))


def _skip(rng: random.Random) -> Skip:
    start = FIRST_DAY + timedelta(days=rng.randint(0, (SKIPS_END - FIRST_DAY).days - 10))
    end = start + timedelta(days=rng.randint(0, 9))
    mode = SkipMode.DEFER if rng.random() < 0.7 else SkipMode.FORFEIT
    return Skip(rng.choice(MEMBERS), start, end, mode, rng.choice(REASONS))


def _overrides(rng: random.Random, count: int) -> tuple[Override, ...]:
    """`count` overrides on distinct days at least 3 days apart: none overlaps another."""
    days = sorted(rng.sample(range(0, 360, 3), count))
    found = []
    for offset in days:
        start = datetime.combine(FIRST_DAY + timedelta(days=offset), time(13, 0), UTC)
        end = start + timedelta(hours=rng.randint(2, 40))
        found.append(Override(rng.choice(MEMBERS), start, end, "swap"))
    return tuple(found)


def _escalation(rng: random.Random, store: Store, roster: Roster, at: datetime) -> Placement:
    """One escalation placed at `at`, maybe assigned (after a delay) and flagged."""
    member = roster.on_call(at).member
    created = at - timedelta(seconds=rng.randint(0, 600))
    key = f"acme/web#{rng.randint(1, 10**9)}"
    placement = Placement("web", key, rng.choice(TIERS), at, created, member)
    store.placements.note(Placed(placement))
    if member is not None and placement.tier != "triage":
        assigned = at + timedelta(seconds=rng.randint(0, 3600))
        store.placements.note(Assigned("web", key, placement.tier, member, assigned, created))
        placement = replace(placement, assignee=member, assigned_at=assigned)
    if rng.random() < 0.1:
        store.placements.note(Flagged("web", key, at))
        placement = replace(placement, flagged_at=at)
    return placement

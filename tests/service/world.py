"""A small world for service tests: two fake trackers, a real state file and a fake clock."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from syncd.adapters.state import Store
from syncd.config.model import Config
from syncd.domain.ledger import IssueRecord
from syncd.service_layer.service import Service
from tests.builders import a_config, a_github_tracker, a_jira_tracker
from tests.fakes import FakeClock, FakeTracker

# Monday 2026-11-02, 11:00 in Detroit: shift 0 (alice) has started at 09:00.
START = datetime(2026, 11, 2, 16, 0, tzinfo=UTC)


@dataclass
class World:
    """Two fake trackers, a state file, a fake clock and a record of the pauses taken."""

    tmp: Path
    config: Config
    clock: FakeClock = field(default_factory=lambda: FakeClock(START))
    sleeps: list[float] = field(default_factory=list)
    store: Store | None = None

    def __post_init__(self) -> None:
        self.web = FakeTracker("web", self.clock)
        self.support = FakeTracker("support", self.clock)
        self.store = Store.open(self.tmp / "syncd.db")
        self.service = self.new_service()

    def new_service(self) -> Service:
        """A service over the same trackers and state (as after a restart)."""
        assert self.store is not None
        trackers = {"web": self.web, "support": self.support}
        return Service(self.config, trackers, self.store, self.clock, self.sleeps.append)

    def lose_state(self) -> None:
        """Delete the state file: a brand-new store and service."""
        assert self.store is not None
        self.store.close()
        (self.tmp / "syncd.db").unlink()
        self.store = Store.open(self.tmp / "syncd.db")
        self.service = self.new_service()

    def record(self, key: str, tracker: str = "web") -> IssueRecord:
        """The stored record of one issue."""
        assert self.store is not None
        return self.store.records(tracker)[(tracker, key)]

    def writes(self) -> int:
        """Writes both trackers have received so far."""
        return len(self.web.writes) + len(self.support.writes)


def two_trackers(**web: object) -> Config:
    """The SPEC config with a GitHub tracker `web` (settings overridden) and a Jira `support`."""
    return a_config(trackers=(a_github_tracker("web", **web), a_jira_tracker("support")))


def make_world(tmp_path: Path, config: Config) -> World:
    """A world over `config`, its state file in `tmp_path`."""
    return World(tmp_path, config)


def fresh_world(tmp_path: Path) -> Iterator[World]:
    """A fresh world over the SPEC config; its state file is closed afterwards (a fixture)."""
    made = World(tmp_path, two_trackers())
    yield made
    assert made.store is not None
    made.store.close()

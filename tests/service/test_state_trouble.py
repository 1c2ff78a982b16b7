"""A state file that fills up or holds garbage: the daemon stops clearly, bad rows are set aside."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from syncd.errors import StateError
from tests.daemon.test_daemon_loop import Harness
from tests.service.world import World

FIRE = ("escalation", "outage")


def raw(world: World) -> sqlite3.Connection:
    """The store's own connection (a page limit set on it holds for the store's writes)."""
    assert world.store is not None
    return world.store._conn


def corrupt(world: World, statement: str) -> None:
    """Run `statement` on the state file, as a hand edit or a bad disk would."""
    raw(world).execute(statement)


class TestFullDisk:
    def test_a_full_disk_stops_the_cycle_with_a_state_error_not_a_crash_per_tracker(
        self, world: World
    ) -> None:
        """SQLITE_FULL mid-cycle: StateError naming the file, no "crashed" log, no more writes."""
        for number in range(40):
            world.web.open_issue(labels=FIRE, title=f"checkout down {number} " + "x" * 200)
            world.support.open_issue(labels=FIRE)
        conn = raw(world)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")  # no page more: the disk is full

        with capture_logs() as logs, pytest.raises(StateError, match="disk is full") as caught:
            world.service.cycle(full=True)

        assert str(world.tmp / "syncd.db") in str(caught.value)
        assert not [entry for entry in logs if entry["event"] == "tracker cycle crashed"]
        assert world.support.writes == []

    def test_the_daemon_stops_at_a_full_disk_instead_of_cycling_on(self, tmp_path: Path) -> None:
        """`run` forever on a full disk: the StateError ends the loop after the first cycle
        (the CLI prints it as one line, exit 1); the tracker is not fetched again."""
        harness = Harness(tmp_path)
        for number in range(40):
            harness.web.open_issue(labels=FIRE, title=f"checkout down {number} " + "x" * 200)
        conn = harness.store._conn
        conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")

        try:
            with pytest.raises(StateError, match="disk is full"):
                harness.daemon.run_forever()
        finally:
            harness.store.close()

        assert len(harness.web.fetches) == 1
        assert harness.daemon.cycles == 0


class TestBadRows:
    def test_a_garbage_watermark_is_set_aside_and_the_tracker_syncs(self, world: World) -> None:
        """`watermarks.watermark = 'nope'`: logged once naming table and tracker, then a full
        fetch; the tracker's cycle is ok and the watermark is written afresh."""
        issue = world.web.open_issue(labels=FIRE)
        world.service.cycle(full=True)
        corrupt(world, "UPDATE watermarks SET watermark = 'nope' WHERE tracker = 'web'")
        world.web.edit(issue, labels=(*FIRE, "customer"))
        world.clock.advance(60)

        with capture_logs() as logs:
            report = world.service.cycle(full=False)

        assert {r.tracker: r.outcome.value for r in report.trackers}["web"] == "ok"
        aside = [entry for entry in logs if entry.get("table") == "watermarks"]
        assert len(aside) == 1 and aside[0]["key"] == "web"
        assert world.store is not None and world.store.watermark("web") is not None

    def test_a_garbage_cycle_time_does_not_stop_a_start(self, world: World) -> None:
        """`cycles.finished = 'garbage'`: a new service (a start) sets the row aside and runs."""
        world.web.open_issue(labels=FIRE)
        world.service.cycle(full=True)
        corrupt(world, "UPDATE cycles SET finished = 'garbage' WHERE tracker = 'web'")

        with capture_logs() as logs:
            world.service = world.new_service()
            report = world.service.cycle(full=True)

        assert all(r.outcome.value == "ok" for r in report.trackers)
        assert [e["key"] for e in logs if e.get("table") == "cycles"] == ["web"]

    def test_a_record_with_a_garbage_time_is_treated_as_absent(self, world: World) -> None:
        """A record whose `placed_at` is 'garbage' reads as no record (once logged), never as a
        crash of every cycle; the next cycle writes it afresh."""
        issue = world.web.open_issue(labels=FIRE)
        world.service.cycle(full=True)
        corrupt(world, "UPDATE records SET placed_at = 'garbage' WHERE tracker = 'web'")
        world.clock.advance(60)

        with capture_logs() as logs:
            first = world.service.cycle(full=True)
            world.clock.advance(60)
            second = world.service.cycle(full=True)

        outcomes = [r.outcome.value for r in (*first.trackers, *second.trackers)]
        assert outcomes == ["ok"] * 4
        aside = [e for e in logs if e.get("table") == "records"]
        assert len(aside) == 1 and aside[0]["key"] == issue
        assert world.record(issue).placed_at is not None

    def test_a_sighting_with_broken_json_is_left_out_of_the_queue(self, world: World) -> None:
        """`seen.assignees` holding broken JSON: that issue is left out, the others are read."""
        world.web.open_issue(labels=FIRE)
        world.support.open_issue(labels=FIRE)
        world.service.cycle(full=True)
        corrupt(world, "UPDATE seen SET assignees = '[\"broken' WHERE tracker = 'web'")
        assert world.store is not None

        with capture_logs() as logs:
            issues = world.store.seen.issues()

        assert [issue.tracker for issue in issues] == ["support"]
        assert [e["table"] for e in logs if "table" in e] == ["seen"]

"""Deliveries settled by the loop thread: one re-read per issue, then exactly what a cycle does."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta

import pytest

from syncd.config.model import Config
from syncd.errors import RateLimited, TrackerUnavailable
from syncd.service_layer.daemon import Daemon
from syncd.service_layer.inbox import Inbox
from syncd.service_layer.reactions import Reactions
from syncd.service_layer.service import Service
from tests.fakes import SteppingClock, Ticks
from tests.service.world import World, fresh_world
from tests.webhooks.deliveries import CountingMetrics

world = pytest.fixture(fresh_world, name="world")


def react(world: World, inbox: Inbox, ticks: Ticks | None = None) -> CountingMetrics:
    """Settle what `inbox` holds with the world's service; the metrics it reported."""
    metrics = CountingMetrics()
    assert world.store is not None
    clock = ticks or Ticks()
    Reactions(inbox, world.store.deliveries, metrics, world.clock, monotonic=clock).react(
        world.service, lambda: False
    )
    return metrics


def test_a_delivery_settles_its_issue_as_a_cycle_would(world: World) -> None:
    """The named issue is re-read once and gets its tier label and record, unlisted."""
    key = world.web.open_issue(labels=("escalation",))
    inbox = Inbox()
    inbox.offer("web", key, "issues", "d-1")
    react(world, inbox)
    assert world.web.fetched_one == [key]
    assert [(w.op, w.arg) for w in world.web.writes] == [("add_label", "tier/triage")]
    assert world.record(key).tier is not None
    assert world.web.fetches == []  # no listing


def test_the_echo_of_syncds_own_writes_costs_one_read_and_no_write(world: World) -> None:
    """The labeled/assigned events syncd's writes cause: one re-read for the burst, no write."""
    key = world.web.open_issue(labels=("escalation",))
    world.service.cycle()
    writes = len(world.web.writes)
    inbox = Inbox()
    for number, event in enumerate(("labeled", "assigned", "labeled")):
        inbox.offer("web", key, event, f"echo-{number}")
    metrics = react(world, inbox)
    assert world.web.fetched_one == [key]
    assert len(world.web.writes) == writes
    assert [tracker for tracker, _ in metrics.reactions] == ["web"] * 3


def test_a_payload_cannot_make_syncd_write_what_a_cycle_would_not(world: World) -> None:
    """A signed but stale, forged or replayed hint about an issue that is not an escalation
    (closed, unlabelled, elsewhere) re-reads it and writes nothing."""
    inbox = Inbox()
    inbox.offer("web", "acme/web#999", "issues", "forged")
    inbox.offer("support", "SUP-404", "jira:issue_updated", "stale")
    react(world, inbox)
    assert world.web.fetched_one == ["acme/web#999"]
    assert world.support.fetched_one == ["SUP-404"]
    assert world.writes() == 0


def test_delivery_ids_are_remembered_once_settled_and_survive_a_restart(world: World) -> None:
    """Ids settled are in the state file: an inbox built from it at start answers duplicates."""
    key = world.web.open_issue(labels=("escalation",))
    inbox = Inbox()
    inbox.offer("web", key, "issues", "d-1")
    react(world, inbox)
    assert world.store is not None
    restarted = Inbox(world.store.deliveries.recent(world.clock()))
    assert restarted.offer("web", key, "issues", "d-1").value == "duplicate"


def test_the_time_from_accepted_to_settled_is_observed(world: World) -> None:
    """The reaction histogram sees each delivery's time from accepted to its writes landed."""
    key = world.web.open_issue(labels=("escalation",))
    ticks = Ticks()
    inbox = Inbox(monotonic=ticks)
    inbox.offer("web", key, "issues", "d-1")
    ticks.now += 0.25
    metrics = react(world, inbox, ticks)
    assert metrics.reactions == [("web", 0.25)]


def test_a_failed_re_read_is_left_to_the_poll(world: World) -> None:
    """A tracker that fails the re-read: no write, its id not remembered (a redelivery is taken
    later), and the next cycle settles the issue."""
    key = world.web.open_issue(labels=("escalation",))
    world.web.fail_next(1, TrackerUnavailable("GitHub answered 502"), ops=("fetch_one",))
    inbox = Inbox()
    inbox.offer("web", key, "issues", "d-1")
    react(world, inbox)
    assert world.web.writes == []
    assert world.store is not None
    assert world.store.deliveries.recent(world.clock()) == {("web", "d-1")}
    world.clock.advance(3600)
    world.service.cycle()
    assert world.web.writes


def test_a_rate_limited_re_read_pauses_the_tracker(world: World) -> None:
    """A rate limit on the re-read pauses the tracker as a cycle's would; nothing is written."""
    key = world.web.open_issue(labels=("escalation",))
    until = world.clock() + timedelta(hours=1)
    world.web.fail_next(1, RateLimited("secondary rate limit", until), ops=("fetch_one",))
    inbox = Inbox()
    inbox.offer("web", key, "issues", "d-1")
    inbox.offer("web", key, "issues", "d-2")
    react(world, inbox)
    inbox.offer("web", key, "issues", "d-3")
    react(world, inbox)
    assert world.web.writes == []
    assert world.web.fetched_one == []  # paused: the second delivery is left to the poll


def test_a_delivery_during_a_cycle_waits_for_it_and_writes_nothing_twice(world: World) -> None:
    """A delivery queued while a cycle settles the same issue is settled after the cycle: the
    re-read finds it right, so every write happens once."""
    key = world.web.open_issue(labels=("escalation",))
    inbox = Inbox()
    cycles = 0

    def build(config: Config, stop: threading.Event) -> Service:
        return world.service

    assert world.store is not None
    reactions = Reactions(inbox, world.store.deliveries, CountingMetrics(), world.clock)
    daemon = Daemon(
        replace(world.config, source=world.tmp / "absent.yaml"),
        build,
        lambda path: world.config,
        monotonic=SteppingClock(),
        react=reactions.react,
    )
    inbox.wake = daemon.wake
    original = world.service.cycle

    def cycle_with_a_delivery(full: bool = False) -> object:
        nonlocal cycles
        cycles += 1
        # The tracker's own event for the issue the cycle is writing, delivered mid-cycle.
        inbox.offer("web", key, "issues", f"mid-cycle-{cycles}")
        report = original(full)
        if cycles == 2:
            daemon.request_stop()
        return report

    world.service.cycle = cycle_with_a_delivery  # type: ignore[method-assign]
    daemon.run_forever()
    ops = [(w.op, w.key) for w in world.web.writes]
    assert len(ops) == len(set(ops))  # no write twice
    assert world.web.fetched_one == [key]  # settled after the first cycle, before the second

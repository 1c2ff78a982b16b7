"""The service tells people once per cycle, after the trackers, at the clock's time then; the
composition root builds one poster per configured URL."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from syncd.domain.rotation import Roster
from syncd.service_layer.service import Service
from syncd.service_layer.wiring import build_posters
from tests.builders import a_config
from tests.notify.notify_world import notify_config
from tests.service.world import World, two_trackers


def test_each_cycle_calls_the_notifier_once_with_the_time_after_the_trackers(
    tmp_path: Path,
) -> None:
    """Two cycles, two calls; the time is the clock's once the trackers are done."""
    world = World(tmp_path, two_trackers())
    calls: list[tuple[datetime, Roster]] = []
    trackers = {"web": world.web, "support": world.support}
    assert world.store is not None
    service = Service(
        world.config,
        trackers,
        world.store,
        world.clock,
        world.sleeps.append,
        notify=lambda now, roster: calls.append((now, roster)),
    )

    service.cycle()
    world.clock.advance(60)
    service.cycle()

    assert [now for now, _ in calls] == [world.clock() - timedelta(minutes=1), world.clock()]
    assert all(isinstance(roster, Roster) for _, roster in calls)
    world.store.close()


def test_one_poster_per_configured_url() -> None:
    """Both URLs: slack and webhook; no `notify:`: none."""
    assert sorted(build_posters(notify_config())) == ["slack", "webhook"]
    assert build_posters(a_config()) == {}

"""What an idle cycle costs syncd itself: no per-tier count query without metrics (issue 15)."""

from __future__ import annotations

from pathlib import Path

from syncd.adapters.state import Store
from syncd.adapters.state.seen import SeenTable
from syncd.service_layer.service import Service
from tests.builders import a_config, a_github_tracker
from tests.fakes import FakeClock, FakeTracker
from tests.service.world import START


class CountingSeen(SeenTable):
    """The seen table, counting the per-tier count queries."""

    counted = 0

    def tier_counts(self, tracker: str) -> dict[str, int]:
        """The real counts, counted."""
        CountingSeen.counted += 1
        return super().tier_counts(tracker)


def test_without_metrics_no_cycle_counts_the_queue_by_tier(tmp_path: Path) -> None:
    """NullMetrics keeps nothing, so the cycle does not ask the state for the queue per tier."""
    path = tmp_path / "syncd.db"
    with Store.open(path) as store:
        store.seen = CountingSeen(path, store._conn)
        clock = FakeClock(START)
        web = FakeTracker("web", clock)
        web.open_issue()
        config = a_config(trackers=(a_github_tracker("web"),))
        service = Service(config, {"web": web}, store, clock, lambda s: None)

        service.cycle(full=True)
        service.cycle()

    assert CountingSeen.counted == 0

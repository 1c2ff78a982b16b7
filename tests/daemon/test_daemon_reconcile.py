"""The daemon's reconciliations follow the state: a restart right after a full pass is idle."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from structlog.testing import capture_logs

from syncd.errors import RateLimited
from syncd.service_layer.daemon import Daemon
from tests.daemon.test_daemon_loop import START, Harness
from tests.fakes import SteppingClock


def restarted(harness: Harness) -> Daemon:
    """A new daemon over the same state, config and tracker (a second cron run, a restart)."""
    return Daemon(harness.config, harness.build, harness.load, monotonic=SteppingClock())


class TestReconcileAcrossStarts:
    def test_a_second_run_once_lists_only_changes(self, tmp_path: Path) -> None:
        """Two `--once` runs in a row: the first reconciles, the second lists from the watermark."""
        harness = Harness(tmp_path)
        harness.web.open_issue(labels=("escalation", "outage"))

        first = harness.daemon.run_once()
        harness.clock.advance(300)
        second = restarted(harness).run_once()
        harness.store.close()

        assert (first, second) == (0, 0)
        assert harness.web.fetches[0] is None
        assert harness.web.fetches[1] is not None

    def test_a_restarted_loop_does_not_redo_a_recent_full_pass(self, tmp_path: Path) -> None:
        """run_forever after a restart starts incrementally when the last full pass is recent."""
        harness = Harness(tmp_path)
        harness.web.open_issue(labels=("escalation", "outage"))
        harness.daemon.run_once()
        harness.clock.advance(60)
        harness.daemon = restarted(harness)
        harness.stop_after_cycles(2)

        with capture_logs() as logs:
            harness.daemon.run_forever()
        harness.store.close()

        assert [e["full"] for e in logs if e["event"] == "cycle"] == [False]
        assert harness.web.fetches[1] is not None

    def test_a_long_pause_is_named_with_its_tracker_and_utc_time(self, tmp_path: Path) -> None:
        """`--once` exits 1 and says which tracker waits until when, in UTC."""
        harness = Harness(tmp_path)
        until = START + timedelta(minutes=5)
        harness.web.fail_next(1, RateLimited("secondary rate limit", until), ops=["fetch"])

        with capture_logs() as logs:
            status = harness.daemon.run_once()
        harness.store.close()

        lines = [e for e in logs if e["event"] == "not synced: rate limited"]
        assert status == 1
        assert [(e["tracker"], e["until"]) for e in lines] == [("web", "2026-11-02T16:05:00Z")]

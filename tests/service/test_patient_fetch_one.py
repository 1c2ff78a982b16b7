"""PatientTracker.fetch_one: a webhook's re-read waits out a short rate limit like any call."""

from __future__ import annotations

from datetime import timedelta

from syncd.errors import RateLimited
from syncd.service_layer.patience import Patience, PatientTracker
from tests.fakes import EPOCH, FakeClock, FakeTracker


class TestPatientFetchOne:
    """fetch_one through the Patience the cycle's calls share."""

    def test_a_short_limit_is_waited_out_and_the_issue_read_again(self) -> None:
        """A 5 s limit is slept out and the same key read once more."""
        clock = FakeClock()
        tracker = FakeTracker("web", clock)
        key = tracker.open_issue()
        tracker.fail_next(1, RateLimited("slow down", EPOCH + timedelta(seconds=5)))
        slept: list[float] = []
        patience = Patience(clock, slept.append, budget=60, stop_requested=lambda: False)

        found = PatientTracker(tracker, patience).fetch_one(key)

        assert found == tracker.issues[key]
        assert slept == [5.0]
        assert tracker.fetched_one == [key]

    def test_an_issue_the_tracker_lacks_is_none(self) -> None:
        """No waiting, no error: the tracker's None comes through."""
        tracker = FakeTracker("web")
        patience = Patience(
            FakeClock(), lambda _seconds: None, budget=60, stop_requested=lambda: False
        )

        assert PatientTracker(tracker, patience).fetch_one("acme/web#404") is None

"""The composition root hands one clock to every adapter it builds."""

from __future__ import annotations

from datetime import UTC, datetime

from syncd.adapters.jira.client import JiraAdapter
from syncd.service_layer.wiring import MemoryEtags, build_trackers, utc_now
from tests.builders import a_config

FROZEN = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def frozen() -> datetime:
    """A clock that never moves."""
    return FROZEN


class TestBuildTrackers:
    """build_trackers with and without a clock."""

    def test_a_given_clock_reaches_the_jira_adapter(self) -> None:
        """Jira watermarks are dated by the clock passed in, as a benchmark needs."""
        config = a_config()

        trackers = build_trackers(config, lambda name: MemoryEtags(), frozen)

        jira = [t for t in trackers.values() if isinstance(t, JiraAdapter)]
        assert jira and all(t.clock() == FROZEN for t in jira)

    def test_without_a_clock_adapters_read_the_real_one(self) -> None:
        """The default is the real UTC clock."""
        trackers = build_trackers(a_config(), lambda name: MemoryEtags())

        jira = [t for t in trackers.values() if isinstance(t, JiraAdapter)]
        assert jira and all(t.clock is utc_now for t in jira)

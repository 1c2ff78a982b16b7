"""The sandbox's GitHub secondary limits: writes beyond the windows get GitHub's 403."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from syncd.sandbox.secondary import SecondaryLimits

NOW = datetime(2026, 11, 2, 16, 0, tzinfo=UTC)


class TestSecondaryLimits:
    def test_a_write_beyond_the_minute_is_refused_with_retry_after(self) -> None:
        """Two a minute: the third POST is a 403 naming the wait until the first leaves."""
        limits = SecondaryLimits(per_minute=2, per_hour=10)
        assert limits.admit("POST", NOW) is None
        assert limits.admit("DELETE", NOW + timedelta(seconds=20)) is None

        refused = limits.admit("POST", NOW + timedelta(seconds=30))

        assert refused is not None
        assert refused.status == 403
        assert refused.headers["Retry-After"] == "30"
        assert "secondary rate limit" in json.loads(refused.body)["message"]
        assert limits.refused == 1

    def test_reads_are_never_limited_and_the_hour_counts(self) -> None:
        """GETs pass; three writes an hour: the fourth waits for the hour of the first."""
        limits = SecondaryLimits(per_minute=80, per_hour=3)
        for minute in range(3):
            assert limits.admit("PATCH", NOW + timedelta(minutes=minute)) is None
        assert limits.admit("GET", NOW + timedelta(minutes=5)) is None

        refused = limits.admit("PUT", NOW + timedelta(minutes=5))

        assert refused is not None and refused.headers["Retry-After"] == str(55 * 60)
        assert limits.admit("POST", NOW + timedelta(hours=1)) is None

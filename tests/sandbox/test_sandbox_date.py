"""The sandbox's `Date` header tells its own clock, as a real server's does."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import requests

from syncd.sandbox.server import Sandbox
from tests.sandbox.conftest import NOW


class TestDateHeader:
    def test_the_date_header_is_the_sandbox_clock(self, sandbox: Sandbox) -> None:
        """With the clock at NOW, every answer is dated NOW (not the machine's time)."""
        answer = requests.get(f"{sandbox.jira_cloud_url}/rest/api/2/serverInfo", timeout=5)

        assert parsedate_to_datetime(answer.headers["Date"]) == NOW

    def test_a_frozen_time_moves_the_date_header(self, sandbox: Sandbox) -> None:
        """set_time() is what the next answer is dated."""
        later = datetime(2027, 1, 4, 9, 30, tzinfo=UTC)
        sandbox.set_time(later)

        answer = requests.get(f"{sandbox.jira_cloud_url}/rest/api/2/serverInfo", timeout=5)

        assert parsedate_to_datetime(answer.headers["Date"]) == later

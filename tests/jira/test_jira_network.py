"""Network failures and redirects on the way to Jira name the host and the cause."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from syncd.adapters.jira.client import JiraAdapter
from syncd.config.model import Estimates, JiraTracker, Secret
from syncd.errors import TrackerUnavailable
from tests.local_servers import UNKNOWN_HOST, closed_port, http_server, silent_server

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def failure_at(url: str, timeout: float = 5) -> str:
    """The message of the TrackerUnavailable a first search of the site at `url` raises."""
    config = JiraTracker(
        name="support",
        url=url,
        token=Secret("tok-s3cr3t-value", "${JIRA_API_TOKEN}"),
        jql="project = SUP",
        email=Secret("bot@acme.example", "${JIRA_EMAIL}"),
    )
    jira = JiraAdapter(config, Estimates(limit=3600.0), timeout=timeout, clock=lambda: NOW)
    with pytest.raises(TrackerUnavailable) as caught:
        jira.fetch(None)
    return str(caught.value)


class TestNetworkFailures:
    """What a failed connection to Jira is reported as."""

    def test_a_closed_port_is_a_refused_connection(self) -> None:
        """Nothing listening: the message names the host and says the connection was refused."""
        message = failure_at(f"http://127.0.0.1:{closed_port()}")
        assert "127.0.0.1: connection refused" in message

    def test_an_unknown_host_name_is_not_found(self) -> None:
        """A name that does not resolve: the message names it and says it was not found."""
        assert f"{UNKNOWN_HOST}: name not found" in failure_at(f"https://{UNKNOWN_HOST}")

    def test_a_server_that_never_answers_times_out(self) -> None:
        """A server that accepts and stays silent: a timeout, named as one."""
        with silent_server() as port:
            message = failure_at(f"http://127.0.0.1:{port}", timeout=0.2)
        assert "127.0.0.1: timed out" in message

    def test_plain_http_spoken_to_over_tls_is_a_tls_failure(self) -> None:
        """https to a plain-HTTP server: the TLS handshake fails, and the message says TLS."""
        with http_server() as port:
            message = failure_at(f"https://127.0.0.1:{port}")
        assert "127.0.0.1: TLS" in message


class TestRedirects:
    """A redirect to another host is reported, not followed with the credentials."""

    @pytest.mark.parametrize("status", [301, 302, 307])
    def test_a_redirect_to_another_host_says_where(self, status: int) -> None:
        """The redirect names the other host, and nothing is asked of that host."""
        with http_server(f"http://{UNKNOWN_HOST}/rest/api/2/serverInfo", status) as port:
            message = failure_at(f"http://127.0.0.1:{port}")
        assert f"redirected to {UNKNOWN_HOST}" in message

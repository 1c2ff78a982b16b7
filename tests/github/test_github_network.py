"""Network failures and redirects on the way to GitHub name the host and the cause."""

from __future__ import annotations

from dataclasses import replace

import pytest
from github_payloads import ESTIMATES, NOW, DictEtags, tracker

from syncd.adapters.github.client import GitHubAdapter
from syncd.errors import TrackerUnavailable
from tests.local_servers import UNKNOWN_HOST, closed_port, http_server, silent_server


def failure_at(base_url: str, timeout: float = 5) -> str:
    """The message of the TrackerUnavailable a fetch from `base_url` raises."""
    config = replace(tracker(), base_url=base_url)
    gh = GitHubAdapter(config, ESTIMATES, DictEtags(), timeout=timeout, clock=lambda: NOW)
    with pytest.raises(TrackerUnavailable) as caught:
        gh.fetch(None)
    return str(caught.value)


class TestNetworkFailures:
    """What a failed connection to GitHub is reported as."""

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
    """A redirect to another host is reported, not followed with the token."""

    @pytest.mark.parametrize("status", [301, 302, 307])
    def test_a_redirect_to_another_host_says_where(self, status: int) -> None:
        """The answer's redirect names the other host; no JSON error, no internal crash."""
        with http_server(f"http://{UNKNOWN_HOST}/repos/acme/web/issues", status) as port:
            message = failure_at(f"http://127.0.0.1:{port}")
        assert f"redirected to {UNKNOWN_HOST}" in message

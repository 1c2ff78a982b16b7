"""The `http:` section: the listener's address and token, validated where they stand."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncd.config.hazards import hazards
from syncd.entrypoints.cli import main
from tests.config.sample import VALID, load_text, problems_of

ENV = {"GITHUB_TOKEN": "ghp-secret", "SYNCD_HTTP_TOKEN": "page-secret"}


def with_http(body: str) -> str:
    """VALID with an `http:` section (its lines indented by two spaces) at the top."""
    return f"http:\n{body}" + VALID


class TestHttpSection:
    def test_without_the_section_nothing_is_served(self) -> None:
        """No `http:` means no listener address in the configuration."""
        assert load_text(VALID, ENV).http is None

    @pytest.mark.parametrize(
        ("listen", "address"),
        [("127.0.0.1:9464", ("127.0.0.1", 9464)), ("'[::1]:8080'", ("::1", 8080))],
    )
    def test_listen_is_read_as_host_and_port(self, listen: str, address: tuple[str, int]) -> None:
        """host:port, an IPv6 host in brackets."""
        http = load_text(with_http(f"  listen: {listen}\n"), ENV).http

        assert http is not None
        assert (http.host, http.port, http.token) == (*address, None)

    def test_the_token_is_a_secret_from_the_environment(self) -> None:
        """`token: ${VAR}` is read as a Secret that never shows its value."""
        text = with_http("  listen: 127.0.0.1:9464\n  token: ${SYNCD_HTTP_TOKEN}\n")
        http = load_text(text, ENV).http

        assert http is not None and http.token is not None
        assert (http.token.reveal(), str(http.token)) == (
            "page-secret",
            "Secret(${SYNCD_HTTP_TOKEN})",
        )

    @pytest.mark.parametrize("listen", ["9464", "localhost:", "localhost:70000", "::1:80"])
    def test_a_bad_address_is_reported_at_its_line(self, listen: str) -> None:
        """A listen value that is not host:port is a problem naming http.listen and line 2."""
        problems = problems_of(with_http(f"  listen: '{listen}'\n"), ENV)

        assert len(problems) == 1
        assert problems[0].startswith("syncd.yaml:2: http.listen: ")

    def test_an_unknown_key_and_a_missing_listen_are_reported(self) -> None:
        """`http:` takes listen and token only, and needs listen."""
        problems = problems_of(with_http("  port: 9464\n"), ENV)

        assert any("unknown key 'port'" in p for p in problems)
        assert any("missing required key 'listen'" in p for p in problems)


class TestListenToken:
    def test_a_listener_off_loopback_without_a_token_is_an_error_at_its_line(self) -> None:
        """http.listen on all addresses without http.token: a problem at the listen line."""
        problems = problems_of(with_http("  listen: 0.0.0.0:9464\n"), ENV)

        assert len(problems) == 1
        assert problems[0].startswith("syncd.yaml:2: http.listen: 0.0.0.0 is not a loopback")
        assert "set http.token" in problems[0]

    def test_a_check_of_it_exits_2(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`syncd check` on such a file fails as a bad config (exit 2) naming http.token."""
        path = tmp_path / "syncd.yaml"
        path.write_text(with_http("  listen: 0.0.0.0:9464\n"))

        status = main(["check", "-c", str(path)])

        assert status == 2
        assert "http.token" in capsys.readouterr().err

    def test_loopback_or_a_token_is_fine_and_warns_of_nothing(self) -> None:
        """On 127.0.0.1 (or [::1], localhost), or with a token set, the file loads, no hazard."""
        loopback = [
            load_text(with_http(f"  listen: '{host}:9464'\n"), ENV)
            for host in ("127.0.0.1", "[::1]", "localhost")
        ]
        with_token = load_text(
            with_http("  listen: 0.0.0.0:9464\n  token: ${SYNCD_HTTP_TOKEN}\n"), ENV
        )

        assert [hazards(c) for c in loopback] == [[], [], []]
        assert hazards(with_token) == []

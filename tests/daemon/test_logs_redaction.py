"""Log configuration: JSON or console lines, and secrets masked everywhere they could leak."""

from __future__ import annotations

import base64
import io
import json
import logging
import re
from collections.abc import Iterator

import pytest
import structlog

from syncd.config.model import Secret
from syncd.entrypoints import logs
from syncd.redaction import Redactor
from syncd.service_layer import registry
from tests.builders import a_config, a_github_tracker, a_jira_tracker

TOKEN = "ghp_0123456789abcdefSECRET"


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    out = io.StringIO()
    yield out
    structlog.reset_defaults()
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == "syncd"]:
        root.removeHandler(handler)


def lines(out: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


class TestRedactor:
    def test_known_secrets_are_masked_in_nested_values(self) -> None:
        """A token inside a list inside a dict is replaced by ***."""
        redactor = Redactor([TOKEN])

        event = redactor(None, "info", {"event": "x", "detail": {"urls": [f"a {TOKEN} b"]}})

        assert event["detail"] == {"urls": ["a *** b"]}

    def test_authorization_headers_and_token_queries_are_masked_without_knowing_them(
        self,
    ) -> None:
        """Header values and `token=` query values are masked even for unknown credentials."""
        redactor = Redactor()

        text = redactor.scrub(
            "{'Authorization': 'Bearer abc.def', 'Accept': 'json'} GET /x?token=zzz&page=2"
        )

        assert "abc.def" not in text
        assert "zzz" not in text
        assert "'Accept': 'json'" in text
        assert "page=2" in text

    def test_secret_named_keys_are_masked_whole(self) -> None:
        """A value logged under `authorization` or `token` never shows."""
        redactor = Redactor()

        event = redactor(None, "info", {"event": "x", "token": "whatever-it-is"})

        assert event["token"] == "***"

    def test_config_secrets_include_the_basic_auth_header_value(self) -> None:
        """Jira Cloud's `email:token` in base64 is a secret too, as are the raw values."""
        jira = a_jira_tracker(
            token=Secret("jira-token-123", "${T}"), email=Secret("me@example.com", "${E}")
        )
        config = a_config(trackers=(a_github_tracker(token=Secret(TOKEN, "${G}")), jira))

        found = registry.secret_values(config)

        basic = base64.b64encode(b"me@example.com:jira-token-123").decode()
        assert {TOKEN, "jira-token-123", "me@example.com", basic} <= set(found)


class TestConfigure:
    def test_json_lines_when_not_a_terminal_with_level_and_utc_time(
        self, stream: io.StringIO
    ) -> None:
        """Each line is JSON with event, level and an ISO UTC timestamp."""
        logs.configure([TOKEN], stream=stream, terminal=False)

        structlog.get_logger("t").info("cycle", tracker="web", issue="acme/web#1")

        (line,) = lines(stream)
        assert line["event"] == "cycle"
        assert line["level"] == "info"
        assert str(line["timestamp"]).endswith("Z")
        assert line["tracker"] == "web"

    def test_secrets_in_messages_are_masked(self, stream: io.StringIO) -> None:
        """A token in the event text never reaches the output."""
        logs.configure([TOKEN], stream=stream, terminal=False)

        structlog.get_logger("t").warning(f"request with {TOKEN} failed")

        assert TOKEN not in stream.getvalue()
        assert "request with *** failed" in stream.getvalue()

    def test_secrets_in_rendered_exceptions_are_masked(self, stream: io.StringIO) -> None:
        """A traceback whose exception message holds the token shows *** instead."""
        logs.configure([TOKEN], stream=stream, terminal=False)
        secret_local = TOKEN  # frame locals must not be rendered either

        try:
            raise RuntimeError(f"401 for Authorization: token {secret_local}")
        except RuntimeError:
            structlog.get_logger("t").exception("tracker cycle crashed")

        assert TOKEN not in stream.getvalue()
        (line,) = lines(stream)
        assert "RuntimeError" in json.dumps(line["exception"])

    def test_library_log_lines_are_routed_and_masked(self, stream: io.StringIO) -> None:
        """PyGithub's and jira's stdlib warnings come out as redacted JSON lines."""
        logs.configure([TOKEN], stream=stream, terminal=False)

        logging.getLogger("github.Requester").warning("retrying with header token %s", TOKEN)
        logging.getLogger("jira").error("GET /rest?token=abc123 failed")

        first, second = lines(stream)
        assert first["event"] == "retrying with header token ***"
        assert first["level"] == "warning"
        assert second["event"] == "GET /rest?token=*** failed"

    def test_library_debug_lines_are_dropped(self, stream: io.StringIO) -> None:
        """Request-level DEBUG chatter of urllib3 does not reach the output."""
        logs.configure([TOKEN], stream=stream, terminal=False)

        logging.getLogger("urllib3.connectionpool").debug("Starting new HTTPS connection")

        assert stream.getvalue() == ""

    def test_a_terminal_gets_readable_key_value_lines(self, stream: io.StringIO) -> None:
        """On a terminal the line is not JSON and still masks secrets."""
        logs.configure([TOKEN], stream=stream, terminal=True)

        structlog.get_logger("t").info("write", tracker="web", detail=TOKEN)

        text = re.sub(r"\x1b\[[0-9;]*m", "", stream.getvalue())  # colours off
        assert "tracker=web" in text
        assert TOKEN not in text
        assert not text.lstrip().startswith("{")

"""`syncd demo` with the sandbox's webhooks on: syncd reacts to a change between two polls."""

from __future__ import annotations

import dataclasses
import http.client
import io
import re
import socket
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from syncd.adapters.state import Store
from syncd.clock import starting_at
from syncd.config.loader import load
from syncd.config.model import GitHubTracker, JiraTracker
from syncd.entrypoints.commands.demo import open_sandbox, play
from syncd.entrypoints.commands.demo.board import jira_flavours
from syncd.entrypoints.commands.demo.reactions import listening, with_webhook_secrets

ROOT = Path(__file__).resolve().parents[2]
# A Tuesday morning in the rotation's zone with alice on shift.
ALICE_ON_CALL = datetime(2026, 12, 8, 10, 0, tzinfo=ZoneInfo("America/Detroit"))
REACTION = re.compile(r"^⚡ (\S+) reacted to a webhook in (\d+\.\d+) s: (.*)$", re.MULTILINE)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the demo below keeps its state file (demo.db)."""
    return tmp_path_factory.mktemp("demo")


@pytest.fixture(scope="module")
def played(scratch: Path) -> str:
    """Three cycles with short pauses (the echoes of syncd's writes arrive in them)."""
    out = io.StringIO()
    clock = starting_at(ALICE_ON_CALL)
    assert play(3, out, port=0, pause=0.4, scratch=scratch, clock=clock) == 0
    return out.getvalue()


def cycle(text: str, number: int) -> str:
    """The board printed for cycle `number`, and what is printed after it until the next."""
    return re.split(r"^cycle \d+ ", text, flags=re.MULTILINE)[number]


@pytest.mark.e2e
class TestReactionBetweenPolls:
    """The fire opened half-way through the pause before cycle 3 is settled from its webhook."""

    def test_the_reaction_line_names_the_issue_and_its_writes(self, played: str) -> None:
        """One line tells SUP-12's writes (tier and the on-shift member) and a time in seconds."""
        reactions = REACTION.findall(played)

        assert [(key, writes) for key, _, writes in reactions] == [("SUP-12", "+tier/fire →alice")]
        assert 0 <= float(reactions[0][1]) < 5

    def test_the_story_comes_before_the_reaction_between_the_boards(self, played: str) -> None:
        """After board 2: the story of SUP-12, then the reaction, then the next scene's story."""
        after_second = cycle(played, 2).splitlines()
        tail = [line for line in after_second if line.startswith((">>", "⚡"))]

        assert tail[0] == ">> Between two polls, a customer reports data loss in Jira as SUP-12."
        assert tail[1].startswith("⚡ SUP-12 reacted")
        assert "takes acme/web#101 over" in tail[2]

    def test_the_next_poll_has_nothing_to_write_for_the_issue(self, played: str) -> None:
        """Cycle 3 shows SUP-12 as settled (alice, no change) and writes only SUP-2's label."""
        third = cycle(played, 3)

        assert third.splitlines()[0].endswith("1 write · 5 requests, 1 answered 304")
        assert re.search(r"^  support  SUP-12 .* alice +·$", third, flags=re.MULTILINE)

    def test_the_echoes_of_syncds_own_writes_are_settled_and_print_nothing(
        self, played: str, scratch: Path
    ) -> None:
        """Cycle 1's 55 writes come back as webhooks in the pause after it: each is settled (its
        id kept in the state) and no line is printed for them."""
        with Store.open(scratch / "demo.db", read_only=True) as store:
            settled = store.deliveries.recent(ALICE_ON_CALL + timedelta(hours=1))

        assert len(settled) > 20  # SUP-12's own reaction is 3 deliveries; the rest are echoes
        assert "⚡" not in cycle(played, 1)
        assert len(REACTION.findall(played)) == 1

    def test_the_listener_is_closed_when_the_demo_ends(self, played: str) -> None:
        """The webhook URL printed at the start refuses connections once the demo is over."""
        found = re.search(r"signed webhook to http://127\.0\.0\.1:(\d+)/webhooks/<tracker>", played)
        assert found is not None

        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", int(found.group(1))), timeout=2).close()


class TestWithWebhookSecrets:
    """with_webhook_secrets: every GitHub and Jira tracker gets its own random secret."""

    def test_gives_each_tracker_a_different_random_secret(self) -> None:
        """32 hex digits per tracker, none shared, none the same in a second demo."""
        config = load(ROOT / "config" / "demo.yaml", {})

        first, second = with_webhook_secrets(config), with_webhook_secrets(config)

        values = [
            t.webhook_secret.reveal()
            for t in (*first.trackers, *second.trackers)
            if isinstance(t, GitHubTracker | JiraTracker) and t.webhook_secret is not None
        ]
        assert len(values) == 2 * len(config.trackers) == len(set(values))
        assert all(re.fullmatch(r"[0-9a-f]{32}", value) for value in values)


class TestStatusPageInTheDemo:
    """The demo's listener also serves the status page, and says where."""

    def test_the_page_url_is_printed_on_the_webhook_listener(self, played: str) -> None:
        """One line names the page and the calendar on the same port as the webhooks."""
        hooks = re.search(r"signed webhook to http://127\.0\.0\.1:(\d+)/webhooks/", played)
        page = re.search(
            r"^The status page: http://127\.0\.0\.1:(\d+)/ \(the calendar: "
            r"http://127\.0\.0\.1:(\d+)/rotation\.ics\)\.$",
            played,
            flags=re.MULTILINE,
        )
        assert hooks is not None and page is not None
        assert page.group(1) == page.group(2) == hooks.group(1)

    def test_the_page_is_served_while_the_demo_runs(self, tmp_path: Path) -> None:
        """While the listener is open, `/` answers 200 with the page from the demo's state."""
        config = with_webhook_secrets(load(ROOT / "config" / "demo.yaml", {}))
        config = dataclasses.replace(config, state_path=tmp_path / "demo.db")
        out = io.StringIO()
        with Store.open(config.state_path), open_sandbox(0, starting_at(ALICE_ON_CALL)) as sandbox:
            clock = starting_at(ALICE_ON_CALL)
            with listening(config, sandbox, jira_flavours(config), out, clock):
                port = re.search(r"The status page: http://127\.0\.0\.1:(\d+)/", out.getvalue())
                assert port is not None
                connection = http.client.HTTPConnection("127.0.0.1", int(port.group(1)), timeout=5)
                connection.request("GET", "/")
                answer = connection.getresponse()
                assert answer.status == 200
                assert b"<title>syncd status" in answer.read()
                connection.close()

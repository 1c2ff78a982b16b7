"""`syncd status` end to end in-process: a state file built with the Store API, table and JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from syncd.adapters.state import AuditEntry, CycleOutcome, CycleRow, Store
from syncd.clock import fixed
from syncd.domain.rotation.journal import JournalEntry
from syncd.entrypoints.cli import main
from tests.status.test_seen_issues import a_seen

CONFIG = """\
state_path: {state}
people:
  alice: {{github: alice-gh, jira: alice}}
  bob: {{github: bobby, jira: bob}}
  carol: {{github: carol-c, jira: carol}}
rotation:
  timezone: America/Detroit
  handoff_time: "09:00"
  shift_length: 2
  start: 2026-11-02
  members: [alice, bob, carol]
tiers:
  label_prefix: "tier/"
  rules:
    - tier: fire
      assign: rotation
      when: {{labels_any: [outage]}}
    - tier: queue
      assign: rotation
      when: {{text: "(?i)export"}}
  default: {{tier: triage, assign: none}}
estimates:
  limit: 2d
trackers:
  - name: web
    kind: github
    repos: [acme/web]
    token: ${{GITHUB_TOKEN}}
    team: alice
  - name: support
    kind: jira
    url: https://acme.atlassian.net
    email: ${{JIRA_EMAIL}}
    token: ${{JIRA_API_TOKEN}}
    jql: project = SUP
    team: alice
"""


def write_config(tmp_path: Path) -> tuple[Path, Path]:
    state = tmp_path / "var" / "syncd.db"
    config = tmp_path / "syncd.yaml"
    config.write_text(CONFIG.format(state=state))
    return config, state


# A Sunday evening (the status view works on any day; this one is fixed so the test is too).
NOW = datetime(2027, 3, 14, 22, 5, 17, tzinfo=UTC)


def fill_state(state: Path, now: datetime) -> None:
    """Bob's shift covers `now`, web paused for a rate limit, support ok, three issues, writes."""
    with Store.open(state) as store:
        store.journal.append(
            JournalEntry(0, now - timedelta(days=1), now + timedelta(days=1), "bob", "rotation",
                         "bob", ())
        )  # fmt: skip
        store.record_cycle(
            CycleRow("web", now - timedelta(minutes=1), now - timedelta(minutes=1),
                     CycleOutcome.PAUSED, 0, 0, "rate limited: retry later",
                     paused_until=now + timedelta(minutes=5))
        )  # fmt: skip
        store.record_cycle(
            CycleRow("support", now - timedelta(minutes=1), now - timedelta(seconds=30),
                     CycleOutcome.OK, 3, 0, "4 issues, 3 actions")
        )  # fmt: skip
        store.seen.save(
            "web",
            [
                a_seen("acme/web#7", title="Export \x1b[31mstalls", tier="queue",
                       created=now - timedelta(days=3, hours=2), assignees=("carol-c",)),
                a_seen("acme/web#9", title="Checkout down", tier="fire", reporters=6,
                       created=now - timedelta(hours=5), assignees=(), flagged=True),
            ],
            complete=True,
        )  # fmt: skip
        sup = a_seen("SUP-1", tracker="support", tier="fire", assignees=("bob",),
                     created=now - timedelta(days=1))  # fmt: skip
        store.seen.save("support", [sup], complete=True)
        for minutes, issue in ((60 * 30, "acme/web#1"), (10, "acme/web#9")):
            store.audit(
                AuditEntry(now - timedelta(minutes=minutes), "web", issue, "add_label",
                           "tier/fire", "tiers.rules[0]", "labels_any outage", "ok")
            )  # fmt: skip


class TestStatusJson:
    def test_the_document_holds_rotation_trackers_queue_and_recent_writes(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`--json` has bob on call (journal), the pause, the queue by tier and one write."""
        config, state = write_config(tmp_path)
        fill_state(state, NOW)

        status = main(["status", "-c", str(config), "--json"], clock=fixed(NOW))

        document = json.loads(capsys.readouterr().out)
        assert status == 0
        assert document["rotation"]["on_call"] == "bob"
        assert document["rotation"]["next"]["member"] == "carol"
        trackers = {t["name"]: t for t in document["trackers"]}
        assert trackers["web"]["paused_until"].endswith("Z")
        assert trackers["web"]["last_cycle"]["outcome"] == "paused"
        assert trackers["support"]["last_cycle"]["writes"] == 3
        assert trackers["support"]["paused_until"] is None
        queue = [(g["tier"], [i["key"] for i in g["issues"]]) for g in document["queue"]]
        assert queue == [("fire", ["SUP-1", "acme/web#9"]), ("queue", ["acme/web#7"]),
                         ("triage", [])]  # fmt: skip
        export = document["queue"][1]["issues"][0]
        assert export["assignees"] == [{"identity": "carol-c", "person": "carol"}]
        assert 3 * 86400 + 2 * 3600 - 60 <= export["age_seconds"] <= 3 * 86400 + 2 * 3600 + 60
        assert [w["issue"] for w in document["writes"]] == ["acme/web#9"]

    def test_times_are_utc_iso_strings(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Every time in the document parses as ISO 8601 and ends in Z."""
        config, state = write_config(tmp_path)
        fill_state(state, NOW)

        main(["status", "-c", str(config), "--json"], clock=fixed(NOW))

        document = json.loads(capsys.readouterr().out)
        times = [document["at"], document["rotation"]["until"]]
        times += [i["created"] for g in document["queue"] for i in g["issues"]]
        times += [w["time"] for w in document["writes"]]
        assert all(t.endswith("Z") and datetime.fromisoformat(t) for t in times)


class TestStatusTable:
    def test_the_table_names_who_is_on_call_the_pause_and_each_issue(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The readable view shows the on-call person, the pause, tiers in order and the flag."""
        config, state = write_config(tmp_path)
        fill_state(state, NOW)

        status = main(["status", "-c", str(config)], clock=fixed(NOW))

        out = capsys.readouterr().out
        assert status == 0
        assert "on call: bob (rotation)" in out
        assert "next: carol" in out
        assert "paused until" in out
        assert out.index("tier/fire (2)") < out.index("tier/queue (1)") < out.index("tier/triage")
        fire_line = next(line for line in out.splitlines() if "acme/web#9" in line)
        assert "FLAGGED" in fire_line
        assert "6 reporters" in fire_line
        export_line = next(line for line in out.splitlines() if "acme/web#7" in line)
        assert "age 3d 2h" in export_line
        assert "carol" in export_line
        assert "writes in the last 24 hours: 1 (web 1)" in out

    def test_an_estimate_shows_in_the_table_and_the_document(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An issue estimated at 1w 2d (work time) reads `est 1w 2d`; --json has it too."""
        config, state = write_config(tmp_path)
        fill_state(state, NOW)
        big = a_seen("acme/web#4", estimate=7 * 8 * 3600.0, estimate_text="7d")
        with Store.open(state) as store:
            store.seen.save("web", [big], complete=False)

        main(["status", "-c", str(config)], clock=fixed(NOW))
        main(["status", "-c", str(config), "--json"], clock=fixed(NOW))

        table, document = capsys.readouterr().out.split("\n{", 1)
        line = next(line for line in table.splitlines() if "acme/web#4" in line)
        assert "est 1w 2d" in line
        issues = {i["key"]: i for g in json.loads("{" + document)["queue"] for i in g["issues"]}
        assert (issues["acme/web#4"]["estimate"], issues["acme/web#4"]["estimate_seconds"]) == (
            "1w 2d",
            201600.0,
        )
        assert issues["acme/web#9"]["estimate"] is None

    def test_escape_sequences_in_titles_never_reach_the_terminal(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A customer's title with an ANSI escape is printed without the escape character."""
        config, state = write_config(tmp_path)
        fill_state(state, NOW)

        main(["status", "-c", str(config)], clock=fixed(NOW))

        assert "\x1b" not in capsys.readouterr().out


class TestStatusErrors:
    def test_a_missing_state_file_is_a_clear_error_with_status_one(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Without a state file, status says so (naming it) and exits 1, creating nothing."""
        config, state = write_config(tmp_path)

        status = main(["status", "-c", str(config)], clock=fixed(NOW))

        err = capsys.readouterr().err
        assert status == 1
        assert str(state) in err
        assert "does not exist" in err
        assert not state.exists()

    def test_a_bad_config_exits_two(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An invalid config file is reported with status 2."""
        config = tmp_path / "syncd.yaml"
        config.write_text("poll_interval: soon\n")

        status = main(["status", "-c", str(config)], clock=fixed(NOW))

        assert status == 2
        assert "poll_interval" in capsys.readouterr().err

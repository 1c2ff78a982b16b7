"""`syncd status` tells how old its data is, names people, and counts in good English."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from syncd.adapters.state import AuditEntry, CycleOutcome, CycleRow, Store
from syncd.clock import fixed
from syncd.entrypoints.cli import main
from tests.status.test_status_command import NOW, fill_state, write_config


def status_of(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str, later: float = 0):
    """The output of `syncd status` `later` seconds after the state was written at NOW."""
    config, state = write_config(tmp_path)
    fill_state(state, NOW)
    with Store.open(state) as store:
        store.record_cycle(
            CycleRow("support", NOW, NOW, CycleOutcome.OK, 1, 1, "1 issue, 1 action")
        )
        store.audit(
            AuditEntry(NOW, "web", "acme/web#9", "assign", "bobby", "tiers.rules[0]", "r", "ok")
        )
    main(["status", "-c", str(config), *args], clock=fixed(NOW + timedelta(seconds=later)))
    return capsys.readouterr().out


class TestStatusTruth:
    def test_one_error_is_one_error(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A cycle with one write and one error reads "1 write, 1 error"."""
        out = status_of(tmp_path, capsys)

        support = next(line for line in out.splitlines() if line.strip().startswith("support"))
        assert "1 write, 1 error" in support

    def test_an_assignment_names_the_person_not_only_the_identity(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The writes table shows `bob (bobby)` for an assignment of GitHub login bobby."""
        out = status_of(tmp_path, capsys)

        assign = next(line for line in out.splitlines() if " assign " in line)
        assert "bob (bobby)" in assign

    def test_recent_cycles_are_not_stale(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A minute after the last cycles (poll 60 s): no tracker is marked stale."""
        out = status_of(tmp_path, capsys, later=60)

        assert "stale" not in out
        assert "(1m ago)" in out

    def test_a_last_cycle_older_than_three_polls_is_marked_stale(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An hour without a cycle (poll 60 s): the table and the JSON say the data is stale."""
        table = status_of(tmp_path, capsys, later=3600)
        (tmp_path / "j").mkdir()
        document = json.loads(status_of(tmp_path / "j", capsys, "--json", later=3600))

        assert "STALE" in table and "is syncd running?" in table
        assert [t["stale"] for t in document["trackers"]] == [True, True]

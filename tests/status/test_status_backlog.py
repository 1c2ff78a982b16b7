"""`syncd status` says how many writes wait per tracker and when they will be done (issue 15)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from syncd.adapters.state import Store
from syncd.adapters.state.spending import Backlog
from syncd.clock import fixed
from syncd.entrypoints.cli import main
from tests.status.test_status_command import NOW, fill_state, write_config


def _with_backlog(state: Path) -> None:
    fill_state(state, NOW)
    with Store.open(state) as store:
        done_by = NOW + timedelta(minutes=49)
        store.spending.save_backlog(Backlog("web", 412, done_by, NOW - timedelta(minutes=1)))
        store.spending.save_backlog(Backlog("support", 0, NOW, NOW))


class TestStatusBacklog:
    def test_the_table_says_how_many_wait_and_how_long(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """web: "412 writes waiting, done in about 49 min"; support waits for nothing."""
        config, state = write_config(tmp_path)
        _with_backlog(state)

        main(["status", "-c", str(config)], clock=fixed(NOW))

        out = capsys.readouterr().out
        assert "    412 writes waiting, done in about 49 min" in out
        assert out.count("waiting, done in") == 1

    def test_the_json_has_the_backlog_per_tracker(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`--json`: `backlog` by tracker, with the count and the UTC time they will be done."""
        config, state = write_config(tmp_path)
        _with_backlog(state)

        main(["status", "-c", str(config), "--json"], clock=fixed(NOW))

        backlog = json.loads(capsys.readouterr().out)["backlog"]
        assert backlog["web"] == {"writes_waiting": 412, "done_by": "2027-03-14T22:54:17Z"}
        assert backlog["support"]["writes_waiting"] == 0

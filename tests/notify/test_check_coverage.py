"""`syncd check` lists shifts nobody is eligible for as warnings, and still exits 0."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from syncd.entrypoints.cli import main
from tests.config.sample import VALID

SKIPS = """\
  skips:
    - {member: alice, from: 2026-11-04, to: 2026-11-05, reason: offsite}
    - {member: bob, from: 2026-11-04, to: 2026-11-05, reason: offsite}
"""


def test_check_warns_about_an_uncovered_shift_and_exits_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Everyone away Wednesday and Thursday: one coverage warning, in Detroit time."""
    monkeypatch.setenv("GITHUB_TOKEN", "ghp-check-secret")
    text = VALID.replace("  members: [alice, bob]\n", "  members: [alice, bob]\n" + SKIPS)
    path = tmp_path / "syncd.yaml"
    path.write_text(f"state_path: {tmp_path / 'state.db'}\n" + text)

    status = main(["check", "-c", str(path)], clock=lambda: datetime(2026, 11, 2, 12, tzinfo=UTC))

    out = capsys.readouterr().out
    assert status == 0
    assert "1 coverage warning (shifts with nobody on the rotation eligible):" in out
    assert (
        "  Wed 04 Nov 09:00 EST until Fri 06 Nov 09:00 EST: nobody eligible (alice skipped"
        " (offsite); bob skipped (offsite)); nobody will be assigned"
    ) in out

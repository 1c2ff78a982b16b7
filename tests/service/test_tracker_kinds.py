"""A third tracker kind is one package and one registration: a fake kind, end to end."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest

from syncd.adapters.state import Store
from syncd.config.document import Node
from syncd.config.loader import loads
from syncd.config.model import Secret
from syncd.config.section import Section
from syncd.config.values import max_writes
from syncd.domain.write_budget import WriteBudget
from syncd.errors import ConfigError
from syncd.service_layer import registry, wiring
from syncd.service_layer.kinds import AdapterNeeds, TrackerKind
from syncd.service_layer.service import Service
from syncd.service_layer.tracker import Tracker
from tests.fakes import FakeClock, FakeTracker
from tests.service.world import START


@dataclass(frozen=True)
class BoardTracker:
    """The settings of a `kind: board` tracker: a board name and the common keys."""

    kind: ClassVar[str] = "board"
    name: str
    board: str
    token: Secret
    team: str | None = None
    write_interval: float = 0.0
    max_writes_per_cycle: int = 500
    write_budget: WriteBudget | None = None
    webhook_secret: Secret | None = None


def _read(section: Section, name: str | None, person: Callable[[Node], str]) -> BoardTracker | None:
    values = section.ctx.values
    board = section.require("board", values.name)
    token = section.require("token", values.secret)
    team = section.get("team", person, None)
    writes = section.get("max_writes_per_cycle", max_writes, 500)
    if name is None or board is None or token is None:
        return None
    return BoardTracker(name, board, token, team, max_writes_per_cycle=writes)


BOARDS: dict[str, FakeTracker] = {}  # the in-memory "service" behind every board tracker


def _build(settings: BoardTracker, needs: AdapterNeeds) -> Tracker:
    return BOARDS[settings.board]


BOARD = TrackerKind(
    name="board",
    shown="Board",
    config_type=BoardTracker,
    keys=("board",),
    estimate_keys=(),
    read=_read,
    build=_build,
    describe=lambda tracker: f"{tracker.name}: board {tracker.board}",
    secrets=lambda tracker: (tracker.token.reveal(),),
    endpoint=lambda tracker: ("board", f"https://boards.example/{tracker.board}"),
    credentials=lambda tracker: (("token", tracker.token),),
)

CONFIG = """\
people:
  alice: {board: alice-on-the-board}
  bob: {board: bob-on-the-board}
rotation:
  timezone: America/Detroit
  start: 2026-11-02
  members: [alice, bob]
tiers:
  rules:
    - tier: fire
      assign: rotation
      when: {labels_any: [outage]}
trackers:
  - name: ops
    kind: board
    board: operations
    token: ${BOARD_TOKEN}
    team: bob
"""


@pytest.fixture
def board_kind() -> Iterator[FakeTracker]:
    """The board kind registered for one test, over one in-memory board."""
    clock = FakeClock(START)
    BOARDS["operations"] = FakeTracker("ops", clock)
    registry.register(BOARD)
    try:
        yield BOARDS["operations"]
    finally:
        registry.unregister("board")
        BOARDS.clear()


class TestARegisteredKind:
    """A kind registered from outside the package works like a built-in one."""

    def test_a_cycle_runs_through_it_from_the_yaml_file(
        self, board_kind: FakeTracker, tmp_path: Path
    ) -> None:
        """Loaded from YAML, wired by the composition root, labelled and assigned by a cycle."""
        key = board_kind.open_issue(labels=("escalation", "outage"))
        config = loads(textwrap.dedent(CONFIG), "syncd.yaml", {"BOARD_TOKEN": "board-secret"})
        store = Store.open(tmp_path / "syncd.db")
        trackers = wiring.build_trackers(config, store.etags, board_kind.clock)

        report = Service(config, trackers, store, board_kind.clock, lambda _: None).cycle()

        assert not report.failed
        assert "tier/fire" in board_kind.labels(key)
        assert board_kind.assignees(key) == ("alice-on-the-board",)
        assert registry.secret_values(config) == ["board-secret"]

    def test_the_loader_rejects_another_kinds_keys_on_it(self, board_kind: FakeTracker) -> None:
        """`repos` is GitHub's key: on a board tracker it is a problem with its line."""
        text = textwrap.dedent(CONFIG) + "    repos: [acme/web]\n"

        with pytest.raises(ConfigError, match="'repos' is for github trackers, not board"):
            loads(text, "syncd.yaml", {"BOARD_TOKEN": "board-secret"})

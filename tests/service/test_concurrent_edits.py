"""A person editing labels and assignees while syncd writes (and waits for its budget): every
edit of theirs survives, since syncd only ever adds or removes single items (SPEC §5)."""

from __future__ import annotations

from pathlib import Path

from syncd.domain.write_budget import WriteBudget
from syncd.service_layer.service import Service
from tests.fakes import FakeTracker
from tests.service.world import World, make_world, two_trackers


class EditingTracker(FakeTracker):
    """A tracker where a person edits an issue right after each of syncd's label writes."""

    def __init__(self, world: World) -> None:
        super().__init__("web", world.clock)
        self.edits: dict[str, tuple[str, str]] = {}  # key -> (label, assignee) a person adds

    def add_label(self, key: str, label: str) -> None:
        """syncd's write lands, then the person adds a label and an assignee of their own."""
        super().add_label(key, label)
        edit = self.edits.pop(key, None)
        if edit is not None:
            person_label, person_assignee = edit
            issue = self.issues[key]
            self.edit(
                key,
                labels=(*issue.labels, person_label),
                assignees=(*issue.assignees, person_assignee),
            )


def test_edits_during_writes_and_budget_waits_survive(tmp_path: Path) -> None:
    """Fires and triage issues, one write a minute: each person's label and assignee is kept,
    and syncd still places every issue."""
    world = make_world(tmp_path, two_trackers(write_budget=WriteBudget(1, 500)))
    web = EditingTracker(world)
    keys = [web.open_issue(labels=("escalation", "outage")) for _ in range(2)]
    keys += [web.open_issue() for _ in range(2)]
    web.edits = {key: (f"customer-{n}", "carol-c") for n, key in enumerate(keys)}
    assert world.store is not None
    trackers = {"web": web, "support": world.support}
    # Each wait for the budget lets the simulated minute pass.
    service = Service(world.config, trackers, world.store, world.clock, world.clock.advance)

    for _ in range(6):
        service.cycle(full=True)
        world.clock.advance(60)

    for n, key in enumerate(keys):
        labels, assignees = web.labels(key), web.assignees(key)
        assert f"customer-{n}" in labels, key
        assert "carol-c" in assignees, key
        assert any(label.startswith("tier/") for label in labels), key

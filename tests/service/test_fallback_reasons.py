"""A fallback assignment's log line says who was refused, where and why, on every issue."""

from __future__ import annotations

from structlog.testing import capture_logs

from tests.service.world import World

ALICE_JIRA = "5b10ac8d82e05b22cc7d4ef5"
LEAD_JIRA = "lead-account-id"


def lead_assignments(logs: list[dict[str, object]]) -> dict[object, str]:
    """The reason of each `write` line that assigned the lead, by issue."""
    return {
        e["issue"]: str(e["reason"])
        for e in logs
        if e["event"] == "write" and e["action"] == "assign" and e["detail"] == LEAD_JIRA
    }


class TestFallbackReasons:
    def test_a_refusal_in_this_cycle_is_named_on_every_issue_it_sends_to_the_lead(
        self, world: World
    ) -> None:
        """OPS-3's refusal also sends OPS-1 to the lead: both lines name alice, OPS and the lead."""
        world.support.unassignable_in.add(("OPS", ALICE_JIRA))
        world.support.open_issue(key="OPS-3", project="OPS", priority="Highest")
        world.support.open_issue(key="OPS-1", project="OPS", priority="Highest")

        with capture_logs() as logs:
            world.service.cycle(full=True)

        reasons = lead_assignments(logs)
        assert set(reasons) == {"OPS-1", "OPS-3"}
        for reason in reasons.values():
            assert "alice" in reason and "refused in OPS" in reason
            assert reason.endswith("fallback lead")

    def test_a_refusal_remembered_from_an_earlier_cycle_is_named_too(self, world: World) -> None:
        """A later OPS issue goes straight to the lead; its line says alice cannot be assigned."""
        world.support.unassignable_in.add(("OPS", ALICE_JIRA))
        world.support.open_issue(key="OPS-1", project="OPS", priority="Highest")
        world.service.cycle(full=True)
        world.clock.advance(3600)
        world.support.open_issue(key="OPS-2", project="OPS", priority="Highest")

        with capture_logs() as logs:
            world.service.cycle(full=False)

        reason = lead_assignments(logs)["OPS-2"]
        assert "alice" in reason and "cannot be assigned in OPS" in reason
        assert reason.endswith("fallback lead")

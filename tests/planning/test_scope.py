"""syncd.domain.issue.scope_of: where an issue lives in its tracker, where it was refused."""

from __future__ import annotations

import pytest

from syncd.domain.actions import Assign
from syncd.domain.issue import Refusal, scope_of
from syncd.domain.ledger import IssueRecord
from syncd.domain.planner import plan_issue
from tests.builders import NOW, a_config, a_jira_issue, an_issue

FIRE = ("escalation", "outage")


class TestScopeOf:
    """scope_of(): the repository of a GitHub key, the project of a Jira key."""

    @pytest.mark.parametrize(
        ("key", "scope"),
        [
            ("acme/web#12", "acme/web"),
            ("Acme/Web-App#3", "acme/web-app"),
            ("SUP-12", "SUP"),
            ("OPS_2-7", "OPS_2"),
            ("sup-1", "SUP"),
            ("odd", "odd"),
        ],
    )
    def test_the_scope_of_a_key(self, key: str, scope: str) -> None:
        """GitHub repositories ignore case; Jira keys give their project key."""
        assert scope_of(key) == scope


class TestPlannerScopesRefusals:
    """A refusal in one repository or project does not skip the person elsewhere."""

    def test_a_refusal_in_another_repository_keeps_the_member(self) -> None:
        """alice refused in acme/api: an acme/web fire still goes to alice first."""
        refused = frozenset({Refusal("web", "acme/api", "alice-gh")})

        result = plan_issue(an_issue(labels=FIRE), IssueRecord(), a_config(), NOW, "alice", refused)

        assign = next(a for a in result.actions if isinstance(a, Assign))
        assert [c.identity for c in assign.candidates] == ["alice-gh", "acme-lead"]

    def test_a_refusal_in_the_issues_repository_skips_the_member_and_says_where(self) -> None:
        """alice refused in acme/web (any case): the fallback, and a note naming acme/web."""
        refused = frozenset({Refusal("web", "acme/web", "alice-gh")})
        issue = an_issue(key="ACME/Web#1", labels=FIRE)

        result = plan_issue(issue, IssueRecord(), a_config(), NOW, "alice", refused)

        assign = next(a for a in result.actions if isinstance(a, Assign))
        assert [c.identity for c in assign.candidates] == ["acme-lead"]
        assert any("alice" in note and "in acme/web" in note for note in result.notes)

    def test_a_refusal_in_another_jira_project_keeps_the_member(self) -> None:
        """alice refused in OPS: a SUP fire still goes to alice first."""
        alice = "5b10ac8d82e05b22cc7d4ef5"
        refused = frozenset({Refusal("support", "OPS", alice)})
        issue = a_jira_issue(priority="Highest")

        result = plan_issue(issue, IssueRecord(), a_config(), NOW, "alice", refused)

        assign = next(a for a in result.actions if isinstance(a, Assign))
        assert assign.candidates[0].identity == alice

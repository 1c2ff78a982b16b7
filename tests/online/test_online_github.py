"""The GitHub online checks on recorded-shape answers: scopes, permissions, labels, assignees.

The repository and user payloads follow octokit/fixtures' api.github.com recordings (scenario
get-repository, MIT; tests/reference/github/octokit-fixtures/), trimmed to what is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import responses

from syncd.adapters.github.client import GitHubAdapter
from syncd.adapters.github.online import access_level, token_scopes
from syncd.config.model import Estimates, GitHubTracker, Person, Secret
from syncd.service_layer.checks import Assignee, CheckRow, Outcome
from syncd.service_layer.wiring import MemoryEtags

API = "https://api.github.com:443"  # PyGithub always spells the port
# The header a classic token's answers carry (octokit-fixtures get-repository, trimmed).
CLASSIC_SCOPES = "admin:org, gist, notifications, repo, user, workflow"
PEOPLE = {
    "alice": Person("alice", {"github": "alice-gh"}),
    "lead": Person("lead", {"github": "acme-lead"}),
}
ASSIGNEES = (Assignee("alice", "rotation member"), Assignee("lead", "team"))
LABELS = ("tier/fire", "tier/triage", "needs-team")
# GET /users/{login} for a login that is no account (docs.github.com, "Get a user").
NOT_FOUND = {
    "message": "Not Found",
    "documentation_url": "https://docs.github.com/rest/users/users#get-a-user",
    "status": "404",
}
ALL_ROLES = {"admin": True, "maintain": True, "push": True, "triage": True, "pull": True}


def a_repository(permissions: dict[str, bool], *, private: bool = False) -> dict[str, object]:
    """GET /repos/acme/web as GitHub answers it (trimmed octokit-fixtures recording)."""
    return {
        "id": 1000,
        "name": "web",
        "full_name": "acme/web",
        "private": private,
        "has_issues": True,
        "permissions": permissions,
    }


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def serve(
    rsps: responses.RequestsMock,
    *,
    scopes: str | None = CLASSIC_SCOPES,
    repository: dict[str, object] | None = None,
    assignable: tuple[str, ...] = ("alice-gh", "acme-lead"),
    labels: tuple[str, ...] = LABELS,
    accounts: tuple[str, ...] = ("alice-gh", "acme-lead"),
) -> None:
    """A GitHub that knows some accounts, acme/web, some assignable logins and some labels."""
    headers = {"X-OAuth-Scopes": scopes} if scopes is not None else {}
    rsps.get(f"{API}/user", json={"login": "syncd-bot", "id": 1}, headers=headers)
    for login in ("alice-gh", "acme-lead"):
        if login in accounts:
            rsps.get(f"{API}/users/{login}", json={"login": login, "id": 2, "type": "User"})
        else:
            rsps.get(f"{API}/users/{login}", status=404, json=NOT_FOUND)
    rsps.get(f"{API}/repos/acme/web", json=repository or a_repository(ALL_ROLES))
    for login in ("alice-gh", "acme-lead"):
        status = 204 if login in assignable else 404
        rsps.get(f"{API}/repos/acme/web/assignees/{login}", status=status)
    for label in LABELS:
        url = f"{API}/repos/acme/web/labels/{label.replace('/', '%2F')}"
        if label in labels:
            rsps.get(url, json={"name": label, "color": "ededed"})
        else:
            rsps.get(url, status=404, json={"message": "Not Found"})


def check() -> list[CheckRow]:
    """The online rows of a tracker on api.github.com with one repo, acme/web."""
    config = GitHubTracker(name="web", repos=("acme/web",), token=Secret("t0ken", "${T}"))
    adapter = GitHubAdapter(config, Estimates(limit=57600.0), MemoryEtags(), timeout=5)
    return adapter.check_online(PEOPLE, ASSIGNEES, LABELS)


def outcome_of(rows: list[CheckRow], check_name: str) -> Outcome:
    """The outcome of the row called `check_name` (fails the test when there is none)."""
    (found,) = [row for row in rows if row.check == check_name]
    return found.outcome


class TestTokenScopes:
    """Reading `X-OAuth-Scopes`."""

    def test_a_classic_tokens_scopes_are_split_on_commas(self) -> None:
        """The header lists scopes separated by comma and space."""
        assert token_scopes({"X-OAuth-Scopes": "repo, read:org"}) == {"repo", "read:org"}

    def test_the_header_name_is_matched_without_regard_to_case(self) -> None:
        """Answers carry lower-case header names through PyGithub."""
        assert token_scopes({"x-oauth-scopes": "public_repo"}) == {"public_repo"}

    def test_an_empty_header_means_a_classic_token_without_scopes(self) -> None:
        """A classic token with no scope at all sends the header empty."""
        assert token_scopes({"X-OAuth-Scopes": ""}) == frozenset()

    def test_no_header_means_a_fine_grained_or_app_token(self) -> None:
        """Fine-grained and App tokens have no scopes header: None, not an empty set."""
        assert token_scopes({"X-RateLimit-Remaining": "4999"}) is None


class TestAccessLevel:
    """The highest role in a repository's `permissions`."""

    def test_the_highest_true_role_wins(self) -> None:
        """push implies pull; the level is push."""
        assert access_level({"admin": False, "push": True, "triage": True, "pull": True}) == "push"

    def test_missing_permissions_give_no_level(self) -> None:
        """An answer without permissions (anonymous view) has no level."""
        assert access_level(None) is None


class TestGitHubOnlineChecks:
    """check_online through PyGithub on `responses`."""

    def test_a_classic_token_with_repo_scope_passes_everything(
        self, rsps: responses.RequestsMock
    ) -> None:
        """repo scope, admin role, assignable people: every row is ok."""
        serve(rsps)

        rows = check()

        assert {row.outcome for row in rows} == {Outcome.OK}
        assert "scopes: admin:org, gist" in rows[0].detail

    def test_a_classic_token_without_repo_scope_fails_the_token_row(
        self, rsps: responses.RequestsMock
    ) -> None:
        """A token with only read:org cannot write issues."""
        serve(rsps, scopes="read:org")

        rows = check()

        assert outcome_of(rows, "token") is Outcome.FAIL
        assert "needs repo" in rows[0].detail

    def test_public_repo_scope_fails_on_a_private_repository(
        self, rsps: responses.RequestsMock
    ) -> None:
        """public_repo reaches public repositories only."""
        serve(rsps, scopes="public_repo", repository=a_repository(ALL_ROLES, private=True))

        rows = check()

        assert outcome_of(rows, "token") is Outcome.OK
        assert outcome_of(rows, "repo acme/web") is Outcome.FAIL

    def test_a_fine_grained_token_is_judged_by_the_repository_permission(
        self, rsps: responses.RequestsMock
    ) -> None:
        """No scopes header: the token row passes and says so; the repo role decides."""
        serve(rsps, scopes=None, repository=a_repository({"pull": True}))

        rows = check()

        assert "fine-grained" in rows[0].detail
        assert outcome_of(rows, "acme/web: labels") is Outcome.FAIL
        assert outcome_of(rows, "acme/web: assignees") is Outcome.FAIL

    def test_triage_passes_labels_only_when_every_label_exists(
        self, rsps: responses.RequestsMock
    ) -> None:
        """Triage may apply labels but not create them: missing ones are named."""
        serve(rsps, repository=a_repository({"triage": True, "pull": True}), labels=LABELS[:1])

        rows = check()

        (labels,) = [row for row in rows if row.check == "acme/web: labels"]
        assert labels.outcome is Outcome.FAIL
        assert labels.detail.endswith("tier/triage, needs-team")
        assert outcome_of(rows, "acme/web: assign alice") is Outcome.OK

    def test_triage_with_every_label_present_passes(self, rsps: responses.RequestsMock) -> None:
        """When the labels exist already, triage is enough."""
        serve(rsps, repository=a_repository({"triage": True, "pull": True}))

        assert outcome_of(check(), "acme/web: labels") is Outcome.OK

    def test_a_person_who_cannot_be_assigned_warns_with_the_consequence(
        self, rsps: responses.RequestsMock
    ) -> None:
        """404 from the assignees endpoint: a warning that says what syncd does instead."""
        serve(rsps, assignable=("alice-gh",))

        rows = check()

        (lead,) = [row for row in rows if row.check == "acme/web: assign lead"]
        assert lead.outcome is Outcome.WARN
        assert "not handed to the team" in lead.detail

    def test_a_login_that_is_no_account_fails_once_and_is_not_checked_per_repository(
        self, rsps: responses.RequestsMock
    ) -> None:
        """404 from /users/{login}: a typo in people; one failed row naming the login."""
        serve(rsps, accounts=("alice-gh",), assignable=("alice-gh",))

        rows = check()

        (lead,) = [row for row in rows if row.check == "lead exists"]
        assert lead.outcome is Outcome.FAIL
        assert lead.detail == "no GitHub user acme-lead (team): check people.lead"
        assert [row for row in rows if row.check == "acme/web: assign lead"] == []
        assert outcome_of(rows, "acme/web: assign alice") is Outcome.OK

    def test_a_server_error_on_the_repository_is_a_failed_row(
        self, rsps: responses.RequestsMock
    ) -> None:
        """A 502 while reading the repository fails that row and raises nothing."""
        serve(rsps)
        rsps.replace(responses.GET, f"{API}/repos/acme/web", status=502, body="<html>")

        rows = check()

        assert outcome_of(rows, "repo acme/web") is Outcome.FAIL
        assert re.search(r"HTTP 502", rows[-1].detail)

"""The GitHub subset, driven by the real PyGithub client over HTTP."""

from __future__ import annotations

import pytest
import requests
from github import GithubException

from syncd.sandbox.seed import GitHubIssueSeed, GitHubSeed, RepoSeed, Seed, generated_seed
from syncd.sandbox.server import Sandbox
from tests.sandbox.conftest import github_client


class TestGitHubListing:
    """Issue lists: filters, pagination, ETags."""

    def test_label_filter_is_anded_and_ignores_case(self, sandbox: Sandbox) -> None:
        """Only open issues carrying every requested label come back."""
        repo = github_client(sandbox).get_repo("acme/web")

        numbers = {i.number for i in repo.get_issues(labels=["Escalation", "OUTAGE"])}

        assert numbers == {101}

    def test_list_includes_pull_requests_and_reactions(self, sandbox: Sandbox) -> None:
        """Pull requests carry a `pull_request` key and every item carries its 👍 count."""
        repo = github_client(sandbox).get_repo("acme/web")

        items = {i.number: i.raw_data for i in repo.get_issues(labels=["escalation"])}

        assert "pull_request" in items[109] and "pull_request" not in items[101]
        assert items[102]["reactions"]["+1"] == 9

    def test_more_than_a_hundred_issues_are_paged_with_link_headers(self) -> None:
        """PyGithub follows `Link` next pages until every issue is read."""
        seed = generated_seed(github_repos=1, issues_per_repo=250, jira_issues=0)
        with Sandbox(seed) as sandbox:
            client = github_client(sandbox, "bench-github-token")
            client.per_page = 100
            issues = list(client.get_repo("bench/repo0").get_issues(state="all"))
            pages = sandbox.stats().count("GET", "github.issues.list")

        assert len({i.number for i in issues}) == 250
        assert pages == 3

    def test_link_header_keeps_every_query_parameter(self, sandbox: Sandbox) -> None:
        """The next-page URL repeats the filters and the request's host and prefix."""
        url = f"{sandbox.github_url}/repos/acme/web/issues"
        params = {"labels": "escalation", "per_page": "2", "state": "all"}

        response = requests.get(url, params=params, headers=_auth(), timeout=5)

        next_link = response.links["next"]["url"]
        assert next_link.startswith(f"{sandbox.github_url}/repositories/")
        assert "labels=escalation" in next_link and "per_page=2" in next_link
        assert "page=2" in next_link and "state=all" in next_link

    def test_since_keeps_only_recently_updated_issues(self, sandbox: Sandbox) -> None:
        """`since` compares with updated_at."""
        url = f"{sandbox.github_url}/repos/acme/web/issues"

        body = requests.get(
            url, params={"since": "2026-11-26T00:00:00Z"}, headers=_auth(), timeout=5
        )

        assert {i["number"] for i in body.json()} == {101, 109, 114}

    def test_unchanged_list_answers_304_without_spending_rate_limit(self, sandbox: Sandbox) -> None:
        """A repeated request with If-None-Match gets 304 and the same remaining count."""
        url = f"{sandbox.github_url}/repos/acme/api/issues"
        first = requests.get(url, headers=_auth(), timeout=5)

        second = requests.get(
            url, headers={**_auth(), "If-None-Match": first.headers["ETag"]}, timeout=5
        )

        assert second.status_code == 304 and second.content == b""
        assert second.headers["X-RateLimit-Remaining"] == first.headers["X-RateLimit-Remaining"]
        assert sandbox.stats().not_modified == 1

    def test_a_person_editing_an_issue_changes_the_etag(self, sandbox: Sandbox) -> None:
        """edit_issue bumps the issue, so the old ETag no longer matches."""
        url = f"{sandbox.github_url}/repos/acme/api/issues"
        first = requests.get(url, headers=_auth(), timeout=5)
        sandbox.set_time(None)

        sandbox.edit_issue("acme/api#202", add_labels=("customer/globex",))
        second = requests.get(
            url, headers={**_auth(), "If-None-Match": first.headers["ETag"]}, timeout=5
        )

        assert second.status_code == 200
        assert "customer/globex" in sandbox.snapshot().issue("acme/api#202").labels


class TestGitHubWrites:
    """Labels, assignees, comments and edits."""

    def test_adding_and_removing_labels(self, sandbox: Sandbox) -> None:
        """A missing repo label is created; removing it takes it off the issue only."""
        issue = github_client(sandbox).get_repo("acme/web").get_issue(101)

        issue.add_to_labels("tier/fire")
        issue.remove_from_labels("outage")

        assert sandbox.snapshot().issue("acme/web#101").labels == ("escalation", "tier/fire")
        assert (
            github_client(sandbox).get_repo("acme/web").get_label("tier/fire").name == "tier/fire"
        )

    def test_labels_accept_an_object_body(self, sandbox: Sandbox) -> None:
        """POST labels also takes {"labels": [...]}, as the OpenAPI lists."""
        url = f"{sandbox.github_url}/repos/acme/web/issues/111/labels"

        response = requests.post(url, json={"labels": ["tier/queue"]}, headers=_auth(), timeout=5)

        assert response.status_code == 200
        assert [label["name"] for label in response.json()] == ["escalation", "tier/queue"]

    def test_removing_an_absent_label_is_a_404_with_githubs_message(self, sandbox: Sandbox) -> None:
        """The real 404 body: "Label does not exist"."""
        issue = github_client(sandbox).get_repo("acme/web").get_issue(101)

        with pytest.raises(GithubException) as caught:
            issue.remove_from_labels("tier/queue")

        assert caught.value.status == 404
        assert caught.value.data["message"] == "Label does not exist"

    def test_unassignable_login_is_dropped_silently(self, sandbox: Sandbox) -> None:
        """POST assignees answers 201 with the issue unchanged for a non-collaborator."""
        issue = github_client(sandbox).get_repo("acme/api").get_issue(202)

        issue.add_to_assignees("carol-c")

        assert sandbox.snapshot().issue("acme/api#202").assignees == ()
        assert sandbox.stats().count("POST", "github.issue.assignees.add") == 1

    def test_patch_with_an_unassignable_login_is_a_422(self, sandbox: Sandbox) -> None:
        """PATCH rejects the whole edit with GitHub's validation error."""
        issue = github_client(sandbox).get_repo("acme/api").get_issue(202)

        with pytest.raises(GithubException) as caught:
            issue.edit(assignees=["carol-c"], title="changed")

        assert caught.value.status == 422
        assert caught.value.data["errors"][0]["field"] == "assignees"
        assert sandbox.snapshot().issue("acme/api#202").title != "changed"

    def test_patch_and_unassign(self, sandbox: Sandbox) -> None:
        """PATCH sets assignees; DELETE assignees removes them; updated_at moves."""
        repo = github_client(sandbox).get_repo("acme/web")
        issue = repo.get_issue(106)

        issue.edit(assignees=["alice-gh", "dana-dev"])
        issue.remove_from_assignees("dana-dev")

        view = sandbox.snapshot().issue("acme/web#106")
        assert view.assignees == ("alice-gh",)
        assert view.updated == "2026-11-26T15:00:00Z"

    def test_comments_are_created_and_listed(self, sandbox: Sandbox) -> None:
        """A posted comment comes back in the list, authored by the token's user."""
        issue = github_client(sandbox).get_repo("acme/web").get_issue(104)

        issue.create_comment("Estimated at 3d, above the limit.")
        comments = list(issue.get_comments())

        assert [c.body for c in comments] == ["Estimated at 3d, above the limit."]
        assert comments[0].user.login == "syncd-bot"

    def test_assignee_check_answers_204_or_404(self, sandbox: Sandbox) -> None:
        """has_in_assignees follows the seed's assignable repos."""
        api = github_client(sandbox).get_repo("acme/api")

        assert api.has_in_assignees("bobby") is True
        assert api.has_in_assignees("carol-c") is False


class TestGitHubAuth:
    """Tokens and small seeds."""

    def test_wrong_token_is_401_bad_credentials(self, sandbox: Sandbox) -> None:
        """Any other token gets GitHub's 401 body."""
        with pytest.raises(GithubException) as caught:
            github_client(sandbox, "wrong").get_repo("acme/web")

        assert caught.value.status == 401
        assert caught.value.data["message"] == "Bad credentials"

    def test_rate_limit_remaining_counts_down(self) -> None:
        """Each answered request spends one unit of the hourly budget."""
        seed = Seed(
            GitHubSeed("t", repos=(RepoSeed("o/r", (GitHubIssueSeed(1, "x"),)),)), *demo_seed_jira()
        )
        with Sandbox(seed) as sandbox:
            client = github_client(sandbox, "t")
            client.get_repo("o/r")
            remaining = client.get_rate_limit().resources.core.remaining

        assert remaining == 4999


def demo_seed_jira() -> tuple:  # type: ignore[type-arg]
    """The demo seed's two Jira sites, to pair with a custom GitHub side."""
    from syncd.sandbox.seed_yaml import demo_seed

    seed = demo_seed()
    return seed.jira_cloud, seed.jira_dc


def _auth() -> dict[str, str]:
    return {"Authorization": "token sandbox-github-token"}

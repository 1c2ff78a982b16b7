"""Deleting a comment in the sandbox, through PyGithub and the jira library as real clients."""

from __future__ import annotations

import pytest
import requests
from github import UnknownObjectException
from jira.exceptions import JIRAError

from syncd.sandbox.server import Sandbox
from tests.sandbox.conftest import github_client, jira_cloud, jira_dc
from tests.sandbox.contract import github_contract, jira_contract


class TestGitHub:
    """DELETE /repos/{owner}/{repo}/issues/comments/{id}."""

    def test_a_deleted_comment_is_gone_from_the_issue(self, sandbox: Sandbox) -> None:
        """IssueComment.delete() takes out that comment only; the other stays."""
        issue = github_client(sandbox).get_repo("acme/web").get_issue(101)
        kept = issue.create_comment("first")
        issue.create_comment("second").delete()

        assert [c.id for c in issue.get_comments()] == [kept.id]
        assert sandbox.snapshot().issue("acme/web#101").comments == ("first",)

    def test_the_answer_is_an_empty_204_the_description_allows(self, sandbox: Sandbox) -> None:
        """Status 204, no body, valid against GitHub's OpenAPI description."""
        made = github_client(sandbox).get_repo("acme/web").get_issue(101).create_comment("x")

        response = requests.delete(
            f"{sandbox.github_url}/repos/acme/web/issues/comments/{made.id}",
            headers={"Authorization": "token sandbox-github-token"},
            timeout=5,
        )

        assert (response.status_code, response.content) == (204, b"")
        assert github_contract().problems(response) == []

    def test_a_comment_that_is_not_there_is_a_404(self, sandbox: Sandbox) -> None:
        """A second delete of the same comment finds nothing."""
        made = github_client(sandbox).get_repo("acme/web").get_issue(101).create_comment("x")
        made.delete()

        with pytest.raises(UnknownObjectException):
            made.delete()


class TestJira:
    """DELETE /rest/api/2/issue/{key}/comment/{id}, Cloud and Data Center."""

    def test_a_deleted_cloud_comment_is_gone(self, sandbox: Sandbox) -> None:
        """Comment.delete() takes out that comment only."""
        client = jira_cloud(sandbox)
        kept = client.add_comment("SUP-2", "first")
        client.add_comment("SUP-2", "second").delete()

        assert [c.id for c in client.comments("SUP-2")] == [kept.id]

    def test_a_deleted_data_center_comment_is_gone(self, sandbox: Sandbox) -> None:
        """The same on Data Center."""
        client = jira_dc(sandbox)
        client.add_comment("OPS-3", "only").delete()

        assert client.comments("OPS-3") == []
        assert sandbox.snapshot().issue("OPS-3").comments == ()

    def test_the_answer_is_an_empty_204_the_description_allows(self, sandbox: Sandbox) -> None:
        """Status 204, no body, valid against Jira's OpenAPI description."""
        made = jira_cloud(sandbox).add_comment("SUP-2", "x")

        response = requests.delete(
            f"{sandbox.jira_cloud_url}/rest/api/2/issue/SUP-2/comment/{made.id}",
            auth=("demo@example.com", "sandbox-jira-cloud-token"),
            timeout=5,
        )

        assert (response.status_code, response.content) == (204, b"")
        assert jira_contract().problems(response) == []

    def test_a_comment_that_is_not_there_is_a_404(self, sandbox: Sandbox) -> None:
        """A second delete of the same comment finds nothing."""
        made = jira_cloud(sandbox).add_comment("SUP-2", "x")
        made.delete()

        with pytest.raises(JIRAError) as raised:
            made.delete()

        assert raised.value.status_code == 404

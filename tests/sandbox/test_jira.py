"""The Jira subset (Cloud and Data Center), driven by the real jira client over HTTP."""

from __future__ import annotations

import pytest
import requests
from jira import JIRA, JIRAError

from syncd.sandbox.seed import generated_seed
from syncd.sandbox.server import Sandbox
from tests.sandbox.conftest import jira_cloud, jira_dc

CLOUD_AUTH = ("demo@example.com", "sandbox-jira-cloud-token")


class TestJiraSearch:
    """search/jql on Cloud, search on Data Center, and the JQL subset."""

    def test_cloud_search_pages_with_next_page_token(self) -> None:
        """enhanced_search_issues follows nextPageToken through 230 issues."""
        with Sandbox(generated_seed(1, 0, jira_issues=230)) as sandbox:
            client = JIRA(
                server=sandbox.jira_cloud_url,
                basic_auth=("bench@example.com", "bench-jira-token"),
                max_retries=0,
                timeout=5,
            )
            issues = client.enhanced_search_issues("project = BENCH", maxResults=0)
            pages = sandbox.stats().count("GET", "jira.cloud.search.jql")

        assert len({i.key for i in issues}) == 230
        assert pages == 3

    def test_cloud_old_search_is_gone(self, sandbox: Sandbox) -> None:
        """/rest/api/2/search answers 410 on Cloud, like the real one."""
        response = requests.get(
            f"{sandbox.jira_cloud_url}/rest/api/2/search", auth=CLOUD_AUTH, timeout=5
        )

        assert response.status_code == 410

    def test_dc_search_pages_with_start_at(self, sandbox: Sandbox) -> None:
        """search_issues reads startAt/maxResults/total pages on Data Center."""
        client = jira_dc(sandbox)

        first = client.search_issues("project = OPS ORDER BY key ASC", startAt=0, maxResults=3)
        rest = client.search_issues("project = OPS ORDER BY key ASC", startAt=3, maxResults=3)

        assert [i.key for i in first] == ["OPS-1", "OPS-2", "OPS-3"]
        assert [i.key for i in rest] == ["OPS-4"] and first.total == 4

    def test_jql_subset_selects_open_escalations(self, sandbox: Sandbox) -> None:
        """labels, project, statusCategory, in / not in, OR and parentheses."""
        client = jira_cloud(sandbox)
        jql = (
            "project = SUP AND labels = escalation AND statusCategory != Done "
            "AND (priority in (Highest, High) OR labels not in (escalation)) ORDER BY key ASC"
        )

        keys = [i.key for i in client.enhanced_search_issues(jql, maxResults=0)]

        assert keys == ["SUP-1"]

    def test_updated_since_is_read_in_the_users_time_zone(self, sandbox: Sandbox) -> None:
        """`updated >= "2026-11-26 02:10"` in America/Detroit is 07:10 UTC."""
        client = jira_cloud(sandbox)

        keys = {
            i.key
            for i in client.enhanced_search_issues('updated >= "2026-11-26 02:10"', maxResults=0)
        }

        assert keys == {"SUP-1"}

    def test_unsupported_jql_is_a_400(self, sandbox: Sandbox) -> None:
        """An operator outside the subset gets Jira's errorMessages body."""
        client = jira_cloud(sandbox)

        with pytest.raises(JIRAError) as caught:
            client.enhanced_search_issues("summary ~ outage", maxResults=0)

        assert caught.value.status_code == 400

    def test_fields_filter_is_honoured(self, sandbox: Sandbox) -> None:
        """GET issue with fields returns only those fields."""
        response = requests.get(
            f"{sandbox.jira_cloud_url}/rest/api/2/issue/SUP-4",
            params={"fields": "labels,timeoriginalestimate"},
            auth=CLOUD_AUTH,
            timeout=5,
        )

        assert response.json()["fields"] == {
            "labels": ["escalation"],
            "timeoriginalestimate": 86400,
        }


class TestJiraWrites:
    """Labels, assignees and comments."""

    def test_label_add_and_remove_operations(self, sandbox: Sandbox) -> None:
        """update.labels add/remove change single labels."""
        issue = jira_cloud(sandbox).issue("SUP-2")

        issue.update(update={"labels": [{"add": "tier/fire"}, {"remove": "escalation"}]})

        assert sandbox.snapshot().issue("SUP-2").labels == ("tier/fire",)

    def test_assign_by_account_id_on_cloud(self, sandbox: Sandbox) -> None:
        """PUT assignee with accountId sets it; null clears it."""
        url = f"{sandbox.jira_cloud_url}/rest/api/2/issue/SUP-2/assignee"

        put = requests.put(
            url, json={"accountId": "5b10ac8d82e05b22cc7d4ef5"}, auth=CLOUD_AUTH, timeout=5
        )
        assigned = sandbox.snapshot().issue("SUP-2").assignees
        requests.put(url, json={"accountId": None}, auth=CLOUD_AUTH, timeout=5)

        assert put.status_code == 204 and assigned == ("5b10ac8d82e05b22cc7d4ef5",)
        assert sandbox.snapshot().issue("SUP-2").assignees == ()

    def test_assign_by_name_on_dc(self, sandbox: Sandbox) -> None:
        """Data Center assigns by username."""
        url = f"{sandbox.jira_dc_url}/rest/api/2/issue/OPS-3/assignee"

        put = requests.put(url, json={"name": "bob"}, headers=_dc(), timeout=5)

        assert put.status_code == 204
        assert sandbox.snapshot().issue("OPS-3").assignees == ("bob",)

    def test_unassignable_user_is_a_400_naming_the_assignee_field(self, sandbox: Sandbox) -> None:
        """Carol exists on Cloud but cannot be assigned in SUP."""
        url = f"{sandbox.jira_cloud_url}/rest/api/2/issue/SUP-2/assignee"

        put = requests.put(
            url, json={"accountId": "62a9f0c1e4b0d2a7c3f1b9e8"}, auth=CLOUD_AUTH, timeout=5
        )

        assert put.status_code == 400
        assert put.json()["errorMessages"] == [] and "assignee" in put.json()["errors"]

    def test_comments_are_added_and_listed(self, sandbox: Sandbox) -> None:
        """add_comment then comments() returns it, authored by the API user."""
        client = jira_dc(sandbox)

        client.add_comment("OPS-2", "Estimated at 4d.")
        comments = client.comments("OPS-2")

        assert [c.body for c in comments] == ["Estimated at 4d."]
        assert comments[0].author.name == "syncd-bot"

    def test_wrong_token_is_401(self, sandbox: Sandbox) -> None:
        """Bad basic auth is refused."""
        with pytest.raises(JIRAError) as caught:
            jira_cloud(sandbox, "wrong").myself()

        assert caught.value.status_code == 401

    def test_cloud_and_dc_report_their_deployment_type(self, sandbox: Sandbox) -> None:
        """The jira library detects Cloud from serverInfo."""
        assert jira_cloud(sandbox)._is_cloud is True
        assert jira_dc(sandbox)._is_cloud is False


def _dc() -> dict[str, str]:
    return {"Authorization": "Bearer sandbox-jira-dc-token"}


class TestUnknownKeysInJql:
    """Both flavours refuse a key they do not have, as real Jira does."""

    def test_an_unknown_key_is_a_400_naming_it(self, sandbox: Sandbox) -> None:
        """`key = "SUP-9999"` answers 400 "An issue with key 'SUP-9999' does not exist"."""
        with pytest.raises(JIRAError) as cloud:
            jira_cloud(sandbox).enhanced_search_issues('key = "SUP-9999"', maxResults=0)
        with pytest.raises(JIRAError) as dc:
            jira_dc(sandbox).search_issues("project = OPS AND key = OPS-9999")

        assert (cloud.value.status_code, dc.value.status_code) == (400, 400)
        assert "An issue with key 'SUP-9999' does not exist for field 'key'" in str(cloud.value)
        assert "An issue with key 'OPS-9999' does not exist for field 'key'" in str(dc.value)

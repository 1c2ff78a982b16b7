"""The sandbox's HTTP answers validate against GitHub's and Jira's official OpenAPI descriptions."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import requests

from syncd.sandbox.server import Sandbox
from tests.sandbox.contract import github_contract, jira_contract

GITHUB_AUTH = {"Authorization": "token sandbox-github-token"}
CLOUD_AUTH = ("demo@example.com", "sandbox-jira-cloud-token")
DC_AUTH = {"Authorization": "Bearer sandbox-jira-dc-token"}
ALICE = "5b10ac8d82e05b22cc7d4ef5"
MARKED = [{"key": "syncd", "value": {"marker": "syncd:over-estimate"}}]


@dataclass(frozen=True)
class Call:
    """One request to the sandbox and the status the real service would answer."""

    method: str
    path: str  # under the service's base URL
    status: int
    body: object = None

    def __str__(self) -> str:
        return f"{self.method} {self.path} -> {self.status}"


GITHUB_CALLS = (
    Call("GET", "/repos/acme/web/issues?labels=escalation&per_page=2", 200),
    Call("GET", "/repos/acme/web/issues?state=all&sort=updated&direction=asc", 200),
    Call("GET", "/repos/acme/web/issues/101", 200),
    Call("GET", "/repos/acme/web/issues/109", 200),  # a pull request
    Call("GET", "/repos/acme/web/issues/112", 200),  # closed
    Call("GET", "/repos/acme/web/issues/9999", 404),
    Call("PATCH", "/repos/acme/web/issues/106", 200, {"assignees": ["alice-gh"]}),
    Call("PATCH", "/repos/acme/web/issues/106", 200, {"state": "closed"}),
    Call("PATCH", "/repos/acme/api/issues/202", 422, {"assignees": ["carol-c"]}),
    Call("GET", "/repos/acme/web/issues/101/labels", 200),
    Call("POST", "/repos/acme/web/issues/101/labels", 200, ["tier/fire"]),
    Call("POST", "/repos/acme/web/issues/101/labels", 200, {"labels": ["tier/queue"]}),
    Call("PUT", "/repos/acme/web/issues/101/labels", 200, ["escalation", "tier/fire"]),
    Call("DELETE", "/repos/acme/web/issues/101/labels/outage", 200),
    Call("DELETE", "/repos/acme/web/issues/101/labels/tier%2Fabsent", 404),
    Call("GET", "/repos/acme/web/labels?per_page=3", 200),
    Call("GET", "/repos/acme/web/labels/outage", 200),
    Call("GET", "/repos/acme/web/labels/nope", 404),
    Call("POST", "/repos/acme/web/labels", 201, {"name": "tier/fire", "color": "d73a4a"}),
    Call("POST", "/repos/acme/web/labels", 422, {"name": "outage"}),
    Call("POST", "/repos/acme/web/issues/102/assignees", 201, {"assignees": ["alice-gh"]}),
    Call("DELETE", "/repos/acme/web/issues/114/assignees", 200, {"assignees": ["bobby"]}),
    Call("GET", "/repos/acme/web/assignees/alice-gh", 204),
    Call("GET", "/repos/acme/api/assignees/carol-c", 404),
    Call("GET", "/repos/acme/web/issues/101/assignees/carol-c", 204),
    Call("GET", "/repos/acme/api/issues/202/assignees/carol-c", 404),
    Call("GET", "/repos/acme/web/issues/101/comments", 200),
    Call("POST", "/repos/acme/web/issues/101/comments", 201, {"body": "Estimated at 3d."}),
    Call("GET", "/rate_limit", 200),
    Call("GET", "/user", 200),
    Call("GET", "/users/carol-c", 200),
    Call("GET", "/users/carol-x", 404),
    Call("GET", "/repos/acme/web", 200),
    Call("GET", "/repos/acme/nope", 404),
)


def _github(sandbox: Sandbox, call: Call) -> requests.Response:
    return requests.request(
        call.method,
        f"{sandbox.github_url}{call.path}",
        json=call.body,
        headers=GITHUB_AUTH,
        timeout=5,
    )


class TestGitHubOpenApi:
    """Every GitHub route the sandbox serves and the description covers."""

    @pytest.mark.parametrize("call", GITHUB_CALLS, ids=str)
    def test_answer_matches_the_description(self, sandbox: Sandbox, call: Call) -> None:
        """Status, JSON body and described headers validate against the OpenAPI document."""
        contract = github_contract()

        response = _github(sandbox, call)

        assert response.status_code == call.status, response.text
        assert contract.problems(response) == []

    @pytest.mark.parametrize(
        "call",
        [c for c in GITHUB_CALLS if c.status in {200, 201} and c.method in {"GET", "POST"}],
        ids=str,
    )
    def test_every_described_header_is_sent(self, sandbox: Sandbox, call: Call) -> None:
        """Rate-limit, Link and Location headers the description lists are present."""
        described = github_contract().described_headers(call.method, call.path, call.status)

        response = _github(sandbox, call)

        # GitHub sends Link only when there is another page (octokit paginate-issues fixture).
        expected = {h for h in described if h.lower() != "link" or "rel=" in _link(response)}
        assert {h for h in expected if h not in response.headers} == set()

    def test_a_paged_list_sends_a_link_header_the_description_names(self, sandbox: Sandbox) -> None:
        """The issues list with more items than per_page carries `Link` with rel="next"."""
        call = GITHUB_CALLS[0]

        response = _github(sandbox, call)

        assert "Link" in github_contract().described_headers("GET", call.path, 200)
        assert 'rel="next"' in response.headers["Link"]

    def test_a_broken_payload_is_caught(self, sandbox: Sandbox) -> None:
        """The validator is live: an issue without its required `number` is reported."""
        response = _github(sandbox, Call("GET", "/repos/acme/web/issues/101", 200))
        broken = response.json()
        del broken["number"]
        response._content = requests.compat.json.dumps(broken).encode()

        assert any("number" in problem for problem in github_contract().problems(response))


def _link(response: requests.Response) -> str:
    return response.headers.get("Link", "")


JIRA_CALLS = (
    Call("GET", "/rest/api/2/serverInfo", 200),
    Call("GET", "/rest/api/2/myself", 200),
    Call("GET", "/rest/api/2/field", 200),
    Call("GET", "/rest/api/2/issue/SUP-3", 200),
    Call("GET", "/rest/api/2/issue/SUP-7?fields=labels,status,resolution", 200),
    Call("GET", "/rest/api/2/issue/SUP-404", 404),
    Call("PUT", "/rest/api/2/issue/SUP-2", 204, {"update": {"labels": [{"add": "tier/fire"}]}}),
    Call("PUT", "/rest/api/2/issue/SUP-2", 400, {"fields": {"duedate": "2026-12-01"}}),
    Call("PUT", "/rest/api/2/issue/SUP-2/assignee", 204, {"accountId": ALICE}),
    Call("PUT", "/rest/api/2/issue/SUP-2/assignee", 400, {"accountId": "nobody"}),
    Call("POST", "/rest/api/2/issue/SUP-2/comment", 201, {"body": "Estimated at 4d."}),
    Call("GET", "/rest/api/2/issue/SUP-2/comment?startAt=0&maxResults=10", 200),
    Call("GET", "/rest/api/2/issue/SUP-2/comment?orderBy=-created&expand=renderedBody", 200),
    Call("PUT", "/rest/api/2/issue/SUP-2", 400, {"update": {"labels": [{"add": "tier fire"}]}}),
    Call("GET", "/rest/api/latest/issue/SUP-3", 200),
    Call("GET", "/rest/api/latest/field", 200),
    Call("DELETE", "/rest/api/2/issue/SUP-2/comment/999999", 404),
    Call("PUT", "/rest/api/2/issue/SUP-2/comment/999999", 404, {"body": "Estimated at 4d."}),
    Call("POST", "/rest/api/2/issue/SUP-2/comment", 201, {"body": "x", "properties": MARKED}),
    Call("GET", "/rest/api/2/issue/SUP-2/comment?expand=properties", 200),
    Call("GET", "/rest/api/2/search/jql?jql=project%20%3D%20SUP&maxResults=3", 200),
    Call("POST", "/rest/api/2/search/jql", 200, {"jql": "project = SUP", "fields": ["labels"]}),
    Call("GET", "/rest/api/2/search/jql?jql=summary%20~%20x", 400),
    Call("GET", "/rest/api/2/user/search?query=alice", 200),
    Call("GET", "/rest/api/2/user/assignable/search?project=SUP", 200),
    Call("GET", f"/rest/api/2/user?accountId={ALICE}", 200),
    Call("GET", "/rest/api/2/user?accountId=5b10ac8d82e05b22cc7d4ef6", 404),
)

DC_CALLS = (
    Call("GET", "/rest/api/2/serverInfo", 200),
    Call("GET", "/rest/api/2/myself", 200),
    Call("GET", "/rest/api/2/issue/OPS-2", 200),
    Call("GET", "/rest/api/2/search?jql=project%20%3D%20OPS&startAt=1&maxResults=2", 200),
    Call("PUT", "/rest/api/2/issue/OPS-3/assignee", 204, {"name": "bob"}),
    Call("POST", "/rest/api/2/issue/OPS-3/comment", 201, {"body": "Estimated at 4d."}),
    Call("GET", "/rest/api/2/issue/OPS-3/comment", 200),
    Call("GET", "/rest/api/2/issue/OPS-3/comment?orderBy=%2Bcreated&expand=renderedBody", 200),
    Call("PUT", "/rest/api/latest/issue/OPS-3", 400, {"fields": {"labels": ["tier fire"]}}),
    Call("GET", "/rest/api/latest/issue/OPS-3/comment", 200),
    Call("POST", "/rest/api/2/issue/OPS-3/comment", 201, {"body": "x", "properties": MARKED}),
    Call("GET", "/rest/api/2/issue/OPS-3/comment?expand=properties,renderedBody", 200),
    Call("GET", "/rest/api/2/user/search?username=alice", 200),
)


class TestJiraOpenApi:
    """Jira routes (REST v2 in the sandbox) against the Cloud v3 description, paths mapped."""

    @pytest.mark.parametrize("call", JIRA_CALLS, ids=str)
    def test_cloud_answer_matches_the_v3_description(self, sandbox: Sandbox, call: Call) -> None:
        """Only rich text (plain in v2) and Jira's colon-less time offsets are relaxed."""
        contract = jira_contract()

        response = requests.request(
            call.method,
            f"{sandbox.jira_cloud_url}{call.path}",
            json=call.body,
            auth=CLOUD_AUTH,
            timeout=5,
        )

        assert response.status_code == call.status, response.text
        assert contract.problems(response) == []

    @pytest.mark.parametrize("call", DC_CALLS, ids=str)
    def test_data_center_answer_matches_the_v3_description(
        self, sandbox: Sandbox, call: Call
    ) -> None:
        """Data Center's search (startAt paging) and user shapes fit the same schemas."""
        contract = jira_contract()

        response = requests.request(
            call.method,
            f"{sandbox.jira_dc_url}{call.path}",
            json=call.body,
            headers=DC_AUTH,
            timeout=5,
        )

        assert response.status_code == call.status, response.text
        assert contract.problems(response) == []

    def test_a_time_with_a_bad_offset_is_still_caught(self, sandbox: Sandbox) -> None:
        """The relaxed date-time format accepts Jira's `+0000` but not arbitrary text."""
        response = requests.get(
            f"{sandbox.jira_cloud_url}/rest/api/2/serverInfo", auth=CLOUD_AUTH, timeout=5
        )
        broken = {**response.json(), "serverTime": "yesterday"}
        response._content = requests.compat.json.dumps(broken).encode()

        assert any("serverTime" in problem for problem in jira_contract().problems(response))

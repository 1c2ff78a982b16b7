"""The Jira sandbox answers as real Jira does where syncd's tests could otherwise miss a bug:
`/rest/api/latest`, labels with spaces, comment ordering and rendering, and the field list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests

from syncd.sandbox.server import Sandbox

CLOUD_AUTH = {"auth": ("demo@example.com", "sandbox-jira-cloud-token")}
DC_AUTH = {"headers": {"Authorization": "Bearer sandbox-jira-dc-token"}}
EARLY = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def _cloud(sandbox: Sandbox, method: str, path: str, body: object = None) -> requests.Response:
    url = f"{sandbox.jira_cloud_url}{path}"
    return requests.request(method, url, json=body, timeout=5, **CLOUD_AUTH)  # type: ignore[arg-type]


def _dc(sandbox: Sandbox, method: str, path: str, body: object = None) -> requests.Response:
    url = f"{sandbox.jira_dc_url}{path}"
    return requests.request(method, url, json=body, timeout=5, **DC_AUTH)  # type: ignore[arg-type]


class TestLatestVersion:
    """`/rest/api/latest/...` is served as `/rest/api/2/...` on both flavours."""

    def test_cloud_latest_reads_as_version_2(self, sandbox: Sandbox) -> None:
        """The same issue, same body, by either path."""
        latest = _cloud(sandbox, "GET", "/rest/api/latest/issue/SUP-3")

        assert latest.status_code == 200
        assert latest.json() == _cloud(sandbox, "GET", "/rest/api/2/issue/SUP-3").json()

    def test_data_center_latest_writes_as_version_2(self, sandbox: Sandbox) -> None:
        """A label added through `latest` is on the issue read through `2`."""
        body = {"update": {"labels": [{"add": "tier/fire"}]}}

        edit = _dc(sandbox, "PUT", "/rest/api/latest/issue/OPS-2", body)

        assert edit.status_code == 204
        labels = _dc(sandbox, "GET", "/rest/api/2/issue/OPS-2?fields=labels").json()
        assert "tier/fire" in labels["fields"]["labels"]


class TestLabelsWithSpaces:
    """Jira refuses a label with a space with a 400 naming it, and changes nothing."""

    @pytest.mark.parametrize(
        "body",
        [
            {"update": {"labels": [{"add": "tier fire"}]}},
            {"update": {"labels": [{"set": ["escalation", "tier fire"]}]}},
            {"fields": {"labels": ["escalation", "tier fire"]}},
        ],
        ids=["add", "set", "fields"],
    )
    def test_data_center_answers_with_its_message(self, sandbox: Sandbox, body: object) -> None:
        """Data Center's body (as recorded in nuclei#1689 and jiralert#108)."""
        before = _dc(sandbox, "GET", "/rest/api/2/issue/OPS-2?fields=labels").json()

        answer = _dc(sandbox, "PUT", "/rest/api/2/issue/OPS-2", body)

        assert answer.status_code == 400
        assert answer.json() == {
            "errorMessages": [],
            "errors": {"labels": "The label 'tier fire' contains spaces which is invalid."},
        }
        assert _dc(sandbox, "GET", "/rest/api/2/issue/OPS-2?fields=labels").json() == before

    def test_cloud_answers_with_its_message(self, sandbox: Sandbox) -> None:
        """Cloud's wording (as recorded in tenable/integration-jira-cloud#220)."""
        body = {"update": {"labels": [{"add": "tier fire"}]}}

        answer = _cloud(sandbox, "PUT", "/rest/api/2/issue/SUP-2", body)

        assert answer.status_code == 400
        assert answer.json() == {
            "errorMessages": [],
            "errors": {"labels": "The label 'tier fire' can't contain spaces."},
        }


def _two_comments(sandbox: Sandbox) -> list[str]:
    """Comment twice on SUP-2, an hour apart; the new comments' ids, oldest first."""
    ids = []
    for hours, text in ((0, "first <b>note</b>"), (1, "second\nline")):
        sandbox.set_time(EARLY + timedelta(hours=hours))
        answer = _cloud(sandbox, "POST", "/rest/api/2/issue/SUP-2/comment", {"body": text})
        ids.append(answer.json()["id"])
    return ids


class TestCommentLists:
    """`orderBy` and `expand=renderedBody` on an issue's comment list."""

    def test_minus_created_lists_the_newest_first(self, sandbox: Sandbox) -> None:
        """-created reverses the order; created and +created keep it."""
        first, second = _two_comments(sandbox)
        path = "/rest/api/2/issue/SUP-2/comment"

        newest = _cloud(sandbox, "GET", f"{path}?orderBy=-created").json()["comments"]
        oldest = _cloud(sandbox, "GET", f"{path}?orderBy=%2Bcreated").json()["comments"]

        assert [c["id"] for c in newest][:2] == [second, first]
        assert [c["id"] for c in oldest][-2:] == [first, second]

    def test_newest_first_pages_from_the_newest(self, sandbox: Sandbox) -> None:
        """Paging applies after the ordering: maxResults=1 gives the newest comment."""
        _, second = _two_comments(sandbox)

        page = _cloud(
            sandbox, "GET", "/rest/api/2/issue/SUP-2/comment?orderBy=-created&maxResults=1"
        )

        assert [c["id"] for c in page.json()["comments"]] == [second]

    def test_an_unknown_order_is_a_400(self, sandbox: Sandbox) -> None:
        """Only created, -created and +created are orders Jira knows."""
        answer = _cloud(sandbox, "GET", "/rest/api/2/issue/SUP-2/comment?orderBy=updated")

        assert answer.status_code == 400

    def test_rendered_body_is_escaped_html_only_when_asked(self, sandbox: Sandbox) -> None:
        """expand=renderedBody adds the body as HTML; without it there is none."""
        first, second = _two_comments(sandbox)
        path = "/rest/api/2/issue/SUP-2/comment"

        expanded = _comments_by_id(sandbox, f"{path}?expand=renderedBody")
        plain = _comments_by_id(sandbox, path)

        assert expanded[first]["renderedBody"] == "<p>first &lt;b&gt;note&lt;/b&gt;</p>"
        assert expanded[second]["renderedBody"] == "<p>second<br/>\nline</p>"
        assert all("renderedBody" not in c for c in plain.values())


def _comments_by_id(sandbox: Sandbox, path: str) -> dict[str, dict[str, object]]:
    return {c["id"]: c for c in _cloud(sandbox, "GET", path).json()["comments"]}


class TestFieldList:
    """GET /field names every field an issue carries, so a lookup by id never misses."""

    @pytest.mark.parametrize("flavour", ["cloud", "dc"])
    def test_every_issue_field_is_listed(self, sandbox: Sandbox, flavour: str) -> None:
        """The ids of /field cover the keys of an issue read with all its fields."""
        call = _cloud if flavour == "cloud" else _dc
        key = "SUP-3" if flavour == "cloud" else "OPS-2"

        listed = {field["id"] for field in call(sandbox, "GET", "/rest/api/2/field").json()}
        carried = call(sandbox, "GET", f"/rest/api/2/issue/{key}?fields=*all").json()["fields"]

        assert set(carried) - listed == set()

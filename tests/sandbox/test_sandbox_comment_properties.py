"""Jira comment properties in the sandbox: stored on create, listed with expand=properties."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from syncd.sandbox.server import Sandbox

CLOUD_AUTH = ("demo@example.com", "sandbox-jira-cloud-token")
MARKED = {"key": "syncd", "value": {"marker": "syncd:over-estimate"}}


def call(sandbox: Sandbox, method: str, path: str, body: object = None) -> requests.Response:
    """One request to the Cloud flavour's REST v2."""
    url = f"{sandbox.jira_cloud_url}/rest/api/2/{path}"
    return requests.request(method, url, json=body, auth=CLOUD_AUTH, timeout=5)


def listed(sandbox: Sandbox, query: str = "") -> list[dict[str, Any]]:
    """SUP-2's comments as the comment list answers them."""
    answer = call(sandbox, "GET", f"issue/SUP-2/comment{query}")
    assert answer.status_code == 200
    comments: list[dict[str, Any]] = answer.json()["comments"]
    return comments


class TestProperties:
    """A comment's properties, as Jira keeps them."""

    def test_properties_are_listed_only_when_expanded(self, sandbox: Sandbox) -> None:
        """Without expand=properties no `properties` key; with it, the list as posted."""
        call(sandbox, "POST", "issue/SUP-2/comment", {"body": "Over.", "properties": [MARKED]})

        assert "properties" not in listed(sandbox)[-1]
        assert listed(sandbox, "?expand=properties")[-1]["properties"] == [MARKED]

    def test_a_comment_without_properties_lists_an_empty_list(self, sandbox: Sandbox) -> None:
        """expand=properties on a plain comment gives `properties: []`."""
        call(sandbox, "POST", "issue/SUP-2/comment", {"body": "Plain."})

        assert listed(sandbox, "?expand=properties")[-1]["properties"] == []

    @pytest.mark.parametrize("bad", [{"key": "syncd"}, "syncd", [{"value": 1}]])
    def test_a_malformed_property_list_is_a_400(self, sandbox: Sandbox, bad: object) -> None:
        """Properties that are not objects with a key and a value are refused."""
        body = {"body": "x", "properties": bad if isinstance(bad, list) else [bad]}

        assert call(sandbox, "POST", "issue/SUP-2/comment", body).status_code == 400

    def test_the_snapshot_shows_a_property_line_after_the_body(self, sandbox: Sandbox) -> None:
        """IssueView.comments: the body, then `[property KEY: JSON]`."""
        call(sandbox, "POST", "issue/SUP-2/comment", {"body": "Over.", "properties": [MARKED]})

        shown = sandbox.snapshot().issue("SUP-2").comments[-1]
        assert shown == 'Over.\n[property syncd: {"marker": "syncd:over-estimate"}]'


class TestEdit:
    """PUT /issue/{key}/comment/{id}."""

    def test_an_edit_replaces_the_body_and_keeps_the_properties(self, sandbox: Sandbox) -> None:
        """200 with the comment; its new body listed, its properties unchanged."""
        made = call(sandbox, "POST", "issue/SUP-2/comment", {"body": "a", "properties": [MARKED]})

        edited = call(sandbox, "PUT", f"issue/SUP-2/comment/{made.json()['id']}", {"body": "b"})

        assert (edited.status_code, edited.json()["body"]) == (200, "b")
        last = listed(sandbox, "?expand=properties")[-1]
        assert (last["body"], last["properties"]) == ("b", [MARKED])

    def test_editing_a_comment_that_is_not_there_is_a_404(self, sandbox: Sandbox) -> None:
        """An unknown comment id: 404 with Jira's message."""
        answer = call(sandbox, "PUT", "issue/SUP-2/comment/999999", {"body": "b"})

        assert answer.status_code == 404

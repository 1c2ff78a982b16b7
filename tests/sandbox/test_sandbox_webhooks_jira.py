"""The sandbox's Jira webhooks (Cloud and Data Center): `jira:issue_created` and
`jira:issue_updated`, signed with X-Hub-Signature, with a changelog of what changed."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator

import pytest
import requests

from syncd.sandbox.deliveries import Target
from syncd.sandbox.seed import JiraIssueSeed
from syncd.sandbox.server import Sandbox
from tests.sandbox.conftest import NOW
from tests.sandbox.receiver import Receiver

SECRET = "jira-webhook-secret"
CLOUD_AUTH = ("demo@example.com", "sandbox-jira-cloud-token")
DC_AUTH = {"Authorization": "Bearer sandbox-jira-dc-token"}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A receiver answering 200."""
    with Receiver(status=200) as running:
        yield running


@pytest.fixture
def hooked(sandbox: Sandbox, receiver: Receiver) -> Sandbox:
    """The sandbox delivering both Jira sites' webhooks to the receiver."""
    sandbox.deliver_webhooks(
        jira_cloud=Target(f"{receiver.url}/webhooks/cloud", SECRET),
        jira_dc=Target(f"{receiver.url}/webhooks/dc", SECRET),
    )
    return sandbox


def _cloud_issue(sandbox: Sandbox, key: str) -> str:
    return f"{sandbox.jira_cloud_url}/rest/api/2/issue/{key}"


class TestJiraUpdated:
    """A change through Jira's REST API is one signed jira:issue_updated."""

    def test_a_label_added_is_a_signed_issue_updated_with_a_changelog(
        self, hooked: Sandbox, receiver: Receiver
    ) -> None:
        """Identifier header, a valid X-Hub-Signature, the REST issue, the labels item."""
        before = requests.get(_cloud_issue(hooked, "SUP-1"), auth=CLOUD_AUTH, timeout=5).json()
        body = {"update": {"labels": [{"add": "tier/fire"}]}}

        requests.put(_cloud_issue(hooked, "SUP-1"), json=body, auth=CLOUD_AUTH, timeout=5)

        assert hooked.webhooks.drain(5)
        issue = requests.get(_cloud_issue(hooked, "SUP-1"), auth=CLOUD_AUTH, timeout=5).json()
        [delivery] = receiver.received
        expected = hmac.new(SECRET.encode(), delivery.body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(delivery.headers["X-Hub-Signature"], f"sha256={expected}")
        assert delivery.headers["X-Atlassian-Webhook-Identifier"]
        assert delivery.path == "/webhooks/cloud"
        payload = delivery.json()
        assert payload["webhookEvent"] == "jira:issue_updated"
        assert payload["issue_event_type_name"] == "issue_updated"
        assert payload["timestamp"] == int(NOW.timestamp() * 1000)
        assert payload["issue"] == issue
        assert payload["user"]["accountId"] == "712020:syncd-bot"
        [item] = payload["changelog"]["items"]
        old_labels = " ".join(before["fields"]["labels"])
        assert (item["field"], item["fromString"]) == ("labels", old_labels)
        assert item["toString"] == " ".join(issue["fields"]["labels"])

    def test_an_assignee_set_on_data_center_is_issue_assigned(
        self, hooked: Sandbox, receiver: Receiver
    ) -> None:
        """PUT .../assignee on DC: `issue_assigned`, the item names the user and their name."""
        url = f"{hooked.jira_dc_url}/rest/api/2/issue/OPS-1/assignee"

        requests.put(url, json={"name": "alice"}, headers=DC_AUTH, timeout=5)

        assert hooked.webhooks.drain(5)
        [delivery] = receiver.received
        payload = delivery.json()
        [item] = payload["changelog"]["items"]
        assert delivery.path == "/webhooks/dc"
        assert payload["issue_event_type_name"] == "issue_assigned"
        assert (item["field"], item["to"]) == ("assignee", "alice")
        assert item["toString"] == payload["issue"]["fields"]["assignee"]["displayName"]

    def test_a_comment_is_issue_commented_with_the_comment(
        self, hooked: Sandbox, receiver: Receiver
    ) -> None:
        """POST .../comment: jira:issue_updated, `issue_commented`, the comment, no changelog."""
        url = f"{_cloud_issue(hooked, 'SUP-2')}/comment"

        requests.post(url, json={"body": "Looking"}, auth=CLOUD_AUTH, timeout=5)

        assert hooked.webhooks.drain(5)
        [payload] = [r.json() for r in receiver.received]
        assert payload["webhookEvent"] == "jira:issue_updated"
        assert payload["issue_event_type_name"] == "issue_commented"
        assert payload["comment"]["body"] == "Looking"
        assert "changelog" not in payload

    def test_an_issue_edited_by_its_id_is_delivered(
        self, hooked: Sandbox, receiver: Receiver
    ) -> None:
        """PUT /issue/{numeric id}: the same delivery as by key."""
        issue_id = requests.get(_cloud_issue(hooked, "SUP-1"), auth=CLOUD_AUTH, timeout=5).json()[
            "id"
        ]
        body = {"fields": {"summary": "Renamed"}}

        requests.put(_cloud_issue(hooked, issue_id), json=body, auth=CLOUD_AUTH, timeout=5)

        assert hooked.webhooks.drain(5)
        [payload] = [r.json() for r in receiver.received]
        [item] = payload["changelog"]["items"]
        assert (payload["issue"]["key"], item["field"], item["toString"]) == (
            "SUP-1",
            "summary",
            "Renamed",
        )

    def test_identifiers_differ_between_deliveries(
        self, hooked: Sandbox, receiver: Receiver
    ) -> None:
        """Two changes, two X-Atlassian-Webhook-Identifier values."""
        for label in ("a", "b"):
            body = {"update": {"labels": [{"add": label}]}}
            requests.put(_cloud_issue(hooked, "SUP-1"), json=body, auth=CLOUD_AUTH, timeout=5)

        assert hooked.webhooks.drain(5)
        ids = {r.headers["X-Atlassian-Webhook-Identifier"] for r in receiver.received}
        assert len(ids) == 2


class TestJiraByHand:
    """Admin changes on Jira are delivered, made by a person."""

    def test_a_new_issue_is_issue_created(self, hooked: Sandbox, receiver: Receiver) -> None:
        """open_issue in SUP: jira:issue_created to the Cloud target."""
        hooked.open_issue("SUP", JiraIssueSeed(key="SUP-900", summary="Checkout down"))

        assert hooked.webhooks.drain(5)
        [delivery] = receiver.received
        payload = delivery.json()
        assert (payload["webhookEvent"], payload["issue"]["key"]) == (
            "jira:issue_created",
            "SUP-900",
        )
        assert delivery.path == "/webhooks/cloud"

    def test_an_estimate_is_an_update_with_its_field(
        self, hooked: Sandbox, receiver: Receiver
    ) -> None:
        """set_estimate: timeoriginalestimate in the changelog, by no bot."""
        hooked.set_estimate("OPS-2", seconds=7200)

        assert hooked.webhooks.drain(5)
        [payload] = [r.json() for r in receiver.received]
        fields = [item["field"] for item in payload["changelog"]["items"]]
        assert "timeoriginalestimate" in fields
        assert payload["user"]["name"] != "syncd-bot"

    def test_votes_send_nothing_as_in_jira(self, hooked: Sandbox, receiver: Receiver) -> None:
        """add_reporters (votes) changes no field Jira reports, so no delivery."""
        hooked.add_reporters("SUP-1", 3)

        assert hooked.webhooks.drain(5)
        assert receiver.received == []

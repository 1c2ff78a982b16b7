"""The sandbox's GitHub webhooks: signed `issues` and `issue_comment` deliveries for every change,
posted in order, never holding up the API, and none without a target."""

from __future__ import annotations

import hashlib
import hmac
import socket
import time
import uuid
from collections.abc import Iterator

import pytest
import requests

from syncd.sandbox.deliveries import Target
from syncd.sandbox.seed import GitHubIssueSeed
from syncd.sandbox.server import Sandbox
from tests.sandbox.conftest import NOW
from tests.sandbox.receiver import Receiver

SECRET = "It's a Secret to Everybody"
AUTH = {"Authorization": "token sandbox-github-token"}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A receiver answering 202."""
    with Receiver() as running:
        yield running


@pytest.fixture
def hooked(sandbox: Sandbox, receiver: Receiver) -> Sandbox:
    """The sandbox delivering GitHub webhooks to the receiver."""
    sandbox.deliver_webhooks(github=Target(f"{receiver.url}/webhooks/github", SECRET))
    return sandbox


def _issue_url(sandbox: Sandbox, number: int = 101) -> str:
    return f"{sandbox.github_url}/repos/acme/web/issues/{number}"


def _actions(receiver: Receiver) -> list[tuple[str, object]]:
    return [(r.headers["X-GitHub-Event"], r.json()["action"]) for r in receiver.received]


class TestGitHubDelivery:
    """One API write, one real-shaped, signed delivery."""

    def test_a_label_added_is_one_signed_labeled_delivery(
        self, hooked: Sandbox, receiver: Receiver
    ) -> None:
        """The signature verifies over the raw body with the secret; the issue is the API's."""
        requests.post(f"{_issue_url(hooked)}/labels", json=["tier/fire"], headers=AUTH, timeout=5)

        assert hooked.webhooks.drain(5)
        issue = requests.get(_issue_url(hooked), headers=AUTH, timeout=5).json()
        [delivery] = receiver.received
        expected = hmac.new(SECRET.encode(), delivery.body, hashlib.sha256).hexdigest()
        sent = delivery.headers["X-Hub-Signature-256"]
        assert hmac.compare_digest(sent, f"sha256={expected}")
        payload = delivery.json()
        assert (payload["action"], payload["label"]["name"]) == ("labeled", "tier/fire")
        assert payload["issue"] == issue
        assert payload["sender"]["login"] == "syncd-bot"
        assert payload["repository"]["full_name"] == "acme/web"
        assert delivery.path == "/webhooks/github"

    def test_the_headers_are_the_ones_github_sends(
        self, hooked: Sandbox, receiver: Receiver
    ) -> None:
        """Event, GUID delivery id, hook id, Hookshot agent, JSON, and the SHA-1 signature too."""
        requests.post(f"{_issue_url(hooked)}/labels", json=["tier/fire"], headers=AUTH, timeout=5)

        assert hooked.webhooks.drain(5)
        headers = receiver.received[0].headers
        sha1 = hmac.new(SECRET.encode(), receiver.received[0].body, hashlib.sha1).hexdigest()
        assert headers["X-GitHub-Event"] == "issues"
        assert str(uuid.UUID(headers["X-GitHub-Delivery"])) == headers["X-GitHub-Delivery"]
        assert headers["X-GitHub-Hook-ID"].isdigit()
        assert headers["User-Agent"].startswith("GitHub-Hookshot/")
        assert headers["Content-Type"] == "application/json"
        assert hmac.compare_digest(headers["X-Hub-Signature"], f"sha1={sha1}")

    def test_each_delivery_has_its_own_id(self, hooked: Sandbox, receiver: Receiver) -> None:
        """Two changes, two different X-GitHub-Delivery GUIDs."""
        requests.post(f"{_issue_url(hooked)}/labels", json=["a", "b"], headers=AUTH, timeout=5)

        assert hooked.webhooks.drain(5)
        ids = {r.headers["X-GitHub-Delivery"] for r in receiver.received}
        assert len(ids) == len(receiver.received) == 2


class TestGitHubActions:
    """Each kind of change is the action GitHub names it."""

    def test_deliveries_follow_the_order_of_the_changes(
        self, hooked: Sandbox, receiver: Receiver
    ) -> None:
        """Label, assign, unlabel, comment, close, reopen: delivered in that order."""
        url = _issue_url(hooked)
        requests.post(f"{url}/labels", json=["tier/fire"], headers=AUTH, timeout=5)
        requests.post(f"{url}/assignees", json={"assignees": ["bobby"]}, headers=AUTH, timeout=5)
        requests.delete(f"{url}/labels/tier%2Ffire", headers=AUTH, timeout=5)
        requests.post(f"{url}/comments", json={"body": "on it"}, headers=AUTH, timeout=5)
        requests.patch(url, json={"state": "closed"}, headers=AUTH, timeout=5)
        requests.patch(url, json={"state": "open"}, headers=AUTH, timeout=5)

        assert hooked.webhooks.drain(5)
        assert _actions(receiver) == [
            ("issues", "labeled"),
            ("issues", "assigned"),
            ("issues", "unlabeled"),
            ("issue_comment", "created"),
            ("issues", "closed"),
            ("issues", "reopened"),
        ]

    def test_an_assignee_removed_is_unassigned_naming_them(
        self, hooked: Sandbox, receiver: Receiver
    ) -> None:
        """DELETE .../assignees gives `unassigned` with the `assignee` who left."""
        url = _issue_url(hooked)
        requests.post(f"{url}/assignees", json={"assignees": ["bobby"]}, headers=AUTH, timeout=5)
        requests.delete(f"{url}/assignees", json={"assignees": ["bobby"]}, headers=AUTH, timeout=5)

        assert hooked.webhooks.drain(5)
        last = receiver.received[-1].json()
        assert (last["action"], last["assignee"]["login"]) == ("unassigned", "bobby")

    def test_a_title_edit_is_edited_with_the_old_title(
        self, hooked: Sandbox, receiver: Receiver
    ) -> None:
        """PATCH title: `edited` with `changes.title.from`."""
        old = requests.get(_issue_url(hooked), headers=AUTH, timeout=5).json()["title"]

        requests.patch(_issue_url(hooked), json={"title": "New"}, headers=AUTH, timeout=5)

        assert hooked.webhooks.drain(5)
        [edited] = [r.json() for r in receiver.received]
        assert edited["action"] == "edited"
        assert edited["changes"] == {"title": {"from": old}}

    def test_a_comment_deleted_by_its_id_is_issue_comment_deleted(
        self, hooked: Sandbox, receiver: Receiver
    ) -> None:
        """DELETE .../issues/comments/{id} names no issue; the delivery still names it."""
        url = f"{_issue_url(hooked)}/comments"
        made = requests.post(url, json={"body": "hi"}, headers=AUTH, timeout=5).json()

        requests.delete(made["url"], headers=AUTH, timeout=5)

        assert hooked.webhooks.drain(5)
        last = receiver.received[-1].json()
        assert (last["action"], last["comment"]["id"]) == ("deleted", made["id"])
        assert last["issue"]["number"] == 101

    def test_a_write_that_changes_nothing_sends_nothing(
        self, hooked: Sandbox, receiver: Receiver
    ) -> None:
        """Adding a label the issue already has is no change, so no delivery."""
        requests.post(f"{_issue_url(hooked)}/labels", json=["x"], headers=AUTH, timeout=5)
        hooked.webhooks.drain(5)
        receiver.received.clear()

        requests.post(f"{_issue_url(hooked)}/labels", json=["x"], headers=AUTH, timeout=5)

        assert hooked.webhooks.drain(5)
        assert receiver.received == []


class TestGitHubByHand:
    """Changes through the admin interface are delivered too, sent by a person."""

    def test_an_admin_edit_is_labeled_sent_by_the_issue_author(
        self, hooked: Sandbox, receiver: Receiver
    ) -> None:
        """POST /_admin/edit adding a label: `labeled`, the sender is no bot."""
        body = {"key": "acme/web#101", "add_labels": ["tier/queue"]}
        requests.post(f"{hooked.url}/_admin/edit", json=body, timeout=5)

        assert hooked.webhooks.drain(5)
        [payload] = [r.json() for r in receiver.received]
        author = payload["issue"]["user"]["login"]
        assert payload["action"] == "labeled"
        assert payload["sender"]["login"] == author != "syncd-bot"

    def test_a_new_issue_is_opened_then_labeled(self, hooked: Sandbox, receiver: Receiver) -> None:
        """open_issue with a label: `opened`, then `labeled` for it, as GitHub sends both."""
        seed = GitHubIssueSeed(
            number=999, title="Checkout down", labels=("escalation",), created=NOW, updated=NOW
        )

        hooked.open_issue("acme/web", seed)

        assert hooked.webhooks.drain(5)
        assert _actions(receiver) == [("issues", "opened"), ("issues", "labeled")]
        assert receiver.received[0].json()["issue"]["number"] == 999


class TestDeliveryFailures:
    """A receiver that is missing or failing costs the API nothing."""

    def test_a_receiver_that_is_down_is_counted_and_the_api_still_answers(
        self, sandbox: Sandbox
    ) -> None:
        """Connection refused: the API answers at once; the delivery is recorded as failed."""
        with socket.socket() as closed:
            closed.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
            port = closed.getsockname()[1]
            sandbox.deliver_webhooks(github=Target(f"http://127.0.0.1:{port}/hook", SECRET))

            answer = requests.post(
                f"{_issue_url(sandbox)}/labels", json=["x"], headers=AUTH, timeout=5
            )

            assert sandbox.webhooks.drain(5)
        [record] = sandbox.webhooks.records()
        assert answer.status_code == 200
        assert (record.event, record.action, record.status) == ("issues", "labeled", None)
        assert sandbox.webhooks.deliverer.counts()["failed"] == 1

    def test_a_silent_receiver_never_holds_up_the_api(self, sandbox: Sandbox) -> None:
        """A receiver that accepts but never answers: the API's answer does not wait for it."""
        with socket.socket() as silent:
            silent.bind(("127.0.0.1", 0))
            silent.listen()
            port = silent.getsockname()[1]
            sandbox.deliver_webhooks(github=Target(f"http://127.0.0.1:{port}/hook", SECRET))
            started = time.perf_counter()

            requests.post(f"{_issue_url(sandbox)}/labels", json=["x"], headers=AUTH, timeout=5)
            requests.post(f"{_issue_url(sandbox)}/labels", json=["y"], headers=AUTH, timeout=5)

            assert time.perf_counter() - started < 1.0

    def test_a_non_2xx_answer_is_a_failure(self, sandbox: Sandbox) -> None:
        """A receiver answering 500 is recorded with its status and counted as failed."""
        with Receiver(status=500) as failing:
            sandbox.deliver_webhooks(github=Target(failing.url, SECRET))
            requests.post(f"{_issue_url(sandbox)}/labels", json=["x"], headers=AUTH, timeout=5)

            assert sandbox.webhooks.drain(5)
        assert [r.status for r in sandbox.webhooks.records()] == [500]
        assert sandbox.webhooks.deliverer.counts()["failed"] == 1

    def test_no_target_sends_nothing(self, sandbox: Sandbox, receiver: Receiver) -> None:
        """Without deliver_webhooks, changes are made and nothing is posted anywhere."""
        requests.post(f"{_issue_url(sandbox)}/labels", json=["x"], headers=AUTH, timeout=5)
        sandbox.edit_issue("acme/web#102", add_labels=("y",))

        assert sandbox.webhooks.drain(5)
        assert sandbox.webhooks.records() == [] and receiver.received == []

"""POST /webhooks/<tracker>: every answer of SPEC §7, in its order, and what each leaves behind."""

from __future__ import annotations

import json

from structlog.testing import capture_logs

from syncd.entrypoints.listener import Request
from syncd.service_layer.inbox import Inbox
from tests.webhooks.deliveries import (
    GITHUB_SECRET,
    JIRA_SECRET,
    REMOTE,
    Endpoint,
    github_issue_event,
    github_request,
    jira_issue_event,
    jira_request,
    signature,
)


def test_a_signed_issues_event_is_queued_with_its_issue() -> None:
    """202: the issue the payload names is queued for the loop thread, keyed as listings are."""
    endpoint = Endpoint()
    answer = endpoint.answer(github_request(github_issue_event(12, repo="ACME/Web")))
    assert answer.status == 202
    (delivery,) = endpoint.inbox.take()
    assert (delivery.tracker, delivery.key, delivery.event) == ("web", "acme/web#12", "issues")
    assert delivery.id == "72d3162e-cc78-11e3-81ab-4c9367dc0958"
    assert endpoint.metrics.results == [("web", "queued")]


def test_a_jira_update_is_queued_with_its_key() -> None:
    """202: Jira's `jira:issue_updated` names its issue; the identifier is the delivery id."""
    endpoint = Endpoint()
    assert endpoint.answer(jira_request(jira_issue_event("SUP-7"))).status == 202
    (delivery,) = endpoint.inbox.take()
    assert (delivery.tracker, delivery.key, delivery.event) == (
        "support",
        "SUP-7",
        "jira:issue_updated",
    )
    assert delivery.id == "83a6fa64-4bd8-4a2c-9a1e-5b3d8e0f2c11"


def test_an_unknown_tracker_or_one_without_a_secret_is_404_whatever_the_method() -> None:
    """404 comes first: before the method, the signature or the body are looked at."""
    endpoint = Endpoint()
    for tracker in ("nope", "mobile", "", "web/extra"):
        request = github_request({}, tracker=tracker, method="GET", secret="wrong")
        assert endpoint.answer(request).status == 404, tracker
    assert endpoint.metrics.results == [("(unknown)", "unknown_tracker")] * 4
    assert len(endpoint.inbox) == 0


def test_another_method_is_405_naming_post() -> None:
    """405 for GET, PUT, HEAD... of a tracker that takes webhooks, with `Allow: POST`."""
    endpoint = Endpoint()
    for method in ("GET", "PUT", "DELETE", "HEAD"):
        answer = endpoint.answer(github_request(github_issue_event(), method=method))
        assert answer.status == 405
        assert ("Allow", "POST") in answer.headers


def test_a_missing_wrong_or_legacy_signature_is_401() -> None:
    """401: no header, another secret, GitHub's sha1 header alone, garbage, another body."""
    endpoint = Endpoint()
    body = json.dumps(github_issue_event()).encode()
    wrong = github_request(github_issue_event(), secret="not-the-secret")
    other_body = github_request(github_issue_event(), body=body + b" ")
    other_body = Request(
        "POST", other_body.path, "", {**other_body.headers,
        "x-hub-signature-256": signature(GITHUB_SECRET, body)}, body + b" ", REMOTE,
    )  # fmt: skip
    variants = [
        {"x-hub-signature-256": ""},
        {"x-hub-signature-256": "sha1=" + "0" * 40},
        {"x-hub-signature-256": "sha256=zz\x00\u00e9"},
        {"x-hub-signature-256": signature(GITHUB_SECRET, body)[:-2]},
    ]
    requests = [wrong, other_body]
    base = github_request(github_issue_event())
    requests += [
        Request("POST", base.path, "", {**base.headers, **v}, base.body, REMOTE) for v in variants
    ]
    unsigned = {k: v for k, v in base.headers.items() if k != "x-hub-signature-256"}
    requests.append(Request("POST", base.path, "", unsigned, base.body, REMOTE))
    for request in requests:
        assert endpoint.answer(request).status == 401
    # Jira signs in X-Hub-Signature: GitHub's header name is not Jira's.
    jira = jira_request(jira_issue_event())
    moved = {
        ("x-hub-signature-256" if k == "x-hub-signature" else k): v for k, v in jira.headers.items()
    }
    assert endpoint.answer(Request("POST", jira.path, "", moved, jira.body, REMOTE)).status == 401
    assert len(endpoint.inbox) == 0


def test_a_signed_body_that_is_not_json_or_names_no_event_is_400() -> None:
    """400: a signed body that does not parse, no event header, a payload naming no issue."""
    endpoint = Endpoint()
    assert endpoint.answer(github_request(None, body=b"{not json")).status == 400
    assert endpoint.answer(github_request(None, body=b"\xff\xfe")).status == 400
    assert endpoint.answer(github_request(None, body=b"[" * 100_000)).status == 400
    assert endpoint.answer(github_request(github_issue_event(), event=None)).status == 400
    assert endpoint.answer(github_request({"action": "opened"})).status == 400
    assert endpoint.answer(github_request(github_issue_event(number=True))).status == 400
    assert endpoint.answer(jira_request({"issue": {"key": "SUP-7"}})).status == 400
    assert endpoint.answer(jira_request(jira_issue_event('SUP-7" OR key != "X'))).status == 400
    assert len(endpoint.inbox) == 0


def test_a_ping_is_200_and_queues_nothing() -> None:
    """GitHub's ping (sent when the webhook is created) answers 200."""
    endpoint = Endpoint()
    answer = endpoint.answer(github_request({"zen": "Keep it logically awesome."}, event="ping"))
    assert (answer.status, answer.body) == (200, b"pong\n")
    assert len(endpoint.inbox) == 0


def test_other_events_repositories_and_pull_requests_are_202_and_change_nothing() -> None:
    """202 ignored: another event or repository, a pull request, a Jira event to skip."""
    endpoint = Endpoint()
    assert endpoint.answer(github_request(github_issue_event(), event="push")).status == 202
    assert endpoint.answer(github_request(github_issue_event(repo="acme/other"))).status == 202
    pull = github_issue_event(pull_request={"url": "https://api.github.com/repos/acme/web/pulls/3"})
    assert endpoint.answer(github_request(pull)).status == 202
    deleted = jira_issue_event(event="jira:issue_deleted")
    assert endpoint.answer(jira_request(deleted)).status == 202
    assert len(endpoint.inbox) == 0
    assert {result for _, result in endpoint.metrics.results} == {"ignored"}


def test_a_delivery_id_taken_before_is_200_and_queued_once() -> None:
    """200 for a redelivery (same id), whether it was taken in this run or read from the state."""
    endpoint = Endpoint(inbox=Inbox([("support", "seen-before")]))
    first = endpoint.answer(github_request(github_issue_event()))
    again = endpoint.answer(github_request(github_issue_event()))
    earlier = endpoint.answer(jira_request(jira_issue_event(), delivery="seen-before"))
    assert (first.status, again.status, earlier.status) == (202, 200, 200)
    assert len(endpoint.inbox.take()) == 1


def test_a_full_queue_is_503_and_the_delivery_can_come_again() -> None:
    """503 when the queue is full; its id is not remembered, so a redelivery is taken later."""
    endpoint = Endpoint(inbox=Inbox(size=1))
    assert endpoint.answer(github_request(github_issue_event(1), delivery="a")).status == 202
    full = endpoint.answer(github_request(github_issue_event(2), delivery="b"))
    assert full.status == 503
    assert ("Retry-After", "60") in full.headers
    endpoint.inbox.take()
    assert endpoint.answer(github_request(github_issue_event(2), delivery="b")).status == 202


def test_refusals_are_logged_once_with_the_remote_address_never_the_secret() -> None:
    """A refused delivery logs one line naming the remote address; no secret, no signature."""
    endpoint = Endpoint()
    bad = github_request(github_issue_event(), secret="an-attackers-guess")
    with capture_logs() as logs:
        endpoint.answer(bad)
        endpoint.answer(jira_request(jira_issue_event(), secret="another-guess"))
    assert [entry["remote"] for entry in logs] == [REMOTE, REMOTE]
    text = repr(logs)
    for secret in (GITHUB_SECRET, JIRA_SECRET, bad.headers["x-hub-signature-256"][7:]):
        assert secret not in text

"""The webhook poster against Slack-shaped answers: 200 `ok` delivers; 429 with Retry-After and
5xx are retried later; 400 `invalid_payload` and 404 `no_service` are refused for good; the URL
(a secret) is in no error."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import requests
import responses

from syncd.adapters.notify.poster import WebhookPoster
from syncd.config.model import Secret
from syncd.errors import NotifyFailed, NotifyRefused

URL = "https://hooks.slack.com/services/T0001/B0001/SeCrEtToKeN"
BODY = json.dumps({"text": "Handoff", "blocks": []})


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    """Answers for the webhook URL; nothing reaches the network."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def poster() -> WebhookPoster:
    """A poster for Slack's URL, as the composition root builds it."""
    return WebhookPoster("slack", Secret(URL, "${SLACK_WEBHOOK_URL}"), timeout=10.0)


class TestWebhookPoster:
    def test_ok_delivers_the_body_as_json(self, rsps: responses.RequestsMock) -> None:
        """Slack's 200 `ok`: the body arrived as JSON, nothing raised."""
        rsps.post(URL, body="ok", status=200, content_type="text/html")

        poster().send(BODY)

        assert json.loads(rsps.calls[0].request.body or b"") == {"text": "Handoff", "blocks": []}
        assert rsps.calls[0].request.headers["Content-Type"].startswith("application/json")

    def test_429_is_retried_after_what_slack_asks(self, rsps: responses.RequestsMock) -> None:
        """`Retry-After: 30` becomes retry_after 30 s."""
        rsps.post(URL, body="rate_limited", status=429, headers={"Retry-After": "30"})

        with pytest.raises(NotifyFailed) as raised:
            poster().send(BODY)

        assert (raised.value.retry_after, str(raised.value)) == (
            30.0,
            "slack: HTTP 429 rate_limited",
        )

    def test_a_5xx_is_retried(self, rsps: responses.RequestsMock) -> None:
        """500: NotifyFailed with no wait asked."""
        rsps.post(URL, body="internal_error", status=500)

        with pytest.raises(NotifyFailed) as raised:
            poster().send(BODY)

        assert raised.value.retry_after is None

    @pytest.mark.parametrize(
        ("status", "said"),
        [(400, "invalid_payload"), (404, "no_service"), (403, "action_prohibited")],
    )
    def test_a_refusal_is_final_and_says_slacks_word(
        self, rsps: responses.RequestsMock, status: int, said: str
    ) -> None:
        """400 invalid_payload, 404 no_service, 403: NotifyRefused naming the status and word."""
        rsps.post(URL, body=said, status=status)

        with pytest.raises(NotifyRefused) as raised:
            poster().send(BODY)

        assert str(raised.value) == f"slack: HTTP {status} {said}"

    def test_a_network_error_never_names_the_url(self, rsps: responses.RequestsMock) -> None:
        """The exception text, and its chain, hold no part of the URL's secret path."""
        rsps.post(URL, body=requests.ConnectionError(f"Max retries exceeded with url: {URL}"))

        with pytest.raises(NotifyFailed) as raised:
            poster().send(BODY)

        assert str(raised.value) == "slack: cannot connect"
        assert raised.value.__cause__ is None and raised.value.__suppress_context__

    def test_an_answer_echoing_the_url_is_not_repeated(self, rsps: responses.RequestsMock) -> None:
        """A body holding a path is left out of the error."""
        rsps.post(URL, body=f"no hook at {URL}", status=404)

        with pytest.raises(NotifyRefused) as raised:
            poster().send(BODY)

        assert str(raised.value) == "slack: HTTP 404"

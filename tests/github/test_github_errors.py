"""GitHub failures become syncd errors, with the right pause time and never the token."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests
import responses
from github.GithubException import GithubException, RateLimitExceededException
from github_payloads import (
    API,
    ESTIMATES,
    NOW,
    TOKEN,
    VALIDATION_FAILED,
    DictEtags,
    adapter,
    tracker,
)

from syncd.adapters.github.client import GitHubAdapter
from syncd.adapters.github.translate import from_exception, rate_limit_until
from syncd.config.model import Secret
from syncd.errors import (
    AuthFailed,
    NotFound,
    RateLimited,
    TrackerError,
    TrackerUnavailable,
    WriteRejected,
)
from syncd.service_layer.tracker import Tracker

LIST = f"{API}/repos/acme/web/issues"
RESET = int(datetime(2026, 11, 26, 12, 20, tzinfo=UTC).timestamp())


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def failure_of(call: Callable[[GitHubAdapter], object]) -> TrackerError:
    """The TrackerError `call` raises on a fresh adapter (fails the test when none is raised)."""
    with pytest.raises(TrackerError) as caught:
        call(adapter())
    return caught.value


def fetch_all(gh: GitHubAdapter) -> object:
    return gh.fetch(None)


def chain(exc: BaseException) -> list[BaseException]:
    """The exception and every cause or context behind it."""
    found: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in found:
        found.append(current)
        current = current.__cause__ or current.__context__
    return found


class TestErrorTranslation:
    """Answers and failures of GitHub, as the adapter raises them."""

    def test_a_primary_rate_limit_pauses_until_the_reset(
        self, rsps: responses.RequestsMock
    ) -> None:
        """403 with x-ratelimit-remaining 0 is RateLimited until x-ratelimit-reset."""
        rsps.get(
            LIST,
            status=403,
            json={"message": "API rate limit exceeded for user ID 1."},
            headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(RESET)},
        )

        error = failure_of(fetch_all)

        assert isinstance(error, RateLimited)
        assert error.until == datetime(2026, 11, 26, 12, 20, tzinfo=UTC)

    def test_a_429_with_retry_after_pauses_that_long(self, rsps: responses.RequestsMock) -> None:
        """429 with Retry-After: 120 is RateLimited until now + 2 minutes."""
        rsps.get(LIST, status=429, json={"message": "slow down"}, headers={"Retry-After": "120"})

        error = failure_of(fetch_all)

        assert isinstance(error, RateLimited)
        assert error.until == NOW + timedelta(seconds=120)

    def test_a_bare_secondary_limit_pauses_a_minute(self, rsps: responses.RequestsMock) -> None:
        """A 403 secondary limit without headers waits the minute GitHub asks for."""
        message = "You have exceeded a secondary rate limit. Please wait a few minutes."
        rsps.post(f"{API}/repos/acme/web/issues/1/comments", status=403, json={"message": message})
        rsps.get(f"{API}/repos/acme/web/issues/1/comments", json=[])

        error = failure_of(lambda gh: gh.comment("acme/web#1", "body", "syncd:m"))

        assert isinstance(error, RateLimited)
        assert error.until == NOW + timedelta(seconds=60)

    def test_a_permission_403_is_auth_failed(self, rsps: responses.RequestsMock) -> None:
        """A 403 with quota left is a permission problem."""
        rsps.get(
            LIST,
            status=403,
            json={"message": "Resource not accessible by integration"},
            headers={"x-ratelimit-remaining": "4999"},
        )

        assert isinstance(failure_of(fetch_all), AuthFailed)

    def test_a_401_is_auth_failed(self, rsps: responses.RequestsMock) -> None:
        """Bad credentials are AuthFailed."""
        rsps.get(LIST, status=401, json={"message": "Bad credentials"})

        assert isinstance(failure_of(fetch_all), AuthFailed)

    def test_a_missing_repo_is_not_found(self, rsps: responses.RequestsMock) -> None:
        """A 404 on the issue list is NotFound and names the repository."""
        rsps.get(LIST, status=404, json={"message": "Not Found"})

        error = failure_of(fetch_all)

        assert isinstance(error, NotFound)
        assert "acme/web" in str(error)

    @pytest.mark.parametrize("status", [500, 502, 503])
    def test_a_5xx_is_unavailable(self, rsps: responses.RequestsMock, status: int) -> None:
        """Server errors, even with an HTML body, are TrackerUnavailable."""
        rsps.get(LIST, status=status, body="<html>Unicorn!</html>")

        assert isinstance(failure_of(fetch_all), TrackerUnavailable)
        assert len(rsps.calls) == 1  # no retry inside the cycle

    def test_a_failed_comment_post_is_not_retried(self, rsps: responses.RequestsMock) -> None:
        """A 502 on POST comments is TrackerUnavailable after exactly one POST (no double post)."""
        comments = f"{API}/repos/acme/web/issues/1/comments"
        rsps.get(comments, json=[])
        rsps.post(comments, status=502, body="<html>Bad gateway</html>")

        error = failure_of(lambda gh: gh.comment("acme/web#1", "body", "syncd:m"))

        assert isinstance(error, TrackerUnavailable)
        assert [c.request.method for c in rsps.calls] == ["GET", "POST"]

    def test_a_connection_error_is_unavailable(self, rsps: responses.RequestsMock) -> None:
        """A dropped connection is TrackerUnavailable."""
        rsps.get(LIST, body=requests.ConnectionError("connection reset by peer"))

        assert isinstance(failure_of(fetch_all), TrackerUnavailable)

    def test_a_timeout_is_unavailable(self, rsps: responses.RequestsMock) -> None:
        """A read timeout is TrackerUnavailable."""
        rsps.get(LIST, body=requests.ReadTimeout("read timed out"))

        assert isinstance(failure_of(fetch_all), TrackerUnavailable)

    def test_malformed_json_is_unavailable(self, rsps: responses.RequestsMock) -> None:
        """A truncated JSON body is TrackerUnavailable."""
        rsps.get(LIST, body='[{"number": 1, "title": ', content_type="application/json")

        assert isinstance(failure_of(fetch_all), TrackerUnavailable)

    def test_an_object_instead_of_a_list_is_unavailable(self, rsps: responses.RequestsMock) -> None:
        """A JSON object where the issue list belongs is TrackerUnavailable."""
        rsps.get(LIST, json={"message": "surprise"})

        assert isinstance(failure_of(fetch_all), TrackerUnavailable)

    def test_a_next_page_on_another_host_is_refused(self, rsps: responses.RequestsMock) -> None:
        """The token is never sent to a host a Link header names."""
        rsps.get(LIST, json=[], headers={"Link": '<https://evil.example/x?page=2>; rel="next"'})

        error = failure_of(fetch_all)

        assert isinstance(error, TrackerUnavailable)
        assert len(rsps.calls) == 1

    def test_a_422_on_a_label_write_is_rejected(self, rsps: responses.RequestsMock) -> None:
        """A validation failure of a write is WriteRejected (retrying will not help)."""
        rsps.get(f"{API}/repos/acme/web/labels/bug", json={"name": "bug"})
        rsps.post(f"{API}/repos/acme/web/issues/1/labels", status=422, json=VALIDATION_FAILED)

        error = failure_of(lambda gh: gh.add_label("acme/web#1", "bug"))

        assert isinstance(error, WriteRejected)
        assert "Validation Failed" in str(error)

    @pytest.mark.parametrize(
        ("status", "body", "headers"),
        [
            (401, {"message": "Bad credentials"}, {}),
            (403, {"message": "API rate limit exceeded"}, {"x-ratelimit-remaining": "0"}),
            (404, {"message": "Not Found"}, {}),
            (500, {"message": f"echo token {TOKEN[:8]}"}, {}),
            (200, "not json at all {", {}),
        ],
    )
    def test_the_token_never_appears_in_an_error(
        self, rsps: responses.RequestsMock, status: int, body: object, headers: dict[str, str]
    ) -> None:
        """Neither str nor repr of the error, nor of anything it chains, contains the token."""
        if isinstance(body, str):
            rsps.get(LIST, status=status, body=body, headers=headers)
        else:
            rsps.get(LIST, status=status, json=body, headers=headers)

        error = failure_of(fetch_all)

        assert rsps.calls[0].request.headers["Authorization"].endswith(TOKEN)
        for exc in chain(error):
            assert TOKEN not in str(exc)
            assert TOKEN not in repr(exc)


class TestRateLimitUntil:
    """When a 403/429 answer says the limit lifts."""

    def test_retry_after_wins_over_the_reset_header(self) -> None:
        """Retry-After is the more precise instruction."""
        headers = {"retry-after": "30", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1"}

        assert rate_limit_until(403, headers, None, NOW) == NOW + timedelta(seconds=30)

    def test_an_http_date_retry_after_is_understood(self) -> None:
        """Retry-After may be an HTTP date."""
        headers = {"retry-after": "Thu, 26 Nov 2026 12:05:00 GMT"}

        assert rate_limit_until(429, headers, None, NOW) == NOW + timedelta(minutes=5)

    def test_an_absurd_reset_is_capped_at_an_hour(self) -> None:
        """A reset in milliseconds (far future) does not pause the tracker for years."""
        headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1796306400000"}

        until = rate_limit_until(403, headers, None, NOW)

        assert until is not None
        assert NOW < until <= NOW + timedelta(hours=1)

    def test_a_plain_forbidden_is_no_rate_limit(self) -> None:
        """A 403 without rate-limit signals gives None."""
        headers = {"x-ratelimit-remaining": "12"}

        assert rate_limit_until(403, headers, {"message": "Must have admin rights"}, NOW) is None


class TestFromException:
    """PyGithub exceptions, should one reach the adapter, translated without their headers."""

    def test_a_github_exception_without_data_is_unavailable(self) -> None:
        """A GithubException carrying no usable answer is TrackerUnavailable."""
        exc = GithubException(200, None, {"authorization": f"token {TOKEN}"})

        error = from_exception(exc, doing="listing", now=NOW)

        assert isinstance(error, TrackerUnavailable)
        assert TOKEN not in str(error)

    def test_a_github_rate_limit_exception_is_rate_limited(self) -> None:
        """PyGithub's own RateLimitExceededException keeps its reset time."""
        headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(RESET)}
        exc = RateLimitExceededException(403, {"message": "API rate limit exceeded"}, headers)

        error = from_exception(exc, doing="listing", now=NOW)

        assert isinstance(error, RateLimited)
        assert error.until == datetime(2026, 11, 26, 12, 20, tzinfo=UTC)

    def test_a_retry_error_is_unavailable(self) -> None:
        """requests' RetryError (what a retrying PyGithub gives up with) is TrackerUnavailable."""
        error = from_exception(requests.exceptions.RetryError("too many 502"), doing="x", now=NOW)

        assert isinstance(error, TrackerUnavailable)


class TestConstruction:
    """Building the adapter from a config."""

    def test_an_empty_token_is_a_clear_error(self) -> None:
        """An empty token names the tracker and the variable instead of a PyGithub assert."""
        config = dataclasses.replace(tracker(), token=Secret("", "${GITHUB_TOKEN}"))

        with pytest.raises(AuthFailed, match=r"web: \$\{GITHUB_TOKEN\} is empty"):
            GitHubAdapter(config, ESTIMATES, DictEtags())

    def test_the_adapter_is_a_tracker(self) -> None:
        """The adapter satisfies the Tracker port (checked by mypy on this assignment)."""
        port: Tracker = adapter()

        assert port.name == "web"

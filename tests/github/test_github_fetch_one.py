"""GitHubAdapter.fetch_one: one issue re-read for a webhook's hint, mapped as a listing maps it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import responses
from github_payloads import API, adapter, issue

from syncd.errors import RateLimited, TrackerUnavailable

ISSUE_7 = f"{API}/repos/acme/web/issues/7"
RESET = int(datetime(2026, 11, 26, 12, 20, tzinfo=UTC).timestamp())


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def single(**changes: Any) -> dict[str, Any]:
    """`GET /repos/acme/web/issues/7` as GitHub answers it: the list item's shape."""
    payload = issue(7, labels=("escalation", "priority/P1"), body="estimate: 3h", thumbs_up=4)
    payload.update(changes)
    return payload


class TestAnOpenEscalation:
    """An open issue carrying every escalation label comes back as the listing maps it."""

    def test_the_snapshot_equals_the_listings(self, rsps: responses.RequestsMock) -> None:
        """The same payload read alone or in a list gives the same snapshot."""
        rsps.get(f"{API}/repos/acme/web/issues", json=[single()])
        rsps.get(ISSUE_7, json=single())
        listed = adapter().fetch(None).snapshots

        found = adapter().fetch_one("acme/web#7")

        assert found is not None
        assert (found,) == listed
        assert (found.key, found.priority, found.reporters) == ("acme/web#7", "P1", 5)

    def test_it_costs_exactly_one_request(self, rsps: responses.RequestsMock) -> None:
        """One GET of the issue, counted in the adapter's stats like a listing page."""
        rsps.get(ISSUE_7, json=single())
        made = adapter()

        made.fetch_one("acme/web#7")

        assert [call.request.url for call in rsps.calls] == [ISSUE_7]
        assert made.stats.requests == 1

    def test_labels_and_the_repository_compare_ignoring_case(
        self, rsps: responses.RequestsMock
    ) -> None:
        """`ACME/Web#7` with label `Escalation` is the configured repo's issue, keyed as listed."""
        rsps.get(ISSUE_7, json=single(labels=[{"name": "Escalation"}]))

        found = adapter().fetch_one("ACME/Web#7")

        assert found is not None
        assert found.key == "acme/web#7"
        assert [call.request.url for call in rsps.calls] == [ISSUE_7]


class TestNotAnOpenEscalation:
    """Anything the listing would not return is None."""

    @pytest.mark.parametrize(
        "payload",
        [
            single(state="closed", closed_at="2026-11-21T10:00:00Z"),
            issue(7, labels=("priority/P1",)),
            issue(7, pull_request=True),
            issue(7, repo="acme/other"),  # transferred: PyGithub followed the 301 there
            issue(8),  # an answer about another issue
        ],
        ids=["closed", "unlabelled", "pull request", "transferred", "another number"],
    )
    def test_an_issue_the_listing_skips_is_none(
        self, rsps: responses.RequestsMock, payload: dict[str, Any]
    ) -> None:
        """Closed, unlabelled, a pull request, or not the issue asked for: None."""
        rsps.get(ISSUE_7, json=payload)

        assert adapter().fetch_one("acme/web#7") is None

    @pytest.mark.parametrize("status", [404, 410])
    def test_a_gone_issue_is_none(self, rsps: responses.RequestsMock, status: int) -> None:
        """404 (deleted, or never there) and 410 (issues turned off) read as no issue."""
        rsps.get(ISSUE_7, status=status, json={"message": "Not Found"})

        assert adapter().fetch_one("acme/web#7") is None

    @pytest.mark.parametrize("key", ["other/repo#7", "acme/web#0", "SUP-7", "acme/web#7\n"])
    def test_a_key_outside_the_configured_repos_sends_nothing(
        self, rsps: responses.RequestsMock, key: str
    ) -> None:
        """Another repository, or no GitHub key at all: None without a request."""
        made = adapter()

        assert made.fetch_one(key) is None
        assert len(rsps.calls) == 0
        assert made.stats.requests == 0

    def test_an_unreadable_issue_is_skipped_as_the_listing_skips_it(
        self, rsps: responses.RequestsMock
    ) -> None:
        """A title that is no string makes the listing skip the issue; fetch_one gives None."""
        rsps.get(ISSUE_7, json=single(title=None))

        assert adapter().fetch_one("acme/web#7") is None


class TestFailures:
    """Failures raise syncd's errors, as the other calls do."""

    def test_a_rate_limit_is_rate_limited_until_the_reset(
        self, rsps: responses.RequestsMock
    ) -> None:
        """403 with x-ratelimit-remaining 0 is RateLimited until x-ratelimit-reset."""
        rsps.get(
            ISSUE_7,
            status=403,
            json={"message": "API rate limit exceeded for user ID 1."},
            headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(RESET)},
        )

        with pytest.raises(RateLimited) as raised:
            adapter().fetch_one("acme/web#7")

        assert raised.value.until == datetime(2026, 11, 26, 12, 20, tzinfo=UTC)

    def test_an_answer_that_is_no_object_is_unavailable(self, rsps: responses.RequestsMock) -> None:
        """A JSON list where one issue belongs is TrackerUnavailable, not a crash."""
        rsps.get(ISSUE_7, json=[single()])

        with pytest.raises(TrackerUnavailable, match="not a JSON object"):
            adapter().fetch_one("acme/web#7")

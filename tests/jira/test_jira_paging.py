"""Jira searches from servers that page oddly or answer nonsense, and what every request carries."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import responses
from jira_site_fake import CLOUD, SERVER, FakeJira, issue

from syncd.adapters.jira.client import JiraAdapter
from syncd.config.model import Estimates, JiraTracker, Secret
from syncd.errors import TrackerUnavailable

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
Answer = Callable[[dict[str, list[str]]], object]


def adapter(cloud: bool) -> JiraAdapter:
    """An adapter for the fake site, with a 5 s timeout and a fixed clock."""
    config = JiraTracker(
        name="support",
        url=CLOUD if cloud else SERVER,
        token=Secret("tok-s3cr3t-value", "${JIRA_API_TOKEN}"),
        jql="project = SUP",
        email=Secret("bot@acme.example", "${JIRA_EMAIL}") if cloud else None,
    )
    return JiraAdapter(config, Estimates(limit=57600.0), timeout=5, clock=lambda: NOW)


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def serve_search(rsps: responses.RequestsMock, cloud: bool, answer: Answer) -> FakeJira:
    """The fake site, with its search endpoint replaced by `answer(query) -> JSON body`."""
    site = FakeJira(rsps, cloud=cloud).install()
    path = site.api("search/jql" if cloud else "search")
    rsps.remove("GET", path)

    def reply(request: Any) -> tuple[int, dict[str, str], str]:
        site.searches.append(request.url)
        return 200, {}, json.dumps(answer(parse_qs(urlparse(request.url).query)))

    rsps.add_callback("GET", path, callback=reply)
    return site


def numbered(start: int, count: int, base: str = SERVER) -> list[dict[str, Any]]:
    """`count` issues SUP-(start+1) onwards."""
    return [issue(base, n) for n in range(start + 1, start + count + 1)]


def start_at(query: dict[str, list[str]]) -> int:
    return int(query["startAt"][0])


class TestServerPaging:
    """`startAt` paging on Server/Data Center stops on its own."""

    def test_a_short_page_ends_the_search_whatever_total_says(
        self, rsps: responses.RequestsMock
    ) -> None:
        """total: 1,000,000 but only 3 issues on a 100-issue page: one request, 3 issues."""
        site = serve_search(
            rsps,
            False,
            lambda q: {
                "startAt": start_at(q),
                "maxResults": 100,
                "total": 1_000_000,
                "issues": numbered(start_at(q), 3),
            },
        )

        fetched = adapter(cloud=False).fetch(None)

        assert [s.key for s in fetched.snapshots] == ["SUP-1", "SUP-2", "SUP-3"]
        assert len(site.searches) == 1

    def test_a_server_that_ignores_start_at_is_unavailable(
        self, rsps: responses.RequestsMock
    ) -> None:
        """The same full page again and again is an error after the second, not 10,000 pages."""
        site = serve_search(
            rsps,
            False,
            lambda q: {
                "startAt": 0,
                "maxResults": 100,
                "total": 1_000_000,
                "issues": numbered(0, 100),
            },
        )

        with pytest.raises(TrackerUnavailable, match="already sent"):
            adapter(cloud=False).fetch(None)

        assert len(site.searches) == 2

    def test_a_site_capping_the_page_size_is_read_to_the_end(
        self, rsps: responses.RequestsMock
    ) -> None:
        """maxResults 50 applied (syncd asked 100): 50-issue pages are full, not short."""
        site = serve_search(
            rsps,
            False,
            lambda q: {
                "startAt": start_at(q),
                "maxResults": 50,
                "total": 120,
                "issues": numbered(start_at(q), min(50, 120 - start_at(q))),
            },
        )

        fetched = adapter(cloud=False).fetch(None)

        assert len(fetched.snapshots) == 120
        assert len(site.searches) == 3


class TestCloudPaging:
    """`nextPageToken` paging on Cloud stops on its own."""

    def test_is_last_ends_the_search_even_with_a_token(self, rsps: responses.RequestsMock) -> None:
        """isLast: true wins over a nextPageToken that is still there."""
        site = serve_search(
            rsps,
            True,
            lambda q: {"issues": numbered(0, 2, CLOUD), "nextPageToken": "t2", "isLast": True},
        )

        fetched = adapter(cloud=True).fetch(None)

        assert len(fetched.snapshots) == 2
        assert len(site.searches) == 1

    def test_a_cycle_of_page_tokens_is_unavailable(self, rsps: responses.RequestsMock) -> None:
        """Tokens a -> b -> a: the loop is noticed at the repeat, not after 10,000 pages."""
        following = {"": "a", "a": "b", "b": "a"}
        offsets = {"": 0, "a": 100, "b": 200}

        def answer(q: dict[str, list[str]]) -> object:
            token = q.get("nextPageToken", [""])[0]
            return {
                "issues": numbered(offsets[token], 100, CLOUD),
                "nextPageToken": following[token],
                "isLast": False,
            }

        site = serve_search(rsps, True, answer)

        with pytest.raises(TrackerUnavailable, match="repeats a page token"):
            adapter(cloud=True).fetch(None)

        assert len(site.searches) == 3


class TestOddAnswers:
    """Search answers syncd cannot read are TrackerUnavailable, never a traceback."""

    @pytest.mark.parametrize("cloud", [True, False], ids=["cloud", "server"])
    @pytest.mark.parametrize(
        "body",
        [{"total": 0}, {"issues": {"SUP-1": {}}}, {"issues": None}, [], "issues"],
        ids=["no-issues", "issues-object", "issues-null", "a-list", "a-string"],
    )
    def test_a_search_answer_without_an_issue_list_is_unavailable(
        self, rsps: responses.RequestsMock, cloud: bool, body: object
    ) -> None:
        """No `issues` list where one belongs: the cycle of this tracker stops cleanly."""
        serve_search(rsps, cloud, lambda q: body)

        with pytest.raises(TrackerUnavailable):
            adapter(cloud).fetch(None)

    def test_list_items_that_are_not_issues_are_skipped(self, rsps: responses.RequestsMock) -> None:
        """null, a number and an issue without fields are skipped; the good issue maps."""
        odd: list[object] = [None, 7, {"key": "SUP-9"}, issue(CLOUD, 1)]
        serve_search(rsps, True, lambda q: {"issues": odd, "isLast": True})

        fetched = adapter(cloud=True).fetch(None)

        assert [s.key for s in fetched.snapshots] == ["SUP-1"]


class TestEveryRequest:
    """What every Jira request carries, and what it never does."""

    def test_every_request_carries_the_timeout(self, rsps: responses.RequestsMock) -> None:
        """Connecting, searching and a write through the session are all sent with timeout=5."""
        FakeJira(rsps, issues=[issue(CLOUD, 1)]).install()
        made = adapter(cloud=True)

        made.fetch(None)
        made.add_label("SUP-1", "tier/fire")

        assert {c.request.req_kwargs["timeout"] for c in rsps.calls} == {5}

    def test_a_failed_comment_post_is_not_retried(self, rsps: responses.RequestsMock) -> None:
        """A 502 on the POST is one POST: a retry could post the comment twice."""
        site = FakeJira(rsps, issues=[issue(CLOUD, 7)])
        rsps.post(site.api("issue/SUP-7/comment"), status=502, body="<html>Bad gateway</html>")
        site.install()

        with pytest.raises(TrackerUnavailable):
            adapter(cloud=True).comment("SUP-7", "Estimated at 3d.", "[syncd:over-estimate]")

        assert [c.request.method for c in rsps.calls if "/comment" in c.request.url].count(
            "POST"
        ) == 1

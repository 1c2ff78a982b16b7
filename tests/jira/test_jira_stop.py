"""A stop (SIGTERM) asked for during JiraAdapter.fetch: no further search page is requested."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import responses
from jira_site_fake import CLOUD, SERVER, FakeJira, issue

from syncd.adapters.jira.client import JiraAdapter
from syncd.config.model import Estimates, JiraTracker, Secret
from syncd.errors import FetchStopped

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def adapter(cloud: bool, stop: threading.Event) -> JiraAdapter:
    """An adapter for the fake site whose searches look at `stop`, as the wiring builds it."""
    config = JiraTracker(
        name="support",
        url=CLOUD if cloud else SERVER,
        token=Secret("tok-s3cr3t-value", "${JIRA_API_TOKEN}"),
        jql="project = SUP",
        email=Secret("bot@acme.example", "${JIRA_EMAIL}") if cloud else None,
    )
    return JiraAdapter(
        config, Estimates(limit=57600.0), timeout=5, clock=lambda: NOW, stop_requested=stop.is_set
    )


def three_pages(cloud: bool, query: dict[str, list[str]]) -> dict[str, Any]:
    """Page n of a 250-issue search (100, 100, 50 issues), in the deployment's paging."""
    base = CLOUD if cloud else SERVER
    if cloud:
        start = {"": 0, "t2": 100, "t3": 200}[query.get("nextPageToken", [""])[0]]
    else:
        start = int(query["startAt"][0])
    count = min(100, 250 - start)
    issues = [issue(base, n) for n in range(start + 1, start + count + 1)]
    if cloud:
        following = {0: "t2", 100: "t3"}.get(start)
        return {"issues": issues, "nextPageToken": following, "isLast": following is None}
    return {"startAt": start, "maxResults": 100, "total": 250, "issues": issues}


def serve(rsps: responses.RequestsMock, cloud: bool, on_search: Callable[[], object]) -> list[str]:
    """The fake site, calling `on_search` while it answers each search; the searches made."""
    site = FakeJira(rsps, cloud=cloud).install()
    path = site.api("search/jql" if cloud else "search")
    rsps.remove("GET", path)
    searches: list[str] = []

    def reply(request: Any) -> tuple[int, dict[str, str], str]:
        searches.append(request.url)
        on_search()
        return 200, {}, json.dumps(three_pages(cloud, parse_qs(urlparse(request.url).query)))

    rsps.add_callback("GET", path, callback=reply)
    return searches


class TestStopBetweenPages:
    """The stop is looked at before each search page."""

    @pytest.mark.parametrize("cloud", [True, False], ids=["cloud", "server"])
    def test_a_stop_during_page_one_never_requests_page_two(
        self, rsps: responses.RequestsMock, cloud: bool
    ) -> None:
        """Page 1 of 3 answered, the stop set meanwhile: FetchStopped after one search."""
        stop = threading.Event()
        searches = serve(rsps, cloud, stop.set)

        with pytest.raises(FetchStopped, match="search"):
            adapter(cloud, stop).fetch(None)

        assert len(searches) == 1

    @pytest.mark.parametrize("cloud", [True, False], ids=["cloud", "server"])
    def test_without_a_stop_every_page_is_read(
        self, rsps: responses.RequestsMock, cloud: bool
    ) -> None:
        """The same three pages with a stop nobody sets: all 250 issues in three searches."""
        searches = serve(rsps, cloud, lambda: None)

        fetched = adapter(cloud, threading.Event()).fetch(None)

        assert len(fetched.snapshots) == 250
        assert len(searches) == 3

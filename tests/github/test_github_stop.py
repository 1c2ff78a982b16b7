"""A stop (SIGTERM) asked for during GitHubAdapter.fetch: no further page or repository is read."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import responses
from github_payloads import API, ESTIMATES, NOW, REPO_ID, DictEtags, issue, page_link, tracker

from syncd.adapters.github.client import GitHubAdapter
from syncd.errors import FetchStopped

LATER_PAGES = f"{API}/repositories/{REPO_ID}/issues"


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def adapter(stop: threading.Event, repos: tuple[str, ...] = ("acme/web",)) -> GitHubAdapter:
    """An adapter whose listings look at `stop`, as the daemon's wiring builds it."""
    return GitHubAdapter(
        tracker(repos),
        ESTIMATES,
        DictEtags(),
        timeout=5,
        clock=lambda: NOW,
        stop_requested=stop.is_set,
    )


def stopping_page(stop: threading.Event, items: list[dict[str, object]], link: str) -> Any:
    """A `responses` callback answering `items`, during which SIGTERM arrives (sets `stop`)."""

    def reply(request: Any) -> tuple[int, dict[str, str], str]:
        stop.set()
        return 200, {"Link": link} if link else {}, json.dumps(items)

    return reply


class TestStopBetweenPages:
    """The stop is looked at before each next page."""

    def test_a_stop_during_page_one_never_requests_page_two(
        self, rsps: responses.RequestsMock
    ) -> None:
        """Page 1 answered, the stop set meanwhile: FetchStopped, and only one request made."""
        stop = threading.Event()
        rsps.add_callback(
            "GET",
            f"{API}/repos/acme/web/issues",
            callback=stopping_page(stop, [issue(3), issue(2)], page_link(1, 2)),
        )
        rsps.get(LATER_PAGES, json=[issue(1)], headers={"Link": page_link(2, 2)})

        with pytest.raises(FetchStopped, match="listing issues of acme/web"):
            adapter(stop).fetch(None)

        assert [call.request.url.split("?")[0] for call in rsps.calls] == [
            f"{API}/repos/acme/web/issues"
        ]

    def test_without_a_stop_every_page_is_read(self, rsps: responses.RequestsMock) -> None:
        """The same two pages with the stop never set: both are read."""
        rsps.get(
            f"{API}/repos/acme/web/issues",
            json=[issue(3), issue(2)],
            headers={"Link": page_link(1, 2)},
        )
        rsps.get(LATER_PAGES, json=[issue(1)], headers={"Link": page_link(2, 2)})

        fetch = adapter(threading.Event()).fetch(None)

        assert [s.key for s in fetch.snapshots] == ["acme/web#3", "acme/web#2", "acme/web#1"]


class TestStopBetweenRepositories:
    """The stop is looked at before each repository's first page."""

    def test_a_stop_during_the_first_repository_never_lists_the_second(
        self, rsps: responses.RequestsMock
    ) -> None:
        """acme/web (one page) answered, the stop set meanwhile: acme/api is never requested."""
        stop = threading.Event()
        rsps.add_callback(
            "GET",
            f"{API}/repos/acme/web/issues",
            callback=stopping_page(stop, [issue(1)], ""),
        )
        rsps.get(f"{API}/repos/acme/api/issues", json=[issue(1, repo="acme/api")])

        with pytest.raises(FetchStopped, match="listing issues of acme/api"):
            adapter(stop, repos=("acme/web", "acme/api")).fetch(None)

        assert [call.request.url.split("?")[0] for call in rsps.calls] == [
            f"{API}/repos/acme/web/issues"
        ]

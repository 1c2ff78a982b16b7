"""GitHubAdapter.fetch against recorded-shape GitHub answers served by `responses`."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import responses
from github_payloads import (
    API,
    ESTIMATES,
    FIRST_PAGE_QUERY,
    NOW,
    REPO_ID,
    DictEtags,
    adapter,
    issue,
    page_link,
    tracker,
)
from responses import matchers
from structlog.testing import capture_logs

from syncd.adapters.github.client import GitHubAdapter

FIRST_PAGE = f"{API}/repos/acme/web/issues"
LATER_PAGES = f"{API}/repositories/{REPO_ID}/issues"
ETAG_KEY = (
    "https://api.github.com/repos/acme/web/issues"
    "?direction=desc&labels=escalation&per_page=100&sort=updated&state=open"
)


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def serve_pages(rsps: responses.RequestsMock, pages: list[list[dict[str, object]]]) -> None:
    """Page 1 on /repos/..., pages 2+ on /repositories/{id}/..., linked like the real API."""
    last = len(pages)
    rsps.get(
        FIRST_PAGE,
        json=pages[0],
        headers={"ETag": '"etag-1"', "Link": page_link(1, last)},
        match=[matchers.query_param_matcher(FIRST_PAGE_QUERY)],
    )
    for number, items in enumerate(pages[1:], start=2):
        rsps.get(
            LATER_PAGES,
            json=items,
            headers={"Link": page_link(number, last)},
            match=[matchers.query_param_matcher({"page": str(number)}, strict_match=False)],
        )


class TestFetch:
    """Listing open escalations of every configured repository."""

    def test_a_full_fetch_follows_every_link_page(self, rsps: responses.RequestsMock) -> None:
        """Three linked pages give every issue, in order, and cost three requests."""
        serve_pages(rsps, [[issue(5), issue(4)], [issue(3), issue(2)], [issue(1)]])

        fetch = adapter().fetch(None)

        assert [s.key for s in fetch.snapshots] == [f"acme/web#{n}" for n in (5, 4, 3, 2, 1)]
        assert fetch.requests == 3
        assert fetch.complete is True
        assert fetch.unchanged is False
        assert [c.request.url.split("?")[0] for c in rsps.calls] == [
            FIRST_PAGE,
            LATER_PAGES,
            LATER_PAGES,
        ]

    def test_a_full_fetch_sends_no_if_none_match(self, rsps: responses.RequestsMock) -> None:
        """A reconciliation must see the whole list even when an ETag is stored."""
        serve_pages(rsps, [[issue(1)]])
        etags = DictEtags({ETAG_KEY: '"etag-0"'})

        fetch = adapter(etags).fetch(None)

        assert "If-None-Match" not in rsps.calls[0].request.headers
        assert len(fetch.snapshots) == 1

    def test_the_etag_of_a_200_is_handed_back_not_stored(
        self, rsps: responses.RequestsMock
    ) -> None:
        """The first page's ETag comes back under the constant list URL; the service keeps it
        once the cycle is applied (tests/e2e/test_e2e_etags.py), so the adapter stores nothing."""
        serve_pages(rsps, [[issue(1)]])
        etags = DictEtags()

        fetch = adapter(etags).fetch(None)

        assert fetch.etags == ((ETAG_KEY, '"etag-1"'),)
        assert etags.stored == {}

    def test_a_304_means_unchanged_at_one_request_per_repo(
        self, rsps: responses.RequestsMock
    ) -> None:
        """With a stored ETag, a 304 from each repo gives no snapshots and `unchanged`."""
        for repo in ("acme/web", "acme/api"):
            rsps.get(f"{API}/repos/{repo}/issues", status=304, headers={"ETag": '"etag-1"'})
        etags = DictEtags(
            {ETAG_KEY: '"etag-1"', ETAG_KEY.replace("acme/web", "acme/api"): '"etag-1"'}
        )
        gh = adapter(etags, repos=("acme/web", "acme/api"))

        fetch = gh.fetch(datetime(2026, 11, 25, tzinfo=UTC))

        assert fetch.snapshots == ()
        assert fetch.unchanged is True
        assert fetch.requests == 2
        assert gh.stats.not_modified == 2
        assert [c.request.headers["If-None-Match"] for c in rsps.calls] == ['"etag-1"'] * 2

    def test_one_changed_repo_means_not_unchanged(self, rsps: responses.RequestsMock) -> None:
        """A 200 from any repo makes the fetch a change."""
        rsps.get(f"{API}/repos/acme/web/issues", status=304)
        rsps.get(f"{API}/repos/acme/api/issues", json=[issue(7, repo="acme/api")])
        gh = adapter(DictEtags({ETAG_KEY: '"e"'}), repos=("acme/web", "acme/api"))

        fetch = gh.fetch(datetime(2026, 11, 1, tzinfo=UTC))

        assert fetch.unchanged is False
        assert [s.key for s in fetch.snapshots] == ["acme/api#7"]

    def test_an_incremental_fetch_stops_at_since(self, rsps: responses.RequestsMock) -> None:
        """Paging stops at the first item older than `since`; page 3 is never read."""
        serve_pages(
            rsps,
            [
                [
                    issue(5, updated="2026-11-26T10:00:00Z"),
                    issue(4, updated="2026-11-26T09:00:00Z"),
                ],
                [
                    issue(3, updated="2026-11-26T08:00:00Z"),
                    issue(2, updated="2026-11-20T08:00:00Z"),
                ],
                [issue(1, updated="2026-11-19T08:00:00Z")],
            ],
        )

        fetch = adapter().fetch(datetime(2026, 11, 26, 8, 0, tzinfo=UTC))

        assert [s.key for s in fetch.snapshots] == ["acme/web#5", "acme/web#4", "acme/web#3"]
        assert len(rsps.calls) == 2
        assert fetch.complete is False
        assert "since" not in rsps.calls[0].request.url

    def test_the_watermark_is_the_latest_update_seen(self, rsps: responses.RequestsMock) -> None:
        """`watermark` is the maximum `updated_at` of the listed issues."""
        serve_pages(
            rsps,
            [[issue(2, updated="2026-11-24T10:00:00Z"), issue(1, updated="2026-11-25T11:30:00Z")]],
        )

        fetch = adapter().fetch(None)

        assert fetch.watermark == datetime(2026, 11, 25, 11, 30, tzinfo=UTC)

    def test_pull_requests_are_skipped(self, rsps: responses.RequestsMock) -> None:
        """Items with a `pull_request` key are not escalations."""
        serve_pages(rsps, [[issue(2, pull_request=True), issue(1)]])

        fetch = adapter().fetch(None)

        assert [s.key for s in fetch.snapshots] == ["acme/web#1"]

    def test_issues_are_mapped_from_the_list_payload(self, rsps: responses.RequestsMock) -> None:
        """Reactions, priority, estimate, assignees and url come from the list answer alone."""
        item = issue(
            9,
            labels=("escalation", "priority/Highest", "estimate/3d"),
            thumbs_up=4,
            assignees=("alice-gh",),
        )
        serve_pages(rsps, [[item]])

        (snapshot,) = adapter().fetch(None).snapshots

        assert snapshot.reporters == 5
        assert snapshot.priority == "Highest"
        assert snapshot.estimate == 3 * 8 * 3600
        assert snapshot.assignees == ("alice-gh",)
        assert snapshot.url == "https://github.com/acme/web/issues/9"
        assert snapshot.tracker == "web"
        assert len(rsps.calls) == 1

    def test_a_broken_item_is_logged_and_skipped(self, rsps: responses.RequestsMock) -> None:
        """An item with a null title is skipped with a warning; the others still come through."""
        broken = issue(2)
        broken["title"] = None
        serve_pages(rsps, [[broken, issue(1)]])

        with capture_logs() as logs:
            fetch = adapter().fetch(None)

        assert [s.key for s in fetch.snapshots] == ["acme/web#1"]
        skipped = [e for e in logs if e["event"] == "issue skipped"]
        assert skipped[0]["issue"] == "acme/web#2"
        assert skipped[0]["tracker"] == "web"
        assert "title" in skipped[0]["reason"]

    def test_a_bad_estimate_is_logged_and_ignored(self, rsps: responses.RequestsMock) -> None:
        """`estimate/soon` does not parse: the issue comes without an estimate and a warning."""
        serve_pages(rsps, [[issue(1, labels=("escalation", "estimate/soon"))]])

        with capture_logs() as logs:
            (snapshot,) = adapter().fetch(None).snapshots

        assert snapshot.estimate is None
        assert any(e["issue"] == "acme/web#1" and "soon" in e["reason"] for e in logs)


class TestFetchElsewhere:
    """Listing from GitHub Enterprise and from a local server on a port."""

    def test_enterprise_pages_keep_the_api_prefix(self, rsps: responses.RequestsMock) -> None:
        """On https://HOST/api/v3, page 2 is read from the Link URL under /api/v3."""
        base = "https://ghe.example.com/api/v3"
        config = dataclasses.replace(tracker(), base_url=base)
        page_2 = f"{base}/repositories/7/issues?per_page=100&page=2"
        rsps.get(
            "https://ghe.example.com:443/api/v3/repos/acme/web/issues",
            json=[issue(2)],
            headers={"Link": f'<{page_2}>; rel="next"'},
        )
        rsps.get("https://ghe.example.com:443/api/v3/repositories/7/issues", json=[issue(1)])
        gh = GitHubAdapter(config, ESTIMATES, DictEtags(), clock=lambda: NOW)

        fetch = gh.fetch(None)

        assert [s.key for s in fetch.snapshots] == ["acme/web#2", "acme/web#1"]
        path, query = rsps.calls[1].request.url.split("?")
        assert path == "https://ghe.example.com:443/api/v3/repositories/7/issues"
        assert "page=2" in query.split("&")

    def test_a_loopback_server_with_a_port_works(self, rsps: responses.RequestsMock) -> None:
        """http://127.0.0.1:PORT (the sandbox) is listed like api.github.com."""
        base = "http://127.0.0.1:8765"
        config = dataclasses.replace(tracker(), base_url=base)
        rsps.get(f"{base}/repos/acme/web/issues", json=[issue(1)], headers={"ETag": '"s1"'})
        etags = DictEtags()
        gh = GitHubAdapter(config, ESTIMATES, etags, clock=lambda: NOW)

        fetch = gh.fetch(None)

        assert [s.key for s in fetch.snapshots] == ["acme/web#1"]
        [(key, etag)] = fetch.etags
        assert etag == '"s1"'
        assert key.startswith(f"{base}/repos/acme/web/issues?")

    def test_a_naive_since_is_taken_as_utc(self, rsps: responses.RequestsMock) -> None:
        """A `since` without zone does not crash the comparison with GitHub's UTC times."""
        serve_pages(rsps, [[issue(2, updated="2026-11-26T10:00:00Z"), issue(1)]])

        fetch = adapter().fetch(datetime(2026, 11, 26, 9, 0))

        assert [s.key for s in fetch.snapshots] == ["acme/web#2"]

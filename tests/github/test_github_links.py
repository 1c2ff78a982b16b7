"""`Link` headers that syncd must not follow, and the timeout every GitHub request carries."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import responses
from github_payloads import API, adapter, issue

from syncd.errors import TrackerUnavailable

LIST = f"{API}/repos/acme/web/issues"
COMMENTS = f"{API}/repos/acme/web/issues/12/comments"


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


class TestNextPage:
    """Which `rel="next"` links a full listing follows."""

    @pytest.mark.parametrize(
        "link",
        [
            '<https://api.github.com:8443/repositories/1/issues?page=2>; rel="next"',
            '<http://api.github.com/repositories/1/issues?page=2>; rel="next"',
            '<https://api.github.com:x/repositories/1/issues?page=2>; rel="next"',
            '<https://api.github.com.evil.example/repositories/1/issues?page=2>; rel="next"',
            '</repositories/1/issues?page=2>; rel="next"',
        ],
        ids=["other-port", "plain-http", "bad-port", "lookalike-host", "relative"],
    )
    def test_a_next_page_off_the_configured_server_is_refused(
        self, rsps: responses.RequestsMock, link: str
    ) -> None:
        """Another port, scheme or host is TrackerUnavailable before any second request."""
        rsps.get(LIST, json=[issue(2)], headers={"Link": link})

        with pytest.raises(TrackerUnavailable, match="next page not on"):
            adapter().fetch(None)

        assert len(rsps.calls) == 1

    @pytest.mark.parametrize(
        "link",
        [
            'https://api.github.com/repositories/1/issues?page=2; rel="next"',
            '<https://api.github.com/repositories/1/issues?page=2; rel="next"',
            'rel="next"',
        ],
        ids=["no-brackets", "unclosed", "no-url"],
    )
    def test_a_malformed_link_naming_a_next_page_is_unavailable(
        self, rsps: responses.RequestsMock, link: str
    ) -> None:
        """A next page syncd cannot read is an error, never a silently complete partial list."""
        rsps.get(LIST, json=[issue(2)], headers={"Link": link})

        with pytest.raises(TrackerUnavailable, match="Link header"):
            adapter().fetch(None)

    def test_a_link_without_a_next_page_ends_the_listing(
        self, rsps: responses.RequestsMock
    ) -> None:
        """The last page links only back (a repo called `next` included): nothing more is read."""
        back = '<https://api.github.com/repos/acme/next/issues?page=1>; rel="first"'
        rsps.get(LIST, json=[issue(2)], headers={"Link": back})

        fetch = adapter().fetch(None)

        assert [s.key for s in fetch.snapshots] == ["acme/web#2"]
        assert len(rsps.calls) == 1

    def test_the_next_page_of_comments_must_be_on_the_server_too(
        self, rsps: responses.RequestsMock
    ) -> None:
        """Reading comments for the marker refuses a page on another host: no token leaves."""
        link = '<https://evil.example/repositories/1/issues/12/comments?page=2>; rel="next"'
        rsps.get(COMMENTS, json=[{"id": 1, "body": "me too"}], headers={"Link": link})

        with pytest.raises(TrackerUnavailable):
            adapter().comment("acme/web#12", "Estimated at 3d.", "syncd:over-estimate")

        assert [c.request.method for c in rsps.calls] == ["GET"]


class TestTimeout:
    """No GitHub request can hang the cycle."""

    def test_reads_and_writes_carry_the_configured_timeout(
        self, rsps: responses.RequestsMock
    ) -> None:
        """The listing, the label check and the label POST are all sent with timeout=5."""
        rsps.get(LIST, json=[issue(12)])
        rsps.get(f"{API}/repos/acme/web/labels/bug", json={"name": "bug"})
        rsps.post(f"{API}/repos/acme/web/issues/12/labels", json=[{"name": "bug"}])
        made = adapter()

        made.fetch(None)
        made.add_label("acme/web#12", "bug")

        assert [c.request.req_kwargs["timeout"] for c in rsps.calls] == [5, 5, 5]

"""GitHubAdapter.comment after a race: syncd's own surplus marked copies are deleted, no other."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import responses
from github_payloads import API, adapter, user

ISSUE = f"{API}/repos/acme/web/issues/12"
COMMENT = f"{API}/repos/acme/web/issues/comments"
MARKER = "syncd:over-estimate"
MARKED = f"Estimated at 3d.\n\n<!-- {MARKER} -->\n"
BOT = "syncd-bot"


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def comment(number: int, body: str, login: str) -> dict[str, Any]:
    """An `issue-comment` object as GitHub lists it."""
    return {
        "url": f"https://api.github.com/repos/acme/web/issues/comments/{number}",
        "html_url": f"https://github.com/acme/web/issues/12#issuecomment-{number}",
        "issue_url": "https://api.github.com/repos/acme/web/issues/12",
        "id": number,
        "node_id": "MDEyOklzc3VlQ29tbWVudDE=",
        "user": user(login),
        "created_at": "2026-11-26T12:00:00Z",
        "updated_at": "2026-11-26T12:00:00Z",
        "author_association": "MEMBER",
        "body": body,
        "performed_via_github_app": None,
    }


def reads(rsps: responses.RequestsMock, *pages: list[dict[str, Any]]) -> None:
    """The issue's comments as each successive read finds them."""
    for page in pages:
        rsps.get(f"{ISSUE}/comments", json=page)
    rsps.get(f"{API}/user", json={**user(BOT), "name": "syncd"})
    rsps.post(f"{ISSUE}/comments", status=201, json=comment(9, MARKED, BOT))


def sent(rsps: responses.RequestsMock) -> list[tuple[str, str]]:
    """(method, URL without query) of every request made."""
    return [(c.request.method or "", (c.request.url or "").split("?")[0]) for c in rsps.calls]


class TestAfterThePost:
    """The comments are read again after the post; two markers mean another syncd posted too."""

    def test_the_later_own_copy_is_deleted(self, rsps: responses.RequestsMock) -> None:
        """Another instance posted 7 while this one posted 9: 9 goes, 7 stays."""
        reads(rsps, [], [comment(7, MARKED, BOT), comment(9, MARKED, BOT)])
        rsps.delete(f"{COMMENT}/9", status=204)

        posted = adapter().comment("acme/web#12", "Estimated at 3d.", MARKER)

        assert posted is True
        assert sent(rsps) == [
            ("GET", f"{ISSUE}/comments"),
            ("POST", f"{ISSUE}/comments"),
            ("GET", f"{ISSUE}/comments"),
            ("GET", f"{API}/user"),
            ("DELETE", f"{COMMENT}/9"),
        ]

    def test_a_lone_copy_deletes_nothing(self, rsps: responses.RequestsMock) -> None:
        """The re-read finds only this post: no login is read and nothing is deleted."""
        reads(rsps, [comment(1, "me too", "carol")], [comment(9, MARKED, BOT)])

        adapter().comment("acme/web#12", "Estimated at 3d.", MARKER)

        assert [method for method, _ in sent(rsps)] == ["GET", "POST", "GET"]

    def test_a_copy_the_other_instance_deleted_first_is_no_error(
        self, rsps: responses.RequestsMock
    ) -> None:
        """Both instances delete the same copy; the one that comes second gets a 404."""
        reads(rsps, [], [comment(7, MARKED, BOT), comment(9, MARKED, BOT)])
        rsps.delete(f"{COMMENT}/9", status=404, json={"message": "Not Found"})

        assert adapter().comment("acme/web#12", "Estimated at 3d.", MARKER) is True


class TestSomeoneElsesMarker:
    """A person quoting the marker: their comment is never deleted."""

    def test_a_persons_earlier_marker_leaves_both_in_place(
        self, rsps: responses.RequestsMock
    ) -> None:
        """carol quoted the marker (5) before syncd posted (9): syncd's only copy stays too."""
        reads(rsps, [], [comment(5, f"why {MARKER}?", "carol"), comment(9, MARKED, BOT)])

        adapter().comment("acme/web#12", "Estimated at 3d.", MARKER)

        assert not [call for call in sent(rsps) if call[0] == "DELETE"]

    def test_only_syncds_later_copy_goes(self, rsps: responses.RequestsMock) -> None:
        """carol's 5, then syncd's 7 and 9: only 9 is deleted, never carol's."""
        page = [comment(5, f"> {MARKED}", "carol"), comment(7, MARKED, BOT)]
        reads(rsps, [], [*page, comment(9, MARKED, BOT)])
        rsps.delete(f"{COMMENT}/9", status=204)

        adapter().comment("acme/web#12", "Estimated at 3d.", MARKER)

        assert [url for method, url in sent(rsps) if method == "DELETE"] == [f"{COMMENT}/9"]


class TestBeforeThePost:
    """The read before posting already finds two copies (a race in an earlier cycle)."""

    def test_nothing_is_posted_and_the_later_copy_is_deleted(
        self, rsps: responses.RequestsMock
    ) -> None:
        """Two own copies (3 and 4): no POST, 4 is deleted, and the call says nothing posted."""
        reads(rsps, [comment(3, MARKED, BOT), comment(4, MARKED, BOT.upper())])
        rsps.delete(f"{COMMENT}/4", status=204)

        posted = adapter().comment("acme/web#12", "Estimated at 3d.", MARKER)

        assert posted is False
        assert [method for method, _ in sent(rsps)] == ["GET", "GET", "DELETE"]
        assert json.loads(rsps.calls[0].response.text)[0]["id"] == 3

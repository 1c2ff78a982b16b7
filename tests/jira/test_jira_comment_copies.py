"""JiraAdapter.comment after a race: syncd's own surplus marked copies are deleted, no other."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import responses
from jira_site_fake import CLOUD, SERVER, FakeJira, user

from syncd.adapters.jira.client import JiraAdapter
from syncd.config.model import Estimates, JiraTracker, Secret

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
MARKER = "[syncd:over-estimate]"
MARKED = f"Estimated at 3d.\n\n{MARKER}"
BOT = "syncd-bot"  # the API user FakeJira's /myself answers with


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def adapter(cloud: bool) -> JiraAdapter:
    """An adapter for the fake Cloud or Server site, on a fixed clock."""
    config = JiraTracker(
        name="support",
        url=CLOUD if cloud else SERVER,
        token=Secret("tok-s3cr3t-value", "${JIRA_API_TOKEN}"),
        jql="project = SUP AND labels = escalation",
        email=Secret("bot@acme.example", "${JIRA_EMAIL}") if cloud else None,
    )
    return JiraAdapter(config, Estimates(limit=57600.0), timeout=5, clock=lambda: NOW)


def comment(cloud: bool, number: int, body: str, author: str) -> dict[str, Any]:
    """A comment object as Jira lists it (jira-ruby's recorded issue/10002/comment.json)."""
    base = CLOUD if cloud else SERVER
    who = user(base, cloud, author)
    return {
        "self": f"{base}/rest/api/2/issue/10007/comment/{number}",
        "id": str(number),
        "author": who,
        "body": body,
        "updateAuthor": who,
        "created": "2026-11-26T12:00:00.000+0000",
        "updated": "2026-11-26T12:00:00.000+0000",
    }


def site(rsps: responses.RequestsMock, cloud: bool, *reads: list[dict[str, Any]]) -> str:
    """The fake site, SUP-7's comments as each successive read finds them; its comment URL."""
    FakeJira(rsps, cloud=cloud).install()
    url = f"{CLOUD if cloud else SERVER}/rest/api/2/issue/SUP-7/comment"
    for listed in reads:
        page = {"startAt": 0, "maxResults": 100, "total": len(listed), "comments": listed}
        rsps.get(url, json=page)
    rsps.post(url, status=201, json=comment(cloud, 10101, MARKED, BOT))
    return url


def deleted(rsps: responses.RequestsMock) -> list[str]:
    """The URLs of every DELETE sent."""
    return [c.request.url or "" for c in rsps.calls if c.request.method == "DELETE"]


def posts(rsps: responses.RequestsMock) -> int:
    """How many comments were posted."""
    return sum(c.request.method == "POST" for c in rsps.calls)


class TestAfterThePost:
    """The comments are read again after the post; two markers mean another syncd posted too."""

    @pytest.mark.parametrize("cloud", [True, False], ids=["cloud", "server"])
    def test_the_later_own_copy_is_deleted(self, rsps: responses.RequestsMock, cloud: bool) -> None:
        """Another instance posted 10100 while this one posted 10101: 10101 goes."""
        mine = [comment(cloud, 10100, MARKED, BOT), comment(cloud, 10101, MARKED, BOT)]
        url = site(rsps, cloud, [], mine)
        rsps.delete(f"{url}/10101", status=204)

        posted = adapter(cloud).comment("SUP-7", "Estimated at 3d.", MARKER)

        assert posted is True
        assert deleted(rsps) == [f"{url}/10101"]

    def test_a_lone_copy_deletes_nothing(self, rsps: responses.RequestsMock) -> None:
        """The re-read finds only this post: nothing is deleted."""
        site(rsps, True, [], [comment(True, 10101, MARKED, BOT)])

        assert adapter(True).comment("SUP-7", "Estimated at 3d.", MARKER) is True
        assert deleted(rsps) == []

    def test_a_copy_the_other_instance_deleted_first_is_no_error(
        self, rsps: responses.RequestsMock
    ) -> None:
        """Both instances delete the same copy; the one that comes second gets a 404."""
        mine = [comment(True, 10100, MARKED, BOT), comment(True, 10101, MARKED, BOT)]
        url = site(rsps, True, [], mine)
        rsps.delete(f"{url}/10101", status=404, json={"errorMessages": ["gone"], "errors": {}})

        assert adapter(True).comment("SUP-7", "Estimated at 3d.", MARKER) is True


class TestSomeoneElsesMarker:
    """A person quoting the marker: their comment is never deleted."""

    def test_a_persons_earlier_marker_leaves_both_in_place(
        self, rsps: responses.RequestsMock
    ) -> None:
        """carol quoted the marker before syncd posted: syncd's only copy stays too."""
        quoted = comment(False, 10050, f"what is {MARKER}?", "carol")
        site(rsps, False, [], [quoted, comment(False, 10101, MARKED, BOT)])

        adapter(False).comment("SUP-7", "Estimated at 3d.", MARKER)

        assert deleted(rsps) == []

    def test_only_syncds_later_copy_goes(self, rsps: responses.RequestsMock) -> None:
        """carol's 10050, then syncd's 10100 and 10101: only 10101 is deleted."""
        quoted = comment(False, 10050, f"bq. {MARKED}", "carol")
        mine = [comment(False, 10100, MARKED, BOT), comment(False, 10101, MARKED, BOT)]
        url = site(rsps, False, [], [quoted, *mine])
        rsps.delete(f"{url}/10101", status=204)

        adapter(False).comment("SUP-7", "Estimated at 3d.", MARKER)

        assert deleted(rsps) == [f"{url}/10101"]


class TestBeforeThePost:
    """The read before posting already finds two copies (a race in an earlier cycle)."""

    def test_nothing_is_posted_and_the_later_copy_is_deleted(
        self, rsps: responses.RequestsMock
    ) -> None:
        """Two own copies: no POST, the later is deleted, and the call says nothing posted."""
        mine = [comment(True, 10100, MARKED, BOT), comment(True, 10101, MARKED, BOT)]
        url = site(rsps, True, mine)
        rsps.delete(f"{url}/10101", status=204)

        posted = adapter(True).comment("SUP-7", "Estimated at 3d.", MARKER)

        assert (posted, posts(rsps)) == (False, 0)
        assert deleted(rsps) == [f"{url}/10101"]

"""JiraAdapter.comment marks its comment with a comment property, not visible text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import responses
from jira_site_fake import CLOUD, FakeJira, user

from syncd.adapters.jira.client import JiraAdapter
from syncd.config.model import Estimates, JiraTracker, Secret

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
MARKER = "syncd:over-estimate"
BODY = "Estimated at 3d, above the limit of 2d."
PROPERTY = {"key": "syncd", "value": {"marker": MARKER}}
URL = f"{CLOUD}/rest/api/2/issue/SUP-7/comment"


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def adapter() -> JiraAdapter:
    """An adapter for the fake Cloud site, on a fixed clock."""
    config = JiraTracker(
        name="support",
        url=CLOUD,
        token=Secret("tok-s3cr3t-value", "${JIRA_API_TOKEN}"),
        jql="project = SUP AND labels = escalation",
        email=Secret("bot@acme.example", "${JIRA_EMAIL}"),
    )
    return JiraAdapter(config, Estimates(limit=57600.0), timeout=5, clock=lambda: NOW)


def comment(number: int, body: str, *properties: object) -> dict[str, Any]:
    """A comment as Jira lists it with expand=properties."""
    who = user(CLOUD, True, "syncd-bot")
    return {
        "self": f"{URL}/{number}",
        "id": str(number),
        "author": who,
        "body": body,
        "updateAuthor": who,
        "created": "2026-11-26T12:00:00.000+0000",
        "updated": "2026-11-26T12:00:00.000+0000",
        "properties": list(properties),
    }


def site(rsps: responses.RequestsMock, *reads: list[dict[str, Any]]) -> None:
    """The fake site, SUP-7's comments as each successive read finds them; a post makes 10101."""
    FakeJira(rsps).install()
    for listed in reads:
        page = {"startAt": 0, "maxResults": 100, "total": len(listed), "comments": listed}
        rsps.get(URL, json=page)
    rsps.post(URL, status=201, json=comment(10101, BODY))


def sent(rsps: responses.RequestsMock, method: str) -> list[Any]:
    """The JSON bodies of every `method` request to SUP-7's comments."""
    return [
        json.loads(c.request.body or "null")
        for c in rsps.calls
        if c.request.method == method and (c.request.url or "").startswith(URL)
    ]


class TestPosting:
    """The posted comment carries the marker in a property and shows no marker."""

    def test_the_post_carries_the_property_and_no_visible_marker(
        self, rsps: responses.RequestsMock
    ) -> None:
        """POST comment: the body as written, the marker only in the `syncd` property."""
        site(rsps, [], [comment(10101, BODY, PROPERTY)])

        assert adapter().comment("SUP-7", BODY, MARKER) is True

        assert sent(rsps, "POST") == [{"body": BODY, "properties": [PROPERTY]}]
        assert sent(rsps, "PUT") == []

    def test_comments_are_read_with_their_properties(self, rsps: responses.RequestsMock) -> None:
        """Every comment list asks for expand=properties, where Jira puts them."""
        site(rsps, [], [comment(10101, BODY, PROPERTY)])

        adapter().comment("SUP-7", BODY, MARKER)

        reads = [
            c.request
            for c in rsps.calls
            if c.request.method == "GET" and "comment" in c.request.url
        ]
        assert len(reads) == 2
        assert all(r.params.get("expand") == "properties" for r in reads)


class TestRecognising:
    """A comment is marked by syncd's property or, as syncd wrote them before, visibly."""

    def test_a_comment_with_the_property_stops_a_second_post(
        self, rsps: responses.RequestsMock
    ) -> None:
        """The property alone marks the comment."""
        site(rsps, [comment(10100, BODY, PROPERTY)])

        assert adapter().comment("SUP-7", BODY, MARKER) is False
        assert sent(rsps, "POST") == []

    def test_an_old_visible_marker_stops_a_second_post(self, rsps: responses.RequestsMock) -> None:
        """A comment an earlier syncd posted with the marker as its last line still counts."""
        site(rsps, [comment(10100, f"{BODY}\n\n{MARKER}")])

        assert adapter().comment("SUP-7", BODY, MARKER) is False
        assert sent(rsps, "POST") == []

    def test_another_propertys_marker_is_not_syncds(self, rsps: responses.RequestsMock) -> None:
        """A property under another key, with another marker, or not an object: not marked."""
        other = {"key": "someone", "value": {"marker": MARKER}}
        elsewhere = {"key": "syncd", "value": {"marker": "syncd:other"}}
        site(
            rsps, [comment(10100, BODY, other, elsewhere, "junk")], [comment(10101, BODY, PROPERTY)]
        )

        assert adapter().comment("SUP-7", BODY, MARKER) is True


class TestDroppedProperty:
    """A site that drops comment properties gets the marker shown, so no second comment follows."""

    def test_the_posted_comment_is_edited_to_show_the_marker(
        self, rsps: responses.RequestsMock
    ) -> None:
        """The re-read finds 10101 without the property: PUT appends the marker line."""
        site(rsps, [], [comment(10100, "a person's note"), comment(10101, BODY)])
        rsps.put(f"{URL}/10101", json=comment(10101, f"{BODY}\n\n{MARKER}"))
        made = adapter()

        assert made.comment("SUP-7", BODY, MARKER) is True

        assert sent(rsps, "PUT") == [{"body": f"{BODY}\n\n{MARKER}"}]
        assert made.stats.writes == 2

    def test_the_edited_comment_counts_against_a_race_copy(
        self, rsps: responses.RequestsMock
    ) -> None:
        """Another syncd's earlier visible copy and this edited one: this one is deleted."""
        earlier = comment(10100, f"{BODY}\n\n{MARKER}")
        site(rsps, [], [earlier, comment(10101, BODY)])
        rsps.put(f"{URL}/10101", json=comment(10101, f"{BODY}\n\n{MARKER}"))
        rsps.delete(f"{URL}/10101", status=204)

        adapter().comment("SUP-7", BODY, MARKER)

        deleted = [c.request.url for c in rsps.calls if c.request.method == "DELETE"]
        assert deleted == [f"{URL}/10101"]

"""GitHubAdapter writes: exact method, URL and body of every request, asserted from rsps.calls."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
import responses
from github_payloads import API, VALIDATION_FAILED, adapter, issue, label

from syncd.adapters.github.client import GitHubAdapter
from syncd.errors import NotFound, TrackerUnavailable, Unassignable, WriteRejected

ISSUE = f"{API}/repos/acme/web/issues/12"
LABELS = f"{API}/repos/acme/web/labels"
COMMENTS_PAGE_2 = "https://api.github.com/repositories/1000/issues/12/comments?per_page=100&page=2"


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def sent(rsps: responses.RequestsMock) -> list[tuple[str, str, object]]:
    """(method, URL, decoded JSON body) of every request made."""
    return [
        (c.request.method, c.request.url, json.loads(c.request.body) if c.request.body else None)
        for c in rsps.calls
    ]


class TestAddLabel:
    """Adding one label, creating it in the repository first when it is new."""

    def test_an_existing_label_is_posted_alone(self, rsps: responses.RequestsMock) -> None:
        """A label the repo has: one GET to check it, one POST with just that label, in the
        `{"labels": [...]}` form GitHub's API description documents."""
        rsps.get(f"{LABELS}/tier%2Ffire", json=label("tier/fire", "b60205"))
        rsps.post(f"{ISSUE}/labels", json=[label("escalation"), label("tier/fire")])

        adapter().add_label("acme/web#12", "tier/fire")

        assert sent(rsps) == [
            ("GET", f"{LABELS}/tier%2Ffire", None),
            ("POST", f"{ISSUE}/labels", {"labels": ["tier/fire"]}),
        ]

    def test_a_missing_label_is_created_with_its_tier_colour(
        self, rsps: responses.RequestsMock
    ) -> None:
        """A 404 on the label creates it (fire is red) before it is added to the issue."""
        rsps.get(f"{LABELS}/tier%2Ffire", status=404, json={"message": "Not Found"})
        rsps.post(LABELS, status=201, json=label("tier/fire", "b60205"))
        rsps.post(f"{ISSUE}/labels", json=[label("tier/fire")])

        adapter().add_label("acme/web#12", "tier/fire")

        assert sent(rsps)[1] == ("POST", LABELS, {"name": "tier/fire", "color": "b60205"})
        assert sent(rsps)[2] == ("POST", f"{ISSUE}/labels", {"labels": ["tier/fire"]})

    def test_the_flag_label_gets_the_flag_colour(self, rsps: responses.RequestsMock) -> None:
        """`needs-team` is created in d93f0b."""
        rsps.get(f"{LABELS}/needs-team", status=404, json={"message": "Not Found"})
        rsps.post(LABELS, status=201, json=label("needs-team", "d93f0b"))
        rsps.post(f"{ISSUE}/labels", json=[label("needs-team")])

        adapter().add_label("acme/web#12", "needs-team")

        assert sent(rsps)[1] == ("POST", LABELS, {"name": "needs-team", "color": "d93f0b"})

    def test_a_label_is_checked_once_per_repo(self, rsps: responses.RequestsMock) -> None:
        """The second add of the same label to another issue goes straight to the POST."""
        rsps.get(f"{LABELS}/tier%2Fqueue", status=404, json={"message": "Not Found"})
        rsps.post(LABELS, status=201, json=label("tier/queue", "fbca04"))
        rsps.post(f"{ISSUE}/labels", json=[])
        rsps.post(f"{API}/repos/acme/web/issues/13/labels", json=[])
        gh = adapter()

        gh.add_label("acme/web#12", "tier/queue")
        gh.add_label("acme/web#13", "tier/queue")

        assert [method for method, _, _ in sent(rsps)] == ["GET", "POST", "POST", "POST"]
        assert gh.stats.writes == 3

    def test_a_bad_key_is_a_clear_error(self, rsps: responses.RequestsMock) -> None:
        """A key that is not owner/repo#N is refused without any request."""
        with pytest.raises(WriteRejected, match="not a GitHub issue key"):
            adapter().add_label("SUP-12", "tier/fire")

        assert len(rsps.calls) == 0


class TestRemoveLabel:
    """Removing one label."""

    def test_the_label_is_deleted_by_its_encoded_name(self, rsps: responses.RequestsMock) -> None:
        """DELETE .../labels/tier%2Fqueue: the slash stays inside the one path segment."""
        rsps.delete(f"{ISSUE}/labels/tier%2Fqueue", json=[label("escalation")])

        adapter().remove_label("acme/web#12", "tier/queue")

        assert sent(rsps) == [("DELETE", f"{ISSUE}/labels/tier%2Fqueue", None)]

    @pytest.mark.parametrize(
        ("name", "segment"),
        [
            ("needs team", "needs%20team"),
            ("bug #1", "bug%20%231"),
            ("100%", "100%25"),
            ("a?b/c", "a%3Fb%2Fc"),
            ("\U0001f525 fire", "%F0%9F%94%A5%20fire"),
        ],
    )
    def test_any_label_name_is_one_path_segment(
        self, rsps: responses.RequestsMock, name: str, segment: str
    ) -> None:
        """Spaces, `#`, `%`, `?`, `/` and emoji are escaped, so the DELETE names that label."""
        rsps.delete(re.compile(f"{re.escape(ISSUE)}/labels/.*"), json=[])

        adapter().remove_label("acme/web#12", name)

        assert rsps.calls[0].request.url == f"{ISSUE}/labels/{segment}"

    def test_an_absent_label_counts_as_removed(self, rsps: responses.RequestsMock) -> None:
        """GitHub's 404 "Label does not exist" is not an error."""
        rsps.delete(
            f"{ISSUE}/labels/tier%2Fqueue", status=404, json={"message": "Label does not exist"}
        )

        adapter().remove_label("acme/web#12", "tier/queue")

        assert len(rsps.calls) == 1


class TestAssign:
    """Assigning through POST .../assignees and checking that GitHub kept the login."""

    def test_the_login_is_posted_and_checked(self, rsps: responses.RequestsMock) -> None:
        """One POST with the login; the answer lists it, so nothing is raised."""
        rsps.post(f"{ISSUE}/assignees", status=201, json=issue(12, assignees=("alice-gh",)))

        adapter().assign("acme/web#12", "alice-gh", None)

        assert sent(rsps) == [("POST", f"{ISSUE}/assignees", {"assignees": ["alice-gh"]})]

    def test_a_silently_dropped_login_is_unassignable(self, rsps: responses.RequestsMock) -> None:
        """GitHub answers 201 without the login when it cannot be assigned."""
        rsps.post(f"{ISSUE}/assignees", status=201, json=issue(12, assignees=()))

        with pytest.raises(Unassignable) as caught:
            adapter().assign("acme/web#12", "outsider", None)

        assert caught.value.identity == "outsider"

    def test_a_422_is_unassignable(self, rsps: responses.RequestsMock) -> None:
        """A validation failure on the assignee is Unassignable, not a generic rejection."""
        rsps.post(f"{ISSUE}/assignees", status=422, json=VALIDATION_FAILED)

        with pytest.raises(Unassignable) as caught:
            adapter().assign("acme/web#12", "outsider", None)

        assert caught.value.identity == "outsider"

    def test_the_replaced_assignee_is_removed_after(self, rsps: responses.RequestsMock) -> None:
        """With `replacing`, the old login is deleted once the new one is in."""
        both = issue(12, assignees=("alice-gh", "acme-lead"))
        rsps.post(f"{ISSUE}/assignees", status=201, json=both)
        rsps.delete(f"{ISSUE}/assignees", json=issue(12, assignees=("acme-lead",)))

        adapter().assign("acme/web#12", "acme-lead", "alice-gh")

        assert sent(rsps) == [
            ("POST", f"{ISSUE}/assignees", {"assignees": ["acme-lead"]}),
            ("DELETE", f"{ISSUE}/assignees", {"assignees": ["alice-gh"]}),
        ]

    def test_a_refused_replacement_keeps_the_old_assignee(
        self, rsps: responses.RequestsMock
    ) -> None:
        """When the new login is dropped, the old one is not removed."""
        rsps.post(f"{ISSUE}/assignees", status=201, json=issue(12, assignees=("alice-gh",)))

        with pytest.raises(Unassignable):
            adapter().assign("acme/web#12", "outsider", "alice-gh")

        assert [method for method, _, _ in sent(rsps)] == ["POST"]

    def test_a_missing_issue_is_not_found(self, rsps: responses.RequestsMock) -> None:
        """A 404 on the issue is NotFound."""
        rsps.post(f"{ISSUE}/assignees", status=404, json={"message": "Not Found"})

        with pytest.raises(NotFound):
            adapter().assign("acme/web#12", "alice-gh", None)


class TestUnassign:
    """Removing one assignee."""

    def test_the_login_is_deleted(self, rsps: responses.RequestsMock) -> None:
        """DELETE .../assignees with the login in the body."""
        rsps.delete(f"{ISSUE}/assignees", json=issue(12))

        adapter().unassign("acme/web#12", "alice-gh")

        assert sent(rsps) == [("DELETE", f"{ISSUE}/assignees", {"assignees": ["alice-gh"]})]


class TestComment:
    """Posting the over-estimate comment once, recognised by its marker."""

    def test_the_body_is_posted_with_the_hidden_marker(self, rsps: responses.RequestsMock) -> None:
        """No comment has the marker: the body is posted with it on its own last line."""
        rsps.get(f"{ISSUE}/comments", json=[{"id": 1, "body": "me too"}])
        rsps.post(f"{ISSUE}/comments", status=201, json={"id": 2, "body": "x"})

        posted = adapter().comment("acme/web#12", "Estimated at 3d.", "syncd:over-estimate")

        assert posted is True
        method, url, body = sent(rsps)[1]
        assert (method, url) == ("POST", f"{ISSUE}/comments")
        assert body == {"body": "Estimated at 3d.\n\n<!-- syncd:over-estimate -->\n"}

    def test_no_second_comment_when_the_marker_is_there(self, rsps: responses.RequestsMock) -> None:
        """A comment carrying the marker (on page 2) means nothing is posted."""
        rsps.get(
            f"{ISSUE}/comments",
            json=[{"id": 1, "body": "me too"}],
            headers={"Link": f'<{COMMENTS_PAGE_2}>; rel="next"'},
            match=[responses.matchers.query_param_matcher({"per_page": "100"})],
        )
        rsps.get(
            f"{API}/repositories/1000/issues/12/comments",
            json=[{"id": 2, "body": "Estimated at 3d.\n\n<!-- syncd:over-estimate -->\n"}],
        )

        posted = adapter().comment("acme/web#12", "Estimated at 3d.", "syncd:over-estimate")

        assert posted is False
        assert [method for method, _, _ in sent(rsps)] == ["GET", "GET"]

    def test_comment_pages_that_repeat_are_read_once(self, rsps: responses.RequestsMock) -> None:
        """A `Link` that names a page already read ends the reading, as it does for listings."""
        rsps.get(
            f"{API}/repositories/1000/issues/12/comments",
            json=[{"id": 2, "body": "me too"}],
            headers={"Link": f'<{COMMENTS_PAGE_2}>; rel="next"'},
        )
        rsps.get(
            f"{ISSUE}/comments",
            json=[{"id": 1, "body": "first"}],
            headers={"Link": f'<{COMMENTS_PAGE_2}>; rel="next"'},
        )
        rsps.post(f"{ISSUE}/comments", status=201, json={"id": 3, "body": "x"})

        posted = adapter().comment("acme/web#12", "Estimated at 3d.", "syncd:over-estimate")

        assert posted is True
        # two pages before the post, the same two again after it (looking for a race's copy)
        assert [method for method, _, _ in sent(rsps)] == ["GET", "GET", "POST", "GET", "GET"]


class TestCommentMarkerCheck:
    """Right before a comment is posted the issue's comments are read, whatever the listing says."""

    MARKED = "Estimated at 3d.\n\n<!-- syncd:over-estimate -->\n"

    def _fetched(self, rsps: responses.RequestsMock, comments: int) -> GitHubAdapter:
        rsps.get(f"{API}/repos/acme/web/issues", json=[issue(12, comments=comments)])
        made = adapter()
        made.fetch(None)
        return made

    def test_an_issue_listed_without_comments_is_read_all_the_same(
        self, rsps: responses.RequestsMock
    ) -> None:
        """`comments: 0` in the listing may be stale: the comments are read, then posted to
        (and read again after, for the copy of another instance posting at the same moment)."""
        made = self._fetched(rsps, comments=0)
        rsps.get(f"{ISSUE}/comments", json=[])
        rsps.post(f"{ISSUE}/comments", status=201, json={"id": 2, "body": self.MARKED})

        posted = made.comment("acme/web#12", "Estimated at 3d.", "syncd:over-estimate")

        assert posted is True
        assert [method for method, _, _ in sent(rsps)[1:]] == ["GET", "POST", "GET"]

    def test_a_marker_posted_since_the_listing_stops_the_post(
        self, rsps: responses.RequestsMock
    ) -> None:
        """Listed with `comments: 0`, but another syncd has commented since: nothing is posted."""
        made = self._fetched(rsps, comments=0)
        rsps.get(f"{ISSUE}/comments", json=[{"id": 2, "body": self.MARKED}])

        posted = made.comment("acme/web#12", "Estimated at 3d.", "syncd:over-estimate")

        assert posted is False
        assert [method for method, _, _ in sent(rsps)[1:]] == ["GET"]

    def test_an_issue_listed_with_comments_is_read_first(
        self, rsps: responses.RequestsMock
    ) -> None:
        """`comments: 2`: the comments are read, and the marker among them stops the POST."""
        made = self._fetched(rsps, comments=2)
        rsps.get(
            f"{ISSUE}/comments", json=[{"id": 1, "body": "hi"}, {"id": 2, "body": self.MARKED}]
        )

        posted = made.comment("acme/web#12", "Estimated at 3d.", "syncd:over-estimate")

        assert posted is False
        assert [method for method, _, _ in sent(rsps)[1:]] == ["GET"]

    def test_a_failing_comment_read_posts_nothing(self, rsps: responses.RequestsMock) -> None:
        """A 500 on reading the comments stops before any POST, even for an uncommented issue."""
        made = self._fetched(rsps, comments=0)
        rsps.get(f"{ISSUE}/comments", status=500, json={"message": "Server Error"})

        with pytest.raises(TrackerUnavailable):
            made.comment("acme/web#12", "Estimated at 3d.", "syncd:over-estimate")

        assert [method for method, _, _ in sent(rsps)[1:]] == ["GET"]

    def test_a_post_that_failed_but_landed_is_not_repeated(
        self, rsps: responses.RequestsMock
    ) -> None:
        """A 502 on the POST (which landed): the retry reads the marker and posts nothing."""
        made = self._fetched(rsps, comments=0)
        rsps.get(f"{ISSUE}/comments", json=[])
        rsps.post(f"{ISSUE}/comments", status=502, body="<html>Bad gateway</html>")

        with pytest.raises(TrackerUnavailable):
            made.comment("acme/web#12", "Estimated at 3d.", "syncd:over-estimate")
        rsps.replace(responses.GET, f"{ISSUE}/comments", json=[{"id": 2, "body": self.MARKED}])
        retried = made.comment("acme/web#12", "Estimated at 3d.", "syncd:over-estimate")

        assert retried is False
        assert [method for method, _, _ in sent(rsps)[1:]] == ["GET", "POST", "GET"]

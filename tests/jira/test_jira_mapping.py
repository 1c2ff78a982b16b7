"""The pure mapping from Jira issue JSON to IssueSnapshot, on recorded payloads and fuzzed ones."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from syncd.adapters.jira.mapping import adf_text, field_id, parse_time, to_snapshot
from syncd.config.model import Estimates, JiraEstimate, JiraTracker, Secret

TRACKER = JiraTracker(
    name="support",
    url="https://sample.atlassian.net/",
    token=Secret("t", "${T}"),
    jql="project = FOO",
)
POINTS = JiraTracker(
    name="support",
    url="https://sample.atlassian.net",
    token=Secret("t", "${T}"),
    jql="project = FOO",
    estimate=JiraEstimate(field="Story Points", days_per_point=0.5),
)
ESTIMATES = Estimates(limit=16 * 3600.0)

# Trimmed from atlassian-python-api tests/responses rest_api_2_issue_FOO-123_GET.json (Apache-2.0):
# a Jira Cloud v2 issue.
CLOUD_ISSUE: dict[str, Any] = {
    "expand": "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
    "id": "138135",
    "self": "https://sample.atlassian.net/rest/api/2/issue/12345",
    "key": "FOO-123",
    "fields": {
        "summary": "Sample",
        "description": "Some Issue Description ",
        "labels": ["sample"],
        "assignee": None,
        "priority": {
            "self": "https://sample.atlassian.net/rest/api/2/priority/5",
            "name": "Normal",
        },
        "votes": {"votes": 0, "hasVoted": False},
        "issuetype": {"id": "6", "name": "Epic", "subtask": False},
        "components": [],
        "created": "2021-12-16T05:44:40.825-0500",
        "updated": "2022-07-11T06:25:48.416-0400",
        "project": {"id": "12345", "key": "FOO", "name": "Foo"},
        "status": {"name": "Backlog", "id": "10909"},
        "timeoriginalestimate": None,
    },
}

# Trimmed from jira-ruby spec/mock_responses/issue.json (MIT): a Jira Server issue.
SERVER_ISSUE: dict[str, Any] = {
    "id": "10014",
    "self": "http://localhost:2990/jira/rest/api/2/issue/10014",
    "key": "SAMPLEPROJECT-13",
    "fields": {
        "summary": "blarg from in example.rb",
        "description": None,
        "labels": [],
        "assignee": {"name": "admin", "displayName": "admin", "active": True},
        "priority": {"name": "Major", "id": "3"},
        "votes": {"votes": 4, "hasVoted": False},
        "issuetype": {"name": "Task", "subtask": False},
        "components": [{"id": "10000", "name": "Billing"}, {"id": "10001", "name": "API"}],
        "created": "2011-12-15T15:35:06.000+1300",
        "updated": "2011-12-15T15:35:06.000+1300",
        "project": {"key": "SAMPLEPROJECT"},
        "timeoriginalestimate": 7200,
    },
}


def with_fields(raw: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A copy of `raw` with some fields replaced."""
    changed = copy.deepcopy(raw)
    changed["fields"].update(fields)
    return changed


class TestToSnapshot:
    """to_snapshot on real-shaped payloads."""

    def test_a_cloud_issue_maps_every_field(self) -> None:
        """The recorded Cloud issue becomes a full snapshot with UTC times and a browse URL."""
        mapped = to_snapshot(CLOUD_ISSUE, TRACKER, ESTIMATES, None, 8.0)

        snap = mapped.snapshot
        assert snap is not None
        assert (snap.key, snap.project, snap.title) == ("FOO-123", "FOO", "Sample")
        assert snap.body == "Some Issue Description "
        assert snap.labels == ("sample",)
        assert snap.assignees == ()
        assert (snap.priority, snap.issue_type, snap.reporters) == ("Normal", "Epic", 1)
        assert snap.created == datetime(2021, 12, 16, 10, 44, 40, 825000, tzinfo=UTC)
        assert snap.updated == datetime(2022, 7, 11, 10, 25, 48, 416000, tzinfo=UTC)
        assert snap.estimate is None
        assert snap.url == "https://sample.atlassian.net/browse/FOO-123"

    def test_a_server_issue_uses_the_username_votes_and_components(self) -> None:
        """Server/DC: assignee `name`, 1 + votes reporters, component names, 2h estimate."""
        snap = to_snapshot(SERVER_ISSUE, TRACKER, ESTIMATES, None, 8.0).snapshot

        assert snap is not None
        assert snap.assignees == ("admin",)
        assert snap.reporters == 5
        assert snap.components == ("Billing", "API")
        assert (snap.estimate, snap.estimate_text) == (7200.0, "2h")
        assert snap.body == ""

    def test_a_cloud_assignee_is_its_account_id(self) -> None:
        """Cloud users are named by accountId."""
        raw = with_fields(CLOUD_ISSUE, assignee={"accountId": "5b10ac8d82e05b22cc7d4ef5"})

        snap = to_snapshot(raw, TRACKER, ESTIMATES, None, 8.0).snapshot

        assert snap is not None and snap.assignees == ("5b10ac8d82e05b22cc7d4ef5",)

    def test_an_adf_description_is_read_as_text(self) -> None:
        """A v3 rich-text description gives its plain text."""
        adf = {
            "type": "doc",
            "version": 1,
            "content": [
                {"type": "paragraph", "content": [{"type": "text", "text": "Export is broken"}]},
                {"type": "paragraph", "content": [{"type": "text", "text": "since Monday"}]},
            ],
        }

        snap = to_snapshot(with_fields(CLOUD_ISSUE, description=adf), TRACKER, ESTIMATES, None, 8)

        assert snap.snapshot is not None
        assert snap.snapshot.body == "Export is broken\nsince Monday"

    def test_story_points_use_days_per_point(self) -> None:
        """4 points at half a day each are 2 working days."""
        raw = with_fields(CLOUD_ISSUE, customfield_10016=4)

        snap = to_snapshot(raw, POINTS, ESTIMATES, "customfield_10016", 8.0).snapshot

        assert snap is not None
        assert (snap.estimate, snap.estimate_text) == (2 * 8 * 3600.0, "4 points (2d)")

    def test_story_points_above_a_year_of_work_are_a_warning_not_a_number(self) -> None:
        """1e300 points are no estimate: a short warning says why."""
        raw = with_fields(CLOUD_ISSUE, customfield_10016=1e300)

        mapped = to_snapshot(raw, POINTS, ESTIMATES, "customfield_10016", 8.0)

        assert mapped.snapshot is not None and mapped.snapshot.estimate is None
        assert "above a year of work" in mapped.warnings[0]
        assert len(mapped.warnings[0]) < 200

    def test_time_tracking_above_a_year_of_work_is_a_warning_not_a_number(self) -> None:
        """10**300 seconds of time tracking are no estimate: a short warning says why."""
        raw = with_fields(CLOUD_ISSUE, timeoriginalestimate=10**300)

        mapped = to_snapshot(raw, TRACKER, ESTIMATES, None, 8.0)

        assert mapped.snapshot is not None and mapped.snapshot.estimate is None
        assert "above a year of work" in mapped.warnings[0]
        assert len(mapped.warnings[0]) < 200

    def test_a_bad_estimate_is_dropped_with_a_warning(self) -> None:
        """A string in time tracking means no estimate, and a warning says why."""
        mapped = to_snapshot(
            with_fields(CLOUD_ISSUE, timeoriginalestimate="3d"), TRACKER, ESTIMATES, None, 8
        )

        assert mapped.snapshot is not None and mapped.snapshot.estimate is None
        assert "not a number" in mapped.warnings[0]

    def test_an_issue_without_dates_is_skipped_with_a_reason(self) -> None:
        """No `updated`: skipped, saying why."""
        mapped = to_snapshot(with_fields(CLOUD_ISSUE, updated=None), TRACKER, ESTIMATES, None, 8)

        assert mapped.snapshot is None
        assert mapped.skip == "created or updated is not a Jira time"

    def test_an_issue_without_a_key_is_skipped(self) -> None:
        """No key: nothing can be written to it."""
        mapped = to_snapshot({"fields": {}}, TRACKER, ESTIMATES, None, 8)

        assert (mapped.key, mapped.snapshot, mapped.skip) == ("?", None, "issue has no key")

    def test_labels_that_are_not_text_are_dropped(self) -> None:
        """Non-string labels are ignored with a warning; the rest are kept."""
        raw = with_fields(CLOUD_ISSUE, labels=["escalation", 7, None])

        mapped = to_snapshot(raw, TRACKER, ESTIMATES, None, 8)

        assert mapped.snapshot is not None and mapped.snapshot.labels == ("escalation",)
        assert mapped.warnings == ("2 label(s) are not text and were ignored",)


class TestParseTime:
    """Jira's timestamp format."""

    def test_an_offset_without_colon_is_read(self) -> None:
        """`+0200` offsets are converted to UTC."""
        assert parse_time("2026-11-26T10:15:00.000+0200") == datetime(
            2026, 11, 26, 8, 15, tzinfo=UTC
        )

    def test_a_time_without_offset_is_refused(self) -> None:
        """A naive time cannot be placed and is None."""
        assert parse_time("2026-11-26T10:15:00.000") is None


class TestFieldId:
    """Resolving the estimate field through /field."""

    def test_a_name_matches_in_any_case(self) -> None:
        """ "story points" finds the field called "Story Points"."""
        fields = [
            {"id": "labels", "name": "Labels"},
            {"id": "customfield_10002", "name": "Story Points"},
        ]

        assert field_id(fields, "story points") == "customfield_10002"

    def test_an_unknown_name_is_none(self) -> None:
        """No such field: None."""
        assert field_id([{"id": "labels", "name": "Labels"}], "Effort") is None


class TestAdfText:
    """Plain text out of ADF."""

    def test_a_deep_document_does_not_recurse(self) -> None:
        """A 10,000-deep tree is walked without recursion errors."""
        node: dict[str, Any] = {"type": "text", "text": "deep"}
        for _ in range(10_000):
            node = {"type": "blockquote", "content": [node]}

        assert adf_text(node) == "deep"


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)
_dates = st.one_of(
    st.none(),
    st.integers(),
    st.text(max_size=40),
    st.just("0001-01-01T00:00:00.000+1400"),
    st.just("9999-12-31T23:59:59.999-1200"),
    st.just("2026-02-30T10:00:00.000+0000"),
    st.just("2026-11-26T10:15:00.000+0200"),
)
_fields = st.fixed_dictionaries(
    {},
    optional={
        "summary": st.one_of(st.text(), st.none(), st.integers(), st.just("x" * 2_000_000)),
        "description": _json,
        "labels": st.one_of(st.lists(st.one_of(st.text(), st.integers())), _json),
        "assignee": _json,
        "priority": _json,
        "votes": st.one_of(_json, st.fixed_dictionaries({"votes": st.integers()})),
        "issuetype": _json,
        "components": _json,
        "created": _dates,
        "updated": _dates,
        "project": _json,
        "timeoriginalestimate": st.one_of(_json, st.floats(allow_nan=True)),
        "customfield_10016": _json,
    },
)
_issues = st.one_of(
    st.fixed_dictionaries(
        {"key": st.one_of(st.text(), _json), "fields": st.one_of(_fields, _json)}
    ),
    st.dictionaries(st.text(max_size=8), _json, max_size=3),
)


class TestToSnapshotFuzz:
    """to_snapshot never raises, whatever the payload."""

    @settings(max_examples=300, deadline=None)
    @given(raw=_issues, points=st.sampled_from([None, "customfield_10016"]))
    def test_any_payload_maps_or_skips_without_raising(self, raw: Any, points: str | None) -> None:
        """Missing fields, nulls, wrong types, odd dates, Unicode and huge text never raise."""
        tracker = POINTS if points else TRACKER

        mapped = to_snapshot(raw, tracker, ESTIMATES, points, 8.0)

        assert (mapped.snapshot is None) == (mapped.skip is not None)
        if mapped.snapshot is not None:
            assert mapped.snapshot.updated.tzinfo is not None

"""The pure mapping from GitHub issue JSON to IssueSnapshot, and issue keys."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from github_payloads import ESTIMATES, issue, tracker
from hypothesis import given, settings
from hypothesis import strategies as st

from syncd.adapters.github.mapping import IssueRef, is_pull_request, parse_key, to_snapshot

DAY = 8 * 3600


def mapped(raw: Any) -> Any:
    return to_snapshot(raw, tracker(), ESTIMATES, "acme/web")


class TestToSnapshot:
    """to_snapshot: one list item in, a snapshot or a readable skip out."""

    def test_the_fields_of_a_recorded_issue_are_mapped(self) -> None:
        """Key, repo, title, labels, assignees, times and url come across as they are."""
        raw = issue(13, labels=("escalation", "bug"), assignees=("alice-gh", "bobby"))

        snapshot = mapped(raw).snapshot

        assert snapshot.key == "acme/web#13"
        assert snapshot.repo == "acme/web"
        assert snapshot.title == "Test issue 13"
        assert snapshot.labels == ("escalation", "bug")
        assert snapshot.assignees == ("alice-gh", "bobby")
        assert snapshot.created == datetime(2026, 11, 1, 16, 0, tzinfo=UTC)
        assert snapshot.updated == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
        assert snapshot.url == "https://github.com/acme/web/issues/13"

    def test_a_null_body_is_empty(self) -> None:
        """GitHub sends `body: null` for an issue without description."""
        assert mapped(issue(1, body=None)).snapshot.body == ""

    def test_thumbs_up_reactions_count_as_reporters(self) -> None:
        """Reporters are 1 + the 👍 reactions of the list payload."""
        assert mapped(issue(1, thumbs_up=6)).snapshot.reporters == 7

    def test_missing_reactions_mean_one_reporter(self) -> None:
        """An issue without a `reactions` object has its author as only reporter."""
        raw = issue(1)
        del raw["reactions"]

        assert mapped(raw).snapshot.reporters == 1

    def test_the_priority_comes_from_the_priority_label(self) -> None:
        """Group 1 of `priority_label` over the labels."""
        snapshot = mapped(issue(1, labels=("escalation", "priority/Blocker"))).snapshot

        assert snapshot.priority == "Blocker"

    def test_an_estimate_label_wins_over_the_body(self) -> None:
        """`estimate/3d` is used even when the body has an `Estimate:` line."""
        raw = issue(1, labels=("estimate/3d",), body="Estimate: 1d")

        snapshot = mapped(raw).snapshot

        assert snapshot.estimate == 3 * DAY
        assert snapshot.estimate_text == "3d"

    def test_an_estimate_line_in_the_body_is_read(self) -> None:
        """Without an estimate label, the body regex applies."""
        raw = issue(1, body="Customer export broken.\r\nEstimate: 1w 2d\r\nThanks")

        assert mapped(raw).snapshot.estimate == 7 * DAY

    def test_a_bad_estimate_is_a_warning_not_a_skip(self) -> None:
        """`Estimate: when it is done` gives no estimate and a readable warning."""
        result = mapped(issue(1, body="Estimate: when it is done"))

        assert result.snapshot.estimate is None
        assert "when it is done" in result.warnings[0]

    def test_an_estimate_above_a_year_of_work_is_a_warning_not_a_number(self) -> None:
        """`estimate/9999...w` is unparseable: no estimate, a short warning, no 290-digit number."""
        result = mapped(issue(1, labels=("estimate/" + "9" * 60 + "w",)))

        assert result.snapshot.estimate is None
        assert "above a year of work" in result.warnings[0]
        assert len(result.warnings[0]) < 200

    def test_a_null_title_is_skipped_with_a_reason(self) -> None:
        """Required fields that are null make a skip naming the field."""
        raw = issue(4)
        raw["title"] = None

        result = mapped(raw)

        assert result.snapshot is None
        assert result.key == "acme/web#4"
        assert "title" in result.skip

    def test_a_time_without_zone_is_skipped(self) -> None:
        """A naive `updated_at` cannot be placed in time."""
        result = mapped(issue(4, updated="2026-11-20T10:00:00"))

        assert result.snapshot is None
        assert "updated_at" in result.skip

    def test_a_label_without_name_is_skipped(self) -> None:
        """A half-readable label set could hide `syncd/ignore`: skip the issue."""
        raw = issue(4)
        raw["labels"].append({"id": 3})

        assert "labels" in mapped(raw).skip

    def test_a_boolean_number_is_skipped(self) -> None:
        """`number: true` is not an issue number."""
        raw = issue(4)
        raw["number"] = True

        result = mapped(raw)

        assert result.snapshot is None
        assert result.key == "acme/web#?"

    def test_pull_requests_are_recognised(self) -> None:
        """A list item with `pull_request` set is a pull request."""
        assert is_pull_request(issue(1, pull_request=True))
        assert not is_pull_request(issue(1))


JSON_LEAF = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40)
JSON = st.recursive(
    JSON_LEAF,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
FIELDS = st.sampled_from(
    ["number", "title", "body", "labels", "assignees", "created_at", "updated_at", "reactions"]
)
ODD_TEXT = st.text(st.characters(blacklist_categories=()), max_size=200) | st.sampled_from(
    ["\ud800", "Estimate: 9" * 40, "estimate: 1e309d", "Estimate:\x00", "\u202e3d"]
)


class TestToSnapshotFuzz:
    """to_snapshot never raises, whatever the payload."""

    @settings(max_examples=300, deadline=None)
    @given(field=FIELDS, value=JSON | ODD_TEXT, drop=st.booleans())
    def test_one_odd_field_never_raises(self, field: str, value: object, drop: bool) -> None:
        """Replacing or removing any field gives a snapshot or a skip with a reason."""
        raw = issue(3, labels=("escalation", "estimate/2d"), body="Estimate: 1d")
        if drop:
            raw.pop(field, None)
        else:
            raw[field] = value

        result = mapped(raw)

        assert (result.snapshot is None) == (result.skip is not None)

    @settings(max_examples=100, deadline=None)
    @given(raw=JSON)
    def test_any_json_never_raises(self, raw: object) -> None:
        """Arbitrary JSON in place of an issue is skipped, not raised."""
        result = mapped(raw)

        assert result.snapshot is None or result.snapshot.key.startswith("acme/web#")

    @settings(max_examples=20, deadline=None)
    @given(label=st.text(max_size=30), body=ODD_TEXT)
    def test_odd_unicode_labels_and_bodies_map(self, label: str, body: str) -> None:
        """Any text in labels and body still yields a snapshot."""
        raw = issue(3, labels=(label, f"estimate/{label}"), body=body)

        assert mapped(raw).snapshot is not None

    def test_a_huge_body_maps(self) -> None:
        """A 5 MB body with the estimate at the end is read."""
        raw = issue(3, body="x" * 5_000_000 + "\nEstimate: 4h")

        assert mapped(raw).snapshot.estimate == 4 * 3600


class TestParseKey:
    """Issue keys back to repository and number."""

    def test_a_key_gives_repo_and_number(self) -> None:
        """`acme/web#12` is issue 12 of acme/web."""
        assert parse_key("acme/web#12") == IssueRef("acme/web", 12)

    def test_dotted_repo_names_parse(self) -> None:
        """Repository names may hold dots, dashes and underscores."""
        assert parse_key("my-org/site.github.io#3") == IssueRef("my-org/site.github.io", 3)

    def test_not_a_key_gives_none(self) -> None:
        """Jira keys, missing numbers and path tricks are not GitHub keys."""
        for key in (
            "SUP-12",
            "acme/web#",
            "acme/web#0",
            "../x/y#1",
            "../web#1",
            "acme/web#1/labels",
            "",
        ):
            assert parse_key(key) is None, key

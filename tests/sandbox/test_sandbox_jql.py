"""The sandbox's JQL subset on its own: operators, precedence, quoting, dates, ORDER BY, errors."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from syncd.sandbox.jira_state import JiraIssue
from syncd.sandbox.jql import JqlError, compile_jql

UTC_ZONE = ZoneInfo("UTC")
DETROIT = ZoneInfo("America/Detroit")
_BASE = JiraIssue(
    id=1,
    key="SUP-1",
    project="SUP",
    summary="x",
    description=None,
    labels=[],
    priority="Medium",
    votes=0,
    type="Bug",
    components=(),
    status="Open",
    category="new",
    estimate=None,
    story_points=None,
    assignee=None,
    reporter=None,
    created=datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
    updated=datetime(2026, 11, 26, 7, 10, 30, tzinfo=UTC),
)
ISSUES = [
    replace(_BASE, key="SUP-1", labels=["escalation", "outage"], priority="Highest"),
    replace(_BASE, id=2, key="SUP-2", labels=["escalation"], category="done", status="Done"),
    replace(
        _BASE,
        id=3,
        key="SUP-10",
        labels=["Customer Care"],
        assignee="alice",
        updated=datetime(2026, 11, 25, 12, 0, tzinfo=UTC),
    ),
    replace(_BASE, id=4, key="OPS-3", project="OPS", type="Task", components=("Billing",)),
]


def keys(jql: str, zone: ZoneInfo = UTC_ZONE) -> list[str]:
    """Keys of ISSUES that `jql` selects, in its order."""
    query = compile_jql(jql, zone)
    return [issue.key for issue in query.sort([i for i in ISSUES if query.matches(i)])]


class TestJqlClauses:
    """Each operator on text fields."""

    @pytest.mark.parametrize(
        ("jql", "expected"),
        [
            ("project = SUP", {"SUP-1", "SUP-2", "SUP-10"}),
            ("project != SUP", {"OPS-3"}),
            ("labels in (outage, missing)", {"SUP-1"}),
            ("labels not in (escalation)", {"SUP-10", "OPS-3"}),
            ("statusCategory = Done", {"SUP-2"}),
            ("statusCategory != done", {"SUP-1", "SUP-10", "OPS-3"}),
            ("priority = highest", {"SUP-1"}),
            ("type = Task", {"OPS-3"}),
            ("component = Billing", {"OPS-3"}),
            ("assignee = alice", {"SUP-10"}),
            ("key = SUP-10", {"SUP-10"}),
        ],
    )
    def test_operator_selects_the_matching_issues(self, jql: str, expected: set[str]) -> None:
        """=, !=, in and not in compare without regard to case."""
        assert set(keys(jql)) == expected

    def test_quoted_values_may_hold_spaces_and_either_quote(self) -> None:
        """Double and single quotes both delimit a value with spaces."""
        assert keys('labels = "Customer Care"') == keys("labels = 'customer care'") == ["SUP-10"]

    def test_an_empty_query_selects_everything(self) -> None:
        """No clause at all matches every issue."""
        assert len(keys("")) == len(ISSUES)


class TestJqlLogic:
    """AND binds tighter than OR; parentheses and NOT change that."""

    def test_and_binds_tighter_than_or(self) -> None:
        """`a OR b AND c` is `a OR (b AND c)`."""
        selected = set(keys("project = OPS OR labels = escalation AND priority = Highest"))

        assert selected == {"OPS-3", "SUP-1"}

    def test_parentheses_group_first(self) -> None:
        """`(a OR b) AND c` applies c to both."""
        selected = set(keys("(project = OPS OR labels = escalation) AND priority = Highest"))

        assert selected == {"SUP-1"}

    def test_not_negates_a_group(self) -> None:
        """NOT (...) selects the complement."""
        assert set(keys("project = SUP AND NOT (labels = escalation)")) == {"SUP-10"}

    def test_keywords_ignore_case(self) -> None:
        """and / or / order by are keywords in any case."""
        assert keys("project = SUP and labels = outage order by key asc") == ["SUP-1"]


class TestJqlDates:
    """Dates are read in the API user's zone at minute precision."""

    def test_updated_since_is_read_in_the_users_zone(self) -> None:
        """02:10 in Detroit is 07:10 UTC: the 07:10:30 update counts (seconds ignored)."""
        assert set(keys('updated >= "2026-11-26 02:10"', DETROIT)) == {"SUP-1", "SUP-2", "OPS-3"}

    def test_the_same_text_in_utc_is_a_different_instant(self) -> None:
        """Read in UTC, 07:11 is after every update."""
        assert keys('updated >= "2026-11-26 07:11"') == []

    @pytest.mark.parametrize(
        ("text", "selected"),
        [("2026/11/25", 4), ("2026-11-25", 4), ("2026/11/25 13:00", 3), ("2026-11-25 11:59", 4)],
    )
    def test_every_documented_format_is_accepted(self, text: str, selected: int) -> None:
        """yyyy/MM/dd and yyyy-MM-dd, with or without HH:mm (SUP-10 moved at 12:00)."""
        assert len(keys(f'updated > "{text}"')) == selected

    def test_less_than_and_equality_on_created(self) -> None:
        """created < and = compare instants."""
        assert len(keys('created = "2026-11-20 09:00"')) == len(ISSUES)
        assert keys('created < "2026-11-20 09:00"') == []


class TestJqlOrder:
    """ORDER BY fields and directions; the default is key descending."""

    def test_default_order_is_newest_key_first(self) -> None:
        """Keys compare by project then number (SUP-10 after SUP-2)."""
        assert keys("project = SUP") == ["SUP-10", "SUP-2", "SUP-1"]

    def test_order_by_key_ascending_is_numeric(self) -> None:
        """SUP-2 sorts before SUP-10."""
        assert keys("project = SUP ORDER BY key ASC") == ["SUP-1", "SUP-2", "SUP-10"]

    def test_order_by_updated_then_key(self) -> None:
        """The first sort field wins; ties fall to the second."""
        assert keys("project = SUP ORDER BY updated DESC, key ASC") == ["SUP-1", "SUP-2", "SUP-10"]


class TestJqlErrors:
    """Anything outside the subset is a JqlError (a 400 over HTTP)."""

    @pytest.mark.parametrize(
        "jql",
        [
            "summary ~ outage",
            "nosuchfield = 1",
            "project = SUP AND",
            "(project = SUP",
            'updated >= "last tuesday"',
            "updated in (2026-11-26)",
            "labels > x",
            "project = SUP ORDER BY nosuchfield",
            "project = SUP extra",
            'labels = "unterminated',
        ],
    )
    def test_unsupported_input_is_a_clear_error(self, jql: str) -> None:
        """A JqlError with Jira's wording, never another exception."""
        with pytest.raises(JqlError):
            compile_jql(jql, UTC_ZONE)


class TestUnknownKeys:
    """A key the site does not have is an error in JQL, as real Jira answers it."""

    @pytest.mark.parametrize("jql", ['key = "SUP-99"', "issuekey in (SUP-1, SUP-99)"])
    def test_a_key_the_site_lacks_is_a_jql_error_naming_it(self, jql: str) -> None:
        """Jira's 400: "An issue with key 'SUP-99' does not exist for field 'key'."."""
        with pytest.raises(JqlError, match=r"An issue with key 'SUP-99' does not exist"):
            compile_jql(jql, UTC_ZONE, keys=[issue.key for issue in ISSUES])

    def test_a_known_key_is_compared_ignoring_case(self) -> None:
        """`key = sup-10` selects SUP-10, as Jira reads keys."""
        query = compile_jql("key = sup-10", UTC_ZONE, keys=[issue.key for issue in ISSUES])

        assert [issue.key for issue in ISSUES if query.matches(issue)] == ["SUP-10"]

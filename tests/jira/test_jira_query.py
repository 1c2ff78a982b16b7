"""The JQL watermark composition and the error translation, both pure."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import requests
from jira.exceptions import JIRAError

from syncd.adapters.jira.query import incremental_jql, strip_order_by
from syncd.adapters.jira.translate import assignee_refused, pause_until, translate

BERLIN = ZoneInfo("Europe/Berlin")
TWO_MINUTES = timedelta(minutes=2)


class TestIncrementalJql:
    """incremental_jql."""

    def test_a_full_pass_is_the_jql_alone_in_update_order(self) -> None:
        """since=None adds no time clause."""
        assert incremental_jql("project = SUP", None, BERLIN, TWO_MINUTES) == (
            "(project = SUP) ORDER BY updated ASC"
        )

    def test_the_window_is_in_the_user_zone_floored_to_the_minute(self) -> None:
        """12:00:59 UTC minus 2 min is 12:58 in Berlin (UTC+1 in November)."""
        since = datetime(2026, 11, 26, 12, 0, 59, tzinfo=UTC)

        jql = incremental_jql("project = SUP", since, BERLIN, TWO_MINUTES)

        assert jql == '(project = SUP) AND updated >= "2026-11-26 12:58" ORDER BY updated ASC'

    def test_summer_time_is_honoured(self) -> None:
        """In July Berlin is UTC+2."""
        since = datetime(2026, 7, 1, 0, 1, tzinfo=UTC)

        jql = incremental_jql("project = SUP", since, BERLIN, timedelta(0))

        assert '"2026-07-01 02:01"' in jql

    def test_the_overlap_can_cross_midnight(self) -> None:
        """A 10 minute overlap at 00:05 local reaches back to the previous day."""
        since = datetime(2026, 11, 25, 23, 5, tzinfo=UTC)

        jql = incremental_jql("x = 1", since, ZoneInfo("UTC"), timedelta(minutes=10))

        assert '"2026-11-25 22:55"' in jql

    def test_a_naive_since_is_taken_as_utc(self) -> None:
        """A naive datetime means UTC."""
        jql = incremental_jql("x = 1", datetime(2026, 11, 26, 12, 0), BERLIN, timedelta(0))

        assert '"2026-11-26 13:00"' in jql

    def test_the_users_order_by_is_replaced(self) -> None:
        """A trailing ORDER BY is dropped for syncd's own order."""
        jql = incremental_jql("project = SUP order by priority DESC", None, BERLIN, TWO_MINUTES)

        assert jql == "(project = SUP) ORDER BY updated ASC"

    def test_a_top_level_or_stays_inside_the_parentheses(self) -> None:
        """`a OR b` AND the window: the window limits both sides, not only `b`."""
        since = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

        jql = incremental_jql(
            "labels = a OR labels = b ORDER BY created", since, ZoneInfo("UTC"), timedelta(0)
        )

        assert jql == (
            '(labels = a OR labels = b) AND updated >= "2026-11-26 12:00" ORDER BY updated ASC'
        )

    def test_order_by_inside_quotes_is_kept(self) -> None:
        """Text in quotes is not a clause."""
        assert strip_order_by('summary ~ "order by mail"') == 'summary ~ "order by mail"'

    def test_an_empty_jql_keeps_only_the_window(self) -> None:
        """No configured JQL: just the time clause."""
        since = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

        jql = incremental_jql("", since, ZoneInfo("UTC"), timedelta(0))

        assert jql == 'updated >= "2026-11-26 12:00" ORDER BY updated ASC'


class TestPauseUntil:
    """When a rate limit ends."""

    NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

    def test_retry_after_seconds_win(self) -> None:
        """Retry-After: 120 is two minutes from now."""
        until = pause_until(
            {"Retry-After": "120", "X-RateLimit-Reset": "2030-01-01T00:00Z"}, self.NOW
        )

        assert until == self.NOW + timedelta(minutes=2)

    def test_an_iso_reset_time_is_used_without_retry_after(self) -> None:
        """Jira Cloud's ISO X-RateLimit-Reset is honoured."""
        until = pause_until({"X-RateLimit-Reset": "2026-11-26T12:05Z"}, self.NOW)

        assert until == datetime(2026, 11, 26, 12, 5, tzinfo=UTC)

    def test_epoch_seconds_reset_is_used(self) -> None:
        """An epoch-seconds reset works too."""
        reset = int((self.NOW + timedelta(seconds=90)).timestamp())

        assert pause_until({"X-RateLimit-Reset": str(reset)}, self.NOW) == self.NOW + timedelta(
            seconds=90
        )

    def test_an_http_date_retry_after_is_honoured(self) -> None:
        """Retry-After may be an HTTP date (RFC 9110): five minutes out is five minutes."""
        until = pause_until({"Retry-After": "Thu, 26 Nov 2026 12:05:00 GMT"}, self.NOW)

        assert until == self.NOW + timedelta(minutes=5)

    def test_fractional_retry_after_seconds_are_honoured(self) -> None:
        """Retry-After: 1.5 is not mistaken for no header."""
        assert pause_until({"Retry-After": "1.5"}, self.NOW) == self.NOW + timedelta(seconds=1.5)

    def test_an_absurd_reset_is_capped_at_a_day(self) -> None:
        """A reset years away (clock skew, junk) pauses one day, not years."""
        until = pause_until({"X-RateLimit-Reset": "2099-01-01T00:00Z"}, self.NOW)

        assert until == self.NOW + timedelta(days=1)

    def test_no_header_waits_a_default_minute(self) -> None:
        """Nothing said: one minute."""
        assert pause_until({}, self.NOW) == self.NOW + timedelta(minutes=1)


def _jira_error(status: int, body: dict[str, object]) -> JIRAError:
    """A JIRAError as the library raises it, around a real requests.Response."""
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode()
    return JIRAError("hidden", status_code=status, response=response)


class TestAssigneeRefused:
    """Which assignee failures blame the user."""

    def test_a_404_naming_the_assignee_blames_the_user(self) -> None:
        """404 with errors.assignee is the user's fault."""
        error = _jira_error(404, {"errorMessages": [], "errors": {"assignee": "no such user"}})

        assert assignee_refused(error) is True

    def test_a_404_about_the_issue_does_not(self) -> None:
        """404 with only errorMessages is about the issue."""
        error = _jira_error(404, {"errorMessages": ["Issue does not exist"], "errors": {}})

        assert assignee_refused(error) is False

    def test_the_message_holds_status_and_error_messages_only(self) -> None:
        """translate builds its text from the status and errorMessages, not str(JIRAError)."""
        error = _jira_error(404, {"errorMessages": ["Issue does not exist"], "errors": {}})

        translated = translate(
            error, "jira tracker 'support': assign", datetime(2027, 2, 1, tzinfo=UTC)
        )

        assert str(translated) == "jira tracker 'support': assign: HTTP 404: Issue does not exist"

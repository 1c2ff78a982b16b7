"""The Jira adapter against a fake Jira site (Cloud and Server/DC) served by `responses`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
import requests
import responses
from jira_site_fake import CLOUD, SERVER, FakeJira, issue

from syncd.adapters.jira.client import JiraAdapter
from syncd.config.model import Estimates, JiraEstimate, JiraTracker, Person, Secret
from syncd.errors import (
    AuthFailed,
    NotFound,
    RateLimited,
    TrackerError,
    TrackerUnavailable,
    Unassignable,
)
from syncd.service_layer.checks import Assignee, Outcome

TOKEN = "tok-s3cr3t-value"
EMAIL = "bot@acme.example"
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
ESTIMATES = Estimates(limit=2 * 8 * 3600.0)


def tracker(cloud: bool = True, **changes: Any) -> JiraTracker:
    """A Jira tracker config for the fake site."""
    return JiraTracker(
        name="support",
        url=CLOUD if cloud else SERVER,
        token=Secret(TOKEN, "${JIRA_API_TOKEN}"),
        jql="project = SUP AND labels = escalation",
        email=Secret(EMAIL, "${JIRA_EMAIL}") if cloud else None,
        **changes,
    )


def adapter(cloud: bool = True, **changes: Any) -> JiraAdapter:
    """An adapter for the fake site with a fixed clock."""
    return JiraAdapter(tracker(cloud, **changes), ESTIMATES, timeout=5, clock=lambda: NOW)


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    """A strict-free responses mock (not every endpoint is used by every test)."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def calls(rsps: responses.RequestsMock, method: str, path: str) -> list[Any]:
    """The recorded requests with `method` whose URL path ends with `path`."""
    return [
        c.request
        for c in rsps.calls
        if c.request.method == method and c.request.path_url.split("?")[0].endswith(path)
    ]


class TestConnection:
    """Connecting lazily and telling Cloud from Server/Data Center."""

    def test_constructing_the_adapter_sends_nothing(self, rsps: responses.RequestsMock) -> None:
        """Building an adapter touches no network."""
        FakeJira(rsps).install()

        made = adapter()

        assert made.deployment is None
        assert len(rsps.calls) == 0

    def test_a_cloud_site_is_detected_and_uses_basic_auth(
        self, rsps: responses.RequestsMock
    ) -> None:
        """deploymentType Cloud makes a cloud adapter that authenticates with email and token."""
        FakeJira(rsps, cloud=True).install()
        made = adapter(cloud=True)

        made.fetch(None)

        assert made.deployment == "cloud"
        assert rsps.calls[0].request.headers["Authorization"].startswith("Basic ")
        assert calls(rsps, "GET", "/rest/api/2/search/jql")

    def test_a_server_site_is_detected_and_uses_a_bearer_token(
        self, rsps: responses.RequestsMock
    ) -> None:
        """Any other deploymentType is Server/DC, searched by startAt with a PAT."""
        FakeJira(rsps, cloud=False).install()
        made = adapter(cloud=False)

        made.fetch(None)

        assert made.deployment == "server"
        assert rsps.calls[0].request.headers["Authorization"] == f"Bearer {TOKEN}"
        assert calls(rsps, "GET", "/rest/api/2/search")

    def test_an_unreachable_site_is_unavailable(self, rsps: responses.RequestsMock) -> None:
        """A connection failure while connecting becomes TrackerUnavailable."""
        rsps.get(f"{CLOUD}/rest/api/2/serverInfo", body=requests.ConnectionError("refused"))

        with pytest.raises(TrackerUnavailable, match=r"acme\.atlassian\.net: cannot connect"):
            adapter().fetch(None)


class TestFetch:
    """Searching, paging and the watermark."""

    @pytest.mark.parametrize("cloud", [True, False])
    def test_every_page_is_read_over_more_than_a_hundred_issues(
        self, rsps: responses.RequestsMock, cloud: bool
    ) -> None:
        """250 issues come back whole, in three pages, on Cloud (tokens) and DC (startAt)."""
        base = CLOUD if cloud else SERVER
        site = FakeJira(rsps, cloud=cloud, issues=[issue(base, n) for n in range(1, 251)])
        site.install()

        fetched = adapter(cloud).fetch(None)

        assert [s.key for s in fetched.snapshots] == [f"SUP-{n}" for n in range(1, 251)]
        assert len(site.searches) == 3
        assert fetched.complete and not fetched.unchanged

    def test_cloud_pages_follow_the_next_page_token(self, rsps: responses.RequestsMock) -> None:
        """The second and third Cloud pages send the token the previous page returned."""
        FakeJira(rsps, issues=[issue(CLOUD, n) for n in range(1, 251)]).install()

        adapter().fetch(None)

        tokens = [r.params.get("nextPageToken") for r in calls(rsps, "GET", "search/jql")]
        assert tokens == [None, "100", "200"]

    def test_server_pages_advance_start_at(self, rsps: responses.RequestsMock) -> None:
        """DC pages ask for startAt 0, 100, 200 with maxResults 100."""
        FakeJira(rsps, cloud=False, issues=[issue(SERVER, n) for n in range(1, 251)]).install()

        adapter(cloud=False).fetch(None)

        searched = calls(rsps, "GET", "/rest/api/2/search")
        assert [r.params["startAt"] for r in searched] == ["0", "100", "200"]
        assert {r.params["maxResults"] for r in searched} == {"100"}

    def test_only_the_fields_syncd_reads_are_asked_for(self, rsps: responses.RequestsMock) -> None:
        """The search names its fields instead of `*all`."""
        FakeJira(rsps, issues=[issue(CLOUD, 1)]).install()

        adapter().fetch(None)

        asked = calls(rsps, "GET", "search/jql")[0].params["fields"]
        assert "timeoriginalestimate" in asked and "*all" not in asked

    def test_an_incremental_search_asks_from_the_watermark_in_the_user_zone(
        self, rsps: responses.RequestsMock
    ) -> None:
        """since (the service already took its overlap off) in the user's zone, floored."""
        site = FakeJira(rsps, time_zone="America/Detroit").install()
        since = datetime(2026, 11, 26, 15, 0, 59, tzinfo=UTC)

        adapter().fetch(since)

        assert site.searches == [
            '(project = SUP AND labels = escalation) AND updated >= "2026-11-26 10:00" '
            "ORDER BY updated ASC"
        ]

    def test_an_explicit_overlap_reaches_further_back(self, rsps: responses.RequestsMock) -> None:
        """An adapter built with a two-minute overlap asks from two minutes before since."""
        site = FakeJira(rsps, time_zone="America/Detroit").install()
        made = JiraAdapter(
            tracker(), ESTIMATES, timeout=5, overlap=timedelta(minutes=2), clock=lambda: NOW
        )

        made.fetch(datetime(2026, 11, 26, 15, 0, 59, tzinfo=UTC))

        assert 'updated >= "2026-11-26 09:58"' in site.searches[0]

    def test_an_incremental_search_with_no_result_is_unchanged(
        self, rsps: responses.RequestsMock
    ) -> None:
        """Nothing updated since the watermark: unchanged, not complete, watermark at the search."""
        FakeJira(rsps).install()
        made = adapter()
        made.fetch(None)

        fetched = made.fetch(NOW)

        assert fetched.unchanged and not fetched.complete
        assert fetched.watermark == NOW
        assert fetched.requests == 1

    def test_the_watermark_is_when_the_search_started(self, rsps: responses.RequestsMock) -> None:
        """Issues updated hours ago still move the watermark to the search time (the clock).

        Were it the latest `updated`, every later search would read those issues again.
        """
        FakeJira(
            rsps,
            issues=[
                issue(CLOUD, 1, updated="2026-11-26T10:15:00.000+0200"),
                issue(CLOUD, 2, updated="2026-11-26T11:30:00.000+0200"),
            ],
        ).install()

        fetched = adapter().fetch(NOW - timedelta(hours=6))

        assert fetched.watermark == NOW

    def test_jiras_own_clock_sets_the_watermark_when_it_is_behind(
        self, rsps: responses.RequestsMock
    ) -> None:
        """The search answer's Date (Jira 5 minutes behind syncd) is the watermark, not our clock.

        With our clock, a change Jira stamps in those 5 minutes would fall before the next search.
        """
        behind = NOW - timedelta(minutes=5)
        FakeJira(
            rsps,
            issues=[issue(CLOUD, 1, updated="2026-11-26T10:15:00.000+0200")],
            date=format_datetime(behind, usegmt=True),
        ).install()

        fetched = adapter().fetch(NOW - timedelta(hours=6))

        assert fetched.watermark == behind

    def test_an_update_after_the_search_started_is_the_watermark(
        self, rsps: responses.RequestsMock
    ) -> None:
        """With Jira's clock ahead of syncd's, the largest `updated` (in UTC) wins."""
        FakeJira(
            rsps,
            issues=[
                issue(CLOUD, 1, updated="2026-11-26T14:15:00.000+0200"),
                issue(CLOUD, 2, updated="2026-11-26T14:03:00.000+0200"),
            ],
        ).install()

        fetched = adapter().fetch(NOW - timedelta(hours=1))

        assert fetched.watermark == datetime(2026, 11, 26, 12, 15, tzinfo=UTC)

    def test_an_issue_with_bad_data_is_skipped_and_logged(
        self, rsps: responses.RequestsMock
    ) -> None:
        """An issue without a readable `updated` is left out, the others come through."""
        FakeJira(rsps, issues=[issue(CLOUD, 1, updated="yesterday"), issue(CLOUD, 2)]).install()

        fetched = adapter().fetch(None)

        assert [s.key for s in fetched.snapshots] == ["SUP-2"]

    def test_a_rejected_jql_names_the_problem(self, rsps: responses.RequestsMock) -> None:
        """A 400 on the search is a TrackerError quoting Jira's errorMessages."""
        site = FakeJira(rsps)
        rsps.get(
            site.api("search/jql"),
            status=400,
            json={"errorMessages": ["Field 'lables' does not exist."], "errors": {}},
        )
        site.install()

        with pytest.raises(TrackerError, match="Field 'lables' does not exist"):
            adapter().fetch(None)


class TestEstimates:
    """Time tracking seconds and story points through /field."""

    def test_time_tracking_seconds_are_the_estimate(self, rsps: responses.RequestsMock) -> None:
        """timeoriginalestimate of 3 working days reads as 3d."""
        FakeJira(rsps, issues=[issue(CLOUD, 1, timeoriginalestimate=3 * 8 * 3600)]).install()

        (snapshot,) = adapter().fetch(None).snapshots

        assert snapshot.estimate == 3 * 8 * 3600
        assert snapshot.estimate_text == "3d"

    def test_a_shorter_jira_working_day_is_rescaled_to_syncds(
        self, rsps: responses.RequestsMock
    ) -> None:
        """With 7h Jira days, a Jira "2d" (14h) counts as syncd's 2d (16h)."""
        site = FakeJira(
            rsps, working_hours=7, issues=[issue(CLOUD, 1, timeoriginalestimate=14 * 3600)]
        )
        site.install()

        (snapshot,) = adapter().fetch(None).snapshots

        assert snapshot.estimate == 16 * 3600
        assert snapshot.estimate_text == "2d"

    def test_story_points_are_resolved_by_name_and_converted(
        self, rsps: responses.RequestsMock
    ) -> None:
        """ "story point estimate" finds customfield_10016; 3 points at 0.5d are 1.5 days."""
        FakeJira(rsps, issues=[issue(CLOUD, 1, customfield_10016=3)]).install()
        made = adapter(estimate=JiraEstimate(field="story point estimate", days_per_point=0.5))

        (snapshot,) = made.fetch(None).snapshots

        assert snapshot.estimate == 1.5 * 8 * 3600
        assert snapshot.estimate_text == "3 points (1d 4h)"
        assert "customfield_10016" in calls(rsps, "GET", "search/jql")[0].params["fields"]

    def test_an_unknown_estimate_field_is_not_found_by_name(
        self, rsps: responses.RequestsMock
    ) -> None:
        """A field Jira does not have is a NotFound naming it."""
        FakeJira(rsps).install()
        made = adapter(estimate=JiraEstimate(field="Effort Points", days_per_point=1))

        with pytest.raises(NotFound, match="'Effort Points'"):
            made.fetch(None)


class TestWrites:
    """Labels, assignment and comments: one request each, with the exact bodies."""

    def test_adding_a_label_sends_one_update_put(self, rsps: responses.RequestsMock) -> None:
        """add_label PUTs an `update` with one add, and the label lands."""
        site = FakeJira(rsps, issues=[issue(CLOUD, 7)]).install()
        made = adapter()

        made.add_label("SUP-7", "tier/fire")

        (put,) = calls(rsps, "PUT", "/rest/api/2/issue/SUP-7")
        assert json.loads(put.body) == {"update": {"labels": [{"add": "tier/fire"}]}}
        assert site.find("SUP-7")["fields"]["labels"] == ["escalation", "tier/fire"]
        assert made.stats.writes == 1

    def test_adding_labels_sends_one_update_put(self, rsps: responses.RequestsMock) -> None:
        """add_labels PUTs one `update` with an add per label, and both land."""
        site = FakeJira(rsps, issues=[issue(CLOUD, 7)]).install()
        made = adapter()

        made.add_labels("SUP-7", ("tier/fire", "needs-team"))

        (put,) = calls(rsps, "PUT", "/rest/api/2/issue/SUP-7")
        adds = [{"add": "tier/fire"}, {"add": "needs-team"}]
        assert json.loads(put.body) == {"update": {"labels": adds}}
        assert site.find("SUP-7")["fields"]["labels"] == ["escalation", "tier/fire", "needs-team"]
        assert made.stats.writes == 1

    def test_removing_a_label_sends_one_update_put(self, rsps: responses.RequestsMock) -> None:
        """remove_label PUTs an `update` with one remove."""
        site = FakeJira(rsps, issues=[issue(CLOUD, 7, labels=("escalation", "tier/queue"))])
        site.install()

        adapter().remove_label("SUP-7", "tier/queue")

        (put,) = calls(rsps, "PUT", "/rest/api/2/issue/SUP-7")
        assert json.loads(put.body) == {"update": {"labels": [{"remove": "tier/queue"}]}}
        assert site.find("SUP-7")["fields"]["labels"] == ["escalation"]

    def test_cloud_assigns_by_account_id(self, rsps: responses.RequestsMock) -> None:
        """Cloud: PUT .../assignee with accountId, no user search."""
        acct = "5b10ac8d82e05b22cc7d4ef5"
        site = FakeJira(rsps, issues=[issue(CLOUD, 7)], assignable={acct}).install()

        adapter().assign("SUP-7", acct, replacing=None)

        (put,) = calls(rsps, "PUT", "/rest/api/2/issue/SUP-7/assignee")
        assert json.loads(put.body) == {"accountId": acct}
        assert site.find("SUP-7")["fields"]["assignee"]["accountId"] == acct
        assert not calls(rsps, "GET", "user/search")

    def test_server_assigns_by_username(self, rsps: responses.RequestsMock) -> None:
        """Server/DC: PUT .../assignee with name."""
        site = FakeJira(rsps, cloud=False, issues=[issue(SERVER, 7)], assignable={"bob"})
        site.install()

        adapter(cloud=False).assign("SUP-7", "bob", replacing="alice")

        (put,) = calls(rsps, "PUT", "/rest/api/2/issue/SUP-7/assignee")
        assert json.loads(put.body) == {"name": "bob"}
        assert site.find("SUP-7")["fields"]["assignee"]["name"] == "bob"

    def test_an_unknown_user_is_unassignable(self, rsps: responses.RequestsMock) -> None:
        """Jira's 400 for the assignee becomes Unassignable carrying the identity."""
        FakeJira(rsps, issues=[issue(CLOUD, 7)]).install()
        made = adapter()

        with pytest.raises(Unassignable) as raised:
            made.assign("SUP-7", "nobody-account", replacing=None)

        assert raised.value.identity == "nobody-account"
        assert made.stats.writes == 0

    @pytest.mark.parametrize(("cloud", "key"), [(True, "accountId"), (False, "name")])
    def test_unassigning_sends_a_null_user(
        self, rsps: responses.RequestsMock, cloud: bool, key: str
    ) -> None:
        """unassign PUTs a null accountId (Cloud) or null name (DC)."""
        base = CLOUD if cloud else SERVER
        FakeJira(rsps, cloud=cloud, issues=[issue(base, 7)]).install()

        adapter(cloud).unassign("SUP-7", "whoever")

        (put,) = calls(rsps, "PUT", "/rest/api/2/issue/SUP-7/assignee")
        assert json.loads(put.body) == {key: None}

    def test_a_comment_is_posted_with_the_marker_in_a_property(
        self, rsps: responses.RequestsMock
    ) -> None:
        """The first flag comment is posted without a visible marker; a property carries it."""
        site = FakeJira(rsps, issues=[issue(CLOUD, 7)]).install()

        posted = adapter().comment("SUP-7", "Estimated at 3d, above 2d.", "[syncd:over-estimate]")

        assert posted is True
        assert site.comments["SUP-7"] == ["Estimated at 3d, above 2d."]
        marker = {"key": "syncd", "value": {"marker": "[syncd:over-estimate]"}}
        assert site.properties["SUP-7", 0] == [marker]

    def test_a_marker_already_on_a_later_page_stops_a_second_comment(
        self, rsps: responses.RequestsMock
    ) -> None:
        """With the marker in comment 150 of 180, nothing is posted."""
        texts = [f"comment {n}" for n in range(180)]
        texts[150] = "handed over\n\n[syncd:over-estimate]"
        site = FakeJira(rsps, issues=[issue(CLOUD, 7)], comments={"SUP-7": texts}).install()

        posted = adapter().comment("SUP-7", "Estimated at 3d.", "[syncd:over-estimate]")

        assert posted is False
        assert len(site.comments["SUP-7"]) == 180
        assert not calls(rsps, "POST", "/comment")

    def test_commenting_twice_posts_once(self, rsps: responses.RequestsMock) -> None:
        """The second call finds the first comment's marker."""
        site = FakeJira(rsps, issues=[issue(CLOUD, 7)]).install()
        made = adapter()

        first = made.comment("SUP-7", "Estimated at 3d.", "[syncd:over-estimate]")
        second = made.comment("SUP-7", "Estimated at 3d.", "[syncd:over-estimate]")

        assert (first, second) == (True, False)
        assert len(site.comments["SUP-7"]) == 1


class TestErrors:
    """Failures become syncd errors that never show the credentials."""

    def _failing_search(self, rsps: responses.RequestsMock, **reply: Any) -> JiraAdapter:
        site = FakeJira(rsps)
        rsps.get(site.api("search/jql"), **reply)
        site.install()
        return adapter()

    def test_a_429_with_retry_after_is_rate_limited_until_then(
        self, rsps: responses.RequestsMock
    ) -> None:
        """Retry-After: 30 pauses the tracker until now + 30 s."""
        made = self._failing_search(rsps, status=429, headers={"Retry-After": "30"}, json={})

        with pytest.raises(RateLimited) as raised:
            made.fetch(None)

        assert raised.value.until == NOW + timedelta(seconds=30)

    def test_a_503_with_retry_after_is_rate_limited(self, rsps: responses.RequestsMock) -> None:
        """503 with Retry-After is a pause too."""
        made = self._failing_search(rsps, status=503, headers={"Retry-After": "5"}, json={})

        with pytest.raises(RateLimited):
            made.fetch(None)

    def test_a_server_error_is_unavailable(self, rsps: responses.RequestsMock) -> None:
        """A 502 makes the tracker unavailable for this cycle."""
        made = self._failing_search(rsps, status=502, body="<html>Bad gateway</html>")

        with pytest.raises(TrackerUnavailable, match="HTTP 502"):
            made.fetch(None)

    def test_a_401_is_an_auth_failure(self, rsps: responses.RequestsMock) -> None:
        """Bad credentials stop the tracker with AuthFailed."""
        rsps.get(f"{CLOUD}/rest/api/2/serverInfo", status=401, json={"errorMessages": ["no"]})

        with pytest.raises(AuthFailed, match="HTTP 401"):
            adapter().fetch(None)

    def test_malformed_json_is_unavailable(self, rsps: responses.RequestsMock) -> None:
        """A 200 with a broken body is TrackerUnavailable, not a traceback."""
        made = self._failing_search(rsps, status=200, body='{"issues": [')

        with pytest.raises(TrackerUnavailable, match="not valid JSON"):
            made.fetch(None)

    def test_a_timeout_is_unavailable(self, rsps: responses.RequestsMock) -> None:
        """A read timeout is TrackerUnavailable."""
        made = self._failing_search(rsps, body=requests.ReadTimeout("slow"))

        with pytest.raises(TrackerUnavailable, match=r"acme\.atlassian\.net: timed out"):
            made.fetch(None)

    @pytest.mark.parametrize("status", [400, 401, 403, 404, 429, 500])
    def test_credentials_never_appear_in_error_messages(
        self, rsps: responses.RequestsMock, status: int
    ) -> None:
        """Even when Jira echoes the request, the message holds neither token nor email."""
        echo = f"Authorization: Basic {TOKEN} {EMAIL}"
        made = self._failing_search(rsps, status=status, body=echo)

        with pytest.raises(TrackerError) as raised:
            made.fetch(None)

        assert TOKEN not in str(raised.value)
        assert EMAIL not in str(raised.value)


def _assignees(*people: str) -> tuple[Assignee, ...]:
    return tuple(Assignee(person, "rotation member") for person in people)


class TestOnlineChecks:
    """`check --online` results for a Jira tracker."""

    def _people(self) -> dict[str, Person]:
        return {
            "alice": Person("alice", {"jira": "acct-alice"}),
            "bob": Person("bob", {"jira": "acct-bob"}),
            "carol": Person("carol"),
        }

    def _serve_assignable(self, rsps: responses.RequestsMock, site: FakeJira) -> None:
        def answer(request: Any) -> tuple[int, dict[str, str], str]:
            wanted = request.params.get("accountId")
            users = [{"accountId": wanted}] if wanted in site.assignable else []
            return 200, {}, json.dumps(users)

        rsps.add_callback("GET", site.api("user/assignable/search"), callback=answer)

    def _serve_accounts(self, rsps: responses.RequestsMock, site: FakeJira, *ids: str) -> None:
        """GET /user?accountId=: the account for `ids`, Cloud's 404 for anyone else."""

        def answer(request: Any) -> tuple[int, dict[str, str], str]:
            wanted = request.params.get("accountId")
            if wanted in ids:
                return 200, {}, json.dumps({"accountId": wanted, "active": True})
            missing = "Specified user does not exist or you do not have required permissions"
            return 404, {}, json.dumps({"errorMessages": [missing], "errors": {}})

        rsps.add_callback("GET", site.api("user"), callback=answer)

    def test_every_check_is_reported(self, rsps: responses.RequestsMock) -> None:
        """Credentials, field and JQL pass; alice is assignable, bob is not, carol has no id."""
        site = FakeJira(rsps, issues=[issue(CLOUD, 1)], assignable={"acct-alice"}).install()
        self._serve_assignable(rsps, site)
        self._serve_accounts(rsps, site, "acct-alice", "acct-bob")

        results = adapter().check_online(self._people(), _assignees("alice", "bob", "carol"), ())

        outcome = {r.check: (r.outcome, r.detail) for r in results}
        assert {r.tracker for r in results} == {"support"}
        assert outcome["connect and credentials"] == (Outcome.OK, "Jira cloud")
        assert outcome["estimate field"] == (Outcome.OK, "timeoriginalestimate")
        assert outcome["JQL"] == (Outcome.OK, "reaches SUP")
        assert outcome["alice is assignable"] == (Outcome.OK, "ok")
        assert outcome["bob is assignable"] == (Outcome.WARN, "not assignable in SUP")
        assert outcome["carol is assignable"][0] is Outcome.WARN

    def test_an_account_that_does_not_exist_is_a_blocking_result(
        self, rsps: responses.RequestsMock
    ) -> None:
        """404 from /user: a mistyped accountId fails the check instead of warning."""
        site = FakeJira(rsps, issues=[issue(CLOUD, 1)], assignable={"acct-alice"}).install()
        self._serve_assignable(rsps, site)
        self._serve_accounts(rsps, site, "acct-alice")

        results = adapter().check_online(self._people(), _assignees("alice", "bob"), ())

        (bob,) = [r for r in results if "bob" in r.check]
        assert (bob.check, bob.outcome) == ("bob exists", Outcome.FAIL)
        assert bob.detail == "no Jira account acct-bob: check people.bob"

    def test_bad_credentials_are_one_failed_result(self, rsps: responses.RequestsMock) -> None:
        """A 401 is reported, not raised."""
        rsps.get(f"{CLOUD}/rest/api/2/serverInfo", status=401, json={})

        results = adapter().check_online(self._people(), _assignees("alice"), ())

        assert [(r.check, r.outcome) for r in results] == [
            ("connect and credentials", Outcome.FAIL)
        ]


class TestWorkingHours:
    """The site's working day from /configuration."""

    def test_a_forbidden_configuration_means_eight_hours(
        self, rsps: responses.RequestsMock
    ) -> None:
        """403 on /configuration falls back to 8h days: 16h of time tracking reads as 2d."""
        site = FakeJira(
            rsps, working_hours=7, issues=[issue(CLOUD, 1, timeoriginalestimate=16 * 3600)]
        )
        rsps.get(site.api("configuration"), status=403, json={"errorMessages": ["no"]})
        site.install()

        (snapshot,) = adapter().fetch(None).snapshots

        assert snapshot.estimate_text == "2d"

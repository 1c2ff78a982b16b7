"""JiraAdapter.fetch_one: one search of the tracker's JQL and the key, for a webhook's hint."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import responses
from jira_site_fake import CLOUD, SERVER, FakeJira, issue

from syncd.adapters.jira.client import JiraAdapter
from syncd.config.model import Estimates, JiraTracker, Secret
from syncd.errors import QueryRejected, RateLimited

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
JQL = "project = SUP AND labels = escalation ORDER BY created DESC"
UNKNOWN_KEY = {
    "errorMessages": ["An issue with key 'SUP-7' does not exist for field 'key'."],
    "errors": {},
}


def adapter(cloud: bool) -> JiraAdapter:
    """An adapter for the fake site (Cloud or Server/DC) with a fixed clock."""
    config = JiraTracker(
        name="support",
        url=CLOUD if cloud else SERVER,
        token=Secret("tok-s3cr3t-value", "${JIRA_API_TOKEN}"),
        jql=JQL,
        email=Secret("bot@acme.example", "${JIRA_EMAIL}") if cloud else None,
    )
    return JiraAdapter(config, Estimates(limit=57600.0), timeout=5, clock=lambda: NOW)


def search_path(cloud: bool) -> str:
    """The search the listing uses: `search/jql` on Cloud, `search` on Server/DC."""
    return "/rest/api/2/search/jql" if cloud else "/rest/api/2/search"


def searches(rsps: responses.RequestsMock, cloud: bool) -> list[dict[str, list[str]]]:
    """The query of every search request sent."""
    return [
        parse_qs(urlparse(str(call.request.url)).query)
        for call in rsps.calls
        if urlparse(str(call.request.url)).path == search_path(cloud)
    ]


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.mark.parametrize("cloud", [True, False], ids=["cloud", "data center"])
class TestFetchOne:
    """The issue comes from one search, on each deployment's search path."""

    def test_an_open_escalation_is_the_listings_snapshot(
        self, rsps: responses.RequestsMock, cloud: bool
    ) -> None:
        """The issue the JQL and key find is mapped exactly as the listing maps it."""
        base = CLOUD if cloud else SERVER
        FakeJira(rsps, cloud=cloud, issues=[issue(base, 7, votes={"votes": 2})]).install()
        made = adapter(cloud)
        listed = made.fetch(None).snapshots

        found = made.fetch_one("SUP-7")

        assert found is not None
        assert (found,) == listed
        assert (found.key, found.reporters) == ("SUP-7", 3)

    def test_it_costs_one_search_of_the_jql_and_the_key(
        self, rsps: responses.RequestsMock, cloud: bool
    ) -> None:
        """Once the site is known: one request, the JQL (order dropped) AND the quoted key."""
        base = CLOUD if cloud else SERVER
        FakeJira(rsps, cloud=cloud, issues=[issue(base, 7)]).install()
        made = adapter(cloud)
        made.fetch(None)
        before, listing = made.stats.requests, searches(rsps, cloud)[-1]

        made.fetch_one("SUP-7")

        sent = searches(rsps, cloud)[-1]
        assert made.stats.requests - before == 1
        assert sent["jql"] == ['(project = SUP AND labels = escalation) AND key = "SUP-7"']
        assert sent["fields"] == listing["fields"]

    def test_the_first_call_learns_the_site_then_searches_once(
        self, rsps: responses.RequestsMock, cloud: bool
    ) -> None:
        """Before any fetch, the site's facts are learnt first, as fetch learns them."""
        base = CLOUD if cloud else SERVER
        FakeJira(rsps, cloud=cloud, issues=[issue(base, 7)]).install()
        made = adapter(cloud)

        assert made.fetch_one("SUP-7") is not None
        assert made.deployment == ("cloud" if cloud else "server")
        assert len(searches(rsps, cloud)) == 1

    def test_an_issue_outside_the_jql_is_none(
        self, rsps: responses.RequestsMock, cloud: bool
    ) -> None:
        """Closed or relabelled: the search finds nothing, and that is None."""
        FakeJira(rsps, cloud=cloud, issues=[]).install()

        assert adapter(cloud).fetch_one("SUP-7") is None

    def test_a_key_jira_does_not_know_is_none(
        self, rsps: responses.RequestsMock, cloud: bool
    ) -> None:
        """Jira's 400 "An issue with key 'SUP-7' does not exist" (deleted, hidden) is None."""
        site = FakeJira(rsps, cloud=cloud)
        rsps.get(site.api("search/jql" if cloud else "search"), status=400, json=UNKNOWN_KEY)
        site.install()

        assert adapter(cloud).fetch_one("SUP-7") is None

    def test_another_400_is_the_jqls_fault(self, rsps: responses.RequestsMock, cloud: bool) -> None:
        """A 400 about anything but the key is QueryRejected, as the listing reports it."""
        site = FakeJira(rsps, cloud=cloud)
        problem = {"errorMessages": ["Field 'labes' does not exist."], "errors": {}}
        rsps.get(site.api("search/jql" if cloud else "search"), status=400, json=problem)
        site.install()

        with pytest.raises(QueryRejected, match="labes"):
            adapter(cloud).fetch_one("SUP-7")

    def test_a_rate_limit_is_rate_limited(self, rsps: responses.RequestsMock, cloud: bool) -> None:
        """429 with Retry-After: 30 pauses the tracker until now + 30 s."""
        site = FakeJira(rsps, cloud=cloud)
        path = site.api("search/jql" if cloud else "search")
        rsps.get(path, status=429, headers={"Retry-After": "30"}, json={})
        site.install()

        with pytest.raises(RateLimited) as raised:
            adapter(cloud).fetch_one("SUP-7")

        assert raised.value.until == NOW + timedelta(seconds=30)


class TestUntrustedKeys:
    """A key from a delivery is untrusted text: only a real Jira key reaches JQL."""

    @pytest.mark.parametrize(
        "key",
        [
            'SUP-7" OR project = OPS OR key = "SUP-8',
            "SUP-7\n",
            "sup-7",
            "SUP-07",
            "SUP-",
            "7",
            "acme/web#7",
            "",
        ],
    )
    def test_anything_but_a_jira_key_is_none_without_a_request(
        self, rsps: responses.RequestsMock, key: Any
    ) -> None:
        """No request at all, not even to learn the site."""
        FakeJira(rsps, issues=[issue(CLOUD, 7)]).install()
        made = adapter(True)

        assert made.fetch_one(key) is None
        assert len(rsps.calls) == 0

"""What the Jira adapter learns about its site, kept in a store and read back by the next one."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import responses
from jira_site_fake import CLOUD, SERVER, FakeJira, issue

from syncd.adapters.jira.client import JiraAdapter
from syncd.adapters.jira.facts import MemorySiteFacts, SiteFactsStore, site_key
from syncd.config.model import Estimates, JiraEstimate, JiraTracker, Secret
from syncd.errors import QueryRejected

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
MAX_AGE = timedelta(hours=24)
POINTS = JiraEstimate(field="story point estimate", days_per_point=0.5)
SITE_CALLS = ("serverInfo", "myself", "configuration", "field")


def tracker(cloud: bool = True, **changes: Any) -> JiraTracker:
    """A Jira tracker config for the fake site."""
    settings = {
        "name": "support",
        "url": CLOUD if cloud else SERVER,
        "token": Secret("tok-s3cr3t-value", "${JIRA_API_TOKEN}"),
        "jql": "project = SUP",
        "email": Secret("bot@acme.example", "${JIRA_EMAIL}") if cloud else None,
    }
    return JiraTracker(**(settings | changes))


def adapter(
    facts: SiteFactsStore, config: JiraTracker | None = None, now: datetime = NOW
) -> JiraAdapter:
    """An adapter keeping its site facts in `facts`, with a fixed clock."""
    return JiraAdapter(
        config or tracker(),
        Estimates(limit=57600.0),
        timeout=5,
        clock=lambda: now,
        facts=facts,
        facts_max_age=MAX_AGE,
    )


def sent(rsps: responses.RequestsMock) -> Counter[str]:
    """The requests sent so far, by the last part of their REST path."""
    return Counter(c.request.path_url.split("?")[0].split("/api/2/")[1] for c in rsps.calls)


def site_calls(rsps: responses.RequestsMock) -> Counter[str]:
    """The requests sent so far that learn about the site, not search or write."""
    return Counter({path: n for path, n in sent(rsps).items() if path in SITE_CALLS})


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    """A strict-free responses mock (not every endpoint is used by every test)."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


class TestKeptFacts:
    """A second adapter over the same store asks the site nothing but its search."""

    @pytest.mark.parametrize("cloud", [True, False])
    def test_a_second_adapter_over_the_same_store_only_searches(
        self, rsps: responses.RequestsMock, cloud: bool
    ) -> None:
        """The first learns serverInfo, myself, configuration, fields; the second none of them."""
        base = CLOUD if cloud else SERVER
        FakeJira(rsps, cloud=cloud, issues=[issue(base, 1, customfield_10016=3)]).install()
        store = MemorySiteFacts()
        config = tracker(cloud, estimate=POINTS)
        adapter(store, config).fetch(None)
        rsps.calls.reset()

        fetched = adapter(store, config, NOW + timedelta(hours=1)).fetch(None)

        assert sent(rsps) == Counter({"search/jql" if cloud else "search": 1})
        assert fetched.requests == 1
        (snapshot,) = fetched.snapshots
        assert snapshot.estimate == 1.5 * 8 * 3600  # the kept field id and working day

    def test_the_kept_facts_are_those_learnt(self, rsps: responses.RequestsMock) -> None:
        """The store holds the flavour, zone, working day and field ids, dated by the clock."""
        FakeJira(rsps, cloud=False, time_zone="America/New_York", working_hours=7).install()
        store = MemorySiteFacts()

        adapter(store, tracker(False, estimate=POINTS)).fetch(None)

        kept = store.learnt()
        assert kept is not None and kept.at == NOW
        assert kept.facts.deployment == "server"
        assert kept.facts.tz.key == "America/New_York"
        assert kept.facts.hours_per_day == 7
        assert kept.facts.points_field == kept.facts.estimate_field == "customfield_10016"

    @pytest.mark.parametrize(("cloud", "estimate"), [(True, JiraEstimate()), (False, POINTS)])
    def test_learning_a_site_lists_its_fields_at_most_once(
        self, rsps: responses.RequestsMock, cloud: bool, estimate: JiraEstimate
    ) -> None:
        """Story points on DC: one field list, not a second for the library; time tracking: none."""
        FakeJira(rsps, cloud=cloud).install()

        adapter(MemorySiteFacts(), tracker(cloud, estimate=estimate)).fetch(None)

        expected = {"serverInfo": 1, "myself": 1, "configuration": 1}
        assert site_calls(rsps) == Counter(expected | ({} if cloud else {"field": 1}))


class TestRelearning:
    """Kept facts are learnt again when old, learnt for another config, or wrong."""

    def kept(self, rsps: responses.RequestsMock, config: JiraTracker) -> MemorySiteFacts:
        """A store holding the facts an adapter learnt at NOW; the calls so far forgotten."""
        store = MemorySiteFacts()
        adapter(store, config).fetch(None)
        rsps.calls.reset()
        return store

    def test_facts_older_than_the_max_age_are_learnt_again(
        self, rsps: responses.RequestsMock
    ) -> None:
        """A day later the site is asked again, and the new facts are kept with the new date."""
        FakeJira(rsps).install()
        store = self.kept(rsps, tracker())

        adapter(store, tracker(), NOW + MAX_AGE).fetch(None)

        assert site_calls(rsps) == Counter({"serverInfo": 1, "myself": 1, "configuration": 1})
        kept = store.learnt()
        assert kept is not None and kept.at == NOW + MAX_AGE

    @pytest.mark.parametrize(
        "other",
        [
            tracker(estimate=POINTS),
            tracker(email=Secret("other@acme.example", "${JIRA_EMAIL}")),
            tracker(cloud=False),
        ],
        ids=["estimate field", "user", "site"],
    )
    def test_facts_learnt_for_another_config_are_learnt_again(
        self, rsps: responses.RequestsMock, other: JiraTracker
    ) -> None:
        """Another estimate field, API user or site URL: the kept facts are not used."""
        FakeJira(rsps).install()
        FakeJira(rsps, cloud=False).install()
        store = self.kept(rsps, tracker())

        adapter(store, other).fetch(None)

        assert site_calls(rsps)["serverInfo"] == 1
        kept = store.learnt()
        assert kept is not None and kept.site == site_key(other)

    def test_a_kept_field_id_jira_no_longer_knows_is_learnt_again(
        self, rsps: responses.RequestsMock
    ) -> None:
        """A story-points field re-created under a new id: a 400, the site again, a search again."""
        site = FakeJira(rsps, issues=[issue(CLOUD, 1, customfield_10016=3)]).install()
        store = self.kept(rsps, tracker(estimate=POINTS))
        site.fields = [
            f | {"id": "customfield_10099"} if f["id"] == "customfield_10016" else f
            for f in site.fields
        ]
        site.issues = [issue(CLOUD, 1, customfield_10099=3)]

        fetched = adapter(store, tracker(estimate=POINTS)).fetch(None)

        (snapshot,) = fetched.snapshots
        assert snapshot.estimate == 1.5 * 8 * 3600
        assert site_calls(rsps) == Counter(
            {"serverInfo": 1, "myself": 1, "configuration": 1, "field": 1}
        )
        assert sent(rsps)["search/jql"] == 2
        kept = store.learnt()
        assert kept is not None and kept.facts.points_field == "customfield_10099"

    def test_a_query_rejected_over_facts_that_are_still_right_is_rejected(
        self, rsps: responses.RequestsMock
    ) -> None:
        """Learning again changed nothing: the 400 stands, and the search is not sent again."""
        site = FakeJira(rsps)
        store = self.kept(site.install().rsps, tracker())
        rsps.calls.reset()
        rejected = {"errorMessages": ["Field 'lables' does not exist."], "errors": {}}
        rsps.replace(responses.GET, site.api("search/jql"), status=400, json=rejected)

        with pytest.raises(QueryRejected, match="'lables'"):
            adapter(store, tracker()).fetch(None)

        assert sent(rsps)["search/jql"] == 1
        assert site_calls(rsps)["serverInfo"] == 1

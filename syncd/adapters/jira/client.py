"""The Jira adapter: a Tracker on the `jira` library, for Cloud and Server/Data Center."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import requests
import structlog
from jira.exceptions import JIRAError

from syncd.adapters.jira.comments import FlagComments
from syncd.adapters.jira.facts import (
    Deployment,
    LearntFacts,
    MemorySiteFacts,
    SiteFactsStore,
    site_key,
)
from syncd.adapters.jira.mapping import to_snapshot
from syncd.adapters.jira.online import check_online
from syncd.adapters.jira.query import incremental_jql
from syncd.adapters.jira.search import pages
from syncd.adapters.jira.single import search_key, valid_key
from syncd.adapters.jira.site import AdapterStats, Site, connect, reopen
from syncd.adapters.jira.translate import assignee_refused, translated
from syncd.config.model import Estimates, JiraTracker, Person
from syncd.domain.issue import IssueSnapshot
from syncd.errors import QueryRejected, TrackerError, Unassignable
from syncd.service_layer.checks import Assignee, CheckRow
from syncd.service_layer.rate_limits import http_date
from syncd.service_layer.tracker import Fetch, StopRequested, never

log = structlog.get_logger(__name__)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class JiraAdapter:
    """A syncd Tracker for one Jira site; connects on first use, never at construction.

    What it learns about the site there (syncd.adapters.jira.facts) is kept in `facts` and read
    back by
    the next adapter over the same store, until it is `facts_max_age` old or the config names
    another site, user or estimate field.
    """

    def __init__(
        self,
        config: JiraTracker,
        estimates: Estimates,
        *,
        timeout: float = 30.0,
        # The service already asks from its watermark minus the reconciling module's OVERLAP; a
        # second default overlap here only made every changed issue come back for more cycles.
        overlap: timedelta = timedelta(0),
        clock: Callable[[], datetime] = _utcnow,
        stop_requested: StopRequested = never,
        facts: SiteFactsStore | None = None,
        facts_max_age: timedelta = timedelta(days=1),
    ) -> None:
        self._config = config
        self._facts = facts if facts is not None else MemorySiteFacts()
        self._facts_max_age = facts_max_age
        self._facts_kept = False  # whether the site's facts came from the store, not the site
        self._estimates = estimates
        self._timeout = timeout
        self._stop_requested = stop_requested  # looked at before each search page
        self._overlap = overlap
        self._clock = clock
        self._site: Site | None = None
        self._answered_at: datetime | None = None
        self.stats = AdapterStats()
        self._comments = FlagComments(config.name, clock, self.stats)

    @property
    def name(self) -> str:
        """The tracker's name from the config."""
        return self._config.name

    @property
    def deployment(self) -> Deployment | None:
        """ "cloud" or "server" once connected; None before."""
        return self._site.deployment if self._site else None

    @property
    def config(self) -> JiraTracker:
        """The tracker's configuration."""
        return self._config

    @property
    def jql(self) -> str:
        """The configured JQL, as written."""
        return self._config.jql

    @property
    def clock(self) -> Callable[[], datetime]:
        """The clock used to date rate-limit pauses."""
        return self._clock

    def _where(self, action: str) -> str:
        return f"jira tracker {self.name!r}: {action}"

    def _count(self, response: requests.Response, *args: object, **kwargs: object) -> None:
        self.stats.requests += 1
        if self._answered_at is None:
            self._answered_at = http_date(response.headers.get("Date"))

    def site(self) -> Site:
        """The connected site: with the facts kept in the store, else learnt from the site."""
        if self._site is None:
            with translated(self._where("connect"), self._clock):
                self._site = self._open()
        return self._site

    def _open(self) -> Site:
        kept = self._facts.learnt()
        if kept is not None and kept.usable(
            site_key(self._config), self._clock(), self._facts_max_age
        ):
            self._facts_kept = True
            return reopen(self._config, self._timeout, self._count, kept.facts)
        return self._learn()

    def _learn(self) -> Site:
        """Learn the site's facts (serverInfo, myself, configuration, fields) and keep them."""
        site = connect(self._config, self._timeout, self._count)
        self._facts.remember(LearntFacts(site_key(self._config), self._clock(), site.facts))
        self._facts_kept = False
        return site

    def fetch(self, since: datetime | None) -> Fetch:
        """Open escalations updated at or after `since` (minus the overlap), or all when None.

        Raises FetchStopped instead of the next search page once a stop was asked for.
        """
        site = self.site()
        before = self.stats.requests
        try:
            found = self._search(site, since)
        except QueryRejected:
            # A field id kept from an earlier run may be gone (a custom field re-created): learn
            # the site again, and search again only if that changed what syncd asks for.
            if not self._facts_kept:
                raise
            with translated(self._where("connect"), self._clock):
                self._site = self._learn()
            if self._site.facts == site.facts:
                raise
            found = self._search(self._site, since)
        return replace(found, requests=self.stats.requests - before)

    def fetch_one(self, key: str) -> IssueSnapshot | None:
        """The issue `key` as a listing would return it, or None when it is not an open
        escalation of this tracker: outside the JQL (closed, relabelled), unknown, or not a
        Jira key at all (then nothing is sent: a delivery's text never reaches JQL unchecked).

        One search request once the site is known (the first call learns it, as fetch does).
        """
        if not valid_key(key):
            return None
        site = self.site()
        where = self._where(f"read {key}")
        found = search_key(site, self._config.jql, key, where, self._clock)
        return next(self._map(site, found), None)

    def _search(self, site: Site, since: datetime | None) -> Fetch:
        started = self._clock()
        self._answered_at = None  # Jira's own clock at the first search answer, once it comes
        jql = incremental_jql(self._config.jql, since, site.tz, self._overlap)
        where = self._where("search")
        snapshots: list[IssueSnapshot] = []
        seen = 0

        def jql_rejected(problems: str) -> TrackerError:
            # Not TrackerUnavailable: retrying the same JQL will not help; the config must change.
            return QueryRejected(f"{where}: Jira rejected the JQL {jql!r}: {problems}")

        with translated(where, self._clock, bad_request=jql_rejected):
            for page in pages(site, jql, where, self._stop_requested):
                seen += len(page)
                snapshots.extend(self._map(site, page))
        return Fetch(
            snapshots=tuple(snapshots),
            unchanged=since is not None and seen == 0,
            complete=since is None,
            watermark=_watermark(self._answered_at or started, snapshots),
            requests=0,
        )

    def _map(self, site: Site, page: list[object]) -> Iterator[IssueSnapshot]:
        for raw in page:
            mapped = to_snapshot(
                raw if isinstance(raw, Mapping) else {},
                self._config,
                self._estimates,
                site.points_field,
                site.hours_per_day,
            )
            for warning in mapped.warnings:
                log.warning(
                    "issue data ignored", tracker=self.name, issue=mapped.key, reason=warning
                )
            if mapped.snapshot is None:
                log.warning(
                    "issue skipped", tracker=self.name, issue=mapped.key, reason=mapped.skip
                )
            else:
                yield mapped.snapshot

    def _write(self, key: str, action: str, path: str, body: object) -> None:
        site = self.site()
        with translated(self._where(f"{action} on {key}"), self._clock):
            site.client.send("PUT", path, body)
        self.stats.writes += 1

    def add_label(self, key: str, label: str) -> None:
        """Add one label with a single `update` PUT (Jira creates labels on first use)."""
        body = {"update": {"labels": [{"add": label}]}}
        self._write(key, "add label", _issue_path(key), body)

    def add_labels(self, key: str, labels: tuple[str, ...]) -> None:
        """Add several labels with one `update` PUT (each an `add`: the others stay)."""
        body = {"update": {"labels": [{"add": label} for label in labels]}}
        self._write(key, "add labels", _issue_path(key), body)

    def remove_label(self, key: str, label: str) -> None:
        """Remove one label; Jira treats removing an absent label as done."""
        body = {"update": {"labels": [{"remove": label}]}}
        self._write(key, "remove label", _issue_path(key), body)

    def assign(self, key: str, identity: str, replacing: str | None) -> None:
        """Set the single assignee (so `replacing` needs no request); never a fuzzy user search."""
        site = self.site()
        where = self._where(f"assign {identity!r} to {key}")
        with translated(where, self._clock):
            try:
                path = f"{_issue_path(key)}/assignee"
                site.client.send("PUT", path, {site.identity_key: identity})
            except JIRAError as exc:
                if assignee_refused(exc):
                    raise Unassignable(f"{where}: Jira refused the user", identity) from exc
                raise
        self.stats.writes += 1

    def unassign(self, key: str, identity: str) -> None:
        """Clear the assignee (null accountId on Cloud, null name on Server/DC)."""
        site = self.site()
        path = f"{_issue_path(key)}/assignee"
        self._write(key, "unassign", path, {site.identity_key: None})

    def comment(self, key: str, body: str, marker: str) -> bool:
        """Post `body` marked by a comment property, unless a comment is marked already;
        then delete syncd's own copies a race left beside it (see FlagComments.post).

        REST v2 takes wiki markup, which has no hidden text: the marker goes in a comment
        property, and shows as the last line only where the site drops properties.
        """
        return self._comments.post(self.site(), key, body, marker)

    def check_online(
        self, people: Mapping[str, Person], assignees: Sequence[Assignee], labels: Sequence[str]
    ) -> list[CheckRow]:
        """`syncd check --online` for this tracker, never raises (labels need no check: syncd
        creates none in Jira)."""
        return check_online(self, people, [assignee.person for assignee in assignees])


def _issue_path(key: str) -> str:
    """The REST path of issue `key`, the key quoted as one path segment."""
    return f"issue/{quote(key, safe='')}"


def _watermark(started: datetime, snapshots: list[IssueSnapshot]) -> datetime:
    """Everything updated before the search started has been seen: the next one starts there.

    `started` is Jira's own clock (the `Date` of its first search answer) when it sent one, so
    that a Jira clock behind ours cannot hide a change; else our clock at the start. Not the
    latest `updated` alone: that stays put while nothing changes, so every later search would
    read again all the issues updated in the overlap before it (after a first sync, all of
    them), forever. An `updated` later than `started` wins. A search that found nothing moves
    it too: nothing changed before it started (and an empty project does not stay on full
    searches forever).
    """
    return max([started, *(snapshot.updated for snapshot in snapshots)])

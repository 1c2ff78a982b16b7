"""The Jira adapter: a Tracker on the `jira` library, for Cloud and Server/Data Center."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import requests
import structlog
from jira import JIRA
from jira.exceptions import JIRAError

from syncd.config.model import Estimates, JiraTracker, Person
from syncd.errors import NotFound, TrackerUnavailable, Unassignable
from syncd.issue import IssueSnapshot
from syncd.jira.mapping import TIME_FIELDS, field_id, rich_text, to_snapshot
from syncd.jira.online import CheckResult, check_online
from syncd.jira.query import incremental_jql
from syncd.jira.translate import assignee_refused, translated
from syncd.tracker import Fetch

log = structlog.get_logger(__name__)

Deployment = Literal["cloud", "server"]
PAGE = 100
_MAX_PAGES = 10_000  # a million issues; beyond that the answer is not trustworthy
DEFAULT_HOURS_PER_DAY = 8.0
# Only what syncd reads (plus status, for logs and the sandbox); never `*all`.
BASE_FIELDS = (
    *("summary", "description", "labels", "assignee", "priority", "votes", "issuetype"),
    *("components", "created", "updated", "project", "status"),
)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _object(value: object, what: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise TrackerUnavailable(f"{what}: Jira's answer is not a JSON object")
    return value


def _list(value: object, what: str) -> list[object]:
    if not isinstance(value, list):
        raise TrackerUnavailable(f"{what}: Jira's answer has no list where one belongs")
    return value


@dataclass
class AdapterStats:
    """HTTP requests sent and writes that landed, since the adapter was built."""

    requests: int = 0
    writes: int = 0


@dataclass(frozen=True)
class Site:
    """What syncd learnt about the Jira site when it connected."""

    client: JIRA
    deployment: Deployment
    tz: ZoneInfo
    hours_per_day: float
    points_field: str | None  # None: the estimate is a time-tracking field
    estimate_field: str

    @property
    def identity_key(self) -> str:
        """How users are named in writes: accountId on Cloud, username on Server/DC."""
        return "accountId" if self.deployment == "cloud" else "name"


class JiraAdapter:
    """A syncd Tracker for one Jira site; connects on first use, never at construction."""

    def __init__(
        self,
        config: JiraTracker,
        estimates: Estimates,
        *,
        timeout: float = 30.0,
        overlap: timedelta = timedelta(minutes=2),
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self._config = config
        self._estimates = estimates
        self._timeout = timeout
        self._overlap = overlap
        self._clock = clock
        self._site: Site | None = None
        self.stats = AdapterStats()

    @property
    def name(self) -> str:
        """The tracker's name from the config."""
        return self._config.name

    @property
    def deployment(self) -> Deployment | None:
        """ "cloud" or "server" once connected; None before."""
        return self._site.deployment if self._site else None

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

    def site(self) -> Site:
        """The connected site, connecting first if needed (serverInfo, myself, configuration)."""
        if self._site is None:
            with translated(self._where("connect"), self._clock):
                self._site = self._open()
        return self._site

    def _open(self) -> Site:
        config = self._config
        auth: dict[str, object] = (
            {"basic_auth": (config.email.reveal(), config.token.reveal())}
            if config.email is not None
            else {"token_auth": config.token.reveal()}
        )
        # serverInfo is fetched below, after the request counter is hooked in.
        client = JIRA(
            server=config.url,
            max_retries=0,
            timeout=self._timeout,
            get_server_info=False,
            validate=False,
            logging=False,  # the library logs response bodies on errors; syncd logs its own
            **auth,  # type: ignore[arg-type]
        )
        client._session.hooks["response"].append(self._count)
        info = _object(client.server_info(), "serverInfo")
        client.deploymentType = info.get("deploymentType")  # what the library's Cloud test reads
        points_field, estimate_field = self._estimate_field(client)
        return Site(
            client=client,
            deployment="cloud" if info.get("deploymentType") == "Cloud" else "server",
            tz=self._zone(_object(client.myself(), "myself").get("timeZone")),
            hours_per_day=self._working_hours(client),
            points_field=points_field,
            estimate_field=estimate_field,
        )

    def _zone(self, name: object) -> ZoneInfo:
        """The API user's profile zone, in which Jira reads the times written in JQL."""
        try:
            return ZoneInfo(name) if isinstance(name, str) and name else ZoneInfo("UTC")
        except (ZoneInfoNotFoundError, ValueError):
            log.warning("jira time zone unknown, using UTC", tracker=self.name, zone=name)
            return ZoneInfo("UTC")

    def _working_hours(self, client: JIRA) -> float:
        try:
            answer: object = client._get_json("configuration")
        except JIRAError as exc:
            if exc.status_code not in (403, 404):
                raise
            return DEFAULT_HOURS_PER_DAY  # time tracking off, or the user may not read it
        tracking = answer.get("timeTrackingConfiguration") if isinstance(answer, dict) else None
        hours = tracking.get("workingHoursPerDay") if isinstance(tracking, dict) else None
        if isinstance(hours, bool) or not isinstance(hours, int | float) or not 0 < hours <= 24:
            return DEFAULT_HOURS_PER_DAY
        return float(hours)

    def _estimate_field(self, client: JIRA) -> tuple[str | None, str]:
        wanted = self._config.estimate.field
        if wanted in TIME_FIELDS:
            return None, wanted
        found = field_id(client.fields(), wanted)
        if found is None:
            raise NotFound(self._where(f"estimate field {wanted!r} does not exist in Jira"))
        return found, found

    def fetch(self, since: datetime | None) -> Fetch:
        """Open escalations updated at or after `since` (minus the overlap), or all when None."""
        site = self.site()
        before = self.stats.requests
        jql = incremental_jql(self._config.jql, since, site.tz, self._overlap)
        where = self._where("search")
        snapshots: list[IssueSnapshot] = []
        seen = 0

        def jql_rejected(problems: str) -> TrackerUnavailable:
            return TrackerUnavailable(f"{where}: Jira rejected the JQL {jql!r}: {problems}")

        with translated(where, self._clock, bad_request=jql_rejected):
            for page in self._pages(site, jql):
                seen += len(page)
                snapshots.extend(self._map(site, page))
        return Fetch(
            snapshots=tuple(snapshots),
            unchanged=since is not None and seen == 0,
            complete=since is None,
            watermark=max((s.updated for s in snapshots), default=None),
            requests=self.stats.requests - before,
        )

    def _pages(self, site: Site, jql: str) -> Iterator[list[object]]:
        fields = [*BASE_FIELDS, site.estimate_field]
        if site.deployment == "cloud":
            yield from self._cloud_pages(site, jql, fields)
        else:
            yield from self._server_pages(site, jql, fields)

    def _cloud_pages(self, site: Site, jql: str, fields: list[str]) -> Iterator[list[object]]:
        token: str | None = None
        for _ in range(_MAX_PAGES):
            answer = site.client.enhanced_search_issues(
                jql, nextPageToken=token, maxResults=PAGE, fields=list(fields), json_result=True
            )
            page = _object(answer, "search/jql")
            yield _list(page.get("issues"), "search/jql")
            following = page.get("nextPageToken")
            if page.get("isLast") is True or not isinstance(following, str) or not following:
                return
            if following == token:
                raise TrackerUnavailable(self._where("search/jql repeats its page token"))
            token = following

    def _server_pages(self, site: Site, jql: str, fields: list[str]) -> Iterator[list[object]]:
        start = 0
        for _ in range(_MAX_PAGES):
            answer = site.client.search_issues(
                jql, startAt=start, maxResults=PAGE, fields=list(fields), json_result=True
            )
            page = _object(answer, "search")
            issues = _list(page.get("issues"), "search")
            yield issues
            start += len(issues)
            total = page.get("total")
            if not issues or not isinstance(total, int) or start >= total:
                return

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

    def _send(self, site: Site, method: str, path: str, body: object) -> requests.Response:
        url = site.client._get_url(path)
        return site.client._session.request(method, url, data=json.dumps(body))

    def _write(self, key: str, action: str, path: str, body: object) -> None:
        site = self.site()
        with translated(self._where(f"{action} on {key}"), self._clock):
            self._send(site, "PUT", path, body)
        self.stats.writes += 1

    def add_label(self, key: str, label: str) -> None:
        """Add one label with a single `update` PUT (Jira creates labels on first use)."""
        body = {"update": {"labels": [{"add": label}]}}
        self._write(key, "add label", f"issue/{quote(key, safe='')}", body)

    def remove_label(self, key: str, label: str) -> None:
        """Remove one label; Jira treats removing an absent label as done."""
        body = {"update": {"labels": [{"remove": label}]}}
        self._write(key, "remove label", f"issue/{quote(key, safe='')}", body)

    def assign(self, key: str, identity: str, replacing: str | None) -> None:
        """Set the single assignee (so `replacing` needs no request); never a fuzzy user search."""
        site = self.site()
        where = self._where(f"assign {identity!r} to {key}")
        with translated(where, self._clock):
            try:
                path = f"issue/{quote(key, safe='')}/assignee"
                self._send(site, "PUT", path, {site.identity_key: identity})
            except JIRAError as exc:
                if assignee_refused(exc):
                    raise Unassignable(f"{where}: Jira refused the user", identity) from exc
                raise
        self.stats.writes += 1

    def unassign(self, key: str, identity: str) -> None:
        """Clear the assignee (null accountId on Cloud, null name on Server/DC)."""
        site = self.site()
        path = f"issue/{quote(key, safe='')}/assignee"
        self._write(key, "unassign", path, {site.identity_key: None})

    def comment(self, key: str, body: str, marker: str) -> bool:
        """Post `body` with `marker` on its own last line, unless a comment already has it.

        REST v2 takes wiki markup, which has no hidden comments, so the marker stays visible.
        """
        site = self.site()
        path = f"issue/{quote(key, safe='')}/comment"
        with translated(self._where(f"read comments of {key}"), self._clock):
            if any(marker in text for text in self._comment_texts(site, path)):
                return False
        text = body if body.rstrip().endswith(marker) else f"{body.rstrip()}\n\n{marker}"
        with translated(self._where(f"comment on {key}"), self._clock):
            self._send(site, "POST", path, {"body": text})
        self.stats.writes += 1
        return True

    def _comment_texts(self, site: Site, path: str) -> Iterator[str]:
        start = 0
        for _ in range(_MAX_PAGES):
            answer = site.client._get_json(path, params={"startAt": start, "maxResults": PAGE})
            page = _object(answer, "comments")
            comments = _list(page.get("comments"), "comments")
            yield from (rich_text(_object(c, "comment").get("body")) for c in comments)
            start += len(comments)
            total = page.get("total")
            if not comments or not isinstance(total, int) or start >= total:
                return

    def check_online(
        self, people: Mapping[str, Person], members: Iterable[str]
    ) -> list[CheckResult]:
        """`syncd check --online` for this tracker: plain results, never raises."""
        return check_online(self, people, members)

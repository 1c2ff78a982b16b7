"""The GitHub adapter: syncd's Tracker port over PyGithub (listing, single-label writes)."""

from __future__ import annotations

import contextlib
import math
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime

import structlog
from github import Auth, Github

from syncd.adapters.environment import resolve
from syncd.adapters.github.app_auth import AppTokens
from syncd.adapters.github.app_jwt import AppKey
from syncd.adapters.github.colours import label_colour
from syncd.adapters.github.comments import FlagComments
from syncd.adapters.github.connections import settle_connections
from syncd.adapters.github.listing import ListQuery, list_repo
from syncd.adapters.github.mapping import (
    IssueRef,
    is_pull_request,
    parse_key,
    to_snapshot,
    updated_at,
)
from syncd.adapters.github.online import check_github
from syncd.adapters.github.primary import RESERVE, PrimaryBudget
from syncd.adapters.github.single import (
    configured_repo,
    issue_path,
    open_escalation,
    read_issue,
)
from syncd.adapters.github.transport import Stats, Transport
from syncd.config.model import Estimates, GitHubTracker, Person
from syncd.domain.issue import IssueSnapshot
from syncd.errors import AuthFailed, NotFound, Unassignable, WriteRejected
from syncd.service_layer.checks import Assignee, CheckRow
from syncd.service_layer.tracker import EtagStore, Fetch, StopRequested, never

log = structlog.get_logger(__name__)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class GitHubAdapter:
    """A `Tracker` for the repositories of one `GitHubTracker` config entry.

    Never retries inside a cycle (`retry=None`): a retried POST can comment twice, and a
    rate limit must pause the tracker (RateLimited) rather than put PyGithub to sleep for up
    to an hour. Write pacing (`write_interval`) is the service's job.
    """

    def __init__(
        self,
        config: GitHubTracker,
        estimates: Estimates,
        etags: EtagStore,
        *,
        timeout: float = 30.0,
        github: Github | None = None,
        label_colours: Mapping[str, str] | None = None,
        clock: Callable[[], datetime] = _utc_now,
        stop_requested: StopRequested = never,
    ) -> None:
        self._config = config
        self._estimates = estimates
        self._etags = etags
        self._stop_requested = stop_requested  # looked at between pages and between repos
        self.label_colours: Mapping[str, str] = dict(label_colours or {})
        self.stats = Stats()
        key = _app_key(config)
        environment = resolve(config.base_url)
        self._github = github or Github(
            auth=None if key is not None else Auth.Token(_token(config)),
            verify=environment.verify,
            base_url=config.base_url.rstrip("/"),
            per_page=100,
            lazy=True,
            timeout=math.ceil(timeout),  # PyGithub types it as int
            retry=None,
            seconds_between_requests=None,
            seconds_between_writes=None,
        )
        settle_connections(self._github.requester, environment)
        secrets = (config.token.reveal(),) if config.token is not None else ()
        requester = self._github.requester
        app = None if key is None else AppTokens(key, requester, clock, self.stats, config.repos)
        self.app = app  # None: a token
        # Without a write budget (a local sandbox) syncd does not stop before GitHub's refusal.
        primary = PrimaryBudget(reserve=None if config.write_budget is None else RESERVE)
        self._http = Transport(requester, clock, self.stats, secrets, auth=app, primary=primary)
        own_login = None if app is None else (lambda: app.bot_login)  # `<slug>[bot]`, not /user
        self._comments = FlagComments(self._http, config.base_url, config.name, own_login)
        # label names (casefolded) known to exist, per repo: each is created at most once
        self._known_labels: dict[str, set[str]] = {}

    @property
    def name(self) -> str:
        """The tracker's name from the config."""
        return self._config.name

    def fetch(self, since: datetime | None) -> Fetch:
        """Open escalations of every repo updated at or after `since`; all of them when None.

        Raises FetchStopped instead of a next request (page or repo) once a stop was asked for.
        """
        if since is not None and since.tzinfo is None:
            since = since.replace(tzinfo=UTC)  # the port promises UTC; naive would not compare
        first_request = self.stats.requests
        snapshots: list[IssueSnapshot] = []
        unchanged = since is not None
        watermark: datetime | None = None
        etags: list[tuple[str, str]] = []
        for repo in self._config.repos:
            query = ListQuery(self._config.base_url, repo, self._config.escalation_labels)
            listing = list_repo(self._http, query, self._etags, since, self._stop_requested)
            unchanged = unchanged and listing.unchanged
            etags += [listing.etag] if listing.etag else []
            for oddity in listing.oddities:
                log.warning("issue skipped", tracker=self.name, issue=f"{repo}#?", reason=oddity)
            for raw in listing.items:
                watermark = _later(watermark, updated_at(raw))
                snapshot = self._snapshot(raw, repo)
                if snapshot is not None:
                    snapshots.append(snapshot)
        return Fetch(
            snapshots=tuple(snapshots),
            unchanged=unchanged,
            complete=since is None,
            watermark=watermark,
            requests=self.stats.requests - first_request,
            etags=tuple(etags),
        )

    def fetch_one(self, key: str) -> IssueSnapshot | None:
        """The issue `key` as a listing would return it, or None when it is not an open
        escalation of this tracker (closed, unlabelled, in a repository not configured, a pull
        request, gone). One GET of the issue; none for a key outside the configured repos.
        """
        ref = parse_key(key)
        repo = configured_repo(self._config.repos, ref.repo) if ref is not None else None
        if ref is None or repo is None:
            return None
        raw = read_issue(self._http, IssueRef(repo, ref.number))
        if raw is None or not open_escalation(raw, ref, self._config.escalation_labels):
            return None
        return self._snapshot(raw, repo)

    def _snapshot(self, raw: Mapping[str, object], repo: str) -> IssueSnapshot | None:
        if is_pull_request(raw):
            return None
        mapped = to_snapshot(raw, self._config, self._estimates, repo)
        for warning in mapped.warnings:
            log.warning("issue data ignored", tracker=self.name, issue=mapped.key, reason=warning)
        if mapped.snapshot is None:
            log.warning("issue skipped", tracker=self.name, issue=mapped.key, reason=mapped.skip)
            return None
        return mapped.snapshot

    def add_label(self, key: str, label: str) -> None:
        """POST the single label (never a replace), creating it with a colour when it is new."""
        ref = _ref(key)
        self._ensure_label(ref.repo, label)
        # the object form is the one GitHub's API description documents (a bare array also works)
        body = {"labels": [label]}
        self._http.write("POST", f"{issue_path(ref)}/labels", f"labelling {key}", body)

    def add_labels(self, key: str, labels: tuple[str, ...]) -> None:
        """POST several labels at once (GitHub adds them to the set), creating the new ones."""
        ref = _ref(key)
        for label in labels:
            self._ensure_label(ref.repo, label)
        body = {"labels": list(labels)}
        self._http.write("POST", f"{issue_path(ref)}/labels", f"labelling {key}", body)

    def remove_label(self, key: str, label: str) -> None:
        """DELETE one label; a 404 (label not on the issue) means it is already gone."""
        ref = _ref(key)
        url = f"{issue_path(ref)}/labels/{_segment(label)}"
        try:
            self._http.write("DELETE", url, f"unlabelling {key}", None)
        except NotFound:
            return

    def assign(self, key: str, identity: str, replacing: str | None) -> None:
        """Add `identity` as assignee and check GitHub kept it; then remove `replacing`."""
        ref = _ref(key)
        url = f"{issue_path(ref)}/assignees"
        try:
            data = self._http.write("POST", url, f"assigning {key}", {"assignees": [identity]})
        except WriteRejected as exc:
            raise Unassignable(f"GitHub refused {identity} as assignee of {key}", identity) from exc
        # GitHub answers 201 but silently drops logins that cannot be assigned
        if identity.casefold() not in {login.casefold() for login in _logins(data)}:
            raise Unassignable(f"GitHub dropped {identity} as assignee of {key}", identity)
        if replacing is not None and replacing.casefold() != identity.casefold():
            self.unassign(key, replacing)

    def unassign(self, key: str, identity: str) -> None:
        """Remove `identity` from the assignees (GitHub ignores one who is not there)."""
        ref = _ref(key)
        url = f"{issue_path(ref)}/assignees"
        self._http.write("DELETE", url, f"unassigning {key}", {"assignees": [identity]})

    def comment(self, key: str, body: str, marker: str) -> bool:
        """Post `body` with `marker` as a hidden HTML comment, unless a comment already has it;
        then delete syncd's own copies a race left beside it (see FlagComments.post)."""
        return self._comments.post(_ref(key), key, body, marker)

    def check_online(
        self, people: Mapping[str, Person], assignees: Sequence[Assignee], labels: Sequence[str]
    ) -> list[CheckRow]:
        """`syncd check --online` for this tracker: one row per check, never raises."""
        return check_github(self._config, self._http, people, assignees, labels, app=self.app)

    def _ensure_label(self, repo: str, label: str) -> None:
        known = self._known_labels.setdefault(repo, set())
        if label.casefold() in known:
            return
        path = f"/repos/{urllib.parse.quote(repo, safe='/')}/labels"
        try:
            self._http.get(f"{path}/{_segment(label)}", f"reading label {label!r} of {repo}")
        except NotFound:
            colour = label_colour(label, self.label_colours, self._estimates.flag_label)
            body = {"name": label, "color": colour}
            # 422 already_exists: someone created it meanwhile, which is all we need
            with contextlib.suppress(WriteRejected):
                self._http.write("POST", path, f"creating label {label!r} in {repo}", body)
            log.info("label created", tracker=self.name, repo=repo, label=label, colour=colour)
        known.add(label.casefold())


def _token(config: GitHubTracker) -> str:
    if config.token is None or not config.token.reveal():
        # PyGithub would assert on it; say which tracker and which variable instead
        source = config.token.source if config.token is not None else "token"
        raise AuthFailed(f"GitHub tracker {config.name}: {source} is empty")
    return config.token.reveal()


def _app_key(config: GitHubTracker) -> AppKey | None:
    if config.app is None:
        return None
    if not config.app.private_key.reveal():
        source = config.app.private_key.source
        raise AuthFailed(f"GitHub tracker {config.name}: app.private_key {source} is empty")
    return AppKey(config.app.id, config.app.private_key.reveal())


def _ref(key: str) -> IssueRef:
    ref = parse_key(key)
    if ref is None:
        raise WriteRejected(f"not a GitHub issue key (owner/repo#number): {key!r:.100}")
    return ref


def _segment(name: str) -> str:
    """A label name as one path segment: `tier/fire` -> `tier%2Ffire`.

    PyGithub's `remove_from_labels` quotes with `/` kept, which would address `tier` + `fire`.
    """
    return urllib.parse.quote(name, safe="")


def _logins(data: object) -> list[str]:
    """Assignee logins from an issue answer; anything unreadable counts as not assigned."""
    assignees = data.get("assignees") if isinstance(data, Mapping) else None
    if not isinstance(assignees, list):
        return []
    logins = (item.get("login") if isinstance(item, Mapping) else None for item in assignees)
    return [login for login in logins if isinstance(login, str)]


def _later(current: datetime | None, candidate: datetime | None) -> datetime | None:
    if candidate is None:
        return current
    return candidate if current is None or candidate > current else current

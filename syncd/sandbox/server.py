"""The sandbox HTTP server: GitHub, Jira Cloud and Jira Data Center under one port."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from contextlib import AbstractContextManager
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Protocol
from urllib.parse import urlsplit

from syncd.sandbox.admin import AdminApi
from syncd.sandbox.deliveries import Side, Target
from syncd.sandbox.exchange import Request, Response, Route, find_route, json_response
from syncd.sandbox.faults import Fault, FaultBook, FaultKind, Service, fault_response
from syncd.sandbox.github import GitHubApi
from syncd.sandbox.http_handler import Handler, request_of
from syncd.sandbox.jira import JiraApi
from syncd.sandbox.secondary import SecondaryLimits
from syncd.sandbox.seed import Flavour, GitHubIssueSeed, JiraIssueSeed, Seed
from syncd.sandbox.slack import SlackHooks
from syncd.sandbox.snapshot import Snapshot, take_snapshot
from syncd.sandbox.store import Clock, Store
from syncd.sandbox.traffic import Stats, Traffic
from syncd.sandbox.webhooks import Webhooks

GITHUB_PREFIX = "/github/api/v3"
JIRA_CLOUD_PREFIX = "/jira-cloud"
JIRA_DC_PREFIX = "/jira-dc"
ADMIN_PREFIX = "/_admin"
SLACK_PREFIX = "/_slack"
_SIDES = {
    GITHUB_PREFIX: Side.GITHUB,
    JIRA_CLOUD_PREFIX: Side.JIRA_CLOUD,
    JIRA_DC_PREFIX: Side.JIRA_DC,
}


class Api(Protocol):
    """One mounted API: its routes and how it answers one of them."""

    service: Service
    routes: tuple[Route, ...]

    def handle(self, request: Request, target: Route, params: Mapping[str, str]) -> Response: ...


class Sandbox:
    """A local stand-in for GitHub and Jira, serving `seed` on host:port (0: any free port)."""

    def __init__(
        self, seed: Seed, host: str = "127.0.0.1", port: int = 0, clock: Clock | None = None
    ) -> None:
        self._seed, self._clock, self._host = seed, clock, host
        self._faults, self._traffic = FaultBook(), Traffic()
        self.secondary: SecondaryLimits | None = None  # GitHub's content limits, when enforced
        self.webhooks = Webhooks(lambda: self.store.now(), _SIDES)  # noqa: PLW0108 - reset swaps the store
        self._build()
        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        self._server.sandbox = self  # type: ignore[attr-defined]
        self._thread: threading.Thread | None = None

    def _build(self) -> None:
        self.store = Store(self._seed, self._clock)
        self.slack = SlackHooks(self.store.now)
        self.mounts: tuple[tuple[str, Api], ...] = (
            (GITHUB_PREFIX, GitHubApi(self.store)),
            (JIRA_CLOUD_PREFIX, JiraApi(self.store, Flavour.CLOUD)),
            (JIRA_DC_PREFIX, JiraApi(self.store, Flavour.DC)),
            (ADMIN_PREFIX, AdminApi(self)),
            (SLACK_PREFIX, self.slack),
        )

    @property
    def port(self) -> int:
        """The port actually bound."""
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """e.g. http://127.0.0.1:8765."""
        return f"http://{self._host}:{self.port}"

    @property
    def slack_url(self) -> str:
        """A Slack incoming-webhook URL the sandbox accepts (any path under /_slack/ does)."""
        return f"{self.url}{SLACK_PREFIX}/services/T0SANDBOX/B0SANDBOX/sandbox"

    @property
    def github_url(self) -> str:
        """PyGithub's `base_url`."""
        return f"{self.url}{GITHUB_PREFIX}"

    @property
    def jira_cloud_url(self) -> str:
        """The Jira Cloud site's `server`."""
        return f"{self.url}{JIRA_CLOUD_PREFIX}"

    @property
    def jira_dc_url(self) -> str:
        """The Jira Data Center site's `server`."""
        return f"{self.url}{JIRA_DC_PREFIX}"

    @property
    def seed(self) -> Seed:
        """What the sandbox started from (and returns to on reset)."""
        return self._seed

    def start(self) -> Sandbox:
        """Serve in a background thread."""
        # A short poll makes stop() quick: serve_forever checks for shutdown once per poll.
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="sandbox", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port; webhooks still queued are not sent."""
        self.webhooks.deliverer.close()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    def snapshot(self) -> Snapshot:
        """Every issue as it stands now."""
        return take_snapshot(self.store)

    def stats(self) -> Stats:
        """Requests served since start or reset."""
        return self._traffic.stats()

    def enforce_secondary_limits(self, per_minute: int = 80, per_hour: int = 500) -> None:
        """Answer GitHub writes beyond these per minute or per hour with GitHub's 403."""
        self.secondary = SecondaryLimits(per_minute, per_hour)

    def inject(self, fault: Fault) -> None:
        """Activate a fault."""
        self._faults.add(fault)

    def clear_faults(self) -> None:
        """Remove every fault."""
        self._faults.clear()

    def reset(self) -> None:
        """Back to the seed: issues, counters and faults."""
        with self.store.lock:
            self._build()
        self._traffic.reset()
        self._faults.clear()

    def deliver_webhooks(
        self,
        *,
        github: Target | None = None,
        jira_cloud: Target | None = None,
        jira_dc: Target | None = None,
    ) -> None:
        """Post signed webhooks for every change from now on, each side to its target (None:
        that side sends none); replaces the previous settings."""
        chosen = {Side.GITHUB: github, Side.JIRA_CLOUD: jira_cloud, Side.JIRA_DC: jira_dc}
        self.webhooks.configure({side: t for side, t in chosen.items() if t is not None})

    def _by_hand(self, key: str) -> AbstractContextManager[None]:
        """Watch a person's edit of issue `key` (admin interface): its webhooks."""
        bases = {Side.GITHUB: self.github_url, Side.JIRA_CLOUD: self.jira_cloud_url}
        bases[Side.JIRA_DC] = self.jira_dc_url
        return self.webhooks.watching(self.store, self.url, bases, by_api=False, only=key)

    def set_time(self, moment: datetime | None) -> None:
        """Freeze the sandbox clock (updated_at of writes) at `moment`; None unfreezes it."""
        self.store.set_time(moment)

    def edit_issue(
        self,
        key: str,
        *,
        add_labels: tuple[str, ...] = (),
        remove_labels: tuple[str, ...] = (),
        assignees: tuple[str, ...] | None = None,
    ) -> None:
        """A person edits `acme/web#3` or `SUP-1` by hand; bumps its updated time."""
        with self._by_hand(key):
            self.store.edit_issue(key, add_labels, remove_labels, assignees)

    def add_reporters(self, key: str, count: int) -> None:
        """Customers pile on `acme/web#3` (👍) or `SUP-1` (votes); bumps its updated time.
        Neither tracker sends an issue webhook for a reaction or a vote, so neither does this."""
        with self._by_hand(key):
            self.store.add_reporters(key, count)

    def set_estimate(
        self, key: str, *, seconds: int | None = None, story_points: float | None = None
    ) -> None:
        """A person re-estimates Jira issue `key` (original estimate in seconds, or points)."""
        with self._by_hand(key):
            self.store.set_estimate(key, seconds=seconds, story_points=story_points)

    def open_issue(self, where: str, seed: GitHubIssueSeed | JiraIssueSeed) -> None:
        """A new issue arrives in repository `acme/web` or project `SUP`."""
        key = f"{where}#{seed.number}" if isinstance(seed, GitHubIssueSeed) else seed.key
        with self._by_hand(key):
            self.store.open_issue(where, seed)

    def user_names(self) -> dict[str, dict[str, str]]:
        """Jira users' display names by identity, per site (`jira-cloud`, `jira-dc`)."""
        with self.store.lock:
            return {
                f"jira-{flavour.value}": {user.id: user.name for user in site.users.values()}
                for flavour, site in self.store.jira.items()
            }

    def respond(self, handler: BaseHTTPRequestHandler) -> Response | None:
        """The answer to one request; None means drop the connection unanswered."""
        parts = urlsplit(handler.path)
        mount = next(((p, api) for p, api in self.mounts if parts.path.startswith(p + "/")), None)
        if mount is None:
            return json_response(404, {"message": "Not Found"})
        prefix, api = mount
        request = request_of(handler, prefix, parts.path[len(prefix) :], parts.query)
        found = find_route(api.routes, request.method, request.path)
        name = found[0].name if found else f"{api.service.value}.unknown"
        fault = self._faults.take(name, request.method, parts.path)
        write = bool(found and found[0].write)
        if fault is not None and fault.kind is FaultKind.DROP_AFTER:
            # The request is served in full, then its answer is lost on the way back.
            landed = self._answer(api, request, found, None)
            status = landed.status if landed else 0
            self._traffic.record(
                request.method, name, status, write=write, faulted=True, landed=True
            )
            return None
        response = self._answer(api, request, found, fault)
        status = response.status if response else 0
        self._traffic.record(request.method, name, status, write=write, faulted=fault is not None)
        return response

    def _answer(
        self,
        api: Api,
        request: Request,
        found: tuple[Route, dict[str, str]] | None,
        fault: Fault | None,
    ) -> Response | None:
        if fault is not None and fault.kind is FaultKind.LATENCY:
            time.sleep(fault.latency_ms / 1000)
        elif fault is not None and fault.kind is FaultKind.DROP:
            return None
        elif fault is not None:
            return fault_response(fault, api.service, self.store.now(), request.headers)
        if found is not None and api.service is Service.GITHUB and self.secondary is not None:
            refused = self.secondary.admit(request.method, self.store.now())
            if refused is not None:
                return refused
        if found is None:
            return json_response(404, {"message": "Not Found", "errorMessages": ["Not Found"]})
        with self.store.lock, self.webhooks.watching_api(self.store, request, *found):
            return api.handle(request, found[0], found[1])

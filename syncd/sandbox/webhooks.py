"""Which sandbox changes become webhooks and where they go: a target per side, and a watch
around every write that turns the difference it made into signed deliveries."""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from urllib.parse import urlsplit

from syncd.sandbox import github_events, jira_events
from syncd.sandbox.deliveries import Deliverer, Delivery, Event, Outgoing, Side, Target
from syncd.sandbox.exchange import BadRequest, JsonObject, Request, Route
from syncd.sandbox.seed import Flavour
from syncd.sandbox.store import Store


class Webhooks:
    """The sandbox's webhook settings and its one deliverer; nothing is sent without a target."""

    def __init__(self, clock: Callable[[], datetime], sides: Mapping[str, Side]) -> None:
        """`sides`: each tracker API's path prefix (e.g. `/jira-dc`) and the side it serves."""
        self.deliverer = Deliverer(clock)
        self._sides = dict(sides)
        self._targets: dict[Side, Target] = {}
        self._changelog_ids = itertools.count(10001)

    def configure(self, targets: Mapping[Side, Target]) -> None:
        """Deliver each side's changes to its target from now on; a side left out sends none."""
        self._targets = dict(targets)

    def targets(self) -> dict[Side, Target]:
        """The targets in force."""
        return dict(self._targets)

    def drain(self, timeout: float = 10.0) -> bool:
        """Wait until every delivery queued so far has been posted; False on timeout."""
        return self.deliverer.drain(timeout)

    def records(self) -> list[Delivery]:
        """The deliveries posted, oldest first, with the receiver's status."""
        return self.deliverer.records()

    def report(self) -> JsonObject:
        """Targets (URLs only, never a secret), counts and every delivery recorded."""
        return {
            "targets": {side.value: target.url for side, target in self._targets.items()},
            **self.deliverer.counts(),
            "deliveries": [record.as_json() for record in self.deliverer.records()],
        }

    def watching_api(
        self, store: Store, request: Request, target: Route, params: Mapping[str, str]
    ) -> AbstractContextManager[None]:
        """Watch one request to a tracker's API: a write, for the issue its path names."""
        side = self._sides.get(request.prefix) if target.write else None
        bases = {side: request.base} if side is not None else {}
        only = _issue_named(params)
        return self.watching(store, request.origin, bases, by_api=True, only=only)

    @contextmanager
    def watching(
        self,
        store: Store,
        origin: str,
        bases: Mapping[Side, str],
        *,
        by_api: bool,
        only: str | None = None,
    ) -> Iterator[None]:
        """Around a write to the sides in `bases` (side to its API base URL): after it, queue the
        events for what it changed. Runs under the store lock, so deliveries leave in the order
        the changes happened and only once the change is there to be read. `only` names the one
        issue the write can change (`acme/web#3`, `SUP-1`), else every issue is compared."""
        sides = [side for side in bases if side in self._targets]
        if not sides:
            yield
            return
        with store.lock:
            since = [(s, self._watch(store, s, origin, bases[s], by_api, only)) for s in sides]
            yield
            for side, changes in since:
                for event in changes():
                    self._queue(side, event)

    def _watch(  # noqa: PLR0917 - private, called once
        self, store: Store, side: Side, origin: str, base: str, by_api: bool, only: str | None
    ) -> Callable[[], list[Event]]:
        """Capture `side` now; the function returned lists the events for what changed since."""
        if side is Side.GITHUB:
            github = store.github
            before = github_events.capture(github, only)
            return lambda: github_events.events(
                before, github_events.capture(github, only), github, origin, base, by_api=by_api
            )
        jira = store.jira[Flavour.CLOUD if side is Side.JIRA_CLOUD else Flavour.DC]
        earlier = jira_events.capture(jira, only)
        change = jira_events.Change(
            base, int(store.now().timestamp() * 1000), by_api, lambda: next(self._changelog_ids)
        )
        return lambda: jira_events.events(earlier, jira_events.capture(jira, only), jira, change)

    def _queue(self, side: Side, event: Event) -> None:
        target = self._targets.get(side)
        if target is None:
            return
        body = json.dumps(event.payload, separators=(",", ":")).encode()
        delivery = str(uuid.uuid4())
        if side is Side.GITHUB:
            headers = github_events.headers(event, body, target.secret, delivery, target.url)
        else:
            headers = jira_events.headers(body, target.secret, delivery)
        self.deliverer.queue(
            Outgoing(side, event.name, event.action, delivery, target.url, body, headers)
        )


def _issue_named(params: Mapping[str, str]) -> str | None:
    """The issue a route's path names (`acme/web#3`, `SUP-1` or a Jira id); None when it names
    none, e.g. a GitHub comment by its id alone (then every issue is compared)."""
    if {"owner", "repo", "number"} <= params.keys():
        return f"{params['owner']}/{params['repo']}#{params['number']}"
    return params.get("key")


def targets_from_json(body: JsonObject) -> dict[Side, Target]:
    """`{"github": {"url": ..., "secret": ...}, "jira-cloud": null, ...}` as targets; 400 for
    an unknown side, a URL that is not http(s) or a missing secret."""
    sides = {side.value: side for side in Side}
    unknown = sorted(set(body) - set(sides))
    if unknown:
        raise BadRequest(f"unknown side {unknown[0]!r}: use {', '.join(sides)}")
    targets: dict[Side, Target] = {}
    for name, value in body.items():
        if value is None:
            continue
        url = value.get("url") if isinstance(value, dict) else None
        secret = value.get("secret") if isinstance(value, dict) else None
        if not isinstance(url, str) or urlsplit(url).scheme not in {"http", "https"}:
            raise BadRequest(f"{name}: url must be an http(s) URL")
        if not isinstance(secret, str) or not secret:
            raise BadRequest(f"{name}: secret must be a non-empty string")
        targets[sides[name]] = Target(url, secret)
    return targets

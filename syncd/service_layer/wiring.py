"""The composition root: builds the adapters, the store and the service from a Config.

The only module, with the config loader, that reads the environment; the only one, with the
command line's entry point, that picks the real clock (syncd.clock) and sleeps for real.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from syncd.adapters.jira.facts import SiteFactsStore
from syncd.adapters.notify.poster import WebhookPoster
from syncd.adapters.state import Store
from syncd.clock import Clock, utc_now
from syncd.config.model import Config
from syncd.service_layer.delivery import Poster
from syncd.service_layer.kinds import AdapterNeeds
from syncd.service_layer.metrics import Metrics
from syncd.service_layer.notifier import SLACK, WEBHOOK, Notifier
from syncd.service_layer.registry import kind_of
from syncd.service_layer.service import Service
from syncd.service_layer.tracker import EtagStore, StopRequested, Tracker, never

HTTP_TIMEOUT = 30.0
NOTIFY_TIMEOUT = 10.0  # a message waits for the next cycle rather than hold this one up


def load_config(path: Path) -> Config:
    """Load and validate `path`, reading `${VAR}` secrets from this process's environment."""
    from syncd.config.loader import load  # noqa: PLC0415 - keeps `import syncd.service_layer.wiring` light

    return load(path, os.environ)


def stdout_is_terminal() -> bool:
    """Whether logs go to a person (key=value) or to a collector (JSON lines)."""
    return sys.stdout.isatty()


class MemoryEtags:
    """ETags that live as long as the process: for a dry run, which must not touch the state."""

    def __init__(self) -> None:
        self._etags: dict[str, str] = {}

    def etag(self, url: str) -> str | None:
        """The ETag last stored for `url`, if any."""
        return self._etags.get(url)

    def remember_etag(self, url: str, etag: str) -> None:
        """Store the ETag of the latest 200 answer for `url`."""
        self._etags[url] = etag


def build_trackers(
    config: Config,
    etags: Callable[[str], EtagStore],
    clock: Clock = utc_now,
    stop_requested: StopRequested = never,
    site_facts: Callable[[str], SiteFactsStore] | None = None,
) -> dict[str, Tracker]:
    """One adapter per configured tracker, by name; nothing connects until the first fetch.

    A Jira adapter keeps what it learns about its site in `site_facts(name)` (in memory when
    None) and learns it again once it is `reconcile_interval` old.

    `clock` dates rate-limit pauses and Jira watermarks (a benchmark passes a simulated one).
    A listing looks at `stop_requested` before each page and repository it requests: once it
    is true, the fetch ends with FetchStopped (the page in flight is bounded by HTTP_TIMEOUT).
    """
    trackers: dict[str, Tracker] = {}
    for settings in config.trackers:
        needs = AdapterNeeds(
            config, etags(settings.name), clock, stop_requested, HTTP_TIMEOUT, site_facts
        )
        trackers[settings.name] = kind_of(settings).build(settings, needs)
    return trackers


def build_service(
    config: Config,
    store: Store,
    stop: threading.Event,
    metrics: Metrics | None = None,
    *,
    clock: Clock = utc_now,
) -> Service:
    """The service over real trackers; a stop ends listings and the pause between writes early."""
    notifier = Notifier(config, store, build_posters(config), stop.is_set)
    return Service(
        config,
        build_trackers(config, store.etags, clock, stop.is_set, store.jira_site),
        store,
        clock,
        stop.wait,
        stop_requested=stop.is_set,
        metrics=metrics,
        notify=notifier.tick,
        settled=notifier.settled,
    )


def build_posters(config: Config) -> dict[str, Poster]:
    """One poster per URL under `notify:` (none without the section), by destination name."""
    if config.notify is None:
        return {}
    urls = {SLACK: config.notify.slack_webhook, WEBHOOK: config.notify.webhook}
    return {
        name: WebhookPoster(name, url, NOTIFY_TIMEOUT)
        for name, url in urls.items()
        if url is not None and url.reveal()
    }


def build_preview(config: Config, store: Store, clock: Clock = utc_now) -> Service:
    """A service for the dry run: ETags and Jira site facts in memory: nothing reaches the state."""
    memory = {tracker.name: MemoryEtags() for tracker in config.trackers}
    trackers = build_trackers(config, memory.__getitem__, clock)
    return Service(config, trackers, store, clock, _no_sleep)


def _no_sleep(seconds: float) -> None:
    """A dry run writes nothing, so it never paces writes."""

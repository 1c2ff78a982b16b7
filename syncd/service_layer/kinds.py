"""What syncd needs to know about one kind of tracker (GitHub, Jira, ...), as one value.

A kind is registered once (syncd.service_layer.registry); the config loader, the composition
root, `syncd check` and the logs look it up by the name a file writes under `kind:`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from syncd.adapters.jira.facts import SiteFactsStore
from syncd.clock import Clock
from syncd.config.document import Node
from syncd.config.model import Config, Secret
from syncd.config.section import Section
from syncd.service_layer.hints import AnyFormat
from syncd.service_layer.tracker import EtagStore, StopRequested, Tracker

C = TypeVar("C")


@dataclass(frozen=True)
class AdapterNeeds:
    """What the composition root hands every adapter factory for one tracker."""

    config: Config
    etags: EtagStore
    clock: Clock
    stop_requested: StopRequested
    timeout: float
    # Where a tracker keeps what it learns about its site, by tracker name (None: in memory)
    site_facts: Callable[[str], SiteFactsStore] | None = None


@dataclass(frozen=True)
class TrackerKind(Generic[C]):
    """One kind of tracker: how its config is read, its adapter built, and it is shown.

    `read(section, name, person)` reads one `trackers[]` item of this kind (None when it has
    problems, which it reports on `section`); `person` reads a person id that must exist.
    """

    name: str  # as written under `kind:`, and the identity key under `people.<id>`
    shown: str  # in prose: "GitHub"
    config_type: type[C]
    keys: tuple[str, ...]  # the keys only this kind's trackers take
    estimate_keys: tuple[str, ...]
    read: Callable[[Section, str | None, Callable[[Node], str]], C | None]
    build: Callable[[C, AdapterNeeds], Tracker]  # an adapter implementing OnlineCheck is checked
    describe: Callable[[C], str]  # one line for `syncd check`, never a secret
    secrets: Callable[[C], tuple[str, ...]]  # every credential value, for the log redactor
    endpoint: Callable[[C], tuple[str, str]]  # the URL's key as the file spells it, and the URL
    credentials: Callable[[C], tuple[tuple[str, Secret], ...]]  # (key, secret) as in the file
    webhook: AnyFormat | None = None  # how its deliveries are signed and read (None: no webhooks)


AnyKind = TrackerKind[Any]

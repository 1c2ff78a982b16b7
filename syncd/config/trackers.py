"""The `trackers` section: the keys every tracker takes; each kind reads the rest."""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection

from syncd.config.document import Map, Node, Scalar, Seq
from syncd.config.model import TrackerConfig
from syncd.config.rotation import person_id
from syncd.config.section import Section
from syncd.service_layer.registry import find, registered

COMMON = (
    "name",
    "kind",
    "token",
    "team",
    "estimate",
    "write_interval",
    "max_writes_per_cycle",
    "webhook_secret",
    "write_budget",
)


def declared_kinds(top: Section) -> dict[str, str]:
    """Tracker name -> kind as written, also for trackers that failed to load (for cross-checks)."""
    listed = top.node("trackers")
    kinds: dict[str, str] = {}
    for item in listed.items if isinstance(listed, Seq) else ():
        if isinstance(item, Map):
            fields = {key.text: value for key, value in item.entries}
            name, kind = fields.get("name"), fields.get("kind")
            if isinstance(name, Scalar) and isinstance(kind, Scalar):
                kinds[str(name.value)] = str(kind.value)
    return kinds


def read_trackers(
    top: Section, people: Collection[str], needs_team: bool
) -> tuple[TrackerConfig, ...]:
    """Every valid tracker under `trackers`, in file order; names must be unique."""
    ctx = top.ctx
    trackers: list[TrackerConfig] = []
    first_line: dict[str, int] = {}
    for path, item in top.items("trackers"):
        keys = dict.fromkeys((*COMMON, *(key for kind in registered() for key in kind.keys)))
        section = Section(item, path, ctx, tuple(keys))
        name = section.require("name", ctx.values.name)
        if name is not None and name in first_line:
            message = f"duplicate tracker name {name!r} (first at line {first_line[name]})"
            section.problem(section.key_line("name"), "name", message)
        elif name is not None:
            first_line[name] = section.key_line("name")
        tracker = _tracker(section, name, functools.partial(person_id, ctx, people))
        if tracker is not None and needs_team and not section.has("team"):
            message = "missing key 'team': estimates.handoff is 'team', so flagged items go to it"
            section.problem(section.line, "", message)
        if tracker is not None:
            trackers.append(tracker)
    listed = top.node("trackers")
    if isinstance(listed, Seq) and not listed.items:
        top.problem(listed.line, "trackers", "must list at least one tracker")
    return tuple(trackers)


def _tracker(
    section: Section, name: str | None, person: Callable[[Node], str]
) -> TrackerConfig | None:
    written = section.require("kind", section.ctx.values.name)
    if written is None:
        return None
    kind = find(written)
    if kind is None:
        expected = " or ".join(k.name for k in registered())
        section.problem(
            section.key_line("kind"), "kind", f"expected {expected}, got {written[:40]!r}"
        )
        return None
    for other in registered():
        for key in other.keys:
            if other is not kind and key not in kind.keys and section.has(key):
                message = f"{key!r} is for {other.name} trackers, not {written}"
                section.problem(section.key_line(key), key, message)
    tracker: TrackerConfig | None = kind.read(section, name, person)
    return tracker

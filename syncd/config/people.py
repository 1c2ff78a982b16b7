"""The `people` section, and the check that everyone syncd may assign has an identity there."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from syncd.config.document import Map, Node
from syncd.config.model import Person, Rotation, TrackerConfig
from syncd.config.notify import slack_member
from syncd.config.problems import Problems
from syncd.config.section import Context, Section
from syncd.service_layer.registry import find, registered

# Keys under `people.<id>` that are no tracker identity: the Slack member id for mentions (§8).
PERSON_KEYS = ("slack",)


def identity_keys() -> tuple[str, ...]:
    """The keys under `people.<id>`: one per registered tracker kind, named like the kind."""
    return tuple(kind.name for kind in registered())


def _shown(kind: str) -> str:
    """A tracker kind as people write it in prose (GitHub, Jira)."""
    found = find(kind)
    return found.shown if found is not None else kind


@dataclass(frozen=True)
class People:
    """Everyone by id, and the line where each is defined (for later problems about them)."""

    by_id: Mapping[str, Person]
    lines: Mapping[str, int]
    # (person, kind, tracker name, line) for each identity given per tracker, checked once the
    # trackers are known
    per_tracker: tuple[tuple[str, str, str, int], ...] = ()


def read_people(top: Section) -> People:
    """The `people` mapping: id -> {github, jira}, each an identity or {tracker: identity}."""
    node = top.node("people")
    by_id: dict[str, Person] = {}
    lines: dict[str, int] = {}
    per_tracker: list[tuple[str, str, str, int]] = []
    listing = Section(node, "people", top.ctx, None)
    for person_id, entry_node in listing.entries():
        keys = identity_keys()
        entry = Section(entry_node, f"people.{person_id}", top.ctx, (*keys, *PERSON_KEYS))
        identities: dict[str, str | None] = {}
        overrides: list[tuple[str, str]] = []
        for kind in keys:
            value = entry.node(kind)
            if isinstance(value, Map):
                by_tracker = _by_tracker(value, f"people.{person_id}.{kind}", top)
                overrides += [(name, ident) for name, ident, _ in by_tracker]
                per_tracker += [(person_id, kind, name, line) for name, _, line in by_tracker]
                identities[kind] = None
            else:
                identities[kind] = entry.get(kind, top.ctx.values.name, None)
        given = {kind: identity for kind, identity in identities.items() if identity is not None}
        slack = entry.get("slack", slack_member, None)
        by_id[person_id] = Person(person_id, given, tuple(overrides), slack)
        lines[person_id] = listing.key_line(person_id)
    if node is not None and listing.is_mapping and not by_id:
        top.problem(node.line, "people", "must list at least one person")
    return People(by_id, lines, tuple(per_tracker))


def _by_tracker(node: Node, path: str, top: Section) -> list[tuple[str, str, int]]:
    """`{tracker name: identity}`: identities that differ between trackers of one kind."""
    section = Section(node, path, top.ctx, None)
    found = []
    for tracker_name, _ in section.entries():
        identity = section.get(tracker_name, top.ctx.values.name, "")
        if identity:
            found.append((tracker_name, identity, section.key_line(tracker_name)))
    if section.is_mapping and not found:
        top.ctx.problems.add(node.line, path, "must map at least one tracker to an identity")
    return found


def check_identities(
    people: People,
    rotation: Rotation | None,
    trackers: tuple[TrackerConfig, ...],
    declared: Mapping[str, str],
    ctx: Context,
) -> None:
    """Rotation members, the fallback and each team person need an identity in every tracker.

    `declared` is every tracker's kind by name as written, loaded or not.
    """
    _check_tracker_names(people, declared, ctx.problems)
    needs: list[tuple[str, str, tuple[TrackerConfig, ...]]] = []
    if rotation is not None:
        needs += [(m.person, "a rotation member", trackers) for m in rotation.members]
        needs += [(o.member, "covers an override", trackers) for o in rotation.overrides]
        if rotation.fallback is not None:
            needs.append((rotation.fallback, "the rotation fallback", trackers))
    for tracker in trackers:
        if tracker.team is not None:
            needs.append((tracker.team, f"the team of tracker {tracker.name!r}", (tracker,)))
    _report_missing(people, needs, ctx.problems)


def _check_tracker_names(people: People, kinds: Mapping[str, str], problems: Problems) -> None:
    for person_id, kind, name, line in people.per_tracker:
        if kinds.get(name) != kind:
            message = f"no {_shown(kind)} tracker {name!r}"
            problems.add(line, f"people.{person_id}.{kind}.{name}", message)


def _report_missing(
    people: People,
    needs: list[tuple[str, str, tuple[TrackerConfig, ...]]],
    problems: Problems,
) -> None:
    reported: set[tuple[str, str]] = set()
    for person_id, role, trackers in needs:
        person = people.by_id.get(person_id)
        for tracker in trackers:
            kind = tracker.kind
            if person is None or person.identity(tracker) or (person_id, kind) in reported:
                continue
            reported.add((person_id, kind))
            message = (
                f"no {kind!r} identity for tracker {tracker.name!r} (a {_shown(kind)} tracker),"
                f" and {person_id} is {role}"
            )
            problems.add(people.lines.get(person_id), f"people.{person_id}", message)

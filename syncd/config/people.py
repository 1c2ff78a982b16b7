"""The `people` section, and the check that everyone syncd may assign has an identity there."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from syncd.config.model import GitHubTracker, Person, Rotation, TrackerConfig
from syncd.config.problems import Problems
from syncd.config.section import Context, Section

_IDENTITY_KEYS = ("github", "jira")


@dataclass(frozen=True)
class People:
    """Everyone by id, and the line where each is defined (for later problems about them)."""

    by_id: Mapping[str, Person]
    lines: Mapping[str, int]


def read_people(top: Section) -> People:
    """The `people` mapping: id -> {github, jira}."""
    node = top.node("people")
    by_id: dict[str, Person] = {}
    lines: dict[str, int] = {}
    listing = Section(node, "people", top.ctx, None)
    for person_id, entry_node in listing.entries():
        entry = Section(entry_node, f"people.{person_id}", top.ctx, _IDENTITY_KEYS)
        github = entry.get("github", top.ctx.values.name, None)
        jira = entry.get("jira", top.ctx.values.name, None)
        by_id[person_id] = Person(person_id, github=github, jira=jira)
        lines[person_id] = listing.key_line(person_id)
    if node is not None and listing.is_mapping and not by_id:
        top.problem(node.line, "people", "must list at least one person")
    return People(by_id, lines)


def check_identities(
    people: People, rotation: Rotation | None, trackers: tuple[TrackerConfig, ...], ctx: Context
) -> None:
    """Rotation members, the fallback and each team person need an identity per tracker kind."""
    first_of_kind: dict[str, str] = {}
    for tracker in trackers:
        first_of_kind.setdefault(_kind(tracker), tracker.name)
    needs: list[tuple[str, str, dict[str, str]]] = []
    if rotation is not None:
        needs += [(m.person, "a rotation member", first_of_kind) for m in rotation.members]
        if rotation.fallback is not None:
            needs.append((rotation.fallback, "the rotation fallback", first_of_kind))
    for tracker in trackers:
        if tracker.team is not None:
            role = f"the team of tracker {tracker.name!r}"
            needs.append((tracker.team, role, {_kind(tracker): tracker.name}))
    _report_missing(people, needs, ctx.problems)


def _report_missing(
    people: People, needs: list[tuple[str, str, dict[str, str]]], problems: Problems
) -> None:
    reported: set[tuple[str, str]] = set()
    for person_id, role, kinds in needs:
        person = people.by_id.get(person_id)
        for kind, tracker in kinds.items():
            if person is None or getattr(person, kind) or (person_id, kind) in reported:
                continue
            reported.add((person_id, kind))
            shown = "GitHub" if kind == "github" else "Jira"
            message = (
                f"no {kind!r} identity, but tracker {tracker!r} is a {shown} tracker"
                f" and {person_id} is {role}"
            )
            problems.add(people.lines.get(person_id), f"people.{person_id}", message)


def _kind(tracker: TrackerConfig) -> str:
    return "github" if isinstance(tracker, GitHubTracker) else "jira"

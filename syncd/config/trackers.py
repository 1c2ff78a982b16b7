"""The `trackers` section: GitHub repository sets and Jira sites, each with its credentials."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection

from syncd.config.document import Map, Node, Scalar, Seq
from syncd.config.model import (
    GitHubEstimate,
    GitHubTracker,
    JiraEstimate,
    JiraTracker,
    TrackerConfig,
)
from syncd.config.problems import Invalid
from syncd.config.rotation import person_id
from syncd.config.section import Section
from syncd.config.values import elapsed, integer, number, regex
from syncd.domain.patterns import GuardedPattern

_COMMON = ("name", "kind", "token", "team", "estimate", "write_interval", "max_writes_per_cycle")
_GITHUB_ONLY = ("repos", "base_url", "escalation_labels", "priority_label")
_JIRA_ONLY = ("url", "email", "jql")
_KINDS = {"github": _GITHUB_ONLY, "jira": _JIRA_ONLY}
GITHUB_ESTIMATE_KEYS = ("label", "body")
JIRA_ESTIMATE_KEYS = ("field", "days_per_point")
_REPO = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
# Jira fields that hold seconds of time tracking; any other field is read as story points.
TIME_TRACKING_FIELDS = frozenset(
    (
        "timeoriginalestimate",
        "timeestimate",
        "aggregatetimeoriginalestimate",
        "aggregatetimeestimate",
    )
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
        section = Section(item, path, ctx, (*_COMMON, *_GITHUB_ONLY, *_JIRA_ONLY))
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
    kind = section.require("kind", section.ctx.values.name)
    if kind is not None and kind not in _KINDS:
        section.problem(
            section.key_line("kind"), "kind", f"expected github or jira, got {kind[:40]!r}"
        )
        return None
    if kind is None:
        return None
    for other_kind, keys in _KINDS.items():
        for key in keys:
            if other_kind != kind and section.has(key):
                section.problem(
                    section.key_line(key), key, f"{key!r} is for {other_kind} trackers, not {kind}"
                )
    if kind == "github":
        return _github(section, name, person)
    return _jira(section, name, person)


def _github(
    section: Section, name: str | None, person: Callable[[Node], str]
) -> GitHubTracker | None:
    values = section.ctx.values
    repos = section.require("repos", _repos(values.names))
    token = section.require("token", values.secret)
    grouped = _grouped_regex(values.string)
    estimate = Section(
        section.node("estimate"), f"{section.path}.estimate", section.ctx, GITHUB_ESTIMATE_KEYS
    )
    label, body = estimate.get("label", grouped, None), estimate.get("body", grouped, None)
    base_url = section.get("base_url", values.url, "https://api.github.com")
    default_labels: tuple[str, ...] = ("escalation",)
    labels = section.get("escalation_labels", values.names, default_labels)
    priority_label = section.get("priority_label", grouped, None)
    team = section.get("team", person, None)
    write_interval = section.get("write_interval", elapsed, 1.0)
    max_writes = section.get("max_writes_per_cycle", _max_writes, 500)
    if name is None or repos is None or token is None:
        return None
    return GitHubTracker(
        name=name,
        repos=repos,
        token=token,
        base_url=base_url,
        escalation_labels=labels,
        priority_label=priority_label,
        estimate=GitHubEstimate(label=label, body=body),
        team=team,
        write_interval=write_interval,
        max_writes_per_cycle=max_writes,
    )


def _jira(section: Section, name: str | None, person: Callable[[Node], str]) -> JiraTracker | None:
    values = section.ctx.values
    url = section.require("url", values.url)
    token = section.require("token", values.secret)
    jql = section.require("jql", values.name)
    email = section.get("email", values.secret, None)
    estimate = _jira_estimate(section)
    team = section.get("team", person, None)
    write_interval = section.get("write_interval", elapsed, 0.0)
    max_writes = section.get("max_writes_per_cycle", _max_writes, 500)
    if name is None or url is None or token is None or jql is None:
        return None
    return JiraTracker(
        name=name,
        url=url,
        token=token,
        jql=jql,
        email=email,
        estimate=estimate,
        team=team,
        write_interval=write_interval,
        max_writes_per_cycle=max_writes,
    )


def _jira_estimate(section: Section) -> JiraEstimate:
    estimate = Section(
        section.node("estimate"),
        f"{section.path}.estimate",
        section.ctx,
        JIRA_ESTIMATE_KEYS,
    )
    field = estimate.get("field", section.ctx.values.name, "timeoriginalestimate")
    per_point = functools.partial(number, minimum=0, maximum=1000, above=True)
    days_per_point = estimate.get("days_per_point", per_point, None)
    if field in TIME_TRACKING_FIELDS and days_per_point is not None:
        estimate.problem(
            estimate.key_line("days_per_point"),
            "days_per_point",
            f"{field} is time tracking (seconds), not points",
        )
    elif (
        field not in TIME_TRACKING_FIELDS
        and days_per_point is None
        and not estimate.has("days_per_point")
    ):
        estimate.problem(
            estimate.key_line("field"),
            "field",
            f"{field[:60]!r} is not a time-tracking field:"
            " give days_per_point to read it as story points",
        )
    return JiraEstimate(field=field, days_per_point=days_per_point)


def _repos(names: Callable[[Node], tuple[str, ...]]) -> Callable[[Node], tuple[str, ...]]:
    def read(node: Node) -> tuple[str, ...]:
        repos = names(node)
        items = node.items if isinstance(node, Seq) else (node,)
        for index, (repo, item) in enumerate(zip(repos, items, strict=True)):
            if not _REPO.fullmatch(repo):
                where = f"[{index}]" if isinstance(node, Seq) else ""
                raise Invalid(f"expected owner/name, got {repo[:60]!r}", item.line, where)
        return repos

    return read


def _grouped_regex(string: Callable[[Node], str]) -> Callable[[Node], GuardedPattern]:
    return lambda node: regex(string(node), groups=1)


def _max_writes(node: Node) -> int:
    return integer(node, minimum=1, maximum=1_000_000)

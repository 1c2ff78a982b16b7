"""The demo board: every escalation's tier, assignee and flag, and what one cycle wrote to it.

Pure: rows are built from the sandbox's issues, the people's edits and the cycle's audit
entries; syncd.entrypoints.commands.demo.board_table renders them. Nothing here reads a
clock, a terminal or the network.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from syncd.adapters.state import AuditEntry
from syncd.config.model import IGNORE_LABEL, Config, GitHubTracker, JiraTracker
from syncd.domain.rotation import Shift
from syncd.sandbox.snapshot import IssueView

HAND = "hand:"  # marks the changes people made, as opposed to syncd's writes
IGNORED = "ignored"  # the group of issues carrying syncd/ignore
NO_TIER = "(none)"
_CLOSED = frozenset({"closed", "done"})


@dataclass(frozen=True)
class Legend:
    """What the board needs from the config: names, labels, people and the order of tiers.

    `trackers` maps a sandbox (tracker, repository) pair such as ("github", "acme/web"), or
    ("jira-cloud", "*") for a whole Jira site, to the configured tracker name; `people` maps
    (tracker name, casefolded identity) to a person id; `names` maps the same keys to the display
    name the tracker knows an identity by (for assignees who are not in `people`).
    """

    trackers: Mapping[tuple[str, str], str]
    people: Mapping[tuple[str, str], str]
    label_prefix: str
    flag_label: str
    escalation_label: str
    tier_order: tuple[str, ...]
    names: Mapping[tuple[str, str], str] = field(default_factory=dict)


@dataclass(frozen=True)
class BoardRow:
    """One escalation as the board shows it."""

    tracker: str
    key: str
    title: str
    tier: str
    assignee: str
    flag: str  # the flag label when the issue carries it, else ""
    changes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Headline:
    """The line above the table: which cycle, when, and what it cost."""

    cycle: int
    at: datetime
    writes: int
    requests: int
    not_modified: int
    failed: tuple[str, ...] = ()  # trackers whose part of the cycle failed or paused


@dataclass(frozen=True)
class Board:
    """Everything one board prints."""

    headline: Headline
    rows: tuple[BoardRow, ...]
    shifts: tuple[Shift, ...]  # on call now, then next
    zone: ZoneInfo  # the rotation's time zone, for handoff times
    untouched: int = 0  # pull requests, closed issues and non-escalations left alone


def legend_for(
    config: Config,
    containers: Mapping[str, str],
    users: Mapping[str, Mapping[str, str]] | None = None,
) -> Legend:
    """The legend of `config`; `containers` maps each Jira tracker name to its sandbox flavour,
    `users` each sandbox flavour (`jira-cloud`) to its users' display names by identity."""
    trackers: dict[tuple[str, str], str] = {}
    people: dict[tuple[str, str], str] = {}
    names: dict[tuple[str, str], str] = {}
    for tracker in config.trackers:
        if isinstance(tracker, GitHubTracker):
            trackers.update({("github", repo.lower()): tracker.name for repo in tracker.repos})
        elif tracker.name in containers:
            trackers[(containers[tracker.name], "*")] = tracker.name
            known = (users or {}).get(containers[tracker.name], {})
            names.update({(tracker.name, i.casefold()): name for i, name in known.items()})
        for person in config.people.values():
            identity = person.identity(tracker)
            if identity is not None:
                people[(tracker.name, identity.casefold())] = person.id
    rules = tuple(dict.fromkeys(rule.tier for rule in config.tiers.rules))
    return Legend(
        trackers=trackers,
        people=people,
        label_prefix=config.tiers.label_prefix,
        flag_label=config.estimates.flag_label,
        escalation_label=_escalation_label(config),
        tier_order=(*rules, config.tiers.default_tier),
        names=names,
    )


def jira_flavours(config: Config) -> dict[str, str]:
    """Each Jira tracker's sandbox flavour (`jira-cloud`, `jira-dc`), from its URL's path."""
    return {
        tracker.name: urlsplit(tracker.url).path.strip("/").split("/")[-1]
        for tracker in config.trackers
        if isinstance(tracker, JiraTracker)
    }


def _escalation_label(config: Config) -> str:
    github = [t for t in config.trackers if isinstance(t, GitHubTracker)]
    return github[0].escalation_labels[0] if github and github[0].escalation_labels else ""


@dataclass(frozen=True)
class HandEdit:
    """A change someone other than syncd made between two cycles (kind as in AuditEntry)."""

    kind: str  # new, add_label, remove_label, assign, unassign
    detail: str = ""
    replaced: str = ""  # the assignee an `assign` took the place of


def hand_edits(
    before: Sequence[IssueView], after: Sequence[IssueView]
) -> dict[str, tuple[HandEdit, ...]]:
    """What changed in each issue from `before` (the last board) to `after` (before a cycle)."""
    earlier = {view.key: view for view in before}
    edits: dict[str, tuple[HandEdit, ...]] = {}
    for view in after:
        old = earlier.get(view.key)
        found = (HandEdit("new"),) if old is None else _differences(old, view)
        if found:
            edits[view.key] = found
    return edits


def _differences(old: IssueView, new: IssueView) -> tuple[HandEdit, ...]:
    gone = [x for x in old.assignees if x not in new.assignees]
    came = [x for x in new.assignees if x not in old.assignees]
    assignees: tuple[HandEdit, ...]
    if len(gone) == len(came) == 1:
        # One assignee swapped for another reads better as one change.
        assignees = (HandEdit("assign", came[0], replaced=gone[0]),)
    else:
        assignees = (
            *(HandEdit("unassign", x) for x in gone),
            *(HandEdit("assign", x) for x in came),
        )
    return (
        *(HandEdit("add_label", x) for x in new.labels if x not in old.labels),
        *(HandEdit("remove_label", x) for x in old.labels if x not in new.labels),
        *assignees,
    )


def board_rows(
    issues: Sequence[IssueView],
    writes: Sequence[AuditEntry],
    legend: Legend,
    edits: Mapping[str, Sequence[HandEdit]] | None = None,
) -> tuple[tuple[BoardRow, ...], int]:
    """The rows of every open escalation, sorted by tier then tracker; and how many were skipped.

    A row's changes are the `edits` people made to it before the cycle, then syncd's `writes`.
    """
    rows: list[BoardRow] = []
    for view in issues:
        tracker = _tracker_of(view, legend)
        if tracker is None or not _is_escalation(view, legend):
            continue
        mine = [w for w in writes if w.tracker == tracker and w.issue == view.key]
        theirs = [_hand(tracker, e, legend) for e in (edits or {}).get(view.key, ())]
        rows.append(_row(view, tracker, mine, legend, tuple(theirs)))
    order = {tier: index for index, tier in enumerate((*legend.tier_order, NO_TIER, IGNORED))}
    rows.sort(key=lambda r: (order.get(r.tier, len(legend.tier_order)), r.tracker, _natural(r.key)))
    known = sum(1 for view in issues if _tracker_of(view, legend) is not None)
    return tuple(rows), known - len(rows)


def _tracker_of(view: IssueView, legend: Legend) -> str | None:
    return legend.trackers.get((view.tracker, view.container.lower())) or legend.trackers.get(
        (view.tracker, "*")
    )


def _is_escalation(view: IssueView, legend: Legend) -> bool:
    wanted = legend.escalation_label.casefold()
    labelled = not wanted or any(label.casefold() == wanted for label in view.labels)
    return labelled and not view.pull_request and view.state not in _CLOSED


def _natural(key: str) -> tuple[str, int]:
    """`acme/web#9` before `acme/web#10`; `SUP-2` before `SUP-10`."""
    head = key.rstrip("0123456789")
    tail = key[len(head) :]
    return head, int(tail) if tail else 0


def _row(
    view: IssueView,
    tracker: str,
    writes: Sequence[AuditEntry],
    legend: Legend,
    edits: tuple[str, ...],
) -> BoardRow:
    prefix = legend.label_prefix.casefold()
    tiers = [label[len(prefix) :] for label in view.labels if label.casefold().startswith(prefix)]
    ignored = any(label.casefold() == IGNORE_LABEL for label in view.labels)
    flag = legend.flag_label.casefold()
    return BoardRow(
        tracker=tracker,
        key=view.key,
        title=view.title,
        tier=IGNORED if ignored else "+".join(tiers) or NO_TIER,
        assignee=", ".join(_person(tracker, who, legend) for who in view.assignees),
        flag=next((label for label in view.labels if label.casefold() == flag), ""),
        changes=edits + tuple(change(write, legend) for write in writes),
    )


def _person(tracker: str, identity: str, legend: Legend) -> str:
    """The person id, else the tracker's display name (a Jira accountId reads as nothing),
    else the identity itself."""
    key = (tracker, identity.casefold())
    return legend.people.get(key) or legend.names.get(key) or identity


def _hand(tracker: str, edit: HandEdit, legend: Legend) -> str:
    """A person's edit, marked as theirs: `hand:+tier/queue`, `hand:→bob`; or `new`."""
    if edit.kind == "new":
        return "new"
    if edit.replaced:
        before, after = (_person(tracker, who, legend) for who in (edit.replaced, edit.detail))
        return f"{HAND}{before}→{after}"
    return HAND + _describe(edit.kind, _person(tracker, edit.detail, legend), "ok")


def change(write: AuditEntry, legend: Legend) -> str:
    """One write of syncd in one word: +label, -label, →person, commented."""
    detail = write.detail
    if write.kind in {"assign", "unassign"}:
        detail = _person(write.tracker, detail, legend)
    return _describe(write.kind, detail, write.outcome)


def _describe(kind: str, detail: str, outcome: str) -> str:
    if outcome.startswith("failed"):
        return f"failed:{kind}:{detail}"
    words = {
        "add_label": f"+{detail}",
        "remove_label": f"-{detail}",
        "assign": f"→{detail}" if outcome == "ok" else f"refused:{detail}",
        "unassign": f"unassigned:{detail}",
        "comment": "commented" if outcome == "ok" else "comment-found",
    }
    return words.get(kind, f"{kind}:{detail}")

"""A read-only picture of every issue in the sandbox, for tests and the demo board."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from syncd.sandbox.comment import Comment
from syncd.sandbox.github_payloads import stamp
from syncd.sandbox.store import Store


@dataclass(frozen=True)
class IssueView:
    """One issue: `tracker` is github, jira-cloud or jira-dc; `key` is `acme/web#3` or `SUP-1`."""

    tracker: str
    container: str  # repository or project
    key: str
    title: str
    state: str
    labels: tuple[str, ...]
    assignees: tuple[str, ...]
    # Each comment's body, then a line `[property KEY: JSON]` per Jira comment property (in
    # Jira out of sight; here so that tests see syncd's marker wherever it is kept).
    comments: tuple[str, ...]
    updated: str  # UTC ISO 8601
    pull_request: bool = False


@dataclass(frozen=True)
class Snapshot:
    """Every issue of every tracker."""

    issues: tuple[IssueView, ...]

    def issue(self, key: str) -> IssueView:
        """The issue called `key`; KeyError when there is none."""
        for view in self.issues:
            if view.key == key:
                return view
        raise KeyError(key)

    def as_json(self) -> dict[str, object]:
        """The admin API's JSON shape: `{"issues": [...]}`."""
        return {"issues": [asdict(view) for view in self.issues]}


def take_snapshot(store: Store) -> Snapshot:
    """A consistent picture of `store`."""
    with store.lock:
        views = [
            IssueView(
                "github",
                repo.full_name,
                f"{repo.full_name}#{item.number}",
                item.title,
                item.state,
                tuple(item.labels),
                tuple(item.assignees),
                tuple(c.body for c in item.comments),
                stamp(item.updated),
                item.pull_request,
            )
            for repo in store.github.repos.values()
            for item in sorted(repo.issues.values(), key=lambda i: i.number)
        ]
        for flavour, site in store.jira.items():
            views += [
                IssueView(
                    f"jira-{flavour.value}",
                    item.project,
                    item.key,
                    item.summary,
                    item.category,
                    tuple(item.labels),
                    (item.assignee,) if item.assignee else (),
                    tuple(map(_shown, item.comments)),
                    stamp(item.updated),
                )
                for item in site.issues.values()
            ]
    return Snapshot(tuple(views))


def _shown(note: Comment) -> str:
    """A comment's body, then a `[property KEY: JSON]` line per property."""
    lines = [note.body]
    lines += [
        f"[property {k}: {json.dumps(v, sort_keys=True)}]" for k, v in note.properties.items()
    ]
    return "\n".join(lines)

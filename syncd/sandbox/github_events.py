"""GitHub webhook events from a change to the sandbox's issues: `issues` and `issue_comment`.

Shapes after GitHub's "Webhook events and payloads" (docs.github.com/webhooks/webhook-events-and-
payloads#issues and #issue_comment: `action`, `issue`, `repository`, `sender`, plus `label` for
labeled/unlabeled, `assignee` for assigned/unassigned, `changes` for edited, `comment` for
comments) and its delivery headers (X-GitHub-Hook-ID, X-GitHub-Event, X-GitHub-Delivery,
X-Hub-Signature, X-Hub-Signature-256, User-Agent: GitHub-Hookshot/...), signed as "Validating
webhook deliveries" says: the hex HMAC-SHA256 of the raw body under the secret, `sha256=`.
"""

from __future__ import annotations

import hashlib
import hmac
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace

from syncd.sandbox import github_payloads as shapes
from syncd.sandbox.comment import Comment
from syncd.sandbox.deliveries import Event
from syncd.sandbox.exchange import JsonObject
from syncd.sandbox.github_state import GitHubIssue, GitHubSite, Repo

_HOOKSHOT = "GitHub-Hookshot/8b7ab3c"  # real ones carry a short commit hash, e.g. 044aadd


@dataclass(frozen=True)
class IssueView:
    """What of an issue a webhook reports on, copied so later writes cannot change it."""

    title: str
    body: str | None
    state: str
    labels: tuple[str, ...]
    assignees: tuple[str, ...]
    comments: tuple[Comment, ...]


Views = dict[tuple[str, int], IssueView]


def capture(site: GitHubSite, only: str | None = None) -> Views:
    """Issue views by (repository full name, number): the one issue `only` names (`acme/web#3`,
    none if it does not exist yet), or every issue when `only` is None."""
    return {
        (repo.full_name, item.number): IssueView(
            item.title,
            item.body,
            item.state,
            tuple(item.labels),
            tuple(item.assignees),
            tuple(replace(note) for note in item.comments),
        )
        for repo, item in _issues(site, only)
    }


def _issues(site: GitHubSite, only: str | None) -> Iterator[tuple[Repo, GitHubIssue]]:
    if only is None:
        yield from ((repo, item) for repo in site.repos.values() for item in repo.issues.values())
        return
    name, _, number = only.partition("#")
    repo = site.repos.get(name.lower())
    item = repo.issues.get(int(number)) if repo is not None and number.isdigit() else None
    if repo is not None and item is not None:
        yield repo, item


def events(
    before: Views, after: Views, site: GitHubSite, origin: str, base: str, *, by_api: bool
) -> list[Event]:
    """The events GitHub would send for the difference, issue by issue; the sender is the
    token's user for an API write, else the issue's author (a person editing by hand)."""
    found: list[Event] = []
    for (name, number), now in after.items():
        was = before.get((name, number))
        if now == was:
            continue
        repo = site.repos[name.lower()]
        item = repo.issues[number]
        context = _Context(repo, item, origin, base, site.login if by_api else item.user)
        found += _issue_events(context, was, now)
    return found


@dataclass(frozen=True)
class _Context:
    repo: Repo
    item: GitHubIssue
    origin: str
    base: str
    sender: str

    def payload(self, action: str, **extra: object) -> JsonObject:
        return {
            "action": action,
            "issue": shapes.issue(self.base, self.origin, self.repo, self.item),
            **extra,
            "repository": shapes.repository(self.base, self.origin, self.repo),
            "sender": shapes.user(self.base, self.origin, self.sender),
        }

    def user(self, login: str) -> JsonObject:
        return shapes.user(self.base, self.origin, login)

    def label(self, name: str) -> JsonObject:
        found = self.repo.labels.get(name.lower())
        return shapes.label(self.base, self.repo, found) if found else {"name": name}


def _issue_events(c: _Context, was: IssueView | None, now: IssueView) -> Iterator[Event]:
    if was is None:
        yield Event("issues", "opened", c.payload("opened"))
        was = replace(now, labels=(), assignees=(), comments=())
    changes = {
        key: {"from": old}
        for key, old, new in (("title", was.title, now.title), ("body", was.body, now.body))
        if old != new
    }
    if changes:
        yield Event("issues", "edited", c.payload("edited", changes=changes))
    if was.state != now.state:
        action = "closed" if now.state == "closed" else "reopened"
        yield Event("issues", action, c.payload(action))
    yield from _added_removed(c, was.labels, now.labels, ("labeled", "unlabeled"), "label")
    yield from _added_removed(
        c, was.assignees, now.assignees, ("assigned", "unassigned"), "assignee"
    )
    old_ids = {note.id for note in was.comments}
    new_ids = {note.id for note in now.comments}
    for note in now.comments:
        if note.id not in old_ids:
            yield _comment_event(c, "created", note)
    for note in was.comments:
        if note.id not in new_ids:
            yield _comment_event(c, "deleted", note)


def _added_removed(
    c: _Context, old: tuple[str, ...], new: tuple[str, ...], actions: tuple[str, str], key: str
) -> Iterator[Event]:
    """One event per name added, then per name removed (GitHub compares names without case)."""
    old_lower, new_lower = {n.lower() for n in old}, {n.lower() for n in new}
    added = [name for name in new if name.lower() not in old_lower]
    removed = [name for name in old if name.lower() not in new_lower]
    for action, names in zip(actions, (added, removed), strict=True):
        for name in names:
            value = c.label(name) if key == "label" else c.user(name)
            yield Event("issues", action, c.payload(action, **{key: value}))


def _comment_event(c: _Context, action: str, note: Comment) -> Event:
    comment = shapes.comment(c.base, c.origin, c.repo, c.item, note)
    return Event("issue_comment", action, c.payload(action, comment=comment))


def headers(event: Event, body: bytes, secret: str, delivery: str, hook_url: str) -> dict[str, str]:
    """The headers GitHub sends with a delivery; both signatures, as GitHub sends both."""
    key = secret.encode()
    sha256 = hmac.new(key, body, hashlib.sha256).hexdigest()
    sha1 = hmac.new(key, body, hashlib.sha1).hexdigest()
    return {
        "Content-Type": "application/json",
        "User-Agent": _HOOKSHOT,
        "X-GitHub-Delivery": delivery,
        "X-GitHub-Event": event.name,
        "X-GitHub-Hook-ID": str(zlib.crc32(hook_url.encode()) % 1_000_000_000),
        "X-GitHub-Hook-Installation-Target-Type": "repository",
        "X-GitHub-Hook-Installation-Target-ID": str(_repository_id(event)),
        "X-Hub-Signature": f"sha1={sha1}",
        "X-Hub-Signature-256": f"sha256={sha256}",
    }


def _repository_id(event: Event) -> object:
    repository = event.payload["repository"]
    return repository.get("id") if isinstance(repository, dict) else None

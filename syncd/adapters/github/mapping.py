"""GitHub issue JSON to IssueSnapshot, and issue keys back to repo and number; pure, no raising."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from syncd.config.model import Estimates, GitHubTracker
from syncd.domain.estimates import NO_ESTIMATE, Reading, from_text
from syncd.domain.issue import IssueSnapshot, MappedIssue, utc_time
from syncd.domain.patterns import TextPattern
from syncd.errors import PatternTimedOut

# \Z, not $: `$` also matches before a trailing newline, and keys come from webhook payloads
_KEY = re.compile(r"^([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)#([1-9][0-9]{0,15})\Z")


@dataclass(frozen=True)
class IssueRef:
    """Where a GitHub issue key points: `owner/repo` and the issue number."""

    repo: str
    number: int


class _Skip(Exception):
    """Internal: a field of the payload cannot be read; carries the readable reason."""


def parse_key(key: str) -> IssueRef | None:
    """`owner/repo#12` -> IssueRef("owner/repo", 12); None when `key` is not such a key."""
    match = _KEY.match(key) if isinstance(key, str) else None
    if match is None or any(part in (".", "..") for part in match.group(1).split("/")):
        return None
    return IssueRef(match.group(1), int(match.group(2)))


def is_pull_request(raw: object) -> bool:
    """Whether a list item is a pull request (the issues list includes them)."""
    return isinstance(raw, Mapping) and raw.get("pull_request") is not None


def updated_at(raw: object) -> datetime | None:
    """The item's `updated_at` as aware UTC, or None when it is missing or unreadable."""
    if not isinstance(raw, Mapping):
        return None
    try:
        return _time(raw, "updated_at")
    except _Skip:
        return None


def to_snapshot(
    raw: Mapping[str, object], tracker: GitHubTracker, estimates: Estimates, repo: str
) -> MappedIssue:
    """Map one issue from a GitHub list answer; bad payloads give a skip, never an exception."""
    payload: object = raw  # typed as a mapping, but JSON from the wire is checked all the same
    if not isinstance(payload, Mapping):
        return MappedIssue(f"{repo}#?", None, f"not a JSON object but {type(payload).__name__}")
    number = payload.get("number")
    key = f"{repo}#{number}" if _is_int(number) else f"{repo}#?"
    try:
        return _map(payload, tracker, estimates, repo, key)
    except _Skip as skip:
        return MappedIssue(key, None, str(skip))


def _map(
    raw: Mapping[str, object], tracker: GitHubTracker, estimates: Estimates, repo: str, key: str
) -> MappedIssue:
    if not _is_int(raw.get("number")):
        raise _Skip(f"issue number is missing or not an integer: {raw.get('number')!r:.80}")
    labels = _names(raw, "labels", "name")
    body = _text(raw, "body", nullable=True)
    warnings: list[str] = []
    reading = _estimate(labels, body, tracker, estimates, warnings)
    snapshot = IssueSnapshot(
        tracker=tracker.name,
        key=key,
        title=_text(raw, "title", nullable=False),
        body=body,
        labels=labels,
        assignees=_names(raw, "assignees", "login"),
        created=_time(raw, "created_at"),
        updated=_time(raw, "updated_at"),
        repo=repo,
        priority=_read_group(tracker.priority_label, labels, "priority_label", warnings),
        reporters=1 + _thumbs_up(raw.get("reactions")),
        estimate=reading.seconds,
        estimate_text=reading.text,
        url=_optional_text(raw.get("html_url")),
    )
    if reading.problem:
        warnings.append(f"estimate ignored: {reading.problem}")
    return MappedIssue(key, snapshot, None, tuple(warnings))


def _is_int(value: object) -> bool:
    # bool is an int subclass; `"number": true` is not an issue number
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _optional_text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _text(raw: Mapping[str, object], field: str, *, nullable: bool) -> str:
    value = raw.get(field)
    if value is None and nullable:
        return ""
    if not isinstance(value, str):
        raise _Skip(f"{field} is not a string: {value!r:.80}")
    return value


def _names(raw: Mapping[str, object], field: str, name: str) -> tuple[str, ...]:
    """Label names or assignee logins; a list of objects each carrying a string `name`."""
    items = raw.get(field)
    if items is None:
        return ()
    if not isinstance(items, Sequence) or isinstance(items, str):
        raise _Skip(f"{field} is not a list: {items!r:.80}")
    names = []
    for item in items:
        value = item.get(name) if isinstance(item, Mapping) else None
        if not isinstance(value, str):
            # a half-read label set could hide `syncd/ignore` or a hand-set tier: skip instead
            raise _Skip(f"{field} entry without a string {name}: {item!r:.80}")
        names.append(value)
    return tuple(names)


def _time(raw: Mapping[str, object], field: str) -> datetime:
    value = raw.get(field)
    if not isinstance(value, str):
        raise _Skip(f"{field} is missing or not a string: {value!r:.80}")
    try:
        return utc_time(value)
    except ValueError as exc:
        raise _Skip(f"{field} {exc}: {value!r:.80}") from None


def _thumbs_up(reactions: object) -> int:
    """GitHub 👍 reactions from the list payload; absent or odd counts as none."""
    count = reactions.get("+1") if isinstance(reactions, Mapping) else None
    if isinstance(count, int) and not isinstance(count, bool) and count > 0:
        return count
    return 0


def _read_group(
    pattern: TextPattern | None, texts: Sequence[str], what: str, warnings: list[str]
) -> str | None:
    """`_first_group`, but a regex that runs out of time reads as no match, with a warning."""
    try:
        return _first_group(pattern, texts)
    except PatternTimedOut as exc:
        warnings.append(f"{what}: {exc}; read as no match")
        return None


def _first_group(pattern: TextPattern | None, texts: Sequence[str]) -> str | None:
    """Group 1 (or the whole match, for a pattern without groups) of the first text matching."""
    if pattern is None:
        return None
    for text in texts:
        match = pattern.search(text)
        if match is not None:
            found = match.group(1) if pattern.groups else match.group(0)
            if found:
                return found.strip() or None
    return None


def _estimate(
    labels: tuple[str, ...],
    body: str,
    tracker: GitHubTracker,
    estimates: Estimates,
    warnings: list[str],
) -> Reading:
    """From the first label matching `estimate.label`, else from `estimate.body` over the body."""
    text = _read_group(tracker.estimate.label, labels, "estimate.label", warnings)
    if text is None:
        text = _read_group(tracker.estimate.body, (body,), "estimate.body", warnings)
    if text is None:
        return NO_ESTIMATE
    return from_text(text, estimates.units)

"""Test doubles shared by the test suite: an in-memory tracker that people and syncd both edit."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from itertools import count

from syncd.domain.issue import IssueSnapshot
from syncd.errors import NotFound, TrackerUnavailable, Unassignable
from syncd.service_layer.tracker import Fetch

EPOCH = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)


@dataclasses.dataclass(frozen=True)
class Write:
    """One write syncd made: the operation, the issue and its argument."""

    op: str  # add_label, remove_label, assign, unassign, comment
    key: str
    arg: str


class Ticks:
    """A monotonic clock that moves only when the test sets `now`."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class SteppingClock:
    """A monotonic clock that jumps a long way on every read, so no wait ever blocks."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1000.0
        return self.now


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime = EPOCH) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self.now += timedelta(seconds=seconds)


class FakeTracker:
    """An in-memory syncd.service_layer.tracker.Tracker: issues, a write log, injectable failures.

    `writes` lists every write call that reached the tracker (a refused assign included; a call
    failed by `fail_next` is not there, and one refused by `refuse` is in `refused` instead).
    Every change (by syncd or by a "person") bumps the issue's `updated` to the clock, as GitHub
    and Jira do, so incremental fetches see it again.
    """

    def __init__(self, name: str, clock: Callable[[], datetime] | None = None) -> None:
        self._name = name
        self.clock = clock or FakeClock()
        self.issues: dict[str, IssueSnapshot] = {}
        self.comments: dict[str, list[str]] = {}
        self.writes: list[Write] = []
        self.label_batches: list[tuple[str, tuple[str, ...]]] = []
        self.fetches: list[datetime | None] = []
        self.fetched_one: list[str] = []  # the keys fetch_one was asked for
        self.unassignable: set[str] = set()
        # (repository or project, identity): refused as assignee there only, as GitHub refuses
        # a non-collaborator in one repository and Jira a user in one project.
        self.unassignable_in: set[tuple[str, str]] = set()
        self._failures: list[tuple[Exception, frozenset[str] | None]] = []
        self._refusals: dict[tuple[str, str], Exception] = {}
        self._lost_answers: dict[str, int] = {}
        self.refused: list[Write] = []
        self._numbers = count(1)

    @property
    def name(self) -> str:
        """The tracker's name from the config."""
        return self._name

    # --- what people do ----------------------------------------------------------------------

    def open_issue(self, title: str = "Checkout page is slow", **fields: object) -> str:
        """Open an escalation (as a customer would) and return its key."""
        key = str(fields.pop("key", f"acme/web#{next(self._numbers)}"))
        now = self.clock()
        defaults: dict[str, object] = {
            "body": "",
            "labels": ("escalation",),
            "assignees": (),
            "created": now,
            "updated": now,
        }
        defaults.update(fields)
        self.issues[key] = IssueSnapshot(
            tracker=self._name,
            key=key,
            title=title,
            **defaults,  # type: ignore[arg-type]
        )
        return key

    def edit(self, key: str, **changes: object) -> None:
        """Change an issue as a person would (labels=, assignees=, title=, ...)."""
        self.issues[key] = dataclasses.replace(
            self.issues[key],
            updated=self.clock(),
            **changes,  # type: ignore[arg-type]
        )

    def labels(self, key: str) -> tuple[str, ...]:
        """The issue's labels now."""
        return self.issues[key].labels

    def assignees(self, key: str) -> tuple[str, ...]:
        """The issue's assignees now."""
        return self.issues[key].assignees

    # --- switches ----------------------------------------------------------------------------

    def fail_next(self, times: int, error: Exception, ops: Iterable[str] | None = None) -> None:
        """Make the next `times` calls (of `ops` only, if given) raise `error`."""
        only = frozenset(ops) if ops is not None else None
        self._failures.extend((error, only) for _ in range(times))

    def lose_next_answers(self, times: int, op: str = "add_label") -> None:
        """The next `times` label additions (or assigns) land, but their answer is lost."""
        self._lost_answers[op] = self._lost_answers.get(op, 0) + times

    def refuse(self, key: str, op: str, error: Exception) -> None:
        """Make every `op` write to `key` raise `error`, for good (a 422, a 404)."""
        self._refusals[(key, op)] = error

    def accept(self, key: str, op: str) -> None:
        """Stop refusing `op` on `key`."""
        del self._refusals[(key, op)]

    # --- the Tracker port --------------------------------------------------------------------

    def fetch(self, since: datetime | None) -> Fetch:
        """Open escalations updated at or after `since`, or all of them."""
        self._maybe_fail("fetch")
        self.fetches.append(since)
        found = tuple(
            issue for issue in self.issues.values() if since is None or issue.updated >= since
        )
        newest = max((issue.updated for issue in found), default=None)
        return Fetch(
            snapshots=found,
            unchanged=False,
            complete=since is None,
            watermark=newest,
            requests=1,
        )

    def fetch_one(self, key: str) -> IssueSnapshot | None:
        """The issue `key` as fetch lists it (every issue held is an open escalation), or None."""
        self._maybe_fail("fetch_one")
        self.fetched_one.append(key)
        return self.issues.get(key)

    def add_label(self, key: str, label: str) -> None:
        """Add one label."""
        issue = self._write("add_label", key, label)
        if not issue.has_label(label):
            self.edit(key, labels=(*issue.labels, label))
        self._maybe_lose("add_label")

    def add_labels(self, key: str, labels: tuple[str, ...]) -> None:
        """Add several labels in one request: `writes` lists each, `label_batches` the request."""
        self.label_batches.append((key, labels))
        for label in labels:
            self.add_label(key, label)

    def remove_label(self, key: str, label: str) -> None:
        """Remove one label; absent is fine."""
        issue = self._write("remove_label", key, label)
        kept = tuple(x for x in issue.labels if x.casefold() != label.casefold())
        if kept != issue.labels:
            self.edit(key, labels=kept)

    def assign(self, key: str, identity: str, replacing: str | None) -> None:
        """Make `identity` an assignee, removing `replacing`; Unassignable when refused."""
        issue = self._write("assign", key, identity)
        where = key.partition("#")[0] if "#" in key else key.partition("-")[0]
        if identity in self.unassignable or (where, identity) in self.unassignable_in:
            raise Unassignable(f"{identity} cannot be assigned in {self._name}", identity)
        kept = [x for x in issue.assignees if x not in (replacing, identity)]
        if self._lost_answers.get("assign"):
            # As GitHub's two calls: the POST lands, its answer is lost, `replacing` stays.
            kept = [x for x in issue.assignees if x != identity]
        self.edit(key, assignees=(*kept, identity))
        self._maybe_lose("assign")

    def unassign(self, key: str, identity: str) -> None:
        """Remove `identity` from the assignees."""
        issue = self._write("unassign", key, identity)
        self.edit(key, assignees=tuple(x for x in issue.assignees if x != identity))

    def comment(self, key: str, body: str, marker: str) -> bool:
        """Post `body` unless a comment with `marker` is there."""
        self._write("comment", key, marker)
        posted = self.comments.setdefault(key, [])
        if any(marker in existing for existing in posted):
            return False
        posted.append(f"{body}\n{marker}")
        self.edit(key)
        return True

    # --- inside ------------------------------------------------------------------------------

    def _write(self, op: str, key: str, arg: str) -> IssueSnapshot:
        self._maybe_fail(op)
        refusal = self._refusals.get((key, op))
        if refusal is not None:
            self.refused.append(Write(op, key, arg))
            raise refusal
        if key not in self.issues:
            raise NotFound(f"{self._name}: no issue {key}")
        self.writes.append(Write(op, key, arg))
        return self.issues[key]

    def _maybe_lose(self, op: str) -> None:
        """Raise as a dropped connection would, after the write, when `op` is to lose its answer."""
        if self._lost_answers.get(op):
            self._lost_answers[op] -= 1
            raise TrackerUnavailable("connection dropped before the answer")

    def _maybe_fail(self, op: str) -> None:
        for position, (error, only) in enumerate(self._failures):
            if only is None or op in only:
                del self._failures[position]
                raise error

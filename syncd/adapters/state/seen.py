"""What syncd last saw of each open escalation: the rows `syncd status` builds its queue from."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from syncd.adapters.state.table import Table
from syncd.domain.actions import IssuePlan
from syncd.domain.issue import IssueSnapshot
from syncd.domain.ledger import IssueRecord, RecordKey

# Constant queries, spelled out as in store.py.
_SAVE = (
    "INSERT OR REPLACE INTO seen (tracker, key, title, url, tier, assignees, reporters, created,"
    " updated, flagged, seen_at, estimate, estimate_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
    " ?, ?)"
)
_SELECT = (
    "SELECT tracker, key, title, url, tier, assignees, reporters, created, updated, flagged,"
    " seen_at, estimate, estimate_text FROM seen ORDER BY tracker, created, key"
)


@dataclass(frozen=True)
class SeenIssue:
    """One open escalation as the last cycle left it; times are aware UTC datetimes.

    `tier` is None for an issue syncd leaves alone (`syncd/ignore`); `assignees` are tracker
    identities; `flagged` means the flag label is on the issue; `estimate` is in work seconds,
    `estimate_text` as the tracker wrote it (`3d`, `5 points`), both None without an estimate.
    """

    tracker: str
    key: str
    title: str
    url: str
    tier: str | None
    assignees: tuple[str, ...]
    reporters: int
    created: datetime
    updated: datetime
    flagged: bool
    seen_at: datetime
    estimate: float | None = None
    estimate_text: str | None = None


def sighting(  # noqa: PLR0917 - the pieces of one issue's cycle, all needed
    issue: IssueSnapshot,
    plan: IssuePlan | None,
    before: IssueRecord,
    after: IssueRecord,
    flag_label: str,
    now: datetime,
) -> SeenIssue:
    """`issue` as it stands once the cycle's writes landed (`before`/`after`: its record)."""
    assignees = list(issue.assignees)
    if after.assignee != before.assignee:
        # Only what syncd changed itself is known to differ from the fetched snapshot.
        assignees = [who for who in assignees if who not in (before.assignee, after.assignee)]
        assignees += [after.assignee] if after.assignee is not None else []
    flagged = after.flagged if after.flagged != before.flagged else issue.has_label(flag_label)
    decision = plan.decision if plan is not None else None
    return SeenIssue(
        tracker=issue.tracker,
        key=issue.key,
        title=issue.title,
        url=issue.url,
        tier=decision.tier if decision is not None else None,
        assignees=tuple(assignees),
        reporters=issue.reporters,
        created=issue.created,
        updated=issue.updated,
        flagged=flagged,
        seen_at=now,
        estimate=issue.estimate,
        estimate_text=issue.estimate_text,
    )


# Told of every save once it is stored: (tracker, issues, complete), as `SeenTable.save` got them.
Saved = Callable[[str, Sequence[SeenIssue], bool], object]


class SeenTable(Table):
    """The `seen` table of the state file; every method is one transaction."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        super().__init__(path, conn)
        self._watchers: list[Saved] = []

    def watch(self, saved: Saved) -> None:
        """Call `saved` after each save from now on (the status page's copy in memory)."""
        self._watchers.append(saved)

    def save(self, tracker: str, issues: Sequence[SeenIssue], *, complete: bool) -> None:
        """Store `issues` of `tracker`; when `complete`, forget the issues it no longer lists."""
        with self._transaction() as conn:
            conn.executemany(_SAVE, [_values(issue) for issue in issues])
            if complete:
                listed = {issue.key for issue in issues}
                stored = conn.execute("SELECT key FROM seen WHERE tracker = ?", (tracker,))
                gone = [(tracker, key) for (key,) in stored.fetchall() if key not in listed]
                conn.executemany("DELETE FROM seen WHERE tracker = ? AND key = ?", gone)
        for saved in self._watchers:
            saved(tracker, issues, complete)

    def issues(self) -> list[SeenIssue]:
        """Every stored issue, ordered by tracker and creation time."""
        with self._transaction() as conn:
            rows = conn.execute(_SELECT).fetchall()
        read = (self._read("seen", f"{row[0]} {row[1]}", _issue, row) for row in rows)
        return [issue for issue in read if issue is not None]

    def unassigned_in(self, tier: str) -> list[SeenIssue]:
        """The stored issues in `tier` with no assignee (the unowned fires, for the fire tier)."""
        with self._transaction() as conn:
            rows = conn.execute(
                _SELECT.replace(" ORDER BY", " WHERE tier = ? AND assignees = '[]' ORDER BY"),
                (tier,),
            ).fetchall()
        read = (self._read("seen", f"{row[0]} {row[1]}", _issue, row) for row in rows)
        return [issue for issue in read if issue is not None]

    def tier_counts(self, tracker: str) -> dict[str, int]:
        """How many stored issues of `tracker` are in each tier (untiered ones left out)."""
        with self._transaction() as conn:
            rows = conn.execute(
                "SELECT tier, COUNT(*) FROM seen WHERE tracker = ? AND tier IS NOT NULL"
                " GROUP BY tier",
                (tracker,),
            ).fetchall()
        return {str(tier): int(count) for tier, count in rows}

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        # One transaction for thousands of rows; joins one a caller already opened.
        owned = not self._conn.in_transaction
        with self._sql() as conn:
            if owned:
                conn.execute("BEGIN")
            try:
                yield conn
                if owned:
                    conn.execute("COMMIT")
            except BaseException:
                if owned and conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise


def _values(issue: SeenIssue) -> tuple[object, ...]:
    return (
        issue.tracker,
        issue.key,
        issue.title,
        issue.url,
        issue.tier,
        json.dumps(list(issue.assignees)),
        issue.reporters,
        issue.created.isoformat(),
        issue.updated.isoformat(),
        issue.flagged,
        issue.seen_at.isoformat(),
        issue.estimate,
        issue.estimate_text,
    )


def _issue(row: Sequence[object]) -> SeenIssue:
    tracker, key, title, url, tier, assignees, reporters, created, updated, flagged, seen = row[:11]
    estimate, estimate_text = row[11:]
    names = json.loads(str(assignees))
    return SeenIssue(
        tracker=str(tracker),
        key=str(key),
        title=str(title),
        url=str(url),
        tier=tier if isinstance(tier, str) else None,
        assignees=tuple(str(name) for name in names) if isinstance(names, list) else (),
        reporters=int(str(reporters)),
        created=datetime.fromisoformat(str(created)),
        updated=datetime.fromisoformat(str(updated)),
        flagged=bool(flagged),
        seen_at=datetime.fromisoformat(str(seen)),
        estimate=float(estimate) if isinstance(estimate, int | float) else None,
        estimate_text=estimate_text if isinstance(estimate_text, str) else None,
    )


def sightings(  # noqa: PLR0917 - one cycle's pieces, all needed
    issues: Sequence[IssueSnapshot],
    plans: Sequence[IssuePlan],
    before: Mapping[RecordKey, IssueRecord],
    after: Mapping[RecordKey, IssueRecord],
    flag_label: str,
    now: datetime,
) -> list[SeenIssue]:
    """Every fetched issue as the cycle left it; `before`/`after`: records around the writes."""
    by_key = {(plan.tracker, plan.key): plan for plan in plans}
    found = []
    for issue in issues:
        key = (issue.tracker, issue.key)
        old, new = before.get(key, IssueRecord()), after.get(key, IssueRecord())
        found.append(sighting(issue, by_key.get(key), old, new, flag_label, now))
    return found

"""Writes a tracker refused for good, remembered per issue so that they are not retried blindly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from syncd.adapters.state.table import Table

_SAVE = (
    "INSERT OR REPLACE INTO rejections (tracker, key, kind, detail, updated, message, at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_SELECT = "SELECT key, kind, detail, updated, message, at FROM rejections WHERE tracker = ?"

RejectionKey = tuple[str, str, str]  # (issue key, action kind, action detail)


@dataclass(frozen=True)
class Rejection:
    """One write refused for good (422, 404): which, on what issue, and as of which `updated`.

    `updated` is the issue's `updated` as syncd saw it before its own writes (see
    syncd.domain.ledger.seen_before_writes): the refusal holds until a person changes the issue.
    """

    tracker: str
    key: str
    kind: str  # add_label, remove_label, assign, unassign, comment
    detail: str  # the label, the identities, the comment marker
    updated: datetime
    message: str
    at: datetime

    @property
    def ident(self) -> RejectionKey:
        """What the refusal is about within its tracker."""
        return self.key, self.kind, self.detail


class RejectionTable(Table):
    """The `rejections` table of the state file."""

    def remember(self, rejection: Rejection) -> None:
        """Store (replace) one refusal."""
        with self._sql() as conn:
            conn.execute(
                _SAVE,
                (
                    rejection.tracker,
                    *rejection.ident,
                    rejection.updated.isoformat(),
                    rejection.message,
                    rejection.at.isoformat(),
                ),
            )

    def of(self, tracker: str) -> dict[RejectionKey, Rejection]:
        """Every refusal remembered for `tracker`."""
        with self._sql() as conn:
            rows = conn.execute(_SELECT, (tracker,)).fetchall()
        read = (self._read("rejections", row[0], _rejection, (tracker, *row)) for row in rows)
        return {rejection.ident: rejection for rejection in read if rejection is not None}

    def forget(self, tracker: str, ident: RejectionKey) -> None:
        """Drop one refusal (the issue changed: the write may be tried again)."""
        with self._sql() as conn:
            conn.execute(
                "DELETE FROM rejections WHERE tracker = ? AND key = ? AND kind = ? AND detail = ?",
                (tracker, *ident),
            )

    def clear(self, tracker: str) -> None:
        """Drop every refusal of `tracker` (a full reconciliation tries every write again)."""
        with self._sql() as conn:
            conn.execute("DELETE FROM rejections WHERE tracker = ?", (tracker,))


def _rejection(row: tuple[object, ...]) -> Rejection:
    tracker, key, kind, detail, updated, message, at = map(str, row)
    return Rejection(
        tracker,
        key,
        kind,
        detail,
        datetime.fromisoformat(updated),
        message,
        datetime.fromisoformat(at),
    )

"""The `etags` table: the validator of each list a tracker answered 200, for conditional lists."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from syncd.adapters.state.table import Table


class TrackerEtags(Table):
    """ETags of one tracker's list URLs, namespaced so that two trackers never share one."""

    def __init__(self, path: Path, conn: sqlite3.Connection, tracker: str) -> None:
        super().__init__(path, conn)
        self._tracker = tracker

    def etag(self, url: str) -> str | None:
        """The ETag last stored for `url`, if any."""
        with self._sql() as conn:
            row = conn.execute(
                "SELECT etag FROM etags WHERE tracker = ? AND url = ?", (self._tracker, url)
            ).fetchone()
        return None if row is None else str(row[0])

    def remember_etag(self, url: str, etag: str) -> None:
        """Store the ETag of the latest 200 answer for `url`."""
        with self._sql() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO etags (tracker, url, etag) VALUES (?, ?, ?)",
                (self._tracker, url, etag),
            )

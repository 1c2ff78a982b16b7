"""A part of the state file over the shared connection, with SQLite failures as StateError."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from syncd.errors import StateError


class Table:
    """Base of every part of the state file: the one place SQLite errors become StateError."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self._path = path
        self._conn = conn

    @contextmanager
    def _sql(self) -> Iterator[sqlite3.Connection]:
        """The connection; a SQLite failure inside is a StateError naming the file."""
        try:
            yield self._conn
        except sqlite3.Error as exc:
            raise StateError(f"state file {self._path}: {exc}") from exc

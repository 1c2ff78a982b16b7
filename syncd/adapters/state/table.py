"""A part of the state file over the shared connection, with SQLite failures as StateError."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import structlog

from syncd.adapters.state.trouble import unusable

log = structlog.get_logger("syncd.state")

Raw = TypeVar("Raw")
Read = TypeVar("Read")


class Table:
    """Base of every part of the state file: the one place SQLite errors become StateError,
    and the one place a row that cannot be read is set aside."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self._path = path
        self._conn = conn
        self._set_aside: set[tuple[str, str]] = set()

    @contextmanager
    def _sql(self) -> Iterator[sqlite3.Connection]:
        """The connection; a SQLite failure inside is a StateError naming the file."""
        try:
            yield self._conn
        except sqlite3.Error as exc:
            raise unusable(self._path, exc) from exc

    def _read(self, table: str, key: object, parse: Callable[[Raw], Read], row: Raw) -> Read | None:
        """`parse(row)`, or None when the row holds garbage (a hand edit, a bad disk).

        Such a row is treated as absent and logged once per table and key, so that one bad
        value never becomes a crash on every cycle; the next write of that key replaces it.
        """
        try:
            return parse(row)
        except (ValueError, TypeError) as exc:
            if (table, str(key)) not in self._set_aside:
                self._set_aside.add((table, str(key)))
                log.warning(
                    "unreadable state row set aside",
                    file=str(self._path),
                    table=table,
                    key=str(key),
                    error=str(exc),
                )
            return None

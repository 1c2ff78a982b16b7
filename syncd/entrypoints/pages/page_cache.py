"""The last rendered page, kept while nothing it shows can have changed.

The page shows times to the minute: so a page is rendered again only when what it is built
from changed (the daemon published a new snapshot, or the state file or its write-ahead log
changed), the minute turned, or another `?refresh=` was asked for.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

Key = tuple[object, ...]


class PageCache:
    """One page at a time, shared by the listener's worker threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: Key | None = None
        self._page = b""

    def page(
        self, source: object, now: datetime, extra: object, render: Callable[[], bytes]
    ) -> bytes:
        """The page of `source` (a version of the data: equal while the data stands) at `now`
        (to the minute) and `extra`: kept, or `render()`ed."""
        key = (source, now.replace(second=0, microsecond=0), extra)
        with self._lock:
            if key == self._key:
                return self._page
        page = render()
        with self._lock:
            self._key, self._page = key, page
        return page


def file_version(state: Path) -> Key:
    """A version of the state file: changes with any write to it or to its write-ahead log."""
    return (_stamp(state), _stamp(state.with_name(state.name + "-wal")))


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    return found.st_mtime_ns, found.st_size

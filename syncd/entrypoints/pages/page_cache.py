"""The last rendered page, kept while nothing it shows can have changed.

Reading 10,000 escalations from the state file takes far longer than a page may (SPEC: under
50 ms), and the page shows times to the minute: so a page is rendered again only when the state
file (or its write-ahead log) changed, the minute turned, or another `?refresh=` was asked for.
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

    def page(self, state: Path, now: datetime, extra: object, render: Callable[[], bytes]) -> bytes:
        """The page for `state` at `now` (to the minute) and `extra`: kept, or `render()`ed."""
        key = (_stamp(state), _stamp(state.with_name(state.name + "-wal")),
               now.replace(second=0, microsecond=0), extra)  # fmt: skip
        with self._lock:
            if key == self._key:
                return self._page
        page = render()
        with self._lock:
            self._key, self._page = key, page
        return page


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    return found.st_mtime_ns, found.st_size

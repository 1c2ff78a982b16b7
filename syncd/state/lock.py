"""One syncd per state file: an exclusive `flock` on `<state_path>.lock` for the process life."""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from syncd.errors import StateLocked


def lock_path(state_path: Path) -> Path:
    """Where the lock for `state_path` lives."""
    return state_path.with_name(state_path.name + ".lock")


class StateLock:
    """The held lock; released by `release()` or when the process ends (the kernel drops it)."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, state_path: Path) -> StateLock:
        """Take the lock or raise StateLocked naming the file and, when known, the holder's pid."""
        path = lock_path(state_path)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            who = f"process {holder}" if holder else "another process"
            raise StateLocked(
                f"{state_path} is in use by {who} (lock {path}); "
                "only one syncd may run per state file"
            ) from None
        # The pid is only a hint for the message above; the flock itself is the lock.
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        return cls(path, fd)

    def release(self) -> None:
        """Give the lock up (idempotent)."""
        if self._fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None

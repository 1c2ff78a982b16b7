"""One syncd per state file: an exclusive `flock` on the state file itself for the process life.

The lock is on the file, not on a name: a symlink or a hard link to a state file in use (another
name, in another directory) is the same file and is refused. SQLite's own locks are `fcntl` locks,
which Linux keeps apart from `flock`. `<real path>.lock` only holds the holder's pid, for messages.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from syncd.errors import StateLocked


def lock_path(state_path: Path) -> Path:
    """Where the holder of `state_path` notes its pid: beside the real file (symlinks resolved)."""
    real = state_path.resolve()
    return real.with_name(real.name + ".lock")


class StateLock:
    """The held lock; released by `release()` or when the process ends (the kernel drops it)."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, state_path: Path) -> StateLock:
        """Take the lock or raise StateLocked naming the file and, when known, the holder's pid.

        A state file that does not exist yet is created (0600) to be locked.
        """
        real = state_path.resolve()
        real.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(real, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            holder = _read_pid(lock_path(real))
            who = f"process {holder}" if holder else "another process"
            shown = state_path if real == state_path else f"{state_path} ({real})"
            raise StateLocked(
                f"{shown} is in use by {who}; only one syncd may run per state file"
            ) from None
        # The pid is only a hint for the message above (a hard link's holder noted it beside
        # its own name); the flock itself is the lock.
        _note_pid(lock_path(real))
        return cls(real, fd)

    def release(self) -> None:
        """Give the lock up (idempotent)."""
        if self._fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def _note_pid(path: Path) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, f"{os.getpid()}\n".encode())
    finally:
        os.close(fd)


def _read_pid(path: Path) -> int | None:
    try:
        text = path.read_bytes()[:32].decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None

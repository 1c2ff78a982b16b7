"""Why a state file cannot be used, said in one line that names the file and what to do."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from syncd.errors import StateError

_UNWRITABLE = (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM)
_NOT_OURS = (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT)

_WRITE_ACCESS = (
    "give the user running syncd write access to the file and its folder"
    " (SQLite keeps -wal and -shm files beside it)"
)


def misplaced(path: Path) -> StateError | None:
    """The error when `path` is a directory or sits under a file; None when neither."""
    if path.is_dir():
        return StateError(f"state file {path} is a directory: point state_path at a file in it")
    folder = next((above for above in path.parents if above.exists()), None)
    if folder is not None and not folder.is_dir():
        return StateError(
            f"state file {path} cannot be created: {folder} is a file, not a folder;"
            " point state_path elsewhere or move that file"
        )
    return None


def unusable(path: Path, exc: OSError | sqlite3.Error | ValueError) -> StateError:
    """`exc`, met opening, reading or writing the state file at `path`, as one clear line."""
    return misplaced(path) or StateError(f"state file {path} {_why(exc)}")


def _why(exc: OSError | sqlite3.Error | ValueError) -> str:
    if isinstance(exc, PermissionError):
        return f"cannot be written (permission denied): {_WRITE_ACCESS}"
    if isinstance(exc, sqlite3.Error):
        return _why_sqlite(exc)
    detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
    return f"cannot be used: {detail}"


def _why_sqlite(exc: sqlite3.Error) -> str:
    # Extended result codes carry the primary code in their low byte; absent when not from SQLite.
    code = getattr(exc, "sqlite_errorcode", -1) & 0xFF
    if code == sqlite3.SQLITE_FULL:
        return f"cannot be written: the disk is full ({exc}); free space, then start syncd again"
    if code in _UNWRITABLE:
        return f"cannot be written ({exc}): {_WRITE_ACCESS}"
    if code in _NOT_OURS:
        return (
            f"is not a usable SQLite file ({exc}): restore it from a backup,"
            " or move it away to start afresh"
        )
    return f"cannot be used: {exc}"

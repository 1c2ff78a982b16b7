"""syncd's exception hierarchy: each class has one meaning, and carries its exit status."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime


class SyncdError(Exception):
    """Base of every error syncd raises on purpose."""

    exit_code = 1


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong in a configuration file, located by file, line and key path."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ConfigError(SyncdError):
    """The configuration cannot be used; lists every problem found at once."""

    exit_code = 2

    def __init__(self, problems: Sequence[ConfigProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(SyncdError):
    """The command line asks for something that does not make sense."""

    exit_code = 2


class RotationHorizon(SyncdError):
    """The rotation was asked about a time too far from its start to compute."""

    exit_code = 2


class StateLocked(SyncdError):
    """Another syncd process holds the state file."""


class StateError(SyncdError):
    """The state file cannot be read, written or migrated."""


class TrackerError(SyncdError):
    """A tracker could not do what was asked; the cycle of that tracker stops here."""


class TrackerUnavailable(TrackerError):
    """Network failure, timeout, 5xx or an unreadable answer: try again after a backoff."""


class AuthFailed(TrackerError):
    """The tracker rejected the credentials (401, or 403 that is not a rate limit)."""


class RateLimited(TrackerError):
    """The tracker asked syncd to wait until `until` (UTC) before the next request."""

    def __init__(self, message: str, until: datetime) -> None:
        super().__init__(message)
        self.until = until


class NotFound(TrackerError):
    """The repository, project or issue does not exist, or the token cannot see it."""


class QueryRejected(TrackerError):
    """The tracker refused the query itself (Jira's 400 on a search): the same one will not do."""


class Unassignable(TrackerError):
    """The tracker refused (or silently dropped) an assignee: not a collaborator, unknown user."""

    def __init__(self, message: str, identity: str) -> None:
        super().__init__(message)
        self.identity = identity


class WriteRejected(TrackerError):
    """The tracker refused one write for a reason that retrying will not change (e.g. 422)."""


class FetchStopped(SyncdError):
    """A stop (SIGTERM, SIGINT) ended a listing between two pages: nothing of it is used.

    Not a TrackerError: the tracker did not fail, so no error is counted and no backoff starts.
    """


class PatternTimedOut(SyncdError):
    """A config regex took too long over one text (catastrophic backtracking); treated as false."""


class NotifyFailed(SyncdError):
    """A message to people was not delivered: a network error, 5xx or 429; try again later,
    not before `retry_after` seconds when the receiver said so. The text never holds the URL."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class NotifyRefused(SyncdError):
    """The receiver refused the message for good (400 invalid_payload, 404 no_service, 403):
    the same message will not do. The text never holds the URL."""

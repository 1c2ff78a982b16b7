"""The port every tracker adapter implements, in syncd's own words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from syncd.domain.issue import IssueSnapshot
from syncd.errors import FetchStopped

# Whether a stop was asked for (the daemon's `Event.is_set`): a listing looks before each request.
StopRequested = Callable[[], bool]


def never() -> bool:
    """The stop of an adapter nobody stops: a one-shot command, a dry run, a test."""
    return False


def check_stop(stop_requested: StopRequested, doing: str) -> None:
    """Raise FetchStopped when a stop was asked for; call it before each listing request."""
    if stop_requested():
        raise FetchStopped(f"{doing}: stopped before the next request")


@dataclass(frozen=True)
class Fetch:
    """The result of one listing.

    `unchanged` is true when the tracker said nothing changed (every GitHub list answered 304);
    `complete` when `snapshots` are all open escalations (a reconciliation), not only changes.
    `watermark` is the latest `updated` time seen, for the next incremental fetch; `etags` the
    (key, ETag) of each list answered 200. Both are kept by the caller only once what the fetch
    found has been applied: a 304 to a kept ETag says nothing is left to do.
    """

    snapshots: tuple[IssueSnapshot, ...]
    unchanged: bool
    complete: bool
    watermark: datetime | None
    requests: int
    etags: tuple[tuple[str, str], ...] = ()


class Tracker(Protocol):
    """GitHub, Jira or a fake; every method raises only `syncd.errors.TrackerError` subclasses.

    Except `fetch`, which raises `syncd.errors.FetchStopped` when its adapter's stop was asked for
    between two requests (the listing so far is dropped).
    """

    @property
    def name(self) -> str:
        """The tracker's name from the config."""
        ...

    def fetch(self, since: datetime | None) -> Fetch:
        """Open escalations updated at or after `since` (UTC), or all of them when None."""
        ...

    def fetch_one(self, key: str) -> IssueSnapshot | None:
        """The issue `key` as a listing would return it, or None when it is not an open
        escalation of this tracker (closed, no longer labelled/matching, outside the tracker's
        repos or JQL, a pull request, gone).

        One request (a webhook's hint is re-read, never trusted); none for a key that cannot be
        this tracker's. `key` is untrusted text from a delivery: adapters validate it.
        """
        ...

    def add_label(self, key: str, label: str) -> None:
        """Add one label to the issue, creating the label in the tracker when it is new."""
        ...

    def add_labels(self, key: str, labels: tuple[str, ...]) -> None:
        """Add several labels in one request that adds them (never a replacement of the set)."""
        ...

    def remove_label(self, key: str, label: str) -> None:
        """Remove one label; a label already absent is not an error."""
        ...

    def assign(self, key: str, identity: str, replacing: str | None) -> None:
        """Make `identity` an assignee, removing `replacing`; raise Unassignable when refused."""
        ...

    def unassign(self, key: str, identity: str) -> None:
        """Remove `identity` from the issue's assignees."""
        ...

    def comment(self, key: str, body: str, marker: str) -> bool:
        """Post `body` with `marker` embedded; False (nothing posted) if the marker is there."""
        ...


class EtagStore(Protocol):
    """Where the ETag of each list URL is kept between cycles (the state file).

    The adapter reads it; the service remembers a fetch's `etags` once the cycle is applied.
    """

    def etag(self, url: str) -> str | None:
        """The ETag last stored for `url`, if any."""
        ...

    def remember_etag(self, url: str, etag: str) -> None:
        """Store the ETag of the latest 200 answer for `url`."""
        ...

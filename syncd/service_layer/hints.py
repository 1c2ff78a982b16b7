"""What a webhook delivery says, read by its tracker kind: an issue to look at again, or not.

A delivery is a hint, never the truth (SPEC §7): the most it can do is name one issue for syncd
to re-read from the tracker and settle as a cycle would. Each kind says where its deliveries
carry their signature and id, and reads the event and payload into one of the hints below.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

C = TypeVar("C")


@dataclass(frozen=True)
class Refresh:
    """Re-read issue `key` of the tracker and settle it."""

    key: str
    event: str


@dataclass(frozen=True)
class Ping:
    """The tracker checks that the endpoint answers (GitHub's `ping`): 200, nothing queued."""

    event: str = "ping"


@dataclass(frozen=True)
class Ignore:
    """A valid delivery syncd has nothing to do for (another event, another repository): 202."""

    reason: str
    event: str


@dataclass(frozen=True)
class Malformed:
    """A validly signed delivery that cannot be read (no event named, not an object): 400."""

    reason: str


Hint = Refresh | Ping | Ignore | Malformed


@dataclass(frozen=True)
class WebhookFormat(Generic[C]):
    """How one kind of tracker signs, names and describes its deliveries.

    Header names are lower case. `read(settings, headers, payload)` turns a delivery whose
    signature was checked and whose body parsed as JSON into a hint; it never does I/O.
    """

    signature_header: str
    delivery_header: str
    read: Callable[[C, Mapping[str, str], object], Hint]


AnyFormat = WebhookFormat[Any]

"""What syncd learns about a Jira site at start, and the port that keeps it between runs.

Learning costs a few requests (serverInfo, myself, configuration, the field list); a cron
`run --once` would pay them on every run for facts that almost never change. So they are kept
(in the state file) and learnt again only when missing, too old, or learnt for another site.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol
from zoneinfo import ZoneInfo

from syncd.config.model import JiraTracker

Deployment = Literal["cloud", "server"]


@dataclass(frozen=True)
class SiteFacts:
    """The site's flavour, the API user's zone, its working day and the estimate's field ids."""

    deployment: Deployment
    tz: ZoneInfo  # in which Jira reads the times written in JQL
    hours_per_day: float
    points_field: str | None  # None: the estimate is a time-tracking field
    estimate_field: str


@dataclass(frozen=True)
class LearntFacts:
    """Facts learnt at `at` from the site that `site` names (see `site_key`)."""

    site: str
    at: datetime
    facts: SiteFacts

    def usable(self, site: str, now: datetime, max_age: timedelta) -> bool:
        """Whether these facts describe `site` and are younger than `max_age`."""
        return self.site == site and now - self.at < max_age


def site_key(config: JiraTracker) -> str:
    """What the facts depend on in the config: the URL, the API user and the estimate field.

    A change to any of them (another site, another user's zone, another field) makes the kept
    facts those of something else, so they are learnt again. The user (Cloud's email) only as
    a digest: the state file holds no credential.
    """
    email = config.email.reveal() if config.email is not None else ""
    user = hashlib.sha256(email.encode()).hexdigest()[:16] if email else ""
    return "\n".join((config.url.rstrip("/"), user, config.estimate.field))


class SiteFactsStore(Protocol):
    """Where a Jira adapter keeps what it learnt about its site (the state file, or memory)."""

    def learnt(self) -> LearntFacts | None:
        """The facts last remembered for this tracker, if any (and readable)."""
        ...

    def remember(self, learnt: LearntFacts) -> None:
        """Keep `learnt` in place of what was kept before."""
        ...


class MemorySiteFacts:
    """Site facts that live as long as the process: a dry run, an online check, a test."""

    def __init__(self) -> None:
        self._learnt: LearntFacts | None = None

    def learnt(self) -> LearntFacts | None:
        """The facts last remembered, if any."""
        return self._learnt

    def remember(self, learnt: LearntFacts) -> None:
        """Keep `learnt` in place of what was kept before."""
        self._learnt = learnt

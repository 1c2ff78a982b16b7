"""Connecting to a Jira site, and learning there its flavour, zone, working day and fields."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import structlog
from jira.exceptions import JIRAError

from syncd.adapters.jira.facts import Deployment, SiteFacts
from syncd.adapters.jira.mapping import TIME_FIELDS, field_id
from syncd.adapters.jira.rest import JiraRest, ResponseHook
from syncd.config.model import JiraTracker
from syncd.errors import NotFound, TrackerUnavailable

log = structlog.get_logger(__name__)

DEFAULT_HOURS_PER_DAY = 8.0


def json_object(value: object, what: str) -> Mapping[str, object]:
    """`value` when it is a JSON object; else Jira answered something syncd cannot read."""
    if not isinstance(value, Mapping):
        raise TrackerUnavailable(f"{what}: Jira's answer is not a JSON object")
    return value


def json_list(value: object, what: str) -> list[object]:
    """`value` when it is a JSON array; else Jira answered something syncd cannot read."""
    if not isinstance(value, list):
        raise TrackerUnavailable(f"{what}: Jira's answer has no list where one belongs")
    return value


@dataclass
class AdapterStats:
    """HTTP requests sent and writes that landed, since the adapter was built."""

    requests: int = 0
    writes: int = 0


@dataclass(frozen=True)
class Site:
    """A client for the Jira site and what syncd knows about the site."""

    client: JiraRest
    facts: SiteFacts

    @property
    def deployment(self) -> Deployment:
        """ "cloud" or "server" (Server and Data Center)."""
        return self.facts.deployment

    @property
    def tz(self) -> ZoneInfo:
        """The API user's zone, in which Jira reads the times written in JQL."""
        return self.facts.tz

    @property
    def hours_per_day(self) -> float:
        """The site's working day, in hours (time-tracking days are this long)."""
        return self.facts.hours_per_day

    @property
    def points_field(self) -> str | None:
        """The story-points field id; None when the estimate is a time-tracking field."""
        return self.facts.points_field

    @property
    def estimate_field(self) -> str:
        """The field id syncd reads the estimate from."""
        return self.facts.estimate_field

    @property
    def identity_key(self) -> str:
        """How users are named in writes: accountId on Cloud, username on Server/DC."""
        return "accountId" if self.deployment == "cloud" else "name"


def connect(config: JiraTracker, timeout: float, on_response: ResponseHook) -> Site:
    """Open the site and learn its facts: serverInfo, myself, configuration, (points) fields.

    Raises `jira`/`requests` errors as they come (the caller translates them), or NotFound
    when the estimate field does not exist.
    """
    client = JiraRest(config, timeout, on_response)
    info = json_object(client.get("serverInfo"), "serverInfo")
    points_field, estimate_field = _estimate_field(client, config)
    facts = SiteFacts(
        deployment="cloud" if info.get("deploymentType") == "Cloud" else "server",
        tz=_zone(json_object(client.get("myself"), "myself").get("timeZone"), config.name),
        hours_per_day=_working_hours(client),
        points_field=points_field,
        estimate_field=estimate_field,
    )
    return Site(client, facts)


def reopen(
    config: JiraTracker, timeout: float, on_response: ResponseHook, facts: SiteFacts
) -> Site:
    """Open the site with facts learnt before: no request."""
    return Site(JiraRest(config, timeout, on_response), facts)


def _zone(name: object, tracker: str) -> ZoneInfo:
    """The API user's profile zone, in which Jira reads the times written in JQL."""
    try:
        return ZoneInfo(name) if isinstance(name, str) and name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("jira time zone unknown, using UTC", tracker=tracker, zone=str(name)[:64])
        return ZoneInfo("UTC")


def _working_hours(client: JiraRest) -> float:
    try:
        answer = client.get("configuration")
    except JIRAError as exc:
        if exc.status_code not in (403, 404):
            raise
        return DEFAULT_HOURS_PER_DAY  # time tracking off, or the user may not read it
    tracking = answer.get("timeTrackingConfiguration") if isinstance(answer, dict) else None
    hours = tracking.get("workingHoursPerDay") if isinstance(tracking, dict) else None
    if isinstance(hours, bool) or not isinstance(hours, int | float) or not 0 < hours <= 24:
        return DEFAULT_HOURS_PER_DAY
    return float(hours)


def _estimate_field(client: JiraRest, config: JiraTracker) -> tuple[str | None, str]:
    wanted = config.estimate.field
    if wanted in TIME_FIELDS:
        return None, wanted
    found = field_id(client.get("field"), wanted)
    if found is None:
        where = f"jira tracker {config.name!r}"
        raise NotFound(f"{where}: estimate field {wanted!r} does not exist in Jira")
    return found, found

"""Connecting to a Jira site and what syncd learns there once: flavour, zone, day, fields."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import structlog
from jira import JIRA
from jira.exceptions import JIRAError

from syncd.config.model import JiraTracker
from syncd.errors import NotFound, TrackerUnavailable
from syncd.jira.mapping import TIME_FIELDS, field_id

log = structlog.get_logger(__name__)

Deployment = Literal["cloud", "server"]
DEFAULT_HOURS_PER_DAY = 8.0
ResponseHook = Callable[..., None]


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
    """What syncd learnt about the Jira site when it connected."""

    client: JIRA
    deployment: Deployment
    tz: ZoneInfo
    hours_per_day: float
    points_field: str | None  # None: the estimate is a time-tracking field
    estimate_field: str

    @property
    def identity_key(self) -> str:
        """How users are named in writes: accountId on Cloud, username on Server/DC."""
        return "accountId" if self.deployment == "cloud" else "name"


def _client(config: JiraTracker, timeout: float) -> JIRA:
    auth: dict[str, object] = (
        {"basic_auth": (config.email.reveal(), config.token.reveal())}
        if config.email is not None
        else {"token_auth": config.token.reveal()}
    )
    # No request here: serverInfo is read in connect(), once the request counter is hooked in.
    return JIRA(
        server=config.url,
        max_retries=0,  # syncd backs off per cycle; the library's retry sleeps in-line
        timeout=timeout,
        get_server_info=False,
        validate=False,
        logging=False,  # the library logs response bodies on errors; syncd logs its own
        **auth,  # type: ignore[arg-type]
    )


def connect(config: JiraTracker, timeout: float, on_response: ResponseHook) -> Site:
    """Open the site: serverInfo, myself, configuration and (for story points) the fields.

    Raises `jira`/`requests` errors as they come (the caller translates them), or NotFound
    when the estimate field does not exist.
    """
    client = _client(config, timeout)
    client._session.hooks["response"].append(on_response)
    info = json_object(client.server_info(), "serverInfo")
    client.deploymentType = info.get("deploymentType")  # what the library's Cloud test reads
    points_field, estimate_field = _estimate_field(client, config)
    return Site(
        client=client,
        deployment="cloud" if info.get("deploymentType") == "Cloud" else "server",
        tz=_zone(json_object(client.myself(), "myself").get("timeZone"), config.name),
        hours_per_day=_working_hours(client),
        points_field=points_field,
        estimate_field=estimate_field,
    )


def _zone(name: object, tracker: str) -> ZoneInfo:
    """The API user's profile zone, in which Jira reads the times written in JQL."""
    try:
        return ZoneInfo(name) if isinstance(name, str) and name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("jira time zone unknown, using UTC", tracker=tracker, zone=str(name)[:64])
        return ZoneInfo("UTC")


def _working_hours(client: JIRA) -> float:
    try:
        answer: object = client._get_json("configuration")
    except JIRAError as exc:
        if exc.status_code not in (403, 404):
            raise
        return DEFAULT_HOURS_PER_DAY  # time tracking off, or the user may not read it
    tracking = answer.get("timeTrackingConfiguration") if isinstance(answer, dict) else None
    hours = tracking.get("workingHoursPerDay") if isinstance(tracking, dict) else None
    if isinstance(hours, bool) or not isinstance(hours, int | float) or not 0 < hours <= 24:
        return DEFAULT_HOURS_PER_DAY
    return float(hours)


def _estimate_field(client: JIRA, config: JiraTracker) -> tuple[str | None, str]:
    wanted = config.estimate.field
    if wanted in TIME_FIELDS:
        return None, wanted
    found = field_id(client.fields(), wanted)
    if found is None:
        where = f"jira tracker {config.name!r}"
        raise NotFound(f"{where}: estimate field {wanted!r} does not exist in Jira")
    return found, found

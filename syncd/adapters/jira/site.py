"""Connecting to a Jira site, and learning there its flavour, zone, working day and fields."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import requests
import structlog
from jira import JIRA
from jira.exceptions import JIRAError

from syncd.adapters.jira.facts import Deployment, SiteFacts
from syncd.adapters.jira.mapping import TIME_FIELDS, field_id
from syncd.adapters.network import Redirected
from syncd.config.model import JiraTracker
from syncd.errors import NotFound, TrackerUnavailable

log = structlog.get_logger(__name__)

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
    """A client for the Jira site and what syncd knows about the site."""

    client: JIRA
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


class _Client(JIRA):
    """The library's client without its field-name translation.

    Before its first search the library lists every field (GET field) to turn JQL names into
    ids; syncd asks for field ids only, so that list is never needed (and was on Data Center
    a second copy of the one syncd reads to find the story points).
    """

    @property
    def _fields_cache(self) -> dict[str, str]:
        return {}


def _client(config: JiraTracker, timeout: float, on_response: ResponseHook) -> JIRA:
    auth: dict[str, object] = (
        {"basic_auth": (config.email.reveal(), config.token.reveal())}
        if config.email is not None
        else {"token_auth": config.token.reveal()}
    )
    # No request here: serverInfo is read in learn(), once the request counter is hooked in.
    client = _Client(
        server=config.url,
        max_retries=0,  # syncd backs off per cycle; the library's retry sleeps in-line
        timeout=timeout,
        get_server_info=False,
        validate=False,
        logging=False,  # the library logs response bodies on errors; syncd logs its own
        **auth,  # type: ignore[arg-type]
    )
    client._session.hooks["response"].extend([on_response, _refuse_redirects_away])
    return client


def _refuse_redirects_away(response: requests.Response, *args: object, **kwargs: object) -> None:
    """Stop at a redirect to another host: it must get neither the credentials nor our trust."""
    if not response.is_redirect:
        return
    target = urlsplit(urljoin(response.url, response.headers["location"])).hostname
    if target != urlsplit(response.url).hostname:
        raise Redirected(target or response.headers["location"])


def connect(config: JiraTracker, timeout: float, on_response: ResponseHook) -> Site:
    """Open the site and learn its facts: serverInfo, myself, configuration, (points) fields.

    Raises `jira`/`requests` errors as they come (the caller translates them), or NotFound
    when the estimate field does not exist.
    """
    client = _client(config, timeout, on_response)
    info = json_object(client.server_info(), "serverInfo")
    client.deploymentType = info.get("deploymentType")  # what the library's Cloud test reads
    points_field, estimate_field = _estimate_field(client, config)
    facts = SiteFacts(
        deployment="cloud" if info.get("deploymentType") == "Cloud" else "server",
        tz=_zone(json_object(client.myself(), "myself").get("timeZone"), config.name),
        hours_per_day=_working_hours(client),
        points_field=points_field,
        estimate_field=estimate_field,
    )
    return Site(client, facts)


def reopen(
    config: JiraTracker, timeout: float, on_response: ResponseHook, facts: SiteFacts
) -> Site:
    """Open the site with facts learnt before: no request."""
    client = _client(config, timeout, on_response)
    # What the library's Cloud test reads; Server and Data Center are alike to syncd.
    client.deploymentType = "Cloud" if facts.deployment == "cloud" else "Server"
    return Site(client, facts)


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

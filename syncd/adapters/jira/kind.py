"""The `jira` tracker kind: its keys and reader in the config file, its adapter, its line."""

from __future__ import annotations

import base64
import functools
from collections.abc import Callable
from datetime import timedelta

from syncd.adapters.jira.facts import MemorySiteFacts
from syncd.adapters.jira.webhook import JIRA_WEBHOOK
from syncd.config.budget import read_write_budget
from syncd.config.document import Node
from syncd.config.model import JiraEstimate, JiraTracker, Secret
from syncd.config.section import Section
from syncd.config.values import elapsed, max_writes, number
from syncd.service_layer.kinds import AdapterNeeds, TrackerKind
from syncd.service_layer.tracker import Tracker

KEYS = ("url", "email", "jql")
ESTIMATE_KEYS = ("field", "days_per_point")
# Jira fields that hold seconds of time tracking; any other field is read as story points.
TIME_TRACKING_FIELDS = frozenset(
    (
        "timeoriginalestimate",
        "timeestimate",
        "aggregatetimeoriginalestimate",
        "aggregatetimeestimate",
    )
)


def read_jira(
    section: Section, name: str | None, person: Callable[[Node], str]
) -> JiraTracker | None:
    """One `kind: jira` item of `trackers`; None (problems reported) when it is unusable."""
    values = section.ctx.values
    url = section.require("url", values.url)
    token = section.require("token", values.secret)
    jql = section.require("jql", values.name)
    email = section.get("email", values.secret, None)
    estimate = _jira_estimate(section)
    team = section.get("team", person, None)
    write_interval = section.get("write_interval", elapsed, 0.0)
    writes = section.get("max_writes_per_cycle", max_writes, 500)
    webhook_secret = section.get("webhook_secret", values.secret, None)
    budget = read_write_budget(section, None)
    if name is None or url is None or token is None or jql is None:
        return None
    return JiraTracker(
        name=name,
        url=url,
        token=token,
        jql=jql,
        email=email,
        estimate=estimate,
        team=team,
        write_interval=write_interval,
        max_writes_per_cycle=writes,
        webhook_secret=webhook_secret,
        write_budget=budget,
    )


def _jira_estimate(section: Section) -> JiraEstimate:
    estimate = Section(
        section.node("estimate"),
        f"{section.path}.estimate",
        section.ctx,
        ESTIMATE_KEYS,
    )
    field = estimate.get("field", section.ctx.values.name, "timeoriginalestimate")
    per_point = functools.partial(number, minimum=0, maximum=1000, above=True)
    days_per_point = estimate.get("days_per_point", per_point, None)
    if field in TIME_TRACKING_FIELDS and days_per_point is not None:
        estimate.problem(
            estimate.key_line("days_per_point"),
            "days_per_point",
            f"{field} is time tracking (seconds), not points",
        )
    elif (
        field not in TIME_TRACKING_FIELDS
        and days_per_point is None
        and not estimate.has("days_per_point")
    ):
        estimate.problem(
            estimate.key_line("field"),
            "field",
            f"{field[:60]!r} is not a time-tracking field:"
            " give days_per_point to read it as story points",
        )
    return JiraEstimate(field=field, days_per_point=days_per_point)


def build_jira(settings: JiraTracker, needs: AdapterNeeds) -> Tracker:
    """The adapter over the `jira` library; it learns its site again once that is
    `reconcile_interval` old, keeping it in `needs.site_facts` (in memory when None)."""
    from syncd.adapters.jira.client import JiraAdapter  # noqa: PLC0415 - jira loads slowly

    facts = needs.site_facts(settings.name) if needs.site_facts else MemorySiteFacts()
    return JiraAdapter(
        settings,
        needs.config.estimates,
        timeout=needs.timeout,
        clock=needs.clock,
        stop_requested=needs.stop_requested,
        facts=facts,
        facts_max_age=timedelta(seconds=needs.config.reconcile_interval),
    )


def describe_jira(tracker: JiraTracker) -> str:
    """`jira, URL, Cloud (email + token)` or `Server/DC (token)`."""
    flavour = "Cloud (email + token)" if tracker.email is not None else "Server/DC (token)"
    return f"{tracker.name}: jira, {tracker.url}, {flavour}"


def _secrets(tracker: JiraTracker) -> tuple[str, ...]:
    """The token; on Cloud also the e-mail and the Basic header value the two turn into."""
    token = tracker.token.reveal()
    if tracker.email is None:
        return (token,)
    email = tracker.email.reveal()
    pair = base64.b64encode(f"{email}:{token}".encode()).decode("ascii")
    return (token, email, pair)


def _credentials(tracker: JiraTracker) -> tuple[tuple[str, Secret], ...]:
    """The token, and Cloud's e-mail."""
    email = (("email", tracker.email),) if tracker.email is not None else ()
    return (("token", tracker.token), *email)


JIRA = TrackerKind(
    name="jira",
    shown="Jira",
    config_type=JiraTracker,
    keys=KEYS,
    estimate_keys=ESTIMATE_KEYS,
    read=read_jira,
    build=build_jira,
    describe=describe_jira,
    secrets=_secrets,
    endpoint=lambda tracker: ("url", tracker.url),
    credentials=_credentials,
    webhook=JIRA_WEBHOOK,
)

"""The demo's script: what customers and people do in the sandbox between two cycles.

Each scene acts on the sandbox and tells what it did in one line. The story follows the
trackers as they are at that moment (who holds an issue follows the rotation at the demo's
time), so the demo never tells a story its own board contradicts, whatever the day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from syncd.config.model import Config, GitHubTracker
from syncd.entrypoints.commands.demo.board import Legend
from syncd.errors import UsageError
from syncd.sandbox.seed import JiraIssueSeed
from syncd.sandbox.server import Sandbox


@dataclass(frozen=True)
class Stage:
    """What a scene may look at and change: the trackers, the config, who is who."""

    sandbox: Sandbox
    config: Config
    legend: Legend


@dataclass(frozen=True)
class Scene:
    """What happens in the trackers before one cycle; `act` does it and tells it in one line."""

    before_cycle: int
    act: Callable[[Stage], str]


_OUTAGE = ("escalation", "outage")
_DATA_LOSS = ("escalation", "data-loss")
_TAKEN_OVER = "acme/web#101"


def _customers_and_outage(stage: Stage) -> str:
    stage.sandbox.add_reporters("acme/web#111", 4)
    outage = JiraIssueSeed("SUP-11", "SSO login fails for every tenant", labels=_OUTAGE)
    stage.sandbox.open_issue("SUP", outage)
    return "Four more customers +1 acme/web#111, and an outage arrives in Jira as SUP-11."


def _people_step_in(stage: Stage) -> str:
    """Another member takes the fire over from whoever holds it (syncd assigned it in cycle 1
    to whoever was on shift at that instant); a lead pins SUP-2's tier by hand."""
    tracker = _github(stage.config)
    holders = stage.sandbox.snapshot().issue(_TAKEN_OVER).assignees
    holder = next((_person(stage.legend, tracker.name, who) for who in holders), None)
    member, login = _another_member(stage.config, tracker, holder)
    stage.sandbox.edit_issue(_TAKEN_OVER, assignees=(login,))
    stage.sandbox.edit_issue("SUP-2", add_labels=("tier/queue",))
    taken = f"takes {_TAKEN_OVER} over from {holder.title()}" if holder else f"takes {_TAKEN_OVER}"
    return f"{member.title()} {taken}; a lead sets tier/queue on SUP-2 by hand."


def _github(config: Config) -> GitHubTracker:
    return next(t for t in config.trackers if isinstance(t, GitHubTracker))


def _person(legend: Legend, tracker: str, identity: str) -> str:
    return legend.people.get((tracker, identity.casefold()), identity)


def _another_member(config: Config, tracker: GitHubTracker, holder: str | None) -> tuple[str, str]:
    """The first rotation member other than `holder` with a login in `tracker`, and that login."""
    for member in config.rotation.members:
        login = config.people[member.person].identity(tracker)
        if member.person != holder and login is not None:
            return member.person, login
    raise UsageError("the demo config needs two rotation members with a GitHub login")


def _data_loss_between_polls(stage: Stage) -> str:
    """A fire arrives while syncd waits for its next poll: the sandbox's webhook tells it."""
    lost = JiraIssueSeed("SUP-12", "Nightly export drops rows for EU tenants", labels=_DATA_LOSS)
    stage.sandbox.open_issue("SUP", lost)
    return "Between two polls, a customer reports data loss in Jira as SUP-12."


SCENES = (Scene(2, _customers_and_outage), Scene(3, _people_step_in))
# What happens half-way through the pause before a cycle, rather than just before it.
SCENES_IN_PAUSES = (Scene(3, _data_loss_between_polls),)

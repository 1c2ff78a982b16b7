"""`syncd check --online`: reach every tracker, collect one row per check, print a table.

What blocks syncd (bad credentials, a missing repository, a rejected JQL, a missing estimate
field, a tracker that cannot be reached, no permission to label, a person whose login or account
does not exist at all: a typo that would send all their shifts to the fallback) fails the check,
exit 2. A person who exists but cannot be assigned somewhere only warns: syncd falls back
(SPEC 3.2) and logs it.
"""

from __future__ import annotations

from collections.abc import Sequence

from syncd.config.model import Config, TrackerConfig
from syncd.entrypoints.printable import printable_line
from syncd.errors import TrackerError
from syncd.service_layer.checks import Assignee, CheckRow, OnlineCheck, Outcome
from syncd.service_layer.tracker import Tracker
from syncd.service_layer.wiring import MemoryEtags, build_trackers

BLOCKED = 2


def assignees(config: Config, tracker: TrackerConfig) -> tuple[Assignee, ...]:
    """Everyone syncd may assign in `tracker`: members, covers, fallback, team; once each."""
    found: dict[str, str] = {}
    for member in config.rotation.members:
        found.setdefault(member.person, "rotation member")
    for override in config.rotation.overrides:
        found.setdefault(override.member, "override cover")
    if config.rotation.fallback is not None:
        found.setdefault(config.rotation.fallback, "rotation fallback")
    if tracker.team is not None:
        found.setdefault(tracker.team, "team")
    return tuple(Assignee(person, role) for person, role in found.items())


def needed_labels(config: Config) -> tuple[str, ...]:
    """Every label syncd may write: each tier's label and the flag label."""
    tiers = config.tiers
    names = [*(rule.tier for rule in tiers.rules), tiers.default_tier]
    labels = [tiers.label(name) for name in dict.fromkeys(names)]
    return (*labels, config.estimates.flag_label)


def run_checks(config: Config, trackers: dict[str, Tracker] | None = None) -> list[CheckRow]:
    """Every check of every tracker; a tracker that fails outright is a FAIL row, never a raise."""
    if trackers is None:
        # ETags in memory: a check must leave the state file alone.
        memory = {settings.name: MemoryEtags() for settings in config.trackers}
        trackers = build_trackers(config, memory.__getitem__)
    rows: list[CheckRow] = []
    for settings in config.trackers:
        try:
            rows.extend(_check_one(config, settings, trackers[settings.name]))
        except TrackerError as exc:
            rows.append(CheckRow(settings.name, "reach the tracker", Outcome.FAIL, str(exc)))
    return rows


def _check_one(config: Config, settings: TrackerConfig, tracker: Tracker) -> list[CheckRow]:
    if not isinstance(tracker, OnlineCheck):
        return [CheckRow(settings.name, "online checks", Outcome.WARN, "not supported")]
    return tracker.check_online(config.people, assignees(config, settings), needed_labels(config))


def render_table(rows: Sequence[CheckRow]) -> str:
    """An aligned plain-text table: tracker, check, result, detail."""
    header = ("TRACKER", "CHECK", "RESULT", "DETAIL")
    # Details quote the trackers (errors, display names): escaped first, then measured.
    found = ((r.tracker, r.check, r.outcome.value, r.detail) for r in rows)
    cells = [header, *(tuple(printable_line(cell) for cell in row) for row in found)]
    widths = [max(len(line[i]) for line in cells) for i in range(3)]
    lines = [
        "  ".join([*(c.ljust(w) for c, w in zip(line[:3], widths, strict=True)), line[3]])
        for line in cells
    ]
    return "\n".join(line.rstrip() for line in lines)


def summary(rows: Sequence[CheckRow]) -> str:
    """One line: how many passed, warned and failed, and what that means for syncd."""
    count = {outcome: sum(r.outcome is outcome for r in rows) for outcome in Outcome}
    counts = (
        f"{len(rows)} checks: {count[Outcome.OK]} passed, {count[Outcome.WARN]} warnings,"
        f" {count[Outcome.FAIL]} failed"
    )
    if count[Outcome.FAIL]:
        return f"{counts}; syncd cannot do its job until the failures are fixed"
    if count[Outcome.WARN]:
        return f"{counts}; syncd can run (warnings: it falls back as documented)"
    return f"{counts}; syncd can run"


def exit_status(rows: Sequence[CheckRow]) -> int:
    """0 when nothing blocks syncd, 2 when a check failed."""
    return BLOCKED if any(row.outcome is Outcome.FAIL for row in rows) else 0


def online_check(config: Config) -> int:
    """Run every check, print the table and the summary, return the exit status."""
    rows = run_checks(config)
    print(render_table(rows))
    print(summary(rows))
    return exit_status(rows)

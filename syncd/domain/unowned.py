"""A fire nobody owns (SPEC §8): after `notify.unowned_fire_after` it goes to the fallback, once.

The clock starts at the placement, and again at a person's latest activity on the issue (taking
the assignee off is such activity; syncd's own writes are not): that is when it was last known
to be in someone's hands. Only with `notify:` configured, where the delay is set.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from syncd.config.model import Config
from syncd.domain.actions import Assign, Why
from syncd.domain.issue import IssueSnapshot, Refusal, scope_of
from syncd.domain.ledger import IssueRecord, seen_before_writes
from syncd.domain.routing import NO_WRITES, Writes, candidates
from syncd.domain.timestamps import iso_utc
from syncd.domain.urgency import fire_tier

# The audit `rule` of the assignment that escalates an unowned fire.
UNOWNED_RULE = "notify.unowned_fire_after"


def unowned_since(
    assignees: tuple[str, ...], updated: datetime, record: IssueRecord
) -> datetime | None:
    """Since when a fire has had nobody on it (None while it has an assignee, or unplaced)."""
    if assignees or record.placed_at is None:
        return None
    return max(record.placed_at, seen_before_writes(record, updated))


def unowned_due(
    issue: IssueSnapshot, record: IssueRecord, tier: str, config: Config, now: datetime
) -> datetime | None:
    """When the unowned fire `issue` (in `tier`) became due for escalation; None if it is not."""
    notify = config.notify
    if notify is None or tier != fire_tier(config.tiers):
        return None
    since = unowned_since(issue.assignees, issue.updated, record)
    if since is None or now - since < timedelta(seconds=notify.unowned_fire_after):
        return None
    return since


def fallback_escalation(  # noqa: PLR0917 - the planner's pieces of one issue
    issue: IssueSnapshot,
    record: IssueRecord,
    tier: str,
    config: Config,
    now: datetime,
    unassignable: frozenset[Refusal],
) -> Writes:
    """Assign the fallback to an unowned fire that is due, unless syncd gave it to them before."""
    since = unowned_due(issue, record, tier, config, now)
    fallback = config.rotation.fallback
    if since is None or fallback is None:
        return NO_WRITES
    tracker = config.tracker(issue.tracker)
    found, notes = candidates(config, tracker, [fallback], unassignable, scope_of(issue.key))
    if not found or record.wrote_assignee(found[0].identity):
        return Writes((), notes)  # once: the fallback already had it, and lost it to a person
    reason = f"fire without an assignee since {iso_utc(since)}: escalated to {fallback}"
    action = Assign(issue.tracker, issue.key, found, None, Why(UNOWNED_RULE, reason))
    return Writes((action,), notes)

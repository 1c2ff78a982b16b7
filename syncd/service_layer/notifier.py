"""Telling people (SPEC §8), once per cycle: decide what is due, record it, send the outbox.

Deciding is pure (syncd.domain.notices); each event is recorded per destination under its
stable id before anything is sent, so an event decided again on a later cycle, after a restart
or a reload, is not recorded (nor sent) twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

import structlog

from syncd.adapters.state import SeenIssue, Store, sighting
from syncd.adapters.state.outbox import Message
from syncd.config.model import Config
from syncd.config.notify import NotifyConfig
from syncd.domain.actions import IssuePlan
from syncd.domain.issue import IssueSnapshot
from syncd.domain.ledger import IssueRecord, RecordKey
from syncd.domain.notices.digest import by_tier, standup_sections
from syncd.domain.notices.due import coverage_gaps, current_turn, standup_slot
from syncd.domain.notices.event_json import event_json
from syncd.domain.notices.events import CoverageGap, Escalation, Event, Handoff, Standup
from syncd.domain.notices.slack import slack_message
from syncd.domain.report import CARRY_OVER_RULE
from syncd.domain.rotation import Roster
from syncd.service_layer.delivery import Delivery, Poster
from syncd.service_layer.fire_news import fire_news

log = structlog.get_logger("syncd.notify")

SLACK, WEBHOOK = "slack", "webhook"
_FRESH = IssueRecord()


def late_after(config: Config) -> timedelta:
    """A handoff told later than this after it happened says so: two poll intervals and a
    minute, beyond what a cycle's jitter and length add in normal running."""
    return timedelta(seconds=2 * config.poll_interval + 60)


class Notifier:
    """Decides the messages due at each cycle and sends them through `posters` by name."""

    def __init__(
        self,
        config: Config,
        store: Store,
        posters: Mapping[str, Poster],
        stop_requested: Callable[[], bool] = lambda: False,
    ) -> None:
        self._config = config
        self._store = store
        self._destinations = tuple(posters)
        self._delivery = Delivery(store.outbox, posters, stop_requested)
        self._slack_ids = {p.id: p.slack for p in config.people.values() if p.slack}

    def tick(self, now: datetime, roster: Roster) -> None:
        """Record what is due at `now` and send every pending message whose time has come."""
        notify = self._config.notify
        if notify is None or not self._destinations:
            return
        for event in self._due(notify, now, roster):
            self._record(event, now)
        self._delivery.send_due(now)
        self._store.outbox.prune(now)

    def settled(  # noqa: PLR0917 - what Service.settle hands on
        self,
        tracker: str,
        snapshots: Sequence[IssueSnapshot],
        plans: Sequence[IssuePlan],
        before: Mapping[RecordKey, IssueRecord],
        after: Mapping[RecordKey, IssueRecord],
        now: datetime,
    ) -> None:
        """Record the fire messages one settle calls for; the next tick sends them."""
        if self._config.notify is None or not self._destinations:
            return
        by_key = {made.key: made for made in plans}
        flag = self._config.estimates.flag_label

        def describe(snapshot: IssueSnapshot) -> Escalation | None:
            key = (tracker, snapshot.key)
            old, new = before.get(key, _FRESH), after.get(key, _FRESH)
            seen = sighting(snapshot, by_key.get(snapshot.key), old, new, flag, now)
            return next(iter(escalations(self._config, [seen])), None)

        for event in fire_news(
            self._config, tracker, snapshots, plans, before, after, now, describe
        ):
            if not self._known(event):
                self._record(event, now)

    def _due(self, notify: NotifyConfig, now: datetime, roster: Roster) -> list[Event]:
        events: list[Event] = []
        if notify.handoff and (handoff := self._handoff(now, roster)) is not None:
            events.append(handoff)
        if notify.standup and (standup := self._standup(now, roster)) is not None:
            events.append(standup)
        zone = self._config.rotation.timezone.key
        for gap in coverage_gaps(roster, now, notify.coverage_days):
            events.append(CoverageGap(gap.start, gap.end, gap.fallback, zone, gap.why))
        return [event for event in events if not self._known(event)]

    def _handoff(self, now: datetime, roster: Roster) -> Handoff | None:
        turn = current_turn(roster, now)
        if turn is None:
            return None
        first = not self._store.outbox.any_of(Handoff.kind)
        event = Handoff(
            person=turn.person,
            start=turn.start,
            end=turn.end,
            next_person=turn.next_person,
            previous=turn.previous,
            timezone=self._config.rotation.timezone.key,
            queue=(),
            first=first,
            late=not first and now - turn.start > late_after(self._config),
        )
        if self._known(event):  # the usual case: no need to read the queue
            return None
        open_now = self._escalations()
        carried = self._carried(turn.start, open_now) if self._config.rotation.carry_over else ()
        return replace(event, queue=by_tier(open_now, self._config.tiers), carried=carried)

    def _carried(self, start: datetime, open_now: Sequence[Escalation]) -> tuple[Escalation, ...]:
        """The open escalations carried over to this turn (the audit's rotation.carry_over
        assignments since it started), oldest first."""
        keys = {
            (entry.tracker, entry.issue)
            for entry in self._store.audit_since(start)
            if entry.rule == CARRY_OVER_RULE and entry.kind == "assign"
        }
        listed = [item for item in open_now if (item.tracker, item.key) in keys]
        return tuple(sorted(listed, key=lambda item: (item.created, item.tracker, item.key)))

    def _standup(self, now: datetime, roster: Roster) -> Standup | None:
        slot = standup_slot(self._config.rotation, now)
        if slot is None:
            return None
        sections = standup_sections(self._escalations(), self._config.tiers)
        fires, queue, flagged, acknowledged = (tuple(section) for section in sections)
        return Standup(
            day=slot.day,
            at=slot.at,
            until=slot.until,
            person=roster.on_call(slot.at).member,
            timezone=self._config.rotation.timezone.key,
            fires=fires,
            queue=queue,
            flagged=flagged,
            acknowledged=acknowledged,
            late=now - slot.at > late_after(self._config),
        )

    def _known(self, event: Event) -> bool:
        ids = [f"{event.id}@{name}" for name in self._destinations]
        return len(self._store.outbox.known(ids)) == len(ids)

    def _record(self, event: Event, now: datetime) -> None:
        for name in self._destinations:
            body = slack_message(event, self._slack_ids) if name == SLACK else event_json(event)
            message = Message(
                id=f"{event.id}@{name}",
                kind=event.kind,
                payload=json.dumps(body, ensure_ascii=False),
                relevant_until=event.relevant_until,
                created=now,
            )
            if self._store.outbox.record(message):
                log.info("message queued", id=message.id)

    def _escalations(self) -> list[Escalation]:
        return escalations(self._config, self._store.seen.issues())


def escalations(config: Config, seen: Sequence[SeenIssue]) -> list[Escalation]:
    """The open escalations of configured trackers as messages list them (no ignored ones);
    assignees by person id where the config knows the identity."""
    names = {
        tracker.name: {
            identity: person.id
            for person in reversed(list(config.people.values()))
            if (identity := person.identity(tracker)) is not None
        }
        for tracker in config.trackers
    }
    return [
        Escalation(
            tracker=issue.tracker,
            key=issue.key,
            title=issue.title,
            url=issue.url,
            tier=issue.tier,
            assignees=tuple(names[issue.tracker].get(who, who) for who in issue.assignees),
            reporters=issue.reporters,
            created=issue.created,
            flagged=issue.flagged,
        )
        for issue in seen
        if issue.tracker in names and issue.tier is not None
    ]

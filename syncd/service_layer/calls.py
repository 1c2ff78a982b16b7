"""The tracker call each write makes; the labels an issue gets go in one additive request.

GitHub (`POST .../labels` with several names) and Jira (one `update` with several `add`s) both
add labels without replacing the set, so a person's concurrent edit survives either way; one
request instead of two spends one write of the tracker's content budget instead of two.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from syncd.domain.actions import Action, AddLabel, Comment, IssuePlan, RemoveLabel, Unassign
from syncd.service_layer.applied import WriteResult
from syncd.service_layer.tracker import Tracker


class LabelBatch:
    """The labels one plan adds, sent with the first of them; the others are then done."""

    def __init__(self, tracker: Tracker) -> None:
        self._tracker = tracker
        self._labels: tuple[str, ...] = ()
        self._sent: frozenset[str] = frozenset()

    def start(self, plan: IssuePlan, held: Callable[[Action], bool]) -> None:
        """Batch every label `plan` adds that is not held back (refused before)."""
        adds = (a for a in plan.actions if isinstance(a, AddLabel) and not held(a))
        self._labels = tuple(dict.fromkeys(action.label for action in adds))
        self._sent = frozenset()

    def together(self, label: str) -> tuple[str, ...]:
        """The labels the request adding `label` carries (noted all before it is sent)."""
        return self._labels if label in self._labels else (label,)

    def sent(self, action: Action) -> bool:
        """Whether `action` went out already, with an earlier label of its issue."""
        return isinstance(action, AddLabel) and action.label in self._sent

    def add(self, key: str, label: str) -> None:
        """Add `label`, with the rest of the batch when there is one."""
        labels = self.together(label)
        if len(labels) > 1:
            self._tracker.add_labels(key, labels)
            self._sent = frozenset(labels)
        else:
            self._tracker.add_label(key, label)


def call_of(
    tracker: Tracker, batch: LabelBatch, action: AddLabel | RemoveLabel | Unassign | Comment
) -> Callable[[], object]:
    """The call that makes `action` (assignments try their candidates in the applier)."""
    match action:
        case AddLabel(key=key, label=label):
            return partial(batch.add, key, label)
        case RemoveLabel(key=key, label=label):
            return partial(tracker.remove_label, key, label)
        case Unassign(key=key, identity=identity):
            return partial(tracker.unassign, key, identity)
        case Comment():
            return partial(_comment, tracker, action)


def _comment(tracker: Tracker, action: Comment) -> WriteResult:
    posted = tracker.comment(action.key, action.body, action.marker)
    return WriteResult.OK if posted else WriteResult.ALREADY_THERE

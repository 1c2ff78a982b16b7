"""How a write is named in the audit log, the log lines and the remembered refusals."""

from __future__ import annotations

from syncd.domain.actions import Action, AddLabel, Assign, Comment, RemoveLabel, Unassign

_KINDS: dict[type, str] = {
    AddLabel: "add_label",
    RemoveLabel: "remove_label",
    Assign: "assign",
    Unassign: "unassign",
    Comment: "comment",
}


def kind_of(action: Action) -> str:
    """The kind of write: add_label, remove_label, assign, unassign, comment."""
    return _KINDS[type(action)]


def ident_of(action: Action) -> tuple[str, str, str]:
    """What a refusal of `action` is remembered by: issue, kind of write, and its detail."""
    return action.key, kind_of(action), detail_of(action)


def detail_of(action: Action, identity: str | None = None) -> str:
    """What the write is about: the label, the identity (`identity`: the candidate tried), or
    the comment's marker."""
    match action:
        case AddLabel(label=label) | RemoveLabel(label=label):
            return label
        case Unassign(identity=who):
            return who
        case Assign():
            return identity or ",".join(c.identity for c in action.candidates)
        case Comment(marker=marker):
            return marker


def about(action: Action) -> dict[str, str]:
    """The fields every line about a write carries: where, what kind, which rule and why."""
    return {
        "tracker": action.tracker,
        "issue": action.key,
        "action": kind_of(action),
        "rule": action.why.rule,
        "reason": action.why.reason,
    }

"""Events as Slack incoming-webhook messages: Block Kit blocks and a plain-text fallback.

Tracker text is escaped (`&`, `<`, `>`), so an issue titled `<!channel>` mentions nobody and
a title cannot forge a link; control characters are dropped. People with a Slack member id are
mentioned (`<@U024BE7LH>`); others are named by their id. Times are in the rotation's zone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from syncd.domain.notices.events import (
    CoverageGap,
    Escalation,
    Event,
    Fire,
    Handoff,
    Standup,
    UnownedFire,
)

JsonObject = dict[str, object]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_TITLE_CHARS = 120
_SECTION_CHARS = 2900  # Slack refuses a section's text above 3000 characters
_MAX_BLOCKS = 50  # and a message above 50 blocks


def escape(text: str) -> str:
    """Tracker text made inert for Slack: `&`, `<`, `>` escaped, control characters dropped."""
    clean = _CONTROL.sub(" ", text)
    return clean.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mention(person: str | None, slack_ids: Mapping[str, str]) -> str:
    """`<@U…>` for a person with a member id, the escaped id otherwise; `nobody` for None."""
    if person is None:
        return "nobody"
    member = slack_ids.get(person)
    return f"<@{member}>" if member else f"*{escape(person)}*"


def local_time(at: datetime, zone: str) -> str:
    """`Thu 10 Dec 09:00 EST`: the rotation's wall clock, with the zone's abbreviation."""
    return at.astimezone(ZoneInfo(zone)).strftime("%a %d %b %H:%M %Z")


def slack_message(event: Event, slack_ids: Mapping[str, str]) -> JsonObject:
    """The JSON body POSTed to the incoming webhook for `event`."""
    if isinstance(event, Handoff):
        text, blocks = _handoff(event, slack_ids)
    elif isinstance(event, Standup):
        text, blocks = _standup(event, slack_ids)
    elif isinstance(event, Fire):
        text, blocks = _fire(event, slack_ids)
    elif isinstance(event, UnownedFire):
        text, blocks = _unowned(event, slack_ids)
    else:
        text, blocks = _coverage(event, slack_ids)
    return {"text": text, "blocks": blocks[:_MAX_BLOCKS]}


def _handoff(event: Handoff, ids: Mapping[str, str]) -> tuple[str, list[JsonObject]]:
    who = mention(event.person, ids)
    until = f" until {local_time(event.end, event.timezone)}" if event.end else ""
    following = f" Next: {mention(event.next_person, ids)}." if event.end else ""
    title = "On shift now" if event.first else "Handoff"
    lines = [f"{who} is on shift from {local_time(event.start, event.timezone)}{until}.{following}"]
    if event.previous is not None and not event.first:
        lines.append(f"Taking over from {mention(event.previous, ids)}.")
    if event.late:
        lines.append(f"_Sent late: the handoff was at {local_time(event.start, event.timezone)}._")
    blocks = [_header(f"{title} (late)" if event.late else title), _section("\n".join(lines))]
    if event.carried:
        blocks.append(_listing(f"Carried over to {who}", event.carried, len(event.carried), ids))
    for tier in event.queue:
        blocks.append(
            _listing(f"`{escape(tier.tier)}` ({tier.total})", tier.items, tier.total, ids)
        )
    if not event.queue:
        blocks.append(_section("No open escalations."))
    text = f"{title}: {who} is on shift{until}.{following}" + (" (sent late)" if event.late else "")
    return text, blocks


def _standup(event: Standup, ids: Mapping[str, str]) -> tuple[str, list[JsonObject]]:
    day = event.day.strftime("%a %d %b")
    who = mention(event.person, ids)
    blocks = [_header(f"Stand-up {day}"), _section(f"On shift: {who}.")]
    sections = (
        ("Fires", event.fires),
        ("Queue", event.queue),
        ("Flagged for the team", event.flagged),
        ("Acknowledged", event.acknowledged),
    )
    counts = []
    for name, items in sections:
        counts.append(f"{len(items)} {name.lower()}")
        if items:
            blocks.append(_listing(f"{name} ({len(items)})", items, len(items), ids))
    if event.late:
        blocks.append(_section(f"_Sent late: due at {local_time(event.at, event.timezone)}._"))
    return f"Stand-up {day}: {who} on shift; " + ", ".join(counts), blocks


def _fire(event: Fire, ids: Mapping[str, str]) -> tuple[str, list[JsonObject]]:
    item = event.item
    who = ", ".join(mention(person, ids) for person in item.assignees) or "nobody"
    name = escape(f"{item.tracker} {item.key}")
    line = f"{who}: a fire for you."
    blocks = [
        _header(f"Fire: {item.tracker} {item.key}"),
        _section(line),
        _section(_item(item, ids)),
    ]
    return f"Fire: {name} {escape(_short(item.title))}, assigned to {who}", blocks


def _unowned(event: UnownedFire, ids: Mapping[str, str]) -> tuple[str, list[JsonObject]]:
    item = event.item
    name = escape(f"{item.tracker} {item.key}")
    since = local_time(event.since, event.timezone)
    if event.fallback is not None:
        then = f"Assigned to the fallback {mention(event.fallback, ids)}."
    else:
        then = "Nobody to assign it to: <!here>, who takes it?"
    line = f"A fire has had no assignee since {since}. {then}"
    blocks = [_header(f"Unowned fire: {item.tracker} {item.key}"), _section(line)]
    blocks.append(_section(_item(item, ids)))
    return f"Unowned fire: {name} {escape(_short(item.title))}. {then}", blocks


def _coverage(event: CoverageGap, ids: Mapping[str, str]) -> tuple[str, list[JsonObject]]:
    span = (
        f"{local_time(event.start, event.timezone)} until {local_time(event.end, event.timezone)}"
    )
    why = f" ({escape(event.why)})" if event.why else ""
    if event.fallback is not None:
        then = f"The fallback {mention(event.fallback, ids)} covers it."
    else:
        then = "Nobody will be assigned: add an override or set rotation.fallback."
    line = f"Nobody on the rotation is eligible from {span}{why}. {then}"
    return f"Coverage gap: {line}", [_header("Coverage gap"), _section(line)]


def _listing(
    title: str, items: Sequence[Escalation], total: int, ids: Mapping[str, str]
) -> JsonObject:
    lines = [f"*{title}*", *(_item(item, ids) for item in items)]
    if total > len(items):
        lines.append(f"…and {total - len(items)} more")
    return _section("\n".join(lines))


def _item(item: Escalation, ids: Mapping[str, str]) -> str:
    name = escape(f"{item.tracker} {item.key}")
    title = escape(_short(item.title))
    shown = f"<{_link(item.url)}|{name}>" if item.url.startswith(("https://", "http://")) else name
    who = ", ".join(mention(person, ids) for person in item.assignees) or "unassigned"
    reporters = f", {item.reporters} reporters" if item.reporters > 1 else ""
    return f"• {shown} {title} ({who}{reporters})"


def _short(title: str) -> str:
    return title[:_TITLE_CHARS] + ("…" if len(title) > _TITLE_CHARS else "")


def _link(url: str) -> str:
    """A URL inside `<…|…>`: the characters that would end or split the link are encoded."""
    clean = _CONTROL.sub("", url).replace("|", "%7C").replace("<", "%3C").replace(">", "%3E")
    return clean.replace("&", "&amp;")


def _header(text: str) -> JsonObject:
    return {"type": "header", "text": {"type": "plain_text", "text": text[:150]}}


def _section(text: str) -> JsonObject:
    if len(text) > _SECTION_CHARS:
        cut = text.rfind("\n", 0, _SECTION_CHARS)
        text = text[: cut if cut > 0 else _SECTION_CHARS] + "\n…"
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}

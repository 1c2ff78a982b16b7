"""The `rotation` section: time zone, shifts, members, skips and overrides (SPEC 3.5)."""

from __future__ import annotations

import difflib
import functools
import re
import zoneinfo
from collections.abc import Callable, Collection
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from syncd.config.document import Node, Scalar, Seq
from syncd.config.model import Member, Override, Rotation, Skip, SkipMode
from syncd.config.problems import Invalid, suggestion
from syncd.config.section import Context, Section
from syncd.config.values import a_date, boolean, choice, describe, integer, scalar

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_KEYS = (
    "timezone",
    "handoff_time",
    "shift_length",
    "working_days",
    "holidays",
    "start",
    "fallback",
    "carry_over",
    "members",
    "skips",
    "overrides",
)
_HHMM = re.compile(r"(\d{1,2}):(\d{2})")
MEMBER_KEYS = ("id", "from", "until")
SKIP_KEYS = ("member", "from", "to", "mode", "reason")
OVERRIDE_KEYS = ("member", "start", "end", "reason")


def read_rotation(node: Node | None, ctx: Context, people: Collection[str]) -> Rotation | None:
    """The rotation; None when a required part is missing or invalid (the problems say why)."""
    section = Section(node, "rotation", ctx, _KEYS)
    person = functools.partial(person_id, ctx, people)
    zone = section.require("timezone", functools.partial(_zone, ctx))
    days = section.get("working_days", _working_days, frozenset(range(5)))
    holidays = frozenset(_dates(section, "holidays"))
    start = section.require("start", a_date)
    members = _members(section, person)
    names = {member.person for member in members}
    rotation = Rotation(
        timezone=zone or ZoneInfo("UTC"),
        handoff_time=section.get("handoff_time", _handoff_time, time(9, 0)),
        shift_length=section.get(
            "shift_length", functools.partial(integer, minimum=1, maximum=366), 2
        ),
        working_days=days,
        holidays=holidays,
        start=start or date.min,
        members=members,
        fallback=section.get("fallback", person, None),
        skips=tuple(_skips(section, person, names)),
        overrides=tuple(_overrides(section, person, zone)),
        carry_over=section.get("carry_over", boolean, False),
    )
    if start is not None and (start.weekday() not in days or start in holidays):
        section.problem(section.key_line("start"), "start", f"{start} is not a working day")
    if section.is_mapping and not members and not section.has("members"):
        section.problem(section.line, "", "missing required key 'members'")
    if zone is None or start is None or not members:
        return None
    return rotation


def person_id(ctx: Context, people: Collection[str], node: Node) -> str:
    """The id of a person listed under `people`."""
    name = ctx.values.name(node)
    if name not in people:
        raise Invalid(f"unknown person {name!r}{suggestion(name, people)}: not listed in people")
    return name


def _zone(ctx: Context, node: Node) -> ZoneInfo:
    name = ctx.values.name(node)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        close = _close_zone(name)
        hint = f"did you mean {close!r}?" if close else "expected an IANA name like Europe/Berlin"
        raise Invalid(f"unknown time zone {name[:60]!r} ({hint})") from None


def _close_zone(name: str) -> str | None:
    """The IANA zone `name` most likely meant: the same but for case, else a near spelling."""
    zones = {zone.casefold(): zone for zone in zoneinfo.available_timezones()}
    folded = name.casefold()
    if folded in zones:
        return zones[folded]
    close = difflib.get_close_matches(folded, list(zones), n=1, cutoff=0.85)
    return zones[close[0]] if close else None


def _handoff_time(node: Node) -> time:
    value = scalar(node).value
    if isinstance(value, int) and not isinstance(value, bool) and ":" in scalar(node).text:
        raise Invalid(f'YAML reads {scalar(node).text} as a number: write it in quotes, "HH:MM"')
    match = _HHMM.fullmatch(value) if isinstance(value, str) else None
    if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        shown = repr(value)[:40] if isinstance(value, str) else describe(node)
        raise Invalid(f'expected a time "HH:MM", got {shown}')
    return time(int(match.group(1)), int(match.group(2)))


def _working_days(node: Node) -> frozenset[int]:
    if not isinstance(node, Seq) or not node.items:
        raise Invalid("expected a non-empty list of days such as [mon, tue, wed, thu, fri]")
    days: list[int] = []
    for index, item in enumerate(node.items):
        text = scalar(item).text.casefold()
        if text not in WEEKDAYS:
            raise Invalid(
                f"unknown day {text[:20]!r}{suggestion(text, WEEKDAYS)}", item.line, f"[{index}]"
            )
        if WEEKDAYS.index(text) in days:
            raise Invalid(f"{text} is listed twice", item.line, f"[{index}]")
        days.append(WEEKDAYS.index(text))
    return frozenset(days)


def _dates(section: Section, key: str) -> list[date]:
    found = []
    for path, item in section.items(key):
        try:
            found.append(a_date(item))
        except Invalid as exc:
            section.ctx.problems.add(item.line, path, exc.message)
    return found


def _members(section: Section, person: Callable[[Node], str]) -> tuple[Member, ...]:
    members: list[Member] = []
    for path, item in section.items("members"):
        member = _member(section.ctx, item, path, person)
        if member is None:
            continue
        if any(other.person == member.person for other in members):
            section.ctx.problems.add(item.line, path, f"{member.person!r} is a member twice")
        else:
            members.append(member)
    listed = section.node("members")
    if isinstance(listed, Seq) and not listed.items:
        section.problem(listed.line, "members", "must list at least one member")
    return tuple(members)


def _member(ctx: Context, item: Node, path: str, person: Callable[[Node], str]) -> Member | None:
    if isinstance(item, Scalar):
        try:
            return Member(person(item))
        except Invalid as exc:
            ctx.problems.add(item.line, path, exc.message)
            return None
    entry = Section(item, path, ctx, MEMBER_KEYS)
    name = entry.require("id", person)
    active_from = entry.get("from", a_date, None)
    until = entry.get("until", a_date, None)
    if active_from is not None and until is not None and not active_from < until:
        entry.problem(entry.key_line("until"), "until", f"must be after from ({active_from})")
        return None
    return Member(name, active_from, until) if name is not None else None


def _skips(section: Section, person: Callable[[Node], str], members: set[str]) -> list[Skip]:
    skips = []
    for entry in section.sections("skips", SKIP_KEYS):
        name = entry.require("member", person)
        start, end = entry.require("from", a_date), entry.require("to", a_date)
        mode = entry.get("mode", functools.partial(choice, kind=SkipMode), SkipMode.DEFER)
        reason = entry.get("reason", entry.ctx.values.string, "")
        if name is not None and name not in members:
            entry.problem(entry.key_line("member"), "member", f"{name!r} is not a rotation member")
        elif start is not None and end is not None and end < start:
            entry.problem(entry.key_line("to"), "to", f"must not be before from ({start})")
        elif name is not None and start is not None and end is not None:
            skips.append(Skip(name, start, end, mode, reason))
    return skips


def _overrides(
    section: Section, person: Callable[[Node], str], zone: ZoneInfo | None
) -> list[Override]:
    overrides = []
    instant = functools.partial(utc_instant, zone or ZoneInfo("UTC"))
    for entry in section.sections("overrides", OVERRIDE_KEYS):
        name = entry.require("member", person)
        start, end = entry.require("start", instant), entry.require("end", instant)
        reason = entry.get("reason", entry.ctx.values.string, "")
        # Anyone in `people` may cover (the lead, a former member): `person` checked that.
        if start is not None and end is not None and not start < end:
            entry.problem(entry.key_line("end"), "end", "must be after start")
        elif name is not None and start is not None and end is not None:
            overrides.append(Override(name, start, end, reason))
    return overrides


def utc_instant(zone: ZoneInfo, node: Node) -> datetime:
    """An aware UTC datetime from local wall time in `zone`, or from an explicit offset.

    A local time in a DST gap takes the offset before the gap and an ambiguous one its first
    occurrence (RFC 5545); that is zoneinfo's `fold=0`.
    """
    value = scalar(node).value
    if isinstance(value, str):
        value = _iso_datetime(value)
    if not isinstance(value, date):
        raise Invalid(f'expected a date and time "YYYY-MM-DDTHH:MM", got {describe(node)}')
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0, 0))
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone, fold=0)
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise Invalid(f"date and time out of range: {scalar(node).text[:40]!r}") from None


def _iso_datetime(text: str) -> datetime:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*", text):
            raise ValueError("expected YYYY-MM-DDTHH:MM")
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise Invalid(f"not a date and time: {text[:40]!r} ({exc})") from None

"""Tests for the iCalendar feed: RFC 5545 framing, folding, escaping and stable UIDs."""

from __future__ import annotations

from datetime import date

from syncd.domain.rotation import Shift, ShiftSource
from syncd.domain.rotation.ics import calendar, escape
from syncd.domain.rotation.shift import DAWN
from tests.rotation.rotation_world import roster, rotation, utc

START = date(2026, 11, 2)


def parse(feed: str) -> list[dict[str, str]]:
    """A strict little RFC 5545 reader: CRLF lines of at most 75 octets, balanced components.

    Returns the properties of each VEVENT (name -> raw value); fails on anything malformed.
    """
    assert feed.endswith("\r\n")
    physical = feed[:-2].split("\r\n")
    assert all("\n" not in line and "\r" not in line for line in physical)
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    logical: list[str] = []
    for line in physical:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    assert logical[0] == "BEGIN:VCALENDAR" and logical[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in logical and any(x.startswith("PRODID:") for x in logical)
    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in logical[1:-1]:
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            assert current is None
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            events.append(current)
            current = None
        elif current is not None:
            current[name] = value
    assert current is None
    return events


class TestCalendar:
    """calendar() renders segments as VEVENTs that calendar clients accept."""

    def test_each_segment_becomes_an_event_with_utc_times(self) -> None:
        """Five shifts give five events, times in UTC, each summary naming the member."""
        shifts = roster(rotation()).shifts(utc(2026, 11, 2, 14), 5)

        events = parse(calendar(shifts, START, utc(2026, 11, 26, 12)))

        assert len(events) == 5
        assert events[1]["DTSTART"] == "20261104T140000Z"
        assert events[1]["DTEND"] == "20261106T140000Z"
        assert events[1]["SUMMARY"] == "Support: bob"
        assert {e["DTSTAMP"] for e in events} == {"20261126T120000Z"}
        assert len({e["UID"] for e in events}) == 5

    def test_uids_are_stable_from_one_run_to_the_next(self) -> None:
        """Run a day later, the same shifts keep the same UIDs."""
        shifts = roster(rotation()).shifts(utc(2026, 11, 2, 14), 3)

        today = parse(calendar(shifts, START, utc(2026, 11, 26)))
        tomorrow = parse(calendar(shifts, START, utc(2026, 11, 27)))

        assert [e["UID"] for e in today] == [e["UID"] for e in tomorrow]

    def test_a_long_line_is_folded_and_unfolds_to_the_original(self) -> None:
        """A long, non-ASCII member id is folded at 75 octets without splitting a character."""
        name = "Zoë-" + "ü" * 60
        shift = Shift(0, utc(2026, 11, 2, 14), utc(2026, 11, 4, 14), name, ShiftSource.OVERRIDE)

        events = parse(calendar([shift], START, utc(2026, 11, 26)))

        assert events[0]["SUMMARY"] == f"Support: {name}"

    def test_text_values_escape_commas_semicolons_backslashes_and_newlines(self) -> None:
        """RFC 5545 TEXT escaping is applied to summaries."""
        assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"

    def test_the_open_span_before_the_rotation_is_left_out(self) -> None:
        """A segment starting at the dawn of time has no place on a calendar."""
        opening = Shift(-1, DAWN, utc(2026, 11, 2, 14), None, ShiftSource.UNASSIGNED)

        assert parse(calendar([opening], START, utc(2026, 11, 26))) == []

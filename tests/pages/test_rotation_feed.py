"""`/rotation.ics` and `syncd rotation --ics`: one feed, its window, versions and names."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from syncd.clock import fixed
from syncd.domain.rotation.ics import UTC_STAMP
from syncd.entrypoints.cli import main
from tests.pages.page_world import Pages
from tests.rotation.test_rotation_ics import parse
from tests.status.test_status_command import NOW

# An override on a shift five weeks after NOW: carol covers an afternoon.
OVERRIDE = (
    "  overrides:\n"
    '    - {member: carol, start: "2027-04-20T13:00", end: "2027-04-20T17:00", reason: dentist}\n'
)


def feed_of(pages: Pages, query: str = "") -> list[dict[str, str]]:
    answer = pages.get("/rotation.ics", query)
    assert answer.status == 200
    assert answer.content_type.startswith("text/calendar")
    return parse(answer.body.decode())


def with_override(pages: Pages) -> None:
    members = "  members: [alice, bob, carol]\n"
    pages.config_path.write_text(pages.config_path.read_text().replace(members, members + OVERRIDE))
    pages.reload()


class TestRotationFeed:
    def test_the_events_are_the_shifts_of_rotation_json_over_16_weeks(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Each event's times and person are a shift of `rotation --json`, from 4 weeks before
        now to 12 after, none missing."""
        pages = Pages(tmp_path)
        at = (NOW - timedelta(weeks=4)).isoformat()
        main(["rotation", "-c", str(pages.config_path), "--json", "--at", at, "--next", "300"])
        shifts = json.loads(capsys.readouterr().out)["shifts"]
        end = (NOW + timedelta(weeks=12)).strftime("%Y-%m-%dT%H:%M:%SZ")
        expected = [
            (s["start"], s["end"], f"Support: {s['member'] or 'nobody'}")
            for s in shifts
            if s["start"] is not None and s["end"] is not None and s["start"] < end
        ]

        events = feed_of(pages)

        def iso(stamp: str) -> str:
            return f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:11]}:{stamp[11:13]}:{stamp[13:]}"

        got = [(iso(e["DTSTART"]), iso(e["DTEND"]), e["SUMMARY"]) for e in events]
        assert got == expected
        assert len(got) > 30

    def test_the_feed_is_named_and_sends_no_method(self, tmp_path: Path) -> None:
        """NAME and X-WR-CALNAME name the calendar; no METHOD (PUBLISH needs an ORGANIZER)."""
        text = Pages(tmp_path).get("/rotation.ics").body.decode()

        assert "\r\nX-WR-CALNAME:Support rotation\r\n" in text
        assert "\r\nNAME:Support rotation\r\n" in text
        assert "METHOD:" not in text

    def test_a_changed_shift_keeps_its_uid_and_its_sequence_grows(self, tmp_path: Path) -> None:
        """An override cutting into a shift: that event keeps its UID with SEQUENCE 1 and a
        newer LAST-MODIFIED; untouched events stay at 0; asking again changes nothing."""
        pages = Pages(tmp_path)
        before = {e["UID"]: e for e in feed_of(pages)}
        with_override(pages)
        later = NOW + timedelta(hours=1)
        pages.routes = pages.routes_at(later)

        after = {e["UID"]: e for e in feed_of(pages)}
        again = {e["UID"]: e for e in feed_of(pages)}

        changed = [uid for uid in before if before[uid]["DTEND"] != after[uid]["DTEND"]]
        assert len(changed) == 1
        assert after[changed[0]]["SEQUENCE"] == "1"
        assert after[changed[0]]["LAST-MODIFIED"] == later.strftime(UTC_STAMP)
        assert {after[uid]["SEQUENCE"] for uid in before if uid not in changed} == {"0"}
        assert any("reason: dentist" in e["DESCRIPTION"] for e in after.values())
        assert again == after

    def test_member_gives_one_persons_shifts_with_the_same_uids(self, tmp_path: Path) -> None:
        """`?member=bob` keeps bob's events, as they are in the whole feed; an unknown id 404."""
        pages = Pages(tmp_path)
        whole = {e["UID"]: e for e in feed_of(pages)}

        bob = feed_of(pages, "member=bob")

        assert bob and all(e["SUMMARY"] == "Support: bob" for e in bob)
        assert all(whole[e["UID"]] == e for e in bob)
        assert len(bob) == sum(e["SUMMARY"] == "Support: bob" for e in whole.values())
        assert pages.get("/rotation.ics", "member=zed").status == 404

    def test_the_command_prints_the_same_feed(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`syncd rotation --ics` at the same time prints the page's feed."""
        pages = Pages(tmp_path)
        served = pages.get("/rotation.ics").body.decode()

        main(["rotation", "-c", str(pages.config_path), "--ics"], clock=fixed(NOW))

        assert capsys.readouterr().out == served

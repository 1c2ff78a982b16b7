"""Slack messages: tracker text escaped (no mention, no forged link), mentions by member id,
times in the rotation's zone on either side of a DST change."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from syncd.domain.notices.events import CoverageGap, Escalation, Handoff, TierList
from syncd.domain.notices.slack import escape, slack_message

ZONE = "America/Detroit"


def an_escalation(title: str, url: str = "https://github.com/acme/web/issues/1") -> Escalation:
    """A fire in tracker web titled `title`."""
    created = datetime(2026, 11, 1, tzinfo=UTC)
    return Escalation("web", "acme/web#1", title, url, "fire", ("alice",), 1, created, False)


def a_handoff(*items: Escalation, **times: datetime) -> Handoff:
    """bob hands to alice; the queue holds `items` in one tier."""
    queue = (TierList("fire", items, len(items)),) if items else ()
    return Handoff(
        person="alice",
        start=times.get("start", datetime(2026, 11, 2, 14, tzinfo=UTC)),
        end=times.get("end", datetime(2026, 11, 4, 14, tzinfo=UTC)),
        next_person="bob",
        previous="bob",
        timezone=ZONE,
        queue=queue,
    )


class TestEscaping:
    def test_a_title_cannot_mention_the_channel(self) -> None:
        """`<!channel>` and `<@U…>` in a title arrive as text: no `<!` or `<@U9` in the payload."""
        body = json.dumps(slack_message(a_handoff(an_escalation("<!channel> & <@U999> >_<")), {}))

        assert "<!channel>" not in body and "<@U999>" not in body
        assert "&lt;!channel&gt; &amp; &lt;@U999&gt; &gt;_&lt;" in body

    def test_a_url_cannot_break_out_of_its_link(self) -> None:
        """`|` and `>` in a URL are percent-encoded; a non-http URL is not linked at all."""
        evil = an_escalation("t", "https://x.test/a|b><!here>")
        body = json.dumps(slack_message(a_handoff(evil), {}))
        plain = json.dumps(slack_message(a_handoff(an_escalation("t", "javascript:x")), {}))

        assert "<https://x.test/a%7Cb%3E%3C!here%3E|web acme/web#1>" in body
        assert "<javascript" not in plain

    def test_control_characters_are_dropped(self) -> None:
        """A newline or an escape sequence in a title cannot start a line or colour a terminal."""
        assert escape("a\nb\x1b[31mc") == "a b [31mc"

    def test_people_with_a_member_id_are_mentioned_others_named(self) -> None:
        """alice has a Slack id: `<@U…>`; bob has none: his id in bold."""
        text = str(slack_message(a_handoff(), {"alice": "U024BE7LH"})["text"])

        assert text == "Handoff: <@U024BE7LH> is on shift until Wed 04 Nov 09:00 EST. Next: *bob*."


class TestTimeZone:
    def test_a_shift_across_the_end_of_summer_time_shows_each_side_in_its_offset(self) -> None:
        """Thu 29 Oct 09:00 EDT (13:00Z) until Mon 2 Nov 09:00 EST (14:00Z)."""
        handoff = a_handoff(
            start=datetime(2026, 10, 29, 13, tzinfo=UTC), end=datetime(2026, 11, 2, 14, tzinfo=UTC)
        )

        blocks = json.dumps(slack_message(handoff, {})["blocks"])

        assert "from Thu 29 Oct 09:00 EDT until Mon 02 Nov 09:00 EST" in blocks

    def test_a_coverage_gap_in_spring_shows_daylight_time(self) -> None:
        """After the March change Detroit is UTC-4: 13:00Z is 09:00 EDT."""
        gap = CoverageGap(
            datetime(2027, 3, 15, 13, tzinfo=UTC), datetime(2027, 3, 17, 13, tzinfo=UTC), None, ZONE
        )

        text = str(slack_message(gap, {})["text"])

        assert "from Mon 15 Mar 09:00 EDT until Wed 17 Mar 09:00 EDT" in text
        assert "add an override or set rotation.fallback" in text

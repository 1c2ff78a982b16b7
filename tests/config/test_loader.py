"""What a valid file loads into: defaults, substitution, rotation times, the example config."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from syncd.config.loader import load
from syncd.config.model import (
    AssignMode,
    GitHubTracker,
    Handoff,
    JiraEstimate,
    JiraTracker,
    Secret,
    SkipMode,
)
from syncd.errors import ConfigError
from tests.config.sample import ENV, VALID, load_text, problems_of, replacing

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "syncd.yaml"
EXAMPLE_ENV = {
    "GITHUB_TOKEN": "ghp-example",
    "JIRA_EMAIL": "ops@example.com",
    "JIRA_API_TOKEN": "jira-cloud-example",
    "JIRA_DC_TOKEN": "jira-dc-example",
}


def with_override(start: str, end: str) -> str:
    """VALID with one override for bob from `start` to `end`."""
    line = f"  overrides: [{{member: bob, start: {start!r}, end: {end!r}}}]\n"
    return replacing("  members: [alice, bob]\n", "  members: [alice, bob]\n" + line)


class TestDefaults:
    """Keys left out take the documented defaults."""

    def test_top_level_defaults(self) -> None:
        """poll 60s, reconcile 1h, state in var/syncd.db (relative to the working directory)."""
        config = load_text(VALID)

        assert (config.poll_interval, config.reconcile_interval) == (60.0, 3600.0)
        assert config.state_path == Path("var/syncd.db")
        assert config.source == Path("syncd.yaml")

    def test_rotation_defaults(self) -> None:
        """09:00 handoffs, two-day shifts, Monday to Friday, no holidays."""
        rotation = load_text(VALID).rotation

        assert rotation.handoff_time == time(9, 0)
        assert rotation.shift_length == 2
        assert rotation.working_days == frozenset({0, 1, 2, 3, 4})
        assert (rotation.holidays, rotation.fallback, rotation.skips) == (frozenset(), None, ())

    def test_tier_and_estimate_defaults(self) -> None:
        """Prefix tier/, default tier triage unassigned, limit 2 working days, handoff team."""
        config = load_text(VALID)

        assert config.tiers.label_prefix == "tier/"
        assert (config.tiers.default_tier, config.tiers.default_assign) == (
            "triage",
            AssignMode.NONE,
        )
        assert config.estimates.limit == 2 * 8 * 3600.0
        assert (config.estimates.flag_label, config.estimates.handoff) == (
            "needs-team",
            Handoff.TEAM,
        )

    def test_github_tracker_defaults(self) -> None:
        """api.github.com, escalation label, 1s between writes, 500 writes a cycle."""
        tracker = load_text(VALID).trackers[0]

        assert isinstance(tracker, GitHubTracker)
        assert tracker.base_url == "https://api.github.com"
        assert tracker.escalation_labels == ("escalation",)
        assert (tracker.write_interval, tracker.max_writes_per_cycle) == (1.0, 500)

    def test_reconcile_interval_below_poll_interval_is_refused(self) -> None:
        """A full pass cannot run more often than a poll."""
        problems = problems_of("poll_interval: 2m\nreconcile_interval: 1m\n" + VALID)

        assert problems == [
            "syncd.yaml:2: reconcile_interval: must be at least poll_interval"
            " (a full pass cannot run more often than a poll)"
        ]


class TestSubstitution:
    """`${VAR}` comes from the environment given; secrets stay wrapped."""

    def test_a_token_becomes_a_secret_naming_its_variable(self) -> None:
        """The token's value is available to reveal, its repr shows only `${GITHUB_TOKEN}`."""
        token = load_text(VALID).trackers[0].token

        assert token.reveal() == ENV["GITHUB_TOKEN"]
        assert repr(token) == "Secret(${GITHUB_TOKEN})"

    def test_a_literal_token_is_wrapped_as_a_secret_too(self) -> None:
        """A token written in the file is allowed, and hidden like the others."""
        text = replacing("${GITHUB_TOKEN}", "literal-token-abc")

        token = load_text(text).trackers[0].token

        assert token.reveal() == "literal-token-abc"
        assert "literal-token-abc" not in repr(token)

    def test_variables_are_substituted_in_any_string(self) -> None:
        """base_url and the JQL read `${VAR}` too; `$$` is a literal dollar."""
        text = replacing("    team: alice\n", "    team: alice\n    base_url: ${GHE}/api/v3\n")

        tracker = load_text(text, {**ENV, "GHE": "https://ghe.example.com"}).trackers[0]

        assert isinstance(tracker, GitHubTracker)
        assert tracker.base_url == "https://ghe.example.com/api/v3"

    def test_without_required_secrets_an_unset_token_is_an_empty_secret(self) -> None:
        """For commands that never reach a tracker, an unset variable is not an error."""
        config = load_text(VALID, {}, require_secrets=False)

        assert config.trackers[0].token == Secret("", "${GITHUB_TOKEN}")
        assert config.trackers[0].token.source == "${GITHUB_TOKEN}"


class TestRotationTimes:
    """Dates and override times, in local time or with an explicit offset."""

    def test_dates_may_be_yaml_dates_or_strings(self) -> None:
        """`2026-12-25` and `"2027-01-01"` are both dates."""
        text = replacing(
            "  start: 2026-11-02\n", '  start: 2026-11-02\n  holidays: [2026-12-25, "2027-01-01"]\n'
        )

        holidays = load_text(text).rotation.holidays

        assert holidays == frozenset({date(2026, 12, 25), date(2027, 1, 1)})

    def test_an_override_in_local_time_is_converted_to_utc(self) -> None:
        """13:00 in Detroit in December (EST, -5) is 18:00 UTC."""
        override = load_text(
            with_override("2026-12-10T13:00", "2026-12-11T09:00")
        ).rotation.overrides[0]

        assert override.start == datetime(2026, 12, 10, 18, 0, tzinfo=UTC)
        assert override.end == datetime(2026, 12, 11, 14, 0, tzinfo=UTC)

    def test_an_override_with_an_explicit_offset_keeps_it(self) -> None:
        """`+01:00` is honoured whatever the rotation's time zone."""
        text = with_override("2026-12-10T13:00+01:00", "2026-12-10T18:00Z")

        override = load_text(text).rotation.overrides[0]

        assert (override.start, override.end) == (
            datetime(2026, 12, 10, 12, 0, tzinfo=UTC),
            datetime(2026, 12, 10, 18, 0, tzinfo=UTC),
        )

    def test_a_time_in_the_dst_gap_takes_the_offset_before_the_gap(self) -> None:
        """02:30 on 8 March 2026 does not exist in Detroit; EST (-5) applies, so 07:30 UTC."""
        override = load_text(
            with_override("2026-03-08T02:30", "2026-03-08T12:00")
        ).rotation.overrides[0]

        assert override.start == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)

    def test_an_ambiguous_time_takes_its_first_occurrence(self) -> None:
        """01:30 on 1 November 2026 happens twice in Detroit; the first is EDT (-4)."""
        override = load_text(
            with_override("2026-11-01T01:30", "2026-11-01T12:00")
        ).rotation.overrides[0]

        assert override.start == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)

    def test_an_override_ending_before_it_starts_is_refused(self) -> None:
        """start < end is required."""
        problems = problems_of(with_override("2026-12-11T09:00", "2026-12-10T09:00"))

        assert problems == ["syncd.yaml:8: rotation.overrides[0].end: must be after start"]


class TestExampleConfig:
    """config/syncd.yaml is complete and loads."""

    def test_the_example_loads_with_its_variables_set(self) -> None:
        """Three trackers, ten people, skips of both modes, a story-points Jira tracker."""
        config = load(EXAMPLE, EXAMPLE_ENV)

        assert [t.name for t in config.trackers] == ["web", "support", "platform"]
        assert len(config.people) == 10
        assert {skip.mode for skip in config.rotation.skips} == {SkipMode.DEFER, SkipMode.FORFEIT}
        platform = config.tracker("platform")
        assert isinstance(platform, JiraTracker) and platform.email is None
        assert platform.estimate == JiraEstimate("Story Points", 0.5)

    def test_the_example_without_variables_names_each_missing_one(self) -> None:
        """Four unset variables, four problems, no values anywhere."""
        with pytest.raises(ConfigError) as caught:
            load(EXAMPLE, {})

        assert [p.message for p in caught.value.problems] == [
            f"environment variable {name} is not set"
            for name in ("GITHUB_TOKEN", "JIRA_EMAIL", "JIRA_API_TOKEN", "JIRA_DC_TOKEN")
        ]


class TestFiles:
    """Reading the file itself."""

    def test_a_missing_file_is_a_config_error(self, tmp_path: Path) -> None:
        """No traceback, a clear message naming the file."""
        missing = tmp_path / "absent.yaml"

        with pytest.raises(ConfigError) as caught:
            load(missing, {})

        assert str(caught.value) == f"{missing}: cannot read the file: No such file or directory"

    def test_a_binary_file_is_a_config_error(self, tmp_path: Path) -> None:
        """Bytes that are not UTF-8 are refused with the line where they start."""
        junk = tmp_path / "junk.yaml"
        junk.write_bytes(b"people:\n  \xff\xfe\x00\x81\n")

        with pytest.raises(ConfigError) as caught:
            load(junk, {})

        assert str(caught.value) == f"{junk}:2: not UTF-8 text (is this a YAML file?)"

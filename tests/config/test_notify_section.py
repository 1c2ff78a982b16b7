"""The `notify:` section, `people.<id>.slack` and `rotation.carry_over` (SPEC §2, §8)."""

from __future__ import annotations

import pytest

from syncd.config.hazards import hazards
from syncd.service_layer.registry import secret_values
from tests.config.sample import ENV, VALID, load_text, problems_of

HOOK = "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX"
NOTIFY_ENV = {**ENV, "SLACK_WEBHOOK_URL": HOOK, "NOTIFY_URL": "https://events.example.com/in"}


def with_notify(body: str, text: str = VALID) -> str:
    """`text` with a `notify:` section (its lines indented by two spaces) at the top."""
    return f"notify:\n{body}" + text


class TestNotifySection:
    def test_without_the_section_no_message_is_sent(self) -> None:
        """No `notify:` means no notify settings, no carry-over and no Slack ids."""
        config = load_text(VALID, NOTIFY_ENV)

        assert config.notify is None
        assert config.rotation.carry_over is False
        assert config.people["alice"].slack is None

    def test_a_slack_url_turns_every_message_on_with_the_spec_defaults(self) -> None:
        """handoff, standup, fires on; unowned_fire_after 30m; coverage_days 14."""
        notify = load_text(
            with_notify("  slack_webhook: ${SLACK_WEBHOOK_URL}\n"), NOTIFY_ENV
        ).notify

        assert notify is not None and notify.slack_webhook is not None
        assert notify.slack_webhook.reveal() == HOOK
        assert notify.webhook is None
        assert (notify.handoff, notify.standup, notify.fires) == (True, True, True)
        assert (notify.unowned_fire_after, notify.coverage_days) == (1800.0, 14)

    def test_every_key_is_read(self) -> None:
        """The JSON webhook, the switches and the two numbers as written."""
        body = (
            "  webhook: ${NOTIFY_URL}\n  handoff: false\n  standup: false\n  fires: false\n"
            "  unowned_fire_after: 1h\n  coverage_days: 7\n"
        )
        notify = load_text(with_notify(body), NOTIFY_ENV).notify

        assert notify is not None and notify.webhook is not None
        assert notify.slack_webhook is None
        assert (notify.handoff, notify.standup, notify.fires) == (False, False, False)
        assert (notify.unowned_fire_after, notify.coverage_days) == (3600.0, 7)

    def test_a_section_without_a_url_is_a_problem(self) -> None:
        """`notify:` with neither slack_webhook nor webhook says what to set."""
        problems = problems_of(with_notify("  handoff: true\n"), NOTIFY_ENV)

        assert problems == [
            "syncd.yaml:2: notify: set slack_webhook or webhook (or remove `notify:`)"
        ]

    def test_a_url_that_is_no_url_is_reported_without_its_value(self) -> None:
        """The variable is named; the value (a secret) is not quoted."""
        env = {**NOTIFY_ENV, "SLACK_WEBHOOK_URL": "hooks.slack.com/services/T000/SECRETPART"}
        problems = problems_of(with_notify("  slack_webhook: ${SLACK_WEBHOOK_URL}\n"), env)

        assert problems == [
            "syncd.yaml:2: notify.slack_webhook: ${SLACK_WEBHOOK_URL} is not an http(s) URL"
        ]
        assert "SECRETPART" not in problems[0]

    def test_the_urls_are_masked_in_logs(self) -> None:
        """Both URLs are among the values the log redactor hides."""
        body = "  slack_webhook: ${SLACK_WEBHOOK_URL}\n  webhook: ${NOTIFY_URL}\n"
        found = secret_values(load_text(with_notify(body), NOTIFY_ENV))

        assert HOOK in found and "https://events.example.com/in" in found

    def test_check_warns_about_a_url_written_in_the_file(self) -> None:
        """A literal URL is a hazard named by its key, never quoting the URL."""
        config = load_text(with_notify(f"  slack_webhook: {HOOK}\n"), NOTIFY_ENV)

        found = [str(h) for h in hazards(config)]

        assert any(h.startswith("notify slack_webhook: written in the file") for h in found)
        assert all("XXXXXXXX" not in h for h in found)


class TestSlackMemberIds:
    def test_a_member_id_is_kept_for_mentions(self) -> None:
        """`people.<id>.slack` holds the member id."""
        text = VALID.replace(
            "alice: {github: alice-gh, jira: alice}",
            "alice: {github: alice-gh, jira: alice, slack: U024BE7LH}",
        )

        assert load_text(text, NOTIFY_ENV).people["alice"].slack == "U024BE7LH"

    @pytest.mark.parametrize("value", ["alice", "@alice", "u024be7lh", "U1"])
    def test_a_display_name_is_not_a_member_id(self, value: str) -> None:
        """Anything but U/W and upper-case letters and digits is a problem at its line."""
        text = VALID.replace(
            "alice: {github: alice-gh, jira: alice}",
            f"alice: {{github: alice-gh, jira: alice, slack: '{value}'}}",
        )

        problems = problems_of(text, NOTIFY_ENV)

        assert len(problems) == 1
        assert problems[0].startswith(
            "syncd.yaml:2: people.alice.slack: expected a Slack member id"
        )


class TestCarryOver:
    def test_carry_over_is_read(self) -> None:
        """`rotation.carry_over: true` is kept on the rotation."""
        text = VALID.replace(
            "  members: [alice, bob]\n", "  members: [alice, bob]\n  carry_over: true\n"
        )

        assert load_text(text, NOTIFY_ENV).rotation.carry_over is True

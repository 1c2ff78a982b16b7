"""The trackers' `write_budget` key: GitHub's secondary limits by default, `none`, Jira none."""

from __future__ import annotations

from syncd.domain.write_budget import WriteBudget
from tests.config.sample import load_text, problems_of, replacing

TOKEN_LINE = "    token: ${GITHUB_TOKEN}\n"


def _with(line: str) -> str:
    return replacing(TOKEN_LINE, TOKEN_LINE + line)


class TestWriteBudget:
    """What `write_budget` loads into."""

    def test_github_defaults_to_80_a_minute_and_500_an_hour(self) -> None:
        """Left out on GitHub: GitHub's documented secondary limits."""
        assert load_text(_with("")).trackers[0].write_budget == WriteBudget(80, 500)

    def test_none_turns_it_off(self) -> None:
        """`write_budget: none` (a local sandbox): no budget, only `write_interval`."""
        assert load_text(_with("    write_budget: none\n")).trackers[0].write_budget is None

    def test_a_key_left_out_keeps_its_default(self) -> None:
        """Only per_hour given: per_minute stays 80."""
        text = _with("    write_budget: {per_hour: 300}\n")
        assert load_text(text).trackers[0].write_budget == WriteBudget(80, 300)

    def test_an_unknown_key_and_a_bad_count_are_located(self) -> None:
        """Errors name the key path under the tracker."""
        text = _with("    write_budget: {per_minute: 0, per_day: 9}\n")
        problems = problems_of(text)
        assert any("trackers[0].write_budget" in p and "per_day" in p for p in problems)
        assert any("trackers[0].write_budget.per_minute" in p for p in problems)

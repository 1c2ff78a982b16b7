"""GitHub's primary budget from its headers: writes stop at a small reserve, before a refusal."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
import responses
from github_payloads import API, ESTIMATES, NOW, DictEtags, adapter, label, tracker

from syncd.adapters.github.client import GitHubAdapter
from syncd.adapters.github.primary import RESERVE
from syncd.errors import RateLimited

ISSUE = f"{API}/repos/acme/web/issues/12"
LABELS = f"{API}/repos/acme/web/labels"
RESET = NOW + timedelta(minutes=20)


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def _budget(remaining: int) -> dict[str, str]:
    return {
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": str(int(RESET.timestamp())),
    }


class TestPrimaryBudget:
    """The adapter reads X-RateLimit-Remaining/Reset on every answer."""

    def test_a_write_at_the_reserve_is_not_sent(self, rsps: responses.RequestsMock) -> None:
        """Remaining at the reserve: the POST is not sent; RateLimited until the reset."""
        rsps.get(f"{LABELS}/tier%2Ffire", json=label("tier/fire"), headers=_budget(RESERVE))
        rsps.post(f"{ISSUE}/labels", json=[label("tier/fire")])
        gh = adapter()

        with pytest.raises(RateLimited) as raised:
            gh.add_label("acme/web#12", "tier/fire")

        assert raised.value.until == RESET
        assert [call.request.method for call in rsps.calls] == ["GET"]

    def test_a_write_above_the_reserve_goes(self, rsps: responses.RequestsMock) -> None:
        """Remaining above the reserve: the write is sent as usual."""
        rsps.get(f"{LABELS}/tier%2Ffire", json=label("tier/fire"), headers=_budget(RESERVE + 1))
        rsps.post(f"{ISSUE}/labels", json=[label("tier/fire")])

        adapter().add_label("acme/web#12", "tier/fire")

        assert [call.request.method for call in rsps.calls] == ["GET", "POST"]

    def test_without_a_write_budget_writes_go_until_github_refuses(
        self, rsps: responses.RequestsMock
    ) -> None:
        """`write_budget: none` (a local sandbox): no reserve, the write is sent."""
        rsps.get(f"{LABELS}/tier%2Ffire", json=label("tier/fire"), headers=_budget(0))
        rsps.post(f"{ISSUE}/labels", json=[label("tier/fire")])
        gh = GitHubAdapter(
            replace(tracker(("acme/web",)), write_budget=None), ESTIMATES, DictEtags(), timeout=5
        )

        gh.add_label("acme/web#12", "tier/fire")

        assert [call.request.method for call in rsps.calls] == ["GET", "POST"]

"""Several labels of one issue in one additive request (issue 15: fewer content writes)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import responses
from github_payloads import API, adapter, label

ISSUE = f"{API}/repos/acme/web/issues/12"
LABELS = f"{API}/repos/acme/web/labels"


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def test_two_labels_go_in_one_post(rsps: responses.RequestsMock) -> None:
    """Tier and flag labels: each checked once in the repo, then one POST naming both (GitHub
    adds them to the issue's labels; the set is never replaced)."""
    rsps.get(f"{LABELS}/tier%2Ftriage", json=label("tier/triage"))
    rsps.get(f"{LABELS}/needs-team", json=label("needs-team"))
    rsps.post(f"{ISSUE}/labels", json=[label("tier/triage"), label("needs-team")])
    gh = adapter()

    gh.add_labels("acme/web#12", ("tier/triage", "needs-team"))

    posts = [c.request for c in rsps.calls if c.request.method == "POST"]
    assert [json.loads(p.body) for p in posts] == [{"labels": ["tier/triage", "needs-team"]}]
    assert gh.stats.writes == 1

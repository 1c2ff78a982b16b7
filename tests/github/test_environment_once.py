"""Proxies and CA bundles from the environment, resolved once per adapter (issue 15, item 5).

requests re-reads them on every request while `trust_env` is on; each adapter now resolves them
when it is built and passes them explicitly. A variable changed afterwards is not read again,
which is how a test can tell the two apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import responses
from github_payloads import API, label, tracker

from syncd.adapters.github.client import GitHubAdapter
from syncd.adapters.jira.rest import JiraRest
from tests.builders import a_jira_tracker
from tests.github.github_payloads import ESTIMATES, DictEtags

PROXY = "http://proxy.internal:3128"


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def bundle(tmp_path: Path) -> str:
    path = tmp_path / "ca.pem"
    path.write_text("not read by the test")
    return str(path)


def _sent_with(rsps: responses.RequestsMock) -> dict[str, object]:
    return rsps.calls[0].request.req_kwargs  # type: ignore[no-any-return, union-attr]


class TestResolvedOnce:
    def test_github_uses_the_proxy_and_bundle_of_its_start(
        self, rsps: responses.RequestsMock, bundle: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """HTTPS_PROXY and REQUESTS_CA_BUNDLE set at build time are used, even once unset."""
        monkeypatch.setenv("HTTPS_PROXY", PROXY)
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", bundle)
        gh = GitHubAdapter(tracker(("acme/web",)), ESTIMATES, DictEtags(), timeout=5)
        monkeypatch.delenv("HTTPS_PROXY")
        monkeypatch.delenv("REQUESTS_CA_BUNDLE")
        rsps.get(f"{API}/repos/acme/web/labels/tier%2Ffire", json=label("tier/fire"))
        rsps.post(f"{API}/repos/acme/web/issues/12/labels", json=[label("tier/fire")])

        gh.add_label("acme/web#12", "tier/fire")

        sent = _sent_with(rsps)
        assert sent["proxies"] == {"https": PROXY}
        assert sent["verify"] == bundle

    def test_jira_uses_the_proxy_and_bundle_of_its_start(
        self, rsps: responses.RequestsMock, bundle: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The same for the Jira adapter's session."""
        monkeypatch.setenv("HTTPS_PROXY", PROXY)
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", bundle)
        rest = JiraRest(a_jira_tracker(), 5.0, lambda *a, **k: None)
        monkeypatch.delenv("HTTPS_PROXY")
        monkeypatch.delenv("REQUESTS_CA_BUNDLE")
        rsps.get("https://acme.atlassian.net/rest/api/2/myself", json={"accountId": "x"})

        rest.get("myself")

        sent = _sent_with(rsps)
        assert sent["proxies"] == {"https": PROXY}
        assert sent["verify"] == bundle

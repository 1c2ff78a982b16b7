"""Odd payloads: 1 MB bodies, RTL marks, NULs, lone surrogates, emoji labels with slashes, and
odd dates, through both mappings and (for GitHub and Jira Cloud) the sandbox end to end."""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syncd.adapters.github.client import GitHubAdapter
from syncd.adapters.github.mapping import to_snapshot as github_snapshot
from syncd.adapters.jira.client import JiraAdapter
from syncd.adapters.jira.mapping import to_snapshot as jira_snapshot
from syncd.config.loader import loads
from syncd.config.model import Estimates, GitHubTracker, JiraEstimate, JiraTracker, Secret
from syncd.domain.patterns import GuardedPattern
from syncd.sandbox.seed import GitHubIssueSeed, JiraIssueSeed
from syncd.sandbox.seed_yaml import demo_seed
from syncd.sandbox.server import Sandbox
from tests.fakes import FakeClock
from tests.soak.sandbox_world import Credentials, demo_config

MEGABYTE = "Ab\u202e\u200f 🔥 \x00" * (1_000_000 // 8)
# A lone surrogate escaped in JSON decodes to a str that cannot be encoded to UTF-8.
SURROGATE = json.loads('"broken \\ud83d half emoji"')
ODD_TEXTS = (MEGABYTE, SURROGATE, "\u202eesrever\u202c", "nul\x00inside", "🔥" * 1000, "")
ODD_LABELS = ("tier/🔥", "a/b/c", "priority/Highest🔥", "../..", "%2F", "label with spaces", "ⓔ")
ODD_DATES = (
    "2026-11-20",  # no time, no zone
    "2026-11-20T10:00:00",  # no zone
    "20261120T100000Z",
    "2026-13-40T99:99:99Z",
    "Thu, 20 Nov 2026 10:00:00 GMT",
    "0000-01-01T00:00:00Z",
    "9999-12-31T23:59:59-23:59",
    "",
    "🔥",
)
ESTIMATES = Estimates(limit=16 * 3600.0, flag_label="needs-team")
GITHUB = GitHubTracker(
    name="web",
    repos=("acme/web",),
    token=Secret("t", "${T}"),
    priority_label=GuardedPattern("priority/(.+)"),
)
JIRA = JiraTracker(
    name="support",
    url="https://acme.atlassian.net",
    token=Secret("t", "${T}"),
    jql="project = SUP",
    estimate=JiraEstimate(),
)


def _github_item(**changes: Any) -> dict[str, Any]:
    """A GitHub list item of the recorded shape (tests/reference), with `changes`."""
    item: dict[str, Any] = {
        "number": 7,
        "title": "Hostile",
        "body": None,
        "labels": [{"name": "escalation"}],
        "assignees": [],
        "created_at": "2026-11-01T16:00:00Z",
        "updated_at": "2026-11-20T10:00:00Z",
        "html_url": "https://github.com/acme/web/issues/7",
        "reactions": {"+1": 0},
    }
    return {**item, **changes}


def _jira_item(**fields: Any) -> dict[str, Any]:
    """A Jira v2 search item of the recorded shape (tests/reference), with `fields`."""
    base: dict[str, Any] = {
        "summary": "Hostile",
        "description": None,
        "labels": ["escalation"],
        "created": "2026-11-01T16:00:00.000+0000",
        "updated": "2026-11-20T10:00:00.000+0000",
        "project": {"key": "SUP"},
    }
    return {
        "id": "1",
        "key": "SUP-1",
        "self": "https://x/rest/api/2/issue/1",
        "fields": base | fields,
    }


class TestGitHubMappingOfOddPayloads:
    """GitHub items with odd text, labels and dates map, or skip with a reason; never raise."""

    @pytest.mark.parametrize("text", ODD_TEXTS, ids=range(len(ODD_TEXTS)))
    def test_odd_titles_and_bodies_come_across_unchanged(self, text: str) -> None:
        """Text is data: it reaches the snapshot as it came, and quickly."""
        started = time.monotonic()

        mapped = github_snapshot(_github_item(title=text, body=text), GITHUB, ESTIMATES, "acme/web")

        assert mapped.snapshot is not None and mapped.snapshot.body == text
        assert time.monotonic() - started < 1.0

    def test_labels_with_slashes_and_emoji_are_kept_and_read(self) -> None:
        """Odd label names survive, and the priority regex reads an emoji priority."""
        labels = [{"name": name} for name in ODD_LABELS]

        mapped = github_snapshot(_github_item(labels=labels), GITHUB, ESTIMATES, "acme/web")

        assert mapped.snapshot is not None
        assert mapped.snapshot.labels == ODD_LABELS
        assert mapped.snapshot.priority == "Highest🔥"

    @pytest.mark.parametrize("stamp", ODD_DATES)
    def test_odd_dates_skip_the_issue_or_map_it_in_utc(self, stamp: str) -> None:
        """A date without a zone or unreadable is a skip with a reason; never an exception."""
        mapped = github_snapshot(_github_item(updated_at=stamp), GITHUB, ESTIMATES, "acme/web")

        if mapped.snapshot is None:
            assert mapped.skip and "updated_at" in mapped.skip
        else:
            assert mapped.snapshot.updated.tzinfo == UTC

    @settings(max_examples=200, deadline=None)
    @given(
        text=st.text(alphabet=st.characters(codec=None), max_size=200),
        label=st.text(min_size=1, max_size=40),
    )
    def test_any_unicode_maps_without_raising(self, text: str, label: str) -> None:
        """Any code points (surrogates included) in title, body and label names."""
        raw = _github_item(title=text, body=text, labels=[{"name": label}])

        mapped = github_snapshot(raw, GITHUB, ESTIMATES, "acme/web")

        assert mapped.snapshot is not None and mapped.snapshot.labels == (label,)


class TestJiraMappingOfOddPayloads:
    """Jira issues with odd text, labels and dates map, or skip with a reason; never raise."""

    @pytest.mark.parametrize("text", ODD_TEXTS, ids=range(len(ODD_TEXTS)))
    def test_odd_summaries_and_descriptions_map(self, text: str) -> None:
        """Text up to the mapping's cap comes across; the issue is not skipped."""
        raw = _jira_item(summary=text or "x", description=text)

        mapped = jira_snapshot(raw, JIRA, ESTIMATES, None, 8.0)

        assert mapped.snapshot is not None and mapped.snapshot.body == text

    @pytest.mark.parametrize("stamp", ODD_DATES)
    def test_odd_dates_skip_the_issue_or_map_it_in_utc(self, stamp: str) -> None:
        """A date Jira would never send is a skip with a reason; never an exception."""
        mapped = jira_snapshot(_jira_item(updated=stamp), JIRA, ESTIMATES, None, 8.0)

        if mapped.snapshot is None:
            assert mapped.skip
        else:
            assert mapped.snapshot.updated.tzinfo == UTC

    def test_odd_labels_are_kept(self) -> None:
        """Emoji and slashes in Jira labels survive the mapping."""
        mapped = jira_snapshot(_jira_item(labels=list(ODD_LABELS)), JIRA, ESTIMATES, None, 8.0)

        assert mapped.snapshot is not None and mapped.snapshot.labels == ODD_LABELS


@pytest.fixture
def odd_sandbox() -> Iterator[Sandbox]:
    """The demo seed plus one GitHub and one Jira Cloud issue full of odd text and labels."""
    seed = demo_seed()
    github_issue = GitHubIssueSeed(
        number=900, title="\u202eRTL 🔥 title", body=MEGABYTE, labels=("escalation", "a/b/🔥")
    )
    repos = (
        dataclasses.replace(
            seed.github.repos[0], issues=(*seed.github.repos[0].issues, github_issue)
        ),
        *seed.github.repos[1:],
    )
    jira_issue = JiraIssueSeed(
        key="SUP-900", summary="nul\x00 \u202e 🔥", description=MEGABYTE, labels=("escalation",)
    )
    project = seed.jira_cloud.projects[0]
    projects = (dataclasses.replace(project, issues=(*project.issues, jira_issue)),)
    seed = dataclasses.replace(
        seed,
        github=dataclasses.replace(seed.github, repos=repos),
        jira_cloud=dataclasses.replace(seed.jira_cloud, projects=projects),
    )
    with Sandbox(seed, clock=FakeClock(datetime(2026, 11, 26, 15, 0, tzinfo=UTC))) as running:
        yield running


@pytest.mark.e2e
class TestOddIssuesThroughTheSandbox:
    """The real adapters read odd issues over HTTP and write odd labels to them."""

    def test_github_reads_a_megabyte_body_and_writes_labels_with_slashes_and_emoji(
        self, odd_sandbox: Sandbox, tmp_path: Path
    ) -> None:
        """Fetched intact; `tier/🔥 x` added and removed again (one path segment each time)."""
        config = loads(demo_config(odd_sandbox.url, tmp_path / "s.db"), "odd.yaml", _env())
        settings = config.tracker("web")
        assert isinstance(settings, GitHubTracker)
        adapter = GitHubAdapter(settings, config.estimates, _Etags(), timeout=5)

        fetched = {s.key: s for s in adapter.fetch(None).snapshots}
        adapter.add_label("acme/web#900", "tier/🔥 x")
        labelled = odd_sandbox.snapshot().issue("acme/web#900").labels
        adapter.remove_label("acme/web#900", "a/b/🔥")
        after = odd_sandbox.snapshot().issue("acme/web#900").labels

        assert fetched["acme/web#900"].body == MEGABYTE
        assert fetched["acme/web#900"].title == "\u202eRTL 🔥 title"
        assert "tier/🔥 x" in labelled
        assert after == ("escalation", "tier/🔥 x")

    def test_jira_cloud_reads_a_megabyte_description_with_nul_and_rtl(
        self, odd_sandbox: Sandbox, tmp_path: Path
    ) -> None:
        """The Cloud search pages carry the odd issue intact; a label write lands."""
        config = loads(demo_config(odd_sandbox.url, tmp_path / "s.db"), "odd.yaml", _env())
        settings = config.tracker("support")
        assert isinstance(settings, JiraTracker)
        adapter = JiraAdapter(settings, config.estimates, timeout=5)

        fetched = {s.key: s for s in adapter.fetch(None).snapshots}
        adapter.add_label("SUP-900", "tier/🔥")

        assert fetched["SUP-900"].title == "nul\x00 \u202e 🔥"
        assert fetched["SUP-900"].body == MEGABYTE
        assert "tier/🔥" in odd_sandbox.snapshot().issue("SUP-900").labels


def _env() -> dict[str, str]:
    return Credentials().environment()


class _Etags:
    """ETags in a dict (the state file's role)."""

    def __init__(self) -> None:
        self._etags: dict[str, str] = {}

    def etag(self, url: str) -> str | None:
        """The ETag stored for `url`."""
        return self._etags.get(url)

    def remember_etag(self, url: str, etag: str) -> None:
        """Store the ETag of a 200 answer."""
        self._etags[url] = etag

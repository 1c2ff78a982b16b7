"""The sandbox sends GitHub's real list formats: weak ETags and next pages on /repositories/{id}.

api.github.com answers a list with `ETag: W/"..."` and names its next pages by the repository's
numeric id (octokit-fixtures paginate-issues: `<https://api.github.com/repositories/1000/issues?
per_page=3&page=2>; rel="next"`), so syncd's own client is checked against both here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import requests

from syncd.adapters.github.client import GitHubAdapter
from syncd.config.model import Estimates, GitHubTracker, Secret
from syncd.sandbox.seed import generated_seed
from syncd.sandbox.server import Sandbox
from tests.sandbox.contract import recorded

AUTH = {"Authorization": "token sandbox-github-token"}
NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
BENCH_SEED = generated_seed(github_repos=1, issues_per_repo=250, jira_issues=0)


class DictEtags:
    """An in-memory EtagStore."""

    def __init__(self) -> None:
        self.stored: dict[str, str] = {}

    def etag(self, url: str) -> str | None:
        """The ETag last stored for `url`."""
        return self.stored.get(url)

    def remember_etag(self, url: str, etag: str) -> None:
        """Store the ETag of `url`."""
        self.stored[url] = etag


def _repo_id(sandbox: Sandbox, name: str) -> int:
    answer = requests.get(f"{sandbox.github_url}/repos/{name}", headers=AUTH, timeout=5)
    return int(answer.json()["id"])


class TestWeakEtags:
    """Lists carry a weak ETag, and If-None-Match compares weakly (RFC 9110, 13.1.2)."""

    def test_a_list_answer_carries_a_weak_etag(self, sandbox: Sandbox) -> None:
        """The ETag of an issue list has GitHub's `W/"..."` form."""
        answer = requests.get(
            f"{sandbox.github_url}/repos/acme/web/issues", headers=AUTH, timeout=5
        )

        assert answer.headers["ETag"].startswith('W/"')

    @pytest.mark.parametrize("form", ["as sent", "without W/"])
    def test_if_none_match_with_the_etag_is_a_304(self, sandbox: Sandbox, form: str) -> None:
        """The ETag sent back, weak or stripped of `W/`, gets a 304 with no body."""
        url = f"{sandbox.github_url}/repos/acme/web/issues"
        etag = requests.get(url, headers=AUTH, timeout=5).headers["ETag"]
        tag = etag if form == "as sent" else etag.removeprefix("W/")

        again = requests.get(url, headers={**AUTH, "If-None-Match": tag}, timeout=5)

        assert again.status_code == 304 and again.content == b""
        assert again.headers["ETag"] == etag


class TestNextPagesByRepositoryId:
    """`Link` names later pages as /repositories/{id}/issues, which the sandbox also serves."""

    def test_the_next_link_names_the_repository_by_its_id(self, sandbox: Sandbox) -> None:
        """Page 1 of /repos/acme/web/issues points at /repositories/<id>/issues?...&page=2."""
        base = sandbox.github_url
        params = {"labels": "escalation", "per_page": "2"}

        answer = requests.get(
            f"{base}/repos/acme/web/issues", params=params, headers=AUTH, timeout=5
        )

        by_id = f"{base}/repositories/{_repo_id(sandbox, 'acme/web')}/issues?"
        assert answer.links["next"]["url"].startswith(by_id)
        assert answer.links["last"]["url"].startswith(by_id)
        assert "page=2" in answer.links["next"]["url"]

    def test_following_the_links_reads_every_issue_once(self, sandbox: Sandbox) -> None:
        """Walking `next` from page 1 gives the same issues as one big page."""
        base = sandbox.github_url
        url: str | None = f"{base}/repos/acme/web/issues?state=all&per_page=2"
        numbers: list[int] = []
        while url:
            answer = requests.get(url, headers=AUTH, timeout=5)
            assert answer.status_code == 200, answer.text
            numbers += [item["number"] for item in answer.json()]
            url = answer.links.get("next", {}).get("url")
        every = requests.get(
            f"{base}/repos/acme/web/issues?state=all&per_page=100", headers=AUTH, timeout=5
        )

        assert sorted(numbers) == sorted(item["number"] for item in every.json())
        assert len(numbers) == len(set(numbers))

    def test_an_unknown_repository_id_is_a_404(self, sandbox: Sandbox) -> None:
        """Only the ids of the seeded repositories are served."""
        answer = requests.get(
            f"{sandbox.github_url}/repositories/1/issues", headers=AUTH, timeout=5
        )

        assert answer.status_code == 404


@pytest.fixture
def bench() -> Iterator[Sandbox]:
    """One repository of 250 issues: three pages of 100."""
    with Sandbox(BENCH_SEED, clock=lambda: NOW) as running:
        yield running


def _adapter(sandbox: Sandbox, etags: DictEtags) -> GitHubAdapter:
    config = GitHubTracker(
        name="bench",
        repos=("bench/repo0",),
        token=Secret("bench-github-token", "${GITHUB_TOKEN}"),
        base_url=sandbox.github_url,
    )
    return GitHubAdapter(
        config,
        Estimates(limit=2 * 8 * 3600, flag_label="needs-team"),
        etags,
        timeout=5,
        clock=lambda: NOW,
    )


class TestSyncdReadsTheRealFormats:
    """syncd's GitHub adapter, unchanged, against the sandbox's real-format answers."""

    def test_a_full_listing_follows_the_repository_id_pages(self, bench: Sandbox) -> None:
        """Every open escalation of three pages is read, pages 2 and 3 by repository id."""
        issues = BENCH_SEED.github.repos[0].issues
        expected = {
            f"bench/repo0#{i.number}"
            for i in issues
            if "escalation" in i.labels and not i.pull_request
        }

        fetched = _adapter(bench, DictEtags()).fetch(None)

        assert {s.key for s in fetched.snapshots} == expected
        assert bench.stats().count("GET", "github.issues.list") == 3

    def test_the_kept_weak_etag_makes_the_next_listing_a_304(self, bench: Sandbox) -> None:
        """The weak ETag syncd kept is sent back as is and answered 304: nothing changed."""
        etags = DictEtags()
        first = _adapter(bench, etags).fetch(None)
        for key, etag in first.etags:
            etags.remember_etag(key, etag)

        again = _adapter(bench, etags).fetch(NOW)

        assert [etag.startswith('W/"') for _, etag in first.etags] == [True]
        assert again.unchanged and bench.stats().not_modified == 1


def _shape(link: str, base: str) -> list[tuple[str, str]]:
    """(rel, URL with the host, prefix and every number normalized) of each Link entry."""
    entries = [entry.split(";") for entry in link.split(",")]
    return [
        (
            rel.strip().removeprefix("rel=").strip('"'),
            re.sub(r"\d+", "N", url.strip(" <>").replace(base, "https://api.github.com")),
        )
        for url, rel in entries
    ]


class TestRecordedLinkShape:
    """The Link header of a middle page is the recorded api.github.com one, numbers aside."""

    def test_a_middle_page_links_like_the_recording(self, sandbox: Sandbox) -> None:
        """prev, next, last, first, each on /repositories/<id>/issues?per_page=..&page=.."""
        real = recorded("github/octokit-fixtures/paginate-issues/normalized-fixture.json")[1]
        first = requests.get(
            f"{sandbox.github_url}/repos/acme/web/issues?state=all&per_page=3",
            headers=AUTH,
            timeout=5,
        )

        middle = requests.get(first.links["next"]["url"], headers=AUTH, timeout=5)

        wanted = _shape(real["headers"]["link"], "https://api.github.com")
        assert (
            _shape(middle.headers["Link"].replace("state=all&", ""), sandbox.github_url) == wanted
        )

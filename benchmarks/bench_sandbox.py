"""Time to serve GitHub list pages of 100 out of 10,000 issues, and Jira search pages."""

from __future__ import annotations

import time

import requests

from syncd.sandbox.seed import generated_seed
from syncd.sandbox.server import Sandbox


def main() -> None:
    """Print the mean time per page over every page of a 10,000-issue repository."""
    with Sandbox(generated_seed(github_repos=1, issues_per_repo=10_000, jira_issues=10_000)) as sb:
        session = requests.Session()
        session.headers["Authorization"] = "token bench-github-token"
        url = f"{sb.github_url}/repos/bench/repo0/issues"
        started = time.perf_counter()
        pages = 0
        while url:
            response = session.get(url, params=None if pages else {"per_page": 100, "state": "all"})
            pages += 1
            url = response.links.get("next", {}).get("url", "")
        elapsed = time.perf_counter() - started
        print(
            f"github: {pages} pages of 100 in {elapsed:.2f}s, {elapsed / pages * 1000:.1f} ms/page"
        )
        jira = requests.Session()
        jira.auth = ("bench@example.com", "bench-jira-token")
        started, token, pages = time.perf_counter(), None, 0
        while pages == 0 or token:
            params = {"jql": "project = BENCH ORDER BY updated DESC", "maxResults": 100}
            body = jira.get(
                f"{sb.jira_cloud_url}/rest/api/2/search/jql",
                params={**params, **({"nextPageToken": token} if token else {})},
            ).json()
            token, pages = body.get("nextPageToken"), pages + 1
        elapsed = time.perf_counter() - started
        print(f"jira: {pages} pages of 100 in {elapsed:.2f}s, {elapsed / pages * 1000:.1f} ms/page")


if __name__ == "__main__":
    main()

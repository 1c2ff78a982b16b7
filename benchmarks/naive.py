"""The naive poller most tools in this field amount to, as a yardstick for syncd.

Every cycle it lists every open escalation (no If-None-Match, no watermark) and sets each
issue's whole label set to its other labels plus the computed tier label: GitHub
`PUT .../issues/N/labels`, Jira `PUT issue/KEY {"fields": {"labels": [...]}}`. It uses syncd's
own mapping and rules so that both compute the same tiers; it does not assign or flag (which
would only add to its writes).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

import requests

from syncd.adapters.github import mapping as github_mapping
from syncd.adapters.jira import mapping as jira_mapping
from syncd.config.model import Config, GitHubTracker, JiraTracker
from syncd.domain.issue import IssueSnapshot
from syncd.domain.rules import choose_tier

FIELDS = "summary,description,labels,assignee,priority,votes,issuetype,components,created,updated"
JIRA_FIELDS = f"{FIELDS},project,status,timeoriginalestimate"


class NaivePoller:
    """Lists everything and rewrites every tier label set, every cycle."""

    def __init__(self, config: Config) -> None:
        self._config = config
        self._github = requests.Session()
        self._jira = requests.Session()
        for tracker in config.trackers:
            if isinstance(tracker, GitHubTracker):
                self._github.headers["Authorization"] = f"token {tracker.token.reveal()}"
            elif tracker.email is not None:
                self._jira.auth = (tracker.email.reveal(), tracker.token.reveal())

    def cycle(self, now: datetime) -> int:
        """One cycle over every tracker; the number of writes sent."""
        writes = 0
        for tracker in self._config.trackers:
            if isinstance(tracker, GitHubTracker):
                writes += self._github_cycle(tracker, now)
            else:
                writes += self._jira_cycle(tracker, now)
        return writes

    def _labels(self, issue: IssueSnapshot, now: datetime) -> list[str]:
        tiers = self._config.tiers
        prefix = tiers.label_prefix.casefold()
        kept = [label for label in issue.labels if not label.casefold().startswith(prefix)]
        return [*kept, tiers.label(choose_tier(tiers, issue, now).tier)]

    def _github_cycle(self, tracker: GitHubTracker, now: datetime) -> int:
        writes = 0
        for repo in tracker.repos:
            for raw in self._github_issues(tracker, repo):
                if github_mapping.is_pull_request(raw):
                    continue
                issue = github_mapping.to_snapshot(raw, tracker, self._config.estimates, repo)
                if issue.snapshot is None:
                    continue
                url = f"{tracker.base_url}/repos/{repo}/issues/{raw['number']}/labels"
                self._github.put(url, json={"labels": self._labels(issue.snapshot, now)})
                writes += 1
        return writes

    def _github_issues(self, tracker: GitHubTracker, repo: str) -> Iterator[Mapping[str, Any]]:
        url: str | None = f"{tracker.base_url}/repos/{repo}/issues"
        params: dict[str, str] | None = {
            "state": "open",
            "labels": ",".join(tracker.escalation_labels),
            "per_page": "100",
        }
        while url:
            answer = self._github.get(url, params=params)
            yield from answer.json()
            url, params = answer.links.get("next", {}).get("url"), None

    def _jira_cycle(self, tracker: JiraTracker, now: datetime) -> int:
        writes = 0
        for raw in self._jira_issues(tracker):
            issue = jira_mapping.to_snapshot(raw, tracker, self._config.estimates, None, 8.0)
            if issue.snapshot is None:
                continue
            labels = self._labels(issue.snapshot, now)
            url = f"{tracker.url}/rest/api/2/issue/{raw['key']}"
            self._jira.put(url, json={"fields": {"labels": labels}})
            writes += 1
        return writes

    def _jira_issues(self, tracker: JiraTracker) -> Iterator[Mapping[str, Any]]:
        token: str | None = None
        while True:
            params = {"jql": tracker.jql, "maxResults": "100", "fields": JIRA_FIELDS}
            if token:
                params["nextPageToken"] = token
            page = self._jira.get(f"{tracker.url}/rest/api/2/search/jql", params=params).json()
            yield from page.get("issues", [])
            token = page.get("nextPageToken")
            if page.get("isLast", True) or not token:
                return

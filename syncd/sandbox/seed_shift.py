"""A seed moved in time, so that a sandbox started on any day holds no issue from the future."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import TypeVar

from syncd.sandbox.seed import GitHubIssueSeed, JiraIssueSeed, JiraSeed, Seed

_Issue = TypeVar("_Issue", GitHubIssueSeed, JiraIssueSeed)

LEAD = timedelta(hours=1)  # how long before the start the seed's last change happened


def latest(seed: Seed) -> datetime | None:
    """The newest `created` or `updated` of any issue in `seed`, if it has issues."""
    times = [t for issue in _issues(seed) for t in (issue.created, issue.updated)]
    return max(times, default=None)


def moved(seed: Seed, start: datetime) -> Seed:
    """`seed` with every issue time shifted by one amount, so the newest is `LEAD` before `start`.

    Ages, and the order of events, stay as the seed tells them; only the day changes.
    """
    newest = latest(seed)
    if newest is None:
        return seed
    by = start - LEAD - newest
    github = replace(
        seed.github,
        repos=tuple(
            replace(repo, issues=tuple(_shift(issue, by) for issue in repo.issues))
            for repo in seed.github.repos
        ),
    )
    return replace(
        seed, github=github, jira_cloud=_jira(seed.jira_cloud, by), jira_dc=_jira(seed.jira_dc, by)
    )


def _jira(site: JiraSeed, by: timedelta) -> JiraSeed:
    projects = tuple(
        replace(project, issues=tuple(_shift(issue, by) for issue in project.issues))
        for project in site.projects
    )
    return replace(site, projects=projects)


def _shift(issue: _Issue, by: timedelta) -> _Issue:
    return replace(issue, created=issue.created + by, updated=issue.updated + by)


def _issues(seed: Seed) -> list[GitHubIssueSeed | JiraIssueSeed]:
    found: list[GitHubIssueSeed | JiraIssueSeed] = [
        issue for repo in seed.github.repos for issue in repo.issues
    ]
    for site in (seed.jira_cloud, seed.jira_dc):
        found += [issue for project in site.projects for issue in project.issues]
    return found

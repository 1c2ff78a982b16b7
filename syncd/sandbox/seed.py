"""Seeds: the issues, users and tokens a sandbox starts from, loaded from YAML or built in code.

The seed YAML format (every key optional unless marked required):

    github:
      token: sandbox-github-token          # required: what `Authorization: token X` must carry
      login: syncd-bot                     # the token's user (GET /user)
      users:                               # login -> repos where that login is assignable
        alice-gh: {assignable: [acme/web, acme/api]}
      repos:
        acme/web:                          # owner/name
          issues:
            - number: 1                    # required, unique in the repo
              title: Checkout is down      # required
              body: "Estimate: 3d"
              labels: [escalation, outage]
              assignees: [alice-gh]
              plus_one: 7                  # 👍 reactions
              user: customer-success       # author login
              created: 2026-11-20T10:00:00Z
              updated: 2026-11-25T10:00:00Z
              pull_request: false
              state: open                  # open | closed
    jira:
      cloud:                               # and/or `dc:` (same keys; DC has no email)
        email: demo@example.com            # Cloud basic auth user
        token: sandbox-jira-cloud-token    # required
        time_zone: UTC                     # the API user's profile zone (JQL dates use it)
        me: "5b10ac8d82e05b22cc7d4ef5"     # the API user's id (default: the first user)
        users:                             # Cloud: accountId; DC: username
          - {id: "5b10ac8d82e05b22cc7d4ef5", name: Alice, assignable: [SUP]}
        projects:
          SUP:
            issues:
              - key: SUP-1                 # required, must start with the project key
                summary: Export fails      # required
                description: ...
                labels: [escalation]
                priority: Highest
                votes: 6
                type: Bug
                components: [Billing]
                status: Open
                category: new              # new | indeterminate | done
                estimate: 86400            # original estimate, seconds
                story_points: 5
                assignee: "5b10..."        # a user id, or absent
                reporter: "5b10..."
                created: 2026-11-20T10:00:00Z
                updated: 2026-11-25T10:00:00Z
"""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from syncd.errors import SyncdError

SEED_EPOCH = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


class SeedError(SyncdError):
    """The seed file cannot be used; the message names the file and the key path."""

    exit_code = 2


class Flavour(enum.Enum):
    """Which Jira a site imitates."""

    CLOUD = "cloud"
    DC = "dc"


@dataclass(frozen=True)
class GitHubIssueSeed:
    """One GitHub issue or pull request as it stands when the sandbox starts."""

    number: int
    title: str
    body: str | None = None
    labels: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()
    plus_one: int = 0
    user: str = "customer-success"
    created: datetime = SEED_EPOCH
    updated: datetime = SEED_EPOCH
    pull_request: bool = False
    state: str = "open"


@dataclass(frozen=True)
class RepoSeed:
    """A repository and its issues."""

    full_name: str
    issues: tuple[GitHubIssueSeed, ...] = ()


@dataclass(frozen=True)
class GitHubSeed:
    """The GitHub side: its token, its users and where they are assignable, its repos."""

    token: str
    login: str = "syncd-bot"
    assignable: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (login, repos)
    repos: tuple[RepoSeed, ...] = ()


@dataclass(frozen=True)
class JiraUserSeed:
    """A Jira user: `id` is the accountId on Cloud and the username on Data Center."""

    id: str
    name: str
    assignable: tuple[str, ...] = ()  # project keys
    email: str | None = None


@dataclass(frozen=True)
class JiraIssueSeed:
    """One Jira issue as it stands when the sandbox starts."""

    key: str
    summary: str
    description: str | None = None
    labels: tuple[str, ...] = ()
    priority: str = "Medium"
    votes: int = 0
    type: str = "Bug"
    components: tuple[str, ...] = ()
    status: str = "Open"
    category: str = "new"
    estimate: int | None = None
    story_points: float | None = None
    assignee: str | None = None
    reporter: str | None = None
    created: datetime = SEED_EPOCH
    updated: datetime = SEED_EPOCH


@dataclass(frozen=True)
class ProjectSeed:
    """A Jira project and its issues."""

    key: str
    issues: tuple[JiraIssueSeed, ...] = ()


@dataclass(frozen=True)
class JiraSeed:
    """One Jira site (Cloud or Data Center)."""

    flavour: Flavour
    token: str
    email: str | None = None
    time_zone: str = "UTC"
    me: str | None = None
    users: tuple[JiraUserSeed, ...] = ()
    projects: tuple[ProjectSeed, ...] = ()


@dataclass(frozen=True)
class Seed:
    """Everything a sandbox starts from."""

    github: GitHubSeed
    jira_cloud: JiraSeed
    jira_dc: JiraSeed


def check_time_zone(name: str, where: str) -> str:
    """`name` when it is an IANA zone, else SeedError."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SeedError(f"{where}: unknown time zone {name!r}") from None
    return name


def generated_seed(
    github_repos: int, issues_per_repo: int, jira_issues: int, seed: int = 0
) -> Seed:
    """A large random (but reproducible) seed for benchmarks: escalations of every kind."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    logins = ("alice-gh", "bobby", "carol-c", "acme-lead")
    assignable = tuple(
        (login, tuple(f"bench/repo{r}" for r in range(github_repos))) for login in logins
    )
    repos = tuple(
        RepoSeed(
            f"bench/repo{r}",
            tuple(_random_github_issue(rng, n) for n in range(1, issues_per_repo + 1)),
        )
        for r in range(github_repos)
    )
    users = tuple(
        JiraUserSeed(f"acct-{name}", name.title(), ("BENCH",)) for name in ("alice", "bob", "lead")
    )
    project = ProjectSeed(
        "BENCH", tuple(_random_jira_issue(rng, n) for n in range(1, jira_issues + 1))
    )
    return Seed(
        github=GitHubSeed(
            token="bench-github-token",  # noqa: S106 - a sandbox token
            assignable=assignable,
            repos=repos,
        ),
        jira_cloud=JiraSeed(
            Flavour.CLOUD,
            "bench-jira-token",
            email="bench@example.com",
            me=users[0].id,  # the API user (GET /myself), as a seed file defaults it
            users=users,
            projects=(project,),
        ),
        jira_dc=JiraSeed(Flavour.DC, "bench-jira-dc-token"),
    )


_EXTRA_LABELS = ("outage", "wontfix-soon", "estimate/3d", "estimate/4h", "integration", "bug")


def _random_github_issue(rng: random.Random, number: int) -> GitHubIssueSeed:
    labels = ["escalation"] if rng.random() < 0.9 else []
    labels += rng.sample(_EXTRA_LABELS, rng.randint(0, 2))
    created = SEED_EPOCH - timedelta(minutes=rng.randint(0, 60 * 24 * 60))
    return GitHubIssueSeed(
        number=number,
        title=f"Customer escalation {number}",
        body=f"Estimate: {rng.choice(('1d', '3d', '2h'))}" if rng.random() < 0.2 else None,
        labels=tuple(labels),
        plus_one=rng.choice((0, 0, 0, 1, 2, 6)),
        created=created,
        updated=created + timedelta(minutes=rng.randint(0, 600)),
        pull_request=rng.random() < 0.05,
    )


def _random_jira_issue(rng: random.Random, number: int) -> JiraIssueSeed:
    created = SEED_EPOCH - timedelta(minutes=rng.randint(0, 60 * 24 * 60))
    return JiraIssueSeed(
        key=f"BENCH-{number}",
        summary=f"Customer escalation {number}",
        labels=("escalation",) if rng.random() < 0.9 else (),
        priority=rng.choice(("Highest", "High", "Medium", "Low")),
        votes=rng.choice((0, 0, 1, 5)),
        estimate=rng.choice((None, 3600, 86400)),
        created=created,
        updated=created + timedelta(minutes=rng.randint(0, 600)),
    )

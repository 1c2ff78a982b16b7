"""The `github` tracker kind: its keys and reader in the config file, its adapter, its line."""

from __future__ import annotations

import re
from collections.abc import Callable

from syncd.adapters.github.colours import tier_label_colours
from syncd.adapters.github.webhook import GITHUB_WEBHOOK
from syncd.config.budget import read_write_budget
from syncd.config.document import Node, Seq
from syncd.config.github_app import read_credentials
from syncd.config.model import GitHubEstimate, GitHubTracker, Secret
from syncd.config.problems import Invalid
from syncd.config.section import Section
from syncd.config.values import elapsed, max_writes, regex
from syncd.domain.patterns import GuardedPattern
from syncd.domain.write_budget import GITHUB_SECONDARY
from syncd.service_layer.kinds import AdapterNeeds, TrackerKind
from syncd.service_layer.tracker import Tracker

KEYS = ("repos", "base_url", "escalation_labels", "priority_label", "app")
ESTIMATE_KEYS = ("label", "body")
_REPO = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")


def read_github(
    section: Section, name: str | None, person: Callable[[Node], str]
) -> GitHubTracker | None:
    """One `kind: github` item of `trackers`; None (problems reported) when it is unusable."""
    values = section.ctx.values
    repos = section.require("repos", _repos(values.names))
    usable, token, app = read_credentials(section)
    grouped = _grouped_regex(values.string)
    estimate = Section(
        section.node("estimate"), f"{section.path}.estimate", section.ctx, ESTIMATE_KEYS
    )
    label, body = estimate.get("label", grouped, None), estimate.get("body", grouped, None)
    base_url = section.get("base_url", values.url, "https://api.github.com")
    default_labels: tuple[str, ...] = ("escalation",)
    labels = section.get("escalation_labels", values.names, default_labels)
    priority_label = section.get("priority_label", grouped, None)
    team = section.get("team", person, None)
    write_interval = section.get("write_interval", elapsed, 1.0)
    writes = section.get("max_writes_per_cycle", max_writes, 500)
    webhook_secret = section.get("webhook_secret", values.secret, None)
    budget = read_write_budget(section, GITHUB_SECONDARY)
    if name is None or repos is None or not usable:
        return None
    return GitHubTracker(
        name=name,
        repos=repos,
        token=token,
        app=app,
        base_url=base_url,
        escalation_labels=labels,
        priority_label=priority_label,
        estimate=GitHubEstimate(label=label, body=body),
        team=team,
        write_interval=write_interval,
        max_writes_per_cycle=writes,
        webhook_secret=webhook_secret,
        write_budget=budget,
    )


def _repos(names: Callable[[Node], tuple[str, ...]]) -> Callable[[Node], tuple[str, ...]]:
    def read(node: Node) -> tuple[str, ...]:
        repos = names(node)
        items = node.items if isinstance(node, Seq) else (node,)
        for index, (repo, item) in enumerate(zip(repos, items, strict=True)):
            if not _REPO.fullmatch(repo):
                where = f"[{index}]" if isinstance(node, Seq) else ""
                raise Invalid(f"expected owner/name, got {repo[:60]!r}", item.line, where)
        return repos

    return read


def _grouped_regex(string: Callable[[Node], str]) -> Callable[[Node], GuardedPattern]:
    return lambda node: regex(string(node), groups=1)


def build_github(settings: GitHubTracker, needs: AdapterNeeds) -> Tracker:
    """The adapter over PyGithub; nothing connects until the first fetch."""
    from syncd.adapters.github.client import GitHubAdapter  # noqa: PLC0415 - PyGithub loads slowly

    return GitHubAdapter(
        settings,
        needs.config.estimates,
        needs.etags,
        timeout=needs.timeout,
        label_colours=tier_label_colours(needs.config.tiers),
        clock=needs.clock,
        stop_requested=needs.stop_requested,
    )


def describe_github(tracker: GitHubTracker) -> str:
    """`github, N repos at URL`."""
    return f"{tracker.name}: github, {len(tracker.repos)} repos at {tracker.base_url}"


def _secrets(tracker: GitHubTracker) -> tuple[str, ...]:
    if tracker.app is not None:
        return pem_secrets(tracker.app.private_key.reveal())
    return (tracker.token.reveal() if tracker.token is not None else "",)


def pem_secrets(pem: str) -> tuple[str, ...]:
    """A private key and each line of its body: a log line may hold a fragment of it."""
    lines = (line.strip() for line in pem.splitlines())
    return (pem, *(line for line in lines if len(line) >= 16 and not line.startswith("-----")))


def _credentials(tracker: GitHubTracker) -> tuple[tuple[str, Secret], ...]:
    if tracker.app is not None:
        return (("app.private_key", tracker.app.private_key),)
    return (("token", tracker.token),) if tracker.token is not None else ()


GITHUB = TrackerKind(
    name="github",
    shown="GitHub",
    config_type=GitHubTracker,
    keys=KEYS,
    estimate_keys=ESTIMATE_KEYS,
    read=read_github,
    build=build_github,
    describe=describe_github,
    secrets=_secrets,
    endpoint=lambda tracker: ("base_url", tracker.base_url),
    credentials=_credentials,
    webhook=GITHUB_WEBHOOK,
)

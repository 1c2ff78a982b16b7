"""The `notify:` section: where messages to people go, and which ones (SPEC §8).

Both URLs are secrets: an incoming-webhook URL is all it takes to post to the channel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from syncd.config.document import Node
from syncd.config.model import Secret
from syncd.config.problems import Invalid
from syncd.config.section import Context, Section
from syncd.config.values import boolean, elapsed, integer, scalar

NOTIFY_KEYS = (
    "slack_webhook",
    "webhook",
    "handoff",
    "standup",
    "fires",
    "unowned_fire_after",
    "coverage_days",
)
DEFAULT_COVERAGE_DAYS = 14
# A Slack member id (Profile > ... > Copy member ID): U or W, then upper-case letters and digits.
_SLACK_ID = re.compile(r"[UW][A-Z0-9]{6,20}")


@dataclass(frozen=True)
class NotifyConfig:
    """Where messages go (either URL may be None, not both) and which messages are sent."""

    slack_webhook: Secret | None
    webhook: Secret | None
    handoff: bool = True
    standup: bool = True
    fires: bool = True
    unowned_fire_after: float = 1800.0  # seconds, elapsed
    coverage_days: int = DEFAULT_COVERAGE_DAYS

    def secrets(self) -> list[Secret]:
        """The URLs given, for the log redactor and `syncd check`."""
        return [url for url in (self.slack_webhook, self.webhook) if url is not None]


def read_notify(node: Node | None, ctx: Context) -> NotifyConfig | None:
    """The notify settings, or None when the file has no `notify:` (no messages are sent)."""
    if node is None:
        return None
    section = Section(node, "notify", ctx, NOTIFY_KEYS)
    slack = section.get("slack_webhook", lambda n: _webhook_url(ctx, n), None)
    webhook = section.get("webhook", lambda n: _webhook_url(ctx, n), None)
    if section.is_mapping and not section.has("slack_webhook") and not section.has("webhook"):
        section.problem(section.line, "", "set slack_webhook or webhook (or remove `notify:`)")
    if slack is None and webhook is None:
        return None
    return NotifyConfig(
        slack_webhook=slack,
        webhook=webhook,
        handoff=section.get("handoff", boolean, True),
        standup=section.get("standup", boolean, True),
        fires=section.get("fires", boolean, True),
        unowned_fire_after=section.get("unowned_fire_after", _at_least_a_minute, 1800.0),
        coverage_days=section.get(
            "coverage_days", lambda n: integer(n, minimum=0, maximum=366), DEFAULT_COVERAGE_DAYS
        ),
    )


def slack_member(node: Node) -> str:
    """A Slack member id such as U024BE7LH (the id, not the display name)."""
    text = str(scalar(node).value).strip()
    if not _SLACK_ID.fullmatch(text):
        raise Invalid(
            f"expected a Slack member id like U024BE7LH (profile > more > copy member ID),"
            f" got {text[:40]!r}"
        )
    return text


def _webhook_url(ctx: Context, node: Node) -> Secret:
    secret = ctx.values.secret(node)
    value = secret.reveal()
    if not value:  # an unset ${VAR} for a command that sends nothing
        return secret
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
        # Never quoted: the URL is the secret.
        raise Invalid(f"{secret.source} is not an http(s) URL")
    return secret


def _at_least_a_minute(node: Node) -> float:
    seconds = elapsed(node)
    if seconds < 60:
        raise Invalid("must be at least 1m")
    return seconds

"""Setups that work but are unsafe: what `syncd check` warns about without failing.

A token sent over plain http to another host, a credential kept in the file itself, a metrics
listener open to the network: syncd runs with each, so each is a warning (exit status unchanged),
named by the tracker and key or the option, never quoting a secret. (`http.listen` off loopback
without `http.token` is a config error instead: syncd.config.listen.)
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from syncd.config.listen import is_loopback
from syncd.config.model import Config, Secret, TrackerConfig
from syncd.service_layer.registry import kind_of

_IN_ENVIRONMENT = "write ${VAR} there and set VAR in syncd's environment"


@dataclass(frozen=True)
class Hazard:
    """One unsafe setting: `where` it is (`tracker web token`, `--metrics-host 0.0.0.0`), why."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def hazards(config: Config, metrics_host: str | None = None) -> list[Hazard]:
    """Every unsafe setting of `config`, and of the metrics address when one is given."""
    found = [hazard for tracker in config.trackers for hazard in _tracker_hazards(tracker)]
    found += _notify_hazards(config)
    if config.http is None:
        found += [
            Hazard(
                f"tracker {tracker.name} webhook_secret",
                "set, but there is no `http.listen`: deliveries have nowhere to arrive unless"
                " syncd runs with --metrics-port; add `http: {listen: 127.0.0.1:9464}`",
            )
            for tracker in config.trackers
            if tracker.webhook_secret is not None
        ]
    if metrics_host is not None and not is_loopback(metrics_host):
        found.append(
            Hazard(
                f"--metrics-host {metrics_host or '(all addresses)'}",
                "serves /metrics and /healthz (tracker names, error messages) to every host"
                " that can reach this one; bind 127.0.0.1 and put a proxy or firewall in front",
            )
        )
    return found


def _tracker_hazards(tracker: TrackerConfig) -> list[Hazard]:
    found: list[Hazard] = []
    key, url = _url_of(tracker)
    host = urlsplit(url).hostname or ""
    if urlsplit(url).scheme == "http" and not is_loopback(host):
        message = (
            f"plain http to {host}: the token crosses the network unencrypted and can be"
            " read on the way; use https"
        )
        found.append(Hazard(f"tracker {tracker.name} {key}", message))
    for name, secret in _credentials(tracker):
        if secret.written_in_file:
            message = (
                "written in the file: whoever can read the file (a backup, a repository)"
                f" has it; {_IN_ENVIRONMENT}"
            )
            found.append(Hazard(f"tracker {tracker.name} {name}", message))
    return found


def _notify_hazards(config: Config) -> list[Hazard]:
    """An incoming-webhook URL is itself the credential: the file must not hold it."""
    if config.notify is None:
        return []
    found: list[Hazard] = []
    urls = (("slack_webhook", config.notify.slack_webhook), ("webhook", config.notify.webhook))
    for key, url in ((key, url) for key, url in urls if url is not None):
        if url.written_in_file:
            message = (
                "written in the file: the URL alone lets anyone post to the channel;"
                f" {_IN_ENVIRONMENT}"
            )
            found.append(Hazard(f"notify {key}", message))
        parts = urlsplit(url.reveal())
        if parts.scheme == "http" and not is_loopback(parts.hostname or ""):
            message = (
                "plain http to another host: messages and the URL cross the network unencrypted"
            )
            found.append(Hazard(f"notify {key}", message))
    return found


def _url_of(tracker: TrackerConfig) -> tuple[str, str]:
    """The tracker's URL key as the file spells it, and its value."""
    found: tuple[str, str] = kind_of(tracker).endpoint(tracker)
    return found


def _credentials(tracker: TrackerConfig) -> tuple[tuple[str, Secret], ...]:
    """The tracker's credentials by key: the token, Jira Cloud's e-mail, the webhook secret."""
    found: tuple[tuple[str, Secret], ...] = kind_of(tracker).credentials(tracker)
    hook = tracker.webhook_secret
    return found if hook is None else (*found, ("webhook_secret", hook))

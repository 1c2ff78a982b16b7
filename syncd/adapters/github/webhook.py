"""GitHub's webhook deliveries: `issues` events name an issue of a configured repository.

GitHub signs the raw body in `X-Hub-Signature-256`, names the event in `X-GitHub-Event` and
the delivery in `X-GitHub-Delivery` (a redelivery keeps it). An `issues` event of any action
names its issue; a `ping` is answered; other events and other repositories are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping

from syncd.config.model import GitHubTracker
from syncd.service_layer.hints import Hint, Ignore, Malformed, Ping, Refresh, WebhookFormat


def read_github_delivery(
    tracker: GitHubTracker, headers: Mapping[str, str], payload: object
) -> Hint:
    """The hint of one signed delivery whose body is JSON."""
    event = headers.get("x-github-event", "").strip()
    if not event:
        return Malformed("no X-GitHub-Event header")
    if event == "ping":
        return Ping()
    if event != "issues":
        return Ignore(f"event {event!r:.40} is not an issues event", event)
    named = _issue_named(payload, event)
    if not isinstance(named, tuple):
        return named
    full_name, number = named
    # GitHub names are case-insensitive; keys use the spelling of the config, as listings do.
    repo = next((r for r in tracker.repos if r.casefold() == full_name.casefold()), None)
    if repo is None:
        return Ignore(f"repository {full_name!r:.100} is not one of this tracker's", event)
    return Refresh(f"{repo}#{number}", event)


def _issue_named(payload: object, event: str) -> tuple[str, int] | Malformed | Ignore:
    """(repository full name, issue number) of an `issues` payload, or why there is none."""
    if not isinstance(payload, Mapping):
        return Malformed("the body is not a JSON object")
    issue, repository = payload.get("issue"), payload.get("repository")
    if not isinstance(issue, Mapping) or not isinstance(repository, Mapping):
        return Malformed("an issues event without issue and repository objects")
    number, full_name = issue.get("number"), repository.get("full_name")
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        return Malformed("the issue has no number")
    if not isinstance(full_name, str):
        return Malformed("the repository has no full_name")
    if issue.get("pull_request") is not None:
        return Ignore("a pull request", event)
    return full_name, number


GITHUB_WEBHOOK = WebhookFormat(
    signature_header="x-hub-signature-256",
    delivery_header="x-github-delivery",
    read=read_github_delivery,
)

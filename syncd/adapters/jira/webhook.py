"""Jira's webhook deliveries: `jira:issue_created` and `jira:issue_updated` name an issue.

Jira Cloud (admin webhooks with a secret) and Data Center 10+ sign the raw body in
`X-Hub-Signature` (`sha256=<hex>`) and name the delivery in `X-Atlassian-Webhook-Identifier`,
the same on every retry. The event is the body's `webhookEvent`. Whether the issue matches the
tracker's JQL is known only once it is re-read: the re-read asks the JQL and the key together.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from syncd.config.model import JiraTracker
from syncd.service_layer.hints import Hint, Ignore, Malformed, Refresh, WebhookFormat

EVENTS = ("jira:issue_created", "jira:issue_updated")
# A Jira issue key (project key, dash, number): the only text of a payload that reaches JQL.
ISSUE_KEY = re.compile(r"[A-Z][A-Z0-9_]*-[1-9][0-9]{0,17}")


def read_jira_delivery(tracker: JiraTracker, headers: Mapping[str, str], payload: object) -> Hint:
    """The hint of one signed delivery whose body is JSON."""
    if not isinstance(payload, Mapping):
        return Malformed("the body is not a JSON object")
    event = payload.get("webhookEvent")
    if not isinstance(event, str) or not event:
        return Malformed("no webhookEvent in the body")
    if event not in EVENTS:
        return Ignore(f"event {event!r:.40} names no issue to refresh", event)
    issue = payload.get("issue")
    key = issue.get("key") if isinstance(issue, Mapping) else None
    if not isinstance(key, str) or not ISSUE_KEY.fullmatch(key):
        return Malformed("the issue has no valid key")
    return Refresh(key, event)


JIRA_WEBHOOK = WebhookFormat(
    signature_header="x-hub-signature",
    delivery_header="x-atlassian-webhook-identifier",
    read=read_jira_delivery,
)

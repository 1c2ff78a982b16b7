"""A comment on a sandbox issue, the same record in GitHub and Jira."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Comment:
    """A comment on an issue (either tracker)."""

    id: int
    body: str
    author: str
    created: datetime
    # Jira's comment properties, key to JSON value (GitHub has none): what syncd marks with.
    properties: dict[str, object] = field(default_factory=dict)

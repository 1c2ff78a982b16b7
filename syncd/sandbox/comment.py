"""A comment on a sandbox issue, the same record in GitHub and Jira."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class Comment:
    """A comment on an issue (either tracker)."""

    id: int
    body: str
    author: str
    created: datetime

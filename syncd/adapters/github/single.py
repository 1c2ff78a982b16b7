"""Reading one GitHub issue by its key, for a webhook's hint: one GET, or none at all."""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping, Sequence

from syncd.adapters.github.mapping import IssueRef, is_pull_request
from syncd.adapters.github.transport import Transport
from syncd.errors import NotFound, TrackerUnavailable


def configured_repo(repos: Sequence[str], repo: str) -> str | None:
    """The configured spelling of `repo` (GitHub compares owner and name ignoring case), or None.

    The configured spelling is the one the listing puts in keys, so both give the same key.
    """
    wanted = repo.casefold()
    return next((name for name in repos if name.casefold() == wanted), None)


def issue_path(ref: IssueRef) -> str:
    """The REST path of one issue: `/repos/{owner}/{repo}/issues/{number}`."""
    return f"/repos/{urllib.parse.quote(ref.repo, safe='/')}/issues/{ref.number}"


def read_issue(transport: Transport, ref: IssueRef) -> Mapping[str, object] | None:
    """The issue object at `ref` from one GET; None when GitHub says it is not there (404, 410)."""
    doing = f"reading issue {ref.repo}#{ref.number}"
    try:
        answer = transport.get(issue_path(ref), doing)
    except NotFound:
        return None
    if not isinstance(answer.data, Mapping):
        raise TrackerUnavailable(f"GitHub {doing}: the answer is not a JSON object")
    return answer.data


def open_escalation(raw: Mapping[str, object], ref: IssueRef, labels: Sequence[str]) -> bool:
    """Whether `raw` is the open issue at `ref` carrying every escalation label, as listed.

    The listing asks GitHub for `state=open` and all `labels` (compared ignoring case) and
    drops pull requests; here the same is checked on the one object. PyGithub follows a
    same-host 301 by itself, so a transferred issue comes back from its new repository: an
    answer for another number or repository is not the issue asked for.
    """
    if raw.get("state") != "open" or is_pull_request(raw) or raw.get("number") != ref.number:
        return False
    repository = raw.get("repository_url")
    suffix = f"/repos/{ref.repo}".casefold()
    if isinstance(repository, str) and not repository.casefold().endswith(suffix):
        return False
    found = {name.casefold() for name in _label_names(raw.get("labels"))}
    return all(label.casefold() in found for label in labels)


def _label_names(items: object) -> list[str]:
    """The string `name` of each label object; anything else names no label."""
    objects = items if isinstance(items, list) else []
    names = (item.get("name") if isinstance(item, Mapping) else None for item in objects)
    return [name for name in names if isinstance(name, str)]

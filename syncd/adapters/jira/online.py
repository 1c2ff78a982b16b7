"""`syncd check --online` for Jira: credentials, the JQL, assignable people, the estimate field."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from syncd.adapters.jira.query import strip_order_by
from syncd.adapters.jira.site import Site
from syncd.adapters.jira.translate import translated
from syncd.config.model import Person
from syncd.errors import NotFound, TrackerError
from syncd.service_layer.checks import CheckRow, Outcome

if TYPE_CHECKING:
    from syncd.adapters.jira.client import JiraAdapter  # the adapter calls in here: no import cycle

_PROBE = 50  # enough issues to see which projects the JQL reaches


def _result(tracker: str, check: str, ok: bool, detail: str, blocking: bool = True) -> CheckRow:
    """A row; a failure that does not block (a person syncd cannot assign: it falls back) warns."""
    failed = Outcome.FAIL if blocking else Outcome.WARN
    return CheckRow(tracker, check, Outcome.OK if ok else failed, detail)


def _projects(adapter: JiraAdapter, site: Site) -> tuple[str, ...]:
    """Run the JQL once (small page) and return the project keys of what it finds."""
    jql = strip_order_by(adapter.jql)
    with translated(f"jira tracker {adapter.name!r}: JQL check", adapter.clock):
        path = "search/jql" if site.deployment == "cloud" else "search"
        answer = site.client.get(path, {"jql": jql, "maxResults": _PROBE, "fields": "project"})
    issues = answer.get("issues") if isinstance(answer, dict) else None
    keys = {
        str(issue["fields"]["project"]["key"])
        for issue in (issues if isinstance(issues, list) else [])
        if isinstance(issue, dict)
        and isinstance(issue.get("fields"), dict)
        and isinstance(issue["fields"].get("project"), dict)
        and "key" in issue["fields"]["project"]
    }
    return tuple(sorted(keys))


def is_assignable(adapter: JiraAdapter, site: Site, project: str, identity: str) -> bool:
    """Whether Jira lists `identity` among the users assignable in `project`."""
    param = "accountId" if site.deployment == "cloud" else "username"
    with translated(f"jira tracker {adapter.name!r}: assignable users", adapter.clock):
        answer = site.client.get("user/assignable/search", {"project": project, param: identity})
    users = answer if isinstance(answer, list) else []
    # DC's username parameter matches prefixes too: only an exact identity counts.
    return any(isinstance(u, dict) and u.get(site.identity_key) == identity for u in users)


def account_exists(adapter: JiraAdapter, site: Site, identity: str) -> bool:
    """Whether `identity` is a Jira account at all (GET /user answers 404 when it is not)."""
    param = "accountId" if site.deployment == "cloud" else "username"
    try:
        with translated(f"jira tracker {adapter.name!r}: user {identity}", adapter.clock):
            site.client.get("user", {param: identity})
    except NotFound:
        return False
    return True


def _people_checks(
    adapter: JiraAdapter,
    site: Site,
    projects: tuple[str, ...],
    people: Mapping[str, Person],
    members: Iterable[str],
) -> list[CheckRow]:
    results = []
    for member in dict.fromkeys(members):
        person = people.get(member)
        what = f"{member} is assignable"
        identity = person.identity(adapter.config) if person is not None else None
        if identity is None:
            results.append(_result(adapter.name, what, False, "no Jira identity in people", False))
            continue
        if not account_exists(adapter, site, identity):
            detail = f"no Jira account {identity}: check people.{member}"
            results.append(_result(adapter.name, f"{member} exists", False, detail))
            continue
        missing = [p for p in projects if not is_assignable(adapter, site, p, identity)]
        detail = f"not assignable in {', '.join(missing)}" if missing else "ok"
        if not projects:
            detail = "the JQL reaches no issue yet; nothing to check against"
        results.append(_result(adapter.name, what, not missing, detail, blocking=False))
    return results


def check_online(
    adapter: JiraAdapter, people: Mapping[str, Person], members: Iterable[str]
) -> list[CheckRow]:
    """Every online check for one Jira tracker; a failure becomes a row, never an exception."""
    name = adapter.name
    try:
        site = adapter.site()
    except TrackerError as exc:
        return [_result(name, "connect and credentials", False, str(exc))]
    results = [
        _result(name, "connect and credentials", True, f"Jira {site.deployment}"),
        _result(name, "estimate field", True, site.estimate_field),
    ]
    try:
        projects = _projects(adapter, site)
        found = f"reaches {', '.join(projects)}" if projects else "valid; matches no issue yet"
        results.append(_result(name, "JQL", True, found))
        results.extend(_people_checks(adapter, site, projects, people, members))
    except TrackerError as exc:
        results.append(_result(name, "JQL and people", False, str(exc)))
    return results

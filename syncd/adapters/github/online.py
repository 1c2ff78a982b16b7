"""`syncd check --online` for GitHub: the token, each repository, labels, assignable people.

Read-only: "labels can be created" is judged from the token's permission on the repository,
never by creating one.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from syncd.adapters.github.app_auth import AppTokens
from syncd.adapters.github.online_app import check_app
from syncd.adapters.github.transport import Transport
from syncd.config.model import GitHubTracker, Person
from syncd.errors import AuthFailed, NotFound, TrackerError
from syncd.service_layer.checks import Assignee, CheckRow, Outcome

# Repository roles from the most to the least access, as GET /repos/{o}/{r} reports them.
LEVELS = ("admin", "maintain", "push", "triage", "pull")
_CREATE_LABELS = frozenset({"admin", "maintain", "push"})  # triage may apply, not create
_ASSIGN = frozenset({"admin", "maintain", "push", "triage"})
_FALLS_BACK = {
    "rotation member": "syncd assigns the rotation fallback instead, else leaves it unassigned",
    "override cover": "syncd assigns the rotation fallback instead, else leaves it unassigned",
    "rotation fallback": "escalations nobody else can take stay unassigned here",
    "team": "flagged items are not handed to the team here",
}


@dataclass(frozen=True)
class _Context:
    """What every repository check needs."""

    config: GitHubTracker
    http: Transport
    scopes: frozenset[str] | None
    people: Mapping[str, Person]
    assignees: Sequence[Assignee]
    labels: Sequence[str]
    # A GitHub App's: the role assumed per repository its installation serves (None: a token)
    levels: Mapping[str, str] | None = None

    def row(self, check: str, outcome: Outcome, detail: str) -> CheckRow:
        """A row of this tracker."""
        return CheckRow(self.config.name, check, outcome, detail)

    def missing_user(self, assignee: Assignee) -> CheckRow | None:
        """A failed row when the person's login is no GitHub account at all (a typo), else None."""
        person = self.people.get(assignee.person)
        login = person.identity(self.config) if person is not None else None
        if login is None:
            return None  # the per-repository rows say there is no identity
        check = f"{assignee.person} exists"
        try:
            self.http.get(f"/users/{urllib.parse.quote(login, safe='')}", f"looking up {login}")
        except NotFound:
            detail = f"no GitHub user {login} ({assignee.role}): check people.{assignee.person}"
            return self.row(check, Outcome.FAIL, detail)
        except TrackerError as exc:
            return self.row(check, Outcome.FAIL, str(exc))
        return None


def token_scopes(headers: Mapping[str, str]) -> frozenset[str] | None:
    """The OAuth scopes of a classic token (`X-OAuth-Scopes`); None when GitHub sends none.

    Fine-grained tokens and GitHub App tokens have no scopes header: their permissions show
    per repository instead.
    """
    lowered = {key.lower(): value for key, value in headers.items()}
    raw = lowered.get("x-oauth-scopes")
    if raw is None:
        return None
    return frozenset(scope.strip() for scope in raw.split(",") if scope.strip())


def check_github(
    config: GitHubTracker,
    http: Transport,
    people: Mapping[str, Person],
    assignees: Sequence[Assignee],
    labels: Sequence[str],
    *,
    app: AppTokens | None = None,
) -> list[CheckRow]:
    """Every online check of one GitHub tracker; failures become rows, never exceptions."""
    if app is not None:
        rows, levels = check_app(config, app)
        if not levels:
            return rows
        ctx = _Context(config, http, None, people, assignees, labels, levels)
    else:
        try:
            answer = http.get("/user", "checking the token")
        except AuthFailed as exc:
            return [CheckRow(config.name, "token", Outcome.FAIL, str(exc))]
        except TrackerError as exc:
            return [CheckRow(config.name, "reach GitHub", Outcome.FAIL, str(exc))]
        ctx = _Context(config, http, token_scopes(answer.headers), people, assignees, labels)
        rows = [_token_row(ctx, answer.data)]
    absent = {a.person: row for a in assignees if (row := ctx.missing_user(a)) is not None}
    rows.extend(absent.values())
    # A login that is no account has its failed row; a row per repository would only repeat it.
    ctx = replace(ctx, assignees=tuple(a for a in assignees if a.person not in absent))
    for repo in config.repos:
        if ctx.levels is None or repo in ctx.levels:  # else its installation row failed
            rows.extend(_repo_checks(ctx, repo))
    return rows


def _token_row(ctx: _Context, user: object) -> CheckRow:
    login = user.get("login") if isinstance(user, Mapping) else None
    who = f"valid, user {login}" if isinstance(login, str) else "valid"
    if ctx.scopes is None:
        return ctx.row("token", Outcome.OK, f"{who}; no scopes header (fine-grained or app)")
    shown = ", ".join(sorted(ctx.scopes)) or "none"
    if not ctx.scopes & {"repo", "public_repo"}:
        detail = f"{who}; scopes: {shown}; syncd needs repo (or public_repo)"
        return ctx.row("token", Outcome.FAIL, detail)
    return ctx.row("token", Outcome.OK, f"{who}; scopes: {shown}")


def _repo_checks(ctx: _Context, repo: str) -> list[CheckRow]:
    path = f"/repos/{urllib.parse.quote(repo, safe='/')}"
    try:
        answer = ctx.http.get(path, f"reading repository {repo}")
    except NotFound:
        return [ctx.row(f"repo {repo}", Outcome.FAIL, "does not exist, or the token cannot see it")]
    except TrackerError as exc:
        return [ctx.row(f"repo {repo}", Outcome.FAIL, str(exc))]
    data = answer.data if isinstance(answer.data, Mapping) else {}
    level = access_level(data.get("permissions")) if ctx.levels is None else ctx.levels[repo]
    rows = [_exists_row(ctx, repo, data, level)]
    if rows[0].outcome is Outcome.FAIL:
        return rows
    rows.append(_labels_row(ctx, repo, path, level))
    if level in _ASSIGN:
        rows.extend(_assignee_row(ctx, repo, path, a) for a in ctx.assignees)
    else:
        detail = f"permission {level or 'unknown'}: assigning needs triage or more"
        rows.append(ctx.row(f"{repo}: assignees", Outcome.FAIL, detail))
    return rows


def access_level(permissions: object) -> str | None:
    """The highest role GitHub reports in a repository's `permissions`; None when absent."""
    if not isinstance(permissions, Mapping):
        return None
    return next((level for level in LEVELS if permissions.get(level) is True), None)


def _exists_row(
    ctx: _Context, repo: str, data: Mapping[str, object], level: str | None
) -> CheckRow:
    check = f"repo {repo}"
    if data.get("has_issues") is False:
        return ctx.row(check, Outcome.FAIL, "issues are disabled in this repository")
    private = data.get("private") is True
    if private and ctx.scopes is not None and "repo" not in ctx.scopes:
        return ctx.row(check, Outcome.FAIL, "private, and the token has only public_repo")
    visibility = "private" if private else "public"
    return ctx.row(check, Outcome.OK, f"exists ({visibility}), permission {level or 'unknown'}")


def _labels_row(ctx: _Context, repo: str, path: str, level: str | None) -> CheckRow:
    check = f"{repo}: labels"
    if level in _CREATE_LABELS:
        return ctx.row(check, Outcome.OK, f"can create and apply labels ({level})")
    if level != "triage":
        detail = f"permission {level or 'unknown'}: labelling needs triage, creating needs push"
        return ctx.row(check, Outcome.FAIL, detail)
    try:
        missing = [name for name in ctx.labels if not _label_exists(ctx, path, name)]
    except TrackerError as exc:
        return ctx.row(check, Outcome.FAIL, str(exc))
    if missing:
        detail = f"triage cannot create labels; create these first: {', '.join(missing)}"
        return ctx.row(check, Outcome.FAIL, detail)
    return ctx.row(check, Outcome.OK, "every label syncd writes exists; triage can apply them")


def _label_exists(ctx: _Context, path: str, name: str) -> bool:
    try:
        ctx.http.get(f"{path}/labels/{urllib.parse.quote(name, safe='')}", f"reading label {name}")
    except NotFound:
        return False
    return True


def _assignee_row(ctx: _Context, repo: str, path: str, assignee: Assignee) -> CheckRow:
    check = f"{repo}: assign {assignee.person}"
    person = ctx.people.get(assignee.person)
    identity = person.identity(ctx.config) if person is not None else None
    if identity is None:
        return ctx.row(check, Outcome.WARN, f"no GitHub identity in people ({assignee.role})")
    login = urllib.parse.quote(identity, safe="")
    try:
        ctx.http.get(f"{path}/assignees/{login}", f"checking assignee {identity}")
    except NotFound:
        consequence = _FALLS_BACK.get(assignee.role, "syncd cannot assign them here")
        detail = f"{identity} ({assignee.role}) is not assignable: {consequence}"
        return ctx.row(check, Outcome.WARN, detail)
    except TrackerError as exc:
        return ctx.row(check, Outcome.FAIL, str(exc))
    return ctx.row(check, Outcome.OK, f"{identity} ({assignee.role})")

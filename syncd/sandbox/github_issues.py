"""GitHub issue routes: list, read and edit issues, their assignees and their comments."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from syncd.sandbox import github_payloads as shapes
from syncd.sandbox.comment import Comment
from syncd.sandbox.exchange import (
    BadRequest,
    JsonObject,
    Request,
    Response,
    Route,
    json_response,
    route,
)
from syncd.sandbox.github_app import author
from syncd.sandbox.github_labels import label_names
from syncd.sandbox.github_pages import paged
from syncd.sandbox.github_state import (
    GitHubIssue,
    NotFoundHere,
    Repo,
    find_issue,
    find_repo,
)
from syncd.sandbox.store import Store

_UPDATE_DOCS = "https://docs.github.com/rest/issues/issues#update-an-issue"


class IssueRoutes:
    """The issue, assignee and comment endpoints of one GitHub, served from a Store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        i = "/repos/{owner}/{repo}/issues/{number}"
        # GitHub's Link headers name a repository's later list pages by its numeric id
        by_id = "/repositories/{repo_id}/issues"
        self.routes: tuple[Route, ...] = (
            route("github.issues.list", "GET", "/repos/{owner}/{repo}/issues", self._list),
            route("github.issues.list", "GET", by_id, self._list),
            route(
                "github.issue.comments.list", "GET", f"{by_id}/{{number}}/comments", self._comments
            ),
            route("github.issue", "GET", i, self._get),
            route("github.issue.edit", "PATCH", i, self._edit, write=True),
            route("github.issue.assignees.add", "POST", f"{i}/assignees", self._assign, write=True),
            route(
                "github.issue.assignees.remove",
                "DELETE",
                f"{i}/assignees",
                self._unassign,
                write=True,
            ),
            route("github.issue.comments.list", "GET", f"{i}/comments", self._comments),
            route(
                "github.issue.comments.create", "POST", f"{i}/comments", self._comment, write=True
            ),
            route(
                "github.issue.comment.delete",
                "DELETE",
                "/repos/{owner}/{repo}/issues/comments/{comment_id}",
                self._delete_comment,
                write=True,
            ),
        )

    def _json(self, request: Request, repo: Repo, item: GitHubIssue) -> JsonObject:
        return shapes.issue(request.base, request.origin, repo, item)

    def _list(self, request: Request, params: Mapping[str, str]) -> Response:
        repo = find_repo(self.store.github, params)
        chosen = _select(repo.issues.values(), request)
        return paged(
            request,
            chosen,
            lambda item: self._json(request, repo, item),
            f"/repositories/{repo.id}/issues",
        )

    def _get(self, request: Request, params: Mapping[str, str]) -> Response:
        repo, item = find_issue(self.store.github, params)
        return json_response(200, self._json(request, repo, item))

    def _edit(self, request: Request, params: Mapping[str, str]) -> Response:
        repo, item = find_issue(self.store.github, params)
        body = request.json_object()
        assignees = _patched_assignees(body)
        refused = [login for login in assignees or () if login.lower() not in repo.assignable]
        if refused:
            errors = [
                {"value": refused[0], "resource": "Issue", "field": "assignees", "code": "invalid"}
            ]
            return json_response(
                422, {**shapes.error("Validation Failed", 422, _UPDATE_DOCS), "errors": errors}
            )
        _apply_patch(item, body)
        if assignees is not None:
            item.assignees = list(assignees)
        if "labels" in body:
            item.labels = [
                self.store.ensure_label(repo, n).name for n in label_names(body["labels"])
            ]
        item.updated = self.store.now()
        return json_response(200, self._json(request, repo, item))

    def _assign(self, request: Request, params: Mapping[str, str]) -> Response:
        repo, item = find_issue(self.store.github, params)
        wanted = _logins(request.json_object().get("assignees"))
        # Like GitHub: logins that cannot be assigned are dropped without an error.
        current = {login.lower() for login in item.assignees}
        for login in wanted:
            if login.lower() in repo.assignable and login.lower() not in current:
                item.assignees.append(login)
                current.add(login.lower())
        item.updated = self.store.now()
        return json_response(201, self._json(request, repo, item))

    def _unassign(self, request: Request, params: Mapping[str, str]) -> Response:
        repo, item = find_issue(self.store.github, params)
        drop = {login.lower() for login in _logins(request.json_object().get("assignees"))}
        item.assignees = [login for login in item.assignees if login.lower() not in drop]
        item.updated = self.store.now()
        return json_response(200, self._json(request, repo, item))

    def _comments(self, request: Request, params: Mapping[str, str]) -> Response:
        repo, item = find_issue(self.store.github, params)
        return paged(
            request,
            item.comments,
            lambda note: shapes.comment(request.base, request.origin, repo, item, note),
            f"/repositories/{repo.id}/issues/{item.number}/comments",
        )

    def _comment(self, request: Request, params: Mapping[str, str]) -> Response:
        repo, item = find_issue(self.store.github, params)
        text = request.json_object().get("body")
        if not isinstance(text, str) or not text:
            raise BadRequest("body is required")
        by = author(self.store.github, request)
        note = Comment(self.store.new_id(), text, by, self.store.now())
        item.comments.append(note)
        item.updated = self.store.now()
        payload = shapes.comment(request.base, request.origin, repo, item, note)
        return json_response(201, payload, {"Location": str(payload["url"])})

    def _delete_comment(self, request: Request, params: Mapping[str, str]) -> Response:
        """204 with no body, like GitHub; 404 for a comment the repository does not hold."""
        repo = find_repo(self.store.github, params)
        wanted = params["comment_id"]
        for item in repo.issues.values():
            for note in item.comments:
                if str(note.id) == wanted:
                    item.comments.remove(note)
                    return Response(204)
        raise NotFoundHere


def _logins(payload: object) -> list[str]:
    if isinstance(payload, str):
        return [payload]
    if not isinstance(payload, list) or not all(isinstance(login, str) for login in payload):
        raise BadRequest("assignees must be an array of logins")
    return [str(login) for login in payload]


def _patched_assignees(body: JsonObject) -> list[str] | None:
    if "assignees" in body:
        return _logins(body["assignees"] or [])
    if "assignee" in body:
        return _logins(body["assignee"]) if body["assignee"] else []
    return None


def _apply_patch(item: GitHubIssue, body: JsonObject) -> None:
    for key in ("title", "body", "state"):
        if key in body and not isinstance(body[key], (str, type(None))):
            raise BadRequest(f"{key} must be a string")
    if body.get("state") not in (None, "open", "closed"):
        raise BadRequest("state must be open or closed")
    item.title = str(body.get("title") or item.title)
    item.body = body["body"] if "body" in body and isinstance(body["body"], str) else item.body
    item.state = str(body.get("state") or item.state)


def _select(issues: Iterable[GitHubIssue], request: Request) -> list[GitHubIssue]:
    """The issues matching `state`, `labels` and `since`, in `sort`/`direction` order."""
    state = request.param("state", "open")
    wanted = {name.strip().lower() for name in request.param("labels").split(",") if name.strip()}
    since = _since(request.param("since"))
    chosen = [
        item
        for item in issues
        if state in {"all", item.state}
        and wanted <= {label.lower() for label in item.labels}
        and (since is None or item.updated >= since)
    ]
    sort = request.param("sort", "created")
    if sort not in {"created", "updated", "comments"}:
        raise BadRequest(f"sort must be created, updated or comments, not {sort!r}")
    keys = {
        "created": lambda i: (i.created, i.number),
        "updated": lambda i: (i.updated, i.number),
        "comments": lambda i: (len(i.comments), i.number),
    }
    chosen.sort(key=keys[sort], reverse=request.param("direction", "desc") != "asc")
    return chosen


def _since(raw: str) -> datetime | None:
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise BadRequest(f"since must be an ISO 8601 time, not {raw!r}") from None

"""The GitHub REST v3 subset: routes, auth, rate-limit headers, ETags, pagination."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import TypeVar
from urllib.parse import urlencode

from syncd.sandbox import github_payloads as shapes
from syncd.sandbox.exchange import (
    BadRequest,
    JsonObject,
    Request,
    Response,
    Route,
    json_response,
    route,
)
from syncd.sandbox.faults import Service
from syncd.sandbox.store import Comment, GitHubIssue, Repo, Store

T = TypeVar("T")
LIMIT = 5000
_DOCS = "https://docs.github.com/rest"
_REMOVE_LABEL_DOCS = "https://docs.github.com/rest/issues/labels#remove-a-label-from-an-issue"
_UPDATE_DOCS = "https://docs.github.com/rest/issues/issues#update-an-issue"


class NotFoundHere(Exception):
    """The repository, issue or label does not exist: 404."""


class GitHubApi:
    """Serves the GitHub subset from a Store."""

    service = Service.GITHUB

    def __init__(self, store: Store) -> None:
        self.store = store
        r = "/repos/{owner}/{repo}"
        i = f"{r}/issues/{{number}}"
        self.routes: tuple[Route, ...] = (
            route("github.user", "GET", "/user", self._user),
            route("github.rate_limit", "GET", "/rate_limit", self._rate_limit),
            route("github.repo", "GET", r, self._repo),
            route("github.issues.list", "GET", f"{r}/issues", self._list_issues),
            route("github.issue", "GET", i, self._get_issue),
            route("github.issue.edit", "PATCH", i, self._edit_issue, write=True),
            route("github.issue.labels.list", "GET", f"{i}/labels", self._issue_labels),
            route("github.issue.labels.add", "POST", f"{i}/labels", self._add_labels, write=True),
            route("github.issue.labels.set", "PUT", f"{i}/labels", self._set_labels, write=True),
            route(
                "github.issue.labels.remove",
                "DELETE",
                f"{i}/labels/{{name+}}",
                self._remove_label,
                write=True,
            ),
            route(
                "github.issue.assignees.add",
                "POST",
                f"{i}/assignees",
                self._add_assignees,
                write=True,
            ),
            route(
                "github.issue.assignees.remove",
                "DELETE",
                f"{i}/assignees",
                self._remove_assignees,
                write=True,
            ),
            route("github.issue.comments.list", "GET", f"{i}/comments", self._list_comments),
            route(
                "github.issue.comments.create", "POST", f"{i}/comments", self._comment, write=True
            ),
            route("github.labels.list", "GET", f"{r}/labels", self._list_labels),
            route("github.labels.create", "POST", f"{r}/labels", self._create_label, write=True),
            route("github.label", "GET", f"{r}/labels/{{name+}}", self._get_label),
            route("github.assignee", "GET", f"{r}/assignees/{{login}}", self._check_assignee),
            route("github.issue.assignee", "GET", f"{i}/assignees/{{login}}", self._check_assignee),
            route(
                "github.collaborator", "GET", f"{r}/collaborators/{{login}}", self._check_assignee
            ),
        )

    def handle(self, request: Request, target: Route, params: Mapping[str, str]) -> Response:
        """Authenticate, answer, then add the rate-limit headers and the ETag logic."""
        if not self._authorized(request):
            return json_response(401, shapes.error("Bad credentials", 401))
        site = self.store.github
        now = int(self.store.now().timestamp())
        if site.reset <= now:
            site.remaining, site.reset = LIMIT, now + 3600
        try:
            response = target.handler(request, params)
        except NotFoundHere:
            response = json_response(404, shapes.error("Not Found", 404))
        except BadRequest as exc:
            response = json_response(400, shapes.error(str(exc), 400))
        if request.method == "GET" and response.status == 200:
            response = _conditional(request, response)
        if response.status != 304 and target.name != "github.rate_limit":
            site.remaining = max(site.remaining - 1, 0)
        response.headers.update(self._limit_headers())
        return response

    def _authorized(self, request: Request) -> bool:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() in {"token", "bearer"} and token.strip() == self.store.github.token

    def _limit_headers(self) -> dict[str, str]:
        site = self.store.github
        return {
            "X-RateLimit-Limit": str(LIMIT),
            "X-RateLimit-Remaining": str(site.remaining),
            "X-RateLimit-Reset": str(site.reset),
            "X-RateLimit-Used": str(LIMIT - site.remaining),
            "X-RateLimit-Resource": "core",
        }

    # --- lookups -------------------------------------------------------------------------

    def _repo_of(self, params: Mapping[str, str]) -> Repo:
        repo = self.store.github.repos.get(f"{params['owner']}/{params['repo']}".lower())
        if repo is None:
            raise NotFoundHere
        return repo

    def _issue_of(self, params: Mapping[str, str]) -> tuple[Repo, GitHubIssue]:
        repo = self._repo_of(params)
        number = params["number"]
        found = repo.issues.get(int(number)) if number.isdigit() else None
        if found is None:
            raise NotFoundHere
        return repo, found

    def _issue_json(self, request: Request, repo: Repo, item: GitHubIssue) -> JsonObject:
        return shapes.issue(request.base, request.origin, repo, item)

    def _touch(self, item: GitHubIssue) -> None:
        item.updated = self.store.now()

    # --- reads ---------------------------------------------------------------------------

    def _user(self, request: Request, params: Mapping[str, str]) -> Response:
        return json_response(
            200, shapes.private_user(request.base, request.origin, self.store.github.login)
        )

    def _rate_limit(self, request: Request, params: Mapping[str, str]) -> Response:
        site = self.store.github
        core = {
            "limit": LIMIT,
            "remaining": site.remaining,
            "reset": site.reset,
            "used": LIMIT - site.remaining,
            "resource": "core",
        }
        search = {
            "limit": 30,
            "remaining": 30,
            "reset": site.reset,
            "used": 0,
            "resource": "search",
        }
        return json_response(200, {"resources": {"core": core, "search": search}, "rate": core})

    def _repo(self, request: Request, params: Mapping[str, str]) -> Response:
        repo = self._repo_of(params)
        return json_response(200, shapes.repository(request.base, request.origin, repo))

    def _list_issues(self, request: Request, params: Mapping[str, str]) -> Response:
        repo = self._repo_of(params)
        chosen = _select(repo.issues.values(), request)
        return _paged(request, chosen, lambda item: self._issue_json(request, repo, item))

    def _get_issue(self, request: Request, params: Mapping[str, str]) -> Response:
        repo, item = self._issue_of(params)
        return json_response(200, self._issue_json(request, repo, item))

    def _issue_labels(self, request: Request, params: Mapping[str, str]) -> Response:
        repo, item = self._issue_of(params)
        return self._labels_answer(request, repo, item, 200)

    def _labels_answer(
        self, request: Request, repo: Repo, item: GitHubIssue, status: int
    ) -> Response:
        labels = [
            shapes.label(request.base, repo, self.store.ensure_label(repo, n)) for n in item.labels
        ]
        return json_response(status, labels)

    def _list_comments(self, request: Request, params: Mapping[str, str]) -> Response:
        repo, item = self._issue_of(params)
        return _paged(
            request,
            item.comments,
            lambda note: shapes.comment(request.base, request.origin, repo, item, note),
        )

    def _list_labels(self, request: Request, params: Mapping[str, str]) -> Response:
        repo = self._repo_of(params)
        labels = sorted(repo.labels.values(), key=lambda label: label.name.lower())
        return _paged(request, labels, lambda label: shapes.label(request.base, repo, label))

    def _get_label(self, request: Request, params: Mapping[str, str]) -> Response:
        repo = self._repo_of(params)
        found = repo.labels.get(params["name"].lower())
        if found is None:
            raise NotFoundHere
        return json_response(200, shapes.label(request.base, repo, found))

    def _check_assignee(self, request: Request, params: Mapping[str, str]) -> Response:
        repo = self._issue_of(params)[0] if "number" in params else self._repo_of(params)
        if params["login"].lower() in repo.assignable:
            return Response(204)
        return json_response(404, shapes.error("Not Found", 404))

    # --- writes --------------------------------------------------------------------------

    def _add_labels(self, request: Request, params: Mapping[str, str]) -> Response:
        repo, item = self._issue_of(params)
        present = {name.lower() for name in item.labels}
        for name in _label_names(request.json()):
            if name.lower() not in present:
                item.labels.append(self.store.ensure_label(repo, name).name)
                present.add(name.lower())
        self._touch(item)
        return self._labels_answer(request, repo, item, 200)

    def _set_labels(self, request: Request, params: Mapping[str, str]) -> Response:
        repo, item = self._issue_of(params)
        item.labels = [self.store.ensure_label(repo, n).name for n in _label_names(request.json())]
        self._touch(item)
        return self._labels_answer(request, repo, item, 200)

    def _remove_label(self, request: Request, params: Mapping[str, str]) -> Response:
        repo, item = self._issue_of(params)
        name = params["name"].lower()
        if name not in {label.lower() for label in item.labels}:
            return json_response(404, shapes.error("Label does not exist", 404, _REMOVE_LABEL_DOCS))
        item.labels = [label for label in item.labels if label.lower() != name]
        self._touch(item)
        return self._labels_answer(request, repo, item, 200)

    def _add_assignees(self, request: Request, params: Mapping[str, str]) -> Response:
        repo, item = self._issue_of(params)
        wanted = _logins(request.json_object().get("assignees"))
        # Like GitHub: logins that cannot be assigned are dropped without an error.
        current = {login.lower() for login in item.assignees}
        for login in wanted:
            if login.lower() in repo.assignable and login.lower() not in current:
                item.assignees.append(login)
                current.add(login.lower())
        self._touch(item)
        return json_response(201, self._issue_json(request, repo, item))

    def _remove_assignees(self, request: Request, params: Mapping[str, str]) -> Response:
        repo, item = self._issue_of(params)
        drop = {login.lower() for login in _logins(request.json_object().get("assignees"))}
        item.assignees = [login for login in item.assignees if login.lower() not in drop]
        self._touch(item)
        return json_response(200, self._issue_json(request, repo, item))

    def _edit_issue(self, request: Request, params: Mapping[str, str]) -> Response:
        repo, item = self._issue_of(params)
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
                self.store.ensure_label(repo, n).name for n in _label_names(body["labels"])
            ]
        self._touch(item)
        return json_response(200, self._issue_json(request, repo, item))

    def _create_label(self, request: Request, params: Mapping[str, str]) -> Response:
        repo = self._repo_of(params)
        body = request.json_object()
        name, color = body.get("name"), body.get("color", "ededed")
        if not isinstance(name, str) or not name or not isinstance(color, str):
            raise BadRequest("name (and color) must be strings")
        if name.lower() in repo.labels:
            errors = [{"resource": "Label", "code": "already_exists", "field": "name"}]
            body = {**shapes.error("Validation Failed", 422), "errors": errors}
            return json_response(422, body)
        created = self.store.ensure_label(repo, name)
        created.color = color.lstrip("#")
        description = body.get("description")
        created.description = description if isinstance(description, str) else None
        payload = shapes.label(request.base, repo, created)
        return json_response(201, payload, {"Location": str(payload["url"])})

    def _comment(self, request: Request, params: Mapping[str, str]) -> Response:
        repo, item = self._issue_of(params)
        text = request.json_object().get("body")
        if not isinstance(text, str) or not text:
            raise BadRequest("body is required")
        note = Comment(self.store.new_id(), text, self.store.github.login, self.store.now())
        item.comments.append(note)
        self._touch(item)
        payload = shapes.comment(request.base, request.origin, repo, item, note)
        return json_response(201, payload, {"Location": str(payload["url"])})


def _label_names(payload: object) -> list[str]:
    """Label names from a bare array, `{"labels": [...]}`, or label objects with `name`."""
    if isinstance(payload, dict):
        payload = payload.get("labels")
    if not isinstance(payload, list):
        raise BadRequest("labels must be an array")
    names = [item.get("name") if isinstance(item, dict) else item for item in payload]
    if not all(isinstance(name, str) and name for name in names):
        raise BadRequest("every label must be a non-empty string")
    return [str(name) for name in names]


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


def _paged(request: Request, items: Sequence[T], render: Callable[[T], object]) -> Response:
    """One page of `items` (`per_page` at most 100, `page` from 1) with its `Link` header."""
    per_page = min(max(request.int_param("per_page", 30), 1), 100)
    page = max(request.int_param("page", 1), 1)
    last = max((len(items) + per_page - 1) // per_page, 1)
    chunk = items[(page - 1) * per_page : page * per_page]
    link = link_header(request, page, last)
    return json_response(200, [render(item) for item in chunk], {"Link": link} if link else {})


def _conditional(request: Request, response: Response) -> Response:
    """Strong ETag over the body; 304 with no body when If-None-Match carries it."""
    etag = f'"{hashlib.sha1(response.body, usedforsecurity=False).hexdigest()}"'
    response.headers["ETag"] = etag
    candidates = {tag.strip() for tag in request.headers.get("if-none-match", "").split(",")}
    if etag in candidates or "*" in candidates:
        return Response(304, b"", {"ETag": etag})
    return response


def link_header(request: Request, page: int, last: int) -> str:
    """GitHub's `Link` header: every query parameter kept, `page` replaced."""

    def url(number: int) -> str:
        params = [(k, v) for k, values in request.query.items() if k != "page" for v in values]
        return f"{request.base}{request.path}?{urlencode([*params, ('page', str(number))])}"

    links = []
    if page < last:
        links += [f'<{url(page + 1)}>; rel="next"', f'<{url(last)}>; rel="last"']
    if page > 1:
        links = [f'<{url(page - 1)}>; rel="prev"', *links, f'<{url(1)}>; rel="first"']
    return ", ".join(links)

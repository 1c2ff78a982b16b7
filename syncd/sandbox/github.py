"""The GitHub REST v3 subset: auth, rate-limit headers and ETags around the route groups."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from syncd.sandbox import github_payloads as shapes
from syncd.sandbox.exchange import BadRequest, Request, Response, Route, json_response, route
from syncd.sandbox.faults import Service
from syncd.sandbox.github_app import (
    APP_ROUTE,
    AppRoutes,
    author,
    installation_token_valid,
    jwt_valid,
)
from syncd.sandbox.github_issues import IssueRoutes
from syncd.sandbox.github_labels import LabelRoutes
from syncd.sandbox.github_state import NotFoundHere, find_issue, find_repo
from syncd.sandbox.store import Store

LIMIT = 5000


class GitHubApi:
    """Serves the GitHub subset from a Store: repository and user routes here, issues and
    labels from their own route groups."""

    service = Service.GITHUB

    def __init__(self, store: Store) -> None:
        self.store = store
        r = "/repos/{owner}/{repo}"
        i = f"{r}/issues/{{number}}"
        self.routes: tuple[Route, ...] = (
            route("github.user", "GET", "/user", self._user),
            *AppRoutes(store).routes,
            route("github.rate_limit", "GET", "/rate_limit", self._rate_limit),
            route("github.users.login", "GET", "/users/{login}", self._account),
            route("github.repo", "GET", r, self._repo),
            *IssueRoutes(store).routes,
            *LabelRoutes(store).routes,
            route("github.assignee", "GET", f"{r}/assignees/{{login}}", self._check_assignee),
            route("github.issue.assignee", "GET", f"{i}/assignees/{{login}}", self._check_assignee),
            route(
                "github.collaborator", "GET", f"{r}/collaborators/{{login}}", self._check_assignee
            ),
        )

    def handle(self, request: Request, target: Route, params: Mapping[str, str]) -> Response:
        """Authenticate, answer, then add the rate-limit headers and the ETag logic."""
        if not self._authorized(request, target):
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

    def _authorized(self, request: Request, target: Route) -> bool:
        if target.name.startswith(APP_ROUTE):
            return jwt_valid(self.store, request)
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() in {"token", "bearer"} and token.strip() == self.store.github.token:
            return True
        return installation_token_valid(self.store, request)

    def _core(self) -> dict[str, object]:
        """The core rate-limit window, as both the headers and /rate_limit report it."""
        site = self.store.github
        used = LIMIT - site.remaining
        return {"limit": LIMIT, "remaining": site.remaining, "reset": site.reset, "used": used}

    def _limit_headers(self) -> dict[str, str]:
        core = self._core()
        headers = {f"X-RateLimit-{name.title()}": str(value) for name, value in core.items()}
        return {**headers, "X-RateLimit-Resource": "core"}

    def _user(self, request: Request, params: Mapping[str, str]) -> Response:
        if author(self.store.github, request) != self.store.github.login:
            message = "Resource not accessible by integration"  # an app's token has no user
            return json_response(403, shapes.error(message, 403))
        return json_response(
            200, shapes.private_user(request.base, request.origin, self.store.github.login)
        )

    def _account(self, request: Request, params: Mapping[str, str]) -> Response:
        """GET /users/{login}: a `public-user`; 404 for a login that is no account."""
        login = params["login"]
        if login.lower() not in self.store.github.accounts:
            docs = "https://docs.github.com/rest/users/users#get-a-user"
            return json_response(404, shapes.error("Not Found", 404, docs))
        return json_response(200, shapes.public_user(request.base, request.origin, login))

    def _rate_limit(self, request: Request, params: Mapping[str, str]) -> Response:
        core = {**self._core(), "resource": "core"}
        search = {
            "limit": 30,
            "remaining": 30,
            "reset": self.store.github.reset,
            "used": 0,
            "resource": "search",
        }
        return json_response(200, {"resources": {"core": core, "search": search}, "rate": core})

    def _repo(self, request: Request, params: Mapping[str, str]) -> Response:
        repo = find_repo(self.store.github, params)
        return json_response(200, shapes.repository(request.base, request.origin, repo))

    def _check_assignee(self, request: Request, params: Mapping[str, str]) -> Response:
        site = self.store.github
        repo = find_issue(site, params)[0] if "number" in params else find_repo(site, params)
        if params["login"].lower() in repo.assignable:
            return Response(204)
        return json_response(404, shapes.error("Not Found", 404))


def _conditional(request: Request, response: Response) -> Response:
    """A weak ETag over the body, as api.github.com sends (`W/"..."`); 304 with no body when
    If-None-Match carries it, compared weakly as RFC 9110 asks (with or without `W/`)."""
    opaque = f'"{hashlib.sha1(response.body, usedforsecurity=False).hexdigest()}"'
    etag = f"W/{opaque}"
    response.headers["ETag"] = etag
    sent = request.headers.get("if-none-match", "").split(",")
    candidates = {tag.strip().removeprefix("W/") for tag in sent}
    if opaque in candidates or "*" in candidates:
        return Response(304, b"", {"ETag": etag})
    return response

"""The Jira REST v2 subset, Cloud or Data Center flavour: auth, site info and users.

Search and single-issue routes live in syncd.sandbox.jira_search and syncd.sandbox.jira_issues.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import re
from collections.abc import Mapping

from syncd.sandbox import jira_payloads as shapes
from syncd.sandbox import jira_site_payloads as site_shapes
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
from syncd.sandbox.jira_issues import IssueRoutes
from syncd.sandbox.jira_search import search
from syncd.sandbox.jira_state import JiraSite, MissingIssue, find_issue
from syncd.sandbox.jql import JqlError
from syncd.sandbox.seed import Flavour
from syncd.sandbox.store import Store

_REMOVED = (
    "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. "
    "A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"
)


class JiraApi:
    """Serves one Jira site (Cloud or Data Center) from a Store."""

    service = Service.JIRA

    def __init__(self, store: Store, flavour: Flavour) -> None:
        self.store, self.flavour = store, flavour
        a = "/rest/api/2"
        name = f"jira.{flavour.value}"
        search_name = "search.jql" if flavour is Flavour.CLOUD else "search"
        gone_name = "search" if flavour is Flavour.CLOUD else "search.jql"
        search_path = f"{a}/search/jql" if flavour is Flavour.CLOUD else f"{a}/search"
        gone_path = f"{a}/search" if flavour is Flavour.CLOUD else f"{a}/search/jql"
        routes: tuple[Route, ...] = (
            route(f"{name}.serverInfo", "GET", f"{a}/serverInfo", self._server_info),
            route(f"{name}.myself", "GET", f"{a}/myself", self._myself),
            route(f"{name}.field", "GET", f"{a}/field", self._fields),
            route(f"{name}.configuration", "GET", f"{a}/configuration", self._configuration),
            route(f"{name}.{search_name}", "GET", search_path, self._search),
            route(f"{name}.{search_name}", "POST", search_path, self._search),
            route(f"{name}.{gone_name}", "GET", gone_path, self._gone),
            route(f"{name}.{gone_name}", "POST", gone_path, self._gone),
            *IssueRoutes(store, flavour).routes,
            route(f"{name}.user", "GET", f"{a}/user", self._user),
            route(f"{name}.user.search", "GET", f"{a}/user/search", self._user_search),
            route(
                f"{name}.user.assignable",
                "GET",
                f"{a}/user/assignable/search",
                self._assignable_search,
            ),
        )
        self.routes = routes + tuple(_as_latest(r) for r in routes)

    @property
    def site(self) -> JiraSite:
        """This API's Jira site."""
        return self.store.jira[self.flavour]

    def handle(self, request: Request, target: Route, params: Mapping[str, str]) -> Response:
        """Authenticate (serverInfo is public, as on real Jira), then answer."""
        if not target.name.endswith(".serverInfo") and not self._authorized(request):
            body = shapes.errors(
                ["You are not authenticated. Authentication required to perform this operation."]
            )
            return json_response(401, body, {"WWW-Authenticate": 'Basic realm="protected-area"'})
        try:
            return target.handler(request, params)
        except MissingIssue:
            return json_response(
                404,
                shapes.errors(["Issue does not exist or you do not have permission to see it."]),
            )
        except (JqlError, BadRequest) as exc:
            return json_response(400, shapes.errors([str(exc)]))

    def _authorized(self, request: Request) -> bool:
        scheme, _, credential = request.headers.get("authorization", "").partition(" ")
        if self.flavour is Flavour.DC:
            return scheme.lower() == "bearer" and credential.strip() == self.site.token
        try:
            decoded = base64.b64decode(credential, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return False
        return scheme.lower() == "basic" and decoded == f"{self.site.email}:{self.site.token}"

    # --- site-wide reads ---------------------------------------------------------------------

    def _server_info(self, request: Request, params: Mapping[str, str]) -> Response:
        return json_response(
            200, site_shapes.server_info(request.base, self.site, self.store.now())
        )

    def _myself(self, request: Request, params: Mapping[str, str]) -> Response:
        me = self.site.me
        person = self.site.users.get(me) if me else None
        if person is None:
            return json_response(404, shapes.errors(["The API user is not in the seed."]))
        return json_response(200, shapes.user(request.base, self.site, person))

    def _fields(self, request: Request, params: Mapping[str, str]) -> Response:
        return json_response(200, site_shapes.fields())

    def _configuration(self, request: Request, params: Mapping[str, str]) -> Response:
        return json_response(200, site_shapes.configuration())

    def _gone(self, request: Request, params: Mapping[str, str]) -> Response:
        if self.flavour is Flavour.CLOUD:
            return json_response(410, shapes.errors([_REMOVED]))
        return json_response(404, shapes.errors(["null for uri: " + request.path]))

    def _search(self, request: Request, params: Mapping[str, str]) -> Response:
        return search(request, self.site)

    # --- users ---------------------------------------------------------------------------

    def _user(self, request: Request, params: Mapping[str, str]) -> Response:
        wanted = request.param("accountId") or request.param("username") or request.param("key")
        person = self.site.users.get(wanted)
        if person is None:
            return json_response(404, shapes.errors([self._no_user(wanted)]))
        return json_response(200, shapes.user(request.base, self.site, person))

    def _no_user(self, wanted: str) -> str:
        """The 404 message: Cloud will not say whether the account exists, Data Center names it."""
        if self.flavour is Flavour.CLOUD:
            return "Specified user does not exist or you do not have required permissions"
        return f"The user named '{wanted}' does not exist"

    def _user_search(self, request: Request, params: Mapping[str, str]) -> Response:
        return json_response(200, self._find_users(request, project=None))

    def _assignable_search(self, request: Request, params: Mapping[str, str]) -> Response:
        project = request.param("project")
        key = request.param("issueKey")
        if key:
            project = find_issue(self.site, key).project
        if not project:
            return json_response(400, shapes.errors(["A project or issue key is required."]))
        return json_response(200, self._find_users(request, project=project))

    def _find_users(self, request: Request, project: str | None) -> list[JsonObject]:
        exact = request.param("accountId") or request.param("username")
        text = (request.param("query") or request.param("username")).lower()
        chosen = [
            person
            for person in self.site.users.values()
            if (project is None or project in person.assignable)
            and (
                person.id == exact
                if exact
                else text in f"{person.id} {person.name} {person.email}".lower()
            )
        ]
        return [shapes.user(request.base, self.site, person) for person in chosen]


def _as_latest(version_2: Route) -> Route:
    """The same route under `/rest/api/latest`, which Jira (Cloud and Data Center) serves as
    version 2; the answers' `self` links keep naming version 2, as Jira's do."""
    pattern = version_2.pattern.pattern.replace("^/rest/api/2/", "^/rest/api/latest/", 1)
    return dataclasses.replace(version_2, pattern=re.compile(pattern))

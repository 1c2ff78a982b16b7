"""The Jira REST v2 subset, Cloud or Data Center flavour: routes, auth, search and writes."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import cast

from syncd.sandbox import jira_payloads as shapes
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
from syncd.sandbox.jql import JqlError, compile_jql
from syncd.sandbox.seed import Flavour
from syncd.sandbox.store import Comment, JiraIssue, JiraSite, Store

MAX_RESULTS = 100  # a low cap so that paging shows with a few hundred issues
_REMOVED = (
    "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. "
    "A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"
)


class MissingIssue(Exception):
    """No such issue: 404 like Jira."""


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
        self.routes: tuple[Route, ...] = (
            route(f"{name}.serverInfo", "GET", f"{a}/serverInfo", self._server_info),
            route(f"{name}.myself", "GET", f"{a}/myself", self._myself),
            route(f"{name}.field", "GET", f"{a}/field", self._fields),
            route(f"{name}.configuration", "GET", f"{a}/configuration", self._configuration),
            route(f"{name}.{search_name}", "GET", search_path, self._search),
            route(f"{name}.{search_name}", "POST", search_path, self._search),
            route(f"{name}.{gone_name}", "GET", gone_path, self._gone),
            route(f"{name}.{gone_name}", "POST", gone_path, self._gone),
            route(f"{name}.issue", "GET", f"{a}/issue/{{key}}", self._get_issue),
            route(f"{name}.issue.edit", "PUT", f"{a}/issue/{{key}}", self._edit_issue, write=True),
            route(
                f"{name}.issue.assignee",
                "PUT",
                f"{a}/issue/{{key}}/assignee",
                self._assign,
                write=True,
            ),
            route(f"{name}.issue.comments", "GET", f"{a}/issue/{{key}}/comment", self._comments),
            route(
                f"{name}.issue.comment",
                "POST",
                f"{a}/issue/{{key}}/comment",
                self._comment,
                write=True,
            ),
            route(f"{name}.user", "GET", f"{a}/user", self._user),
            route(f"{name}.user.search", "GET", f"{a}/user/search", self._user_search),
            route(
                f"{name}.user.assignable",
                "GET",
                f"{a}/user/assignable/search",
                self._assignable_search,
            ),
        )

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
        except JqlError as exc:
            return json_response(400, shapes.errors([str(exc)]))
        except BadRequest as exc:
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

    def _issue_of(self, params: Mapping[str, str]) -> JiraIssue:
        found = self.site.issue(params["key"])
        if found is None:
            raise MissingIssue
        return found

    def _base(self, request: Request) -> str:
        return request.base

    # --- site-wide reads ---------------------------------------------------------------------

    def _server_info(self, request: Request, params: Mapping[str, str]) -> Response:
        return json_response(200, shapes.server_info(request.base, self.site, self.store.now()))

    def _myself(self, request: Request, params: Mapping[str, str]) -> Response:
        me = self.site.me
        person = self.site.users.get(me) if me else None
        if person is None:
            return json_response(404, shapes.errors(["The API user is not in the seed."]))
        return json_response(200, shapes.user(request.base, self.site, person))

    def _fields(self, request: Request, params: Mapping[str, str]) -> Response:
        return json_response(200, shapes.fields())

    def _configuration(self, request: Request, params: Mapping[str, str]) -> Response:
        return json_response(200, shapes.configuration())

    def _gone(self, request: Request, params: Mapping[str, str]) -> Response:
        if self.flavour is Flavour.CLOUD:
            return json_response(410, shapes.errors([_REMOVED]))
        return json_response(404, shapes.errors(["null for uri: " + request.path]))

    # --- search --------------------------------------------------------------------------

    def _search(self, request: Request, params: Mapping[str, str]) -> Response:
        args = _search_args(request)
        query = compile_jql(str(args.get("jql") or ""), self.site.zone)
        found = query.sort([i for i in self.site.issues.values() if query.matches(i)])
        size = min(max(_int(args.get("maxResults"), 50), 0), MAX_RESULTS)
        wanted = _wanted_fields(args.get("fields"))
        if self.flavour is Flavour.CLOUD:
            start = _decode_token(args.get("nextPageToken"))
        else:
            start = max(_int(args.get("startAt"), 0), 0)
        page = [
            shapes.issue(request.base, self.site, i, wanted) for i in found[start : start + size]
        ]
        if self.flavour is Flavour.DC:
            body: JsonObject = {
                "expand": "schema,names",
                "startAt": start,
                "maxResults": size,
                "total": len(found),
                "issues": page,
            }
            return json_response(200, body)
        more = start + size < len(found)
        body = {"issues": page, "isLast": not more}
        if more:
            body["nextPageToken"] = base64.urlsafe_b64encode(
                f"offset:{start + size}".encode()
            ).decode()
        return json_response(200, body)

    # --- one issue -----------------------------------------------------------------------

    def _get_issue(self, request: Request, params: Mapping[str, str]) -> Response:
        item = self._issue_of(params)
        wanted = _wanted_fields(request.query.get("fields"))
        return json_response(200, shapes.issue(request.base, self.site, item, wanted))

    def _edit_issue(self, request: Request, params: Mapping[str, str]) -> Response:
        item = self._issue_of(params)
        body = request.json_object()
        fields, update = _mapping(body.get("fields")), _mapping(body.get("update"))
        unknown = sorted(
            (set(fields) | set(update)) - {"labels", "summary", "description", "assignee"}
        )
        if unknown:
            message = (
                f"Field '{unknown[0]}' cannot be set. "
                "It is not on the appropriate screen, or unknown."
            )
            return json_response(400, shapes.errors([], {unknown[0]: message}))
        if "assignee" in fields:
            refusal = self._set_assignee(item, fields["assignee"])
            if refusal:
                return refusal
        if "labels" in fields:
            item.labels = _strings(fields["labels"], "labels")
        for operation in _operations(update.get("labels")):
            _apply_label_operation(item, operation)
        for key in ("summary", "description"):
            if key in fields:
                setattr(item, key, fields[key] if isinstance(fields[key], str) else None)
        item.updated = self.store.now()
        return Response(204)

    def _assign(self, request: Request, params: Mapping[str, str]) -> Response:
        item = self._issue_of(params)
        refusal = self._set_assignee(item, request.json())
        if refusal:
            return refusal
        item.updated = self.store.now()
        return Response(204)

    def _set_assignee(self, item: JiraIssue, payload: object) -> Response | None:
        """Set or clear the assignee; the 400 Jira gives for an unknown or unassignable user."""
        identity_key = "accountId" if self.flavour is Flavour.CLOUD else "name"
        if payload is not None and not isinstance(payload, dict):
            raise BadRequest("the assignee must be an object or null")
        identity = payload.get(identity_key) if payload else None
        if identity is None:
            item.assignee = None
            return None
        person = self.site.users.get(str(identity))
        if person is None:
            message = (
                f"User '{identity}' does not exist."
                if self.flavour is Flavour.DC
                else "Specified user does not exist or you do not have required permissions"
            )
            return json_response(400, shapes.errors([], {"assignee": message}))
        if item.project not in person.assignable:
            message = f"User '{person.name}' cannot be assigned issues."
            return json_response(400, shapes.errors([], {"assignee": message}))
        item.assignee = person.id
        return None

    def _comments(self, request: Request, params: Mapping[str, str]) -> Response:
        item = self._issue_of(params)
        # Paged like real Jira: startAt (from 0) and maxResults (default and cap 100 here).
        start = max(request.int_param("startAt", 0), 0)
        size = min(max(request.int_param("maxResults", MAX_RESULTS), 0), MAX_RESULTS)
        notes = [
            shapes.comment(request.base, self.site, item, note)
            for note in item.comments[start : start + size]
        ]
        total = len(item.comments)
        body = {"startAt": start, "maxResults": size, "total": total, "comments": notes}
        return json_response(200, body)

    def _comment(self, request: Request, params: Mapping[str, str]) -> Response:
        item = self._issue_of(params)
        text = request.json_object().get("body")
        if not isinstance(text, str) or not text.strip():
            return json_response(
                400, shapes.errors([], {"comment": "Comment body can not be empty!"})
            )
        note = Comment(self.store.new_id(), text, self.site.me or "unknown", self.store.now())
        item.comments.append(note)
        item.updated = note.created
        return json_response(201, shapes.comment(request.base, self.site, item, note))

    # --- users ---------------------------------------------------------------------------

    def _user(self, request: Request, params: Mapping[str, str]) -> Response:
        wanted = request.param("accountId") or request.param("username") or request.param("key")
        person = self.site.users.get(wanted)
        if person is None:
            return json_response(404, shapes.errors([f"The user named '{wanted}' does not exist"]))
        return json_response(200, shapes.user(request.base, self.site, person))

    def _user_search(self, request: Request, params: Mapping[str, str]) -> Response:
        return json_response(200, self._find_users(request, project=None))

    def _assignable_search(self, request: Request, params: Mapping[str, str]) -> Response:
        project = request.param("project")
        key = request.param("issueKey")
        if key:
            project = self._issue_of({"key": key}).project
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


def _search_args(request: Request) -> dict[str, object]:
    if request.method == "POST":
        return request.json_object()
    args: dict[str, object] = {name: values[0] for name, values in request.query.items()}
    args["fields"] = request.query.get("fields")
    return args


def _int(value: object, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        return int(str(value))
    except ValueError:
        raise BadRequest(f"'{value}' is not a valid number") from None


def _decode_token(token: object) -> int:
    if not token:
        return 0
    try:
        text = base64.urlsafe_b64decode(str(token).encode()).decode()
        return max(int(text.removeprefix("offset:")), 0)
    except (ValueError, binascii.Error):
        raise BadRequest("The provided next page token is invalid or expired.") from None


def _wanted_fields(raw: object) -> set[str] | None:
    """Field ids from a `fields` parameter (list or comma-separated); None means all of them."""
    if raw is None:
        return None
    items = raw if isinstance(raw, list) else [raw]
    names = {name.strip() for item in items for name in str(item).split(",") if name.strip()}
    if not names or names & {"*all", "*navigable"}:
        return None
    return {shapes.STORY_POINTS if name == "Story Points" else name for name in names}


def _mapping(value: object) -> dict[str, object]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadRequest("fields and update must be objects")
    return cast(dict[str, object], value)


def _strings(value: object, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise BadRequest(f"{what} must be an array of strings")
    return [str(item) for item in value]


def _operations(value: object) -> list[dict[str, object]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise BadRequest("update.labels must be an array of operations")
    return [cast(dict[str, object], item) for item in value]


def _apply_label_operation(item: JiraIssue, operation: dict[str, object]) -> None:
    for verb, value in operation.items():
        if verb == "add" and isinstance(value, str):
            if value not in item.labels:
                item.labels.append(value)
        elif verb == "remove" and isinstance(value, str):
            item.labels = [label for label in item.labels if label != value]
        elif verb == "set":
            item.labels = _strings(value, "labels")
        else:
            raise BadRequest(f"unsupported label operation {verb!r}")

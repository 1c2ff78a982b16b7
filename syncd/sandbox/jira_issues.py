"""Jira issue routes: read and edit one issue, assign it, list and add its comments."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from syncd.sandbox import jira_payloads as shapes
from syncd.sandbox.comment import Comment
from syncd.sandbox.exchange import BadRequest, Request, Response, Route, json_response, route
from syncd.sandbox.jira_search import MAX_RESULTS, wanted_fields
from syncd.sandbox.jira_state import JiraIssue, JiraSite, find_issue
from syncd.sandbox.seed import Flavour
from syncd.sandbox.store import Store

_EDITABLE = frozenset({"labels", "summary", "description", "assignee"})


class IssueRoutes:
    """The single-issue endpoints of one Jira site, served from a Store."""

    def __init__(self, store: Store, flavour: Flavour) -> None:
        self.store, self.flavour = store, flavour
        name, i = f"jira.{flavour.value}", "/rest/api/2/issue/{key}"
        self.routes: tuple[Route, ...] = (
            route(f"{name}.issue", "GET", i, self._get),
            route(f"{name}.issue.edit", "PUT", i, self._edit, write=True),
            route(f"{name}.issue.assignee", "PUT", f"{i}/assignee", self._assign, write=True),
            route(f"{name}.issue.comments", "GET", f"{i}/comment", self._comments),
            route(f"{name}.issue.comment", "POST", f"{i}/comment", self._comment, write=True),
            route(
                f"{name}.issue.comment.edit",
                "PUT",
                f"{i}/comment/{{comment_id}}",
                self._edit_comment,
                write=True,
            ),
            route(
                f"{name}.issue.comment.delete",
                "DELETE",
                f"{i}/comment/{{comment_id}}",
                self._delete_comment,
                write=True,
            ),
        )

    @property
    def site(self) -> JiraSite:
        """This Jira site."""
        return self.store.jira[self.flavour]

    def _get(self, request: Request, params: Mapping[str, str]) -> Response:
        item = find_issue(self.site, params["key"])
        wanted = wanted_fields(request.query.get("fields"))
        return json_response(200, shapes.issue(request.base, self.site, item, wanted))

    def _edit(self, request: Request, params: Mapping[str, str]) -> Response:
        item = find_issue(self.site, params["key"])
        body = request.json_object()
        fields, update = _mapping(body.get("fields")), _mapping(body.get("update"))
        unknown = sorted((set(fields) | set(update)) - _EDITABLE)
        if unknown:
            message = (
                f"Field '{unknown[0]}' cannot be set. "
                "It is not on the appropriate screen, or unknown."
            )
            return json_response(400, shapes.errors([], {unknown[0]: message}))
        spaced = _spaced_label(fields, update)
        if spaced is not None:
            return json_response(400, shapes.errors([], {"labels": self._spaced(spaced)}))
        if "assignee" in fields:
            refusal = self._set_assignee(item, fields["assignee"])
            if refusal:
                return refusal
        _edit_fields(item, fields, update)
        item.updated = self.store.now()
        return Response(204)

    def _spaced(self, label: str) -> str:
        """Jira's refusal of a label with a space, in each flavour's words."""
        if self.flavour is Flavour.CLOUD:
            return f"The label '{label}' can't contain spaces."
        return f"The label '{label}' contains spaces which is invalid."

    def _assign(self, request: Request, params: Mapping[str, str]) -> Response:
        item = find_issue(self.site, params["key"])
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
        item = find_issue(self.site, params["key"])
        # Paged like real Jira: startAt (from 0) and maxResults (default and cap 100 here).
        start = max(request.int_param("startAt", 0), 0)
        size = min(max(request.int_param("maxResults", MAX_RESULTS), 0), MAX_RESULTS)
        order = request.param("orderBy", "created")
        if order not in {"created", "+created", "-created"}:
            raise BadRequest(f"orderBy must be created, +created or -created, not {order!r}")
        ordered = sorted(
            item.comments, key=lambda note: (note.created, note.id), reverse=order == "-created"
        )
        expand = request.param("expand").split(",")
        rendered, properties = "renderedBody" in expand, "properties" in expand
        notes = [
            shapes.comment(
                request.base, self.site, item, note, rendered=rendered, properties=properties
            )
            for note in ordered[start : start + size]
        ]
        total = len(item.comments)
        body = {"startAt": start, "maxResults": size, "total": total, "comments": notes}
        return json_response(200, body)

    def _comment(self, request: Request, params: Mapping[str, str]) -> Response:
        item = find_issue(self.site, params["key"])
        body = request.json_object()
        text = body.get("body")
        if not isinstance(text, str) or not text.strip():
            return json_response(
                400, shapes.errors([], {"comment": "Comment body can not be empty!"})
            )
        note = Comment(self.store.new_id(), text, self.site.me or "unknown", self.store.now())
        note.properties = _properties(body.get("properties"))
        item.comments.append(note)
        item.updated = note.created
        return json_response(201, shapes.comment(request.base, self.site, item, note))

    def _edit_comment(self, request: Request, params: Mapping[str, str]) -> Response:
        """200 with the comment: a new body, and properties set (others kept) when given."""
        item = find_issue(self.site, params["key"])
        note = next((n for n in item.comments if str(n.id) == params["comment_id"]), None)
        if note is None:
            message = f"Can not find a comment for the id: {params['comment_id']}."
            return json_response(404, shapes.errors([message]))
        body = request.json_object()
        text = body.get("body")
        if not isinstance(text, str) or not text.strip():
            return json_response(
                400, shapes.errors([], {"comment": "Comment body can not be empty!"})
            )
        note.body = text
        note.properties |= _properties(body.get("properties"))
        item.updated = self.store.now()
        return json_response(200, shapes.comment(request.base, self.site, item, note))

    def _delete_comment(self, request: Request, params: Mapping[str, str]) -> Response:
        """204 with no body, like Jira; 404 for a comment the issue does not hold."""
        item = find_issue(self.site, params["key"])
        wanted = params["comment_id"]
        for note in item.comments:
            if str(note.id) == wanted:
                item.comments.remove(note)
                return Response(204)
        message = f"Can not find a comment for the id: {wanted}."
        return json_response(404, shapes.errors([message]))


def _edit_fields(
    item: JiraIssue, fields: Mapping[str, object], update: Mapping[str, object]
) -> None:
    """Apply `fields` (replace) and `update` (label operations) other than the assignee."""
    if "labels" in fields:
        item.labels = _strings(fields["labels"], "labels")
    for operation in _operations(update.get("labels")):
        _apply_label_operation(item, operation)
    for key in ("summary", "description"):
        if key in fields:
            setattr(item, key, fields[key] if isinstance(fields[key], str) else None)


def _spaced_label(fields: Mapping[str, object], update: Mapping[str, object]) -> str | None:
    """The first label this edit would write that holds whitespace, which Jira refuses."""
    written = fields.get("labels")
    candidates = list(written) if isinstance(written, list) else []
    for operation in _operations(update.get("labels")):
        for verb, value in operation.items():
            if verb != "remove":
                candidates += value if isinstance(value, list) else [value]
    spaced = (c for c in candidates if isinstance(c, str) and any(ch.isspace() for ch in c))
    return next(spaced, None)


def _properties(value: object) -> dict[str, object]:
    """A comment's `properties` list (`[{"key": ..., "value": ...}]`) by key; 400 if malformed."""
    if value is None:
        return {}
    if not isinstance(value, list) or not all(
        isinstance(p, dict) and isinstance(p.get("key"), str) and "value" in p for p in value
    ):
        raise BadRequest("properties must be an array of objects with a key and a value")
    return {str(p["key"]): p["value"] for p in value}


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

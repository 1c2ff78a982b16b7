"""GitHub label routes: an issue's labels (list, add, replace, remove) and a repository's."""

from __future__ import annotations

from collections.abc import Mapping

from syncd.sandbox import github_payloads as shapes
from syncd.sandbox.exchange import BadRequest, Request, Response, Route, json_response, route
from syncd.sandbox.github_pages import paged
from syncd.sandbox.github_state import GitHubIssue, NotFoundHere, Repo, find_issue, find_repo
from syncd.sandbox.store import Store

_REMOVE_LABEL_DOCS = "https://docs.github.com/rest/issues/labels#remove-a-label-from-an-issue"


class LabelRoutes:
    """The label endpoints of one GitHub, served from a Store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        r = "/repos/{owner}/{repo}"
        i = f"{r}/issues/{{number}}"
        self.routes: tuple[Route, ...] = (
            route("github.issue.labels.list", "GET", f"{i}/labels", self._issue_labels),
            route("github.issue.labels.add", "POST", f"{i}/labels", self._add, write=True),
            route("github.issue.labels.set", "PUT", f"{i}/labels", self._set, write=True),
            route(
                "github.issue.labels.remove",
                "DELETE",
                f"{i}/labels/{{name+}}",
                self._remove,
                write=True,
            ),
            route("github.labels.list", "GET", f"{r}/labels", self._list),
            route("github.labels.list", "GET", "/repositories/{repo_id}/labels", self._list),
            route("github.labels.create", "POST", f"{r}/labels", self._create, write=True),
            route("github.label", "GET", f"{r}/labels/{{name+}}", self._get),
        )

    def _issue_labels(self, request: Request, params: Mapping[str, str]) -> Response:
        repo, item = find_issue(self.store.github, params)
        return self._answer(request, repo, item)

    def _answer(self, request: Request, repo: Repo, item: GitHubIssue) -> Response:
        labels = [
            shapes.label(request.base, repo, self.store.ensure_label(repo, n)) for n in item.labels
        ]
        return json_response(200, labels)

    def _add(self, request: Request, params: Mapping[str, str]) -> Response:
        repo, item = find_issue(self.store.github, params)
        present = {name.lower() for name in item.labels}
        for name in label_names(request.json()):
            if name.lower() not in present:
                item.labels.append(self.store.ensure_label(repo, name).name)
                present.add(name.lower())
        item.updated = self.store.now()
        return self._answer(request, repo, item)

    def _set(self, request: Request, params: Mapping[str, str]) -> Response:
        repo, item = find_issue(self.store.github, params)
        item.labels = [self.store.ensure_label(repo, n).name for n in label_names(request.json())]
        item.updated = self.store.now()
        return self._answer(request, repo, item)

    def _remove(self, request: Request, params: Mapping[str, str]) -> Response:
        repo, item = find_issue(self.store.github, params)
        name = params["name"].lower()
        if name not in {label.lower() for label in item.labels}:
            return json_response(404, shapes.error("Label does not exist", 404, _REMOVE_LABEL_DOCS))
        item.labels = [label for label in item.labels if label.lower() != name]
        item.updated = self.store.now()
        return self._answer(request, repo, item)

    def _list(self, request: Request, params: Mapping[str, str]) -> Response:
        repo = find_repo(self.store.github, params)
        labels = sorted(repo.labels.values(), key=lambda label: label.name.lower())
        return paged(
            request,
            labels,
            lambda label: shapes.label(request.base, repo, label),
            f"/repositories/{repo.id}/labels",
        )

    def _get(self, request: Request, params: Mapping[str, str]) -> Response:
        repo = find_repo(self.store.github, params)
        found = repo.labels.get(params["name"].lower())
        if found is None:
            raise NotFoundHere
        return json_response(200, shapes.label(request.base, repo, found))

    def _create(self, request: Request, params: Mapping[str, str]) -> Response:
        repo = find_repo(self.store.github, params)
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


def label_names(payload: object) -> list[str]:
    """Label names from a bare array, `{"labels": [...]}`, or label objects with `name`."""
    if isinstance(payload, dict):
        payload = payload.get("labels")
    if not isinstance(payload, list):
        raise BadRequest("labels must be an array")
    names = [item.get("name") if isinstance(item, dict) else item for item in payload]
    if not all(isinstance(name, str) and name for name in names):
        raise BadRequest("every label must be a non-empty string")
    return [str(name) for name in names]

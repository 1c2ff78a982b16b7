"""Jira search: Cloud `search/jql` with `nextPageToken`, Data Center `search` with `startAt`."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping

from syncd.sandbox import jira_payloads as shapes
from syncd.sandbox.exchange import BadRequest, JsonObject, Request, Response, json_response
from syncd.sandbox.jira_state import JiraSite
from syncd.sandbox.jql import compile_jql
from syncd.sandbox.seed import Flavour

MAX_RESULTS = 100  # a low cap so that paging shows with a few hundred issues


def search(request: Request, site: JiraSite) -> Response:
    """One page of the issues matching the request's JQL, in the site flavour's paging."""
    args = _search_args(request)
    query = compile_jql(str(args.get("jql") or ""), site.zone, keys=site.issues)
    found = query.sort([i for i in site.issues.values() if query.matches(i)])
    size = min(max(_int(args.get("maxResults"), 50), 0), MAX_RESULTS)
    wanted = wanted_fields(args.get("fields"))
    if site.flavour is Flavour.CLOUD:
        start = _decode_token(args.get("nextPageToken"))
    else:
        start = max(_int(args.get("startAt"), 0), 0)
    page = [shapes.issue(request.base, site, i, wanted) for i in found[start : start + size]]
    if site.flavour is Flavour.DC:
        return json_response(200, _offset_page(page, start, size, len(found)))
    return json_response(200, _token_page(page, start + size, len(found)))


def _offset_page(page: list[JsonObject], start: int, size: int, total: int) -> JsonObject:
    """Data Center's page: `startAt`, `maxResults` and `total`."""
    return {
        "expand": "schema,names",
        "startAt": start,
        "maxResults": size,
        "total": total,
        "issues": page,
    }


def _token_page(page: list[JsonObject], end: int, total: int) -> JsonObject:
    """Cloud's page: `isLast`, and a `nextPageToken` when more follow."""
    body: JsonObject = {"issues": page, "isLast": end >= total}
    if end < total:
        body["nextPageToken"] = base64.urlsafe_b64encode(f"offset:{end}".encode()).decode()
    return body


def _search_args(request: Request) -> Mapping[str, object]:
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


def wanted_fields(raw: object) -> set[str] | None:
    """Field ids from a `fields` parameter (list or comma-separated); None means all of them."""
    if raw is None:
        return None
    items = raw if isinstance(raw, list) else [raw]
    names = {name.strip() for item in items for name in str(item).split(",") if name.strip()}
    if not names or names & {"*all", "*navigable"}:
        return None
    return {shapes.STORY_POINTS if name == "Story Points" else name for name in names}

"""Paging through a JQL search: `search/jql` tokens on Cloud, `startAt` on Server/Data Center."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from syncd.adapters.jira.rest import Query
from syncd.adapters.jira.site import Site, json_list, json_object
from syncd.errors import TrackerUnavailable
from syncd.service_layer.tracker import StopRequested, check_stop, never

PAGE = 100
MAX_PAGES = 10_000  # a million issues; beyond that the answer is not trustworthy
# Only what syncd reads (plus status, for logs and the sandbox); never `*all`. Not `comment`:
# it carries every comment body of every issue on every search, to save one GET per comment
# syncd posts (at most once per flagged issue).
BASE_FIELDS = (
    *("summary", "description", "labels", "assignee", "priority", "votes", "issuetype"),
    *("components", "created", "updated", "project", "status"),
)


def pages(
    site: Site, jql: str, where: str, stop_requested: StopRequested = never
) -> Iterator[list[object]]:
    """The issue lists of every page of `jql`; raises TrackerUnavailable on a looping server.

    A page made only of issues already seen means the server ignores the paging (or lies
    about its end): syncd stops with an error instead of reading it forever or calling a
    partial list complete. Raises FetchStopped instead of a request once a stop was asked for.
    """
    fields = [*BASE_FIELDS, site.estimate_field]
    found = (
        _cloud_pages(site, jql, fields, where, stop_requested)
        if site.deployment == "cloud"
        else _server_pages(site, jql, fields, where, stop_requested)
    )
    seen: set[str] = set()
    for issues in found:
        keys = {key for key in map(_key, issues) if key is not None}
        if keys and keys <= seen:
            raise TrackerUnavailable(f"{where}: Jira sent a page of issues it had already sent")
        seen |= keys
        yield issues


def _cloud_pages(
    site: Site, jql: str, fields: list[str], where: str, stop_requested: StopRequested
) -> Iterator[list[object]]:
    token: str | None = None
    tokens: set[str] = set()
    for _ in range(MAX_PAGES):
        check_stop(stop_requested, where)
        query = {"jql": jql, "nextPageToken": token, "maxResults": PAGE, "fields": ",".join(fields)}
        answer = site.client.get("search/jql", query)
        page = json_object(answer, "search/jql")
        yield json_list(page.get("issues"), "search/jql")
        following = page.get("nextPageToken")
        if page.get("isLast") is True or not isinstance(following, str) or not following:
            return
        if following in tokens:
            raise TrackerUnavailable(f"{where}: search/jql repeats a page token")
        tokens.add(following)
        token = following


def _server_pages(
    site: Site, jql: str, fields: list[str], where: str, stop_requested: StopRequested
) -> Iterator[list[object]]:
    start = 0
    for _ in range(MAX_PAGES):
        check_stop(stop_requested, where)
        query: Query = {"jql": jql, "startAt": start, "maxResults": PAGE, "validateQuery": "true"}
        answer = site.client.get("search", {**query, "fields": ",".join(fields)})
        page = json_object(answer, "search")
        issues = json_list(page.get("issues"), "search")
        yield issues
        start += len(issues)
        if last_offset_page(page, len(issues), start):
            return


def last_offset_page(page: Mapping[str, object], count: int, start: int) -> bool:
    """Whether a `startAt` page (search or comments) is the last: empty, at `total`, or short.

    Short means fewer items than the page size the server applied: Jira reports the
    `maxResults` it used (a site may cap it below what syncd asked for).
    """
    total = page.get("total")
    size = page.get("maxResults")
    applied = size if isinstance(size, int) and not isinstance(size, bool) and size > 0 else PAGE
    if count == 0 or count < min(applied, PAGE):
        return True
    return not isinstance(total, int) or start >= total


def _key(raw: object) -> str | None:
    key = raw.get("key") if isinstance(raw, Mapping) else None
    return key if isinstance(key, str) else None

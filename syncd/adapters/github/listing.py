"""Listing one repository's open escalations: a conditional first page, then `Link` pages."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from syncd.adapters.github.mapping import updated_at
from syncd.adapters.github.transport import NOT_MODIFIED, Answer, Transport
from syncd.errors import TrackerUnavailable
from syncd.service_layer.tracker import EtagStore, StopRequested, check_stop, never

# A Link header: comma-separated `<url>; param=value; ...` entries (RFC 8288).
_LINK = re.compile(r"<([^<>]*)>\s*((?:;[^;,<>]*)*)")
_REL = re.compile(r'\brel\s*=\s*"?([^";,]*)"?', re.IGNORECASE)
_MENTIONS_NEXT = re.compile(r'\brel\s*=\s*"?[^",;]*\bnext\b', re.IGNORECASE)
# A safety stop for a server whose `Link` pages never end (100 issues a page: a million issues).
MAX_PAGES = 10_000


@dataclass(frozen=True)
class RepoListing:
    """The raw issue objects listed for one repository; `unchanged` when it answered 304."""

    items: tuple[Mapping[str, object], ...]
    unchanged: bool
    oddities: tuple[str, ...] = ()  # list entries that are not JSON objects, for the log
    etag: tuple[str, str] | None = None  # (ETag key, ETag) of the 200 answer, to keep once applied


@dataclass(frozen=True)
class ListQuery:
    """What to list: open issues with all `labels`, most recently updated first."""

    base_url: str
    repo: str
    labels: tuple[str, ...]

    @property
    def path(self) -> str:
        """The first page's path; constant, so that its ETag can be reused between cycles."""
        return f"/repos/{urllib.parse.quote(self.repo, safe='/')}/issues"

    @property
    def params(self) -> dict[str, str]:
        """Query parameters of the first page (never `since`: it would change every cycle)."""
        return {
            "state": "open",
            "labels": ",".join(self.labels),
            "sort": "updated",
            "direction": "desc",
            "per_page": "100",
        }

    @property
    def etag_key(self) -> str:
        """The key of this list's ETag in the store: the full first-page URL."""
        query = urllib.parse.urlencode(sorted(self.params.items()))
        return f"{self.base_url.rstrip('/')}{self.path}?{query}"


def list_repo(
    transport: Transport,
    query: ListQuery,
    etags: EtagStore,
    since: datetime | None,
    stop_requested: StopRequested = never,
) -> RepoListing:
    """Items of `query` updated at or after `since`; every page when `since` is None.

    Raises FetchStopped, before any request, once `stop_requested` says so.
    """
    doing = f"listing issues of {query.repo}"
    check_stop(stop_requested, doing)
    # a full reconciliation never sends If-None-Match: a 304 must not hide the list
    etag = etags.etag(query.etag_key) if since is not None else None
    answer = transport.get(query.path, doing, params=query.params, etag=etag)
    if answer.status == NOT_MODIFIED:
        return RepoListing((), unchanged=True)
    new_etag = answer.headers.get("etag")
    validator = (query.etag_key, new_etag) if isinstance(new_etag, str) and new_etag else None
    items: list[Mapping[str, object]] = []
    oddities: list[str] = []
    for page in follow(transport, answer, query.base_url, doing, stop_requested):
        if not _take_page(page.data, since, items, oddities, doing):
            break
    return RepoListing(tuple(items), unchanged=False, oddities=tuple(oddities), etag=validator)


def follow(
    transport: Transport,
    first: Answer,
    base_url: str,
    doing: str,
    stop_requested: StopRequested = never,
) -> Iterator[Answer]:
    """`first`, then each page its `Link` header names next, until none or one already read.

    Raises FetchStopped instead of requesting a next page once `stop_requested` says so.
    """
    answer, seen = first, set()
    for _page in range(MAX_PAGES):
        yield answer
        following = next_url(answer.headers.get("link"), base_url, doing)
        if following is None or following in seen:
            return
        seen.add(following)
        check_stop(stop_requested, doing)
        answer = transport.get(following, doing)


def _take_page(
    data: object,
    since: datetime | None,
    items: list[Mapping[str, object]],
    oddities: list[str],
    doing: str,
) -> bool:
    """Append the page's items newer than `since`; False once an older one shows up."""
    if not isinstance(data, Sequence) or isinstance(data, str | bytes):
        raise TrackerUnavailable(f"GitHub {doing}: expected a JSON list, got {_kind(data)}")
    more = True
    for raw in data:
        if not isinstance(raw, Mapping):
            oddities.append(f"list entry is not a JSON object but {_kind(raw)}")
            continue
        updated = updated_at(raw)
        if since is not None and updated is not None and updated < since:
            more = False  # sorted by updated desc: everything after this is older still
            continue
        items.append(raw)
    return more


def next_url(link: object, base_url: str, doing: str) -> str | None:
    """The `rel="next"` URL of a `Link` header (RFC 8288); None on the last page.

    It must point at the configured server (scheme, host, port and API prefix): the token goes
    with every request. A header that names a next page syncd cannot read is an error, never a
    silent last page: a full reconciliation would take a partial list for all open issues.
    """
    if not isinstance(link, str):
        return None
    for target, params in _LINK.findall(link):
        rel = _REL.search(params)
        if rel is not None and "next" in rel.group(1).casefold().split():
            return _on_server(target, base_url, doing)
    if _MENTIONS_NEXT.search(_LINK.sub("", link)):
        raise TrackerUnavailable(f"GitHub {doing}: a next page in the Link header without a <URL>")
    return None


def _on_server(url: str, base_url: str, doing: str) -> str:
    target = urllib.parse.urlsplit(url)
    base = urllib.parse.urlsplit(base_url)
    try:
        same = (
            target.scheme == base.scheme
            and target.hostname == base.hostname
            and _port(target) == _port(base)
            and target.path.startswith(base.path.rstrip("/") + "/")
        )
    except ValueError:  # a port that is not a number
        same = False
    if not same:
        shown = f"{target.scheme}://{target.hostname}"[:100]
        raise TrackerUnavailable(f"GitHub {doing}: next page not on {base_url} ({shown})")
    return url


def _port(url: urllib.parse.SplitResult) -> int | None:
    return url.port or {"https": 443, "http": 80}.get(url.scheme)


def _kind(value: object) -> str:
    return "null" if value is None else type(value).__name__

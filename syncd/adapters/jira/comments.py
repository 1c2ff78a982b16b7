"""syncd's flag comment on a Jira issue: posted once, and the copies of a race deleted."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from urllib.parse import quote

import structlog

from syncd.adapters.jira.mapping import rich_text
from syncd.adapters.jira.rest import Query
from syncd.adapters.jira.search import MAX_PAGES, PAGE, last_offset_page
from syncd.adapters.jira.site import AdapterStats, Site, json_list, json_object
from syncd.adapters.jira.translate import translated
from syncd.domain.comment_copies import MarkedComment, surplus
from syncd.errors import NotFound, TrackerUnavailable

log = structlog.get_logger(__name__)

# The comment property (Cloud and Data Center REST v2) that carries the marker: Jira's wiki
# markup has no hidden text, and a visible marker only puzzles the issue's readers.
PROPERTY = "syncd"


class FlagComments:
    """Reads, posts and deduplicates the marked comment on the issues of one Jira site."""

    def __init__(self, tracker: str, clock: Callable[[], datetime], stats: AdapterStats) -> None:
        self._tracker = tracker
        self._clock = clock
        self._stats = stats
        self._me: str | None = None  # the API user's accountId or name, read once when needed

    def post(self, site: Site, key: str, body: str, marker: str) -> bool:
        """Post `body` marked by a comment property, unless a comment is marked already.

        A comment is marked by the property or, as syncd wrote them before, by `marker` as
        visible text. A site that drops the property gets the marker appended to the posted
        comment, so that the next run still finds it. Another syncd may post between the read
        and the post: so the comments are read again after it, and syncd's own copies but the
        earliest are deleted (as they are whenever the first read finds more than one). True
        when this call posted.
        """
        path = f"issue/{quote(key, safe='')}/comment"
        marked = self._marked(site, key, path, marker)
        posted = not marked
        if posted:
            text = body.rstrip().removesuffix(marker).rstrip() or body
            payload = {"body": text, "properties": [marked_by(marker)]}
            with translated(self._where(f"comment on {key}"), self._clock):
                answer = _send(site, "POST", path, payload)
            self._stats.writes += 1
            marked = self._marked(site, key, path, marker, posted=_comment_id(answer), text=text)
        if len(marked) > 1:
            self._delete_copies(site, key, path, marked)
        return posted

    def _where(self, action: str) -> str:
        return f"jira tracker {self._tracker!r}: {action}"

    def _marked(
        self,
        site: Site,
        key: str,
        path: str,
        marker: str,
        *,
        posted: str | None = None,
        text: str = "",
    ) -> list[MarkedComment]:
        """The marked comments; the one just `posted` (its id) is marked visibly if need be."""
        with translated(self._where(f"read comments of {key}"), self._clock):
            comments = list(_comments(site, path))
        marked = []
        for comment in comments:
            if not _carries(comment, marker):
                if posted is None or comment.get("id") != posted:
                    continue
                self._mark_visibly(site, key, f"{path}/{posted}", f"{text}\n\n{marker}")
            marked.append(_marked_comment(comment, site.identity_key))
        return marked

    def _mark_visibly(self, site: Site, key: str, path: str, text: str) -> None:
        """The site dropped the property (no comment properties there): show the marker."""
        log.warning("comment property dropped, marker shown", tracker=self._tracker, issue=key)
        with translated(self._where(f"mark comment on {key}"), self._clock):
            _send(site, "PUT", path, {"body": text})
        self._stats.writes += 1

    def _delete_copies(self, site: Site, key: str, path: str, marked: list[MarkedComment]) -> None:
        for copy in surplus(marked, self._own_identity(site)):
            try:
                with translated(self._where(f"delete duplicate comment on {key}"), self._clock):
                    _send(site, "DELETE", f"{path}/{copy.id}", None)
            except NotFound:
                continue  # the other instance, applying the same rule, deleted it first
            self._stats.writes += 1
            log.warning(
                "duplicate comment deleted", tracker=self._tracker, issue=key, comment=copy.id
            )

    def _own_identity(self, site: Site) -> str:
        if self._me is None:
            with translated(self._where("read myself"), self._clock):
                me = json_object(site.client.get("myself"), "myself").get(site.identity_key)
            if not isinstance(me, str) or not me:
                raise TrackerUnavailable(self._where(f"myself has no {site.identity_key}"))
            self._me = me
        return self._me


def _comments(site: Site, path: str) -> Iterator[Mapping[str, object]]:
    start = 0
    for _ in range(MAX_PAGES):
        query: Query = {"startAt": start, "maxResults": PAGE, "expand": "properties"}
        answer = site.client.get(path, query)
        page = json_object(answer, "comments")
        comments = json_list(page.get("comments"), "comments")
        yield from (json_object(comment, "comment") for comment in comments)
        start += len(comments)
        if last_offset_page(page, len(comments), start):
            return


def marked_by(marker: str) -> dict[str, object]:
    """The comment property that marks syncd's comment, out of sight of the issue's readers."""
    return {"key": PROPERTY, "value": {"marker": marker}}


def _carries(comment: Mapping[str, object], marker: str) -> bool:
    """Whether `comment` is marked: by syncd's property, or by the marker as visible text."""
    listed = comment.get("properties")
    values = [
        prop.get("value")
        for prop in (listed if isinstance(listed, list) else [])
        if isinstance(prop, Mapping) and prop.get("key") == PROPERTY
    ]
    if any(isinstance(value, Mapping) and value.get("marker") == marker for value in values):
        return True
    return marker in rich_text(comment.get("body"))


def _comment_id(answer: object) -> str | None:
    found = answer.get("id") if isinstance(answer, Mapping) else None
    return found if isinstance(found, str) else None


def _marked_comment(comment: Mapping[str, object], identity_key: str) -> MarkedComment:
    """A marked comment's id and author; one syncd cannot read is nobody's (never deleted)."""
    raw_id, author = comment.get("id"), comment.get("author")
    who = author.get(identity_key) if isinstance(author, Mapping) else None
    if not isinstance(raw_id, str) or not raw_id.isdigit() or not isinstance(who, str):
        return MarkedComment(-1, "")
    return MarkedComment(int(raw_id), who)


def _send(site: Site, method: str, path: str, body: object) -> object:
    """The JSON of Jira's answer; None when it sent no body (204)."""
    return site.client.send(method, path, body)

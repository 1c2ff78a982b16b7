"""syncd's flag comment on a GitHub issue: posted once, and the copies of a race deleted."""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Mapping

import structlog

from syncd.adapters.github.listing import follow
from syncd.adapters.github.mapping import IssueRef
from syncd.adapters.github.transport import Transport
from syncd.domain.comment_copies import MarkedComment, surplus
from syncd.errors import NotFound, TrackerUnavailable

log = structlog.get_logger(__name__)


class FlagComments:
    """Reads, posts and deduplicates the marked comment on the issues of one GitHub tracker."""

    def __init__(
        self,
        http: Transport,
        base_url: str,
        tracker: str,
        own_login: Callable[[], str] | None = None,
    ) -> None:
        self._http = http
        self._base_url = base_url
        self._tracker = tracker
        self._login: str | None = None  # the token's own login, read once when first needed
        # A GitHub App cannot call GET /user: its comments are by `<slug>[bot]`, read from /app.
        self._app_login = own_login

    def post(self, ref: IssueRef, key: str, body: str, marker: str) -> bool:
        """Post `body` with `marker` hidden in it, unless a comment already has the marker.

        The comments are read right before the post, whatever the listing's `comments`
        count said. Another syncd may still post in between: so they are read again after
        the post, and syncd's own copies but the earliest are deleted (as they are whenever
        the first read finds more than one). True when this call posted.
        """
        hidden = _hidden(marker)
        marked = self._marked(ref, key, (hidden, marker))
        posted = not marked
        if posted:
            text = f"{body.rstrip()}\n\n{hidden}\n"
            self._http.write(
                "POST", f"{_issue_path(ref)}/comments", f"commenting on {key}", {"body": text}
            )
            marked = self._marked(ref, key, (hidden, marker))
        if len(marked) > 1:
            self._delete_copies(ref, key, marked)
        return posted

    def _marked(self, ref: IssueRef, key: str, needles: tuple[str, ...]) -> list[MarkedComment]:
        doing = f"reading comments of {key}"
        first = self._http.get(f"{_issue_path(ref)}/comments", doing, params={"per_page": "100"})
        found: list[MarkedComment] = []
        for answer in follow(self._http, first, self._base_url, doing):
            for item in answer.data if isinstance(answer.data, list) else ():
                text = item.get("body") if isinstance(item, Mapping) else None
                if isinstance(text, str) and any(needle in text for needle in needles):
                    found.append(_marked_comment(item))
        return found

    def _delete_copies(self, ref: IssueRef, key: str, marked: list[MarkedComment]) -> None:
        for copy in surplus(marked, self._own_login()):
            repo = urllib.parse.quote(ref.repo, safe="/")
            url = f"/repos/{repo}/issues/comments/{copy.id}"
            try:
                self._http.write("DELETE", url, f"deleting duplicate comment on {key}", None)
            except NotFound:
                continue  # the other instance, applying the same rule, deleted it first
            log.warning(
                "duplicate comment deleted", tracker=self._tracker, issue=key, comment=copy.id
            )

    def _own_login(self) -> str:
        if self._app_login is not None:
            return self._app_login()
        if self._login is None:
            data = self._http.get("/user", "reading the token's login").data
            login = data.get("login") if isinstance(data, Mapping) else None
            if not isinstance(login, str) or not login:
                raise TrackerUnavailable("GitHub's /user answer has no login")
            self._login = login
        return self._login


def _marked_comment(item: Mapping[str, object]) -> MarkedComment:
    """A marked comment's id and author; one syncd cannot read is nobody's (never deleted)."""
    raw_id, user = item.get("id"), item.get("user")
    login = user.get("login") if isinstance(user, Mapping) else None
    number = raw_id if isinstance(raw_id, int) and not isinstance(raw_id, bool) else -1
    return MarkedComment(number, login if isinstance(login, str) and number >= 0 else "")


def _issue_path(ref: IssueRef) -> str:
    return f"/repos/{urllib.parse.quote(ref.repo, safe='/')}/issues/{ref.number}"


def _hidden(marker: str) -> str:
    """The marker as an HTML comment, invisible in GitHub's rendering of the comment."""
    stripped = marker.strip()
    if stripped.startswith("<!--"):
        return stripped
    return f"<!-- {stripped.replace('--', '- -')} -->"

"""Reading one Jira issue by its key, for a webhook's hint: one search of the JQL and that key."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from jira.exceptions import JIRAError

from syncd.adapters.jira.query import strip_order_by
from syncd.adapters.jira.search import pages
from syncd.adapters.jira.site import Site
from syncd.adapters.jira.translate import jira_problems, translated
from syncd.errors import QueryRejected, TrackerError

# A Jira issue key as sites make them (project keys are upper case); the only text from a
# delivery that ever reaches a JQL query, so nothing else may pass.
_KEY = re.compile(r"[A-Z][A-Z0-9_]*-[1-9][0-9]*")


def valid_key(key: object) -> bool:
    """Whether `key` is a Jira issue key (`SUP-12`), safe to write into JQL as it is."""
    return isinstance(key, str) and _KEY.fullmatch(key) is not None


def key_jql(jql: str, key: str) -> str:
    """The tracker's JQL narrowed to the issue `key`: `(<jql>) AND key = "<key>"`."""
    base = strip_order_by(jql)
    clause = f'key = "{key}"'
    return f"({base}) AND {clause}" if base else clause


def search_key(
    site: Site, jql: str, key: str, where: str, clock: Callable[[], datetime]
) -> list[object]:
    """The raw issues one search of `jql` narrowed to `key` finds: one request, the listing's
    search path and fields; [] when Jira answers that no issue has that key.

    `key` must be a `valid_key`.
    """
    query = key_jql(jql, key)

    def jql_rejected(problems: str) -> TrackerError:
        return QueryRejected(f"{where}: Jira rejected the JQL {query!r}: {problems}")

    with translated(where, clock, bad_request=jql_rejected):
        try:
            return next(pages(site, query, where), [])
        except JIRAError as exc:
            if _no_such_key(exc, key):
                return []
            raise


def _no_such_key(exc: JIRAError, key: str) -> bool:
    """Whether Jira refused the search because no issue (visible to syncd) has `key`.

    Jira says so only in words, with no error code: a 400 "An issue with key 'SUP-9' does not
    exist for field 'key'." The quoted key (validated, so it cannot be forged into the
    message) is the part read, whatever the site's language; any other 400 is the JQL's fault.
    """
    quoted = f"'{key}'"
    return exc.status_code == 400 and any(
        quoted in problem for problem in jira_problems(exc.response)
    )

"""The JQL that syncd sends: the configured query, a watermark window, a stable order."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

# Quoted JQL strings may contain anything, "order by" included; mask them before looking.
_QUOTED = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")
_ORDER_BY = re.compile(r"\border\s+by\b", re.IGNORECASE)

ORDER = "ORDER BY updated ASC"


def strip_order_by(jql: str) -> str:
    """`jql` without a trailing ORDER BY clause written outside quotes."""
    masked = _QUOTED.sub(lambda m: "x" * len(m.group()), jql)
    starts = [match.start() for match in _ORDER_BY.finditer(masked)]
    return jql[: starts[-1]].strip() if starts else jql.strip()


def jql_time(moment: datetime, tz: ZoneInfo) -> str:
    """`moment` as JQL reads it: wall-clock time in the API user's zone, floored to the minute."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def incremental_jql(jql: str, since: datetime | None, tz: ZoneInfo, overlap: timedelta) -> str:
    """The configured JQL, limited to issues updated since `since` minus `overlap`.

    A user's own ORDER BY is dropped: syncd reads every page anyway, and ordering by `updated`
    keeps the pages stable while issues change under the search. `since=None` is a full
    reconciliation: the configured JQL alone, in the same order.
    """
    base = strip_order_by(jql)
    clauses = [f"({base})"] if base else []
    if since is not None:
        clauses.append(f'updated >= "{jql_time(since - overlap, tz)}"')
    return f"{' AND '.join(clauses)} {ORDER}".strip()

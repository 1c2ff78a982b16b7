"""The pages of the listener (SPEC §10): `/`, `/api/status`, `/rotation.ics`, `/report.svg` (the
rotation's last 12 weeks, SPEC §11) and the stylesheet.

`/` is built from the snapshot the daemon's loop thread publishes after each cycle and settle
(no SQLite on the request path); without one (no daemon), and for `/api/status` and the feed,
each request reads the state file through a read-only connection of its own (waitress answers
on its worker threads; the daemon's connection belongs to the daemon's thread). The page's
clock is the daemon's.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import parse_qsl

from syncd.clock import Clock
from syncd.config.model import Config
from syncd.entrypoints.listener import Answer, Handler, Request, Route
from syncd.entrypoints.pages.access import Access, secured
from syncd.entrypoints.pages.assets import STATUS_CSS
from syncd.entrypoints.pages.page_cache import PageCache, file_version
from syncd.entrypoints.pages.status_page import PAGE_ISSUES, status_page
from syncd.entrypoints.report_chart import chart
from syncd.entrypoints.report_state import PERIOD, read_report
from syncd.entrypoints.rotation_feed import feed
from syncd.entrypoints.standup_state import read_standup, snapshot_standup, status_document
from syncd.errors import StateError
from syncd.service_layer.status_snapshot import StatusSnapshot

REFRESH_SECONDS = 30  # `?refresh=N` (1 to 3600) for another period
NEXT_SHIFTS = 5
_HTML = "text/html; charset=utf-8"


def page_routes(
    current: Callable[[], Config],
    clock: Clock,
    published: Callable[[], StatusSnapshot] | None = None,
) -> tuple[Route, ...]:
    """The routes, behind `http.token` when the config sets one; `current`: the config now (a
    reload applies to the next request); `published`: the daemon's latest snapshot, if any."""

    cache = PageCache()

    def guard(handler: Handler, *, browser: bool = False) -> Handler:
        def answer(request: Request) -> Answer:
            http = current().http
            token = None if http is None or http.token is None else http.token.reveal()
            https = http is not None and (http.public_url or "").startswith("https://")
            return Access(token, https=https).guard(_or_503(handler), browser=browser)(request)

        return answer

    def page(request: Request) -> Answer:
        config, refresh, now = current(), _refresh(_query(request).get("refresh")), clock()
        snapshot = None if published is None else published()

        def render() -> bytes:
            if snapshot is None:
                view, upcoming = read_standup(config, now, NEXT_SHIFTS + 1)
            else:
                view, upcoming = snapshot_standup(
                    config, snapshot, now, NEXT_SHIFTS + 1, PAGE_ISSUES
                )
            return status_page(view, upcoming, config.rotation.timezone, refresh).encode()

        source = file_version(config.state_path) if snapshot is None else snapshot.serial
        return Answer(200, _HTML, cache.page(source, now, (config, refresh), render))

    def api(request: Request) -> Answer:
        config = current()
        view, _ = read_standup(config, clock())
        body = json.dumps(status_document(view, config), indent=2).encode() + b"\n"
        return Answer(200, "application/json", body)

    def ics(request: Request) -> Answer:
        config, member = current(), _query(request).get("member")
        if member is not None and member not in config.people:
            return Answer.text(404, f"no person {member!r} in the config\n")
        body = feed(config, clock(), member).encode()
        return Answer(200, "text/calendar; charset=utf-8", body)

    def history(request: Request) -> Answer:
        config, now = current(), clock()
        body = chart(read_report(config, now - PERIOD, now)).encode()
        return Answer(200, "image/svg+xml; charset=utf-8", body)

    def css(request: Request) -> Answer:
        return secured(Answer(200, "text/css; charset=utf-8", STATUS_CSS.encode()))

    return (
        Route("/", {"GET": guard(page, browser=True)}),
        Route("/api/status", {"GET": guard(api)}),
        Route("/rotation.ics", {"GET": guard(ics)}),
        Route("/report.svg", {"GET": guard(history)}),
        Route("/assets/status.css", {"GET": css}),
    )


def _or_503(handler: Handler) -> Handler:
    """`handler`, answering 503 while the state file cannot be read (no cycle yet, a migration)."""

    def answer(request: Request) -> Answer:
        try:
            return handler(request)
        except StateError as exc:
            return Answer.text(503, f"the state file cannot be read yet: {exc}\n")

    return answer


def _query(request: Request) -> dict[str, str]:
    return dict(parse_qsl(request.query, keep_blank_values=True))


def _refresh(text: str | None) -> int:
    if text is None or not text.isdigit():
        return REFRESH_SECONDS
    return min(max(int(text), 1), 3600)

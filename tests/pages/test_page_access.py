"""The token rules of SPEC §10 on the pages: Bearer, ?token= (then a cookie), or 401."""

from __future__ import annotations

from pathlib import Path

from syncd.clock import fixed
from syncd.config.loader import load
from syncd.entrypoints.listener import Request, Routes
from syncd.entrypoints.metrics import PrometheusMetrics, metrics_routes
from syncd.entrypoints.pages import page_routes
from tests.pages.page_world import TOKEN, Pages, header
from tests.status.test_status_command import NOW

GUARDED = ("/", "/api/status", "/rotation.ics")


class TestPageAccess:
    def test_without_the_token_every_page_is_401_saying_how_to_pass_it(
        self, tmp_path: Path
    ) -> None:
        """No token, or a wrong one anywhere: 401 in plain text naming both ways."""
        pages = Pages(tmp_path, token=True)

        for path in GUARDED:
            for answer in (
                pages.get(path),
                pages.get(path, "token=wrong"),
                pages.get(path, headers={"authorization": "Bearer wrong"}),
                pages.get(path, headers={"cookie": "syncd_session=wrong"}),
            ):
                assert answer.status == 401, path
                assert b"Authorization: Bearer <token>" in answer.body
                assert b"?token=<token>" in answer.body
                assert TOKEN.encode() not in answer.body

    def test_a_bearer_header_or_the_query_serves_every_page(self, tmp_path: Path) -> None:
        """Scripts send the header, calendar apps keep ?token= in the feed's URL."""
        pages = Pages(tmp_path, token=True)

        for path in GUARDED:
            assert pages.get(path, headers={"authorization": f"Bearer {TOKEN}"}).status == 200
        assert pages.get("/rotation.ics", f"token={TOKEN}").status == 200
        assert pages.get("/api/status", f"token={TOKEN}").status == 200

    def test_a_browser_with_the_token_once_gets_a_cookie_and_a_clean_url(
        self, tmp_path: Path
    ) -> None:
        """`/?token=T&refresh=5`: 303 to `/?refresh=5` with an HttpOnly SameSite=Strict cookie
        (not the token itself) that then opens the page."""
        pages = Pages(tmp_path, token=True)

        answer = pages.get("/", f"token={TOKEN}&refresh=5")
        cookie = header(answer, "Set-Cookie") or ""
        session = cookie.split(";")[0]
        again = pages.get("/", "refresh=5", headers={"cookie": f"other=1; {session}"})

        assert answer.status == 303
        assert header(answer, "Location") == "/?refresh=5"
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie
        assert TOKEN not in cookie
        assert again.status == 200 and b"Queue:" in again.body

    def test_behind_an_https_proxy_the_cookie_is_secure(self, tmp_path: Path) -> None:
        """X-Forwarded-Proto https (a TLS proxy in front): the cookie also says Secure."""
        pages = Pages(tmp_path, token=True)

        answer = pages.get("/", f"token={TOKEN}", headers={"x-forwarded-proto": "https"})

        assert "; Secure" in (header(answer, "Set-Cookie") or "")

    def test_the_stylesheet_needs_no_token(self, tmp_path: Path) -> None:
        """The page's own CSS is served to anyone (it holds nothing from the trackers)."""
        assert Pages(tmp_path, token=True).get("/assets/status.css").status == 200

    def test_metrics_and_healthz_never_need_it(self, tmp_path: Path) -> None:
        """On the same listener as the pages, /metrics and /healthz answer without the token."""
        pages = Pages(tmp_path, token=True)
        config = load(pages.config_path, require_secrets=False)
        routes = Routes(
            [*metrics_routes(PrometheusMetrics()), *page_routes(lambda: config, fixed(NOW))]
        )

        for path in ("/metrics", "/healthz"):
            answer = routes.answer(Request("GET", path, "", {}, b"", "127.0.0.1"))
            assert answer.status in {200, 503}, path

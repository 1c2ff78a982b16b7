"""The status page `/` and `/api/status`, answered in-process over a state file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from syncd.adapters.state import Store
from syncd.clock import fixed
from syncd.entrypoints.cli import main
from tests.pages.page_world import Pages, header
from tests.status.test_seen_issues import a_seen
from tests.status.test_status_command import NOW


class TestStatusPage:
    def test_the_queue_is_shown_by_tier_fires_first_with_links(self, tmp_path: Path) -> None:
        """Tiers appear in rule order, each issue's key links to it, with assignee and age."""
        answer = Pages(tmp_path).get("/")

        page = answer.body.decode()
        assert answer.status == 200
        assert answer.content_type.startswith("text/html")
        tiers = re.findall(r'data-tier="([^"]+)"', page)
        assert tiers == ["fire", "queue", "triage"]
        assert page.index("SUP-1") < page.index("acme/web#9") < page.index("acme/web#7")
        assert '<a href="https://github.com/acme/web/issues/9" rel="noreferrer">' in page
        assert "<td>carol</td>" in page  # carol-c, as people know her
        assert "<td>3d 2h</td>" in page

    def test_each_issue_shows_its_estimate_beside_the_flag(self, tmp_path: Path) -> None:
        """A flagged issue estimated at three work days reads `3d` then `flagged` in its row."""
        pages = Pages(tmp_path)
        over = a_seen("acme/web#5", title="Rebuild exports", tier="fire", flagged=True,
                      estimate=3 * 8 * 3600.0, estimate_text="3d")  # fmt: skip
        with Store.open(pages.state) as store:
            store.seen.save("web", [over], complete=False)

        page = pages.get("/").body.decode()

        row = next(r for r in page.split("<tr") if "acme/web#5" in r)
        assert "<th>estimate</th>" in page
        assert '<td>3d</td><td><span class="flag">flagged</span></td>' in row

    def test_on_call_trackers_and_writes_are_on_the_page(self, tmp_path: Path) -> None:
        """bob on shift until a local time, web's pause with its reason, the day's write."""
        page = Pages(tmp_path).get("/").body.decode()

        assert "<strong>bob</strong> (rotation) until" in page
        assert "paused until" in page and "rate limited: retry later" in page
        assert "Writes in the last 24 hours: 1" in page
        assert "America/Detroit" in page

    def test_tracker_text_is_escaped(self, tmp_path: Path) -> None:
        """A title, key and URL holding markup arrive as text; a javascript: URL links nowhere."""
        pages = Pages(tmp_path)
        hostile = a_seen("acme/web#66", title="<script>alert(1)</script>", tier="fire",
                         url="javascript:alert(2)", created=NOW)  # fmt: skip
        with Store.open(pages.state) as store:
            store.seen.save("web", [hostile], complete=True)

        page = pages.get("/").body.decode()

        assert "<script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "javascript:" not in page

    def test_the_page_refreshes_itself_and_loads_only_its_own_stylesheet(
        self, tmp_path: Path
    ) -> None:
        """A meta refresh (30 s, or ?refresh=N), a viewport, one same-origin stylesheet."""
        pages = Pages(tmp_path)

        page = pages.get("/").body.decode()
        quick = pages.get("/", "refresh=2").body.decode()
        css = pages.get("/assets/status.css")

        assert '<meta http-equiv="refresh" content="30">' in page
        assert '<meta http-equiv="refresh" content="2">' in quick
        assert 'name="viewport"' in page
        assert re.findall(r'(?:href|src)="(/[^"]*)"', page.split("<body>")[0]) == [
            "/assets/status.css"
        ]
        assert "http://" not in page.split("<body>")[0]
        assert css.status == 200 and css.content_type.startswith("text/css")

    def test_every_page_carries_a_strict_policy(self, tmp_path: Path) -> None:
        """CSP with default-src 'none' and no inline script, nosniff, no referrer."""
        pages = Pages(tmp_path)

        for path in ("/", "/api/status", "/rotation.ics", "/assets/status.css"):
            answer = pages.get(path)
            policy = header(answer, "Content-Security-Policy") or ""
            assert "default-src 'none'" in policy and "script-src 'self'" in policy, path
            assert "unsafe-inline" not in policy
            assert "frame-ancestors 'none'" in policy
            assert header(answer, "X-Content-Type-Options") == "nosniff"
            assert header(answer, "Referrer-Policy") == "no-referrer"

    def test_a_change_of_the_state_shows_on_the_next_load(self, tmp_path: Path) -> None:
        """The page kept between loads is rendered again once the daemon wrote the state."""
        pages = Pages(tmp_path)
        first = pages.get("/").body.decode()
        with Store.open(pages.state) as store:
            store.seen.save("web", [a_seen("acme/web#77", title="Brand new fire")], complete=True)

        second = pages.get("/").body.decode()

        assert "Brand new fire" not in first
        assert "Brand new fire" in second

    def test_no_state_file_yet_is_a_503(self, tmp_path: Path) -> None:
        """Before the daemon's first start the page says why it has nothing to show."""
        answer = Pages(tmp_path, fill=False).get("/")

        assert answer.status == 503
        assert b"state file" in answer.body


class TestApiStatus:
    def test_it_is_the_document_of_status_json(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`/api/status` answers exactly what `syncd status --json` prints at the same time."""
        pages = Pages(tmp_path)
        main(["status", "-c", str(pages.config_path), "--json"], clock=fixed(NOW))
        printed = json.loads(capsys.readouterr().out)

        answer = pages.get("/api/status")

        assert answer.status == 200
        assert answer.content_type == "application/json"
        assert json.loads(answer.body) == printed

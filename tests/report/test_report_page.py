"""The status page shows the rotation's last 12 weeks: the report's chart at /report.svg."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from tests.pages.page_world import Pages, header


class TestReportOnThePage:
    def test_the_page_shows_the_chart_of_the_listener_itself(self, tmp_path: Path) -> None:
        """The page embeds /report.svg, which answers SVG under the page's strict policy."""
        pages = Pages(tmp_path)

        page = pages.get("/").body.decode()
        svg = pages.get("/report.svg")

        assert '<img src="/report.svg"' in page
        assert svg.status == 200 and svg.content_type.startswith("image/svg+xml")
        assert ET.fromstring(svg.body).tag == "{http://www.w3.org/2000/svg}svg"
        assert "bob" in svg.body.decode()  # the state's journal has bob's shift
        assert "default-src 'none'" in (header(svg, "Content-Security-Policy") or "")

    def test_the_chart_needs_the_token_as_the_page_does(self, tmp_path: Path) -> None:
        """With http.token set, /report.svg without it is a 401."""
        pages = Pages(tmp_path, token=True)

        assert pages.get("/report.svg").status == 401

"""The browser the status page is tested in: Debian's chromium, driven by Playwright.

No browser is a failure with the command that installs one, never a skip: CI must not pass
without having looked at the page (`.ci/run` installs chromium when it is missing).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium_path() -> Path:
    """The installed chromium, or a failure saying how to install it."""
    found = CHROMIUM if CHROMIUM.exists() else None
    found = found or (Path(p) if (p := shutil.which("chromium")) else None)
    if found is None:
        pytest.fail(
            "no browser for the status page's browser test: install Debian's chromium with"
            " `apt-get install -y chromium` (.ci/run does this in CI)",
            pytrace=False,
        )
    return found


@pytest.fixture
def browser_page(tmp_path: Path) -> Iterator[Any]:
    """A Playwright page in a fresh headless chromium profile (Playwright's own browser
    download is never used: it needs the internet)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the browser test needs playwright: pip install -e '.[test]'", pytrace=False)
    executable = chromium_path()
    with sync_playwright() as driver:
        context = driver.chromium.launch_persistent_context(
            str(tmp_path / "profile"),  # a fresh --user-data-dir
            executable_path=str(executable),
            args=list(_FLAGS),
            viewport={"width": 1100, "height": 900},
        )
        try:
            yield context.new_page()
        finally:
            context.close()

"""A state file and config for the pages, built as `syncd status`'s tests build theirs."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from syncd.clock import fixed
from syncd.config.loader import load
from syncd.entrypoints.listener import Answer, Request, Routes
from syncd.entrypoints.pages import page_routes
from tests.status.test_status_command import NOW, fill_state, write_config

TOKEN = "page-token-0123456789"
HTTP = f"http:\n  listen: 127.0.0.1:9464\n  token: {TOKEN}\n"


class Pages:
    """The page routes over a filled state file, at NOW; `token`: whether http.token is set."""

    def __init__(self, home: Path, *, token: bool = False, fill: bool = True) -> None:
        self.config_path, self.state = write_config(home)
        if token:
            self.config_path.write_text(self.config_path.read_text() + HTTP)
        if fill:
            fill_state(self.state, NOW)
        self.reload()

    def reload(self) -> None:
        """Read the config file again (as the daemon does on SIGHUP)."""
        self.routes = self.routes_at(NOW)

    def routes_at(self, now: datetime) -> Routes:
        """The routes over the config file as it is, on a clock reading `now`."""
        config = load(self.config_path, require_secrets=False)
        return Routes(page_routes(lambda: config, fixed(now)))

    def get(self, path: str, query: str = "", headers: Mapping[str, str] | None = None) -> Answer:
        """The answer to a GET."""
        request = Request("GET", path, query, dict(headers or {}), b"", "127.0.0.1")
        return self.routes.answer(request)


def header(answer: Answer, name: str) -> str | None:
    """The value of header `name` in `answer`, or None."""
    found = [value for key, value in answer.headers if key.lower() == name.lower()]
    return found[0] if found else None

"""The demo's messages to people: `notify.slack_webhook` points at the sandbox's Slack hook, and
each message it receives is printed under the board as its plain-text fallback (SPEC §8)."""

from __future__ import annotations

import dataclasses

from syncd.config.model import Config, Secret
from syncd.config.notify import NotifyConfig
from syncd.entrypoints.commands.demo.board_table import Palette
from syncd.entrypoints.printable import printable_line
from syncd.sandbox.server import Sandbox
from syncd.sandbox.traffic import Stats

# Slack's own markup in the fallback text, shown as a terminal reads it best.
_WIDTH = 92  # with the prefix, a line stays within the board's 100 columns
_MARKUP = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))


def with_slack(config: Config, sandbox: Sandbox) -> Config:
    """`config` whose messages go to `sandbox`'s Slack hook (the config's other notify settings,
    and its `webhook`, kept when it has a `notify:`)."""
    hook = Secret(sandbox.slack_url, "the sandbox's Slack hook")
    notify = config.notify or NotifyConfig(slack_webhook=hook, webhook=None)
    return dataclasses.replace(config, notify=dataclasses.replace(notify, slack_webhook=hook))


class Messages:
    """The sandbox's Slack messages not printed yet, one line each."""

    def __init__(self, sandbox: Sandbox, palette: Palette) -> None:
        self._sandbox = sandbox
        self._palette = palette
        self._printed = 0

    def new(self) -> str:
        """Lines for the messages received since the last call ('' when none)."""
        received = self._sandbox.slack.messages()
        fresh, self._printed = received[self._printed :], len(received)
        lines = [self._line(entry.get("message")) for entry in fresh]
        return "".join(f"{line}\n" for line in lines)

    def _line(self, body: object) -> str:
        text = str(body.get("text", "")) if isinstance(body, dict) else ""
        for markup, shown in _MARKUP:
            text = text.replace(markup, shown)
        shown = printable_line(text)
        if len(shown) > _WIDTH:
            shown = shown[: _WIDTH - 1] + "…"
        return f"  {self._palette.paint('slack', 'bold')} {shown}"


def tracker_requests(before: Stats, after: Stats) -> int:
    """Requests the trackers served between `before` and `after` (the Slack hook's left out)."""
    posted = after.count("POST", "slack.post") - before.count("POST", "slack.post")
    return after.total - before.total - posted

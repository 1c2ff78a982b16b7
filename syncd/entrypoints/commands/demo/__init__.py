"""`syncd demo`: the sandbox and the real daemon pieces together, with a board after each cycle.

What `make run` does. The sandbox serves the built-in seed on 127.0.0.1:8765 (or a free port);
syncd runs cycle after cycle against it over HTTP, with a fresh state file each time; between
cycles, scripted customers and people change things so that the board shows syncd reacting.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from importlib import resources
from pathlib import Path
from types import FrameType
from typing import TextIO
from urllib.parse import urlsplit, urlunsplit

import syncd
from syncd.adapters.state import CycleOutcome, Store
from syncd.clock import Clock, starting_at, utc_now
from syncd.config.model import Config, GitHubTracker, JiraTracker, TrackerConfig
from syncd.domain.rotation import Roster
from syncd.entrypoints import logs
from syncd.entrypoints.commands.demo.board import (
    Board,
    Headline,
    board_rows,
    hand_edits,
    jira_flavours,
    legend_for,
)
from syncd.entrypoints.commands.demo.board_table import Palette, render, render_quiet
from syncd.entrypoints.commands.demo.messages import Messages, tracker_requests, with_slack
from syncd.entrypoints.commands.demo.reactions import Pauses, listening, with_webhook_secrets
from syncd.entrypoints.commands.demo.scenes import SCENES, Stage
from syncd.entrypoints.commands.rotation import parse_at
from syncd.errors import UsageError
from syncd.sandbox.seed_shift import moved
from syncd.sandbox.seed_yaml import demo_seed
from syncd.sandbox.server import Sandbox
from syncd.sandbox.snapshot import IssueView
from syncd.service_layer import registry, wiring
from syncd.service_layer.inbox import Inbox
from syncd.service_layer.service import CycleReport

DEMO_PORT = 8765
PAUSE = 2.0  # seconds between cycles: long enough to read, short enough to watch
CHECKOUT_CONFIG = Path(syncd.__file__).resolve().parent.parent / "config" / "demo.yaml"


def run(args: argparse.Namespace) -> int:
    """Start the sandbox, run cycles until `--cycles` or Ctrl-C, print the board after each."""
    if args.cycles is not None and args.cycles < 1:
        raise UsageError("--cycles must be at least 1")
    colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    clock = args.clock if args.at is None else _clock_from(args.at)
    return play(args.cycles, sys.stdout, colour=colour, port=args.port, clock=clock, log=args.log)


def _clock_from(text: str) -> Clock:
    """A clock that starts at `--at` (in the demo config's rotation time zone) and then runs."""
    with _demo_config_file() as path:
        zone = wiring.load_config(path).rotation.timezone
    return starting_at(parse_at(text, zone))


def play(
    cycles: int | None,
    out: TextIO,
    *,
    colour: bool = False,
    port: int = DEMO_PORT,
    pause: float = PAUSE,
    scratch: Path | None = None,
    clock: Clock = utc_now,
    log: Path | None = None,
) -> int:
    """The demo: `cycles` cycles (None: until Ctrl-C) printed to `out`; 0 when it ran.

    The state file goes to `scratch` (default: a temporary directory removed at the end), and
    syncd's log to `log` (default: into `scratch`, so a demo leaves nothing behind unless asked).
    `clock` is both the sandbox's time and syncd's: the rotation, the board and the trackers'
    `updated` all read it.
    """
    with ExitStack() as temporary:
        if scratch is None:
            folder = temporary.enter_context(tempfile.TemporaryDirectory(prefix="syncd-demo-"))
            scratch = Path(folder)
        done = _play_in(
            scratch,
            log or scratch / "syncd.log",
            cycles=cycles,
            out=out,
            colour=colour,
            port=port,
            pause=pause,
            clock=clock,
        )
    count = "1 cycle" if done == 1 else f"{done} cycles"
    kept = f"; syncd's log: {log}" if log is not None else ""
    out.write(f"\nstopped after {count}{kept}\n")
    return 0


def _play_in(
    scratch: Path,
    log_path: Path,
    *,
    cycles: int | None,
    out: TextIO,
    colour: bool,
    port: int,
    pause: float,
    clock: Clock,
) -> int:
    """play's demo with its state in `scratch` and the log in `log_path`; the cycles run."""
    with _demo_config_file() as path:
        config = wiring.load_config(path)
    with open_sandbox(port, clock) as sandbox, log_path.open("a", encoding="utf-8") as log_file:
        config = with_webhook_secrets(for_sandbox(config, sandbox, scratch / "demo.db"))
        config = with_slack(config, sandbox)
        logs.configure(registry.secret_values(config), stream=log_file, terminal=False)
        try:
            with Store.open(config.state_path) as store:
                _introduce(sandbox, out)
                with listening(config, sandbox, jira_flavours(config), out, clock) as inbox:
                    demo = _Demo(
                        config,
                        sandbox,
                        store,
                        inbox,
                        palette=Palette(colour),
                        out=out,
                        pause=pause,
                        clock=clock,
                    )
                    done = demo.loop(cycles)
        finally:
            # The log file closes here: anything logged later goes to stderr, warnings only.
            logs.configure(registry.secret_values(config), stream=sys.stderr, level=logging.WARNING)
    return done


@contextmanager
def _demo_config_file() -> Iterator[Path]:
    """config/demo.yaml of this checkout, else the copy packaged in syncd/data."""
    if CHECKOUT_CONFIG.is_file():
        yield CHECKOUT_CONFIG
        return
    with resources.as_file(resources.files("syncd").joinpath("data/demo.yaml")) as packaged:
        yield packaged


@contextmanager
def open_sandbox(port: int = DEMO_PORT, clock: Clock | None = None) -> Iterator[Sandbox]:
    """The demo sandbox on `port`, or on a free port when that one is taken.

    With a `clock`, the seed's issues are moved to an hour before its time: any day, the
    trackers hold nothing from the future and the issues' ages read as the seed tells them.
    """
    seed = demo_seed() if clock is None else moved(demo_seed(), clock())
    try:
        sandbox = Sandbox(seed, port=port, clock=clock)
    except OSError:
        sandbox = Sandbox(seed, port=0, clock=clock)
    with sandbox:
        yield sandbox


def for_sandbox(config: Config, sandbox: Sandbox, state_path: Path) -> Config:
    """`config` with every loopback tracker URL pointed at `sandbox`'s port, and `state_path`."""
    trackers = tuple(_on_port(tracker, sandbox.port) for tracker in config.trackers)
    return dataclasses.replace(config, trackers=trackers, state_path=state_path)


def _on_port(tracker: TrackerConfig, port: int) -> TrackerConfig:
    # The sandbox serves GitHub and Jira only: any other kind keeps its URL.
    if isinstance(tracker, GitHubTracker):
        return dataclasses.replace(tracker, base_url=_with_port(tracker.base_url, port))
    if isinstance(tracker, JiraTracker):
        return dataclasses.replace(tracker, url=_with_port(tracker.url, port))
    return tracker


def _with_port(url: str, port: int) -> str:
    parts = urlsplit(url)
    if parts.hostname not in {"127.0.0.1", "localhost"}:
        return url
    return urlunsplit(parts._replace(netloc=f"{parts.hostname}:{port}"))


def _introduce(sandbox: Sandbox, out: TextIO) -> None:
    out.write(
        f"syncd demo: a sandbox GitHub, Jira Cloud and Jira Data Center on {sandbox.url}\n"
        f"(its issues: {sandbox.url}/_admin/state); syncd runs against it over HTTP.\n"
        "THIS CYCLE: +label -label →person are syncd's writes; hand: marks a person's edits.\n"
    )
    out.flush()


class _Demo:
    """The running demo: cycles, scenes between them, and a board after each."""

    def __init__(
        self,
        config: Config,
        sandbox: Sandbox,
        store: Store,
        inbox: Inbox,
        *,
        palette: Palette,
        out: TextIO,
        pause: float,
        clock: Clock,
    ) -> None:
        self.config, self.sandbox, self.store = config, sandbox, store
        self.palette, self.out, self.pause, self.clock = palette, out, pause, clock
        self.stop = threading.Event()
        self.service = wiring.build_service(config, store, self.stop, clock=clock)
        self.legend = legend_for(config, jira_flavours(config), sandbox.user_names())
        self.stage = Stage(sandbox, config, self.legend)
        self.last: tuple[IssueView, ...] = sandbox.snapshot().issues
        self.pauses = Pauses(inbox, store, clock, stage=self.stage, palette=palette, out=out)
        self.messages = Messages(sandbox, palette)

    def loop(self, limit: int | None) -> int:
        """Cycle until `limit` cycles or a stop (Ctrl-C, SIGTERM); the number of cycles run."""
        scenes = {scene.before_cycle: scene for scene in SCENES}
        done = 0
        with _stopping_on_signals(self.stop):
            while (limit is None or done < limit) and not (done and self._paused(done + 1)):
                scene = scenes.get(done + 1)
                if scene is not None:
                    story = scene.act(self.stage)
                    self.out.write(f"\n{self.palette.paint('>>', 'bold')} {story}\n")
                done += 1
                self.out.write(self._cycle(done, loud=scene is not None or done == 1))
                self.out.flush()
        return done

    def _paused(self, next_cycle: int) -> bool:
        """The pause before cycle `next_cycle`, webhooks settled as they come; True on a stop."""
        if self.pauses.pause(self.pause, self.service, self.stop, next_cycle):
            self.last = self.sandbox.snapshot().issues  # told already: no hand edits next board
        return self.stop.is_set()

    def _cycle(self, number: int, *, loud: bool) -> str:
        """Run one cycle (the first is a full reconciliation); the board, or one quiet line."""
        issues = self.sandbox.snapshot().issues
        edits = hand_edits(self.last, issues)
        before, started = self.sandbox.stats(), self.clock()
        report = self.service.cycle(full=number == 1)
        after, now = self.sandbox.stats(), self.clock()
        self.last = self.sandbox.snapshot().issues
        headline = Headline(
            cycle=number,
            at=now,
            writes=report.writes,
            requests=tracker_requests(before, after),
            not_modified=after.not_modified - before.not_modified,
            failed=_failed(report),
        )
        told = self.messages.new()
        if not (loud or edits or report.writes or headline.failed):
            return "\n" + render_quiet(headline, self.palette) + told
        writes = self.store.audit_since(started)
        rows, untouched = board_rows(self.last, writes, self.legend, edits)
        shifts = Roster(self.config.rotation, self.store.journal).shifts(now, 2)
        board = Board(headline, rows, tuple(shifts), self.config.rotation.timezone, untouched)
        return "\n" + render(board, self.palette) + told


def _failed(report: CycleReport) -> tuple[str, ...]:
    return tuple(r.tracker for r in report.trackers if r.outcome is not CycleOutcome.OK)


@contextmanager
def _stopping_on_signals(stop: threading.Event) -> Iterator[None]:
    """Ctrl-C and SIGTERM end the demo after the write in flight, as they end the daemon."""

    def handler(number: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)

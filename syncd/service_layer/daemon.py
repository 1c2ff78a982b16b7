"""The daemon loop: cycles on a monotonic clock, stops at once on SIGTERM/SIGINT, reloads."""

from __future__ import annotations

import hashlib
import random
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import structlog

from syncd.adapters.state import CycleOutcome
from syncd.config.model import Config
from syncd.domain.timestamps import iso_utc
from syncd.errors import ConfigError, SyncdError
from syncd.service_layer.service import CycleReport, Service

log = structlog.get_logger("syncd.daemon")

JITTER = 0.1  # +-10 % on the poll interval, so that instances started together drift apart

BuildService = Callable[[Config, threading.Event], Service]
LoadConfig = Callable[[Path], Config]


@dataclass(frozen=True)
class Fingerprint:
    """What identifies a version of the config file: its mtime and a hash of its content."""

    mtime_ns: int
    digest: str

    @classmethod
    def of(cls, path: Path) -> Fingerprint | None:
        """The file's fingerprint now, or None when it cannot be read."""
        try:
            return cls(path.stat().st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())
        except OSError:
            return None


class Daemon:
    """Runs the service's cycles until told to stop; swaps in a new service on a valid reload.

    `stop` is set by SIGTERM/SIGINT: the loop's wait and the pause between writes end at once,
    the write in flight finishes, and no further write starts.
    """

    def __init__(
        self,
        config: Config,
        build: BuildService,
        load: LoadConfig,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        on_reload: Callable[[Config], object] = lambda config: None,
        react: Callable[[Service, Callable[[], bool]], int] = lambda service, stop: 0,
        settled: Callable[[], object] = lambda: None,
    ) -> None:
        self.config = config
        self.stop = threading.Event()
        self._wake = threading.Event()  # stop, reload, or the interval's end
        self._reload_requested = False
        self._signal: str | None = None  # the signal that asked for the stop, for the log
        self._build = build
        self._load = load
        self._monotonic = monotonic
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not cryptography
        self._on_reload = on_reload
        self._react = react  # settles the webhook deliveries queued (see wake)
        self._settled = settled  # after each cycle and settle: publishes the status page's data
        self._fingerprint = Fingerprint.of(config.source)
        self.service = build(config, self.stop)
        self.cycles = 0

    def request_stop(self) -> None:
        """Stop after the write in flight (what SIGTERM and SIGINT do)."""
        self.stop.set()
        self._wake.set()

    def request_reload(self) -> None:
        """Reload the config file before the next cycle (what SIGHUP does)."""
        self._reload_requested = True
        self._wake.set()

    def wake(self) -> None:
        """Settle queued webhook deliveries now: ends the wait between cycles early."""
        self._wake.set()

    def install_signal_handlers(self) -> None:
        """SIGTERM and SIGINT stop, SIGHUP reloads; call from the main thread."""
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGHUP, self._on_signal)

    def run_once(self) -> int:
        """One cycle; 1 when any tracker failed or is paused by a rate limit, else 0.

        It reconciles only the trackers whose reconciliation is due (see Service.cycle), so
        that `--once` from cron costs what an idle cycle costs.
        """
        report = self._cycle(full=False)
        # A paused tracker was not synced: a script running `--once` must not take it as done.
        for paused in report.trackers:
            if paused.paused_until is not None:
                until = iso_utc(paused.paused_until)
                log.warning("not synced: rate limited", tracker=paused.tracker, until=until)
        settled = all(r.outcome is CycleOutcome.OK for r in report.trackers)
        return 0 if settled else 1

    def run_forever(self) -> int:
        """Cycle every poll interval until stopped; 0 on a requested stop.

        The service reconciles each tracker when its last reconciliation (in the state) is
        older than `reconcile_interval`; a reload forces one at once.
        """
        reloaded = False
        while not self.stop.is_set():
            # new rules: reconcile everything against them
            reloaded |= self._reload_if_changed()
            started = self._monotonic()
            self._cycle(full=reloaded)
            reloaded = self._wait_until(started + self._interval())
        log.info("stopping", signal=self._signal)
        log.info("stopped")
        return 0

    def _cycle(self, full: bool) -> CycleReport:
        report = self.service.cycle(full)
        self._settled()
        self.cycles += 1
        log.info(
            "cycle",
            full=report.full,
            writes=report.writes,
            outcomes={r.tracker: r.outcome.value for r in report.trackers},
        )
        return report

    def _interval(self) -> float:
        return self.config.poll_interval * self._rng.uniform(1 - JITTER, 1 + JITTER)

    def _wait_until(self, deadline: float) -> bool:
        """Sleep until `deadline` or a stop, settling webhook deliveries as they come.

        True when a reload happened meanwhile. Deliveries that arrive during a cycle wait for
        its end: one issue is never settled by a cycle and a delivery at once.
        """
        reloaded = False
        while not self.stop.is_set():
            self._wake.clear()  # before taking deliveries: one queued after it wakes the wait
            if self._react(self.service, self.stop.is_set):
                self._settled()
            remaining = deadline - self._monotonic()
            if remaining <= 0 or self.stop.is_set():
                break
            self._wake.wait(remaining)
            if self._reload_requested and not self.stop.is_set():
                reloaded |= self._reload()
        return reloaded

    def _reload_if_changed(self) -> bool:
        """Reload when asked to or when the file changed; True when a new config is in use."""
        if self._reload_requested or Fingerprint.of(self.config.source) != self._fingerprint:
            return self._reload()
        return False

    def _reload(self) -> bool:
        """Load the config file again; True when the new one is in use."""
        self._reload_requested = False
        path = self.config.source
        self._fingerprint = Fingerprint.of(path)  # a bad file is reported once, not every cycle
        try:
            config = self._load(path)
        except ConfigError as exc:
            problems = [str(problem) for problem in exc.problems]
            log.error("config reload failed; the old config keeps running", problems=problems)
            return False
        except (SyncdError, OSError) as exc:
            log.error("config reload failed; the old config keeps running", error=str(exc))
            return False
        if config.state_path != self.config.state_path:
            log.warning("state_path changes take effect at the next start", file=str(path))
        self.service = self._build(config, self.stop)
        self.config = config
        self._on_reload(config)
        log.info("config reloaded", file=str(path), trackers=sorted(self.service.trackers))
        return True

    def _on_signal(self, number: int, frame: FrameType | None) -> None:
        # Nothing is logged here: the handler runs between two bytecodes of the main thread,
        # which may be inside a log call holding the stream's lock (not reentrant): a log line
        # from the handler would then wait for that lock forever and the daemon would hang.
        if number == signal.SIGHUP:
            self.request_reload()
        else:
            self._signal = signal.Signals(number).name
            self.request_stop()

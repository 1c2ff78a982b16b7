"""`syncd run`: the daemon, one full cycle (`--once`), or the plan printed (`--dry-run`)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import structlog

from syncd.adapters.state import Store
from syncd.clock import Clock
from syncd.config.model import Config
from syncd.domain.actions import Action, AddLabel, Assign, Comment, IssuePlan, RemoveLabel, Unassign
from syncd.entrypoints import logs
from syncd.entrypoints.listener import Limits, Listener, Route
from syncd.entrypoints.listener.webhooks import webhook_routes
from syncd.entrypoints.metrics import Metrics, NullMetrics
from syncd.entrypoints.pages import page_routes
from syncd.entrypoints.printable import printable_line
from syncd.entrypoints.standup import WRITES_WINDOW
from syncd.service_layer import registry, wiring
from syncd.service_layer.daemon import Daemon
from syncd.service_layer.inbox import Inbox
from syncd.service_layer.reactions import Reactions
from syncd.service_layer.status_snapshot import StatusPublisher

log = structlog.get_logger("syncd.run")


def run(args: argparse.Namespace) -> int:
    """Load the config (exit 2 when bad, before any tracker is touched), lock the state, run."""
    config = wiring.load_config(args.config)
    redactor = logs.configure(registry.secret_values(config), terminal=wiring.stdout_is_terminal())
    if args.dry_run:
        if args.metrics_port is not None:
            log.warning("a dry run serves no metrics; --metrics-port ignored")
        return _dry_run(config, sys.stdout, args.clock)
    address = _address(args, config)
    metrics: Metrics = NullMetrics() if address is None else _prometheus(redactor.scrub)
    with Store.open(config.state_path) as store:

        def reconfigure(new: Config) -> None:
            secrets = registry.secret_values(new)
            scrub = logs.configure(secrets, terminal=wiring.stdout_is_terminal())
            if not isinstance(metrics, NullMetrics):
                _rescrub(metrics, scrub.scrub)  # /healthz messages masked with the new secrets

        inbox = Inbox(store.deliveries.recent(args.clock()))
        # The status page's data in memory, kept only when a listener serves the page.
        status = None if address is None else StatusPublisher(store, args.clock, WRITES_WINDOW)
        daemon = Daemon(
            config,
            lambda new, stop: wiring.build_service(new, store, stop, metrics, clock=args.clock),
            wiring.load_config,
            on_reload=reconfigure,
            react=Reactions(inbox, store.deliveries, metrics, args.clock).react,
            settled=(lambda: None) if status is None else status.publish,
        )
        inbox.wake = daemon.wake
        daemon.install_signal_handlers()
        latest = None if status is None else status.latest
        pages = page_routes(lambda: daemon.config, args.clock, latest)
        with _serving(address, [*_routes(metrics, daemon, inbox), *pages]):
            log.info("started", config=str(config.source), trackers=sorted(daemon.service.trackers))
            return daemon.run_once() if args.once else daemon.run_forever()


def _address(args: argparse.Namespace, config: Config) -> tuple[str, int, str] | None:
    """Where the listener listens (host, port, the option that said so), or None: no listener.

    `--metrics-port N` (with `--metrics-host`) is a shorthand for `http.listen: 127.0.0.1:N`
    and wins over the file; the file's address is read at start only.
    """
    if args.metrics_port is not None:
        return args.metrics_host, args.metrics_port, "--metrics-port"
    if config.http is not None:
        return config.http.host, config.http.port, "http.listen"
    return None


def _prometheus(scrub: Callable[[str], str]) -> Metrics:
    """Metrics kept for the listener; prometheus_client is imported only when they are served."""
    from syncd.entrypoints.metrics.prometheus import PrometheusMetrics  # noqa: PLC0415

    return PrometheusMetrics(scrub=scrub)


def _rescrub(metrics: Metrics, scrub: Callable[[str], str]) -> None:
    from syncd.entrypoints.metrics.prometheus import PrometheusMetrics  # noqa: PLC0415

    if isinstance(metrics, PrometheusMetrics):
        metrics.scrub = scrub


def _routes(metrics: Metrics, daemon: Daemon, inbox: Inbox) -> tuple[Route, ...]:
    """Everything the listener serves: metrics, health and webhooks."""
    if isinstance(metrics, NullMetrics):
        return ()
    from syncd.entrypoints.metrics.prometheus import PrometheusMetrics  # noqa: PLC0415
    from syncd.entrypoints.metrics.server import metrics_routes  # noqa: PLC0415

    if not isinstance(metrics, PrometheusMetrics):
        return ()
    return (*metrics_routes(metrics), *webhook_routes(lambda: daemon.config, inbox, metrics))


@contextmanager
def _serving(address: tuple[str, int, str] | None, routes: Sequence[Route]) -> Iterator[None]:
    """The listener serving `routes` at `address` until the block ends (nothing when None)."""
    if address is None:
        yield
        return
    host, port, option = address
    with Listener(routes, host, port, Limits(), option=option):
        yield


def _dry_run(config: Config, out: TextIO, clock: Clock) -> int:
    with _readable_state(config.state_path) as store:
        preview = wiring.build_preview(config, store, clock).preview()
    out.write(render_plans(preview.plans))
    if preview.failed:
        out.write(f"not reached: {', '.join(preview.failed)}\n")
    return 1 if preview.failed else 0


@contextmanager
def _readable_state(path: Path) -> Iterator[Store]:
    """The state for reading only (a daemon may hold it), or an empty one when there is none."""
    if path.exists():
        with Store.open(path, read_only=True) as store:
            yield store
        return
    with tempfile.TemporaryDirectory() as scratch, Store.open(Path(scratch, "s.db")) as store:
        yield store


def render_plans(plans: Sequence[IssuePlan]) -> str:
    """The planned changes, one block per issue: tracker, key, tier, then each action and rule."""
    lines: list[str] = []
    for plan in plans:
        if plan.decision is None or not plan.actions:
            continue
        pinned = " (pinned)" if plan.decision.pinned else ""
        # Keys, labels and identities come from the trackers: no escape sequence may act.
        lines.append(
            printable_line(f"{plan.tracker} {plan.key}: tier {plan.decision.tier}{pinned}")
        )
        lines += [
            printable_line(f"  {describe(action)}  [{action.why.rule}: {action.why.reason}]")
            for action in plan.actions
        ]
    changed = sum(1 for line in lines if not line.startswith(" "))
    lines.append(f"dry run: {changed} issues would change; nothing was written")
    return "\n".join(lines) + "\n"


def describe(action: Action) -> str:
    """One action in words."""
    match action:
        case AddLabel(label=label):
            return f"add label {label}"
        case RemoveLabel(label=label):
            return f"remove label {label}"
        case Assign(candidates=candidates, replacing=replacing):
            who = " or ".join(f"{c.identity} ({c.person})" for c in candidates) or "nobody"
            return f"assign {who}" + (f" in place of {replacing}" if replacing else "")
        case Unassign(identity=identity):
            return f"unassign {identity}"
        case Comment(marker=marker):
            return f"comment once ({marker})"

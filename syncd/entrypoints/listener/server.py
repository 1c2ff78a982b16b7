"""The one HTTP listener: waitress serving `Routes` in a background thread, with hard limits.

waitress keeps idle connections in one poll loop (an idle client costs a file descriptor, not a
thread), answers requests on a small pool of worker threads, and enforces the limits below
itself: a client that sends nothing for `idle_timeout` is dropped, a body over `body_bytes` is
refused with 413 before the handler runs, and no more than `connections` are open at once.
"""

from __future__ import annotations

import resource
import socket
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

import structlog
from waitress import trigger, wasyncore
from waitress.server import MultiSocketServer, create_server

from syncd.entrypoints.listener.routes import Route, Routes
from syncd.errors import SyncdError

log = structlog.get_logger("syncd.http")

MAX_BODY_BYTES = 5 * 1024 * 1024  # SPEC §7: a delivery over 5 MiB is refused
# Descriptors left to everything else of the daemon (tracker connections, the state file,
# logs) whatever the connection cap: idle clients must never starve the trackers.
_RESERVED_FDS = 64


class ListenFailed(SyncdError):
    """The listener cannot listen on the address asked for."""


@dataclass(frozen=True)
class Limits:
    """How much of the process the open network may hold."""

    connections: int = 100
    idle_timeout: int = 30  # whole seconds without a byte from the client (waitress takes ints)
    body_bytes: int = MAX_BODY_BYTES
    threads: int = 4


def connection_cap(wanted: int, fd_limit: int) -> int:
    """`wanted`, lowered so open connections always leave `_RESERVED_FDS` descriptors free."""
    return max(1, min(wanted, fd_limit - _RESERVED_FDS))


def _fd_limit() -> int:
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return soft if soft != resource.RLIM_INFINITY else 1 << 20


class Listener:
    """Serves `routes` on host:port in a daemon thread until `close()`."""

    def __init__(
        self,
        routes: Iterable[Route],
        host: str,
        port: int,
        limits: Limits = Limits(),
        *,
        option: str = "http.listen",
    ) -> None:
        # The poll loop's map (dispatchers, whatever the stubs say), ours to close on its thread.
        self._sockets: dict[int, socket.socket] = {}
        try:
            server = create_server(
                Routes(routes),
                map=self._sockets,
                host=host,
                port=port,
                threads=limits.threads,
                connection_limit=connection_cap(limits.connections, _fd_limit()),
                channel_timeout=limits.idle_timeout,
                # Idle clients are looked for every second: dropped at most a second late.
                cleanup_interval=1,
                max_request_body_size=limits.body_bytes,
                asyncore_use_poll=True,  # select() fails past descriptor 1024
                log_socket_errors=False,  # a client gone mid-answer is no error of syncd's
                expose_tracebacks=False,
                ident="syncd",
            )
        except (OSError, OverflowError, ValueError) as exc:
            raise ListenFailed(f"{option}: cannot listen on {host}:{port}: {exc}") from exc
        if isinstance(server, MultiSocketServer):  # one host:port gives one socket
            server.close()
            raise ListenFailed(f"{option}: {host}:{port} names more than one address")
        self._server = server
        self.host, self.port = host, int(server.getsockname()[1])
        self._thread = threading.Thread(target=self._server.run, name="syncd-http", daemon=True)
        self._thread.start()
        log.info("serving http", url=f"http://{host}:{self.port}/")

    def close(self) -> None:
        """Stop serving and free the port."""
        # The poll loop owns its sockets: close them on its thread, which then returns.
        done = threading.Event()

        def close_all(_: None = None) -> None:
            wasyncore.close_all(self._sockets)
            done.set()

        cast(trigger.trigger, self._server.trigger).pull_trigger(close_all)
        done.wait(timeout=5)
        self._thread.join(timeout=5)
        self._server.task_dispatcher.shutdown(timeout=5)

    def __enter__(self) -> Listener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

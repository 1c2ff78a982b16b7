"""The HTTP listener on 127.0.0.1: routing, and the limits that let it face the open network."""

from __future__ import annotations

import http.client
import logging
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from syncd.entrypoints.listener import MAX_BODY_BYTES, Answer, Limits, Listener, Request, Route
from syncd.entrypoints.listener.server import connection_cap


def hello(request: Request) -> Answer:
    return Answer.text(200, f"hello {len(request.body)}\n")


def huge(request: Request) -> Answer:
    return Answer(200, "application/octet-stream", b"x" * 20_000_000)


def broken(request: Request) -> Answer:
    raise RuntimeError("a bug in a page")


ROUTES = (
    Route("/hello", {"GET": hello, "POST": hello}),
    Route("/huge", {"GET": huge}),
    Route("/broken", {"GET": broken}),
)


@pytest.fixture
def listener() -> Iterator[Listener]:
    with Listener(ROUTES, "127.0.0.1", 0, Limits(idle_timeout=1, body_bytes=1024)) as served:
        yield served


def ask(port: int, method: str, path: str, body: bytes = b"") -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request(method, path, body=body)
        answer = connection.getresponse()
        return answer.status, dict(answer.getheaders()), answer.read()
    finally:
        connection.close()


class TestRouting:
    def test_a_route_answers_its_methods_and_refuses_others_with_405(
        self, listener: Listener
    ) -> None:
        """POST to a GET-only path is 405 naming the methods it takes; unknown paths are 404."""
        got = ask(listener.port, "POST", "/hello", b"abc")
        refused = ask(listener.port, "DELETE", "/huge")
        missing = ask(listener.port, "GET", "/nowhere")

        assert (got[0], got[2]) == (200, b"hello 3\n")
        assert (refused[0], refused[1]["Allow"]) == (405, "GET, HEAD")
        assert missing[0] == 404

    def test_a_failing_handler_is_a_500_and_the_listener_keeps_serving(
        self, listener: Listener
    ) -> None:
        """A bug in one page answers 500 without its traceback; the next request is served."""
        status, _, body = ask(listener.port, "GET", "/broken")

        assert status == 500
        assert b"a bug in a page" not in body
        assert ask(listener.port, "GET", "/hello")[0] == 200


class TestLimits:
    def test_the_default_body_cap_is_5_mib(self) -> None:
        """SPEC §7: deliveries over 5 MiB are refused."""
        assert Limits().body_bytes == MAX_BODY_BYTES == 5 * 1024 * 1024

    def test_a_body_over_the_cap_is_refused_with_413_before_it_is_read(
        self, listener: Listener
    ) -> None:
        """A Content-Length over the cap answers 413 without waiting for the body."""
        with socket.create_connection(("127.0.0.1", listener.port), timeout=5) as client:
            client.sendall(b"POST /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 2048\r\n\r\n")
            first = client.recv(100)

        assert first.startswith(b"HTTP/1.1 413")

    def test_a_client_that_sends_nothing_is_dropped_after_the_idle_timeout(
        self, listener: Listener
    ) -> None:
        """An idle connection is closed by the server once idle_timeout (1 s here) has passed."""
        with socket.create_connection(("127.0.0.1", listener.port), timeout=10) as client:
            started = time.monotonic()
            closed = client.recv(100)
            waited = time.monotonic() - started

        assert closed == b""
        assert 0.9 <= waited < 5

    def test_a_client_gone_mid_answer_logs_no_traceback(
        self, listener: Listener, caplog: pytest.LogCaptureFixture
    ) -> None:
        """A client resetting the connection during a long answer leaves no traceback in the log."""
        caplog.set_level(logging.DEBUG)
        with socket.create_connection(("127.0.0.1", listener.port), timeout=5) as client:
            client.sendall(b"GET /huge HTTP/1.1\r\nHost: x\r\n\r\n")
            assert client.recv(100).startswith(b"HTTP/1.1 200")
            # SO_LINGER 0: close with a reset, as a client that vanished does.
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        time.sleep(0.5)

        assert ask(listener.port, "GET", "/hello")[0] == 200
        assert [r.getMessage() for r in caplog.records if r.exc_info] == []

    def test_the_connection_cap_leaves_descriptors_for_the_rest_of_the_daemon(self) -> None:
        """The cap asked for, lowered below the process's descriptor limit when it is small."""
        assert connection_cap(100, 1024) == 100
        assert connection_cap(100, 128) == 64
        assert connection_cap(100, 10) == 1


# A daemon with a descriptor limit of 256, as on the machine of the report.
_CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_NOFILE, (256, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
from syncd.entrypoints.listener import Limits
from syncd.entrypoints.metrics import MetricsServer, PrometheusMetrics
server = MetricsServer(PrometheusMetrics(), "127.0.0.1", 0, Limits(connections=200, idle_timeout=1))
print(server.port, flush=True)
sys.stdin.read()
"""


class TestIdleConnectionsDoNotStarveTheProcess:
    def test_healthz_answers_while_300_idle_connections_are_open(self) -> None:
        """300 idle sockets against a process limited to 256 descriptors: /healthz answers."""
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        idle: list[socket.socket] = []
        try:
            assert child.stdout is not None
            port = int(next(line for line in child.stdout if line.strip().isdigit()))
            idle = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(300)]
            started = time.monotonic()

            status, _, body = ask_slowly(port, "/healthz", within=15)

            assert (status, b'"starting"' in body) == (503, True)
            assert time.monotonic() - started < 15
        finally:
            for sock in idle:
                sock.close()
            child.kill()
            child.wait()


def ask_slowly(port: int, path: str, within: float) -> tuple[int, dict[str, str], bytes]:
    """GET `path` with a timeout long enough for the idle clients ahead of it to be dropped."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=within)
    try:
        connection.request("GET", path)
        answer = connection.getresponse()
        return answer.status, dict(answer.getheaders()), answer.read()
    finally:
        connection.close()

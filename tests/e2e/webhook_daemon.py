"""A `syncd run` with webhooks on, for end-to-end tests: started, watched through /metrics.

Each tracker of the e2e world gets its own `webhook_secret` (from the environment, as in
production) and the listener a free loopback port; `poll_interval: 5m`, so that what settles a
change within seconds is a webhook, not a poll.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import requests
import yaml
from prometheus_client.parser import text_string_to_metric_families

from syncd.clock import utc_now
from tests.e2e.e2e_world import RUN_TIMEOUT, World

SECRETS = {"web": "gh-hook-secret", "support": "cloud-hook-secret", "ops": "dc-hook-secret"}


@dataclass
class Daemon:
    """The running `syncd run` and how to reach its listener."""

    world: World
    process: subprocess.Popen[bytes]
    port: int

    def hook(self, tracker: str) -> str:
        """The webhook URL of `tracker`."""
        return f"http://127.0.0.1:{self.port}/webhooks/{tracker}"

    def metric(self, sample: str, **labels: str) -> float:
        """The sum of `sample` (e.g. `syncd_cycles_total`) over series matching `labels`."""
        text = requests.get(f"http://127.0.0.1:{self.port}/metrics", timeout=5).text
        return sum(
            s.value
            for family in text_string_to_metric_families(text)
            for s in family.samples
            if s.name == sample and labels.items() <= s.labels.items()
        )

    def log(self) -> str:
        """What syncd printed so far."""
        return (self.world.home / "syncd.log").read_text(encoding="utf-8", errors="replace")

    def post(self, tracker: str, body: bytes, headers: dict[str, str]) -> int:
        """POST a delivery to `tracker`'s webhook; the status answered."""
        answer = requests.post(self.hook(tracker), data=body, headers=headers, timeout=10)
        return answer.status_code

    def cycles(self) -> float:
        """Tracker cycles finished so far (each tracker's cycle counts one)."""
        return self.metric("syncd_cycles_total")

    def quiet(self) -> None:
        """Wait until the sandbox has posted every delivery and syncd settled every one queued
        (an echo of a reaction's write is queued before that reaction counts as settled)."""
        deadline = time.monotonic() + RUN_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "syncd exited"
            queued = self.metric("syncd_webhook_deliveries_total", result="queued")
            settled = self.metric("syncd_webhook_reaction_seconds_count")
            if (
                queued == settled
                and self.world.sandbox.webhooks.drain(RUN_TIMEOUT)
                and self.metric("syncd_webhook_deliveries_total", result="queued") == queued
            ):
                return
            time.sleep(0.05)
        raise AssertionError("deliveries still being settled")


def start_daemon(world: World) -> Daemon:
    """`syncd run` on `world`'s config with `poll_interval: 5m`, a listener and webhook
    secrets, once its listener answers (its first cycle may still run)."""
    port = free_port()
    document = yaml.safe_load(world.config_path.read_text(encoding="utf-8"))
    document["poll_interval"] = "5m"
    document["http"] = {"listen": f"127.0.0.1:{port}"}
    for tracker in document["trackers"]:
        tracker["webhook_secret"] = f"${{HOOK_SECRET_{tracker['name'].upper()}}}"
    world.config_path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return Daemon(world, _start(world, port), port)


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(world: World, port: int) -> subprocess.Popen[bytes]:
    """The process, logging to syncd.log in the world's home, once its listener answers."""
    env = {k: v for k, v in os.environ.items() if not k.endswith(("TOKEN", "EMAIL"))}
    env.pop("SYNCD_CONFIG", None)
    env.update({f"HOOK_SECRET_{name.upper()}": secret for name, secret in SECRETS.items()})
    world.first_run = utc_now()
    with (world.home / "syncd.log").open("wb") as log:  # the child keeps its own handle
        process = subprocess.Popen(
            [sys.executable, "-m", "syncd", "run", "-c", str(world.config_path)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=world.home,
        )
    deadline = time.monotonic() + RUN_TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        try:
            requests.get(f"http://127.0.0.1:{port}/metrics", timeout=1)
            return process
        except requests.ConnectionError:
            time.sleep(0.1)
    process.kill()
    process.wait(RUN_TIMEOUT)
    raise AssertionError((world.home / "syncd.log").read_text(encoding="utf-8")[-3000:])


def wait_for(condition: Callable[[], bool], what: str, seconds: float = RUN_TIMEOUT) -> float:
    """Poll `condition` until true; the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if condition():
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError(f"not within {seconds:g} s: {what}")


def github_delivery(key: str, delivery: str, secret: str) -> tuple[bytes, dict[str, str]]:
    """A signed `issues` `edited` delivery naming GitHub issue `key`."""
    repo, _, number = key.partition("#")
    body = json.dumps(
        {"action": "edited", "issue": {"number": int(number)}, "repository": {"full_name": repo}}
    ).encode()
    headers = {
        "Content-Type": "application/json",
        "X-GitHub-Event": "issues",
        "X-GitHub-Delivery": delivery,
        "X-Hub-Signature-256": f"sha256={_hmac(secret, body)}",
    }
    return body, headers


def jira_delivery(key: str, delivery: str, secret: str) -> tuple[bytes, dict[str, str]]:
    """A signed `jira:issue_updated` delivery naming Jira issue `key`."""
    body = json.dumps({"webhookEvent": "jira:issue_updated", "issue": {"key": key}}).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Atlassian-Webhook-Identifier": delivery,
        "X-Hub-Signature": f"sha256={_hmac(secret, body)}",
    }
    return body, headers


def _hmac(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()

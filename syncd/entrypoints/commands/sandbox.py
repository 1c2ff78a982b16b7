"""`syncd sandbox`: serve the local GitHub and Jira stand-in until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import os
import signal
import threading
from collections.abc import Mapping
from types import FrameType

from syncd.errors import UsageError
from syncd.sandbox.deliveries import Target
from syncd.sandbox.seed import Seed
from syncd.sandbox.seed_yaml import demo_seed, load_seed
from syncd.sandbox.server import Sandbox


def run(args: argparse.Namespace) -> int:
    """Start the sandbox, print how to reach it, wait for a stop signal, exit 0."""
    seed = load_seed(args.seed) if args.seed else demo_seed()
    targets = webhook_targets(args, os.environ)
    try:
        sandbox = Sandbox(seed, port=args.port)
    except OSError as exc:
        raise UsageError(f"cannot listen on 127.0.0.1:{args.port}: {exc.strerror}") from exc
    sandbox.deliver_webhooks(**targets)
    if args.secondary_limits:
        sandbox.enforce_secondary_limits()
    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    with sandbox:
        print(describe(sandbox, seed), flush=True)
        stop.wait()
    return 0


def describe(sandbox: Sandbox, seed: Seed) -> str:
    """The URLs and the (non-secret, fixed) tokens to use against `sandbox`."""
    cloud, dc = seed.jira_cloud, seed.jira_dc
    return "\n".join(
        [
            f"syncd sandbox listening on {sandbox.url} (Ctrl-C to stop)",
            f"  GitHub       base_url {sandbox.github_url}  token {seed.github.token}",
            f"  Jira Cloud   url {sandbox.jira_cloud_url}  email {cloud.email} token {cloud.token}",
            f"  Jira DC      url {sandbox.jira_dc_url}  token {dc.token}",
            f"  admin        {sandbox.url}/_admin/state  /_admin/stats  /_admin/faults",
            *(
                ["  limits       GitHub writes: 80 a minute, 500 an hour (403 beyond)"]
                if sandbox.secondary is not None
                else []
            ),
            *(
                f"  webhooks     {side} -> {target.url}"
                for side, target in sandbox.webhooks.targets().items()
            ),
        ]
    )


SECRET_VARIABLE = "SANDBOX_WEBHOOK_SECRET"  # noqa: S105 - the name of the variable


def webhook_targets(args: argparse.Namespace, environ: Mapping[str, str]) -> dict[str, Target]:
    """`deliver_webhooks` keywords from --webhook-github/-jira-cloud/-jira-dc URL, all signed
    with the secret in $SANDBOX_WEBHOOK_SECRET (never an argument: `ps` would show it)."""
    urls = {
        "github": args.webhook_github,
        "jira_cloud": args.webhook_jira_cloud,
        "jira_dc": args.webhook_jira_dc,
    }
    chosen = {side: url for side, url in urls.items() if url}
    secret = environ.get(SECRET_VARIABLE, "")
    if chosen and not secret:
        raise UsageError(f"--webhook-... needs the secret in the environment: {SECRET_VARIABLE}")
    for url in chosen.values():
        if not url.startswith(("http://", "https://")):
            raise UsageError(f"a webhook URL must start with http:// or https://, not {url!r}")
    return {side: Target(url, secret) for side, url in chosen.items()}

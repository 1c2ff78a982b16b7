"""Fixtures: one sandbox per test module (reset before each test) and a syncd world around it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from syncd.clock import utc_now
from syncd.sandbox.seed_shift import moved
from syncd.sandbox.seed_yaml import demo_seed
from syncd.sandbox.server import Sandbox
from tests.e2e.e2e_world import World


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    """The demo seed on a free loopback port, on the real clock (syncd runs on it too).

    The seed is moved to an hour ago, so that on any day the trackers hold nothing from the
    future (an edit a test makes is always newer than the seed, as in a real tracker).
    """
    with Sandbox(moved(demo_seed(), utc_now())) as running:
        yield running


@pytest.fixture
def world(sandbox: Sandbox, tmp_path: Path) -> World:
    """The sandbox back at its seed, and a config whose rotation is alice and bob."""
    sandbox.reset()
    return World(sandbox, tmp_path)

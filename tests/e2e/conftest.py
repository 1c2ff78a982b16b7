"""Fixtures: one sandbox per test module (reset before each test) and a syncd world around it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from syncd.sandbox.seed import demo_seed
from syncd.sandbox.server import Sandbox
from tests.e2e.e2e_world import World


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    """The demo seed on a free loopback port, on the real clock (syncd runs on it too)."""
    with Sandbox(demo_seed()) as running:
        yield running


@pytest.fixture
def world(sandbox: Sandbox, tmp_path: Path) -> World:
    """The sandbox back at its seed, and a config whose rotation is alice and bob."""
    sandbox.reset()
    return World(sandbox, tmp_path)

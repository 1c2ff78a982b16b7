"""The report tests' service world: two fake trackers, a real state file and a fake clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.service.world import World, two_trackers


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    """A fresh world over the SPEC config; its state file is closed afterwards."""
    made = World(tmp_path, two_trackers())
    yield made
    assert made.store is not None
    made.store.close()

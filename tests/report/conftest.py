"""The report tests' service world: two fake trackers, a real state file and a fake clock."""

from __future__ import annotations

import pytest

from tests.service.world import fresh_world

world = pytest.fixture(fresh_world, name="world")

"""Suite-wide test settings: reproducible property tests, and logging put back after a run."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import pytest
import structlog
from hypothesis import HealthCheck, settings

# The machine is small and shared: a per-example deadline measures the neighbours, not syncd.
settings.register_profile("local", deadline=None, suppress_health_check=[HealthCheck.too_slow])
# CI must land or fail for a reason: the same examples on every run, no example database.
settings.register_profile(
    "ci",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
    database=None,
    print_blob=True,
)
settings.load_profile("ci" if os.environ.get("CI") else "local")


@pytest.fixture(autouse=True)
def quiet_logs() -> Iterator[None]:
    """`syncd run` and `syncd demo` configure logging for the process (the demo's points at a
    stream pytest closes after the test): put it back after every test, whichever ran."""
    yield
    structlog.reset_defaults()
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == "syncd"]:
        root.removeHandler(handler)

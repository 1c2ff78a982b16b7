"""Suite-wide test settings: property tests that are reproducible in CI and immune to load."""

from __future__ import annotations

import os

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

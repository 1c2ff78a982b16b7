"""docs/operations.md names what the code really has: metrics, health states, log events,
the deployment files' paths and the online check's rows."""

from __future__ import annotations

import re
from pathlib import Path

from prometheus_client.metrics_core import Metric

from syncd.entrypoints.metrics import PrometheusMetrics

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "operations.md"
SOURCES = "\n".join(p.read_text() for p in (ROOT / "syncd").rglob("*.py"))


def documented_metrics(text: str) -> set[str]:
    """The metric names in the first column of the metrics table."""
    return set(re.findall(r"^\| `(syncd_[a-z_]+)` \|", text, re.MULTILINE))


def exposed_name(family: Metric) -> str:
    """The name a family is scraped under: counters carry `_total`."""
    return f"{family.name}_total" if family.type == "counter" else family.name


def quoted_events(text: str) -> list[str]:
    """The log event names in the first column of the events table."""
    rows = re.findall(r"^\| (`[^|]+`) \| (?:info|warning|error)", text, re.MULTILINE)
    return [event for row in rows for event in re.findall(r"`([^`]+)`", row)]


class TestOperationsDocument:
    """What docs/operations.md claims, checked against the code."""

    def test_the_metrics_table_is_exactly_what_syncd_exposes(self) -> None:
        """Every metric family of PrometheusMetrics is documented, and nothing else is."""
        metrics = PrometheusMetrics()
        metrics.track(["web"])

        exposed = {exposed_name(family) for family in metrics.registry.collect()}

        assert documented_metrics(DOC.read_text()) == exposed

    def test_every_log_event_in_the_table_is_logged_by_syncd(self) -> None:
        """Each event name appears as a string literal in syncd's sources."""
        events = quoted_events(DOC.read_text())

        missing = [e for e in events if f'"{e}"' not in SOURCES and f"'{e}'" not in SOURCES]
        assert len(events) >= 10
        assert missing == []

    def test_the_health_states_are_those_of_syncd_health(self) -> None:
        """ok, paused, starting, failing: the states the document lists."""
        states = set(re.findall(r"^\| `([a-z]+)` \| (?:200|503) \|", DOC.read_text(), re.M))

        health = (ROOT / "syncd" / "entrypoints" / "metrics" / "health.py").read_text()
        assert states == {"ok", "paused", "starting", "failing"}
        assert all(f'"{state}"' in health for state in states)

    def test_the_deployment_files_it_points_to_exist(self) -> None:
        """config/syncd.service, the Dockerfile and the schema module are where it says."""
        text = DOC.read_text()

        for path in (
            "config/syncd.service",
            "Dockerfile",
            "syncd/adapters/state/schema.py",
        ):
            assert f"`{path}`" in text
            assert (ROOT / path).exists()

    def test_the_online_check_rows_it_names_are_produced_by_the_checks(self) -> None:
        """Each GitHub check name in the table is built by syncd/adapters/github/online.py."""
        github = (ROOT / "syncd" / "adapters" / "github" / "online.py").read_text()
        rows = re.findall(r"^\| GitHub \| `([^`]+)` \|", DOC.read_text(), re.MULTILINE)

        stems = [row.split(" ")[0] if row.startswith("repo ") else row for row in rows]
        fixed = [s for s in stems if s in {"token", "reach GitHub", "repo"}]
        suffixes = [row.split(": ", 1)[1].split(" ")[0] for row in rows if ": " in row]
        assert len(rows) == 7
        assert all(f'"{s}' in github for s in fixed)
        assert "PERSON exists" in rows and '} exists"' in github
        assert all(f": {suffix}" in github for suffix in suffixes)

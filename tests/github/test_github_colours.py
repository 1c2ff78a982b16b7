"""Colours of the labels syncd creates in GitHub repositories."""

from __future__ import annotations

import json
import re

import responses
from github_payloads import API, DictEtags, label

from syncd.adapters.github.colours import label_colour, tier_label_colours
from syncd.config.model import AssignMode, Rule, Tiers
from syncd.domain.conditions import Labels, LabelTest
from syncd.service_layer.wiring import build_trackers
from tests.builders import a_config, a_github_tracker

HEX = re.compile(r"^[0-9a-f]{6}$")
OUTAGE = Labels(LabelTest.ANY, frozenset({"outage"}))


class TestLabelColour:
    """label_colour and tier_label_colours."""

    def test_usual_tiers_have_fixed_colours(self) -> None:
        """fire is red, queue yellow, acknowledged green, triage light blue."""
        colours = {
            name: label_colour(f"tier/{name}", {}, "needs-team")
            for name in ("fire", "queue", "acknowledged", "triage")
        }

        assert colours == {
            "fire": "b60205",
            "queue": "fbca04",
            "acknowledged": "0e8a16",
            "triage": "c5def5",
        }

    def test_the_flag_label_is_orange(self) -> None:
        """The flag label gets d93f0b, whatever its name."""
        assert label_colour("too-big", {}, "too-big") == "d93f0b"

    def test_other_tiers_get_a_stable_hex_colour(self) -> None:
        """An unusual tier name gets the same valid colour every time, distinct per name."""
        first = label_colour("tier/escalated-legal", {}, "needs-team")

        assert HEX.match(first)
        assert label_colour("tier/escalated-legal", {}, "needs-team") == first
        assert label_colour("tier/escalated-sales", {}, "needs-team") != first

    def test_an_explicit_mapping_wins(self) -> None:
        """`label_colours` given to the adapter overrides the defaults."""
        assert label_colour("tier/fire", {"tier/fire": "000000"}, "needs-team") == "000000"

    def test_tier_label_colours_covers_every_rule_and_the_default(self) -> None:
        """The mapping the composition root can pass: one entry per tier label."""
        tiers = Tiers(
            label_prefix="sev:",
            rules=(Rule("fire", AssignMode.ROTATION, OUTAGE, "tiers.rules[0]"),),
            default_tier="triage",
            default_assign=AssignMode.NONE,
        )

        assert tier_label_colours(tiers) == {"sev:fire": "b60205", "sev:triage": "c5def5"}


class TestCompositionRoot:
    """The colours the adapter built by syncd.service_layer.wiring creates labels with."""

    @responses.activate
    def test_a_tier_label_under_a_custom_prefix_keeps_its_tier_colour(self) -> None:
        """With `label_prefix: "sev:"`, a new `sev:fire` label is created red, like `tier/fire`."""
        config = a_config(label_prefix="sev:", trackers=(a_github_tracker(repos=("acme/web",)),))
        labels = f"{API}/repos/acme/web/labels"
        responses.get(f"{labels}/sev%3Afire", status=404, json={"message": "Not Found"})
        responses.post(labels, status=201, json=label("sev:fire", "b60205"))
        responses.post(f"{API}/repos/acme/web/issues/12/labels", json=[label("sev:fire")])
        web = build_trackers(config, lambda _name: DictEtags())["web"]

        web.add_label("acme/web#12", "sev:fire")

        assert json.loads(responses.calls[1].request.body or "{}")["color"] == "b60205"

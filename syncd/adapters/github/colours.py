"""The colour a label gets when syncd has to create it in a repository."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from syncd.config.model import Tiers

# Tier colours people recognise at a glance: red burns, yellow waits, green is handled.
TIER_COLOURS: Mapping[str, str] = {
    "fire": "b60205",
    "queue": "fbca04",
    "acknowledged": "0e8a16",
    "triage": "c5def5",
}
FLAG_COLOUR = "d93f0b"


def tier_colour(tier: str) -> str:
    """The colour of a tier: a fixed one for the usual tiers, else a stable hash colour."""
    known = TIER_COLOURS.get(tier.casefold())
    if known is not None:
        return known
    # stable across processes and machines (unlike hash()), so a label looks the same everywhere
    return hashlib.sha256(tier.encode("utf-8", "surrogatepass")).hexdigest()[:6]


def tier_label_colours(tiers: Tiers) -> dict[str, str]:
    """Label name -> colour for every tier the rules can produce, for the adapter's creations."""
    names = [rule.tier for rule in tiers.rules] + [tiers.default_tier]
    return {tiers.label(name): tier_colour(name) for name in names}


def label_colour(label: str, colours: Mapping[str, str], flag_label: str) -> str:
    """`colours` first, then the flag colour, else the colour of the tier the label names.

    syncd only ever creates tier labels and the flag label, so without a mapping the part
    after the last `/` (`tier/fire` -> `fire`) is taken as the tier.
    """
    if label in colours:
        return colours[label]
    if label.casefold() == flag_label.casefold():
        return FLAG_COLOUR
    return tier_colour(label.rsplit("/", 1)[-1])

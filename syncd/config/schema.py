"""Every key path the configuration loader accepts, read from the key lists the loader uses.

Paths are dotted; `[]` stands for any list item, `<id>` for a person id and `<tracker>` for a
tracker name (keys the user chooses). docs/configuration.md is tested against this list.
"""

from __future__ import annotations

from collections.abc import Iterable

from syncd.config.github_app import APP_KEYS
from syncd.config.listen import HTTP_KEYS
from syncd.config.loader import _TOP_KEYS
from syncd.config.notify import NOTIFY_KEYS
from syncd.config.people import PERSON_KEYS, identity_keys
from syncd.config.rotation import _KEYS as _ROTATION_KEYS
from syncd.config.rotation import MEMBER_KEYS, OVERRIDE_KEYS, SKIP_KEYS
from syncd.config.tiers import _ESTIMATES_KEYS, _RULE_KEYS, _TIERS_KEYS, DEFAULT_KEYS
from syncd.config.trackers import COMMON
from syncd.service_layer.registry import registered


def _under(prefix: str, keys: Iterable[str]) -> list[str]:
    return [f"{prefix}.{key}" for key in keys]


def schema_keys() -> tuple[str, ...]:
    """Every dotted key path a configuration file may contain, in file order."""
    paths = list(_TOP_KEYS)
    paths.append("people.<id>")
    for kind in identity_keys():
        paths += [f"people.<id>.{kind}", f"people.<id>.{kind}.<tracker>"]
    paths += _under("people.<id>", PERSON_KEYS)
    paths += _under("rotation", _ROTATION_KEYS)
    paths += _under("rotation.members[]", MEMBER_KEYS)
    paths += _under("rotation.skips[]", SKIP_KEYS)
    paths += _under("rotation.overrides[]", OVERRIDE_KEYS)
    paths += _under("tiers", _TIERS_KEYS)
    paths += _under("tiers.rules[]", _RULE_KEYS)
    paths += _under("tiers.default", DEFAULT_KEYS)
    paths += _under("estimates", _ESTIMATES_KEYS)
    kinds = registered()
    own_keys = (key for kind in kinds for key in kind.keys)
    paths += _under("trackers[]", dict.fromkeys((*COMMON, *own_keys)))
    estimate_keys = dict.fromkeys(key for kind in kinds for key in kind.estimate_keys)
    paths += _under("trackers[].estimate", estimate_keys)
    paths += _under("trackers[].app", APP_KEYS)
    paths += _under("http", HTTP_KEYS)
    paths += _under("notify", NOTIFY_KEYS)
    return tuple(dict.fromkeys(paths))

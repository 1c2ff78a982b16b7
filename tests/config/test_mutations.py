"""Random damage to a valid document yields a ConfigError or a Config, never another exception."""

from __future__ import annotations

from datetime import date

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syncd.config.loader import loads
from syncd.errors import ConfigError
from tests.config.sample import ENV, VALID

Tree = dict[str, object] | list[object] | object

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.dates(min_value=date(1, 1, 1)),
    st.sampled_from(["> 2d", "none", "${UNSET}", "${GITHUB_TOKEN}", "(", "mon", "09:00", "1w 2d"]),
)
VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=3),
    st.dictionaries(st.text(max_size=8), SCALARS, max_size=3),
)


def _containers(tree: Tree) -> list[dict[str, object] | list[object]]:
    """Every mapping and list inside `tree`, itself included."""
    found: list[dict[str, object] | list[object]] = []
    if isinstance(tree, dict | list):
        found.append(tree)
        for child in tree.values() if isinstance(tree, dict) else tree:
            found.extend(_containers(child))
    return found


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """VALID with one to three random edits: a key deleted, a value replaced, a key added."""
    tree = yaml.safe_load(VALID)
    for _ in range(draw(st.integers(1, 3))):
        target = draw(st.sampled_from(_containers(tree)))
        action = draw(st.sampled_from(["delete", "replace", "insert"]))
        keys: list[object] = list(target) if isinstance(target, dict) else list(range(len(target)))
        if action == "insert" and isinstance(target, dict):
            target[draw(st.text(min_size=1, max_size=12))] = draw(VALUES)
        elif keys and action == "delete":
            del target[draw(st.sampled_from(keys))]  # type: ignore[index]
        elif keys:
            target[draw(st.sampled_from(keys))] = draw(VALUES)  # type: ignore[index]
    return yaml.safe_dump(tree, allow_unicode=True)


class TestMutations:
    """The loader's only failure mode is ConfigError."""

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(text=mutated())
    def test_a_mutated_document_loads_or_raises_config_error(self, text: str) -> None:
        """Whatever the edit, the loader returns a Config or raises ConfigError with problems."""
        try:
            loads(text, "fuzz.yaml", ENV)
        except ConfigError as exc:
            assert exc.problems
            assert all(value not in str(exc) for value in ENV.values())

    @settings(max_examples=200, deadline=None)
    @given(text=st.text(max_size=200))
    def test_arbitrary_text_loads_or_raises_config_error(self, text: str) -> None:
        """Any text at all fails only with ConfigError."""
        try:
            loads(text, "junk.yaml", ENV)
        except ConfigError as exc:
            assert exc.problems

"""Arbitrary YAML documents fail only with ConfigError; tags that would build objects build none."""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syncd.config.loader import loads
from syncd.errors import ConfigError
from tests.config.sample import ENV, VALID

KEYS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["people", "rotation", "tiers", "trackers", "estimates", "when", "rules"]),
    st.integers(-5, 5),
    st.booleans(),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.dates(min_value=date(1, 1, 1)),
    st.sampled_from(["(a+)+$", "${GITHUB_TOKEN}", "${NOPE}", "> 2d", "\u202e\u0000x", "🔥"]),
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=4)
    ),
    max_leaves=30,
)
SECTIONS = st.fixed_dictionaries(
    {},
    optional={
        name: DOCUMENTS
        for name in ("people", "rotation", "tiers", "estimates", "trackers", "poll_interval")
    },
)
# Each would construct a Python object (or run code) under yaml.load with an unsafe loader.
UNSAFE = (
    "!!python/object:os.system {}",
    "!!python/object/apply:os.system ['echo pwned']",
    "!!python/name:os.system",
    "people: !!python/object/new:builtins.dict {}",
    "tiers: {rules: !!python/tuple [1, 2]}",
)


class TestArbitraryDocuments:
    """Whatever tree a YAML file holds, the loader raises ConfigError with located problems."""

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(tree=DOCUMENTS)
    def test_any_document_fails_only_with_config_error(self, tree: object) -> None:
        """Random nested dicts, lists and scalars never escape as another exception."""
        text = yaml.safe_dump(tree, allow_unicode=True)

        with pytest.raises(ConfigError) as raised:
            loads(text, "fuzz.yaml", ENV)

        assert raised.value.problems

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(sections=SECTIONS)
    def test_documents_with_the_right_top_level_keys_fail_only_with_config_error(
        self, sections: dict[str, object]
    ) -> None:
        """Known sections with random content reach deeper readers; still only ConfigError."""
        text = yaml.safe_dump(sections, allow_unicode=True)

        with pytest.raises(ConfigError) as raised:
            loads(text, "fuzz.yaml", ENV)

        assert all(value not in str(raised.value) for value in ENV.values())


class TestUnsafeTags:
    """YAML is read safely: Python tags are configuration errors and construct nothing."""

    @pytest.mark.parametrize("document", UNSAFE)
    def test_a_python_tag_is_a_config_error(self, document: str) -> None:
        """The file is refused with a ConfigError naming the file."""
        with pytest.raises(ConfigError) as raised:
            loads(document, "unsafe.yaml", ENV)

        assert "unsafe.yaml" in str(raised.value)

    def test_a_python_tag_inside_a_valid_document_is_a_config_error(self) -> None:
        """One tagged value in an otherwise valid file still refuses the file."""
        document = VALID.replace("members: [alice, bob]", "members: !!python/tuple [alice, bob]")
        assert document != VALID

        with pytest.raises(ConfigError):
            loads(document, "unsafe.yaml", ENV)

    def test_nothing_is_constructed(self, tmp_path: object) -> None:
        """`!!python/object/apply` would call its function; the loader never does."""
        called: list[str] = []
        yaml_module_apply = "!!python/object/apply:tests.hostile.test_yaml_documents.record []"
        _RECORDED.clear()

        with pytest.raises(ConfigError):
            loads(yaml_module_apply, "unsafe.yaml", ENV)

        assert _RECORDED == called == []


_RECORDED: list[str] = []


def record() -> str:
    """What an unsafe loader would call; the test checks it never runs."""
    _RECORDED.append("called")
    return "called"

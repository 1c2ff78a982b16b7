"""docs/configuration.md matches the loader: every key it documents is accepted, every key the
loader accepts is documented, and its complete example loads and uses them all."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from syncd.config.loader import loads
from syncd.config.schema import schema_keys
from syncd.config.when import CONDITION_NAMES

DOC = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"
EXAMPLE_MARKER = "<!-- complete example: tests/docs loads this block -->"
ENV = {
    "GITHUB_TOKEN": "gh-doc-token",
    "JIRA_EMAIL": "support@example.com",
    "JIRA_API_TOKEN": "jira-doc-token",
    "JIRA_DC_TOKEN": "dc-doc-token",
    "SYNCD_HTTP_TOKEN": "http-doc-token",
    "GITHUB_WEBHOOK_SECRET": "gh-hook-doc-secret",
    "JIRA_WEBHOOK_SECRET": "jira-hook-doc-secret",
    "SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/T000/B000/doc",
    "NOTIFY_WEBHOOK_URL": "https://events.example.com/syncd",
}
COMBINATORS = ("all", "any", "not")
# A GitHub tracker takes `token` or `app`, never both: the complete example uses tokens, and
# docs/github-app.md's examples (tests/docs/test_docs_github_app.py) use every `app` key.
ALTERNATIVES = frozenset(
    {
        "trackers[].app",
        "trackers[].app.id",
        "trackers[].app.private_key",
        "trackers[].app.private_key_file",
    }
)


def table_column(text: str, header: str) -> list[str]:
    """The first-column `code` cells of every table whose first header cell is `header`."""
    cells: list[str] = []
    in_table = False
    for line in text.splitlines():
        if line.startswith(f"| {header} |"):
            in_table = True
        elif not line.startswith("|"):
            in_table = False
        elif in_table and (match := re.match(r"\| `([^`]+)` \|", line)):
            cells.append(match.group(1))
    return cells


def complete_example(text: str) -> str:
    """The YAML block right after the complete-example marker."""
    after = text.split(EXAMPLE_MARKER, 1)[1]
    match = re.search(r"```yaml\n(.*?)```", after, re.DOTALL)
    assert match is not None, "no yaml block after the marker"
    return match.group(1)


def key_paths(node: object, path: str = "") -> set[str]:
    """Dotted key paths in a YAML tree, named as in schema_keys() (`[]`, `<id>`, `<tracker>`)."""
    found: set[str] = set()
    if isinstance(node, list):
        for item in node:
            found |= key_paths(item, f"{path}[]")
    elif isinstance(node, dict):
        for key, value in node.items():
            name = _generic(path, str(key))
            child = f"{path}.{name}" if path else name
            found.add(child)
            if not child.endswith(".when"):  # the rule language is checked on its own
                found |= key_paths(value, child)
    return found


def _generic(parent: str, key: str) -> str:
    if parent == "people":
        return "<id>"
    if re.fullmatch(r"people\.<id>\.(github|jira)", parent):
        return "<tracker>"
    return key


def condition_names(node: object) -> set[str]:
    """Every combinator and leaf name used in the `when` trees of a YAML tree."""
    found: set[str] = set()
    if isinstance(node, list):
        for item in node:
            found |= condition_names(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "when":
                found |= _conditions(value)
            else:
                found |= condition_names(value)
    return found


def _conditions(node: object) -> set[str]:
    if isinstance(node, list):
        return set().union(*(_conditions(item) for item in node))
    if not isinstance(node, dict):
        return set()
    names = {str(key) for key in node}
    for key, value in node.items():
        if key in COMBINATORS:
            names |= _conditions(value)
    return names


class TestConfigurationKeys:
    """The key tables against schema_keys()."""

    def test_every_documented_key_is_one_the_loader_accepts(self) -> None:
        """No row of the key tables names a key the loader would reject as unknown."""
        documented = table_column(DOC.read_text(), "key")

        assert set(documented) - set(schema_keys()) == set()

    def test_every_key_the_loader_accepts_is_documented(self) -> None:
        """No key the loader reads is missing from the tables."""
        documented = table_column(DOC.read_text(), "key")

        assert set(schema_keys()) - set(documented) == set()

    def test_each_key_is_documented_once(self) -> None:
        """One row per key: two rows could contradict each other."""
        documented = table_column(DOC.read_text(), "key")

        assert len(documented) == len(set(documented))

    def test_the_table_reader_finds_rows(self) -> None:
        """The extraction itself works: a table with two rows gives two keys."""
        text = "| key | type |\n|---|---|\n| `a.b` | x |\n| `c` | y |\n\nprose\n| `d` | z |\n"

        assert table_column(text, "key") == ["a.b", "c"]


class TestCompleteExample:
    """The complete example in the document."""

    def test_it_loads_without_a_problem(self) -> None:
        """The loader accepts it as written (with its variables set)."""
        config = loads(complete_example(DOC.read_text()), "configuration.md", ENV)

        assert [tracker.name for tracker in config.trackers] == ["web", "support", "ops"]

    def test_it_uses_every_key_the_loader_accepts(self) -> None:
        """Loading it exercises every key path of schema_keys()."""
        tree = yaml.safe_load(complete_example(DOC.read_text()))

        assert set(schema_keys()) - key_paths(tree) - ALTERNATIVES == set()

    def test_it_uses_every_combinator_and_leaf_of_the_rule_language(self) -> None:
        """Every condition name the loader knows appears in one of its rules."""
        tree = yaml.safe_load(complete_example(DOC.read_text()))

        assert condition_names(tree) == set(CONDITION_NAMES)


class TestRuleLanguage:
    """The combinator and leaf tables against the loader's condition names."""

    def test_every_condition_the_loader_knows_is_documented(self) -> None:
        """Combinators and leaves together are exactly the loader's CONDITION_NAMES."""
        text = DOC.read_text()
        documented = table_column(text, "combinator") + table_column(text, "leaf")

        assert sorted(documented) == sorted(CONDITION_NAMES)

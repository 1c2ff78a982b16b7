"""The Jira adapter reaches into no library's internals (issue 13 item 6)."""

from __future__ import annotations

import ast
from pathlib import Path

import syncd.adapters.jira

PACKAGE = Path(syncd.adapters.jira.__file__).parent


def private_reaches(source: str) -> list[str]:
    """`x._name` where `x` is not `self` (an object's own state), and any `deploymentType`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Attribute):
            continue
        private = node.attr.startswith("_") and not node.attr.startswith("__")
        own = isinstance(node.value, ast.Name) and node.value.id == "self"
        if (private and not own) or node.attr == "deploymentType":
            found.append(f"line {node.lineno}: .{node.attr}")
    return found


class TestPublicApiOnly:
    """A library upgrade cannot silently break what the adapter does not touch."""

    def test_no_module_uses_a_private_attribute_of_another_object(self) -> None:
        """No `client._get_json`, `_session.hooks`, `client.deploymentType` or the like."""
        reaches = {
            path.name: private_reaches(path.read_text(encoding="utf-8"))
            for path in sorted(PACKAGE.glob("*.py"))
        }

        assert {name: found for name, found in reaches.items() if found} == {}

    def test_the_check_sees_a_private_reach(self) -> None:
        """The check itself: `site.client._get_json(...)` is found, `self._site` is not."""
        source = "site.client._get_json('x')\nself._site = None\nc.deploymentType = 'Cloud'\n"

        assert sorted(private_reaches(source)) == ["line 1: ._get_json", "line 3: .deploymentType"]

"""The package's import graph, read from the source with `ast`: no loops, and a pure core."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import syncd

PACKAGE = Path(syncd.__file__).parent
# What the pure core must never reach, through any chain of imports.
OUTER_LAYERS = (
    "syncd.adapters",
    "syncd.service_layer",
    "syncd.entrypoints",
    "syncd.sandbox",
)
IO_LIBRARIES = ("requests", "github", "jira", "sqlite3", "yaml", "structlog")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {
    _module_name(path): path
    for path in sorted(PACKAGE.rglob("*.py"))
    if "__pycache__" not in path.parts
}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement at any depth (in functions too), except `if TYPE_CHECKING:` ones."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            # Never executed: annotations only. Its `else:` branch runs, so it still counts.
            for child in node.orelse:
                yield from _imports(ast.Module(body=[child], type_ignores=[]))
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        yield from _imports(node)


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    """The modules an import statement loads (a `from x import y` loads x.y if it is a module)."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    if node.level:
        package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}" if base else package
    # `from pkg import sub` loads pkg.sub; a name that is no module comes from pkg itself.
    for alias in node.names:
        yield f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base


def _graph() -> dict[str, set[str]]:
    """Module -> every module (syncd's or a library's top level) it imports."""
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        found: set[str] = set()
        for node in _imports(tree):
            for target in _targets(module, node):
                found.add(target if target.startswith("syncd") else target.split(".")[0])
        found.discard(module)
        graph[module] = found
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import loop among syncd's modules, as the list of modules around it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph.get(module, ())):
            if target not in MODULES:
                continue
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return None


def _reachable(graph: dict[str, set[str]], start: str) -> dict[str, str]:
    """Everything `start` loads, directly or through other modules: target -> who imports it."""
    seen: dict[str, str] = {}
    todo = [start]
    while todo:
        module = todo.pop()
        for target in graph.get(module, ()):
            if target not in seen:
                seen[target] = module
                todo.append(target)
    return seen


def _in(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(f"{p}.") for p in prefixes)


class TestImportGraph:
    def test_the_graph_sees_imports_inside_functions_and_relative_imports(self) -> None:
        """The reader itself: a function-level import and `from . import x` both make edges."""
        tree = ast.parse("def f():\n    from . import online\n    import yaml\n")
        nodes = list(_imports(tree))
        assert {t for n in nodes for t in _targets("syncd.adapters.github.client", n)} >= {
            "syncd.adapters.github.online",
            "yaml",
        }

    def test_no_module_imports_another_in_a_loop(self) -> None:
        """No chain of imports (counting those inside functions) leads back to where it began."""
        assert _cycle(_graph()) is None

    def test_the_domain_reaches_no_outer_layer_nor_io_library(self) -> None:
        """syncd.domain imports no adapter, service, entry point, sandbox or I/O library."""
        graph = _graph()
        found = {}
        for module in (m for m in MODULES if _in(m, ("syncd.domain",))):
            for target, via in _reachable(graph, module).items():
                if _in(target, OUTER_LAYERS + IO_LIBRARIES):
                    found[f"{module} -> {target}"] = via
        assert found == {}

    def test_only_the_entry_points_reach_the_entry_points(self) -> None:
        """The service layer, the adapters, the config and the sandbox never import syncd's
        command line, views, logging setup or metrics listener (the ports they report to live in
        syncd.service_layer; redaction in syncd.redaction)."""
        inner = ("syncd.domain", "syncd.service_layer", "syncd.adapters", "syncd.config")
        inner += ("syncd.sandbox", "syncd.errors", "syncd.clock", "syncd.redaction")
        graph = _graph()
        found = {
            f"{module} -> {target}": via
            for module in (m for m in MODULES if _in(m, inner))
            for target, via in _reachable(graph, module).items()
            if _in(target, ("syncd.entrypoints",))
        }
        assert found == {}

"""No import cycles among generator's modules.

Every import that runs counts: at the top of a module and inside a function alike, since a lazy
import only moves a cycle from load time to call time (and hides the order in which rooms depend
on one another).  Imports under ``if TYPE_CHECKING:`` never run and do not count.  A lazy import
that must stay in a cycle for a measured start-up reason goes in ``ALLOWED`` with that reason.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import generator

# (importer, imported) -> why this lazy import may close a cycle.  Only imports inside functions can
# be allowed here; an allowed edge that is gone or has moved to the top makes the test fail.
ALLOWED: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    line: int
    lazy: bool


def _module_names(root: Path, package: str) -> dict[str, Path]:
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = [package, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(node: ast.AST, lazy: bool = False) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """The import statements that run, and whether each runs only when a function is called."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, lazy
        elif isinstance(child, ast.If) and _is_type_checking(child.test):
            for other in child.orelse:
                yield from _imports(ast.Module(body=[other], type_ignores=[]), lazy)
        else:
            inside = lazy or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            yield from _imports(child, inside)


def import_edges(root: Path, package: str) -> tuple[set[str], list[Edge]]:
    """The package's modules and the imports between them that run (``from a import b`` of a module ``a.b``
    points at ``a.b``)."""
    names = _module_names(root, package)
    edges = []
    for name, path in names.items():
        here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for stmt, lazy in _imports(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(stmt, ast.Import):
                targets = [alias.name for alias in stmt.names]
            else:
                base = stmt.module or ""
                if stmt.level:
                    base = ".".join([*here[: len(here) - stmt.level + 1], *([base] if base else [])])
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in names else base
                           for alias in stmt.names]
            edges += [Edge(name, t, stmt.lineno, lazy) for t in dict.fromkeys(targets) if t in names and t != name]
    return set(names), edges


def cycles(nodes: set[str], edges: list[Edge]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    graph: dict[str, set[str]] = {n: set() for n in nodes}
    for e in edges:
        graph[e.source].add(e.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return found


def _describe(component: list[str], edges: list[Edge]) -> str:
    inside = set(component)
    lines = [f"  {e.source} -> {e.target} (line {e.line}{', lazy' if e.lazy else ''})"
             for e in edges if e.source in inside and e.target in inside]
    return "cycle among " + ", ".join(component) + ":\n" + "\n".join(lines)


def test_generator_has_no_import_cycles() -> None:
    root = Path(generator.__file__).parent
    nodes, edges = import_edges(root, "generator")
    counted = [e for e in edges if not (e.lazy and (e.source, e.target) in ALLOWED)]
    found = cycles(nodes, counted)
    assert not found, "\n".join(_describe(c, counted) for c in found)


def test_every_allowed_cycle_edge_is_still_a_lazy_import() -> None:
    root = Path(generator.__file__).parent
    _, edges = import_edges(root, "generator")
    lazy = {(e.source, e.target) for e in edges if e.lazy}
    assert not set(ALLOWED) - lazy, "ALLOWED names imports that are gone or now at a module's top"


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "pkg"


def test_a_cycle_closed_by_a_lazy_import_is_found(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "__init__.py": "",
        "a.py": "from pkg.b import thing\n",
        "sub/__init__.py": "",
        "sub/c.py": "def late():\n    from .. import a\n    return a\n",
        "b.py": "from pkg.sub import c\nthing = 1\n",
    })
    nodes, edges = import_edges(root, "pkg")
    assert cycles(nodes, edges) == [["pkg.a", "pkg.b", "pkg.sub.c"]]
    assert [e for e in edges if e.source == "pkg.sub.c"] == [Edge("pkg.sub.c", "pkg.a", 2, lazy=True)]
    assert cycles(nodes, [e for e in edges if not e.lazy]) == []


def test_imports_for_type_checking_only_close_no_cycle(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "__init__.py": "",
        "a.py": "from pkg import b\n",
        "b.py": ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import A\n"
                 "else:\n    import json\n"),
    })
    nodes, edges = import_edges(root, "pkg")
    assert [(e.source, e.target) for e in edges] == [("pkg.a", "pkg.b")]
    assert cycles(nodes, edges) == []

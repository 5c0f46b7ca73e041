"""No import circles in tracker/ and sync/: a graph of every import, built with ast.

Module-level and function-level imports both count (a function-level import only
hides a circle until the function runs); imports under `if TYPE_CHECKING:` do not,
since they never run. `from package import name` points at the submodule when
*name* is one, else at the package's `__init__`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("tracker", "sync")


def modules() -> dict[str, tuple[Path, bool]]:
    """Every module of the packages: dotted name -> (file, is a package)."""
    found: dict[str, tuple[Path, bool]] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            name = ".".join(parts[:-1] if is_package else parts)
            found[name] = (path, is_package)
    return found


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                skipped.update(id(n) for n in ast.walk(child))
    return skipped


def _targets(
    node: ast.Import | ast.ImportFrom, name: str, is_package: bool, known: set[str]
) -> Iterator[str]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            target = alias.name
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target:
                yield target
        return
    base = node.module or ""
    if node.level:
        parts = name.split(".") if is_package else name.split(".")[:-1]
        parts = parts[: len(parts) - node.level + 1]
        base = ".".join([*parts, *([node.module] if node.module else [])])
    for alias in node.names:
        if f"{base}.{alias.name}" in known:
            yield f"{base}.{alias.name}"
        elif base in known:
            yield base


def import_graph() -> dict[str, set[str]]:
    """Module -> the modules of tracker and sync it imports when its code runs."""
    found = modules()
    known = set(found)
    graph: dict[str, set[str]] = {}
    for name, (path, is_package) in found.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = _type_checking_nodes(tree)
        edges: set[str] = set()
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Import | ast.ImportFrom)
                and id(node) not in skipped
            ):
                edges.update(_targets(node, name, is_package, known))
        edges.discard(name)
        graph[name] = edges
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_circles() -> None:
    assert circles(import_graph()) == []


def test_sync_takes_nothing_from_the_app_package() -> None:
    graph = import_graph()
    offenders = sorted(
        m for m, edges in graph.items() if m.startswith("sync") and "tracker" in edges
    )
    assert offenders == []


def test_models_refer_to_each_other_only_for_type_checking() -> None:
    graph = import_graph()
    runtime = {
        m: sorted(e for e in edges if e.startswith("tracker.models."))
        for m, edges in graph.items()
        if m.startswith("tracker.models.")
    }
    assert {m: e for m, e in runtime.items() if e} == {}


def test_the_graph_sees_function_level_imports_and_circles() -> None:
    graph = import_graph()
    # tracker.create_app imports the views and the sync inside the function
    assert "sync" in graph["tracker"]
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [
        ["a", "b", "c"]
    ]


def test_a_web_worker_loads_no_library_it_only_needs_for_commands() -> None:
    """Alembic (with Mako and Pygments), HiGHS (with numpy) and the holiday tables
    load when a migration, a selection draw or a digest date needs them: ~30 MB of
    every gunicorn worker's memory otherwise (bench/RESULTS.md, Memory)."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from tracker import create_app\n"
        "create_app({'DATABASE_URL': 'sqlite://', 'SECRET_KEY': 'x'})\n"
        "print(' '.join(sorted(m for m in ('alembic', 'mako', 'pygments', 'highspy',"
        " 'numpy', 'holidays') if m in sys.modules)))\n"
    )
    loaded = subprocess.run(  # noqa: S603 - our own interpreter and probe
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == ""

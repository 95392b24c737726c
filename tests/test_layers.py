"""No import runs back up a layer, and no import cycle (DESIGN.md, docs/architecture.md).

Every module under ``simkit/`` is parsed with :mod:`ast` (nothing is imported); each
``import`` and ``from ... import`` it runs (at module level or inside a function; those
under ``if TYPE_CHECKING:`` are annotations only and skipped) becomes an edge to the
most specific simkit module it names.  The layer of each end comes from
:data:`simkit._layers.LAYERS`.  An edge from a lower layer to a higher one fails, naming
the file, line and both layers; a cycle among the edges fails, naming its modules.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from simkit._layers import FACADE_CALLS, LAYER_NAMES, LAYERS, allowed, layer_of

ROOT = Path(__file__).resolve().parent.parent / "simkit"


@dataclass(frozen=True)
class Edge:
    source: str  # importing module
    target: str  # imported module
    path: str
    line: int
    deferred: bool = False  # inside a function: runs when the function is called


def module_name(root: Path, path: Path) -> str:
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, deferred: bool = False):
    """``(node, deferred)`` for every Import/ImportFrom, skipping ``if TYPE_CHECKING:``
    bodies; ``deferred`` when the import sits inside a function."""
    for child in ast.iter_child_nodes(tree):
        if isinstance(child, ast.If) and _type_checking(child.test):
            for stmt in child.orelse:
                yield from _imports_of(stmt, deferred)
            continue
        yield from _imports_of(child, deferred)


def _imports_of(node: ast.AST, deferred: bool):
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        yield node, deferred
    inner = deferred or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
    yield from _imports(node, inner)


def import_edges(root: Path) -> tuple[set[str], list[Edge]]:
    """The modules of the package at ``root`` and every import among them."""
    files = {module_name(root, p): p for p in sorted(root.rglob("*.py"))}
    edges = []
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node, deferred in _imports(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    module = ".".join(base + ([node.module] if node.module else []))
                else:
                    module = node.module or ""
                # ``from pkg import sub`` imports the submodule when there is one
                targets = [
                    f"{module}.{a.name}" if f"{module}.{a.name}" in files else module
                    for a in node.names
                ]
            for target in targets:
                while target and target not in files:  # ``import a.b.c`` of a name in a.b
                    target = target.rpartition(".")[0]
                if target and target != name:
                    edges.append(
                        Edge(
                            name, target, str(path.relative_to(root.parent)), node.lineno, deferred
                        )
                    )
    return set(files), edges


def facade_call(edge: Edge, facade=FACADE_CALLS) -> bool:
    """Is ``edge`` one of the listed facade conveniences, made inside a function?"""
    return edge.deferred and any(
        edge.source == source and (edge.target == target or edge.target.startswith(target + "."))
        for source, target, _ in facade
    )


def back_edges(edges: list[Edge], layers=LAYERS, facade=FACADE_CALLS) -> list[str]:
    """One message per import its layer may not make: up a layer, or into one it skips."""
    rank = {name: i for i, (name, _, _) in enumerate(layers)}
    may = allowed(layers)
    found = []
    for e in edges:
        low, high = layer_of(e.source, layers), layer_of(e.target, layers)
        if high in may[low] or facade_call(e, facade):
            continue
        why = "above it" if rank[high] > rank[low] else f"which {low} may not import"
        found.append(
            f"{e.path}:{e.line}: {e.source} (layer {low}) imports {e.target} (layer {high}, {why})"
        )
    return sorted(set(found))


def cycles(modules: set[str], edges: list[Edge], facade=FACADE_CALLS) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for e in edges:
        if not facade_call(e, facade):
            graph[e.source].add(e.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

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


def _cycle_message(component: list[str], edges: list[Edge]) -> str:
    inside = set(component)
    where = sorted(
        {
            f"{e.path}:{e.line} {e.source} -> {e.target}"
            for e in edges
            if e.source in inside and e.target in inside
        }
    )
    return "import cycle among " + ", ".join(component) + ":\n    " + "\n    ".join(where)


# -- the tree ---------------------------------------------------------------------------
MODULES, EDGES = import_edges(ROOT)


def test_every_module_has_a_layer():
    unplaced = []
    for module in sorted(MODULES):
        try:
            layer_of(module)
        except LookupError as error:
            unplaced.append(str(error))
    assert not unplaced, "\n".join(unplaced)


def test_the_table_only_lets_layers_import_downwards():
    for name, may in allowed().items():
        assert all(LAYER_NAMES.index(m) <= LAYER_NAMES.index(name) for m in may), name


def test_no_import_runs_up_a_layer():
    found = back_edges(EDGES)
    assert not found, "imports that run back up a layer:\n" + "\n".join(found)


def test_no_import_cycle():
    found = cycles(MODULES, EDGES)
    assert not found, "\n".join(_cycle_message(c, EDGES) for c in found)


def test_every_facade_call_is_still_made_and_only_inside_a_function():
    for source, target, why in FACADE_CALLS:
        made = [
            e
            for e in EDGES
            if e.source == source and (e.target == target or e.target.startswith(target + "."))
        ]
        assert made, f"{source} no longer imports {target}: drop it from FACADE_CALLS"
        assert all(e.deferred for e in made), f"{source} imports {target} at module level"
        assert why


def test_the_checker_sees_the_tree():
    """A check that reads nothing passes everything: the tree's known edges are seen."""
    pairs = {(e.source, e.target) for e in EDGES}
    assert ("simkit.rules.tags", "simkit.refs") in pairs  # from-import of a package
    assert ("simkit.simulation", "simkit.controllers.kubelet") in pairs  # in a function
    assert len(MODULES) > 100


# -- the checker on synthetic trees -----------------------------------------------------
TOY_LAYERS = (
    ("low", ("toy.low",), ()),
    ("mid", ("toy.mid",), ("low",)),
    ("high", ("toy.high", "toy"), ("low", "mid")),
)


def _toy(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "toy"
    for rel, text in {
        "__init__.py": "",
        "low/__init__.py": "",
        "high/__init__.py": "",
        **files,
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(textwrap.dedent(text))
    return root


def test_a_deliberate_back_edge_fails(tmp_path):
    root = _toy(
        tmp_path,
        {
            "high/app.py": "from toy.low import data\n",
            "low/data.py": "X = 1\n\ndef f():\n    from toy.high.app import g  # up a layer\n",
        },
    )
    modules, edges = import_edges(root)
    found = back_edges(edges, TOY_LAYERS)
    assert found == [
        "toy/low/data.py:4: toy.low.data (layer low) imports toy.high.app (layer high, above it)"
    ]
    with pytest.raises(AssertionError, match=r"toy/low/data.py:4: .*layer low.*layer high"):
        assert not found, "\n".join(found)


def test_type_checking_imports_and_downward_imports_pass(tmp_path):
    root = _toy(
        tmp_path,
        {
            "high/app.py": "from . import helper\nimport toy.low.data\n",
            "high/helper.py": "from ..low.data import X\n",
            "low/data.py": (
                "from __future__ import annotations\nimport typing\n"
                "if typing.TYPE_CHECKING:\n    from toy.high.app import g\n"
                "X = 1\n"
            ),
        },
    )
    modules, edges = import_edges(root)
    assert back_edges(edges, TOY_LAYERS) == []
    assert cycles(modules, edges) == []
    assert {(e.source, e.target) for e in edges} == {
        ("toy.high.app", "toy.high.helper"),
        ("toy.high.app", "toy.low.data"),
        ("toy.high.helper", "toy.low.data"),
    }


def test_a_cycle_within_a_layer_fails(tmp_path):
    root = _toy(
        tmp_path,
        {
            "low/a.py": "from toy.low.b import y\nx = 1\n",
            "low/b.py": "y = 2\n\ndef f():\n    from toy.low import a\n    return a.x\n",
        },
    )
    modules, edges = import_edges(root)
    assert back_edges(edges, TOY_LAYERS) == []
    found = cycles(modules, edges)
    assert found == [["toy.low.a", "toy.low.b"]]
    assert "toy/low/b.py:4 toy.low.b -> toy.low.a" in _cycle_message(found[0], edges)


def test_an_import_into_a_layer_not_allowed_fails(tmp_path):
    """``high`` may import ``mid`` only: reaching past it to ``low`` is named."""
    root = _toy(
        tmp_path,
        {
            "mid/__init__.py": "",
            "high/app.py": "from toy.low import data\n",
            "low/data.py": "X = 1\n",
        },
    )
    _, edges = import_edges(root)
    only_mid = (*TOY_LAYERS[:2], ("high", ("toy.high", "toy"), ("mid",)))
    assert back_edges(edges, TOY_LAYERS) == []
    assert back_edges(edges, only_mid) == [
        "toy/high/app.py:1: toy.high.app (layer high) imports toy.low.data "
        "(layer low, which high may not import)"
    ]


def test_a_facade_call_passes_only_inside_a_function(tmp_path):
    root = _toy(
        tmp_path,
        {
            "low/facade.py": "def show():\n    from toy.high import view\n",
            "low/eager.py": "from toy.high import view\n",
            "high/view.py": "from toy.low import facade, eager\n",
        },
    )
    modules, edges = import_edges(root)
    facade = (
        ("toy.low.facade", "toy.high", "a convenience"),
        ("toy.low.eager", "toy.high", "listed, but at module level"),
    )
    assert back_edges(edges, TOY_LAYERS, facade) == [
        "toy/low/eager.py:1: toy.low.eager (layer low) imports toy.high.view (layer high, above it)"
    ]
    assert cycles(modules, edges, facade) == [["toy.high.view", "toy.low.eager"]]
    assert len(back_edges(edges, TOY_LAYERS, ())) == 2


def test_an_unplaced_module_is_named(tmp_path):
    with pytest.raises(LookupError, match="elsewhere.mod: no layer"):
        layer_of("elsewhere.mod", TOY_LAYERS)

"""simkit._go is the bottom layer: it imports nothing else from simkit, and every
module's Examples run as doctests."""

from __future__ import annotations

import ast
import pkgutil
from pathlib import Path

import pytest

import simkit._go

MODULES = ["simkit._go"] + [
    f"simkit._go.{info.name}" for info in pkgutil.iter_modules(simkit._go.__path__)
]


def _simkit_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [("." * node.level) + (node.module or "")]
        else:
            continue
        found += [n for n in names if n.startswith(("simkit", "."))]
    return found


@pytest.mark.parametrize(
    "path", sorted(Path(simkit._go.__file__).parent.glob("*.py")), ids=lambda p: p.name
)
def test_go_layer_imports_nothing_above_it(path):
    outside = [n for n in _simkit_imports(path) if not n.startswith("simkit._go")]
    assert outside == [], f"{path.name} imports {outside}"


def test_every_go_port_is_listed():
    assert {m.rsplit(".", 1)[1] for m in MODULES[1:]} == {
        "base64",
        "durations",
        "json",
        "path",
        "strconv",
        "strings",
        "tabwriter",
        "url",
    }

"""The optional compiled build (setup.py, ``SIMKIT_COMPILE=1``) is the pure path, compiled.

When the simkit under test has compiled modules, a small cluster of
``benchmarks/cluster_year.py`` is simulated twice, each in a fresh process: once with that
simkit, once with a copy of the same package without its extension modules, i.e. the very
``.py`` sources they were compiled from.  The two event logs must be equal, record for
record.  No golden value: the check holds whatever the model does today.

Skipped, saying why, when simkit is pure Python (a plain ``pip install .`` or a checkout).
To run it compiled from a checkout: ``SIMKIT_COMPILE=1 pip install -e .`` (or
``SIMKIT_COMPILE=1 python setup.py build_ext --inplace``) puts the extensions beside the
sources; ``find simkit -name '*.so' -delete`` goes back to pure Python.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import simkit

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"

#: Modules the compiled build compiles first of all (setup.py's HOT_MODULES has them all).
PROBES = ("simkit.engine", "simkit.state.cluster", "simkit.controllers.pods")

# The child: a small cluster for two days (restarts, rebuilds, scheduled imports, the
# pruner at midnight), then a digest of its event log and final pods; prints JSON.
CHILD = """
import hashlib, json, sys
sys.path.insert(0, {benchmarks!r})
import simkit.engine
from cluster_year import build, DAY
sim = build(120, 5, 240, 1.0, seed=3)
sim.advance(2 * DAY)
digest = hashlib.sha256()
for record in sim.log:
    digest.update(repr(sorted(record.items())).encode())
pods = sorted((p.namespace, p.name, p.node, p.status, p.image) for p in sim.pods())
digest.update(repr(pods).encode())
print(json.dumps({{"records": len(sim.log), "digest": digest.hexdigest(),
                  "engine": simkit.engine.__file__}}))
"""


def compiled_modules() -> list[str]:
    """Those of :data:`PROBES` that the simkit under test imports as extension modules."""
    return [
        name for name in PROBES if not str(importlib.import_module(name).__file__).endswith(".py")
    ]


def digest_of(pythonpath: Path, cwd: Path) -> dict[str, object]:
    """The child's result with ``pythonpath`` first on its path and ``cwd`` as its
    directory (one with no simkit in it)."""
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    code = CHILD.format(benchmarks=str(BENCHMARKS))
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=cwd, check=True, capture_output=True
    )
    return json.loads(out.stdout.decode().splitlines()[-1])


def test_compiled_build_writes_the_pure_event_log(tmp_path: Path) -> None:
    compiled = compiled_modules()
    if not compiled:
        pytest.skip(
            "simkit is pure Python here (simkit.engine is a .py module): build the optional "
            "compiled modules with SIMKIT_COMPILE=1 pip install . to run this check"
        )
    package = Path(simkit.__file__).resolve().parent
    pure = tmp_path / "pure"
    shutil.copytree(
        package, pure / "simkit", ignore=shutil.ignore_patterns("*.so", "*.pyd", "__pycache__")
    )
    run = tmp_path / "run"
    run.mkdir()
    with_compiled = digest_of(package.parent, run)
    with_sources = digest_of(pure, run)
    assert not str(with_compiled["engine"]).endswith(".py")
    assert str(with_sources["engine"]).endswith(".py")
    assert with_compiled["records"] == with_sources["records"]
    assert with_compiled["digest"] == with_sources["digest"]

"""Every public function shows a runnable Example, and the modules that promise examples have them.

The examples themselves run as doctests: ``pytest`` collects simkit/ with
``--doctest-modules`` (pyproject.toml ``[tool.pytest.ini_options]``).  What doctest collection
cannot check is that an example is *there*; this file does, for the packages and modules whose
former doctest shims asserted it (``test_*_doctests.py``, and ``result.attempted > 0`` in the
test files of durations, engine, eventlog, RBAC and sweeps).
"""

from __future__ import annotations

import doctest
import importlib

import pytest

import simkit.analysis
import simkit.credentials
import simkit.refs

MODULES_WITH_EXAMPLES = [
    "simkit.durations", "simkit.engine", "simkit.eventlog",
    "simkit.state.rbac", "simkit.rules.labels", "simkit.rules.bootstrap", "simkit.rules.rbac",
    "simkit.rules.rbac.users", "simkit.rules.rbac.matching", "simkit.rules.rbac.resolution",
    "simkit.rules.rbac.authorizer", "simkit.rules.rbac.explain", "simkit.rules.rbac.who_can",
    "simkit.rules.rbac.aggregation",
    "simkit.sweeps.sweep", "simkit.sweeps.runs", "simkit.sweeps.metrics", "simkit.sweeps.task",
    "simkit.sweeps.store", "simkit.sweeps.tracker", "simkit.sweeps.table",
    "simkit.sweeps.on_executor", "simkit.sweeps.on_dask", "simkit.sweeps.errors",
]  # fmt: skip


@pytest.mark.parametrize("name", MODULES_WITH_EXAMPLES)
def test_module_has_examples(name: str) -> None:
    module = importlib.import_module(name)
    tests = doctest.DocTestFinder().find(module, name)
    assert sum(len(t.examples) for t in tests) > 0, f"{name} has no doctest example"


def _missing_examples(package, *, own_only: bool) -> list[str]:
    missing = []
    for name in package.__all__:
        obj = getattr(package, name)
        ours = not own_only or getattr(obj, "__module__", "").startswith(package.__name__)
        if callable(obj) and ours and "Examples" not in (obj.__doc__ or ""):
            missing.append(name)
    return missing


def test_every_public_analysis_function_has_examples() -> None:
    assert _missing_examples(simkit.analysis, own_only=False) == []


def test_every_public_credentials_name_has_examples() -> None:
    assert _missing_examples(simkit.credentials, own_only=True) == []


def test_every_public_refs_function_has_examples() -> None:
    assert _missing_examples(simkit.refs, own_only=True) == []

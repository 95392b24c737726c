"""Fixtures shared by the test files.

- ``make_sim``: a factory for the setup most test files start from, a :class:`Simulation`
  with a seed and a node count, some projects created with ``oc new-project``, and
  optionally a settle time advanced so their service accounts, pull secrets and default
  role bindings exist.  A file's own ``sim`` fixture calls it with that file's values.
- ``quay``: the ``quay.io`` registry of the requesting file's ``sim``.

Hypothesis runs under the ``simkit`` settings profile: no per-example deadline (the suite
runs on busy, shared cores under pytest-xdist, where a deadline measures the machine, not
the code); example counts stay what each test or Hypothesis's default says.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest
from hypothesis import settings

import simkit as sk

MakeSim = Callable[..., sk.Simulation]

settings.register_profile("simkit", deadline=None)
settings.load_profile("simkit")


def _make_sim(
    seed: int = 0, nodes: int = 3, projects: Iterable[str] = (), settle: str | None = None
) -> sk.Simulation:
    sim = sk.Simulation(seed=seed, nodes=nodes)
    for project in projects:
        sim.oc(f"new-project {project}")
    if settle is not None:
        sim.advance(settle)
    return sim


@pytest.fixture
def make_sim() -> MakeSim:
    """``make_sim(seed=0, nodes=3, projects=(), settle=None)`` -> a fresh Simulation."""
    return _make_sim


@pytest.fixture
def quay(sim: sk.Simulation):
    """The ``quay.io`` registry of this test's ``sim`` (empty until a test pushes)."""
    return sim.registry("quay.io")

"""Run the ``Examples`` sections of every simkit.analysis module as doctests."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import simkit.analysis

MODULES = ["simkit.analysis"] + [
    f"simkit.analysis.{info.name}" for info in pkgutil.iter_modules(simkit.analysis.__path__)
]
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=FLAGS, report=True)
    assert result.failed == 0


def test_every_public_function_has_examples() -> None:
    missing = []
    for name in simkit.analysis.__all__:
        obj = getattr(simkit.analysis, name)
        if callable(obj) and "Examples" not in (obj.__doc__ or ""):
            missing.append(name)
    assert not missing

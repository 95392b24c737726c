"""Run the ``Examples`` sections of every simkit.refs module as doctests."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import simkit.refs

MODULES = ["simkit.refs"] + [
    f"simkit.refs.{info.name}" for info in pkgutil.iter_modules(simkit.refs.__path__)
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, report=True)
    assert result.failed == 0


def test_every_public_function_has_examples() -> None:
    missing = []
    for name in simkit.refs.__all__:
        obj = getattr(simkit.refs, name)
        ours = callable(obj) and getattr(obj, "__module__", "").startswith("simkit.refs")
        if ours and "Examples" not in (obj.__doc__ or ""):
            missing.append(name)
    assert missing == []

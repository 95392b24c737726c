"""Run the ``Examples`` sections of every simkit.credentials module as doctests."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import simkit.credentials

MODULES = ["simkit.credentials"] + [
    f"simkit.credentials.{info.name}"
    for info in pkgutil.iter_modules(simkit.credentials.__path__)
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, report=True)
    assert result.failed == 0


def test_every_public_name_has_examples() -> None:
    missing = []
    for name in simkit.credentials.__all__:
        obj = getattr(simkit.credentials, name)
        ours = callable(obj) and getattr(obj, "__module__", "").startswith("simkit.credentials")
        if ours and "Examples" not in (obj.__doc__ or ""):
            missing.append(name)
    assert missing == []

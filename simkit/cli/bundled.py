"""The scenarios shipped with simkit, by name."""

from __future__ import annotations

import difflib
from importlib import resources
from pathlib import Path

from simkit.cli.errors import InputError

__all__ = ["bundled_names", "bundled_scenario"]


def bundled_names() -> list[str]:
    """The names of the scenarios shipped with simkit."""
    root = Path(str(resources.files("simkit") / "data" / "scenarios"))
    return sorted(p.stem for p in root.glob("*.yaml"))


def bundled_scenario(name: str) -> Path:
    """The path of a scenario shipped with simkit (``default``, ``pull-policy-outage`` ...).

    Raises
    ------
    simkit.cli.errors.InputError
        No bundled scenario has that name; the message suggests the closest.

    Examples
    --------
    >>> bundled_scenario("default").name
    'default.yaml'
    """
    names = bundled_names()
    if name not in names:
        close = difflib.get_close_matches(name, names, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise InputError(f"no scenario file or bundled scenario {name!r}; {hint}"
                         f"bundled: {', '.join(names)}")
    return Path(str(resources.files("simkit") / "data" / "scenarios" / f"{name}.yaml"))

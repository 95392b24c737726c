"""The scenarios shipped with simkit, by name: ``run("default")`` as ``simkit run default``."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["SCENARIO_SUFFIXES", "bundled_names", "bundled_path", "names_a_bundled_scenario"]

SCENARIO_SUFFIXES = (".yaml", ".yml", ".json")


def _folder() -> Path:
    return Path(str(resources.files("simkit") / "data" / "scenarios"))


def bundled_names() -> list[str]:
    """The names of the scenarios shipped with simkit, sorted.

    Examples
    --------
    >>> "default" in bundled_names()
    True
    """
    return sorted(p.stem for p in _folder().glob("*.yaml"))


def names_a_bundled_scenario(source: str | Path) -> bool:
    """Is ``source`` a bare name (no such file, no folder, no scenario suffix), which is
    then read as a bundled scenario's name?

    Examples
    --------
    >>> names_a_bundled_scenario("default"), names_a_bundled_scenario("my.yaml")
    (True, False)
    """
    if isinstance(source, Path):
        return False
    path = Path(source)
    try:
        if path.exists() or path.is_symlink():
            return False
    except (OSError, ValueError):  # a name too long, a NUL: the reader names the problem
        return False
    return "/" not in source and path.suffix not in SCENARIO_SUFFIXES


def bundled_path(name: str) -> Path | None:
    """The file of the bundled scenario ``name``, or None if none has that name.

    Examples
    --------
    >>> bundled_path("default").name, bundled_path("nope")
    ('default.yaml', None)
    """
    return _folder() / f"{name}.yaml" if name in bundled_names() else None

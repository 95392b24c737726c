"""The scenarios shipped with simkit, by name, as the command reports them."""

from __future__ import annotations

from pathlib import Path

from simkit.cli.errors import InputError
from simkit.scenarios.bundled import bundled_names
from simkit.scenarios.loading import ScenarioError, scenario_path

__all__ = ["bundled_names", "bundled_scenario"]


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
    try:
        return scenario_path(name)
    except ScenarioError as exc:
        raise InputError(exc.message) from None

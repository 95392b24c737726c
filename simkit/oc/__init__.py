"""The ``oc`` command line, run against a :class:`~simkit.Simulation`."""

from simkit.oc import commands  # noqa: F401 - registers every command with run_oc
from simkit.oc.command import OcError
from simkit.oc.dispatch import run_oc

__all__ = ["OcError", "run_oc"]

"""The ``oc`` command line, run against a :class:`~simkit.Simulation`."""

from simkit.oc.command import OcError, run_oc

__all__ = ["OcError", "run_oc"]

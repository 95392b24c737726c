"""DataFrames from a simulation's event log and state: import lag, staleness, who can pull.

Examples
--------
>>> from simkit.analysis import import_lag
"""

from simkit.analysis.imports import import_lag

__all__ = ["import_lag"]

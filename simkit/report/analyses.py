"""Every analysis a report reads, computed once and shared by its findings and sections.

A report asks the same questions several times (the stale-tag table feeds a finding, a
table, a heatmap and a timeline); :class:`Analyses` answers each on first use and keeps
the answer.  Nothing here computes anything new: each attribute is one call of a
:mod:`simkit.analysis` function on the finished simulation.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

import pandas as pd

from simkit import analysis

if TYPE_CHECKING:
    import networkx as nx

    from simkit.simulation import Simulation

__all__ = ["Analyses", "SYSTEM_PROJECTS", "bin_width", "user_projects"]

SYSTEM_PROJECTS = ("default", "openshift", "openshift-config")
"""Projects every cluster has; a cluster's own projects are the others (and none named
``openshift-*`` or ``kube-*``)."""

_BINS = ("1h", "2h", "3h", "6h", "12h", "1d", "2d", "7d", "14d", "30d", "90d")


def bin_width(duration: float, most: int = 48) -> str:
    """The shortest of 1h, 2h, 3h, 6h, 12h, 1d ... that cuts ``duration`` seconds into at
    most ``most`` bins.

    Examples
    --------
    >>> bin_width(7 * 86400), bin_width(2 * 86400), bin_width(3600), bin_width(365 * 86400)
    ('6h', '1h', '1h', '14d')
    """
    for width in _BINS:
        if duration / pd.Timedelta(width).total_seconds() <= most:
            return width
    return _BINS[-1]


def user_projects(names) -> list[str]:
    """The projects a cluster's users made: not ``default``, ``openshift``,
    ``openshift-*`` or ``kube-*``.

    Examples
    --------
    >>> user_projects(["default", "openshift", "openshift-config", "team-a", "kube-system"])
    ['team-a']
    """
    return sorted(
        n for n in names if n not in SYSTEM_PROJECTS and not n.startswith(("openshift-", "kube-"))
    )


class Analyses:
    """The analyses of one finished simulation, each computed on first use.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> _ = sim.registry("quay.io").push("acme/ruby", "2.7")
    >>> _ = sim.oc("tag quay.io/acme/ruby:2.7 ruby:2.7")
    >>> sim.advance("1h")
    >>> results = Analyses(sim)
    >>> results.risk is results.risk, len(results.risk)
    (True, 1)
    """

    def __init__(self, sim: Simulation) -> None:
        self.sim = sim

    @cached_property
    def events(self) -> pd.DataFrame:
        return self.sim.events

    @cached_property
    def freq(self) -> str:
        """The bin width of the report's time series."""
        return bin_width(self.sim.now)

    @cached_property
    def risk(self) -> pd.DataFrame:
        return analysis.stale_tag_risk(self.sim)

    @cached_property
    def episodes(self) -> pd.DataFrame:
        return analysis.stale_episodes(self.sim)

    @cached_property
    def staleness_over_time(self) -> pd.DataFrame:
        return analysis.staleness_over_time(self.sim, self.freq)

    @cached_property
    def import_lag(self) -> pd.DataFrame:
        return analysis.import_lag(self.sim)

    @cached_property
    def workloads(self) -> pd.DataFrame:
        return analysis.workload_staleness(self.sim)

    @cached_property
    def exposure_windows(self) -> pd.DataFrame:
        return analysis.exposure_windows(self.sim)

    @cached_property
    def pull_outcomes(self) -> pd.DataFrame:
        return analysis.pull_outcomes(self.sim, self.freq)

    @cached_property
    def drift(self) -> pd.DataFrame:
        return analysis.drift(self.sim)

    @cached_property
    def graph(self) -> nx.DiGraph:
        return analysis.who_can_pull(self.sim)

    @cached_property
    def matrix(self) -> pd.DataFrame:
        return analysis.pull_matrix(self.sim)

    @cached_property
    def grants(self) -> list:
        return analysis.pull_grants(self.sim)

    @cached_property
    def subjects(self) -> list:
        return analysis.pull_subjects(self.sim)

    @cached_property
    def coverage(self) -> pd.DataFrame:
        return analysis.registry_coverage(self.sim)

    @cached_property
    def cached(self) -> pd.DataFrame:
        return analysis.cached_exposure(self.sim)

    @cached_property
    def lint(self) -> pd.DataFrame:
        return analysis.lint_image_streams(self.sim)

    @cached_property
    def metrics(self) -> dict:
        from simkit.scenarios.runner import metrics

        return metrics(self.sim)

    @cached_property
    def projects(self) -> list[str]:
        return sorted(key[1] for key in self.sim.cluster.store("Project"))

    @cached_property
    def pods(self) -> list:
        return self.sim.pods()

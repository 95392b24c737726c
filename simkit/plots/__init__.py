"""matplotlib figures of analysis results (never of simulator internals).

Every function takes what a :mod:`simkit.analysis` function returns, and an optional
``ax``; it draws with a title, axis labels, a legend where colours mean something and
readable ticks, and returns the Axes.

- :func:`tag_timeline`: :func:`~simkit.analysis.tag_history`, a tag against its source;
- :func:`lag_distribution`: :func:`~simkit.analysis.stale_episodes` or
  :func:`~simkit.analysis.stale_tag_risk`, lags per strategy;
- :func:`staleness_heatmap`: :func:`~simkit.analysis.staleness_over_time`, tags × time;
- :func:`who_can_pull_graph`: :func:`~simkit.analysis.who_can_pull` (and ``diff=`` a
  :func:`~simkit.analysis.diff`), the layered graph;
- :func:`pull_matrix_heatmap`: :func:`~simkit.analysis.pull_matrix`;
- :func:`pull_outcomes_over_time`: :func:`~simkit.analysis.pull_outcomes`;
- :func:`node_drift`: :func:`~simkit.analysis.drift`.

Past a few dozen tags, subjects or images those grow unreadable; :mod:`.aggregate` draws
the same results grouped, at a size that does not grow with the cluster:
:func:`staleness_by_group`, :func:`pull_matrix_by_project_heatmap`,
:func:`who_can_pull_overview`, :func:`node_drift_summary`.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import simkit as sk
>>> from simkit.analysis import stale_tag_risk
>>> from simkit.plots import lag_distribution
>>> sim = sk.Simulation()
>>> _ = sim.registry("quay.io").push("acme/ruby", "2.7")
>>> _ = sim.oc("tag --scheduled quay.io/acme/ruby:2.7 ruby:2.7")
>>> sim.advance("1h")
>>> ax = lag_distribution(stale_tag_risk(sim))
>>> [t.get_text() for t in ax.get_yticklabels()]
['scheduled (n=0, 1 never stale)']
"""

from simkit.plots.access import pull_matrix_heatmap, who_can_pull_graph
from simkit.plots.aggregate import (
    node_drift_summary,
    pull_matrix_by_project_heatmap,
    staleness_by_group,
    who_can_pull_overview,
)
from simkit.plots.pulls import node_drift, pull_outcomes_over_time
from simkit.plots.staleness import lag_distribution, staleness_heatmap
from simkit.plots.timelines import tag_timeline

__all__ = [
    "lag_distribution",
    "node_drift",
    "node_drift_summary",
    "pull_matrix_by_project_heatmap",
    "pull_matrix_heatmap",
    "pull_outcomes_over_time",
    "staleness_by_group",
    "staleness_heatmap",
    "tag_timeline",
    "who_can_pull_graph",
    "who_can_pull_overview",
]

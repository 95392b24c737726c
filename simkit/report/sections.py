"""The sections of a report, each adding the tables and figures of one analysis."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from matplotlib.figure import Figure

from simkit import analysis
from simkit import plots as P

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from simkit.report.writer import Report
    from simkit.simulation import Simulation


def _figure(ax: Axes) -> Figure:
    figure = ax.figure
    assert isinstance(figure, Figure)  # the plots draw on a figure of their own (no ax given)
    return figure


def stale_tags(sim: Simulation, report: Report) -> None:
    """Stale-tag risk per tag and per strategy, lag distribution, heatmap, one timeline."""
    risk = analysis.stale_tag_risk(sim)
    if not len(risk):
        return
    report.table("stale_tag_risk", "Stale-tag risk per image stream tag", risk)
    report.table("stale_risk_by_strategy", "Stale-tag risk by tag strategy",
                 analysis.group_risk(risk, by="strategy").reset_index())
    report.table("stale_risk_by_convention", "Stale-tag risk by naming convention",
                 analysis.group_risk(risk, by="convention").reset_index())
    episodes = analysis.stale_episodes(sim)
    if len(episodes):
        marks = {"scheduled import interval": f"{sim.config.scheduled_import_interval}s"}
        report.figure("lag_distribution", "How long tags stayed behind their source",
                      _figure(P.lag_distribution(episodes, marks=marks)))
    report.figure("staleness_heatmap", "Which tags were stale when",
                  _figure(P.staleness_heatmap(analysis.staleness_over_time(sim, "6h"))))
    worst = risk.sort_values("max_lag", ascending=False).iloc[0]["tag"]
    report.figure("tag_timeline", f"Timeline of {worst} against its source",
                  _figure(P.tag_timeline(analysis.tag_history(sim, worst))))


def imports(sim: Simulation, report: Report) -> None:
    """How long upstream pushes took to reach the image stream tags that import them."""
    lag = analysis.import_lag(sim)
    if len(lag):
        frame = lag.copy()
        frame["lag_s"] = frame["lag"].dt.total_seconds()
        report.table("import_lag", "Import lag: upstream push to image stream tag",
                     frame.drop(columns=["lag"]))


def workloads(sim: Simulation, report: Report) -> None:
    """Pods running older digests than their tags, by pull policy."""
    stale = analysis.workload_staleness(sim)
    if len(stale):
        report.table("workload_staleness", "Running pods and how stale their images are", stale)
        report.table("workload_staleness_by_policy", "Stale running pods by pull policy",
                     analysis.group_risk(stale, by="policy").reset_index())
    exposure = analysis.exposure_windows(sim)
    if len(exposure):
        report.table("exposure_windows", "Images run after a fix was published", exposure)


def pulls(sim: Simulation, report: Report) -> None:
    """Pull outcomes over time by policy, and nodes disagreeing on a tag's digest."""
    outcomes = analysis.pull_outcomes(sim, "6h")
    if len(outcomes):
        report.table("pull_outcomes", "Pull decisions by policy over time", outcomes)
        report.figure("pull_outcomes", "Pull decisions over time, by pull policy",
                      _figure(P.pull_outcomes_over_time(outcomes)))
    drift = analysis.drift(sim)
    if len(drift):
        report.table("drift", "Image names resolving to different digests across nodes", drift)
        report.figure("node_drift", "Digests per node for each image name",
                      _figure(P.node_drift(drift)))


def access(sim: Simulation, report: Report) -> None:
    """Who can pull what: the graph, the matrix, external registry coverage, KEP-2535."""
    graph = analysis.who_can_pull(sim)
    matrix = analysis.pull_matrix(sim)
    report.table("pull_matrix", "Who can pull which image stream",
                 matrix.reset_index().rename(columns={"index": "subject"}))
    report.figure("who_can_pull", "Who can pull: subjects, groups, bindings, projects, streams",
                  _figure(P.who_can_pull_graph(graph)))
    if matrix.size:
        report.figure("pull_matrix", "Pull matrix", _figure(P.pull_matrix_heatmap(matrix)))
    coverage = analysis.registry_coverage(sim)
    if len(coverage):
        report.table("registry_coverage", "External registries each service account can "
                     "pull from, and through which secret", coverage)
    exposure = analysis.cached_exposure(sim)
    if len(exposure):
        report.table("cached_exposure", "Private images cached on nodes that pods without "
                     "credentials could run (KEP-2535)", exposure)


def conventions(sim: Simulation, report: Report) -> None:
    """The naming convention of every tag in the cluster's image streams."""
    lint = analysis.lint_image_streams(sim)
    if len(lint):
        report.table("tag_conventions", "Tag naming conventions", lint)


def event_counts(sim: Simulation, report: Report) -> None:
    """How many events of each kind the run produced."""
    counts = sim.events["kind"].value_counts().rename_axis("kind").reset_index(name="events")
    report.table("event_counts", "Events by kind", counts)


def pods(sim: Simulation, report: Report) -> None:
    """Every pod now: node, status, image, policy and digest."""
    rows = [
        {"namespace": p.namespace, "pod": p.name, "node": p.node, "status": p.status,
         "image": p.image, "policy": p.pull_policy, "digest": p.image_digest,
         "restarts": p.restarts}
        for p in sim.pods()
    ]
    if rows:
        report.table("pods", "Pods at the end of the run", pd.DataFrame(rows))


SECTIONS = [stale_tags, imports, workloads, pulls, access, conventions, pods, event_counts]

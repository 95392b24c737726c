"""The sections of a report, each adding tables and figures from one analysis."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from simkit.report import Report
    from simkit.simulation import Simulation


def event_counts(sim: Simulation, report: Report) -> None:
    """How many events of each kind the run produced."""
    counts = sim.events["kind"].value_counts().rename_axis("kind").reset_index(name="events")
    report.table("event_counts", "Events by kind", counts)


def import_lag_section(sim: Simulation, report: Report) -> None:
    """How long upstream pushes took to reach the image stream tags that import them."""
    from simkit.analysis import import_lag

    lag = import_lag(sim)
    if len(lag):
        frame = lag.copy()
        frame["lag_s"] = frame["lag"].dt.total_seconds()
        report.table("import_lag", "Import lag: upstream push to image stream tag",
                     frame.drop(columns=["lag"]))


def pods_section(sim: Simulation, report: Report) -> None:
    """Every pod now: node, status, image, policy and digest."""
    rows = [
        {"namespace": p.namespace, "pod": p.name, "node": p.node, "status": p.status,
         "image": p.image, "policy": p.pull_policy, "digest": p.image_digest,
         "restarts": p.restarts}
        for p in sim.pods()
    ]
    if rows:
        report.table("pods", "Pods at the end of the run", pd.DataFrame(rows))


SECTIONS = [event_counts, import_lag_section, pods_section]

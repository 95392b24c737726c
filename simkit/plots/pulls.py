"""The kubelet's pull decisions over time, and nodes disagreeing on an image name."""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import Colormap, ListedColormap
from matplotlib.patches import Patch

from simkit.analysis.pulls import DECISIONS
from simkit.plots._style import (
    DECISION_COLORS,
    POLICY_HATCHES,
    axes,
    naive_times,
    shorten,
    time_axis,
)

__all__ = ["node_drift", "pull_outcomes_over_time"]


def pull_outcomes_over_time(
    outcomes: pd.DataFrame, ax: Axes | None = None, *, log: bool | None = None
) -> Axes:
    """Pull decisions per time bin: one stacked bar per pull policy, coloured by decision.

    Parameters
    ----------
    outcomes : pandas.DataFrame
        :func:`simkit.analysis.pull_outcomes`.
    ax : matplotlib Axes, optional
    log : bool, optional
        A logarithmic count axis; by default when the busiest bar is over 30 times the
        median one (a backoff storm next to quiet hours).

    Returns
    -------
    matplotlib.axes.Axes
        Bars side by side per bin (hatched by policy), stacked by decision (cached,
        pulled, failed ...); two legends.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import simkit as sk
    >>> from simkit.analysis import pull_outcomes
    >>> sim = sk.Simulation(seed=1)
    >>> _ = sim.registry("quay.io").push("acme/ruby", "3.1")
    >>> _ = sim.run_pod("default", "quay.io/acme/ruby:3.1")
    >>> sim.advance("1h")
    >>> pull_outcomes_over_time(pull_outcomes(sim)).get_ylabel()
    'pulls per bin'
    """
    ax = axes(ax, (11, 4.5))
    times = sorted(outcomes["time"].unique())
    if len(times) > 1:
        width = pd.Timestamp(times[1]) - pd.Timestamp(times[0])
        steps = pd.Series(pd.DatetimeIndex(times)).diff().dropna()
        width = steps.min() if len(steps) else width
    else:
        width = pd.Timedelta("1h")
    policies = [p for p in POLICY_HATCHES if p in set(outcomes["policy"])]
    policies += sorted(set(outcomes["policy"]) - set(policies))
    decisions = [d for d in DECISIONS if d in set(outcomes["decision"])]
    bar = width / (len(policies) + 1)
    days = bar.total_seconds() / 86400
    table = outcomes.pivot_table(
        index=["time", "policy"], columns="decision", values="pulls", aggfunc="sum", fill_value=0
    )
    for k, policy in enumerate(policies):
        part = (
            table.xs(policy, level="policy")
            if policy in table.index.get_level_values("policy")
            else pd.DataFrame()
        )
        if part.empty:
            continue
        x = mdates.date2num(naive_times(part.index) + bar * (k + 0.5))
        bottom = np.zeros(len(part))
        for decision in decisions:
            if decision not in part.columns:
                continue
            counts = part[decision].to_numpy(dtype=float)
            ax.bar(
                x,
                counts,
                width=days,
                bottom=bottom,
                align="edge",
                color=DECISION_COLORS.get(decision, "#cccccc"),
                hatch=POLICY_HATCHES.get(policy, "xx"),
                edgecolor="white",
                linewidth=0.3,
            )
            bottom += counts
    first = ax.legend(
        handles=[Patch(color=DECISION_COLORS.get(d, "#cccccc"), label=d) for d in decisions],
        title="decision",
        loc="upper left",
        bbox_to_anchor=(1.01, 1),
        fontsize="small",
        frameon=False,
    )
    ax.add_artist(first)
    ax.legend(
        handles=[
            Patch(
                facecolor="white", edgecolor="#555555", hatch=POLICY_HATCHES.get(p, "xx"), label=p
            )
            for p in policies
        ],
        title="pull policy (bar)",
        loc="lower left",
        bbox_to_anchor=(1.01, 0),
        fontsize="small",
        frameon=False,
    )
    totals = outcomes.groupby(["time", "policy"])["pulls"].sum()
    if log is None:
        log = len(totals) > 1 and totals.max() > 30 * max(totals.median(), 1)
    if log:
        ax.set_yscale("log")
        ax.set_ylim(0.8, totals.max() * 1.5)
    ax.set_ylabel("pulls per bin" + (" (log scale)" if log else ""))
    ax.set_xlabel("time (UTC)")
    label = f"{int(width.total_seconds() // 3600)}h" if width >= pd.Timedelta("1h") else str(width)
    ax.set_title(f"Kubelet pull decisions per {label}, by pull policy")
    if times:
        start = pd.Timestamp(times[0])
        time_axis(ax, start, pd.Timestamp(times[-1]) + width)
    ax.grid(axis="y", alpha=0.3)
    return ax


def node_drift(frame: pd.DataFrame, ax: Axes | None = None, *, only_drifted: bool = False) -> Axes:
    """Image names × nodes: which digest each node resolves each name to.

    Parameters
    ----------
    frame : pandas.DataFrame
        :func:`simkit.analysis.drift`.
    ax : matplotlib Axes, optional
    only_drifted : bool
        Draw only names that resolve differently on different nodes.

    Returns
    -------
    matplotlib.axes.Axes
        Cells coloured by version (1: the oldest digest the name has on any node),
        labelled with the digest's first hex digits; names that drift are marked ``≠``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import simkit as sk
    >>> from simkit.analysis import drift
    >>> sim = sk.Simulation(seed=1, nodes=2)
    >>> _ = sim.registry("quay.io").push("acme/ruby", "3.1")
    >>> _ = sim.run_pod("default", "quay.io/acme/ruby:3.1")
    >>> sim.advance("1m")
    >>> node_drift(drift(sim)).get_xlabel()
    'node'
    """
    if only_drifted:
        frame = frame[frame["drifted"]]
    images = sorted(
        frame["image"].unique(),
        key=lambda i: (not frame.loc[frame["image"] == i, "drifted"].any(), i),
    )
    nodes = sorted(frame["node"].unique())
    ax = axes(ax, (max(6.0, 1.3 * len(nodes) + 5), max(3.0, 0.45 * len(images) + 2)))
    grid = np.full((len(images), len(nodes)), np.nan)
    row = {image: i for i, image in enumerate(images)}
    column = {node: j for j, node in enumerate(nodes)}
    top = int(frame["version"].max()) if len(frame) else 1
    cmap: Colormap = ListedColormap(_palette(max(top, 1)))
    cmap = cmap.with_extremes(bad="#f7f7f7")
    for image, node, digest, version in frame[["image", "node", "digest", "version"]].itertuples(
        index=False
    ):
        i, j = row[image], column[node]
        grid[i, j] = version
        ax.text(
            j,
            i,
            f"v{version}\n{digest.split(':')[-1][:7]}",
            ha="center",
            va="center",
            fontsize=7,
            color="white" if version > top / 2 else "black",
        )
    ax.imshow(
        np.ma.masked_invalid(grid),
        cmap=cmap,
        vmin=0.5,
        vmax=top + 0.5,
        aspect="auto",
        interpolation="nearest",
    )
    drifted = set(frame.loc[frame["drifted"], "image"])
    ax.set_yticks(
        np.arange(len(images)),
        [("≠ " if i in drifted else "") + shorten(i, 45) for i in images],
        fontsize="small",
    )
    ax.set_xticks(np.arange(len(nodes)), nodes, fontsize="small")
    ax.set_xticks(np.arange(len(nodes) + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(len(images) + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    ax.set_xlabel("node")
    ax.set_ylabel("image name (≠: nodes disagree)")
    ax.set_title(
        f"Which digest each node resolves an image name to "
        f"({len(drifted)} of {len(images)} names drift)"
    )
    return ax


def _palette(n: int) -> np.ndarray:
    from matplotlib import colormaps

    return colormaps["viridis_r"](np.linspace(0.1, 0.9, n))

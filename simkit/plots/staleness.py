"""How stale image stream tags got: lag distributions per strategy, and tags × time."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import Colormap, ListedColormap
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from simkit.plots._style import STRATEGY_COLORS, axes, naive_times, shorten

__all__ = ["lag_distribution", "staleness_heatmap"]


_TICKS_HOURS = [1 / 3600, 10 / 3600, 1 / 60, 5 / 60, 15 / 60, 1, 6, 24, 72, 168, 720, 2160]


def _duration_label(hours: float, _pos: object = None) -> str:
    if hours < 1 / 60:
        return f"{hours * 3600:.0f} s"
    if hours < 1:
        return f"{hours * 60:.0f} min"
    if hours < 24:
        return f"{hours:.0f} h"
    return f"{hours / 24:.0f} d"


def lag_distribution(
    frame: pd.DataFrame,
    ax: Axes | None = None,
    by: str = "strategy",
    *,
    marks: Mapping[str, str | pd.Timedelta] | None = None,
    max_points: int = 500,
) -> Axes:
    """How long tags lagged behind their source, per strategy (or convention).

    Parameters
    ----------
    frame : pandas.DataFrame
        :func:`simkit.analysis.stale_episodes` (one point per stale episode, its
        duration) or :func:`simkit.analysis.stale_tag_risk` (one point per tag, its
        ``max_lag``).
    ax : matplotlib Axes, optional
    by : str
        The column to group by: ``"strategy"`` or ``"convention"``.
    marks : dict, optional
        Vertical reference lines, label to duration: ``{"import interval": "15min"}``.
    max_points : int
        Draw the points of a group over its box only up to this many (thousands of
        points hide the box); beyond, the box alone.

    Returns
    -------
    matplotlib.axes.Axes
        A box per group on a log time axis, every point drawn over it; the group labels
        count the points and, for tags, those never stale.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import simkit as sk
    >>> from simkit.analysis import stale_episodes
    >>> sim = sk.Simulation(seed=1)
    >>> quay = sim.registry("quay.io")
    >>> _ = quay.push("acme/ruby", "2.7")
    >>> _ = sim.oc("tag --scheduled quay.io/acme/ruby:2.7 ruby:2.7")
    >>> _ = sim.oc("tag quay.io/acme/ruby:2.7 ruby:once")
    >>> sim.advance("1h")
    >>> _ = quay.push("acme/ruby", "2.7")
    >>> sim.advance("1h")
    >>> lag_distribution(stale_episodes(sim)).get_xlabel()
    'stale episode duration (log scale)'
    """
    ax = axes(ax, (9, 4.5))
    if "duration" in frame.columns:
        values, what = frame["duration"], "stale episode duration"
        never = None
    else:
        values, what = frame["max_lag"], "longest lag behind the source"
        never = frame.loc[frame["max_lag"] <= pd.Timedelta(0)].groupby(by).size()
    hours = values.dt.total_seconds() / 3600
    data = pd.DataFrame({"group": frame[by].astype(str), "hours": hours})
    positive = data[data["hours"] > 0]
    medians = positive.groupby("group")["hours"].median()
    # groups that were never stale at the bottom, the longest lags at the top
    groups = sorted(
        set(frame[by].astype(str)), key=lambda g: (g in medians.index, medians.get(g, 0.0), g)
    )
    rng = np.random.default_rng(0)
    labels = []
    for i, group in enumerate(groups):
        points = positive.loc[positive["group"] == group, "hours"].to_numpy()
        color = STRATEGY_COLORS.get(group, "#377eb8")
        if len(points):
            box = ax.boxplot(
                points,
                positions=[i],
                orientation="horizontal",
                widths=0.6,
                showfliers=False,
                patch_artist=True,
            )
            for patch in box["boxes"]:
                patch.set(facecolor=color, alpha=0.35, edgecolor=color)
            for name in ("medians", "whiskers", "caps"):
                for line in box[name]:
                    line.set(color=color)
            if len(points) <= max_points:
                ax.scatter(
                    points,
                    i + rng.uniform(-0.18, 0.18, len(points)),
                    s=12,
                    color=color,
                    alpha=0.8,
                    zorder=3,
                )
        label = f"{group} (n={len(points)}"
        if never is not None:
            label += f", {int(never.get(group, 0))} never stale"
        labels.append(label + ")")
    ax.set_yticks(range(len(groups)), labels)
    ax.set_ylim(-0.7, len(groups) - 0.3)
    for i, (label, duration) in enumerate((marks or {}).items()):
        at = pd.Timedelta(duration).total_seconds() / 3600
        ax.axvline(at, color="#555555", linestyle="--", linewidth=1)
        ax.annotate(
            label,
            (at, 1 - 0.06 * (i + 1)),
            xycoords=("data", "axes fraction"),
            xytext=(4, 0),
            textcoords="offset points",
            fontsize="small",
            color="#555555",
        )
    if len(positive):
        ax.set_xscale("log")
        low = min(
            positive["hours"].min(),
            *[pd.Timedelta(d).total_seconds() / 3600 for d in (marks or {}).values()] or [np.inf],
        )
        high = max(
            positive["hours"].max(),
            *[pd.Timedelta(d).total_seconds() / 3600 for d in (marks or {}).values()] or [0],
        )
        ax.set_xlim(low / 1.6, high * 1.6)
        ticks = [t for t in _TICKS_HOURS if low / 1.6 <= t <= high * 1.6]
        ax.xaxis.set_major_locator(FixedLocator(ticks))
        ax.xaxis.set_minor_locator(NullLocator())
        ax.xaxis.set_major_formatter(FuncFormatter(_duration_label))
    ax.set_xlabel(f"{what} (log scale)")
    ax.set_ylabel(by)
    ax.set_title(f"How long image stream tags stayed behind their source, by {by}")
    ax.grid(axis="x", alpha=0.3)
    return ax


def staleness_heatmap(matrix: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Tags × time: the share of each time bin each tag was stale.

    Parameters
    ----------
    matrix : pandas.DataFrame
        :func:`simkit.analysis.staleness_over_time` (index tags, columns bin starts,
        values 0..1, NaN before a tag existed).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        A heatmap (white: up to date, dark red: stale the whole bin, grey: the tag did
        not exist yet) with a colour bar.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import simkit as sk
    >>> from simkit.analysis import staleness_over_time
    >>> sim = sk.Simulation(seed=1)
    >>> quay = sim.registry("quay.io")
    >>> _ = quay.push("acme/ruby", "2.7")
    >>> _ = sim.oc("tag quay.io/acme/ruby:2.7 ruby:once")
    >>> sim.advance("1h")
    >>> _ = quay.push("acme/ruby", "2.7")
    >>> sim.advance("3h")
    >>> staleness_heatmap(staleness_over_time(sim, "1h")).get_title()
    'Share of each 1h bin each image stream tag was stale'
    """
    height = max(2.5, 0.32 * len(matrix) + 1.5)
    ax = axes(ax, (10, height))
    times = naive_times(matrix.columns)
    width = times[1] - times[0] if len(times) > 1 else pd.Timedelta("1h")
    edges = mdates.date2num(list(times) + [times[-1] + width]) if len(times) else [0, 1]
    cmap: Colormap = ListedColormap(np.vstack([np.ones(4), _reds(255)]))
    cmap = cmap.with_extremes(bad="#d9d9d9")
    values = np.ma.masked_invalid(matrix.to_numpy(dtype=float))
    mesh = ax.pcolormesh(
        edges, np.arange(len(matrix) + 1), values, cmap=cmap, vmin=0, vmax=1, shading="flat"
    )
    ax.set_yticks(
        np.arange(len(matrix)) + 0.5, [shorten(t, 40) for t in matrix.index], fontsize="small"
    )
    ax.invert_yaxis()
    ax.xaxis_date()
    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    colorbar = ax.figure.colorbar(mesh, ax=ax, pad=0.01, fraction=0.04)
    colorbar.set_label("share of the bin stale")
    label = _frequency_label(width)
    ax.set_title(f"Share of each {label} bin each image stream tag was stale")
    ax.set_xlabel("time (UTC); grey: the tag did not exist yet")
    ax.set_ylabel("image stream tag")
    return ax


def _reds(n: int) -> np.ndarray:
    from matplotlib import colormaps

    return colormaps["Reds"](np.linspace(0.15, 1.0, n))


def _frequency_label(width: pd.Timedelta) -> str:
    seconds = int(width.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"

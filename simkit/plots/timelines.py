"""A tag's images over time against its source's."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from simkit.plots._style import axes, naive_times, time_axis

__all__ = ["tag_timeline"]


def _steps(frame: pd.DataFrame, end: pd.Timestamp | None) -> tuple[pd.DatetimeIndex, np.ndarray]:
    times = naive_times(list(frame["time"]) + [end])
    values = np.append(frame["version"].to_numpy(dtype=float), np.nan)
    values[-1] = values[-2] if len(values) > 1 else np.nan
    return times, values


def tag_timeline(history: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Which image an image stream tag and its source pointed at, over time.

    Parameters
    ----------
    history : pandas.DataFrame
        :func:`simkit.analysis.tag_history` of one tag.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        Step lines of the image *version* (1 = the first digest seen, 2 = the next ...)
        of the source and of the tag, with the stretches where they differ shaded.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import simkit as sk
    >>> from simkit.analysis import tag_history
    >>> sim = sk.Simulation(seed=1)
    >>> quay = sim.registry("quay.io")
    >>> _ = quay.push("acme/ruby", "2.7")
    >>> _ = sim.oc("tag --scheduled quay.io/acme/ruby:2.7 ruby:2.7")
    >>> sim.advance("1h")
    >>> _ = quay.push("acme/ruby", "2.7")
    >>> sim.advance("1h")
    >>> tag_timeline(tag_history(sim, "default/ruby:2.7")).get_title()
    'default/ruby:2.7 against quay.io/acme/ruby:2.7'
    """
    ax = axes(ax, (10, 4))
    tag = history.attrs.get("tag", "tag")
    source = history.attrs.get("source", "")
    end = history.attrs.get("end", history["time"].max() if len(history) else None)
    start = history.attrs.get("start", history["time"].min() if len(history) else None)
    series = {name: part for name, part in history.groupby("series")}
    styles: dict[str, dict[str, Any]] = {
        "source": dict(
            color="#999999",
            linewidth=5,
            alpha=0.6,
            label=f"source: {source}" if source else "source",
        ),
        "tag": dict(color="#d95f02", linewidth=2, label=f"tag: {tag}"),
    }
    lines = {}
    for name in ("source", "tag"):
        part = series.get(name)
        if part is None or part.empty:
            continue
        times, values = _steps(part, end)
        ax.step(times, values, where="post", **styles[name])
        ax.plot(times[:-1], values[:-1], "o", color=styles[name]["color"], markersize=4)
        lines[name] = pd.Series(values[:-1], index=times[:-1])
    if "source" in lines and "tag" in lines:
        grid = lines["source"].index.union(lines["tag"].index).append(naive_times([end]))
        grid = grid.sort_values()
        mine = lines["tag"].reindex(grid, method="ffill")
        theirs = lines["source"].reindex(grid, method="ffill")
        stale = (mine.notna() & theirs.notna() & (mine != theirs)).to_numpy()
        ax.fill_between(
            grid,
            0,
            1,
            where=stale,
            step="post",
            color="#e41a1c",
            alpha=0.12,
            transform=ax.get_xaxis_transform(),
            linewidth=0,
        )
    handles, labels = ax.get_legend_handles_labels()
    handles.append(Patch(color="#e41a1c", alpha=0.2))
    labels.append("tag behind its source")
    ax.legend(handles, labels, loc="upper left", fontsize="small", frameon=False)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    top = np.nanmax(history["version"].to_numpy(dtype=float)) if len(history) else 1
    ax.set_ylim(0.5, (top if np.isfinite(top) else 1) + 1.2)
    ax.set_ylabel("image version (1 = first digest seen)")
    ax.set_xlabel("time (UTC)")
    ax.set_title(f"{tag} against {source}" if source else tag)
    ax.grid(axis="y", alpha=0.3)
    time_axis(ax, start, end)
    return ax

"""Shared plotting helpers: axes creation, colours, time axes."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes

STRATEGY_COLORS = {
    "scheduled": "#1b9e77", "alias": "#7570b3", "reference": "#66a61e", "local": "#e6ab02",
    "imported-once": "#d95f02", "permanent": "#e7298a", "pushed": "#a6761d",
}
KIND_COLORS = {
    "user": "#1f78b4", "serviceaccount": "#a6cee3", "group": "#33a02c", "binding": "#fb9a99",
    "role": "#e31a1c", "project": "#fdbf6f", "imagestream": "#ff7f00", "secret": "#cab2d6",
    "registry": "#6a3d9a",
}
DECISION_COLORS = {
    "cached": "#4daf4a", "pulled": "#377eb8", "failed": "#e41a1c", "refused": "#ff7f00",
    "backoff": "#984ea3", "never": "#a65628", "invalid": "#999999",
}
POLICY_HATCHES = {"Always": "", "IfNotPresent": "///", "Never": "..."}


def axes(ax: Axes | None, size: tuple[float, float] = (9, 5)) -> Axes:
    """``ax``, or the axes of a new figure of ``size`` inches."""
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def time_axis(ax: Axes, start: pd.Timestamp | None = None,
              end: pd.Timestamp | None = None) -> None:
    """Readable date ticks on the x axis (concise dates, UTC)."""
    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, tz="UTC"))
    if start is not None and end is not None and end > start:
        # matplotlib converts datetimes through its units registry; its stubs say float only
        ax.set_xlim(_naive(start), _naive(end))  # type: ignore[arg-type]


def _naive(stamp: pd.Timestamp) -> pd.Timestamp:
    stamp = pd.Timestamp(stamp)
    return stamp.tz_convert("UTC").tz_localize(None) if stamp.tzinfo else stamp


def naive_times(values) -> pd.DatetimeIndex:
    """UTC timestamps without a time zone, for matplotlib."""
    index = pd.DatetimeIndex(values)
    return index.tz_convert("UTC").tz_localize(None) if index.tz is not None else index


def shorten(text: str, width: int = 34) -> str:
    """``text`` cut to ``width`` characters with an ellipsis in the middle."""
    text = str(text)
    if len(text) <= width:
        return text
    keep = width - 1
    return text[: keep // 2] + "…" + text[-(keep - keep // 2):]

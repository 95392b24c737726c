"""Shared plotting helpers: axes creation, colours, time axes, and offscreen figures.

A plot function given no ``ax`` makes its own figure: a pyplot figure with constrained
layout (a notebook shows it), or, inside :func:`offscreen` (the report), a plain Agg
figure that pyplot never tracks and that :func:`fit` lays out from estimated text sizes
before it is saved, without the measuring passes constrained layout makes at every draw
(a third or more of the time of drawing a small figure).
"""

from __future__ import annotations

import contextlib
import contextvars
import math
import re
from collections.abc import Iterator

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend import Legend

STRATEGY_COLORS = {
    "scheduled": "#1b9e77",
    "alias": "#7570b3",
    "reference": "#66a61e",
    "local": "#e6ab02",
    "imported-once": "#d95f02",
    "permanent": "#e7298a",
    "pushed": "#a6761d",
}
KIND_COLORS = {
    "user": "#1f78b4",
    "serviceaccount": "#a6cee3",
    "group": "#33a02c",
    "binding": "#fb9a99",
    "role": "#e31a1c",
    "project": "#fdbf6f",
    "imagestream": "#ff7f00",
    "secret": "#cab2d6",
    "registry": "#6a3d9a",
}
DECISION_COLORS = {
    "cached": "#4daf4a",
    "pulled": "#377eb8",
    "failed": "#e41a1c",
    "refused": "#ff7f00",
    "backoff": "#984ea3",
    "never": "#a65628",
    "invalid": "#999999",
}
POLICY_HATCHES = {"Always": "", "IfNotPresent": "///", "Never": "..."}


_OFFSCREEN: contextvars.ContextVar[bool] = contextvars.ContextVar("offscreen", default=False)


@contextlib.contextmanager
def offscreen() -> Iterator[None]:
    """Inside the block, plot functions given no ``ax`` draw on plain Agg figures: not
    pyplot's (nothing shown, nothing to close), with no layout engine (:func:`fit` them).

    Examples
    --------
    >>> with offscreen():
    ...     ax = axes(None, (4, 3))
    >>> ax.figure.get_layout_engine() is None, type(ax.figure.canvas).__name__
    (True, 'FigureCanvasAgg')
    """
    token = _OFFSCREEN.set(True)
    try:
        yield
    finally:
        _OFFSCREEN.reset(token)


def axes(ax: Axes | None, size: tuple[float, float] = (9, 5)) -> Axes:
    """``ax``, or the axes of a new figure of ``size`` inches (see :func:`offscreen`)."""
    if ax is not None:
        return ax
    if _OFFSCREEN.get():
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        figure = Figure(figsize=size)
        FigureCanvasAgg(figure)
        return figure.add_subplot()
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


_NARROW = frozenset("fijlrtIJ!'.,:;|()[]/\\- ")
_WIDE = frozenset("mwMW@%#&+<=>^~…≠")


def text_inches(text: str, points: float) -> float:
    """The width in inches of ``text`` (its longest line) in DejaVu Sans, matplotlib's
    default font, at ``points``: estimated from the glyph classes, never much too small.

    Examples
    --------
    >>> round(text_inches("imports/app-00104:latest", 10), 2)  # drawn: 1.79 inches
    1.88
    """

    def em(line: str) -> float:
        return sum(
            0.40 if c in _NARROW else 1.0 if c in _WIDE else 0.79 if c.isupper() else 0.64
            for c in line
        )

    text = str(text)
    if text.startswith("$") and text.endswith("$"):  # mathtext such as 10^3: its glyphs
        text = re.sub(r"\\mathdefault|[${}^\\]", "", text)
    return max((em(line) for line in text.split("\n")), default=0.0) * points / 72


def _lines(text: str, points: float) -> float:
    return (str(text).count("\n") + 1) * points * 1.3 / 72 if text else 0.0


def _ticks(labels: list) -> tuple[float, float, float]:
    """Widest label (inches), its line height and rotation of visible tick labels."""
    shown = [t for t in labels if t.get_visible() and t.get_text()]
    if not shown:
        return 0.0, 0.0, 0.0
    points = shown[0].get_fontsize()
    return (
        max(text_inches(t.get_text(), points) for t in shown),
        max(_lines(t.get_text(), points) for t in shown),
        shown[0].get_rotation(),
    )


def _legend_inches(legend) -> tuple[float, float]:
    """Width and height in inches of a legend (its entries and title)."""
    texts = [t.get_text() for t in legend.get_texts()]
    points = legend.get_texts()[0].get_fontsize() if texts else 10.0
    columns = max(getattr(legend, "_ncols", 1), 1)
    rows = math.ceil(len(texts) / columns)
    entry = max((text_inches(t, points) for t in texts), default=0.0) + 3.2 * points / 72
    title = legend.get_title().get_text()
    width = max(entry * columns, text_inches(title, points)) + 0.1
    height = (rows + bool(title)) * points * 1.45 / 72 + 0.1
    return width, height


def fit(figure: Figure) -> None:
    """Lay out a figure made :func:`offscreen` with one Axes (and its colour bars) from
    estimated sizes of its tick labels, axis labels, title, legends and colour bars;
    figures with a layout engine (pyplot's) or several Axes are left as they are.

    Examples
    --------
    >>> with offscreen():
    ...     ax = axes(None, (6, 3))
    >>> _ = ax.set_yticks([0, 1], ["a-long-tick-label-here", "b"])
    >>> fit(ax.figure)
    >>> bool(0.2 < ax.get_position().x0 < 0.5)
    True
    """
    if figure.get_layout_engine() is not None:
        return
    main = [a for a in figure.axes if not hasattr(a, "_colorbar")]
    if len(main) != 1:
        return
    ax = main[0]
    width, height = figure.get_size_inches()
    tick = 7 / 72  # tick length and pad
    left = right = bottom = 0.1
    top = 0.12
    if ax.axison:
        wide, _, _ = _ticks(ax.get_yticklabels())
        left += wide + tick + _lines(ax.get_ylabel(), float(ax.yaxis.label.get_fontsize()))
        wide, tall, rotation = _ticks(ax.get_xticklabels())
        if rotation % 180:
            angle = math.radians(rotation % 180)
            bottom += wide * abs(math.sin(angle)) + tall * abs(math.cos(angle))
        else:
            bottom += tall
            right += wide / 2  # the last label is centred on the right edge
        if isinstance(ax.xaxis.get_major_formatter(), mdates.ConciseDateFormatter):
            bottom += tall  # the offset line ("2026-Jan-03") under the ticks
        bottom += tick + _lines(ax.get_xlabel(), float(ax.xaxis.label.get_fontsize()))
    top += _lines(ax.get_title(), float(ax.title.get_fontsize()))
    for bar in figure.axes:
        if bar is not ax:
            wide, _, _ = _ticks(bar.get_yticklabels())
            label_size = float(bar.yaxis.label.get_fontsize())
            right += wide + tick + _lines(bar.get_ylabel(), label_size)
    for legend in [a for a in ax.get_children() if isinstance(a, Legend)]:
        anchor = legend.get_bbox_to_anchor().transformed(ax.transAxes.inverted())
        legend_width, legend_height = _legend_inches(legend)
        if anchor.x0 >= 1:
            right = max(right, legend_width + 0.15)
        elif anchor.y1 <= 0:
            bottom += legend_height
    right = min(right, width * 0.45)
    left = min(left, width * 0.45)
    figure.subplots_adjust(
        left=left / width,
        right=1 - right / width,
        bottom=min(bottom, height * 0.45) / height,
        top=1 - min(top, height * 0.3) / height,
    )


def time_axis(ax: Axes, start: pd.Timestamp | None = None, end: pd.Timestamp | None = None) -> None:
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
    return text[: keep // 2] + "…" + text[-(keep - keep // 2) :]

"""HTML for notebooks: image streams as ``oc describe is`` shows them, a simulation's
summary, and analysis results.

Each function returns a string of HTML with every value escaped; ``_repr_html_``
methods can return them as they are.  Nothing here shows secret data: secrets appear by
name only.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    import networkx as nx

    from simkit.simulation import Simulation
    from simkit.state.images import ImageStream

__all__ = [
    "frame_html",
    "graph_html",
    "image_stream_html",
    "register_html_formatters",
    "result_html",
    "simulation_html",
]

_STYLE = (
    "font-family: var(--jp-code-font-family, monospace); font-size: 12px; "
    "line-height: 1.3; margin: 0"
)
_TABLE = "border-collapse: collapse; font-size: 12px"
_CELL = "text-align: left; padding: 1px 8px; border-bottom: 1px solid #ddd"


@dataclass(frozen=True)
class _Clock:
    """What :func:`~simkit.oc.printers.describe_image_stream` needs of a simulation."""

    now: float


def _rows(pairs: list[tuple[str, Any]]) -> str:
    return "".join(
        f"<tr><th style='{_CELL}'>{escape(str(k))}</th>"
        f"<td style='{_CELL}'>{escape(str(v))}</td></tr>"
        for k, v in pairs
    )


def image_stream_html(stream: ImageStream, sim: Simulation | None = None) -> str:
    """An image stream as ``oc describe is NAME`` prints it, in a ``<pre>`` block.

    Parameters
    ----------
    stream : ImageStream
    sim : Simulation, optional
        Gives the current time for the ``... ago`` ages; without it they are measured
        from the stream's newest tag event.

    Returns
    -------
    str
        HTML.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> _ = sim.registry("quay.io").push("acme/ruby", "3.1")
    >>> _ = sim.oc("tag quay.io/acme/ruby:3.1 ruby:3.1")
    >>> sim.advance("2m")
    >>> html = image_stream_html(sim.stream("default", "ruby"), sim)
    >>> html.startswith("<div") and "tagged from quay.io/acme/ruby:3.1" in html
    True
    >>> "<pre" in image_stream_html(sim.stream("default", "ruby"))
    True
    """
    from simkit.oc.printers import describe_image_stream

    if sim is None:
        times = [e.created for h in stream.status_tags.values() for e in h.items]
        clock = _Clock(max([stream.created, *times]))
        text = describe_image_stream(stream, clock)  # type: ignore[arg-type]
    else:
        text = describe_image_stream(stream, sim)
    title = f"ImageStream {stream.namespace}/{stream.name}"
    return (
        f"<div><strong>{escape(title)}</strong>"
        f"<pre style='{_STYLE}'>{escape(text.expandtabs(8))}</pre></div>"
    )


def simulation_html(sim: Simulation) -> str:
    """A summary of a simulation: time, cluster, registries, image streams, pods, events.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(seed=3)
    >>> _ = sim.registry("quay.io").push("acme/ruby", "3.1")
    >>> _ = sim.oc("tag --scheduled quay.io/acme/ruby:3.1 ruby:3.1")
    >>> _ = sim.run_pod("default", "quay.io/acme/ruby:3.1")
    >>> sim.advance("1h")
    >>> html = simulation_html(sim)
    >>> "Simulation seed=3" in html and "quay.io" in html and "Running" in html
    True
    """
    from simkit.durations import format_duration

    streams = sim.cluster.list("ImageStream")
    pods = sim.pods()
    statuses = Counter(p.status for p in pods)
    kinds = Counter(sim.log.kinds())
    overview = [
        ("time", f"{sim.clock.isoformat()} ({format_duration(sim.now)} after the start)"),
        ("nodes", ", ".join(sim.node_names)),
        ("projects", len(sim.cluster.store("Project"))),
        ("image streams", f"{len(streams)} ({sum(len(s.spec_tags) for s in streams)} spec tags)"),
        ("pods", ", ".join(f"{n} {s}" for s, n in statuses.most_common()) or "none"),
        ("events", f"{len(sim.log)}: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common(6))),
    ]
    registries = [
        (
            host,
            "private" if r.private else "public",
            f"{len(r.repositories)} repositories, {len(r.images)} images"
            + (f", auth by {r.auth_server}" if r.auth_server else ""),
        )
        for host, r in sorted(sim.registries.items())
    ]
    parts = [
        f"<div><strong>{escape(f'Simulation seed={sim.seed}')}</strong>",
        f"<table style='{_TABLE}'>{_rows(overview)}</table>",
    ]
    if registries:
        body = "".join(
            f"<tr><td style='{_CELL}'>{escape(h)}</td><td style='{_CELL}'>"
            f"{escape(k)}</td><td style='{_CELL}'>{escape(d)}</td></tr>"
            for h, k, d in registries
        )
        parts.append(
            f"<details><summary>registries ({len(registries)})</summary>"
            f"<table style='{_TABLE}'>{body}</table></details>"
        )
    if streams:
        from simkit.oc.printers import tags_up_to_width

        body = "".join(
            f"<tr><td style='{_CELL}'>{escape(s.namespace)}/{escape(s.name)}</td>"
            f"<td style='{_CELL}'>{escape(tags_up_to_width(s))}</td></tr>"
            for s in streams[:50]
        )
        more = f" (first 50 of {len(streams)})" if len(streams) > 50 else ""
        parts.append(
            f"<details><summary>image streams ({len(streams)}){more}</summary>"
            f"<table style='{_TABLE}'>{body}</table></details>"
        )
    parts.append("</div>")
    return "".join(parts)


def frame_html(frame: pd.DataFrame, caption: str = "", max_rows: int = 20) -> str:
    """An analysis table: its first ``max_rows`` rows, durations readable, and its size.

    Examples
    --------
    >>> frame = pd.DataFrame({"tag": ["a/b:1"], "max_lag": [pd.Timedelta("90min")]})
    >>> html = frame_html(frame, "Stale tags")
    >>> "0 days 01:30:00" in html and "1 rows × 2 columns" in html
    True
    """
    shown = frame.head(max_rows)
    table = shown.to_html(border=0, max_cols=30, escape=True, na_rep="")
    head = f"<strong>{escape(caption)}</strong> " if caption else ""
    more = f", first {max_rows} shown" if len(frame) > max_rows else ""
    size = f"{len(frame)} rows × {frame.shape[1]} columns{more}"
    return f"<div>{head}<small>{escape(size)}</small>{table}</div>"


def graph_html(graph: nx.DiGraph) -> str:
    """A who-can-pull graph: nodes per kind, and per subject what it can reach.

    Examples
    --------
    >>> import simkit as sk
    >>> from simkit.analysis import who_can_pull
    >>> sim = sk.Simulation()
    >>> _ = sim.oc("tag --reference quay.io/acme/ruby:3.1 ruby:3.1")
    >>> "imagestream" in graph_html(who_can_pull(sim))
    True
    """
    from simkit.analysis.who_can_pull import accessible

    kinds = Counter(kind for _, kind in graph.nodes(data="kind"))
    rows = []
    for node, kind in graph.nodes(data="kind"):
        if kind in ("user", "serviceaccount"):
            reach = sorted(accessible(graph, node))
            if reach:
                rows.append(
                    (
                        node,
                        ", ".join(r.split(":", 1)[1] for r in reach[:8])
                        + (" …" if len(reach) > 8 else ""),
                    )
                )
    summary = ", ".join(f"{n} {k}" for k, n in kinds.most_common())
    return (
        f"<div><strong>who can pull</strong> <small>{escape(summary)}</small>"
        f"<table style='{_TABLE}'>{_rows(rows[:40])}</table></div>"
    )


def result_html(result: Any, caption: str = "") -> str:
    """HTML for any analysis result: a DataFrame, a who-can-pull graph, an explanation
    (``str()`` in ``<pre>``), an image stream, a simulation.

    Examples
    --------
    >>> result_html(pd.DataFrame({"a": [1]})).startswith("<div>")
    True
    >>> result_html("plain text")
    "<pre style='font-family: var(--jp-code-font-family, monospace); font-size: 12px; \
line-height: 1.3; margin: 0'>plain text</pre>"
    """
    import networkx as nx

    from simkit.state.images import ImageStream

    if isinstance(result, pd.DataFrame):
        return frame_html(result, caption)
    if isinstance(result, nx.DiGraph):
        return graph_html(result)
    if isinstance(result, ImageStream):
        return image_stream_html(result)
    if callable(getattr(result, "_repr_html_", None)):  # a Simulation shows itself
        return str(result._repr_html_())
    return f"<pre style='{_STYLE}'>{escape(str(result))}</pre>"


def register_html_formatters(formatter: Any = None) -> bool:
    """Show image streams in notebooks as ``oc describe is`` does.

    State holds plain data and imports nothing above it, so
    :meth:`~simkit.state.images.ImageStream._repr_html_` is a plain table; this registers
    :func:`image_stream_html` with IPython's HTML formatter instead (a registered type
    printer wins over ``_repr_html_``).  ``import simkit`` calls it; outside IPython it
    does nothing.

    Parameters
    ----------
    formatter : IPython.core.formatters.HTMLFormatter, optional
        The formatter to register with; by default the running shell's, if any.

    Returns
    -------
    bool
        Whether a formatter was found and registered with.

    Examples
    --------
    >>> from IPython.core.formatters import HTMLFormatter
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> _ = sim.oc("tag --reference quay.io/acme/ruby:3.1 ruby:3.1")
    >>> formatter = HTMLFormatter()
    >>> register_html_formatters(formatter)
    True
    >>> "reference to registry quay.io/acme/ruby:3.1" in formatter(sim.stream("default", "ruby"))
    True
    """
    if formatter is None:
        if "IPython" not in sys.modules:  # not in IPython: importing it would cost ~0.8 s
            return False
        from IPython import get_ipython

        shell = get_ipython()
        if shell is None:
            return False
        formatter = shell.display_formatter.formatters["text/html"]
    formatter.for_type_by_name("simkit.state.images", "ImageStream", image_stream_html)
    return True

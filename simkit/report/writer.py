"""A static report of a finished simulation: ``index.html``, PNG plots, CSV tables.

The page opens from disk in any browser (no scripts, no network): a summary of the run,
each table (first rows inline, the whole table as CSV beside it) and each plot.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from simkit.durations import format_duration

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from simkit.simulation import Simulation

INLINE_ROWS = 25


@dataclass
class Report:
    """What a report holds before it is written: a summary, tables and figures."""

    title: str
    summary: dict[str, object] = field(default_factory=dict)
    description: str = ""
    tables: dict[str, tuple[str, pd.DataFrame]] = field(default_factory=dict)
    figures: dict[str, tuple[str, Figure]] = field(default_factory=dict)

    def table(self, name: str, caption: str, frame: pd.DataFrame) -> None:
        """Add a table (written as ``<name>.csv``)."""
        self.tables[name] = (caption, frame)

    def figure(self, name: str, caption: str, figure: Figure) -> None:
        """Add a matplotlib figure (written as ``<name>.png``)."""
        self.figures[name] = (caption, figure)


def build_report(sim: Simulation, title: str | None = None, description: str = "") -> Report:
    """Run every analysis on ``sim`` and collect the tables and figures of a report."""
    from simkit.report.sections import SECTIONS
    from simkit.scenarios.runner import metrics

    scenario = getattr(sim, "scenario", None)
    report = Report(
        title=title or (f"simkit report: {scenario.name}" if scenario else "simkit report"),
        description=description or (scenario.description if scenario else ""),
    )
    report.summary = {
        "scenario": scenario.name if scenario else "(interactive)",
        "seed": sim.seed,
        "start": sim.start.isoformat(),
        "simulated": format_duration(sim.now),
        "nodes": len(sim.node_names),
        "projects": len(sim.cluster.store("Project")),
        "image streams": len(sim.cluster.store("ImageStream")),
        "registries": len(sim.registries),
        **metrics(sim),
    }
    for section in SECTIONS:
        section(sim, report)
    return report


def write_report(sim: Simulation, out: str | Path, *, title: str | None = None,
                 progress: bool = False) -> Path:
    """Analyse ``sim`` and write the report folder ``out``; returns ``out/index.html``."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    report = build_report(sim, title)
    for name, (_, frame) in report.tables.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
        _maybe_parquet(frame, folder / f"{name}.parquet")
    for name, (_, figure) in report.figures.items():
        figure.savefig(folder / f"{name}.png", dpi=110, bbox_inches="tight")
        plt.close(figure)
    (folder / "summary.json").write_text(json.dumps(report.summary, indent=2, default=str))
    index = folder / "index.html"
    index.write_text(render_html(report))
    return index


def _maybe_parquet(frame: pd.DataFrame, path: Path) -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return
    frame.to_parquet(path, index=False)


def _readable(frame: pd.DataFrame) -> pd.DataFrame:
    """Durations as ``2h30m``, times to the second, floats to 3 significant digits."""
    shown = frame.copy()
    for column in shown.columns:
        values = shown[column]
        if pd.api.types.is_timedelta64_dtype(values):
            shown[column] = [format_duration(round(v.total_seconds())) if pd.notna(v) else ""
                             for v in values]
        elif pd.api.types.is_datetime64_any_dtype(values):
            shown[column] = values.dt.strftime("%Y-%m-%d %H:%M:%S")
        elif pd.api.types.is_float_dtype(values):
            shown[column] = [f"{v:.3g}" if pd.notna(v) else "" for v in values]
    return shown


def _table_html(frame: pd.DataFrame) -> str:
    shown = _readable(frame.head(INLINE_ROWS))
    more = len(frame) - len(shown)
    body = shown.to_html(index=False, border=0, classes="table", na_rep="", escape=True)
    body = f"<div class='scroll'>{body}</div>"
    if more > 0:
        body += f"<p class='more'>… {more} more rows in the CSV.</p>"
    return body


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page (images referenced beside it)."""
    esc = html.escape
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{esc(report.title)}</title>",
        "<style>body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;"
        "color:#222}h1{font-size:1.6em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;"
        "margin-top:2em}table{border-collapse:collapse;font-size:.85em}td,th{padding:.25em "
        ".6em;border-bottom:1px solid #eee;text-align:left}th{background:#f5f5f5}"
        "figure{margin:1em 0}figcaption{color:#555;font-size:.9em}img{max-width:100%}"
        ".more{color:#777;font-size:.85em}nav a{margin-right:1em}.scroll{overflow-x:auto}"
        "</style></head><body>",
        f"<h1>{esc(report.title)}</h1>",
    ]
    if report.description:
        parts.append(f"<p>{esc(report.description)}</p>")
    links = ["<a href='#summary'>Summary</a>"]
    links += [f"<a href='#{esc(n)}'>{esc(c)}</a>" for n, (c, _) in report.tables.items()]
    links += [f"<a href='#fig-{esc(n)}'>{esc(c)}</a>" for n, (c, _) in report.figures.items()]
    parts.append("<nav>" + " ".join(links) + "</nav>")
    parts.append("<h2 id='summary'>Summary</h2><table>")
    for key, value in report.summary.items():
        shown = f"{value:.3g}" if isinstance(value, float) else str(value)
        parts.append(f"<tr><th>{esc(str(key))}</th><td>{esc(shown)}</td></tr>")
    parts.append("</table>")
    for name, (caption, frame) in report.tables.items():
        parts.append(f"<h2 id='{esc(name)}'>{esc(caption)}</h2>")
        parts.append(f"<p><a href='{esc(name)}.csv'>{esc(name)}.csv</a> "
                     f"({len(frame)} rows)</p>")
        parts.append(_table_html(frame))
    for name, (caption, _) in report.figures.items():
        parts.append(f"<h2 id='fig-{esc(name)}'>{esc(caption)}</h2>")
        parts.append(f"<figure><img src='{esc(name)}.png' alt='{esc(caption)}'>"
                     f"<figcaption>{esc(caption)}</figcaption></figure>")
    parts.append("</body></html>")
    return "\n".join(parts)


Section = Callable[["Simulation", Report], None]

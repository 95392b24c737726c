"""A static report of a finished simulation: ``index.html``, PNG plots, CSV tables.

The page opens from disk in any browser (no scripts, no network).  It opens with the
findings (:mod:`simkit.report.findings`: ranked risks and facts, each linking the
section with its evidence), then a short summary in readable units, then the sections
(:mod:`simkit.report.sections`), each explaining itself in a few sentences before its
tables (key columns first, wide tables scrolling inside the section) and figures.
Numbers are humanised on the page (``7m42s``, ``11.3 GiB``, ``82 %``); the CSV files and
``summary.json`` keep them raw.

Writing is all or nothing: every file is written into a staging folder beside ``out``
and moved into place only once the whole report is there (``index.html`` last, with
Ctrl-C held back while files move).  Interrupted before that, the staging folder is
removed and ``out`` is as it was: the previous report, or no folder at all.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pandas as pd

from simkit.analysis._memo import frozen
from simkit.durations import format_duration
from simkit.humanize import format_bytes, format_count, format_percent, human_duration
from simkit.report.analyses import Analyses
from simkit.report.findings import SEVERITIES, Finding, findings, findings_text, project_counts

if TYPE_CHECKING:
    from matplotlib.figure import Figure as MplFigure

    from simkit.simulation import Simulation

__all__ = ["Report", "Section", "build_report", "findings_text", "render_html", "write_report"]

INLINE_ROWS = 25
"""Rows of a table shown on the page; the CSV has them all."""
MAX_PIXELS = 2400
"""No PNG is larger than this on either side."""
DPI = 100
MANIFEST = ".simkit-report"
"""The list of files the last report wrote into its folder (to remove those a new report
no longer writes)."""


@dataclass
class Table:
    """A table of a section: the whole ``frame`` goes to ``<name>.csv``; the page shows
    the first rows of ``shown`` (default ``frame``), ``key`` columns first."""

    name: str
    caption: str
    frame: pd.DataFrame
    key: tuple[str, ...] = ()
    shown: pd.DataFrame | None = None
    note: str = ""
    hidden: bool = False


@dataclass
class Figure:
    """A matplotlib figure of a section, written as ``<name>.png``."""

    name: str
    caption: str
    figure: MplFigure | None  # None once written (_save_figure closes it)
    note: str = ""
    size: tuple[int, int] | None = None


@dataclass
class Section:
    """One part of the page: an id to link to, a title, what it shows, its items."""

    id: str
    title: str
    intro: str = ""
    items: list[Table | Figure] = field(default_factory=list)


@dataclass
class Report:
    """What a report holds before it is written: findings, a summary, sections."""

    title: str
    summary: dict[str, object] = field(default_factory=dict)
    description: str = ""
    overview: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    def section(self, id: str, title: str, intro: str = "") -> Section:
        """Start a section; the tables and figures added next belong to it."""
        section = Section(id, title, intro)
        self.sections.append(section)
        return section

    def _current(self) -> Section:
        if not self.sections:
            self.section("tables", "Tables")
        return self.sections[-1]

    def table(
        self,
        name: str,
        caption: str,
        frame: pd.DataFrame,
        *,
        key: tuple[str, ...] = (),
        shown: pd.DataFrame | None = None,
        note: str = "",
        hidden: bool = False,
    ) -> None:
        """Add a table (written as ``<name>.csv``; ``hidden``: the CSV only)."""
        self._current().items.append(Table(name, caption, frame, tuple(key), shown, note, hidden))

    def figure(self, name: str, caption: str, figure: MplFigure, *, note: str = "") -> None:
        """Add a matplotlib figure (written as ``<name>.png``)."""
        self._current().items.append(Figure(name, caption, figure, note))

    @property
    def tables(self) -> dict[str, tuple[str, pd.DataFrame]]:
        """Every table by name: ``(caption, frame)``."""
        return {
            i.name: (i.caption, i.frame)
            for s in self.sections
            for i in s.items
            if isinstance(i, Table)
        }

    @property
    def figures(self) -> dict[str, tuple[str, object]]:
        """Every figure by name: ``(caption, figure)``."""
        return {
            i.name: (i.caption, i.figure)
            for s in self.sections
            for i in s.items
            if isinstance(i, Figure)
        }


def _new_report(sim: Simulation, results: Analyses, title: str | None, description: str) -> Report:
    scenario = getattr(sim, "scenario", None)
    report = Report(
        title=title or (f"simkit report: {scenario.name}" if scenario else "simkit report"),
        description=description or (scenario.description if scenario else ""),
    )
    mine, platform = project_counts(results)
    streams = sim.cluster.list("ImageStream")
    metrics = results.metrics
    report.summary = {
        "scenario": scenario.name if scenario else "(interactive)",
        "seed": sim.seed,
        "start": sim.start.isoformat(),
        "simulated": format_duration(sim.now),
        "simulated_s": float(sim.now),
        "nodes": len(sim.node_names),
        "projects": len(mine),
        "project_names": mine,
        "platform_projects": platform,
        "image streams": len(streams),
        "image stream tags": int(len(results.risk)),
        "registries": len(sim.registries),
        **metrics,
    }
    report.findings = findings(sim, results)
    report.overview = _overview(report.summary, report.findings)
    return report


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{format_count(count)} {one if count == 1 else (many or one + 's')}"


def _overview(summary: dict, found: list[Finding]) -> list[str]:
    """A few sentences in readable units instead of raw counters."""
    s = summary
    mine = s["project_names"]
    projects = (
        f"{_n(len(mine), 'project')} of the cluster's users ({', '.join(mine[:8])}"
        f"{', ...' if len(mine) > 8 else ''})"
        if mine
        else "no user projects"
    )
    lines = [
        f"Simulated {human_duration(s['simulated_s'])} from {s['start'][:16].replace('T', ' ')}"
        f" UTC on {_n(s['nodes'], 'node')}: {projects}, besides the platform's "
        f"{', '.join(s['platform_projects'])}; {_n(s['image streams'], 'image stream')} "
        f"with {_n(s['image stream tags'], 'tag')}; "
        f"{_n(s['registries'], 'registry', 'registries')}."
    ]
    imports = (
        f"Imports: {format_count(s['imports'])} "
        f"({format_count(s['imports_unchanged'])} found nothing new), "
        f"{format_count(s['import_failures'])} failed"
    )
    if s["import_lag_max_s"]:
        imports += (
            f"; an upstream change reached its tag in "
            f"{human_duration(s['import_lag_median_s'])} (median), "
            f"{human_duration(s['import_lag_max_s'])} at worst"
        )
    lines.append(imports + ".")
    lines.append(
        f"Pulls: {format_count(s['pulls_pulled'])} from a registry "
        f"({format_bytes(s['bytes_pulled'])}), {format_count(s['pulls_cached'])} from the "
        f"node cache, {format_count(s['pulls_failed'])} failed, "
        f"{format_count(s['pulls_backoff'])} in back-off, {format_count(s['pulls_refused'])} "
        "refused."
    )
    running = s["pods_running"]
    lines.append(
        f"Pods now: {format_count(s['pods'])}, {format_count(running)} running; "
        f"{format_count(s['pods_stale'])} of those ({format_percent(s['stale_share'])}) run an "
        f"older digest than their image resolves to; {format_count(s['pods_failing'])} cannot "
        "pull their image."
    )
    counts = {sev: sum(f.severity == sev for f in found) for sev in SEVERITIES}
    lines.append(
        f"Events recorded: {format_count(s['events'])}. Findings: "
        + ", ".join(f"{n} {sev}" for sev, n in counts.items())
        + "."
    )
    return lines


Hook = Callable[[Section], None]


def build_report(
    sim: Simulation,
    title: str | None = None,
    description: str = "",
    *,
    results: Analyses | None = None,
    after_section: Hook | None = None,
    progress: bool = False,
) -> Report:
    """Run every analysis on ``sim`` and collect the findings, tables and figures.

    Parameters
    ----------
    sim : Simulation
        A finished simulation.
    title, description : str, optional
        The page's title and first paragraph (default: the scenario's).
    results : Analyses, optional
        Analyses already computed.
    after_section : callable, optional
        Called with each section once its tables and figures are made.
    progress : bool
        A progress bar (``tqdm.auto``), one step per section.
    """
    from tqdm.auto import tqdm

    from simkit.plots._style import fit, offscreen
    from simkit.report.sections import SECTIONS

    results = Analyses(sim) if results is None else results
    with (
        frozen(sim),
        offscreen(),
        tqdm(
            total=len(SECTIONS) + 1,
            desc="report",
            unit="section",
            leave=False,
            disable=not progress,
        ) as bar,
    ):
        bar.set_postfix_str("findings")
        report = _new_report(sim, results, title, description)
        bar.update(1)
        for section in SECTIONS:
            bar.set_postfix_str(section.__name__)
            start = len(report.sections)
            section(results, report)
            for made in report.sections[start:]:
                for item in made.items:
                    if isinstance(item, Figure) and item.figure is not None:
                        fit(item.figure)  # laid out once, from estimated text sizes
                if after_section is not None:
                    after_section(made)
            bar.update(1)
    report.summary = {
        "findings": [f.to_dict() for f in report.findings],
        "overview": report.overview,
        **report.summary,
    }
    return report


def write_report(
    sim: Simulation, out: str | Path, *, title: str | None = None, progress: bool = False
) -> Path:
    """Analyse ``sim`` and write the report folder ``out``; returns ``out/index.html``.

    All or nothing: interrupted (Ctrl-C, an error), ``out`` is left as it was.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)

    folder = Path(out)
    with _Staging(folder) as staging:

        def write(section: Section) -> None:
            _write_section(section, staging.path)

        report = build_report(
            sim, title, results=Analyses(sim), after_section=write, progress=progress
        )
        (staging.path / "summary.json").write_text(
            json.dumps(report.summary, indent=2, default=str)
        )
        (staging.path / "index.html").write_text(render_html(report))
        staging.commit()
    return folder / "index.html"


def _write_section(section: Section, folder: Path) -> None:
    for item in section.items:
        if isinstance(item, Table):
            item.frame.to_csv(folder / f"{item.name}.csv", index=False)
            _maybe_parquet(item.frame, folder / f"{item.name}.parquet")
        else:
            _save_figure(item, folder)


def _save_figure(item: Figure, folder: Path) -> None:
    """``<name>.png`` at 100 dpi, or less so that neither side passes :data:`MAX_PIXELS`;
    the figure is closed (a pyplot figure) or dropped (one made offscreen)."""
    import sys

    if item.figure is None:
        return
    figure = item.figure
    width, height = figure.get_size_inches()
    dpi = min(DPI, MAX_PIXELS / max(width, height, 1e-9))
    figure.savefig(
        folder / f"{item.name}.png", dpi=dpi, pil_kwargs={"compress_level": 1}
    )  # fast; size is no issue
    item.size = (int(round(width * dpi)), int(round(height * dpi)))
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close(figure)  # nothing to do for a figure pyplot does not track
    item.figure = None


def _maybe_parquet(frame: pd.DataFrame, path: Path) -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return
    frame.to_parquet(path, index=False)


class _Staging:
    """A folder beside ``folder`` to write a report into, moved into place whole."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.committed = False

    def __enter__(self) -> _Staging:
        parent = self.folder.parent
        parent.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix=f".{self.folder.name}.partial-", dir=parent))
        umask = os.umask(0)
        os.umask(umask)
        self.path.chmod(0o777 & ~umask)  # mkdtemp makes it 0700; a report folder is not
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.committed:
            shutil.rmtree(self.path, ignore_errors=True)

    def commit(self) -> None:
        names = sorted(p.name for p in self.path.iterdir())
        (self.path / MANIFEST).write_text("\n".join(names) + "\n")
        with _sigint_held():
            if not self.folder.exists():
                os.rename(self.path, self.folder)  # one step: there was no report
            else:
                previous = _manifest(self.folder)
                for name in [n for n in names if n != "index.html"] + [MANIFEST]:
                    os.replace(self.path / name, self.folder / name)
                os.replace(self.path / "index.html", self.folder / "index.html")
                for name in previous - set(names) - {MANIFEST}:
                    with contextlib.suppress(OSError):
                        (self.folder / name).unlink()
                shutil.rmtree(self.path, ignore_errors=True)
            self.committed = True


def _manifest(folder: Path) -> set[str]:
    try:
        text = (folder / MANIFEST).read_text()
    except OSError:
        return set()
    return {
        name for name in text.splitlines() if name and "/" not in name and name not in (".", "..")
    }


@contextlib.contextmanager
def _sigint_held() -> Iterator[None]:
    """Ctrl-C waits until the block is done, then interrupts (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[object] = []
    previous = signal.signal(signal.SIGINT, lambda *args: received.append(args))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt


# --- the page --------------------------------------------------------------------------

_CSS = (
    "body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1150px;color:#222;"
    "padding:0 1em}h1{font-size:1.6em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;"
    "margin-top:2em}h3{font-size:1.05em;margin:1.4em 0 .3em}"
    "table{border-collapse:collapse;font-size:.85em}td,th{padding:.25em .6em;"
    "border-bottom:1px solid #eee;text-align:left;white-space:nowrap}th{background:#f5f5f5}"
    "figure{margin:1em 0}figcaption{color:#555;font-size:.9em}img{max-width:100%;"
    "height:auto}.more,.csv{color:#777;font-size:.85em}.intro{color:#333;max-width:60em}"
    "nav{line-height:1.8}nav a{margin-right:1em}.scroll{overflow-x:auto;max-width:100%}"
    "ol.findings{padding-left:1.6em}ol.findings li{margin:.5em 0}.fix,.detail{color:#444;"
    "font-size:.9em}.sev{display:inline-block;min-width:4.2em;font-size:.75em;"
    "font-weight:bold;text-transform:uppercase;border-radius:3px;padding:.05em .4em;"
    "margin-right:.4em;text-align:center;color:#fff}.sev-high{background:#c0392b}"
    ".sev-medium{background:#e67e22}.sev-low{background:#7f8c8d}.sev-info{background:#2980b9}"
    "ul.overview li{margin:.25em 0}"
)


_T = TypeVar("_T")


def _digest(value: _T) -> _T | str:
    if isinstance(value, str) and value.startswith("sha256:") and len(value) > 19:
        return value[:19] + "…"
    return value


def _readable(frame: pd.DataFrame) -> pd.DataFrame:
    """Durations as ``7m42s``, times to the minute, shares as percentages, bytes in
    binary units, digests cut to 12 hex digits, yes/no for booleans."""
    shown = frame.copy()
    for column in shown.columns:
        values = shown[column]
        name = str(column)
        if pd.api.types.is_timedelta64_dtype(values):
            shown[column] = [
                human_duration(v.total_seconds()) if pd.notna(v) else "" for v in values
            ]
        elif pd.api.types.is_datetime64_any_dtype(values):
            shown[column] = values.dt.strftime("%Y-%m-%d %H:%M")
        elif pd.api.types.is_bool_dtype(values):
            shown[column] = ["yes" if v else "no" for v in values]
        elif name == "bytes" or name.endswith("_bytes"):
            shown[column] = [format_bytes(v) if pd.notna(v) else "" for v in values]
        elif pd.api.types.is_float_dtype(values) and ("fraction" in name or "share" in name):
            shown[column] = [format_percent(v) if pd.notna(v) else "" for v in values]
        elif pd.api.types.is_float_dtype(values) and name.endswith("_s"):
            shown[column] = [human_duration(v) if pd.notna(v) else "" for v in values]
        elif pd.api.types.is_float_dtype(values):
            shown[column] = [f"{v:.3g}" if pd.notna(v) else "" for v in values]
        elif values.dtype == object:
            shown[column] = [_digest(v) for v in values]
    return shown


def _key_first(frame: pd.DataFrame, key: tuple[str, ...]) -> pd.DataFrame:
    first = [c for c in key if c in frame.columns]
    return frame[first + [c for c in frame.columns if c not in first]]


def _table_html(table: Table) -> str:
    esc = html.escape
    source = table.frame if table.shown is None else table.shown
    shown = _readable(_key_first(source.head(INLINE_ROWS), table.key))
    parts = [
        f"<h3 id='{esc(table.name)}'>{esc(table.caption)}</h3>",
        f"<p class='csv'><a href='{esc(table.name)}.csv'>{esc(table.name)}.csv</a> "
        f"({format_count(len(table.frame))} rows)</p>",
    ]
    if table.note:
        parts.append(f"<p class='more'>{esc(table.note)}</p>")
    if len(shown):
        body = shown.to_html(index=False, border=0, classes="table", na_rep="", escape=True)
        parts.append(f"<div class='scroll'>{body}</div>")
    more = len(source) - len(shown)
    if more > 0:
        parts.append(f"<p class='more'>… {format_count(more)} more rows in the CSV.</p>")
    return "\n".join(parts)


def _figure_html(figure: Figure) -> str:
    esc = html.escape
    size = ""
    if figure.size is not None:
        size = f" width='{figure.size[0]}' height='{figure.size[1]}'"
    caption = esc(figure.note or figure.caption)
    return (
        f"<h3 id='fig-{esc(figure.name)}'>{esc(figure.caption)}</h3>"
        f"<figure><img src='{esc(figure.name)}.png' alt='{esc(figure.caption)}'{size}>"
        f"<figcaption>{caption}</figcaption></figure>"
    )


def _findings_html(items: list[Finding], known: set[str]) -> str:
    esc = html.escape
    if not items:
        return "<p>No findings.</p>"
    parts = ["<ol class='findings'>"]
    for item in items:
        link = f" <a href='#{esc(item.section)}'>evidence</a>" if item.section in known else ""
        parts.append(
            f"<li><span class='sev sev-{esc(item.severity)}'>{esc(item.severity)}"
            f"</span>{esc(item.title)}.{link}"
        )
        if item.detail:
            parts.append(f"<br><span class='detail'>{esc(item.detail)}</span>")
        if item.fix:
            parts.append(f"<br><span class='fix'>What would change it: {esc(item.fix)}.</span>")
        parts.append("</li>")
    parts.append("</ol>")
    return "\n".join(parts)


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page (images referenced beside it)."""
    esc = html.escape
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='generator' content='simkit'>",
        f"<title>{esc(report.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{esc(report.title)}</h1>",
    ]
    if report.description:
        parts.append(f"<p>{esc(report.description)}</p>")
    links = ["<a href='#findings'>Findings</a>", "<a href='#summary'>Summary</a>"]
    links += [f"<a href='#{esc(s.id)}'>{esc(s.title)}</a>" for s in report.sections]
    parts.append("<nav>" + " ".join(links) + "</nav>")
    known = {s.id for s in report.sections}
    parts.append("<h2 id='findings'>Findings</h2>")
    parts.append(
        "<p class='intro'>The risks and facts of this run, most severe first; each "
        "links the section with its evidence and says what would change it.</p>"
    )
    parts.append(_findings_html(report.findings, known))
    parts.append("<h2 id='summary'>Summary</h2><ul class='overview'>")
    parts += [f"<li>{esc(line)}</li>" for line in report.overview]
    parts.append(
        "</ul><p class='csv'>The raw numbers: <a href='summary.json'>summary.json</a>.</p>"
    )
    for section in report.sections:
        parts.append(f"<h2 id='{esc(section.id)}'>{esc(section.title)}</h2>")
        if section.intro:
            parts.append(f"<p class='intro'>{esc(section.intro)}</p>")
        for item in section.items:
            if isinstance(item, Table):
                if not item.hidden:
                    parts.append(_table_html(item))
            else:
                parts.append(_figure_html(item))
    parts.append("</body></html>")
    return "\n".join(parts)

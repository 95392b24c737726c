"""The static report of a finished simulation: ``index.html``, PNG plots, CSV tables.

- :mod:`~simkit.report.writer`: the :class:`~simkit.report.writer.Report`, its HTML page and
  :func:`~simkit.report.writer.write_report` (all or nothing, with a progress bar);
- :mod:`~simkit.report.findings`: the ranked findings the page, ``summary.json`` and
  ``simkit run`` open with; :func:`~simkit.report.findings.findings_text` prints them;
- :mod:`~simkit.report.sections`: the sections, each adding the tables and figures of one
  analysis (aggregated past a threshold);
- :mod:`~simkit.report.analyses`: the analyses a report reads, computed once.
"""

from simkit.report.findings import Finding, findings, findings_text
from simkit.report.writer import Report, build_report, render_html, write_report

__all__ = [
    "Finding",
    "Report",
    "build_report",
    "findings",
    "findings_text",
    "render_html",
    "write_report",
]

"""The static report of a finished simulation: ``index.html``, PNG plots, CSV tables.

- :mod:`~simkit.report.writer`: the :class:`~simkit.report.writer.Report`, its HTML page and
  :func:`~simkit.report.writer.write_report`.
- :mod:`~simkit.report.sections`: the sections, each adding the tables and figures of one analysis.
"""

from simkit.report.writer import Report, build_report, render_html, write_report

__all__ = ["Report", "build_report", "render_html", "write_report"]

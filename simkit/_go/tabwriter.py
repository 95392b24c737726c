"""Go's ``text/tabwriter`` column alignment, as oc's printers use it.

Text is cut into lines and tab-terminated cells; consecutive lines that have a cell
in the same column form a *column block* whose width is the widest cell (in runes)
plus ``padding`` (at least ``minwidth``).  The last cell of a line is not part of any
column and is never padded; at the end of the text an empty last cell (text ending
in a tab, no newline) is no cell at all.  Two configurations matter to oc:

* :data:`KUBECTL` - ``kubectl get`` tables (``printers.GetNewTabWriter``): minwidth 6,
  tabwidth 4, padding 3, padded with spaces.
* :data:`DESCRIBE` - oc's describers (``tabbedString``): minwidth 0, tabwidth 8,
  padding 1, padded with *tabs*, so the cell width is rounded up to a multiple of 8.

Only what oc uses is ported: flags 0 (no ``AlignRight``, ``Debug``, ``FilterHTML``,
``DiscardEmptyColumns``, ``StripEscape``), no ``\\v`` soft tabs, no ``\\f`` flushes and
no ``0xff`` escapes (a byte that cannot occur in a Python ``str`` of valid UTF-8).

Upstream: golang/go ``src/text/tabwriter/tabwriter.go`` (``Writer.format``,
``writeLines``, ``writePadding``, ``Flush``); tested on ``tabwriter_test.go``
(``tests``, the flag-0 cases) in tests/test_go_tabwriter.py.

Examples
--------
>>> print(align("NAME\\tTAGS\\nruby\\t2.7,3.0\\n"), end="")
NAME   TAGS
ruby   2.7,3.0
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DESCRIBE", "KUBECTL", "TabConfig", "align"]


@dataclass(frozen=True, slots=True)
class TabConfig:
    """The ``tabwriter.Writer.Init`` parameters that affect the layout."""

    minwidth: int
    tabwidth: int
    padding: int
    padchar: str


KUBECTL = TabConfig(minwidth=6, tabwidth=4, padding=3, padchar=" ")
DESCRIBE = TabConfig(minwidth=0, tabwidth=8, padding=1, padchar="\t")


def align(text: str, config: TabConfig = KUBECTL) -> str:
    """Lay out tab-separated ``text`` as a Go ``tabwriter`` flushed at the end would.

    Parameters
    ----------
    text : str
        Lines of tab-terminated cells (the text written to the tabwriter).
    config : TabConfig
        :data:`KUBECTL` (the default) or :data:`DESCRIBE`.

    Returns
    -------
    str
        The aligned text; a missing final newline stays missing.

    Examples
    --------
    >>> align("Name:\\truby\\nImage Repository:\\tx\\n", DESCRIBE)
    'Name:\\t\\t\\truby\\nImage Repository:\\tx\\n'
    """
    lines = [line.split("\t") for line in text.split("\n")]
    if lines[-1][-1] == "":  # Flush adds the unterminated last cell only if non-empty
        lines[-1].pop()
    out: list[str] = []
    _format(lines, 0, len(lines), [], config, out)
    return "\n".join(out)


def _format(
    lines: list[list[str]],
    line0: int,
    line1: int,
    widths: list[int],
    config: TabConfig,
    out: list[str],
) -> None:
    """``Writer.format``: find column blocks left to right, recursively."""
    column = len(widths)
    this = line0
    while this < line1:
        if column >= len(lines[this]) - 1:
            this += 1
            continue
        _write_lines(lines, line0, this, widths, config, out)
        line0 = this
        width = config.minwidth
        while this < line1 and column < len(lines[this]) - 1:
            width = max(width, len(lines[this][column]) + config.padding)
            this += 1
        _format(lines, line0, this, widths + [width], config, out)
        line0 = this
    _write_lines(lines, line0, line1, widths, config, out)


def _write_lines(
    lines: list[list[str]],
    line0: int,
    line1: int,
    widths: list[int],
    config: TabConfig,
    out: list[str],
) -> None:
    for cells in lines[line0:line1]:
        parts = []
        for j, cell in enumerate(cells):
            parts.append(cell)
            if j < len(widths) and j < len(cells) - 1:
                parts.append(_padding(len(cell), widths[j], config))
        out.append("".join(parts))


def _padding(text_width: int, cell_width: int, config: TabConfig) -> str:
    if config.padchar == "\t":
        if config.tabwidth == 0:
            return ""
        cell_width = -(-cell_width // config.tabwidth) * config.tabwidth
        return "\t" * -(-(cell_width - text_width) // config.tabwidth)
    return config.padchar * (cell_width - text_width)

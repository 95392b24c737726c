"""Docstring text (numpydoc, reStructuredText-flavoured) as Markdown, for generated pages.

Section titles underlined with dashes (``Examples`` / ``--------``) become bold lines,
doctest blocks (``>>>`` lines and their output) fenced ``pycon`` code, Sphinx roles
(``:func:`x```) and ````literals```` code spans.
"""

from __future__ import annotations

import inspect
import re

_ROLE = re.compile(r":[a-z]+:`~?([^`]+)`")
_LITERAL = re.compile(r"``(.+?)``", re.DOTALL)


def _inline(text: str) -> str:
    text = _ROLE.sub(lambda m: f"`{m.group(1)}`", text)
    return _LITERAL.sub(lambda m: "`" + " ".join(m.group(1).split()) + "`", text)


def _is_underline(title: str, line: str) -> bool:
    stripped = line.strip()
    return bool(title.strip()) and len(stripped) >= 3 and set(stripped) == {"-"}


def markdown(text: str | None) -> str:
    """``text`` cleaned (indentation) and turned into Markdown."""
    lines = inspect.cleandoc(text or "").split("\n")
    out: list[str] = []
    prose: list[str] = []

    def flush() -> None:
        if prose:
            out.append(_inline("\n".join(prose)))
            prose.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        if i + 1 < len(lines) and _is_underline(line, lines[i + 1]):
            flush()
            out += [f"**{line.strip()}**", ""]
            i += 2
        elif line.lstrip().startswith(">>>"):
            flush()
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i])
                i += 1
            out += ["", "```pycon", *block, "```", ""]
        else:
            prose.append(line)
            i += 1
    flush()
    return "\n".join(out).strip()


def one_line(text: str | None) -> str:
    """``text`` as Markdown on one line, fit for a table cell."""
    return " ".join(markdown(text).split()).replace("|", "\\|")

"""Docstring text (reStructuredText-flavoured) as Markdown, for the generated pages."""

from __future__ import annotations

import inspect
import re

_ROLE = re.compile(r":[a-z]+:`~?([^`]+)`")
_LITERAL = re.compile(r"``(.+?)``", re.DOTALL)


def markdown(text: str | None) -> str:
    """``text`` cleaned (indentation) with Sphinx roles and ``literals`` as code spans."""
    text = inspect.cleandoc(text or "")
    text = _ROLE.sub(lambda m: f"`{m.group(1)}`", text)
    return _LITERAL.sub(lambda m: "`" + " ".join(m.group(1).split()) + "`", text)


def one_line(text: str | None) -> str:
    """``text`` as Markdown on one line, fit for a table cell."""
    return " ".join(markdown(text).split()).replace("|", "\\|")


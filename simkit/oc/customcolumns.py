"""``-o custom-columns=SPEC`` and ``-o custom-columns-file=PATH`` as kubectl prints them.

Restates kubectl ``pkg/cmd/get/customcolumn.go`` (kubernetes/kubectl commit
dee3483a3d6a64c07fdf746caf80af446dee99ac): ``RelaxedJSONPathExpression`` (``name``,
``.name``, ``{name}`` and ``{.name}`` all mean ``{.name}``),
``NewCustomColumnsPrinterFromSpec`` (``HEADER:PATH`` pairs separated by commas),
``NewCustomColumnsPrinterFromTemplate`` (a file of two whitespace-separated lines:
headers, then paths) and ``CustomColumnsPrinter.PrintObj``: a header row unless
``--no-headers``, one row per object (each item of a list), every column's results
joined by commas, ``<none>`` when a path finds nothing (missing keys are allowed),
values printed as Go's ``%v`` with terminal escapes defused (``printers.EscapeTerminal``),
laid out by kubectl's tabwriter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from simkit._go.tabwriter import KUBECTL, align
from simkit.oc.jsonpath import JSONPath, JSONPathError, go_sprint

__all__ = [
    "Column",
    "CustomColumnsError",
    "columns_from_spec",
    "columns_from_template",
    "print_custom_columns",
    "relaxed_jsonpath",
]

_RELAXED = re.compile(r"^\{\.?([^{}]+)\}\Z|^\.?([^{}]+)\Z")
_TERMINAL = {"\x1b": "^[", "\r": "\\r"}


class CustomColumnsError(ValueError):
    """A custom-columns spec or file kubectl refuses; the message is kubectl's."""


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its header and its JSONPath template (``{.metadata.name}``)."""

    header: str
    field_spec: str


def relaxed_jsonpath(expression: str) -> str:
    """``RelaxedJSONPathExpression``: the complete template for a column path.

    Examples
    --------
    >>> [relaxed_jsonpath(e) for e in ("foo.bar", "{foo.bar}", ".foo.bar", "{.foo.bar}", "")]
    ['{.foo.bar}', '{.foo.bar}', '{.foo.bar}', '{.foo.bar}', '']
    """
    if not expression:
        return expression
    match = _RELAXED.match(expression)
    if match is None:
        raise CustomColumnsError(
            "unexpected path string, expected a 'name1.name2' or '.name1.name2' or "
            "'{name1.name2}' or '{.name1.name2}'"
        )
    return "{." + (match.group(1) or match.group(2)) + "}"


def columns_from_spec(spec: str) -> list[Column]:
    """``NewCustomColumnsPrinterFromSpec``: ``HEADER:PATH[,HEADER:PATH...]``.

    Examples
    --------
    >>> columns_from_spec("NAME:metadata.name,API_VERSION:apiVersion")
    [Column(header='NAME', field_spec='{.metadata.name}'), \
Column(header='API_VERSION', field_spec='{.apiVersion}')]
    >>> columns_from_spec("invalid")
    Traceback (most recent call last):
    ...
    simkit.oc.customcolumns.CustomColumnsError: unexpected custom-columns spec: invalid, \
expected <header>:<json-path-expr>
    """
    if not spec:
        raise CustomColumnsError("custom-columns format specified but no custom columns given")
    columns = []
    for part in spec.split(","):
        header, colon, path = part.partition(":")
        if not colon:
            raise CustomColumnsError(
                f"unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"
            )
        columns.append(Column(header, relaxed_jsonpath(path)))
    return columns


def columns_from_template(text: str) -> list[Column]:
    """``NewCustomColumnsPrinterFromTemplate``: a line of headers, a line of paths.

    Examples
    --------
    >>> columns_from_template("NAME               API_VERSION\\n{metadata.name}    {apiVersion}")
    [Column(header='NAME', field_spec='{.metadata.name}'), \
Column(header='API_VERSION', field_spec='{.apiVersion}')]
    """
    lines = text.split("\n") if text else []
    if text.endswith("\n"):
        lines = lines[:-1]
    lines = [line.removesuffix("\r") for line in lines]
    if not lines:
        raise CustomColumnsError(
            "invalid template, missing header line. Expected format is one line of space "
            "separated headers, one line of space separated column specs."
        )
    if len(lines) < 2:
        raise CustomColumnsError(
            "invalid template, missing spec line. Expected format is one line of space "
            "separated headers, one line of space separated column specs."
        )
    headers, specs = lines[0].split(), lines[1].split()
    if len(headers) != len(specs):
        raise CustomColumnsError(
            f"number of headers ({len(headers)}) and field specifications "
            f"({len(specs)}) don't match"
        )
    return [Column(h, relaxed_jsonpath(s)) for h, s in zip(headers, specs, strict=True)]


def _escape_terminal(text: str) -> str:
    for char, replacement in _TERMINAL.items():
        text = text.replace(char, replacement)
    return text


def print_custom_columns(
    columns: list[Column], obj: Mapping[str, Any], *, no_headers: bool = False
) -> str:
    """``CustomColumnsPrinter.PrintObj`` of one object or a ``List`` (one row per item).

    Raises
    ------
    CustomColumnsError
        A column's template does not parse or fails on an object (an index out of
        bounds, for example); the message is client-go's.

    Examples
    --------
    >>> cols = columns_from_spec("NAME:.metadata.name,API_VERSION:.apiVersion,NOT_FOUND:.notFound")
    >>> print(print_custom_columns(cols, {"metadata": {"name": "foo"}, "apiVersion": "baz"}),
    ...       end="")
    NAME   API_VERSION   NOT_FOUND
    foo    baz           <none>
    """
    try:
        paths = [JSONPath(c.field_spec, allow_missing_keys=True) for c in columns]
    except JSONPathError as exc:
        raise CustomColumnsError(str(exc)) from None
    is_list = str(obj.get("kind", "")).endswith("List") and isinstance(obj.get("items"), list)
    objects = list(obj["items"]) if is_list else [obj]  # meta.IsListType / ExtractList
    lines = [] if no_headers else ["\t".join(c.header for c in columns)]
    for item in objects:
        cells = []
        for path in paths:
            try:
                results = path.find_results(item)
            except JSONPathError as exc:
                raise CustomColumnsError(str(exc)) from None
            values = [_escape_terminal(go_sprint(v)) for group in results for v in group]
            if not results or not results[0]:
                values.insert(0, "<none>")
            cells.append(",".join(values))
        lines.append("\t".join(cells))
    return align("".join(line + "\n" for line in lines), KUBECTL)

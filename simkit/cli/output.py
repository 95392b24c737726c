"""Tables the ``simkit`` command prints: aligned text with headers, CSV or JSON on stdout."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import TextIO

import pandas as pd

__all__ = ["emit", "text_table"]


def text_table(frame: pd.DataFrame, headers: Mapping[str, str]) -> str:
    """``frame``'s ``headers`` columns as aligned text under upper-case headers.

    The last column is not padded, so long values (an explanation) do not widen the rest.

    Examples
    --------
    >>> frame = pd.DataFrame({"subject": ["alice", "system:anonymous"], "target": ["a/b", "c"]})
    >>> print(text_table(frame, {"subject": "SUBJECT", "target": "TARGET"}))
    SUBJECT           TARGET
    alice             a/b
    system:anonymous  c
    """
    columns = list(headers)
    cells = [[str(v) for v in frame[c].tolist()] for c in columns]
    widths = [max([len(headers[c]), *map(len, col)]) for c, col in zip(columns, cells, strict=True)]
    lines = []
    for row in [list(headers.values()), *zip(*cells, strict=True)]:
        parts = [str(v).ljust(w) for v, w in zip(row[:-1], widths[:-1], strict=True)]
        lines.append("  ".join([*parts, str(row[-1])]).rstrip())
    return "\n".join(lines)


def emit(frame: pd.DataFrame, fmt: str, stream: TextIO | None = None) -> None:
    """Write ``frame`` as CSV (with a header row) or JSON (a list of objects).

    Examples
    --------
    >>> emit(pd.DataFrame({"tag": ["v1"], "n": [2]}), "json")
    [
      {"tag": "v1", "n": 2}
    ]
    """
    stream = stream or sys.stdout
    if fmt == "csv":
        frame.to_csv(stream, index=False)
        return
    records = json.loads(frame.to_json(orient="records"))
    if not records:
        stream.write("[]\n")
        return
    stream.write("[\n" + ",\n".join("  " + json.dumps(r) for r in records) + "\n]\n")

"""``simkit lint-tags FILE...``: findings per tag convention, then one row per tag.

Files are read with the manifest reader's limits (:func:`simkit.manifests.reader.
read_documents`); a file that does not read, or that holds no image stream, is an input
error naming it.  ``--format csv|json`` prints the rows only (every column of
:func:`simkit.analysis.lint_image_streams`), for pipes.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from simkit.cli.errors import InputError, check_readable, one_line
from simkit.cli.output import emit, text_table

__all__ = ["FINDINGS", "findings", "lint_tags_command", "read_streams"]

SUFFIXES = (".json", ".yaml", ".yml")

FINDINGS = (
    ("dated: too much information, prune", "dated", "needs pruning", "need pruning"),
    (
        "floating name imported once: goes stale, schedule it or re-import",
        "imported once",
        "is a floating name imported once: it goes stale (schedule it or re-import)",
        "are floating names imported once: they go stale (schedule them or re-import)",
    ),
    (
        "floating name pinned to one image",
        "pinned",
        "is a floating name pinned to one image",
        "are floating names pinned to one image",
    ),
    (
        "unconventional",
        "unconventional",
        "follows none of OpenShift's tag conventions",
        "follow none of OpenShift's tag conventions",
    ),
    ("prerelease", "prerelease", "is a pre-release", "are pre-releases"),
    (
        "hidden: deprecated",
        "hidden",
        "is hidden from the catalog (deprecated)",
        "are hidden from the catalog (deprecated)",
    ),
)
"""(flag of :func:`~simkit.analysis.lint_image_streams`, short name, what it means for one
tag, for several)."""

HEADERS = {
    "name": "TAG",
    "category": "CONVENTION",
    "semver_level": "LEVEL",
    "strategy": "STRATEGY",
    "source": "SOURCE",
    "flags": "FLAGS",
}


def _kinds(documents) -> list[str]:
    kinds = []
    for document in documents:
        data = document.data
        if isinstance(data, Mapping):
            kinds.append(str(data.get("kind") or "no kind"))
        elif data is not None:
            kinds.append(type(data).__name__)
    return sorted(set(kinds))


def _lint_file(path: Path, shown: str) -> tuple[pd.DataFrame, list[str]]:
    from simkit.analysis import lint_image_streams
    from simkit.manifests.errors import ManifestError
    from simkit.manifests.reader import read_documents

    try:
        documents = read_documents(path)
    except ManifestError as exc:
        message = one_line(str(exc))
        if message.startswith(str(path)):
            message = shown + message[len(str(path)) :]
        else:
            message = f"{shown}: {message}"
        raise InputError(message) from None
    items = [d.data for d in documents if isinstance(d.data, Mapping)]
    frame = lint_image_streams(items)
    frame["file"] = shown
    return frame, _kinds(documents)


def read_streams(texts: list[str]) -> pd.DataFrame:
    """Lint every file (folders searched recursively); input errors name the file."""
    frames = []
    for text in texts:
        path = check_readable(text)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())
            found = [_lint_file(p, str(p))[0] for p in files]
            found = [f for f in found if len(f)]
            if not found:
                raise InputError(
                    f"{text}: no image stream in the folder's {len(files)} JSON/YAML files"
                )
            frames.extend(found)
            continue
        frame, kinds = _lint_file(path, text)
        if not len(frame):
            holds = f"it holds {', '.join(kinds)}" if kinds else "it is empty"
            raise InputError(
                f"{text}: no image stream with spec tags ({holds}; expected kind "
                "ImageStream, or a List of them)"
            )
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _tag_name(row) -> str:
    stream = f"{row.namespace}/{row.stream}" if row.namespace else row.stream
    return f"{stream}:{row.tag}"


def findings(frame: pd.DataFrame, limit: int = 8) -> list[str]:
    """One line per convention and per finding, with counts and the tags concerned.

    Examples
    --------
    >>> from simkit.analysis import lint_image_streams
    >>> stream = {"kind": "ImageStream", "metadata": {"name": "app"}, "spec": {"tags": [
    ...     {"name": "v2.0.1-may-2019"}, {"name": "v2.0.1-june-2019"}, {"name": "v2.0"}]}}
    >>> for line in findings(lint_image_streams([stream])):
    ...     print(line)
    3 tags in 1 stream: 2 dated, 1 revision
    dated: 2 tags need pruning: app:v2.0.1-may-2019, app:v2.0.1-june-2019
    """
    if not len(frame):
        return ["no spec tags"]
    names = [_tag_name(row) for row in frame.itertuples(index=False)]
    streams = len({(row.namespace, row.stream, row.file) for row in frame.itertuples()})
    counts = frame["category"].value_counts()
    lines = [
        f"{len(frame)} tags in {streams} stream{'s' if streams != 1 else ''}: "
        + ", ".join(f"{n} {c}" for c, n in counts.items())
    ]
    flags = [set(str(f).split("; ")) for f in frame["flags"]]
    for flag, short, one, several in FINDINGS:
        hit = [name for name, tagged in zip(names, flags, strict=True) if flag in tagged]
        if hit:
            shown = ", ".join(hit[:limit]) + (
                f" and {len(hit) - limit} more" if len(hit) > limit else ""
            )
            count = "1 tag " + one if len(hit) == 1 else f"{len(hit)} tags {several}"
            lines.append(f"{short}: {count}: {shown}")
    return lines


def lint_tags_command(args: argparse.Namespace) -> int:
    """Print findings then the table, or the rows as CSV/JSON."""
    frame = read_streams(args.files)
    if args.format != "table":
        emit(frame, args.format)
        return 0
    for line in findings(frame):
        print(line)
    print()
    table = frame.assign(name=[_tag_name(r) for r in frame.itertuples(index=False)])
    headers = dict(HEADERS)
    if frame["file"].nunique() > 1:
        headers = {"file": "FILE", **headers}
    print(text_table(table, headers))
    return 0

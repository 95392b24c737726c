"""``simkit who-can-pull DUMP...``: who can pull which image stream or registry, and how.

The table has one row per subject and target (:func:`simkit.analysis.pull_table.
pull_table`); ``table`` output opens with the findings (:func:`simkit.analysis.
pull_table.broad_access`: bindings granting image pull beyond one project, secrets
covering more than their project).  ``--subject``/``--target`` keep the rows whose
subject or target equals a pattern or matches it as a glob; ``--why`` adds the
explanation chain (:func:`simkit.analysis.explain_pull`).  ``csv`` and ``json`` print the
rows only.
"""

from __future__ import annotations

import argparse
import fnmatch
from pathlib import Path

import pandas as pd

from simkit.cli.errors import InputError, check_out, check_readable, one_line
from simkit.cli.output import emit, text_table

__all__ = ["filter_rows", "who_can_pull_command"]

HEADERS = {"subject": "SUBJECT", "target": "TARGET", "via": "VIA"}


def _matches(value: str, patterns: list[str]) -> bool:
    return any(value == p or fnmatch.fnmatchcase(value, p) for p in patterns)


def filter_rows(table: pd.DataFrame, subjects: list[str], targets: list[str]) -> pd.DataFrame:
    """The rows whose subject and target match (exactly or as a glob); all when none given.

    Examples
    --------
    >>> table = pd.DataFrame({"subject": ["alice", "system:serviceaccount:a:default"],
    ...                       "target": ["a/web", "quay.io"]})
    >>> filter_rows(table, ["system:serviceaccount:a:*"], [])["target"].tolist()
    ['quay.io']
    """
    keep = pd.Series(True, index=table.index)
    if subjects:
        keep &= table["subject"].map(lambda s: _matches(s, subjects))
    if targets:
        keep &= table["target"].map(lambda t: _matches(t, targets))
    return table[keep].reset_index(drop=True)


def _is_empty(path: Path) -> bool:
    """A file with nothing but blank lines, comments and document markers."""
    if not path.is_file() or path.stat().st_size > 65536:
        return False
    lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    return not any(
        line.strip() and not line.lstrip().startswith(("#", "---", "...")) for line in lines
    )


def _why(sim, row) -> str:
    from simkit.analysis import explain_pull

    if row.subject.startswith("group:"):
        return f"any member of group {row.subject[len('group:') :]}: {row.via}"
    target = row.target if row.target_kind == "imagestream" else f"registry:{row.target}"
    return str(explain_pull(sim, row.subject, target))


def who_can_pull_command(args: argparse.Namespace) -> int:
    """Print the findings and the table, or the rows as CSV/JSON; ``--out`` also writes
    ``pull_matrix.csv`` and ``who_can_pull.csv``."""
    from simkit.analysis import pull_matrix, who_can_pull
    from simkit.analysis.pull_table import broad_access, pull_table
    from simkit.manifests import ManifestError, load_manifests

    for text in args.dumps:
        if _is_empty(check_readable(text)):
            raise InputError(
                f"{text}: holds no objects (expected a cluster dump: oc get "
                "-o yaml of roles, bindings, service accounts, secrets, streams)"
            )
    if args.out:
        check_out(args.out)
    try:
        sim = load_manifests(*args.dumps, namespace=args.namespace)
    except ManifestError as exc:
        raise InputError(one_line(str(exc))) from None
    graph = who_can_pull(sim)
    table = pull_table(graph)
    rows = filter_rows(table, args.subject, args.target)
    if args.why:
        rows = rows.assign(why=[_why(sim, r) for r in rows.itertuples(index=False)])
    if args.out:
        folder = Path(args.out)
        folder.mkdir(parents=True, exist_ok=True)
        pull_matrix(sim).to_csv(folder / "pull_matrix.csv")
        rows.to_csv(folder / "who_can_pull.csv", index=False)
    if args.format != "table":
        emit(rows, args.format)
        return 0

    found = broad_access(sim, graph)
    print(f"Findings ({len(found)}):")
    for finding in found:
        print(f"  ! {finding}")
    if not found:
        print(
            "  none: no binding grants image pull beyond its project, and no secret "
            "covers more than its project"
        )
    subjects, targets = rows["subject"].nunique(), rows["target"].nunique()
    filtered = " (filtered)" if args.subject or args.target else ""
    print(f"{len(rows)} subject/target pairs{filtered}: {subjects} subjects, {targets} targets")
    print()
    if not len(rows):
        return 0
    if not args.why:
        print(text_table(rows, HEADERS))
        return 0
    lines = text_table(rows, HEADERS).splitlines()
    print(lines[0])
    for line, why in zip(lines[1:], rows["why"], strict=True):
        print(line)
        for part in why.splitlines():
            print(f"    {part}")
    return 0

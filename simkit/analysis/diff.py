"""What changed between two who-can-pull graphs or two pull matrices."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import cast

import networkx as nx
import pandas as pd

from simkit.analysis.who_can_pull import accessible

__all__ = ["diff"]

COLUMNS = ["level", "change", "source", "target", "source_kind", "target_kind"]
SUBJECT_KINDS = ("user", "serviceaccount")


def _graph_access(graph: nx.DiGraph) -> set[tuple[str, str]]:
    return {
        (subject, target)
        for subject, kind in graph.nodes(data="kind")
        if kind in SUBJECT_KINDS
        for target in accessible(graph, subject)
    }


def _kind(graphs: tuple[nx.DiGraph, ...], node: str) -> str:
    for graph in graphs:
        if node in graph:
            return str(graph.nodes[node].get("kind", ""))
    return ""


def _matrix_access(matrix: pd.DataFrame) -> set[tuple[str, str]]:
    stacked = matrix.astype(bool).stack()
    # stack() labels each cell (subject, stream): the index is a 2-level MultiIndex
    cells = cast("Iterable[tuple[Hashable, Hashable]]", stacked.index)
    return {(str(s), str(t)) for (s, t), allowed in zip(cells, stacked, strict=True) if allowed}


def diff(before: nx.DiGraph | pd.DataFrame, after: nx.DiGraph | pd.DataFrame) -> pd.DataFrame:
    """Access gained and lost between two who-can-pull graphs or two pull matrices.

    Parameters
    ----------
    before, after : networkx.DiGraph or pandas.DataFrame
        Two results of :func:`~simkit.analysis.who_can_pull`, or two of
        :func:`~simkit.analysis.pull_matrix` (rows and columns may differ).

    Returns
    -------
    pandas.DataFrame
        ``level`` (``"access"``: a subject can newly, or no longer, pull a target;
        ``"edge"``: a graph edge appeared or disappeared), ``change`` (``"gained"`` or
        ``"lost"``), ``source``, ``target``, ``source_kind``, ``target_kind``.  Matrices
        give access rows only.  Pass it to :func:`simkit.plots.who_can_pull_graph` as
        ``diff=`` to highlight the edges.

    Examples
    --------
    >>> import simkit as sk
    >>> from simkit.analysis import who_can_pull
    >>> sim = sk.Simulation()
    >>> _ = sim.oc("new-project team-a")
    >>> _ = sim.oc("tag --reference quay.io/acme/ruby:3.1 ruby:3.1 -n default")
    >>> sim.advance("1m")
    >>> before = who_can_pull(sim)
    >>> _ = sim.oc("policy add-role-to-group system:image-puller "
    ...            "system:serviceaccounts:team-a -n default")
    >>> changes = diff(before, who_can_pull(sim))
    >>> print(changes[changes["level"] == "access"][["change", "source", "target"]].to_string())
       change                                 source                    target
    0  gained   system:serviceaccount:team-a:builder  imagestream:default/ruby
    1  gained   system:serviceaccount:team-a:default  imagestream:default/ruby
    2  gained  system:serviceaccount:team-a:deployer  imagestream:default/ruby
    """
    rows = []
    if isinstance(before, nx.DiGraph) and isinstance(after, nx.DiGraph):
        graphs = (after, before)
        old, new = _graph_access(before), _graph_access(after)
        for change, pairs in (("gained", new - old), ("lost", old - new)):
            rows += [("access", change, s, t, _kind(graphs, s), _kind(graphs, t)) for s, t in pairs]
        old_edges, new_edges = set(before.edges), set(after.edges)
        for change, pairs in (("gained", new_edges - old_edges), ("lost", old_edges - new_edges)):
            rows += [("edge", change, s, t, _kind(graphs, s), _kind(graphs, t)) for s, t in pairs]
    elif isinstance(before, pd.DataFrame) and isinstance(after, pd.DataFrame):
        old, new = _matrix_access(before), _matrix_access(after)
        kinds = {**before.attrs.get("kinds", {}), **after.attrs.get("kinds", {})}
        for change, pairs in (("gained", new - old), ("lost", old - new)):
            rows += [("access", change, s, t, kinds.get(s, ""), "imagestream") for s, t in pairs]
    else:
        raise TypeError(
            "diff: give two who_can_pull graphs or two pull_matrix frames, got "
            f"{type(before).__name__} and {type(after).__name__}"
        )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.sort_values(
        ["level", "change", "source", "target"], kind="stable", ignore_index=True
    )

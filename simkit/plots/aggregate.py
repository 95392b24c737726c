"""Aggregated figures for large clusters: readable at 10 and at 10,000 streams or subjects.

The per-object figures (:func:`~simkit.plots.staleness_heatmap`,
:func:`~simkit.plots.pull_matrix_heatmap`, :func:`~simkit.plots.who_can_pull_graph`,
:func:`~simkit.plots.node_drift`) draw one row or node per tag, subject or image; past a
few dozen they are unreadable and slow.  These draw the same results grouped, with a
size that does not grow with the cluster:

- :func:`staleness_by_group`: tags × time averaged per strategy (or convention, project);
- :func:`pull_matrix_by_project_heatmap`: :func:`~simkit.analysis.pull_matrix_by_project`,
  the share of each project's streams each project's subjects can pull;
- :func:`who_can_pull_overview`: the who-can-pull graph with service accounts, streams,
  secrets and bindings merged per project, and at most ``most`` nodes a column;
- :func:`node_drift_summary`: for the image names that drift most, the share of nodes on
  each digest.

A report picks them past a threshold (:mod:`simkit.report.sections`).
"""

from __future__ import annotations

from collections import Counter

import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from simkit.analysis.who_can_pull import LAYERS
from simkit.plots._style import axes, shorten
from simkit.plots.access import default_subjects, who_can_pull_graph
from simkit.plots.staleness import staleness_heatmap

__all__ = [
    "node_drift_summary",
    "pull_matrix_by_project_heatmap",
    "staleness_by_group",
    "who_can_pull_overview",
]

_SA = "system:serviceaccount:"


def staleness_by_group(
    matrix: pd.DataFrame, groups: pd.Series, ax: Axes | None = None, *, by: str = "strategy"
) -> Axes:
    """Groups × time: the mean share of each bin the tags of each group were stale.

    Parameters
    ----------
    matrix : pandas.DataFrame
        :func:`simkit.analysis.staleness_over_time` (tags × bins).
    groups : pandas.Series
        The group of each tag (index: the tags), e.g. ``risk.set_index("tag")["strategy"]``.
    ax : matplotlib Axes, optional
    by : str
        What the groups are, for the labels.

    Returns
    -------
    matplotlib.axes.Axes
        One row per group, labelled with its number of tags.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> matrix = pd.DataFrame([[0.0, 1.0], [0.0, 0.0], [1.0, 1.0]],
    ...                       index=["a:1", "a:2", "b:1"],
    ...                       columns=pd.date_range("2026-01-01", periods=2, freq="6h"))
    >>> ax = staleness_by_group(matrix, pd.Series({"a:1": "x", "a:2": "x", "b:1": "y"}))
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['x (2 tags)', 'y (1 tag)']
    """
    keys = groups.reindex(matrix.index).fillna("(none)").astype(str)
    mean = matrix.groupby(keys.to_numpy(), sort=True).mean()
    counts = keys.value_counts()
    mean.index = [f"{g} ({counts[g]} tag{'s' if counts[g] != 1 else ''})" for g in mean.index]
    ax = staleness_heatmap(mean, ax)
    ax.set_ylabel(by)
    ax.set_title(
        ax.get_title().replace(
            "each image stream tag was stale", f"the tags of each {by} were stale (mean)"
        )
    )
    return ax


def _merge_rest(pairs: pd.DataFrame, column: str, most: int) -> pd.DataFrame:
    totals = pairs.groupby(column)["allowed"].sum().sort_values(ascending=False, kind="stable")
    if len(totals) <= most:
        return pairs
    keep = set(totals.index[: most - 1])
    rest = len(totals) - len(keep)
    pairs = pairs.copy()
    pairs[column] = [v if v in keep else f"other ({rest})" for v in pairs[column]]
    other = [c for c in ("subjects", "project") if c != column][0]
    merged = pairs.groupby(["subjects", "project"], as_index=False)[["allowed", "pairs"]].sum()
    merged["share"] = merged["allowed"] / merged["pairs"].where(merged["pairs"] > 0)
    return merged.sort_values([column, other], ignore_index=True)


def pull_matrix_by_project_heatmap(
    pairs: pd.DataFrame, ax: Axes | None = None, *, most: int = 30
) -> Axes:
    """Subjects' projects × streams' projects: the share of pairs that may pull.

    Parameters
    ----------
    pairs : pandas.DataFrame
        :func:`simkit.analysis.pull_matrix_by_project`.
    ax : matplotlib Axes, optional
    most : int
        At most this many rows and columns; the projects reaching least are merged into
        ``other (N)``.

    Returns
    -------
    matplotlib.axes.Axes
        Cells shaded by share, labelled with the percentage when there are few.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> pairs = pd.DataFrame({"subjects": ["a", "a", "b", "b"],
    ...                       "project": ["a", "b", "a", "b"], "allowed": [4, 0, 2, 2],
    ...                       "pairs": [4, 2, 4, 2], "share": [1.0, 0.0, 0.5, 1.0]})
    >>> ax = pull_matrix_by_project_heatmap(pairs)
    >>> ax.get_xlabel(), len(ax.texts)
    ('image streams of project', 4)
    """
    pairs = _merge_rest(_merge_rest(pairs, "subjects", most), "project", most)
    table = pairs.pivot_table(index="subjects", columns="project", values="share", aggfunc="mean")
    rows, columns = table.shape
    ax = axes(ax, (min(22.0, max(7.0, 0.5 * columns + 5)), min(22.0, max(3.0, 0.32 * rows + 2))))
    values = table.to_numpy(dtype=float)
    image = ax.imshow(
        np.ma.masked_invalid(values),
        cmap="Blues",
        vmin=0,
        vmax=1,
        aspect="auto",
        interpolation="nearest",
    )
    if rows * columns <= 400:
        for i in range(rows):
            for j in range(columns):
                if np.isfinite(values[i, j]):
                    ax.text(
                        j,
                        i,
                        f"{values[i, j] * 100:.0f}%",
                        ha="center",
                        va="center",
                        fontsize=7,
                        color="white" if values[i, j] > 0.6 else "#333333",
                    )
    ax.set_xticks(
        np.arange(columns),
        [shorten(c, 28) for c in table.columns],
        rotation=45,
        ha="right",
        fontsize="small",
    )
    ax.set_yticks(np.arange(rows), [shorten(r, 36) for r in table.index], fontsize="small")
    ax.set_xlabel("image streams of project")
    ax.set_ylabel("subjects (service accounts by project)")
    colorbar = ax.figure.colorbar(image, ax=ax, pad=0.01, fraction=0.04)
    colorbar.set_label("share of subject/stream pairs that may pull")
    ax.set_title("Who may pull which project's image streams, by project")
    return ax


def _group_key(graph: nx.DiGraph, node: str) -> tuple[str, str, str]:
    """``(id, kind, label)`` of the merged node ``node`` belongs to."""
    data = graph.nodes[node]
    kind = data.get("kind", "")
    if kind == "serviceaccount" and node.startswith(_SA):
        namespace = node[len(_SA) :].split(":", 1)[0]
        return f"sa:{namespace}", kind, f"{namespace}: service accounts"
    if kind == "imagestream":
        namespace = data.get("namespace") or data.get("label", node).split("/", 1)[0]
        return f"streams:{namespace}", kind, f"{namespace}: image streams"
    if kind == "secret":
        namespace = data.get("label", node).split("/", 1)[0]
        return f"secrets:{namespace}", kind, f"{namespace}: pull secrets"
    if kind == "binding" and node.startswith("rolebinding:"):
        namespace = data.get("namespace") or ""
        role = data.get("role", "")
        return f"bindings:{namespace}:{role}", kind, f"{namespace}: {role}"
    return node, kind, data.get("label", node)


def _contract(graph: nx.DiGraph) -> tuple[nx.DiGraph, dict[str, str]]:
    mapping: dict[str, str] = {}
    members: Counter[str] = Counter()
    merged: nx.DiGraph = nx.DiGraph()
    for node in graph:
        key, kind, label = _group_key(graph, node)
        mapping[node] = key
        members[key] += 1
        if key not in merged:
            merged.add_node(key, kind=kind, label=label)
    for key, count in members.items():
        if count > 1:
            merged.nodes[key]["label"] += f" ({count})"
    for source, target, data in graph.edges(data=True):
        a, b = mapping[source], mapping[target]
        if a != b and not merged.has_edge(a, b):
            merged.add_edge(a, b, relation=data.get("relation", ""))
    return merged, mapping


def _cap(graph: nx.DiGraph, keep: set[str], most: int) -> nx.DiGraph:
    """At most ``most`` nodes per drawn column; the least connected merged."""
    columns: dict[int, list[str]] = {}
    for node in graph:
        columns.setdefault(LAYERS.get(graph.nodes[node].get("kind", ""), 2), []).append(node)
    mapping = {node: node for node in graph}
    for layer, nodes in columns.items():
        if len(nodes) <= most:
            continue
        nodes.sort(key=lambda n: (n not in keep, -graph.degree(n), n))
        rest = nodes[most - 1 :]
        kind = Counter(graph.nodes[n].get("kind") for n in rest).most_common(1)[0][0]
        other = f"other:{layer}"
        for node in rest:
            mapping[node] = other
        graph.add_node(other, kind=kind, label=f"… {len(rest)} more")
        mapping[other] = other
    capped: nx.DiGraph = nx.DiGraph()
    for node in graph:
        target = mapping[node]
        if target not in capped:
            capped.add_node(target, **graph.nodes[target])
    for a, b, data in graph.edges(data=True):
        if mapping[a] != mapping[b]:
            capped.add_edge(mapping[a], mapping[b], **data)
    return capped


def who_can_pull_overview(graph: nx.DiGraph, ax: Axes | None = None, *, most: int = 25) -> Axes:
    """The who-can-pull graph merged per project, for clusters too large to draw whole.

    Service accounts, image streams and pull secrets are merged per project, and a
    project's RoleBindings per role; each column keeps at most ``most`` nodes (the least
    connected are merged into ``… N more``).  A path still means "can pull": a merged
    node stands for *some* of its members.

    Parameters
    ----------
    graph : networkx.DiGraph
        :func:`simkit.analysis.who_can_pull`.
    ax : matplotlib Axes, optional
    most : int
        Nodes per column at most.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import simkit as sk
    >>> from simkit.analysis import who_can_pull
    >>> sim = sk.Simulation()
    >>> _ = sim.oc("new-project team-a")
    >>> for i in range(30):
    ...     _ = sim.oc(f"tag --reference quay.io/acme/app{i}:1 app{i}:1 -n team-a")
    >>> sim.advance("1m")
    >>> who_can_pull_overview(who_can_pull(sim)).get_title().splitlines()[0]
    'Who can pull what, merged by project: 4 subjects, 30 image streams, 0 registries'
    """
    merged, mapping = _contract(graph)
    subjects = {mapping[s] for s in default_subjects(graph)}
    merged = _cap(merged, subjects, most)
    chosen = [s for s in merged if s in subjects] or [
        n for n, k in merged.nodes(data="kind") if k in ("user", "serviceaccount")
    ]
    ax = who_can_pull_graph(merged, ax, subjects=sorted(chosen))
    # types-networkx types nodes(data="kind") as yielding each node's data dict, not its kind
    kinds: Counter[str | None] = Counter(k for _, k in graph.nodes(data="kind"))  # type: ignore[misc]
    drawn = default_subjects(graph)
    ax.set_title(
        f"Who can pull what, merged by project: {len(drawn)} subjects, "
        f"{kinds['imagestream']} image streams, {kinds['registry']} registries\n"
        "(service accounts, streams, secrets and bindings merged per project)"
    )
    return ax


def node_drift_summary(frame: pd.DataFrame, ax: Axes | None = None, *, top: int = 20) -> Axes:
    """For the image names that drift most: the share of nodes holding each version.

    Parameters
    ----------
    frame : pandas.DataFrame
        :func:`simkit.analysis.drift`.
    ax : matplotlib Axes, optional
    top : int
        How many image names to draw (most digests first).

    Returns
    -------
    matplotlib.axes.Axes
        One stacked bar per image name, a segment per version (1: the oldest).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> frame = pd.DataFrame({"image": ["a:1", "a:1", "b:1"], "node": ["n1", "n2", "n1"],
    ...                       "digest": ["sha256:1", "sha256:2", "sha256:3"],
    ...                       "version": [1, 2, 1], "drifted": [True, True, False]})
    >>> [t.get_text() for t in node_drift_summary(frame).get_yticklabels()]
    ['a:1 (2 digests)', 'b:1 (1 digest)']
    """
    from matplotlib import colormaps

    per = frame.groupby("image")["digest"].nunique()
    order = sorted(per.index, key=lambda i: (-per[i], i))[:top]
    counts = (
        frame[frame["image"].isin(order)]
        .groupby(["image", "version"])
        .size()
        .unstack(fill_value=0)
        .reindex(order)
    )
    shares = counts.div(counts.sum(axis=1), axis=0)
    ax = axes(ax, (10, max(3.0, 0.32 * len(order) + 1.8)))
    versions = list(shares.columns)
    colors = colormaps["viridis_r"](np.linspace(0.1, 0.9, max(len(versions), 1)))
    left = np.zeros(len(order))
    for color, version in zip(colors, versions, strict=False):
        values = shares[version].to_numpy(dtype=float)
        ax.barh(np.arange(len(order)), values, left=left, color=color, label=f"v{version}")
        left += values
    ax.set_yticks(
        np.arange(len(order)),
        [f"{shorten(i, 45)} ({per[i]} digest{'s' if per[i] != 1 else ''})" for i in order],
        fontsize="small",
    )
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the nodes holding the name")
    if len(versions) <= 12:
        ax.legend(
            title="version",
            loc="upper left",
            bbox_to_anchor=(1.01, 1),
            fontsize="small",
            frameon=False,
        )
    drifting = int((per > 1).sum())
    ax.set_title(
        f"Digests per node for the {len(order)} image names that drift most "
        f"({drifting} of {len(per)} drift)"
    )
    return ax

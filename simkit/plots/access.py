"""Who can pull: the layered graph (with a what-if diff) and the pull-matrix heatmap."""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from simkit.analysis.who_can_pull import LAYERS
from simkit.plots._style import KIND_COLORS, axes, shorten

__all__ = ["default_subjects", "pull_matrix_heatmap", "who_can_pull_graph"]

_SYSTEM_NAMESPACES = ("openshift", "kube-", "default")
_LAYER_TITLES = [
    "subjects",
    "groups",
    "bindings / secrets",
    "roles / projects",
    "streams / registries",
]


def _is_system(subject: str) -> bool:
    if subject.startswith("system:serviceaccount:"):
        namespace = subject.split(":")[2]
        return namespace.startswith(_SYSTEM_NAMESPACES) or namespace == "kube-system"
    if subject.startswith("group:"):
        subject = subject[len("group:") :]
        if subject.startswith("system:serviceaccounts:"):
            return _is_system(f"system:serviceaccount:{subject.split(':')[2]}:x")
        return subject.startswith("system:") and subject != "system:authenticated"
    return subject.startswith("system:") and subject != "system:anonymous"


def default_subjects(graph: nx.DiGraph) -> list[str]:
    """The subjects worth drawing: users and service accounts outside the platform's own
    namespaces (``openshift*``, ``kube-*``, ``default``) and not ``system:`` users.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_node("alice", kind="user")
    >>> g.add_node("system:admin", kind="user")
    >>> g.add_node("system:serviceaccount:team-a:default", kind="serviceaccount")
    >>> g.add_node("system:serviceaccount:openshift:builder", kind="serviceaccount")
    >>> default_subjects(g)
    ['alice', 'system:serviceaccount:team-a:default']
    """
    return sorted(
        n
        for n, kind in graph.nodes(data="kind")
        if kind in ("user", "serviceaccount") and not _is_system(n)
    )


def _kind_of(node: str) -> str:
    prefix = node.split(":", 1)[0]
    if prefix in ("rolebinding", "clusterrolebinding"):
        return "binding"
    if prefix in ("role", "clusterrole"):
        return "role"
    if prefix in ("group", "project", "imagestream", "secret", "registry"):
        return prefix
    return "serviceaccount" if node.startswith("system:serviceaccount:") else "user"


def _relevant(graph: nx.DiGraph, subjects: Iterable[str]) -> nx.DiGraph:
    """The nodes on some path from ``subjects`` to a stream or registry, plus the roles of
    the bindings kept."""
    keep: set[str] = set()
    targets = {n for n, k in graph.nodes(data="kind") if k in ("imagestream", "registry")}
    reachable_to_target = set(targets)
    for target in targets:
        reachable_to_target |= nx.ancestors(graph, target)
    for subject in subjects:
        if subject not in graph:
            continue
        down = nx.descendants(graph, subject) | {subject}
        keep |= down & reachable_to_target
        keep |= {t for t in down if t in targets}
    roles = {r for b in keep for r in graph.successors(b) if graph.nodes[r].get("kind") == "role"}
    return graph.subgraph(keep | roles).copy()


def _layout(graph: nx.DiGraph) -> tuple[dict[str, tuple[float, float]], int]:
    columns: dict[int, list[str]] = {}
    for node, data in graph.nodes(data=True):
        columns.setdefault(LAYERS.get(data.get("kind", ""), 2), []).append(node)
    tallest = max((len(v) for v in columns.values()), default=1)
    positions = {}
    order = {kind: i for i, kind in enumerate(KIND_COLORS)}
    for layer, nodes in columns.items():
        nodes.sort(
            key=lambda n: (
                order.get(graph.nodes[n].get("kind", ""), 99),
                graph.nodes[n].get("label", n),
            )
        )
        step = tallest / max(len(nodes), 1)
        for i, node in enumerate(nodes):
            positions[node] = (float(layer), tallest - (i + 0.5) * step)
    return positions, tallest


def _changed_edges(edges: pd.DataFrame, change: str) -> set[tuple[str, str]]:
    """The (source, target) pairs of the edge rows of a diff with this ``change``."""
    rows = edges[edges["change"] == change]
    return set(zip(rows["source"], rows["target"], strict=True))


def _draw_changed(
    drawn: nx.DiGraph,
    positions: dict[str, tuple[float, float]],
    ax: Axes,
    changed: set[tuple[str, str]],
    color: str,
    width: float,
    style: str,
) -> None:
    """Draw the gained or lost edges that are in ``drawn``, with arrow heads."""
    nx.draw_networkx_edges(
        drawn,
        positions,
        ax=ax,
        arrows=True,
        arrowsize=12,
        edgelist=sorted(e for e in changed if e in drawn.edges),
        edge_color=color,
        width=width,
        style=style,
        node_size=80,
    )


def who_can_pull_graph(
    graph: nx.DiGraph,
    ax: Axes | None = None,
    *,
    diff: pd.DataFrame | None = None,
    subjects: Iterable[str] | None = None,
) -> Axes:
    """The who-can-pull graph drawn in layers: subjects → groups → bindings → projects →
    streams and registries (secrets beside bindings, roles beside projects).

    Parameters
    ----------
    graph : networkx.DiGraph
        :func:`simkit.analysis.who_can_pull`.
    ax : matplotlib Axes, optional
    diff : pandas.DataFrame, optional
        :func:`simkit.analysis.diff` of a *before* graph and ``graph``: gained edges are
        drawn thick green, lost ones dashed red (their nodes are added if ``graph`` lacks
        them), and the subjects whose access changed are drawn.
    subjects : iterable of str, optional
        The subjects to draw with everything they reach; by default
        :func:`default_subjects` (the platform's own accounts left out), plus those of
        ``diff``.

    Returns
    -------
    matplotlib.axes.Axes
        Nodes coloured by kind, labelled; a legend of kinds (and of gained/lost edges).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import simkit as sk
    >>> from simkit.analysis import who_can_pull
    >>> sim = sk.Simulation()
    >>> _ = sim.oc("new-project team-a")
    >>> _ = sim.oc("tag --reference quay.io/acme/ruby:3.1 ruby:3.1 -n team-a")
    >>> sim.advance("1m")
    >>> who_can_pull_graph(who_can_pull(sim)).get_title()
    'Who can pull what: 3 subjects, 1 image streams, 0 registries'
    """
    chosen = list(default_subjects(graph) if subjects is None else subjects)
    gained_edges: set[tuple[str, str]] = set()
    lost_edges: set[tuple[str, str]] = set()
    if diff is not None and len(diff):
        edges = diff[diff["level"] == "edge"]
        gained_edges = _changed_edges(edges, "gained")
        lost_edges = _changed_edges(edges, "lost")
        access = diff[diff["level"] == "access"]
        chosen += [s for s in access["source"] if s not in chosen]
    full = graph.copy()
    for source, target in sorted(lost_edges):
        for node in (source, target):
            if node not in full:
                full.add_node(node, kind=_kind_of(node), label=node.split(":", 1)[-1])
        full.add_edge(source, target, relation="lost")
    drawn = _relevant(full, chosen)
    for source, target in sorted(lost_edges):  # keep lost edges whose ends are drawn
        if source in drawn or target in drawn:
            for node in (source, target):
                if node not in drawn:
                    drawn.add_node(node, **full.nodes[node])
            drawn.add_edge(source, target, relation="lost")
    positions, tallest = _layout(drawn)
    ax = axes(ax, (13, max(5.0, 0.34 * tallest + 1.5)))
    kinds = [drawn.nodes[n].get("kind", "") for n in drawn]
    plain = [e for e in drawn.edges if e not in gained_edges and e not in lost_edges]
    # arrow heads are one patch each: past a few dozen edges, plain lines (left to right)
    many = len(plain) > 60
    # types-networkx overloads ``arrows`` on None, True and False only, not on a bool
    nx.draw_networkx_edges(
        drawn,
        positions,
        edgelist=plain,
        ax=ax,
        edge_color="#9e9e9e",  # type: ignore[call-overload]
        alpha=0.5,
        arrows=not many,
        width=0.8,
        node_size=80,
        **({} if many else {"arrowsize": 8}),
    )
    if gained_edges:
        _draw_changed(drawn, positions, ax, gained_edges, "#1a9850", 2.6, "solid")
    if lost_edges:
        _draw_changed(drawn, positions, ax, lost_edges, "#d73027", 2.2, "dashed")
    nx.draw_networkx_nodes(
        drawn,
        positions,
        ax=ax,
        node_size=80,
        linewidths=0.5,
        node_color=[KIND_COLORS.get(k, "#cccccc") for k in kinds],
        edgecolors="#333333",
    )
    for node, (x, y) in positions.items():
        label = shorten(drawn.nodes[node].get("label", node), 38)
        ax.annotate(
            label,
            (x, y),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            ha="left",
            fontsize=7,
            bbox=None if many else dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.7),
        )
    for layer, title in enumerate(_LAYER_TITLES):
        ax.text(
            layer,
            tallest + 0.4,
            title,
            ha="left",
            va="bottom",
            fontsize=9,
            fontweight="bold",
            color="#444444",
        )
    ax.set_xlim(-0.15, len(_LAYER_TITLES) - 0.05)
    ax.set_ylim(-0.3, tallest + 1.1)
    ax.axis("off")
    present = [k for k in KIND_COLORS if k in set(kinds)]
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=7,
            markerfacecolor=KIND_COLORS[k],
            markeredgecolor="#333333",
            label=k,
        )
        for k in present
    ]
    if gained_edges:
        handles.append(Line2D([], [], color="#1a9850", linewidth=2.6, label="gained"))
    if lost_edges:
        handles.append(Line2D([], [], color="#d73027", linewidth=2.2, linestyle="--", label="lost"))
    if handles:
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.01),
            ncol=min(len(handles), 6),
            fontsize="small",
            frameon=False,
        )
    else:
        ax.text(
            0.5,
            0.5,
            "no subject to draw (pass subjects=...)",
            ha="center",
            transform=ax.transAxes,
            color="#777777",
        )
    n_streams = sum(k == "imagestream" for k in kinds)
    n_registries = sum(k == "registry" for k in kinds)
    n_subjects = sum(k in ("user", "serviceaccount") for k in kinds)
    title = (
        f"Who can pull what: {n_subjects} subjects, {n_streams} image streams, "
        f"{n_registries} registries"
    )
    if diff is not None:
        access = diff[diff["level"] == "access"]
        gained = int((access["change"] == "gained").sum())
        lost = int((access["change"] == "lost").sum())
        title += f"\nwhat-if: {gained} subject/target pairs gained (green), {lost} lost (red)"
    ax.set_title(title)
    return ax


def pull_matrix_heatmap(
    matrix: pd.DataFrame, ax: Axes | None = None, *, hide_system: bool = True
) -> Axes:
    """Subjects × image streams: who may pull which stream.

    Parameters
    ----------
    matrix : pandas.DataFrame
        :func:`simkit.analysis.pull_matrix`.
    ax : matplotlib Axes, optional
    hide_system : bool
        Leave out the platform's own accounts and ``system:`` users and groups (as
        :func:`default_subjects`), keeping ``system:anonymous`` and
        ``group:system:authenticated``.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import simkit as sk
    >>> from simkit.analysis import pull_matrix
    >>> sim = sk.Simulation()
    >>> _ = sim.oc("tag --reference quay.io/acme/ruby:3.1 ruby:3.1")
    >>> pull_matrix_heatmap(pull_matrix(sim), hide_system=False).get_ylabel()
    'subject'
    """
    if hide_system:
        matrix = matrix.loc[[s for s in matrix.index if not _is_system(s)]]
    rows, columns = matrix.shape
    ax = axes(ax, (max(7.5, 0.45 * columns + 6), max(3.0, 0.28 * rows + 2)))
    cmap = ListedColormap(["#f0f0f0", "#2b8cbe"])
    ax.imshow(
        matrix.to_numpy(dtype=float),
        cmap=cmap,
        vmin=0,
        vmax=1,
        aspect="auto",
        interpolation="nearest",
    )
    ax.set_xticks(
        np.arange(columns),
        [shorten(c, 30) for c in matrix.columns],
        rotation=45,
        ha="right",
        fontsize="small",
    )
    ax.set_yticks(
        np.arange(rows),
        [shorten(s.removeprefix("system:serviceaccount:"), 48) for s in matrix.index],
        fontsize="small",
    )
    ax.set_xticks(np.arange(columns + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(rows + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=1)
    ax.tick_params(which="minor", length=0)
    ax.set_xlabel("image stream")
    ax.set_ylabel("subject")
    ax.set_title("Who may pull which image stream\n(get imagestreams/layers)")
    ax.legend(
        handles=[Patch(color="#2b8cbe", label="can pull"), Patch(color="#f0f0f0", label="cannot")],
        loc="upper left",
        bbox_to_anchor=(1.01, 1),
        fontsize="small",
        frameon=False,
    )
    return ax

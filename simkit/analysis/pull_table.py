"""Who can pull what, as rows to read or pipe, and the grants broader than one project.

:func:`pull_table` flattens a who-can-pull graph (:func:`simkit.analysis.who_can_pull`)
into one row per subject and target (an image stream or an external registry) with the
ways the subject gets there: a binding and its role (reached directly or through a
group), a pull secret of its service account, the node pull secret, or anonymous access
to a public registry.  :func:`broad_access` lists the findings a reviewer looks for
first: bindings that grant image pull to everyone authenticated, to every service
account, or to all service accounts of a project in other projects, and secrets whose
credentials reach pods of more than their own project.

Whom a group covers follows RBAC's ``appliesTo`` (kubernetes ``pkg/registry/rbac/
validation/rule.go``, ``appliesToUser``): ``system:authenticated`` every user and
service account, ``system:serviceaccounts`` every service account,
``system:serviceaccounts:NS`` those of project NS; the graph already encodes it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx
import pandas as pd

from simkit.rules.rbac import ALL_AUTHENTICATED, ALL_UNAUTHENTICATED, SERVICE_ACCOUNTS_GROUP

if TYPE_CHECKING:
    from simkit.simulation import Simulation

__all__ = ["BROAD_GROUPS", "Finding", "broad_access", "pull_table"]

SUBJECT_KINDS = ("user", "serviceaccount", "group")
TARGET_KINDS = ("imagestream", "registry")
SA_PREFIX = "system:serviceaccount:"
SA_GROUP_PREFIX = SERVICE_ACCOUNTS_GROUP + ":"

BROAD_GROUPS = {
    ALL_AUTHENTICATED: "every authenticated user and service account",
    "system:authenticated:oauth": "every user who logged in through OAuth",
    ALL_UNAUTHENTICATED: "anonymous clients",
    SERVICE_ACCOUNTS_GROUP: "every service account of every project",
}
"""Groups whose members are not one team: a pull grant to one of them is broad."""


def _target_name(node: str) -> str:
    return node.split(":", 1)[1]


def _binding_text(graph: nx.DiGraph, binding: str) -> str:
    data = graph.nodes[binding]
    kind = "RoleBinding" if binding.startswith("rolebinding:") else "ClusterRoleBinding"
    role = next(
        (
            graph.nodes[r]["label"]
            for r in graph.successors(binding)
            if graph.nodes[r].get("kind") == "role"
        ),
        data.get("role", "?"),
    )
    role_kind = next(
        (
            "Role" if r.startswith("role:") else "ClusterRole"
            for r in graph.successors(binding)
            if graph.nodes[r].get("kind") == "role"
        ),
        "ClusterRole",
    )
    return f"{kind} {data['label']} ({role_kind} {role})"


def _members(graph: nx.DiGraph, group: str) -> set[str]:
    """The group node and every subject that reaches it by ``member`` edges."""
    found = {group}
    for node in nx.ancestors(graph, group):
        if graph.nodes[node].get("kind") in SUBJECT_KINDS:
            found.add(node)
    return found


def _targets(graph: nx.DiGraph, node: str) -> set[str]:
    return {n for n in nx.descendants(graph, node) if graph.nodes[n].get("kind") in TARGET_KINDS}


def _vias(graph: nx.DiGraph) -> dict[tuple[str, str], list[str]]:
    """(subject, target) -> the ways, each a short sentence."""
    ways: dict[tuple[str, str], list[str]] = defaultdict(list)
    members: dict[str, set[str]] = {}

    def covered(source: str) -> set[str]:
        if graph.nodes[source]["kind"] != "group":
            return {source}
        if source not in members:
            members[source] = _members(graph, source)
        return members[source]

    for node, data in graph.nodes(data=True):
        kind = data.get("kind")
        if kind not in ("binding", "secret"):
            continue
        reach = sorted(_targets(graph, node))
        if not reach:
            continue
        for source in graph.predecessors(node):
            relation = graph.edges[source, node].get("relation")
            if kind == "binding":
                text = _binding_text(graph, node)
            elif relation == "node":
                text = f"node pull secret {data['label']}"
            else:
                text = f"pull secret {data['label']}"
            if graph.nodes[source]["kind"] == "group":
                text = f"{text} to group {graph.nodes[source]['label']}"
            for subject in covered(source):
                for target in reach:
                    ways[subject, target].append(text)
    for source, target, data in graph.edges(data=True):
        if data.get("relation") == "anonymous":
            for subject in covered(source):
                ways[subject, target].append("anonymous: the registry is public")
    return ways


def pull_table(graph: nx.DiGraph) -> pd.DataFrame:
    """Every subject and every target it can pull, with how.

    Parameters
    ----------
    graph : networkx.DiGraph
        A who-can-pull graph (:func:`simkit.analysis.who_can_pull`).

    Returns
    -------
    pandas.DataFrame
        Columns ``subject`` (a user, ``system:serviceaccount:NS:NAME``, or
        ``group:NAME`` for any member of a group), ``target`` (``ns/stream`` or a
        registry host), ``target_kind`` (``imagestream`` or ``registry``) and ``via``
        (``"; "``-joined: ``RoleBinding ns/name (ClusterRole role)``, ``... to group G``,
        ``pull secret ns/name``, ``node pull secret ...``, ``anonymous: ...``), sorted by
        subject and target.  A subject appears with a target exactly when the graph has
        a path between them.

    Examples
    --------
    >>> import simkit as sk
    >>> from simkit.analysis import who_can_pull
    >>> sim = sk.Simulation()
    >>> _ = sim.oc("new-project team-a")
    >>> _ = sim.oc("new-project shared")
    >>> _ = sim.oc("tag --reference quay.io/acme/ruby:3.1 ruby:3.1 -n shared")
    >>> sim.advance("1m")
    >>> _ = sim.oc("policy add-role-to-group system:image-puller "
    ...            "system:serviceaccounts:team-a -n shared")
    >>> table = pull_table(who_can_pull(sim))
    >>> row = table[table["subject"] == "system:serviceaccount:team-a:default"].iloc[0]
    >>> row["target"], row["via"]
    ('shared/ruby', 'RoleBinding shared/system:image-puller (ClusterRole system:image-puller) \
to group system:serviceaccounts:team-a')
    """
    rows = [
        (subject, _target_name(target), graph.nodes[target]["kind"], "; ".join(sorted(set(ways))))
        for (subject, target), ways in _vias(graph).items()
    ]
    frame = pd.DataFrame(rows, columns=["subject", "target", "target_kind", "via"])
    return frame.sort_values(["subject", "target"], ignore_index=True)


@dataclass(frozen=True)
class Finding:
    """A grant broader than one project: what, to whom, and how much it opens."""

    kind: str
    """``binding`` or ``secret``."""
    name: str
    """``ClusterRoleBinding legacy-image-pullers``, ``secret ns/name`` ..."""
    to: str
    """Whom it covers, in words."""
    subjects: int
    """Subjects (users, service accounts, groups) of the graph it reaches."""
    targets: int
    """Image streams or registries it opens to them."""
    scope: str
    """Where: ``every project``, ``project NS``, or the registries."""

    def __str__(self) -> str:
        what = "image streams" if self.kind == "binding" else "registries"
        return (
            f"{self.name} lets {self.to} pull {self.targets} {what} in {self.scope} "
            f"({self.subjects} subjects here)"
        )


def _subject_count(graph: nx.DiGraph, node: str) -> int:
    return sum(
        1
        for n in nx.ancestors(graph, node)
        if graph.nodes[n].get("kind") in ("user", "serviceaccount")
    )


def broad_access(sim: Simulation, graph: nx.DiGraph | None = None) -> list[Finding]:
    """Bindings and secrets that grant image pull beyond one project, widest first.

    A binding is broad when one of its subjects is a group of :data:`BROAD_GROUPS`, or
    ``system:serviceaccounts:NS`` bound in a project other than NS or cluster-wide
    (all service accounts of a project pulling from other projects).  A secret is broad
    when service accounts of other projects than its own get its credentials (the node
    pull secret gives them to every pod).

    Parameters
    ----------
    sim : Simulation
    graph : networkx.DiGraph, optional
        ``who_can_pull(sim)``, when already built.

    Returns
    -------
    list of Finding
        Ordered by subjects times targets, largest first.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> _ = sim.oc("new-project team-a")
    >>> _ = sim.oc("tag --reference quay.io/acme/ruby:3.1 ruby:3.1 -n team-a")
    >>> _ = sim.oc("adm policy add-cluster-role-to-group system:image-puller "
    ...            "system:serviceaccounts")
    >>> print(broad_access(sim)[0])
    ClusterRoleBinding system:image-puller-0 (ClusterRole system:image-puller) lets group \
system:serviceaccounts (every service account of every project) pull 1 image streams in every \
project (64 subjects here)
    """
    from simkit.analysis.who_can_pull import who_can_pull

    graph = who_can_pull(sim) if graph is None else graph
    findings: list[Finding] = []
    for node, data in graph.nodes(data=True):
        kind = data.get("kind")
        if kind == "binding":
            namespace = data.get("namespace") or ""
            for source in graph.predecessors(node):
                if graph.nodes[source].get("kind") != "group":
                    continue
                group = graph.nodes[source]["label"]
                if group in BROAD_GROUPS:
                    to = f"group {group} ({BROAD_GROUPS[group]})"
                elif (
                    group.startswith(SA_GROUP_PREFIX) and group[len(SA_GROUP_PREFIX) :] != namespace
                ):
                    to = (
                        f"group {group} (all service accounts of project "
                        f"{group[len(SA_GROUP_PREFIX) :]})"
                    )
                else:
                    continue
                reach = {
                    t for t in _targets(graph, node) if graph.nodes[t]["kind"] == "imagestream"
                }
                if not reach:
                    continue
                findings.append(
                    Finding(
                        "binding",
                        _binding_text(graph, node),
                        to,
                        _subject_count(graph, source),
                        len(reach),
                        f"project {namespace}" if namespace else "every project",
                    )
                )
        elif kind == "secret":
            own = data["label"].split("/", 1)[0]
            accounts = {
                n
                for n in nx.ancestors(graph, node)
                if graph.nodes[n].get("kind") == "serviceaccount"
            }
            others = {n[len(SA_PREFIX) :].split(":", 1)[0] for n in accounts} - {own}
            if not others:
                continue
            registries = sorted(_target_name(t) for t in _targets(graph, node))
            node_secret = any(
                graph.edges[p, node].get("relation") == "node" for p in graph.predecessors(node)
            )
            name = f"{'node pull secret' if node_secret else 'pull secret'} {data['label']}"
            findings.append(
                Finding(
                    "secret",
                    name,
                    f"service accounts of {len(others)} other projects",
                    len(accounts),
                    len(registries),
                    ", ".join(registries),
                )
            )
    findings.sort(key=lambda f: (-f.subjects * f.targets, f.name))
    return findings

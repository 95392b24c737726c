"""The who-can-pull graph: subjects, groups, bindings, roles, projects, streams, secrets
and registries, with a path from a subject to everything it can pull.

Layers, left to right::

    user / serviceaccount --member--> group
    user / serviceaccount / group --subject--> binding --role--> role
    binding --scope--> project --contains--> imagestream      (every stream name)
    binding --grants--> imagestream                            (resourceNames only)
    serviceaccount --pull-secret--> secret --credential--> registry
    group system:serviceaccounts --node--> secret openshift-config/pull-secret
    group system:serviceaccounts --anonymous--> registry      (public registries)
    serviceaccount --credentials--> registry   (only several secrets together get in)

Only bindings whose role allows ``get imagestreams/layers`` are drawn (checked with
:mod:`simkit.rules.rbac`, as :func:`simkit.access.can_pull` does); roles have no
outgoing edges, so a path reaches an image stream exactly when RBAC allows the pull.
A path from a service account reaches a registry exactly when
:meth:`simkit.Simulation.explain_pull` says its pods' pulls get in there on every node
(credentials checked as the kubelet presents them, delegated authentication included).
Node ids: subjects by their user name (``alice``, ``system:serviceaccount:ns:sa``,
``system:anonymous``), others as ``kind:name`` (``group:system:authenticated``,
``rolebinding:ns/name``, ``clusterrolebinding:name``, ``clusterrole:name``,
``role:ns/name``, ``project:ns``, ``imagestream:ns/name``, ``secret:ns/name``,
``registry:host``).  No attribute holds secret data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

from simkit.analysis.pull_access import projects as project_names
from simkit.analysis.pull_access import pull_grants, pull_subjects, streams
from simkit.analysis.registry_access import GLOBAL_PULL_SECRET, secret_registries
from simkit.rules.rbac import SERVICE_ACCOUNTS_GROUP
from simkit.state.rbac import GROUP, SERVICE_ACCOUNT, USER

if TYPE_CHECKING:
    from simkit.simulation import Simulation

__all__ = ["KINDS", "LAYERS", "accessible", "who_can_pull"]

KINDS = (
    "user",
    "serviceaccount",
    "group",
    "binding",
    "role",
    "project",
    "imagestream",
    "secret",
    "registry",
)
"""The ``kind`` attribute of the graph's nodes."""

LAYERS = {
    "user": 0,
    "serviceaccount": 0,
    "group": 1,
    "binding": 2,
    "secret": 2,
    "role": 3,
    "project": 3,
    "imagestream": 4,
    "registry": 4,
}
"""The column each kind is drawn in by :func:`simkit.plots.who_can_pull_graph`."""

TARGET_KINDS = ("imagestream", "registry")


def _subject_kind(name: str) -> str:
    return "serviceaccount" if name.startswith("system:serviceaccount:") else "user"


def who_can_pull(sim: Simulation) -> nx.DiGraph:
    """Who can pull which image stream (RBAC) and which external registry (pull secrets).

    Parameters
    ----------
    sim : Simulation
        Its roles, bindings, groups, service accounts, secrets, streams and registries
        as they are now.

    Returns
    -------
    networkx.DiGraph
        Nodes carry ``kind`` (see :data:`KINDS`) and ``label`` (a short name to draw);
        bindings also ``namespace`` and ``role``; edges carry ``relation`` (``member``,
        ``subject``, ``role``, ``scope``, ``grants``, ``contains``, ``pull-secret``,
        ``node``, ``credential``, ``credentials``, ``anonymous``) and credential edges
        ``keys`` (keyring key names).  ``nx.has_path(graph, subject, "imagestream:ns/name")`` equals
        ``sim.can_pull(subject, "ns/name")``.

    Examples
    --------
    >>> import networkx as nx
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> _ = sim.oc("new-project team-a")
    >>> _ = sim.oc("new-project shared")
    >>> _ = sim.oc("tag --reference quay.io/acme/ruby:3.1 ruby:3.1 -n shared")
    >>> sim.advance("1m")
    >>> _ = sim.oc("policy add-role-to-group system:image-puller "
    ...            "system:serviceaccounts:team-a -n shared")
    >>> graph = who_can_pull(sim)
    >>> path = nx.shortest_path(graph, "system:serviceaccount:team-a:default",
    ...                         "imagestream:shared/ruby")
    >>> [graph.nodes[n]["kind"] for n in path]
    ['serviceaccount', 'group', 'binding', 'project', 'imagestream']
    >>> nx.has_path(graph, "system:serviceaccount:default:default", "imagestream:shared/ruby")
    False
    """
    graph: nx.DiGraph[str] = nx.DiGraph(name="who can pull")
    subjects = [s for s in pull_subjects(sim) if s.kind != "group"]

    def node(node_id: str, kind: str, label: str, **attrs: object) -> str:
        if node_id not in graph:
            graph.add_node(node_id, kind=kind, label=label, **attrs)
        return node_id

    def group(name: str) -> str:
        return node(f"group:{name}", "group", name)

    for subject in subjects:
        kind = "user" if subject.kind == "anonymous" else subject.kind
        label = subject.label.removeprefix("system:serviceaccount:")
        node(subject.label, kind, label)
        for name in subject.user.groups:
            graph.add_edge(subject.label, group(name), relation="member")

    stream_list = streams(sim)
    for namespace in project_names(sim):
        node(f"project:{namespace}", "project", namespace)
    for namespace, name in stream_list:
        stream_id = node(
            f"imagestream:{namespace}/{name}",
            "imagestream",
            f"{namespace}/{name}",
            namespace=namespace,
        )
        graph.add_edge(f"project:{namespace}", stream_id, relation="contains")

    for grant in pull_grants(sim):
        binding = grant.binding
        label = f"{binding.namespace}/{binding.name}" if binding.namespace else binding.name
        binding_id = node(
            grant.node, "binding", label, namespace=binding.namespace, role=grant.role.name
        )
        role_id = node(grant.role_node, "role", grant.role.name)
        graph.add_edge(binding_id, role_id, relation="role")
        for member in binding.subjects:
            if member.kind == GROUP:
                source = group(member.name)
            elif member.kind == USER:
                source = node(
                    member.name,
                    _subject_kind(member.name),
                    member.name.removeprefix("system:serviceaccount:"),
                )
            elif member.kind == SERVICE_ACCOUNT and (member.namespace or binding.namespace):
                name = (
                    f"system:serviceaccount:{member.namespace or binding.namespace}:{member.name}"
                )
                source = node(name, "serviceaccount", name.removeprefix("system:serviceaccount:"))
            else:
                continue
            graph.add_edge(source, binding_id, relation="subject")
        if grant.names is None:
            scope = project_names(sim) if grant.namespaces is None else sorted(grant.namespaces)
            for namespace in scope:
                graph.add_edge(
                    binding_id, node(f"project:{namespace}", "project", namespace), relation="scope"
                )
        else:
            for namespace, name in stream_list:
                if grant.allows(namespace, name):
                    graph.add_edge(binding_id, f"imagestream:{namespace}/{name}", relation="grants")

    _add_registries(sim, graph, node, group)
    return graph


def _add_registries(sim: Simulation, graph: nx.DiGraph, node, group) -> None:
    """Registry edges whose paths reach a registry exactly when
    :meth:`simkit.Simulation.explain_pull` says a service account's pods get in.

    A secret gets a ``credential`` edge to a registry when its credentials alone get
    every pull there in (the global pull secret: on every node, as rolled out); the
    ``anonymous`` edge is drawn for registries that let anonymous pulls in.  More
    credentials never take access away (each is tried, and one accepted at the token
    server is enough), so a service account that gets in only through a combination
    (a registry secret and a token-server secret) gets a direct ``credentials`` edge.
    """
    from simkit.credentials import DockerConfigError, keyring_from_secrets
    from simkit.rules.pull_access import host_images

    cluster = sim.cluster
    images = {host: host_images(sim.registries[host], host) for host in sim.registries}

    def sufficient(lookups) -> set[str]:
        return {
            host
            for host, wanted in images.items()
            if all(sim.decide_pull(image, lookup).allowed for lookup in lookups for image in wanted)
        }

    for host in sorted(sim.registries):
        registry = sim.registries[host]
        node(
            f"registry:{host}",
            "registry",
            host,
            private=registry.private,
            auth_server=registry.auth_server or "",
        )
    for host in sorted(sufficient([lambda image: []])):
        graph.add_edge(group(SERVICE_ACCOUNTS_GROUP), f"registry:{host}", relation="anonymous")

    def safe(lookup):
        def inner(image: str):
            try:
                return lookup(image)
            except ValueError:
                return []

        return inner

    def secret_node(namespace: str, name: str, lookups=None) -> str | None:
        secret = cluster.get("Secret", (namespace, name))
        hosts = secret_registries(sim, secret)
        if secret is None or not hosts:  # (no secret covers no host)
            return None
        secret_id = node(
            f"secret:{namespace}/{name}", "secret", f"{namespace}/{name}", type=secret.type
        )
        if lookups is None:
            try:
                lookups = [safe(keyring_from_secrets([secret]).lookup)]
            except DockerConfigError:
                lookups = []
        accepted = sufficient(lookups) if lookups else set()
        for host, keys in hosts.items():
            if host in accepted:
                graph.add_edge(
                    secret_id, f"registry:{host}", relation="credential", keys=",".join(keys)
                )
        return secret_id

    accounts = cluster.list("ServiceAccount")
    for account in accounts:
        for name in account.image_pull_secrets:
            secret_id = secret_node(account.namespace, name)
            if secret_id is not None:
                account_id = node(
                    account.username, "serviceaccount", f"{account.namespace}:{account.name}"
                )
                graph.add_edge(account_id, secret_id, relation="pull-secret")
    node_lookups = [safe(sim.node_keyring(n).lookup) for n in sim.node_names]
    global_id = secret_node(*GLOBAL_PULL_SECRET, lookups=node_lookups)
    if global_id is not None:
        graph.add_edge(group(SERVICE_ACCOUNTS_GROUP), global_id, relation="node")
    for account in accounts:
        account_id = account.username
        for host in sorted(sim.registries):
            registry_id = f"registry:{host}"
            if account_id in graph and nx.has_path(graph, account_id, registry_id):
                continue
            if sim.explain_pull(account_id, f"registry:{host}").allowed:
                node(account_id, "serviceaccount", f"{account.namespace}:{account.name}")
                graph.add_edge(account_id, registry_id, relation="credentials")


def accessible(graph: nx.DiGraph, subject: str) -> set[str]:
    """The image streams and registries reachable from ``subject`` in a who-can-pull graph.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> _ = sim.oc("tag --reference quay.io/acme/ruby:3.1 ruby:3.1")
    >>> sorted(accessible(who_can_pull(sim), "system:serviceaccount:default:builder"))
    ['imagestream:default/ruby']
    """
    if subject not in graph:
        return set()
    return {n for n in nx.descendants(graph, subject) if graph.nodes[n].get("kind") in TARGET_KINDS}

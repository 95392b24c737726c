"""Which bindings let whom pull which image streams: RBAC evaluated once per binding.

The integrated registry authorises a pull of ``ns/stream`` with ``get`` on
``imagestreams/layers`` (:mod:`simkit.access`).  RBAC rules do not depend on the
namespace, only on the verb, resource and name, so each binding's role is checked once
(:func:`pull_grants`): for every stream name, or for the names its ``resourceNames``
list.  Whom a binding applies to is :func:`simkit.rules.rbac.applies_to`.  Who-can-pull
graphs and pull matrices are built from these grants and agree with
:meth:`simkit.Simulation.can_pull` cell by cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from simkit.access import SA_PREFIX, policy, user_info
from simkit.rules.rbac import (
    ALL_AUTHENTICATED,
    ALL_UNAUTHENTICATED,
    ANONYMOUS,
    Attributes,
    RoleNotFound,
    User,
    anonymous_user,
    applies_to,
    first_allowing_rule,
    resolve_role,
    service_account_user,
)
from simkit.state.rbac import GROUP, SERVICE_ACCOUNT, USER, Role, RoleBinding

if TYPE_CHECKING:
    from simkit.simulation import Simulation

__all__ = ["PullGrant", "Subject", "pull_grants", "pull_subjects", "streams", "projects"]

_ANY_NAME = "\x00any-stream"
"""A stream name no ``resourceNames`` list holds: a rule allowing it allows every name."""


@dataclass(frozen=True)
class PullGrant:
    """A binding whose role allows ``get imagestreams/layers``.

    ``namespaces`` is None for a ClusterRoleBinding (every namespace) or the binding's
    namespace; ``names`` is None when every stream name is allowed, else the allowed
    stream names (a ``resourceNames`` rule).
    """

    binding: RoleBinding
    role: Role
    namespaces: frozenset[str] | None
    names: frozenset[str] | None

    @property
    def node(self) -> str:
        """The binding's node id in the who-can-pull graph."""
        if self.binding.namespace:
            return f"rolebinding:{self.binding.namespace}/{self.binding.name}"
        return f"clusterrolebinding:{self.binding.name}"

    @property
    def role_node(self) -> str:
        """The role's node id in the who-can-pull graph."""
        if self.role.namespace:
            return f"role:{self.role.namespace}/{self.role.name}"
        return f"clusterrole:{self.role.name}"

    def allows(self, namespace: str, stream: str) -> bool:
        """Whether the grant covers ``namespace/stream`` (whoever it applies to)."""
        in_scope = self.namespaces is None or namespace in self.namespaces
        return in_scope and (self.names is None or stream in self.names)

    def applies_to(self, user: User) -> bool:
        """Whether one of the binding's subjects covers ``user``."""
        return any(applies_to(s, user, self.binding.namespace) for s in self.binding.subjects)


@dataclass(frozen=True)
class Subject:
    """A row of a pull matrix: a label and the identity evaluated for it.

    ``kind`` is ``"serviceaccount"``, ``"user"``, ``"group"`` (a representative member
    of the group, authenticated and in no other group) or ``"anonymous"``.
    """

    label: str
    kind: str
    user: User


def _pull_attributes(name: str) -> Attributes:
    return Attributes("", (), "get", "", "image.openshift.io", "imagestreams", "layers", name)


def streams(sim: Simulation) -> list[tuple[str, str]]:
    """Every image stream as ``(namespace, name)``, in creation order.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> _ = sim.oc("tag --reference quay.io/a/b:1 b:1")
    >>> streams(sim)
    [('default', 'b')]
    """
    return [stream.key for stream in sim.cluster.list("ImageStream")]


def projects(sim: Simulation) -> list[str]:
    """Every project, plus any namespace holding an image stream, sorted.

    Examples
    --------
    >>> import simkit as sk
    >>> projects(sk.Simulation())
    ['default', 'openshift', 'openshift-config']
    """
    names = {key[1] for key in sim.cluster.store("Project")}
    names |= {namespace for namespace, _ in streams(sim)}
    return sorted(names)


def pull_grants(sim: Simulation) -> list[PullGrant]:
    """Every binding whose role lets its subjects pull image streams, and where.

    Parameters
    ----------
    sim : Simulation
        Its roles and bindings (cluster ones first, as RBAC visits them).

    Returns
    -------
    list of PullGrant
        Bindings with a missing role, or whose role allows no stream name that exists,
        are left out.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> grants = pull_grants(sim)
    >>> for grant in grants:
    ...     if grant.namespaces == frozenset({"openshift"}):
    ...         print(grant.node, "->", grant.role.name)
    rolebinding:openshift/shared-resource-viewers -> shared-resource-viewer
    rolebinding:openshift/system:image-pullers -> system:image-puller
    rolebinding:openshift/system:image-builders -> system:image-builder
    """
    roles, bindings = policy(sim.cluster)
    stream_names = sorted({name for _, name in streams(sim)})
    grants = []
    for binding in bindings:
        try:
            role = resolve_role(roles, binding.role_ref, binding.namespace)
        except RoleNotFound:
            continue
        if first_allowing_rule(role.rules, _pull_attributes(_ANY_NAME)) is not None:
            names = None
        else:
            # no rule allows every name, so an allowing rule lists the name in its
            # resourceNames: only those names need checking (thousands of streams)
            listed = {n for rule in role.rules for n in rule.resource_names}
            names = frozenset(
                n
                for n in stream_names
                if n in listed and first_allowing_rule(role.rules, _pull_attributes(n))
            )
            if not names:
                continue
        namespaces = frozenset({binding.namespace}) if binding.namespace else None
        grants.append(PullGrant(binding, role, namespaces, names))
    return grants


def pull_subjects(sim: Simulation) -> list[Subject]:
    """The rows of a pull matrix: who might pull.

    Every service account, every user and service account named in a binding or a
    ``Group``, a representative member of every group named in a binding, an
    authenticated user in no group, and ``system:anonymous``.

    Examples
    --------
    >>> import simkit as sk
    >>> rows = pull_subjects(sk.Simulation())
    >>> rows[0].label, rows[-1].label
    ('system:serviceaccount:default:default', 'system:anonymous')
    >>> [r.label for r in rows if r.kind == "group"][:2]
    ['group:system:authenticated', 'group:system:authenticated:oauth']
    """
    cluster = sim.cluster
    _, bindings = policy(cluster)
    accounts = [sa.username for sa in cluster.list("ServiceAccount")]
    users: list[str] = []
    groups: set[str] = set()
    for binding in bindings:
        for subject in binding.subjects:
            if subject.kind == USER:
                users.append(subject.name)
            elif subject.kind == GROUP:
                groups.add(subject.name)
            elif subject.kind == SERVICE_ACCOUNT and (subject.namespace or binding.namespace):
                accounts.append(
                    f"{SA_PREFIX}{subject.namespace or binding.namespace}:{subject.name}"
                )
    for group in cluster.list("Group"):
        users.extend(group.users)
    rows: list[Subject] = []
    seen: set[str] = set()
    for name in accounts:
        if name not in seen:
            seen.add(name)
            namespace, _, account = name[len(SA_PREFIX) :].partition(":")
            rows.append(Subject(name, "serviceaccount", service_account_user(namespace, account)))
    for name in sorted(set(users)):
        if name in seen or name == ANONYMOUS:
            continue
        seen.add(name)
        if name.startswith(SA_PREFIX):
            rows.append(Subject(name, "serviceaccount", user_info(cluster, name)))
        else:
            rows.append(Subject(name, "user", user_info(cluster, name)))
    groups.add(ALL_AUTHENTICATED)
    groups.discard(ALL_UNAUTHENTICATED)
    for group in sorted(groups):
        member = (ALL_AUTHENTICATED,) if group == ALL_AUTHENTICATED else (group, ALL_AUTHENTICATED)
        rows.append(Subject(f"group:{group}", "group", User(f"<member of {group}>", member)))
    rows.append(Subject(ANONYMOUS, "anonymous", anonymous_user()))
    return rows

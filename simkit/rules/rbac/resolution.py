"""Rule resolution: which bindings and roles apply (``pkg/registry/rbac/validation/rule.go``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from simkit.rules.rbac.users import Attributes, User
from simkit.state.rbac import (
    CLUSTER_ROLE,
    GROUP,
    ROLE,
    SERVICE_ACCOUNT,
    SERVICE_ACCOUNT_USER_PREFIX,
    USER,
    PolicyRule,
    Role,
    RoleBinding,
    RoleRef,
    Subject,
)


def applies_to(subject: Subject, user: User, binding_namespace: str) -> bool:
    """``appliesToUser``: whether one binding subject covers ``user``.

    Users match by exact name (``*`` is no wildcard), groups by membership, and a
    ServiceAccount by its user name; an SA subject without a namespace means
    ``binding_namespace`` (``""`` for a ClusterRoleBinding, where it matches nobody).

    Examples
    --------
    >>> from simkit.rules.rbac import service_account_user
    >>> sa = service_account_user("p", "builder")
    >>> applies_to(Subject("ServiceAccount", "builder"), sa, "p")
    True
    >>> applies_to(Subject("ServiceAccount", "builder"), sa, "")
    False
    >>> applies_to(Subject("Group", "system:serviceaccounts:p"), sa, "q")
    True
    >>> applies_to(Subject("User", "*"), User("bob"), "p")
    False
    """
    if subject.kind == USER:
        return user.name == subject.name
    if subject.kind == GROUP:
        return subject.name in user.groups
    if subject.kind == SERVICE_ACCOUNT:
        namespace = subject.namespace or binding_namespace
        if not namespace:
            return False
        return user.name == f"{SERVICE_ACCOUNT_USER_PREFIX}{namespace}:{subject.name}"
    return False


def first_applicable_subject(binding: RoleBinding, user: User) -> Subject | None:
    """``appliesTo``: the first subject of ``binding`` that covers ``user``, or None.

    The authorizer's reason names this subject.

    Examples
    --------
    >>> from simkit.state.rbac import RoleRef
    >>> b = RoleBinding("p", "x", RoleRef("ClusterRole", "view"),
    ...                 [Subject("User", "ann"), Subject("Group", "devs")])
    >>> first_applicable_subject(b, User("bob", ("devs",)))
    Subject(kind='Group', name='devs', namespace='')
    """
    for subject in binding.subjects:
        if applies_to(subject, user, binding.namespace):
            return subject
    return None


class RoleNotFound(LookupError):
    """A binding's ``roleRef`` names a role that does not exist (the lister's NotFound)."""


RolesLike = Mapping[tuple[str, str], Role] | Iterable[Role]
"""Roles by ``(namespace, name)`` key, or any iterable of roles."""


def index_roles(roles: RolesLike) -> Mapping[tuple[str, str], Role]:
    """``roles`` by ``(namespace, name)``: a mapping is returned as it is.

    Examples
    --------
    >>> list(index_roles([Role("", "view"), Role("p", "reader")]))
    [('', 'view'), ('p', 'reader')]
    """
    if isinstance(roles, Mapping):
        return roles
    return {role.key: role for role in roles}


def resolve_role(roles_by_key: RolesLike, role_ref: RoleRef, binding_namespace: str) -> Role:
    """``GetRoleReferenceRules``: the role a binding's ``roleRef`` points at.

    A ``Role`` is looked up in the binding's namespace (so a ClusterRoleBinding, whose
    namespace is ``""``, never finds one); a ``ClusterRole`` by name.

    Raises
    ------
    RoleNotFound
        With the API server's NotFound text, or ``unsupported role reference kind``.

    Examples
    --------
    >>> roles = {("", "view"): Role("", "view")}
    >>> resolve_role(roles, RoleRef("ClusterRole", "view"), "p").name
    'view'
    >>> try:
    ...     resolve_role(roles, RoleRef("Role", "view"), "p")
    ... except RoleNotFound as exc:
    ...     print(exc)
    role.rbac.authorization.k8s.io "view" not found
    """
    roles_by_key = index_roles(roles_by_key)
    if role_ref.kind == ROLE:
        role = roles_by_key.get((binding_namespace, role_ref.name)) if binding_namespace else None
        if role is None or role.namespace != binding_namespace:
            raise RoleNotFound(f'role.rbac.authorization.k8s.io "{role_ref.name}" not found')
        return role
    if role_ref.kind == CLUSTER_ROLE:
        role = roles_by_key.get(("", role_ref.name))
        if role is None:
            raise RoleNotFound(f'clusterrole.rbac.authorization.k8s.io "{role_ref.name}" not found')
        return role
    raise RoleNotFound(f'unsupported role reference kind: "{role_ref.kind}"')


def bindings_in_scope(bindings: Iterable[RoleBinding], namespace: str) -> list[RoleBinding]:
    """The bindings a request in ``namespace`` consults, in ``VisitRulesFor`` order.

    Every ClusterRoleBinding, then (only when ``namespace`` is not empty) the RoleBindings
    of ``namespace``; each group keeps the input order.

    Examples
    --------
    >>> from simkit.state.rbac import RoleRef
    >>> ref = RoleRef("ClusterRole", "view")
    >>> bs = [RoleBinding("a", "rb-a", ref), RoleBinding("", "crb", ref),
    ...       RoleBinding("b", "rb-b", ref)]
    >>> [b.name for b in bindings_in_scope(bs, "a")], [b.name for b in bindings_in_scope(bs, "")]
    (['crb', 'rb-a'], ['crb'])
    """
    bindings = list(bindings)
    ordered = [b for b in bindings if not b.namespace]
    if namespace:
        ordered += [b for b in bindings if b.namespace == namespace]
    return ordered


@dataclass(frozen=True, slots=True)
class AppliedBinding:
    """A binding in scope that applies to the user: its first matching subject, its role
    (None when the role is missing) and the resolution error text."""

    binding: RoleBinding
    subject: Subject
    role: Role | None
    error: str = ""


def applicable_bindings(
    roles: RolesLike, bindings: Iterable[RoleBinding], user: User, namespace: str
) -> Iterator[AppliedBinding]:
    """``VisitRulesFor`` one binding at a time: each binding in scope that applies to ``user``.

    Parameters
    ----------
    roles : mapping or iterable of Role
    bindings : iterable of RoleBinding
    user : User
    namespace : str
        The request's namespace (``""`` for a cluster-wide request).

    Yields
    ------
    AppliedBinding
        In :func:`bindings_in_scope` order, with the role resolved, or the error that
        ``GetRoleReferenceRules`` would report.

    Examples
    --------
    >>> from simkit.state.rbac import RoleRef
    >>> bs = [RoleBinding("p", "x", RoleRef("ClusterRole", "gone"), [Subject("User", "ann")])]
    >>> [v.error for v in applicable_bindings([], bs, User("ann"), "p")]
    ['clusterrole.rbac.authorization.k8s.io "gone" not found']
    """
    roles = index_roles(roles)
    for binding in bindings_in_scope(bindings, namespace):
        subject = first_applicable_subject(binding, user)
        if subject is None:
            continue
        try:
            role = resolve_role(roles, binding.role_ref, binding.namespace)
        except RoleNotFound as exc:
            yield AppliedBinding(binding, subject, None, str(exc))
            continue
        yield AppliedBinding(binding, subject, role)


def visit_rules(
    roles_by_key: RolesLike, bindings: Iterable[RoleBinding], attributes: Attributes
) -> Iterator[tuple[RoleBinding, Role, PolicyRule]]:
    """Every rule that applies to the requesting user in the request's namespace.

    Yields ``(binding, role, rule)`` in ``VisitRulesFor`` order: ClusterRoleBindings first,
    then (for a namespaced request) the RoleBindings of that namespace, each in input
    order, each role's rules in order.  Bindings whose role is missing yield nothing.

    Examples
    --------
    >>> from simkit.rules.rbac import service_account_user
    >>> roles = [Role("", "puller", [PolicyRule(["get"], [""], ["imagestreams/layers"])])]
    >>> rb = RoleBinding("b", "pullers", RoleRef("ClusterRole", "puller"),
    ...                  [Subject("Group", "system:serviceaccounts:a")])
    >>> attrs = Attributes.for_user(service_account_user("a", "default"), "get", "imagestreams",
    ...                             subresource="layers", namespace="b")
    >>> [(b.name, r.name) for b, r, _ in visit_rules(roles, [rb], attrs)]
    [('pullers', 'puller')]
    >>> list(visit_rules(roles, [rb], Attributes.for_user(
    ...     service_account_user("a", "default"), "get", "imagestreams", namespace="c")))
    []
    """
    user = attributes.user_info
    for visit in applicable_bindings(roles_by_key, bindings, user, attributes.namespace):
        if visit.role is not None:
            for rule in visit.role.rules:
                yield visit.binding, visit.role, rule

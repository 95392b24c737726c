"""Why a request is allowed (the chain that grants it) or why nothing allows it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from simkit.rules.rbac.authorizer import Decision, authorize
from simkit.rules.rbac.matching import first_allowing_rule
from simkit.rules.rbac.resolution import (
    RoleNotFound,
    RolesLike,
    applicable_bindings,
    bindings_in_scope,
    first_applicable_subject,
    index_roles,
    resolve_role,
)
from simkit.rules.rbac.users import Attributes, User
from simkit.state.rbac import GROUP, SERVICE_ACCOUNT, PolicyRule, Role, RoleBinding, Subject


def _matched_as(subject: Subject, user: User, binding_namespace: str) -> str:
    if subject.kind == GROUP:
        return f'user "{user.name}" is in group "{subject.name}"'
    if subject.kind == SERVICE_ACCOUNT:
        ns = subject.namespace or binding_namespace
        return f'user "{user.name}" is service account "{ns}/{subject.name}"'
    return f'user "{user.name}"'


def _role_name(role: Role) -> str:
    return (
        f'{role.kind} "{role.namespace}/{role.name}"'
        if role.namespace
        else f'{role.kind} "{role.name}"'
    )


def _binding_name(binding: RoleBinding) -> str:
    if binding.namespace:
        return f'RoleBinding "{binding.name}/{binding.namespace}"'
    return f'ClusterRoleBinding "{binding.name}"'


@dataclass(frozen=True)
class Grant:
    """One path to a permission: subject → (group) → binding → role → rule."""

    binding: RoleBinding
    subject: Subject | None
    role: Role
    rule: PolicyRule
    matched_as: str = ""

    def lines(self) -> list[str]:
        """The chain, one hop per line."""
        subject = self.subject.describe(self.binding.namespace) if self.subject else "nobody"
        return [
            self.matched_as,
            f"  -> {_binding_name(self.binding)} binds {subject}",
            f"  -> {_role_name(self.role)}",
            f"  -> rule {self.rule.compact()}",
        ]


@dataclass(frozen=True)
class Explanation:
    """Why a request is allowed, or why nothing allows it.

    Attributes
    ----------
    attributes : Attributes
    decision : Decision
        What :func:`authorize` answers.
    grants : tuple of Grant
        Every binding → role → rule in scope that allows the request, in visit order (the
        first is the one the authorizer reports).
    bound : tuple of (RoleBinding, Role or None, str)
        Bindings in scope that apply to the user, with their role (None if missing) and the
        resolution error, if any.
    not_bound : tuple of Grant
        Bindings in scope whose role allows the request but which do not bind this user
        (``matched_as`` empty).
    elsewhere : tuple of Grant
        RoleBindings of *other* namespaces that bind this user to a role that would allow
        the request there.
    """

    attributes: Attributes
    decision: Decision
    grants: tuple[Grant, ...] = ()
    bound: tuple[tuple[RoleBinding, Role | None, str], ...] = ()
    not_bound: tuple[Grant, ...] = ()
    elsewhere: tuple[Grant, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def allowed(self) -> bool:
        return self.decision.allowed

    def __str__(self) -> str:
        a = self.attributes
        head = f'user "{a.user}" {a.describe()}'
        if self.allowed:
            out = [f"{head}: allowed", f"  {self.decision.reason}"]
            for grant in self.grants:
                out += ["  " + line for line in grant.lines()]
            return "\n".join(out)
        out = [f"{head}: no RBAC rule allows it (NoOpinion)"]
        out += [f"  {note}" for note in self.notes]
        if self.bound:
            out.append("  bindings in scope that apply to this user grant nothing that matches:")
            for binding, role, error in self.bound:
                # the role is None exactly when it was not found (the error says why)
                target = error if role is None else f"{_role_name(role)}: no rule matches"
                out.append(f"    {_binding_name(binding)} -> {target}")
        else:
            out.append("  no binding in scope applies to this user")
        if self.not_bound:
            out.append("  in scope, these would allow it but do not bind this user:")
            for g in self.not_bound:
                subjects = ", ".join(s.describe(g.binding.namespace) for s in g.binding.subjects)
                out.append(
                    f"    {_binding_name(g.binding)} of {_role_name(g.role)} binds "
                    f"{subjects or 'no subjects'}"
                )
        if self.elsewhere:
            out.append("  this user holds roles that would allow it in other namespaces:")
            for g in self.elsewhere:
                out.append(f"    {_binding_name(g.binding)} of {_role_name(g.role)}")
        return "\n".join(out)


def explain(
    roles_by_key: RolesLike, bindings: Iterable[RoleBinding], attributes: Attributes
) -> Explanation:
    """The full chain that grants ``attributes``, or why nothing grants it.

    Parameters
    ----------
    roles_by_key : mapping or iterable of Role
    bindings : iterable of RoleBinding
        Bindings of every namespace; those of other namespaces feed ``elsewhere``.
    attributes : Attributes

    Returns
    -------
    Explanation
        ``str()`` of it reads as a report.

    Examples
    --------
    >>> from simkit.rules.rbac import service_account_user
    >>> from simkit.state.rbac import RoleRef
    >>> roles = [Role("", "puller", [PolicyRule(["get"], [""], ["imagestreams/layers"])])]
    >>> rb = RoleBinding("b", "pullers", RoleRef("ClusterRole", "puller"),
    ...                  [Subject("Group", "system:serviceaccounts:b")])
    >>> attrs = Attributes.for_user(service_account_user("a", "default"), "get", "imagestreams",
    ...                             subresource="layers", namespace="b")
    >>> print(explain(roles, [rb], attrs))
    user "system:serviceaccount:a:default" "get" resource "imagestreams/layers" in namespace \
"b": no RBAC rule allows it (NoOpinion)
      no binding in scope applies to this user
      in scope, these would allow it but do not bind this user:
        RoleBinding "pullers/b" of ClusterRole "puller" binds Group "system:serviceaccounts:b"
    >>> rb.subjects.append(Subject("ServiceAccount", "default", "a"))
    >>> print(explain(roles, [rb], attrs))
    user "system:serviceaccount:a:default" "get" resource "imagestreams/layers" in namespace \
"b": allowed
      RBAC: allowed by RoleBinding "pullers/b" of ClusterRole "puller" to ServiceAccount \
"default/a"
      user "system:serviceaccount:a:default" is service account "a/default"
        -> RoleBinding "pullers/b" binds ServiceAccount "default/a"
        -> ClusterRole "puller"
        -> rule {APIGroups:[""], Resources:["imagestreams/layers"], Verbs:["get"]}
    """
    roles = index_roles(roles_by_key)
    bindings = list(bindings)
    user = attributes.user_info
    decision = authorize(roles, bindings, attributes)
    grants: list[Grant] = []
    bound: list[tuple[RoleBinding, Role | None, str]] = []
    for visit in applicable_bindings(roles, bindings, user, attributes.namespace):
        role = visit.role
        rule = first_allowing_rule(role.rules, attributes) if role is not None else None
        if role is None or rule is None:
            bound.append((visit.binding, role, visit.error))
            continue
        grants.append(
            Grant(
                visit.binding,
                visit.subject,
                role,
                rule,
                _matched_as(visit.subject, user, visit.binding.namespace),
            )
        )

    def allowing(binding: RoleBinding) -> tuple[Role, PolicyRule] | None:
        try:
            role = resolve_role(roles, binding.role_ref, binding.namespace)
        except RoleNotFound:
            return None
        rule = first_allowing_rule(role.rules, attributes)
        return None if rule is None else (role, rule)

    in_scope = bindings_in_scope(bindings, attributes.namespace)
    not_bound: list[Grant] = []
    for binding in in_scope:
        found = None if first_applicable_subject(binding, user) else allowing(binding)
        if found is not None:
            not_bound.append(Grant(binding, None, *found))
    elsewhere: list[Grant] = []
    if attributes.resource_request and attributes.namespace:
        scoped = {id(b) for b in in_scope}
        for binding in bindings:
            subject = first_applicable_subject(binding, user)
            if id(binding) in scoped or subject is None:
                continue
            found = allowing(binding)
            if found is not None:
                elsewhere.append(
                    Grant(binding, subject, *found, _matched_as(subject, user, binding.namespace))
                )
    notes = []
    if not attributes.namespace and attributes.resource_request:
        notes.append("the request is cluster-wide, so only ClusterRoleBindings count")
    return Explanation(
        attributes,
        decision,
        tuple(grants),
        tuple(bound),
        tuple(not_bound),
        tuple(elsewhere),
        tuple(notes),
    )

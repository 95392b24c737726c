"""The RBAC authorizer (``plugin/pkg/auth/authorizer/rbac/rbac.go`` ``Authorize``)."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from simkit.rules.rbac.matching import rule_allows
from simkit.rules.rbac.resolution import RolesLike, applicable_bindings
from simkit.rules.rbac.users import Attributes
from simkit.state.rbac import PolicyRule, Role, RoleBinding, Subject


class DecisionKind(enum.Enum):
    """``authorizer.Decision``; RBAC only ever allows or has no opinion."""

    ALLOW = "Allow"
    NO_OPINION = "NoOpinion"


ALLOW = DecisionKind.ALLOW
NO_OPINION = DecisionKind.NO_OPINION


def describe_source(binding: RoleBinding, subject: Subject) -> str:
    """The ``clusterRoleBindingDescriber``/``roleBindingDescriber`` string.

    Examples
    --------
    >>> from simkit.state.rbac import RoleRef
    >>> b = RoleBinding("p", "builders", RoleRef("ClusterRole", "system:image-builder"),
    ...                 [Subject("ServiceAccount", "builder")])
    >>> describe_source(b, b.subjects[0])
    'RoleBinding "builders/p" of ClusterRole "system:image-builder" to ServiceAccount "builder/p"'
    """
    ref = binding.role_ref
    if binding.namespace:
        return (
            f'RoleBinding "{binding.name}/{binding.namespace}" of {ref.kind} "{ref.name}" '
            f"to {subject.describe(binding.namespace)}"
        )
    return f'ClusterRoleBinding "{binding.name}" of {ref.kind} "{ref.name}" to {subject.describe()}'


def aggregate_errors(errors: list[str]) -> str:
    """``utilerrors.NewAggregate(errs).Error()``: one message, or ``[a, b]`` deduplicated.

    Examples
    --------
    >>> aggregate_errors(["x not found"]), aggregate_errors(["a", "b", "a"])
    ('x not found', '[a, b]')
    """
    unique = list(dict.fromkeys(errors))
    if len(errors) == 1 or len(unique) == 1:
        return unique[0]
    return "[" + ", ".join(unique) + "]"


@dataclass(frozen=True)
class Decision:
    """The authorizer's answer: ALLOW with the source that allowed, or NO_OPINION.

    ``reason`` is the RBAC authorizer's string: ``RBAC: allowed by ...`` on ALLOW, and on
    NO_OPINION empty or ``RBAC: <errors resolving roles>``.  ``bool(decision)`` is
    ``decision.allowed``.
    """

    kind: DecisionKind
    reason: str = ""
    binding: RoleBinding | None = None
    subject: Subject | None = None
    role: Role | None = None
    rule: PolicyRule | None = None

    @property
    def allowed(self) -> bool:
        """Whether the request is allowed."""
        return self.kind is ALLOW

    def __bool__(self) -> bool:
        return self.allowed


def authorize(
    roles_by_key: RolesLike, bindings: Iterable[RoleBinding], attributes: Attributes
) -> Decision:
    """``RBACAuthorizer.Authorize``: the first rule that allows the request, if any.

    Parameters
    ----------
    roles_by_key : mapping or iterable of Role
        Roles and ClusterRoles, by ``(namespace, name)`` or as a list.
    bindings : iterable of RoleBinding
        RoleBindings and ClusterRoleBindings of every namespace.
    attributes : Attributes
        The request.

    Returns
    -------
    Decision

    Examples
    --------
    >>> from simkit.rules.rbac import Attributes, authenticated_user
    >>> from simkit.state.rbac import RoleRef, Subject
    >>> roles = [Role("", "puller", [PolicyRule(["get"], [""], ["imagestreams/layers"])])]
    >>> crb = RoleBinding("", "everyone-pulls", RoleRef("ClusterRole", "puller"),
    ...                   [Subject("Group", "system:authenticated")])
    >>> attrs = Attributes.for_user(authenticated_user("bob"), "get", "imagestreams",
    ...                             subresource="layers", namespace="p")
    >>> authorize(roles, [crb], attrs).reason
    'RBAC: allowed by ClusterRoleBinding "everyone-pulls" of ClusterRole "puller" to Group \
"system:authenticated"'
    >>> d = authorize(roles, [], attrs)
    >>> d.kind, d.reason
    (<DecisionKind.NO_OPINION: 'NoOpinion'>, '')
    """
    errors: list[str] = []
    user = attributes.user_info
    for visit in applicable_bindings(roles_by_key, bindings, user, attributes.namespace):
        if visit.role is None:
            errors.append(visit.error)
            continue
        for rule in visit.role.rules:
            if rule_allows(rule, attributes):
                reason = "RBAC: allowed by " + describe_source(visit.binding, visit.subject)
                return Decision(ALLOW, reason, visit.binding, visit.subject, visit.role, rule)
    return Decision(NO_OPINION, "RBAC: " + aggregate_errors(errors) if errors else "")

"""Who may do something: the subject locator behind ``oc adm policy who-can``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from simkit.rules.rbac.authorizer import aggregate_errors
from simkit.rules.rbac.matching import first_allowing_rule
from simkit.rules.rbac.resolution import (
    RoleNotFound,
    RolesLike,
    bindings_in_scope,
    index_roles,
    resolve_role,
)
from simkit.rules.rbac.users import Attributes
from simkit.state.rbac import (
    GROUP,
    SERVICE_ACCOUNT,
    SERVICE_ACCOUNT_USER_PREFIX,
    USER,
    RoleBinding,
    Subject,
)

PRIVILEGED_GROUP = "system:masters"
"""``user.SystemPrivilegedGroup``; the subject locator always lists it."""


@dataclass(frozen=True)
class WhoCan:
    """The users and groups that may perform an action (a ResourceAccessReview response).

    ``users`` hold service accounts as ``system:serviceaccount:<ns>:<name>``, as the review
    reports them; ``service_accounts`` lists those as ``(namespace, name)``.  ``str()``
    prints the report of ``oc adm policy who-can``.
    """

    verb: str
    resource: str
    namespace: str
    users: tuple[str, ...]
    groups: tuple[str, ...]
    evaluation_error: str = ""

    @property
    def service_accounts(self) -> tuple[tuple[str, str], ...]:
        out = []
        for user in self.users:
            if user.startswith(SERVICE_ACCOUNT_USER_PREFIX):
                ns, _, name = user[len(SERVICE_ACCOUNT_USER_PREFIX) :].partition(":")
                out.append((ns, name))
        return tuple(out)

    def __str__(self) -> str:
        out = [
            f"Namespace: {self.namespace or '<all>'}",
            f"Verb:      {self.verb}",
            f"Resource:  {self.resource}",
        ]
        if self.users:
            out.append("\nUsers:  " + "\n        ".join(self.users))
        else:
            out.append("\nUsers:  none")
        if self.groups:
            out.append("Groups: " + "\n        ".join(self.groups))
        else:
            out.append("\nGroups: none")
        if self.evaluation_error:
            out.append(
                f"\nError during evaluation, results may not be complete: {self.evaluation_error}"
            )
        return "\n".join(out) + "\n"


def who_can(
    verb: str,
    resource: str,
    subresource: str,
    namespace: str,
    name: str,
    roles: RolesLike,
    bindings: Iterable[RoleBinding],
    *,
    api_group: str | None = None,
) -> WhoCan:
    """Who may perform an action: ``oc adm policy who-can VERB RESOURCE [NAME]``.

    Restates ``SubjectAccessEvaluator.AllowedSubjects``: the ``system:masters`` group, plus
    the subjects of every ClusterRoleBinding and (for a namespace) every RoleBinding of that
    namespace whose role allows the action; then ``RBACSubjectsToUsersAndGroups``, which
    turns ServiceAccounts into user names, defaulting an empty SA namespace to the review's.

    Parameters
    ----------
    verb, resource, subresource, namespace, name : str
        The action.  ``resource`` may be written ``resource.group`` (as oc parses it) when
        ``api_group`` is None, and ``resource/subresource`` when ``subresource`` is empty.
        An empty ``namespace`` asks cluster-wide (``--all-namespaces``).
    roles : mapping or iterable of Role
    bindings : iterable of RoleBinding
    api_group : str, optional
        The API group; by default taken from ``resource``.

    Returns
    -------
    WhoCan
        Sorted, de-duplicated users and groups.

    Examples
    --------
    >>> from simkit.state.rbac import PolicyRule, Role, RoleBinding, RoleRef
    >>> roles = [Role("", "puller", [PolicyRule(["get"], ["image.openshift.io"],
    ...                                         ["imagestreams/layers"])])]
    >>> rb = RoleBinding("p", "pullers", RoleRef("ClusterRole", "puller"),
    ...                  [Subject("Group", "system:serviceaccounts:p"),
    ...                   Subject("ServiceAccount", "builder")])
    >>> print(who_can("get", "imagestreams.image.openshift.io", "layers", "p", "",
    ...               roles, [rb]))
    Namespace: p
    Verb:      get
    Resource:  imagestreams.image.openshift.io/layers
    <BLANKLINE>
    Users:  system:serviceaccount:p:builder
    Groups: system:masters
            system:serviceaccounts:p
    <BLANKLINE>
    """
    if not subresource and "/" in resource:
        resource, _, subresource = resource.partition("/")
    if api_group is None:
        resource, _, api_group = resource.partition(".")
    attributes = Attributes("", (), verb, namespace, api_group, resource, subresource, name)
    roles = index_roles(roles)
    subjects: list[Subject] = [Subject(GROUP, PRIVILEGED_GROUP)]
    errors: list[str] = []
    for binding in bindings_in_scope(bindings, namespace):
        try:
            role = resolve_role(roles, binding.role_ref, binding.namespace)
        except RoleNotFound as exc:
            errors.append(str(exc))
            continue
        if first_allowing_rule(role.rules, attributes) is not None:
            subjects.extend(binding.subjects)
    users, groups = set(), set()
    for subject in subjects:
        if subject.kind == GROUP:
            groups.add(subject.name)
        elif subject.kind == USER:
            users.add(subject.name)
        elif subject.kind == SERVICE_ACCOUNT and (subject.namespace or namespace):
            ns = subject.namespace or namespace
            users.add(f"{SERVICE_ACCOUNT_USER_PREFIX}{ns}:{subject.name}")
    display = (
        resource
        + (f".{api_group}" if api_group else "")
        + (f"/{subresource}" if subresource else "")
    )
    return WhoCan(
        verb,
        display,
        namespace,
        tuple(sorted(users)),
        tuple(sorted(groups)),
        aggregate_errors(errors) if errors else "",
    )

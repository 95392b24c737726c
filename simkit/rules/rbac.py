"""RBAC evaluation: pure functions of roles, bindings and a request.

Each function restates one upstream helper:

- matching (kubernetes ``pkg/apis/rbac/v1/evaluation_helpers.go``): :func:`verb_matches`,
  :func:`api_group_matches`, :func:`resource_matches`, :func:`resource_name_matches`,
  :func:`non_resource_url_matches`, and ``RuleAllows`` of
  ``plugin/pkg/auth/authorizer/rbac/rbac.go`` as :func:`rule_allows`;
- rule resolution (``pkg/registry/rbac/validation/rule.go``): :func:`applies_to`,
  :func:`visit_rules` (ClusterRoleBindings first, then the RoleBindings of the request's
  namespace; a RoleBinding to a ClusterRole grants it only in the binding's namespace);
- the authorizer (``RBACAuthorizer.Authorize``): :func:`authorize` returns ALLOW with the
  upstream reason string, or NO_OPINION (RBAC never denies);
- the subject locator (``subject_locator.go``) behind OpenShift's resource access review, as
  ``oc adm policy who-can`` prints it: :func:`who_can`;
- :func:`explain`, simkit's own: the chain that grants a request, or why nothing does;
- ClusterRole aggregation: :func:`aggregate_cluster_roles` (in :mod:`.rbac_aggregation`).

Users are ``(name, groups)`` as the authenticators produce them: see
:func:`service_account_user`, :func:`authenticated_user` and :func:`anonymous_user`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from simkit.rules.rbac_aggregation import aggregate_cluster_roles, aggregated_rules
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

__all__ = [
    "ALLOW",
    "ALL_AUTHENTICATED",
    "ALL_UNAUTHENTICATED",
    "ANONYMOUS",
    "NO_OPINION",
    "PRIVILEGED_GROUP",
    "Attributes",
    "Decision",
    "Explanation",
    "Grant",
    "RoleNotFound",
    "User",
    "WhoCan",
    "aggregate_cluster_roles",
    "aggregated_rules",
    "anonymous_user",
    "api_group_matches",
    "applies_to",
    "authenticated_user",
    "authorize",
    "explain",
    "non_resource_url_matches",
    "resolve_role",
    "resource_matches",
    "resource_name_matches",
    "rule_allows",
    "service_account_user",
    "verb_matches",
    "visit_rules",
    "who_can",
]

ALL = "*"
"""``VerbAll``, ``APIGroupAll``, ``ResourceAll`` and ``NonResourceAll``."""

ALL_AUTHENTICATED = "system:authenticated"
ALL_UNAUTHENTICATED = "system:unauthenticated"
ANONYMOUS = "system:anonymous"
PRIVILEGED_GROUP = "system:masters"
"""``user.SystemPrivilegedGroup``; the subject locator always lists it."""
SERVICE_ACCOUNTS_GROUP = "system:serviceaccounts"


# --- users and requests ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class User:
    """An authenticated identity: a user name and its groups (``user.Info``)."""

    name: str
    groups: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.groups, str):
            raise TypeError("groups must be a sequence of strings, not a string")
        object.__setattr__(self, "groups", tuple(self.groups))


def service_account_user(namespace: str, name: str) -> User:
    """The user a ServiceAccount token authenticates as.

    ``serviceaccount.UserInfo`` gives the name ``system:serviceaccount:<ns>:<name>`` and
    the groups ``system:serviceaccounts`` and ``system:serviceaccounts:<ns>``; the
    authenticator then adds ``system:authenticated``.

    Examples
    --------
    >>> service_account_user("a", "default")
    User(name='system:serviceaccount:a:default', groups=('system:serviceaccounts', \
'system:serviceaccounts:a', 'system:authenticated'))
    """
    return User(
        f"{SERVICE_ACCOUNT_USER_PREFIX}{namespace}:{name}",
        (SERVICE_ACCOUNTS_GROUP, f"{SERVICE_ACCOUNTS_GROUP}:{namespace}", ALL_AUTHENTICATED),
    )


def authenticated_user(name: str, groups: Iterable[str] = ()) -> User:
    """A user as the authenticator chain returns it: ``system:authenticated`` added.

    Like ``AuthenticatedGroupAdder``, nothing is added when the groups already hold
    ``system:authenticated`` or ``system:unauthenticated``.

    Examples
    --------
    >>> authenticated_user("alice", ["developers"])
    User(name='alice', groups=('developers', 'system:authenticated'))
    """
    groups = tuple(groups)
    if ALL_AUTHENTICATED in groups or ALL_UNAUTHENTICATED in groups:
        return User(name, groups)
    return User(name, (*groups, ALL_AUTHENTICATED))


def anonymous_user() -> User:
    """``system:anonymous`` in ``system:unauthenticated`` (the anonymous authenticator).

    Examples
    --------
    >>> anonymous_user()
    User(name='system:anonymous', groups=('system:unauthenticated',))
    """
    return User(ANONYMOUS, (ALL_UNAUTHENTICATED,))


@dataclass(frozen=True, slots=True)
class Attributes:
    """An authorization request (``authorizer.Attributes``).

    ``resource_request`` False makes it a non-resource request for ``path``.

    Examples
    --------
    >>> attrs = Attributes.for_user(service_account_user("a", "default"), "get",
    ...     "imagestreams", subresource="layers", api_group="image.openshift.io",
    ...     namespace="b", name="ruby")
    >>> attrs.combined_resource
    'imagestreams/layers'
    >>> attrs.describe()
    '"get" resource "imagestreams.image.openshift.io/layers" named "ruby" in namespace "b"'
    """

    user: str
    groups: tuple[str, ...] = ()
    verb: str = ""
    namespace: str = ""
    api_group: str = ""
    resource: str = ""
    subresource: str = ""
    name: str = ""
    path: str = ""
    resource_request: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.groups, str):
            raise TypeError("groups must be a sequence of strings, not a string")
        object.__setattr__(self, "groups", tuple(self.groups))

    @classmethod
    def for_user(cls, user: User, verb: str, resource: str, *, subresource: str = "",
                 api_group: str = "", namespace: str = "", name: str = "") -> Attributes:
        """A resource request by ``user``."""
        return cls(user.name, user.groups, verb, namespace, api_group, resource, subresource,
                   name)

    @classmethod
    def non_resource(cls, user: User, verb: str, path: str) -> Attributes:
        """A non-resource request (``/healthz``, ``/apis``...) by ``user``."""
        return cls(user.name, user.groups, verb, path=path, resource_request=False)

    @property
    def user_info(self) -> User:
        """The requesting :class:`User`."""
        return User(self.user, self.groups)

    @property
    def combined_resource(self) -> str:
        """``resource/subresource``, or ``resource`` when there is no subresource."""
        return f"{self.resource}/{self.subresource}" if self.subresource else self.resource

    def describe(self) -> str:
        """The operation and scope as the RBAC authorizer logs a denial."""
        if not self.resource_request:
            return f'"{self.verb}" nonResourceURL "{self.path}"'
        text = f'"{self.verb}" resource "{self.resource}'
        if self.api_group:
            text += f".{self.api_group}"
        if self.subresource:
            text += f"/{self.subresource}"
        text += '"'
        if self.name:
            text += f' named "{self.name}"'
        scope = f'in namespace "{self.namespace}"' if self.namespace else "cluster-wide"
        return f"{text} {scope}"


# --- rule matching (evaluation_helpers.go) -----------------------------------------------


def verb_matches(rule: PolicyRule, verb: str) -> bool:
    """``VerbMatches``: ``*`` or the exact, case-sensitive verb.

    Examples
    --------
    >>> verb_matches(PolicyRule(["get", "list"]), "list")
    True
    >>> verb_matches(PolicyRule(["get"]), "GET")
    False
    """
    return any(v in (ALL, verb) for v in rule.verbs)


def api_group_matches(rule: PolicyRule, group: str) -> bool:
    """``APIGroupMatches``: ``*`` or the exact group (``""`` is the core group).

    Examples
    --------
    >>> api_group_matches(PolicyRule(["get"], ["", "image.openshift.io"]), "image.openshift.io")
    True
    >>> api_group_matches(PolicyRule(["get"], [""]), "apps")
    False
    """
    return any(g in (ALL, group) for g in rule.api_groups)


def resource_matches(rule: PolicyRule, combined: str, subresource: str) -> bool:
    """``ResourceMatches``: ``*``, the exact ``resource[/subresource]``, or ``*/subresource``.

    ``pods/*`` is **not** a wildcard (only the literal string), and a bare ``pods`` does not
    cover ``pods/log``.

    Examples
    --------
    >>> rule = PolicyRule(["get"], ["*"], ["imagestreams/layers", "*/scale"])
    >>> resource_matches(rule, "imagestreams/layers", "layers")
    True
    >>> resource_matches(rule, "deployments/scale", "scale")
    True
    >>> resource_matches(rule, "imagestreams", "")
    False
    >>> resource_matches(PolicyRule(["get"], [""], ["pods/*"]), "pods/log", "log")
    False
    """
    for resource in rule.resources:
        if resource in (ALL, combined):
            return True
        if (subresource and len(resource) == len(subresource) + 2
                and resource.startswith("*/") and resource.endswith(subresource)):
            return True
    return False


def resource_name_matches(rule: PolicyRule, name: str) -> bool:
    """``ResourceNameMatches``: no names match any request; else the exact name.

    Examples
    --------
    >>> resource_name_matches(PolicyRule(["get"]), "")
    True
    >>> resource_name_matches(PolicyRule(["get"], resource_names=["ruby"]), "")
    False
    """
    if not rule.resource_names:
        return True
    return name in rule.resource_names


def non_resource_url_matches(rule: PolicyRule, url: str) -> bool:
    """``NonResourceURLMatches``: ``*``, the exact URL, or a trailing-``*`` prefix.

    Examples
    --------
    >>> non_resource_url_matches(PolicyRule(["get"], non_resource_urls=["/apis/*"]), "/apis/v1")
    True
    >>> non_resource_url_matches(PolicyRule(["get"], non_resource_urls=["/apis/*"]), "/apis")
    False
    """
    for rule_url in rule.non_resource_urls:
        if rule_url in (ALL, url):
            return True
        if rule_url.endswith("*") and url.startswith(rule_url.rstrip("*")):
            return True
    return False


def rule_allows(rule: PolicyRule, attributes: Attributes) -> bool:
    """``RuleAllows``: verb, group, resource and name (or verb and URL) all match.

    Examples
    --------
    >>> rule = PolicyRule(["get"], ["", "image.openshift.io"], ["imagestreams/layers"])
    >>> rule_allows(rule, Attributes("u", verb="get", api_group="image.openshift.io",
    ...                              resource="imagestreams", subresource="layers"))
    True
    >>> rule_allows(rule, Attributes("u", verb="update", api_group="image.openshift.io",
    ...                              resource="imagestreams", subresource="layers"))
    False
    """
    if attributes.resource_request:
        return (verb_matches(rule, attributes.verb)
                and api_group_matches(rule, attributes.api_group)
                and resource_matches(rule, attributes.combined_resource, attributes.subresource)
                and resource_name_matches(rule, attributes.name))
    return verb_matches(rule, attributes.verb) and non_resource_url_matches(rule, attributes.path)


# --- rule resolution (rule.go) -----------------------------------------------------------


def applies_to(subject: Subject, user: User, binding_namespace: str) -> bool:
    """``appliesToUser``: whether one binding subject covers ``user``.

    Users match by exact name (``*`` is no wildcard), groups by membership, and a
    ServiceAccount by its user name; an SA subject without a namespace means
    ``binding_namespace`` (``""`` for a ClusterRoleBinding, where it matches nobody).

    Examples
    --------
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


def _first_subject(binding: RoleBinding, user: User) -> Subject | None:
    """``appliesTo``: the first subject of ``binding`` that covers ``user``."""
    for subject in binding.subjects:
        if applies_to(subject, user, binding.namespace):
            return subject
    return None


class RoleNotFound(LookupError):
    """A binding's ``roleRef`` names a role that does not exist (the lister's NotFound)."""


RolesLike = Mapping[tuple[str, str], Role] | Iterable[Role]
"""Roles by ``(namespace, name)`` key, or any iterable of roles."""


def _index(roles: RolesLike) -> Mapping[tuple[str, str], Role]:
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
    roles_by_key = _index(roles_by_key)
    if role_ref.kind == ROLE:
        role = roles_by_key.get((binding_namespace, role_ref.name)) if binding_namespace else None
        if role is None or role.namespace != binding_namespace:
            raise RoleNotFound(f'role.rbac.authorization.k8s.io "{role_ref.name}" not found')
        return role
    if role_ref.kind == CLUSTER_ROLE:
        role = roles_by_key.get(("", role_ref.name))
        if role is None:
            raise RoleNotFound(f'clusterrole.rbac.authorization.k8s.io "{role_ref.name}" '
                               "not found")
        return role
    raise RoleNotFound(f'unsupported role reference kind: "{role_ref.kind}"')


def _in_scope(bindings: Iterable[RoleBinding], namespace: str) -> list[RoleBinding]:
    """ClusterRoleBindings, then the RoleBindings of ``namespace`` (if any), in input order."""
    bindings = list(bindings)
    ordered = [b for b in bindings if not b.namespace]
    if namespace:
        ordered += [b for b in bindings if b.namespace == namespace]
    return ordered


@dataclass(frozen=True, slots=True)
class _Visit:
    binding: RoleBinding
    subject: Subject
    role: Role | None
    error: str = ""


def _walk(roles: RolesLike, bindings: Iterable[RoleBinding], user: User,
          namespace: str) -> Iterator[_Visit]:
    """``VisitRulesFor`` at binding granularity: each applicable binding and its role."""
    roles = _index(roles)
    for binding in _in_scope(bindings, namespace):
        subject = _first_subject(binding, user)
        if subject is None:
            continue
        try:
            role = resolve_role(roles, binding.role_ref, binding.namespace)
        except RoleNotFound as exc:
            yield _Visit(binding, subject, None, str(exc))
            continue
        yield _Visit(binding, subject, role)


def visit_rules(roles_by_key: RolesLike, bindings: Iterable[RoleBinding],
                attributes: Attributes) -> Iterator[tuple[RoleBinding, Role, PolicyRule]]:
    """Every rule that applies to the requesting user in the request's namespace.

    Yields ``(binding, role, rule)`` in ``VisitRulesFor`` order: ClusterRoleBindings first,
    then (for a namespaced request) the RoleBindings of that namespace, each in input
    order, each role's rules in order.  Bindings whose role is missing yield nothing.

    Examples
    --------
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
    for visit in _walk(roles_by_key, bindings, attributes.user_info, attributes.namespace):
        if visit.role is not None:
            for rule in visit.role.rules:
                yield visit.binding, visit.role, rule


# --- the authorizer ----------------------------------------------------------------------


class DecisionKind(enum.Enum):
    """``authorizer.Decision``; RBAC only ever allows or has no opinion."""

    ALLOW = "Allow"
    NO_OPINION = "NoOpinion"


ALLOW = DecisionKind.ALLOW
NO_OPINION = DecisionKind.NO_OPINION


def _source(binding: RoleBinding, subject: Subject) -> str:
    """The ``clusterRoleBindingDescriber``/``roleBindingDescriber`` string."""
    ref = binding.role_ref
    if binding.namespace:
        return (f'RoleBinding "{binding.name}/{binding.namespace}" of {ref.kind} "{ref.name}" '
                f"to {subject.describe(binding.namespace)}")
    return f'ClusterRoleBinding "{binding.name}" of {ref.kind} "{ref.name}" to {subject.describe()}'


def _aggregate_errors(errors: list[str]) -> str:
    """``utilerrors.NewAggregate(errs).Error()``: one message, or ``[a, b]`` deduplicated."""
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


def authorize(roles_by_key: RolesLike, bindings: Iterable[RoleBinding],
              attributes: Attributes) -> Decision:
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
    for visit in _walk(roles_by_key, bindings, attributes.user_info, attributes.namespace):
        if visit.role is None:
            errors.append(visit.error)
            continue
        for rule in visit.role.rules:
            if rule_allows(rule, attributes):
                return Decision(ALLOW, "RBAC: allowed by " + _source(visit.binding, visit.subject),
                                visit.binding, visit.subject, visit.role, rule)
    return Decision(NO_OPINION, "RBAC: " + _aggregate_errors(errors) if errors else "")


# --- explain -----------------------------------------------------------------------------


def _matched_as(subject: Subject, user: User, binding_namespace: str) -> str:
    if subject.kind == GROUP:
        return f'user "{user.name}" is in group "{subject.name}"'
    if subject.kind == SERVICE_ACCOUNT:
        ns = subject.namespace or binding_namespace
        return f'user "{user.name}" is service account "{ns}/{subject.name}"'
    return f'user "{user.name}"'


def _role_name(role: Role) -> str:
    return f'{role.kind} "{role.namespace}/{role.name}"' if role.namespace else \
        f'{role.kind} "{role.name}"'


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
                target = error or f"{_role_name(role)}: no rule matches"
                out.append(f"    {_binding_name(binding)} -> {target}")
        else:
            out.append("  no binding in scope applies to this user")
        if self.not_bound:
            out.append("  in scope, these would allow it but do not bind this user:")
            for g in self.not_bound:
                subjects = ", ".join(s.describe(g.binding.namespace) for s in g.binding.subjects)
                out.append(f"    {_binding_name(g.binding)} of {_role_name(g.role)} binds "
                           f"{subjects or 'no subjects'}")
        if self.elsewhere:
            out.append("  this user holds roles that would allow it in other namespaces:")
            for g in self.elsewhere:
                out.append(f"    {_binding_name(g.binding)} of {_role_name(g.role)}")
        return "\n".join(out)


def _allowing_rule(role: Role, attributes: Attributes) -> PolicyRule | None:
    return next((rule for rule in role.rules if rule_allows(rule, attributes)), None)


def explain(roles_by_key: RolesLike, bindings: Iterable[RoleBinding],
            attributes: Attributes) -> Explanation:
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
    roles = _index(roles_by_key)
    bindings = list(bindings)
    user = attributes.user_info
    decision = authorize(roles, bindings, attributes)
    grants: list[Grant] = []
    bound: list[tuple[RoleBinding, Role | None, str]] = []
    for visit in _walk(roles, bindings, user, attributes.namespace):
        rule = _allowing_rule(visit.role, attributes) if visit.role is not None else None
        if rule is None:
            bound.append((visit.binding, visit.role, visit.error))
            continue
        grants.append(Grant(visit.binding, visit.subject, visit.role, rule,
                            _matched_as(visit.subject, user, visit.binding.namespace)))
    not_bound: list[Grant] = []
    elsewhere: list[Grant] = []
    for binding in bindings:
        in_scope = not binding.namespace or binding.namespace == attributes.namespace
        subject = _first_subject(binding, user)
        if (in_scope and subject is not None) or (not in_scope and subject is None):
            continue
        try:
            role = resolve_role(roles, binding.role_ref, binding.namespace)
        except RoleNotFound:
            continue
        rule = _allowing_rule(role, attributes)
        if rule is None:
            continue
        if in_scope:
            not_bound.append(Grant(binding, None, role, rule))
        elif attributes.resource_request and attributes.namespace:
            elsewhere.append(Grant(binding, subject, role, rule,
                                   _matched_as(subject, user, binding.namespace)))
    notes = []
    if not attributes.namespace and attributes.resource_request:
        notes.append("the request is cluster-wide, so only ClusterRoleBindings count")
    return Explanation(attributes, decision, tuple(grants), tuple(bound), tuple(not_bound),
                       tuple(elsewhere), tuple(notes))


# --- who can (subject_locator.go + oc adm policy who-can) --------------------------------


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
                ns, _, name = user[len(SERVICE_ACCOUNT_USER_PREFIX):].partition(":")
                out.append((ns, name))
        return tuple(out)

    def __str__(self) -> str:
        out = [f"Namespace: {self.namespace or '<all>'}", f"Verb:      {self.verb}",
               f"Resource:  {self.resource}"]
        if self.users:
            out.append("\nUsers:  " + "\n        ".join(self.users))
        else:
            out.append("\nUsers:  none")
        if self.groups:
            out.append("Groups: " + "\n        ".join(self.groups))
        else:
            out.append("\nGroups: none")
        if self.evaluation_error:
            out.append(f"\nError during evaluation, results may not be complete: "
                       f"{self.evaluation_error}")
        return "\n".join(out) + "\n"


def who_can(verb: str, resource: str, subresource: str, namespace: str, name: str,
            roles: RolesLike, bindings: Iterable[RoleBinding], *,
            api_group: str | None = None) -> WhoCan:
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
    roles = _index(roles)
    subjects: list[Subject] = [Subject(GROUP, PRIVILEGED_GROUP)]
    errors: list[str] = []
    for binding in _in_scope(bindings, namespace):
        try:
            role = resolve_role(roles, binding.role_ref, binding.namespace)
        except RoleNotFound as exc:
            errors.append(str(exc))
            continue
        if _allowing_rule(role, attributes) is not None:
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
    display = resource + (f".{api_group}" if api_group else "") + (
        f"/{subresource}" if subresource else "")
    return WhoCan(verb, display, namespace, tuple(sorted(users)), tuple(sorted(groups)),
                  _aggregate_errors(errors) if errors else "")

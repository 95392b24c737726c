"""Roles and role bindings as plain data, in the shape of ``rbac.authorization.k8s.io/v1``.

The classes mirror kubernetes ``staging/src/k8s.io/api/rbac/v1/types.go``.  A namespace of
``""`` marks the cluster-scoped kinds: a :class:`Role` with no namespace is a ClusterRole and
a :class:`RoleBinding` with no namespace is a ClusterRoleBinding.

Manifests in and out (``role_from_dict``, ``binding_to_dict`` ...) live in
:mod:`simkit.manifests.rbac`.  Behaviour (matching, authorizing, aggregating) lives in
:mod:`simkit.rules.rbac`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

RBAC_GROUP = "rbac.authorization.k8s.io"
"""``rbacv1.GroupName``: the API group of roles, bindings, and User/Group subjects."""

RBAC_API_VERSIONS = (f"{RBAC_GROUP}/v1", f"{RBAC_GROUP}/v1beta1")
OPENSHIFT_API_VERSION = "authorization.openshift.io/v1"

USER = "User"
GROUP = "Group"
SERVICE_ACCOUNT = "ServiceAccount"
SUBJECT_KINDS = (SERVICE_ACCOUNT, USER, GROUP)
"""The kinds RBAC validation accepts, in the order its error message lists them."""

ROLE = "Role"
CLUSTER_ROLE = "ClusterRole"

SERVICE_ACCOUNT_USER_PREFIX = "system:serviceaccount:"
"""``serviceaccount.ServiceAccountUsernamePrefix``."""

_DNS1123_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z")
_DNS1123_SUBDOMAIN = re.compile(
    r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z"
)
_SELECTOR_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


def _strings(values: Iterable[str] | None, what: str) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        raise TypeError(f"{what} must be a sequence of strings, not the string {values!r}")
    return tuple(values)


def _quote_list(values: Iterable[str]) -> str:
    """Go's ``%q`` of a ``[]string``: ``["a" "b"]``."""
    return (
        "["
        + " ".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
        + "]"
    )


@dataclass(frozen=True, slots=True)
class PolicyRule:
    """One ``PolicyRule``; every field is a tuple of strings, in the manifest's order.

    Examples
    --------
    >>> rule = PolicyRule(["get"], ["", "image.openshift.io"], ["imagestreams/layers"])
    >>> rule.compact()
    '{APIGroups:["" "image.openshift.io"], Resources:["imagestreams/layers"], Verbs:["get"]}'
    """

    verbs: tuple[str, ...] = ()
    api_groups: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    resource_names: tuple[str, ...] = ()
    non_resource_urls: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("verbs", "api_groups", "resources", "resource_names", "non_resource_urls"):
            object.__setattr__(self, name, _strings(getattr(self, name), name))

    def copy(self) -> PolicyRule:
        """The rule itself: rules are immutable."""
        return self

    def compact(self) -> str:
        """``rbacv1helpers.CompactString``: the form RBAC error messages print."""
        parts = []
        for label, values in (
            ("APIGroups", self.api_groups),
            ("Resources", self.resources),
            ("NonResourceURLs", self.non_resource_urls),
            ("ResourceNames", self.resource_names),
            ("Verbs", self.verbs),
        ):
            if values:
                parts.append(f"{label}:{_quote_list(values)}")
        return "{" + ", ".join(parts) + "}"


@dataclass(frozen=True, slots=True)
class SelectorRequirement:
    """One ``matchExpressions`` entry of a label selector."""

    key: str
    operator: str
    values: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", _strings(self.values, "values"))


@dataclass(frozen=True, slots=True)
class LabelSelector:
    """A ``metav1.LabelSelector``: ``matchLabels`` and ``matchExpressions``, ANDed."""

    match_labels: Mapping[str, str] = field(default_factory=dict)
    match_expressions: tuple[SelectorRequirement, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "match_labels", dict(self.match_labels))
        object.__setattr__(self, "match_expressions", tuple(self.match_expressions))

    def __hash__(self) -> int:
        return hash((tuple(sorted(self.match_labels.items())), self.match_expressions))


@dataclass(frozen=True, slots=True)
class RoleRef:
    """``roleRef``: ``Role`` (in the binding's namespace) or ``ClusterRole``, by name."""

    kind: str
    name: str

    def copy(self) -> RoleRef:
        """The reference itself: references are immutable."""
        return self


@dataclass(frozen=True, slots=True)
class Subject:
    """A binding subject: ``User``, ``Group`` or ``ServiceAccount``.

    A ServiceAccount's empty ``namespace`` means the binding's own namespace (RoleBindings
    only; validation requires it in ClusterRoleBindings).

    Examples
    --------
    >>> Subject("ServiceAccount", "builder", "p").describe()
    'ServiceAccount "builder/p"'
    >>> Subject("ServiceAccount", "builder").describe(binding_namespace="q")
    'ServiceAccount "builder/q"'
    """

    kind: str
    name: str
    namespace: str = ""

    def copy(self) -> Subject:
        """The subject itself: subjects are immutable."""
        return self

    def describe(self, binding_namespace: str = "") -> str:
        """``describeSubject`` of ``pkg/registry/rbac/validation/rule.go``."""
        if self.kind == SERVICE_ACCOUNT:
            return f'{self.kind} "{self.name}/{self.namespace or binding_namespace}"'
        return f'{self.kind} "{self.name}"'


@dataclass(slots=True)
class Role:
    """A ``Role`` (``namespace`` set) or ``ClusterRole`` (``namespace == ""``).

    ``aggregation_rule`` is None for a plain role, else the ClusterRole's
    ``aggregationRule.clusterRoleSelectors``.

    Examples
    --------
    >>> r = Role("", "view", [], aggregation_rule=[LabelSelector({"agg": "true"})])
    >>> r.kind, r.key
    ('ClusterRole', ('', 'view'))
    """

    namespace: str
    name: str
    rules: list[PolicyRule] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    aggregation_rule: list[LabelSelector] | None = None
    annotations: dict[str, str] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """``"ClusterRole"`` or ``"Role"``."""
        return ROLE if self.namespace else CLUSTER_ROLE

    @property
    def key(self) -> tuple[str, str]:
        """``(namespace, name)``; ClusterRoles use ``""``."""
        return (self.namespace, self.name)

    def copy(self) -> Role:
        """A deep copy, for copy-on-write edits."""
        return copy.deepcopy(self)


@dataclass(slots=True)
class RoleBinding:
    """A ``RoleBinding`` (``namespace`` set) or ``ClusterRoleBinding`` (``namespace == ""``).

    Examples
    --------
    >>> b = RoleBinding("p", "admin", RoleRef("ClusterRole", "admin"), [Subject("User", "ann")])
    >>> b.kind, b.key
    ('RoleBinding', ('p', 'admin'))
    """

    namespace: str
    name: str
    role_ref: RoleRef
    subjects: list[Subject] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """``"ClusterRoleBinding"`` or ``"RoleBinding"``."""
        return "RoleBinding" if self.namespace else "ClusterRoleBinding"

    @property
    def key(self) -> tuple[str, str]:
        """``(namespace, name)``; ClusterRoleBindings use ``""``."""
        return (self.namespace, self.name)

    def copy(self) -> RoleBinding:
        """A deep copy, for copy-on-write edits."""
        return copy.deepcopy(self)


def split_service_account_username(username: str) -> tuple[str, str] | None:
    """``serviceaccount.SplitUsername``: ``(namespace, name)``, or None if not an SA user.

    Examples
    --------
    >>> split_service_account_username("system:serviceaccount:a:default")
    ('a', 'default')
    >>> split_service_account_username("system:serviceaccount:a") is None
    True
    """
    if not username.startswith(SERVICE_ACCOUNT_USER_PREFIX):
        return None
    parts = username[len(SERVICE_ACCOUNT_USER_PREFIX) :].split(":")
    if len(parts) != 2:
        return None
    namespace, name = parts
    if not (_DNS1123_LABEL.match(namespace) and len(namespace) <= 63):
        return None
    if not (_DNS1123_SUBDOMAIN.match(name) and len(name) <= 253):
        return None
    return namespace, name

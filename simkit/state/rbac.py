"""Roles and role bindings as plain data, in the shape of ``rbac.authorization.k8s.io/v1``.

The classes mirror kubernetes ``staging/src/k8s.io/api/rbac/v1/types.go``.  A namespace of
``""`` marks the cluster-scoped kinds: a :class:`Role` with no namespace is a ClusterRole and
a :class:`RoleBinding` with no namespace is a ClusterRoleBinding.

:func:`role_from_dict` and :func:`binding_from_dict` read manifests the way the API server
would accept them: ``rbac.authorization.k8s.io/v1`` and ``v1beta1`` with their defaulting
(``SetDefaults_Subject``, ``SetDefaults_RoleBinding``) and validation
(``pkg/apis/rbac/validation/validation.go``), and OpenShift's ``authorization.openshift.io/v1``
shapes through openshift-apiserver's conversion (``rbacconversion/conversion.go``:
``SystemUser``/``SystemGroup`` become ``User``/``Group``, ``userNames``/``groupNames`` become
subjects, a ``roleRef`` namespace selects ``Role`` over ``ClusterRole``).  Bad input raises
``ValueError`` naming the field.  ``to_dict`` always writes the v1 shape.
Behaviour (matching, authorizing, aggregating) lives in :mod:`simkit.rules.rbac`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

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
    return "[" + " ".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
                          for v in values) + "]"


@dataclass(frozen=True, slots=True)
class PolicyRule:
    """One ``PolicyRule``; every field is a tuple of strings, in the manifest's order.

    Examples
    --------
    >>> rule = PolicyRule(["get"], ["", "image.openshift.io"], ["imagestreams/layers"])
    >>> rule.compact()
    '{APIGroups:["" "image.openshift.io"], Resources:["imagestreams/layers"], Verbs:["get"]}'
    >>> rule.to_dict()["resources"]
    ['imagestreams/layers']
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

    def to_dict(self) -> dict[str, Any]:
        """The v1 JSON shape (empty lists are omitted, as ``omitempty`` does)."""
        out: dict[str, Any] = {"verbs": list(self.verbs)}
        for key, values in (
            ("apiGroups", self.api_groups),
            ("resources", self.resources),
            ("resourceNames", self.resource_names),
            ("nonResourceURLs", self.non_resource_urls),
        ):
            if values:
                out[key] = list(values)
        return out


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
    """A ``metav1.LabelSelector``: ``matchLabels`` and ``matchExpressions``, ANDed.

    Examples
    --------
    >>> LabelSelector({"rbac.authorization.k8s.io/aggregate-to-view": "true"}).to_dict()
    {'matchLabels': {'rbac.authorization.k8s.io/aggregate-to-view': 'true'}}
    """

    match_labels: Mapping[str, str] = field(default_factory=dict)
    match_expressions: tuple[SelectorRequirement, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "match_labels", dict(self.match_labels))
        object.__setattr__(self, "match_expressions", tuple(self.match_expressions))

    def __hash__(self) -> int:
        return hash((tuple(sorted(self.match_labels.items())), self.match_expressions))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.match_labels:
            out["matchLabels"] = dict(self.match_labels)
        if self.match_expressions:
            out["matchExpressions"] = [
                {"key": r.key, "operator": r.operator, **({"values": list(r.values)}
                                                          if r.values else {})}
                for r in self.match_expressions
            ]
        return out


@dataclass(frozen=True, slots=True)
class RoleRef:
    """``roleRef``: ``Role`` (in the binding's namespace) or ``ClusterRole``, by name."""

    kind: str
    name: str

    def copy(self) -> RoleRef:
        """The reference itself: references are immutable."""
        return self

    def to_dict(self) -> dict[str, str]:
        return {"apiGroup": RBAC_GROUP, "kind": self.kind, "name": self.name}


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
    >>> Subject("Group", "system:authenticated").to_dict()["apiGroup"]
    'rbac.authorization.k8s.io'
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

    def to_dict(self) -> dict[str, str]:
        out = {"kind": self.kind}
        if self.kind in (USER, GROUP):
            out["apiGroup"] = RBAC_GROUP
        out["name"] = self.name
        if self.namespace:
            out["namespace"] = self.namespace
        return out


def _metadata(namespace: str, name: str, labels: Mapping[str, str],
              annotations: Mapping[str, str]) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    if labels:
        meta["labels"] = dict(labels)
    if annotations:
        meta["annotations"] = dict(annotations)
    return meta


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
    >>> r.to_dict()["aggregationRule"]
    {'clusterRoleSelectors': [{'matchLabels': {'agg': 'true'}}]}
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

    def to_dict(self) -> dict[str, Any]:
        """The ``rbac.authorization.k8s.io/v1`` manifest."""
        out: dict[str, Any] = {
            "apiVersion": RBAC_API_VERSIONS[0],
            "kind": self.kind,
            "metadata": _metadata(self.namespace, self.name, self.labels, self.annotations),
            "rules": [rule.to_dict() for rule in self.rules],
        }
        if self.aggregation_rule is not None:
            out["aggregationRule"] = {
                "clusterRoleSelectors": [s.to_dict() for s in self.aggregation_rule]
            }
        return out


@dataclass(slots=True)
class RoleBinding:
    """A ``RoleBinding`` (``namespace`` set) or ``ClusterRoleBinding`` (``namespace == ""``).

    Examples
    --------
    >>> b = RoleBinding("p", "admin", RoleRef("ClusterRole", "admin"), [Subject("User", "ann")])
    >>> b.kind, b.key
    ('RoleBinding', ('p', 'admin'))
    >>> b.to_dict()["subjects"]
    [{'kind': 'User', 'apiGroup': 'rbac.authorization.k8s.io', 'name': 'ann'}]
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

    def to_dict(self) -> dict[str, Any]:
        """The ``rbac.authorization.k8s.io/v1`` manifest."""
        out: dict[str, Any] = {
            "apiVersion": RBAC_API_VERSIONS[0],
            "kind": self.kind,
            "metadata": _metadata(self.namespace, self.name, self.labels, self.annotations),
            "roleRef": self.role_ref.to_dict(),
        }
        if self.subjects:
            out["subjects"] = [s.to_dict() for s in self.subjects]
        return out


# --- reading manifests -------------------------------------------------------------------


class _Reader:
    """Field access that names the bad field in its ValueError."""

    def __init__(self, what: str) -> None:
        self.what = what

    def fail(self, path: str, message: str) -> ValueError:
        return ValueError(f"{self.what}: {path}: {message}")

    def mapping(self, value: Any, path: str, required: bool = False) -> Mapping[str, Any]:
        if value is None and not required:
            return {}
        if not isinstance(value, Mapping):
            raise self.fail(path, f"expected a mapping, got {_show(value)}")
        return value

    def string(self, value: Any, path: str) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self.fail(path, f"expected a string, got {_show(value)}")
        return value

    def strings(self, value: Any, path: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(path, f"expected a list of strings, got {_show(value)}")
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise self.fail(f"{path}[{i}]", f"expected a string, got {_show(item)}")
        return tuple(value)

    def string_map(self, value: Any, path: str) -> dict[str, str]:
        out = {}
        for key, item in self.mapping(value, path).items():
            out[str(key)] = self.string(item, f"{path}.{key}")
        return out

    def items(self, value: Any, path: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(path, f"expected a list, got {_show(value)}")
        return value


def _show(value: Any) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 40 else text[:37] + '...'}"


def _path_segment_errors(name: str) -> list[str]:
    """``path.IsValidPathSegmentName`` (``ValidateRBACName``)."""
    if name in (".", ".."):
        return [f"may not be '{name}'"]
    return [f"may not contain '{c}'" for c in ("/", "%") if c in name]


def _header(obj: Any, kinds: tuple[str, ...]) -> tuple[str, str, Mapping[str, Any], _Reader]:
    if not isinstance(obj, Mapping):
        raise ValueError(f"expected a mapping (a {' or '.join(kinds)} manifest), got {_show(obj)}")
    kind = obj.get("kind")
    api_version = obj.get("apiVersion")
    meta = obj.get("metadata")
    name = meta.get("name") if isinstance(meta, Mapping) else None
    reader = _Reader(f'{kind or "object"} "{name or ""}"' if name else f"{kind or 'object'}")
    if kind not in kinds:
        raise reader.fail("kind", f"expected {' or '.join(kinds)}, got {kind!r}")
    if api_version not in (*RBAC_API_VERSIONS, OPENSHIFT_API_VERSION):
        raise reader.fail("apiVersion", "expected one of "
                          + ", ".join((*RBAC_API_VERSIONS, OPENSHIFT_API_VERSION))
                          + f", got {api_version!r}")
    meta = reader.mapping(meta, "metadata", required=True)
    name = reader.string(meta.get("name"), "metadata.name")
    if not name:
        raise reader.fail("metadata.name", "Required value: name or generateName is required")
    for message in _path_segment_errors(name):
        raise reader.fail("metadata.name", f"Invalid value: {name!r}: {message}")
    return kind, api_version, meta, reader


def _namespace(kind: str, meta: Mapping[str, Any], default: str, reader: _Reader) -> str:
    if kind.startswith("Cluster"):
        return ""  # the API server clears metadata.namespace of cluster-scoped objects
    namespace = reader.string(meta.get("namespace"), "metadata.namespace") or default
    if not namespace:
        raise reader.fail("metadata.namespace", "Required value")
    return namespace


def _validate_rule(rule: PolicyRule, namespaced: bool, path: str, reader: _Reader) -> None:
    """``ValidatePolicyRule``: the first error, as a ValueError."""
    if not rule.verbs:
        raise reader.fail(f"{path}.verbs", "Required value: verbs must contain at least one value")
    if rule.non_resource_urls:
        if namespaced:
            raise reader.fail(f"{path}.nonResourceURLs",
                              "Invalid value: namespaced rules cannot apply to non-resource URLs")
        if rule.api_groups or rule.resources or rule.resource_names:
            raise reader.fail(f"{path}.nonResourceURLs", "Invalid value: rules cannot apply to "
                              "both regular resources and non-resource URLs")
        return
    if not rule.api_groups:
        raise reader.fail(f"{path}.apiGroups",
                          "Required value: resource rules must supply at least one api group")
    if not rule.resources:
        raise reader.fail(f"{path}.resources",
                          "Required value: resource rules must supply at least one resource")


def _rbac_rule(raw: Any, path: str, reader: _Reader) -> PolicyRule:
    raw = reader.mapping(raw, path, required=True)
    return PolicyRule(
        verbs=reader.strings(raw.get("verbs"), f"{path}.verbs"),
        api_groups=reader.strings(raw.get("apiGroups"), f"{path}.apiGroups"),
        resources=reader.strings(raw.get("resources"), f"{path}.resources"),
        resource_names=reader.strings(raw.get("resourceNames"), f"{path}.resourceNames"),
        non_resource_urls=reader.strings(raw.get("nonResourceURLs"), f"{path}.nonResourceURLs"),
    )


def _openshift_rules(raw: Any, path: str, reader: _Reader) -> list[PolicyRule]:
    """``SetDefaults_PolicyRule`` then ``Convert_api_PolicyRules_To_rbac_PolicyRules``."""
    rules = []
    for i, item in enumerate(reader.items(raw, path)):
        item_path = f"{path}[{i}]"
        item = reader.mapping(item, item_path, required=True)
        if item.get("attributeRestrictions") is not None:
            continue  # never honoured by Origin's authorizer, dropped by the conversion
        groups_given = item.get("apiGroups")
        groups = reader.strings(groups_given, f"{item_path}.apiGroups")

        def as_set(key: str, item: Mapping[str, Any] = item, item_path: str = item_path):
            return tuple(sorted(set(reader.strings(item.get(key), f"{item_path}.{key}"))))

        verbs, resources = as_set("verbs"), as_set("resources")
        names, urls = as_set("resourceNames"), as_set("nonResourceURLs")
        if groups_given is None and verbs == ("*",) and resources == ("*",) and not (
            names or urls
        ):
            groups = ("*",)  # the old allow-all rule
        if resources and not groups:
            groups = ("",)
        if (groups or resources or names) and urls:
            rules.append(PolicyRule(verbs, groups, resources, names))
            rules.append(PolicyRule(verbs, non_resource_urls=urls))
        else:
            rules.append(PolicyRule(verbs, groups, resources, names, urls))
    return rules


def _selectors(raw: Any, reader: _Reader) -> list[LabelSelector]:
    path = "aggregationRule.clusterRoleSelectors"
    raw = reader.mapping(raw, "aggregationRule", required=True)
    items = reader.items(raw.get("clusterRoleSelectors"), path)
    if not items:
        raise reader.fail(path, "Required value: at least one clusterRoleSelector required "
                          "if aggregationRule is non-nil")
    selectors = []
    for i, item in enumerate(items):
        item_path = f"{path}[{i}]"
        item = reader.mapping(item, item_path, required=True)
        labels = reader.string_map(item.get("matchLabels"), f"{item_path}.matchLabels")
        requirements = []
        for j, expr in enumerate(reader.items(item.get("matchExpressions"),
                                              f"{item_path}.matchExpressions")):
            expr_path = f"{item_path}.matchExpressions[{j}]"
            expr = reader.mapping(expr, expr_path, required=True)
            key = reader.string(expr.get("key"), f"{expr_path}.key")
            operator = reader.string(expr.get("operator"), f"{expr_path}.operator")
            values = reader.strings(expr.get("values"), f"{expr_path}.values")
            if not key:
                raise reader.fail(f"{expr_path}.key", "Required value")
            if operator not in _SELECTOR_OPERATORS:
                raise reader.fail(f"{expr_path}.operator", f"Invalid value: {operator!r}: not a "
                                  "valid selector operator")
            if operator in ("In", "NotIn") and not values:
                raise reader.fail(f"{expr_path}.values", "Required value: must be specified "
                                  "when `operator` is 'In' or 'NotIn'")
            if operator in ("Exists", "DoesNotExist") and values:
                raise reader.fail(f"{expr_path}.values", "Forbidden: may not be specified when "
                                  "`operator` is 'Exists' or 'DoesNotExist'")
            requirements.append(SelectorRequirement(key, operator, values))
        selectors.append(LabelSelector(labels, tuple(requirements)))
    return selectors


def role_from_dict(obj: Mapping[str, Any], namespace: str = "") -> Role:
    """A :class:`Role` from a Role or ClusterRole manifest.

    Parameters
    ----------
    obj : Mapping
        A parsed manifest: ``rbac.authorization.k8s.io/v1`` or ``v1beta1``, or
        ``authorization.openshift.io/v1``.
    namespace : str
        The namespace of a Role whose manifest has none (like ``oc apply -n``).

    Returns
    -------
    Role

    Raises
    ------
    ValueError
        Naming the kind, the object and the bad field.

    Examples
    --------
    >>> role = role_from_dict({
    ...     "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
    ...     "metadata": {"name": "puller"},
    ...     "rules": [{"apiGroups": [""], "resources": ["imagestreams/layers"],
    ...                "verbs": ["get"]}]})
    >>> role.key, role.rules[0].verbs
    (('', 'puller'), ('get',))
    >>> role_from_dict({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
    ...                 "metadata": {"name": "r", "namespace": "p"},
    ...                 "rules": [{"apiGroups": [""], "resources": ["pods"]}]})
    Traceback (most recent call last):
    ...
    ValueError: Role "r": rules[0].verbs: Required value: verbs must contain at least one value
    """
    kind, api_version, meta, reader = _header(obj, (ROLE, CLUSTER_ROLE))
    ns = _namespace(kind, meta, namespace, reader)
    if api_version == OPENSHIFT_API_VERSION:
        rules = _openshift_rules(obj.get("rules"), "rules", reader)
    else:
        rules = [_rbac_rule(item, f"rules[{i}]", reader)
                 for i, item in enumerate(reader.items(obj.get("rules"), "rules"))]
        for i, rule in enumerate(rules):
            _validate_rule(rule, bool(ns), f"rules[{i}]", reader)
    aggregation = None
    if obj.get("aggregationRule") is not None:
        if kind == ROLE:
            raise reader.fail("aggregationRule", 'unknown field "aggregationRule"')
        aggregation = _selectors(obj["aggregationRule"], reader)
    return Role(
        namespace=ns,
        name=meta["name"],
        rules=rules,
        labels=reader.string_map(meta.get("labels"), "metadata.labels"),
        aggregation_rule=aggregation,
        annotations=reader.string_map(meta.get("annotations"), "metadata.annotations"),
    )


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
    parts = username[len(SERVICE_ACCOUNT_USER_PREFIX):].split(":")
    if len(parts) != 2:
        return None
    namespace, name = parts
    if not (_DNS1123_LABEL.match(namespace) and len(namespace) <= 63):
        return None
    if not (_DNS1123_SUBDOMAIN.match(name) and len(name) <= 253):
        return None
    return namespace, name


def _rbac_subject(raw: Any, path: str, namespaced: bool, reader: _Reader) -> Subject:
    """Defaulting (``SetDefaults_Subject``) and ``ValidateRoleBindingSubject``."""
    raw = reader.mapping(raw, path, required=True)
    kind = reader.string(raw.get("kind"), f"{path}.kind")
    name = reader.string(raw.get("name"), f"{path}.name")
    namespace = reader.string(raw.get("namespace"), f"{path}.namespace")
    api_group = reader.string(raw.get("apiGroup"), f"{path}.apiGroup")
    if not api_group and kind in (USER, GROUP):
        api_group = RBAC_GROUP
    if not name:
        raise reader.fail(f"{path}.name", "Required value")
    if kind == SERVICE_ACCOUNT:
        if not (_DNS1123_SUBDOMAIN.match(name) and len(name) <= 253):
            raise reader.fail(f"{path}.name", f"Invalid value: {name!r}: a lowercase RFC 1123 "
                              "subdomain must consist of lower case alphanumeric characters, "
                              "'-' or '.'")
        if api_group:
            raise reader.fail(f"{path}.apiGroup",
                              f'Unsupported value: {api_group!r}: supported values: ""')
        if not namespaced and not namespace:
            raise reader.fail(f"{path}.namespace", "Required value")
    elif kind in (USER, GROUP):
        if api_group != RBAC_GROUP:
            raise reader.fail(f"{path}.apiGroup", f"Unsupported value: {api_group!r}: "
                              f'supported values: "{RBAC_GROUP}"')
    else:
        raise reader.fail(f"{path}.kind", f"Unsupported value: {kind!r}: supported values: "
                          + ", ".join(f'"{k}"' for k in SUBJECT_KINDS))
    return Subject(kind, name, namespace)


def _openshift_subjects(obj: Mapping[str, Any], reader: _Reader) -> list[Subject]:
    """``Convert_v1_RoleBinding_To_authorization_RoleBinding`` + ``rbacconversion``."""
    users, groups = obj.get("userNames"), obj.get("groupNames")
    subjects = []
    if users is not None or groups is not None:
        for user in reader.strings(users, "userNames"):  # BuildSubjects
            sa = split_service_account_username(user)
            subjects.append(Subject(SERVICE_ACCOUNT, sa[1], sa[0]) if sa else Subject(USER, user))
        for group in reader.strings(groups, "groupNames"):
            subjects.append(Subject(GROUP, group))
        return subjects
    for i, raw in enumerate(reader.items(obj.get("subjects"), "subjects")):
        path = f"subjects[{i}]"
        raw = reader.mapping(raw, path, required=True)
        kind = reader.string(raw.get("kind"), f"{path}.kind")
        name = reader.string(raw.get("name"), f"{path}.name")
        if kind == SERVICE_ACCOUNT:
            subjects.append(Subject(SERVICE_ACCOUNT, name,
                                    reader.string(raw.get("namespace"), f"{path}.namespace")))
        elif kind in (USER, "SystemUser"):
            subjects.append(Subject(USER, name))
        elif kind in (GROUP, "SystemGroup"):
            subjects.append(Subject(GROUP, name))
        else:
            raise reader.fail(f"{path}.kind", f"invalid kind for origin subject: {kind!r}")
    return subjects


def binding_from_dict(obj: Mapping[str, Any], namespace: str = "") -> RoleBinding:
    """A :class:`RoleBinding` from a RoleBinding or ClusterRoleBinding manifest.

    Parameters
    ----------
    obj : Mapping
        A parsed manifest: ``rbac.authorization.k8s.io/v1`` or ``v1beta1``, or
        ``authorization.openshift.io/v1`` (``roleRef`` by name and namespace,
        ``subjects`` or ``userNames``/``groupNames``).
    namespace : str
        The namespace of a RoleBinding whose manifest has none.

    Returns
    -------
    RoleBinding

    Raises
    ------
    ValueError
        Naming the kind, the object and the bad field.

    Examples
    --------
    >>> b = binding_from_dict({
    ...     "apiVersion": "rbac.authorization.k8s.io/v1beta1", "kind": "RoleBinding",
    ...     "metadata": {"name": "pullers", "namespace": "b"},
    ...     "roleRef": {"kind": "ClusterRole", "name": "system:image-puller"},
    ...     "subjects": [{"kind": "Group", "name": "system:serviceaccounts:a"}]})
    >>> b.role_ref, b.subjects
    (RoleRef(kind='ClusterRole', name='system:image-puller'), [Subject(kind='Group', \
name='system:serviceaccounts:a', namespace='')])
    >>> b = binding_from_dict({
    ...     "apiVersion": "authorization.openshift.io/v1", "kind": "RoleBinding",
    ...     "metadata": {"name": "admin", "namespace": "p"}, "roleRef": {"name": "admin"},
    ...     "userNames": ["ann", "system:serviceaccount:p:robot"], "groupNames": None})
    >>> [s.kind for s in b.subjects]
    ['User', 'ServiceAccount']
    >>> binding_from_dict({"apiVersion": "rbac.authorization.k8s.io/v1",
    ...     "kind": "ClusterRoleBinding", "metadata": {"name": "x"},
    ...     "roleRef": {"kind": "Role", "name": "r"}})
    Traceback (most recent call last):
    ...
    ValueError: ClusterRoleBinding "x": roleRef.kind: Unsupported value: 'Role': supported \
values: "ClusterRole"
    """
    kind, api_version, meta, reader = _header(obj, ("RoleBinding", "ClusterRoleBinding"))
    ns = _namespace(kind, meta, namespace, reader)
    raw_ref = reader.mapping(obj.get("roleRef"), "roleRef", required=True)
    ref_name = reader.string(raw_ref.get("name"), "roleRef.name")
    if api_version == OPENSHIFT_API_VERSION:
        ref_ns = reader.string(raw_ref.get("namespace"), "roleRef.namespace")
        if ref_ns and not ns:
            raise reader.fail("roleRef.namespace", "invalid origin cluster role binding: "
                              f"attempts to reference role in namespace {ref_ns!r} instead of "
                              "cluster scope")
        if ref_ns and ref_ns != ns:
            raise reader.fail("roleRef.namespace", "invalid origin role binding: attempts to "
                              f"reference role in namespace {ref_ns!r} instead of current "
                              f"namespace {ns!r}")
        ref_kind = ROLE if ref_ns else CLUSTER_ROLE
        subjects = _openshift_subjects(obj, reader)
    else:
        ref_group = reader.string(raw_ref.get("apiGroup"), "roleRef.apiGroup") or RBAC_GROUP
        if ref_group != RBAC_GROUP:
            raise reader.fail("roleRef.apiGroup", f"Unsupported value: {ref_group!r}: "
                              f'supported values: "{RBAC_GROUP}"')
        ref_kind = reader.string(raw_ref.get("kind"), "roleRef.kind")
        allowed = (ROLE, CLUSTER_ROLE) if ns else (CLUSTER_ROLE,)
        if ref_kind not in allowed:
            raise reader.fail("roleRef.kind", f"Unsupported value: {ref_kind!r}: supported "
                              "values: " + ", ".join(f'"{k}"' for k in allowed))
        subjects = [_rbac_subject(raw, f"subjects[{i}]", bool(ns), reader)
                    for i, raw in enumerate(reader.items(obj.get("subjects"), "subjects"))]
    if not ref_name:
        raise reader.fail("roleRef.name", "Required value")
    for message in _path_segment_errors(ref_name):
        raise reader.fail("roleRef.name", f"Invalid value: {ref_name!r}: {message}")
    return RoleBinding(
        namespace=ns,
        name=meta["name"],
        role_ref=RoleRef(ref_kind, ref_name),
        subjects=subjects,
        labels=reader.string_map(meta.get("labels"), "metadata.labels"),
        annotations=reader.string_map(meta.get("annotations"), "metadata.annotations"),
    )

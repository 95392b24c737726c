"""RBAC objects in and out: Role, ClusterRole, RoleBinding and ClusterRoleBinding manifests.

:func:`role_from_dict` and :func:`binding_from_dict` read manifests the way the API server
would accept them: ``rbac.authorization.k8s.io/v1`` and ``v1beta1`` with their defaulting
(kubernetes ``pkg/apis/rbac/v1/defaults.go``: ``SetDefaults_Subject``,
``SetDefaults_RoleBinding``) and validation (``pkg/apis/rbac/validation/validation.go``:
``ValidatePolicyRule``, ``ValidateRoleBindingSubject``, ``ValidateRBACName``), and
OpenShift's ``authorization.openshift.io/v1`` shapes through openshift-apiserver's
conversion (``pkg/authorization/apis/authorization/rbacconversion/conversion.go``:
``SystemUser``/``SystemGroup`` become ``User``/``Group``, ``userNames``/``groupNames``
become subjects, a ``roleRef`` namespace selects ``Role`` over ``ClusterRole``).  Bad input
raises :class:`~simkit.manifests.fields.FieldError` (a ``ValueError``) naming the object and
the field.

:func:`role_to_dict` and :func:`binding_to_dict` write the ``rbac.authorization.k8s.io/v1``
shape (``k8s.io/api/rbac/v1/types.go``: ``omitempty`` lists left out).

The classes themselves are plain data in :mod:`simkit.state.rbac`; this module sits in the
``codec`` layer (``simkit/_layers.py``) so that the bootstrap policy can read its packaged
roles with it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from simkit.manifests.fields import FieldError, Fields, describe
from simkit.state.rbac import (
    CLUSTER_ROLE,
    GROUP,
    OPENSHIFT_API_VERSION,
    RBAC_API_VERSIONS,
    RBAC_GROUP,
    ROLE,
    SERVICE_ACCOUNT,
    SUBJECT_KINDS,
    USER,
    LabelSelector,
    PolicyRule,
    Role,
    RoleBinding,
    RoleRef,
    SelectorRequirement,
    Subject,
    split_service_account_username,
)

__all__ = [
    "binding_from_dict",
    "binding_to_dict",
    "role_from_dict",
    "role_to_dict",
    "rule_to_dict",
    "selector_to_dict",
    "subject_to_dict",
]

_DNS1123_SUBDOMAIN = re.compile(
    r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z"
)
_SELECTOR_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


# -- writing ------------------------------------------------------------------------------
def rule_to_dict(rule: PolicyRule) -> dict[str, Any]:
    """A ``PolicyRule`` in the v1 JSON shape (empty lists omitted, as ``omitempty`` does).

    Examples
    --------
    >>> rule_to_dict(PolicyRule(["get"], ["", "image.openshift.io"], ["imagestreams/layers"]))
    {'verbs': ['get'], 'apiGroups': ['', 'image.openshift.io'], 'resources': \
['imagestreams/layers']}
    """
    out: dict[str, Any] = {"verbs": list(rule.verbs)}
    for key, values in (
        ("apiGroups", rule.api_groups),
        ("resources", rule.resources),
        ("resourceNames", rule.resource_names),
        ("nonResourceURLs", rule.non_resource_urls),
    ):
        if values:
            out[key] = list(values)
    return out


def selector_to_dict(selector: LabelSelector) -> dict[str, Any]:
    """A ``metav1.LabelSelector``.

    Examples
    --------
    >>> selector_to_dict(LabelSelector({"rbac.authorization.k8s.io/aggregate-to-view": "true"}))
    {'matchLabels': {'rbac.authorization.k8s.io/aggregate-to-view': 'true'}}
    """
    out: dict[str, Any] = {}
    if selector.match_labels:
        out["matchLabels"] = dict(selector.match_labels)
    if selector.match_expressions:
        out["matchExpressions"] = [
            {
                "key": r.key,
                "operator": r.operator,
                **({"values": list(r.values)} if r.values else {}),
            }
            for r in selector.match_expressions
        ]
    return out


def subject_to_dict(subject: Subject) -> dict[str, str]:
    """A binding subject; ``apiGroup`` as ``SetDefaults_Subject`` fills it in.

    Examples
    --------
    >>> subject_to_dict(Subject("Group", "system:authenticated"))["apiGroup"]
    'rbac.authorization.k8s.io'
    """
    out = {"kind": subject.kind}
    if subject.kind in (USER, GROUP):
        out["apiGroup"] = RBAC_GROUP
    out["name"] = subject.name
    if subject.namespace:
        out["namespace"] = subject.namespace
    return out


def _metadata(obj: Role | RoleBinding) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": obj.name}
    if obj.namespace:
        meta["namespace"] = obj.namespace
    if obj.labels:
        meta["labels"] = dict(obj.labels)
    if obj.annotations:
        meta["annotations"] = dict(obj.annotations)
    return meta


def role_to_dict(role: Role) -> dict[str, Any]:
    """The ``rbac.authorization.k8s.io/v1`` Role or ClusterRole.

    Examples
    --------
    >>> role = Role("", "view", [], aggregation_rule=[LabelSelector({"agg": "true"})])
    >>> role_to_dict(role)["aggregationRule"]
    {'clusterRoleSelectors': [{'matchLabels': {'agg': 'true'}}]}
    """
    out: dict[str, Any] = {
        "apiVersion": RBAC_API_VERSIONS[0],
        "kind": role.kind,
        "metadata": _metadata(role),
        "rules": [rule_to_dict(rule) for rule in role.rules],
    }
    if role.aggregation_rule is not None:
        out["aggregationRule"] = {
            "clusterRoleSelectors": [selector_to_dict(s) for s in role.aggregation_rule]
        }
    return out


def binding_to_dict(binding: RoleBinding) -> dict[str, Any]:
    """The ``rbac.authorization.k8s.io/v1`` RoleBinding or ClusterRoleBinding.

    Examples
    --------
    >>> b = RoleBinding("p", "admin", RoleRef("ClusterRole", "admin"), [Subject("User", "ann")])
    >>> binding_to_dict(b)["subjects"]
    [{'kind': 'User', 'apiGroup': 'rbac.authorization.k8s.io', 'name': 'ann'}]
    """
    out: dict[str, Any] = {
        "apiVersion": RBAC_API_VERSIONS[0],
        "kind": binding.kind,
        "metadata": _metadata(binding),
        "roleRef": {
            "apiGroup": RBAC_GROUP,
            "kind": binding.role_ref.kind,
            "name": binding.role_ref.name,
        },
    }
    if binding.subjects:
        out["subjects"] = [subject_to_dict(s) for s in binding.subjects]
    return out


# -- reading ------------------------------------------------------------------------------
def _path_segment_errors(name: str) -> list[str]:
    """``path.IsValidPathSegmentName`` (``ValidateRBACName``)."""
    if name in (".", ".."):
        return [f"may not be '{name}'"]
    return [f"may not contain '{c}'" for c in ("/", "%") if c in name]


def _header(obj: Any, kinds: tuple[str, ...]) -> tuple[str, str, Mapping[str, Any], Fields]:
    if not isinstance(obj, Mapping):
        raise FieldError(
            "", f"expected a mapping (a {' or '.join(kinds)} manifest), got {describe(obj)}"
        )
    kind = obj.get("kind")
    api_version = obj.get("apiVersion")
    meta = obj.get("metadata")
    name = meta.get("name") if isinstance(meta, Mapping) else None
    label = f'{kind or "object"} "{name}"' if name else f"{kind or 'object'}"
    reader = Fields(obj, label=label)
    if kind not in kinds:
        raise reader.fail("kind", f"expected {' or '.join(kinds)}, got {kind!r}")
    if api_version not in (*RBAC_API_VERSIONS, OPENSHIFT_API_VERSION):
        raise reader.fail(
            "apiVersion",
            "expected one of "
            + ", ".join((*RBAC_API_VERSIONS, OPENSHIFT_API_VERSION))
            + f", got {api_version!r}",
        )
    meta = reader.mapping(meta, "metadata", required=True)
    name = reader.string(meta.get("name"), "metadata.name")
    if not name:
        raise reader.fail("metadata.name", "Required value: name or generateName is required")
    for message in _path_segment_errors(name):
        raise reader.fail("metadata.name", f"Invalid value: {name!r}: {message}")
    return kind, api_version, meta, reader


def _namespace(kind: str, meta: Mapping[str, Any], default: str, reader: Fields) -> str:
    if kind.startswith("Cluster"):
        return ""  # the API server clears metadata.namespace of cluster-scoped objects
    namespace = reader.string(meta.get("namespace"), "metadata.namespace") or default
    if not namespace:
        raise reader.fail("metadata.namespace", "Required value")
    return namespace


def _validate_rule(rule: PolicyRule, namespaced: bool, path: str, reader: Fields) -> None:
    """``ValidatePolicyRule``: the first error, as a ValueError."""
    if not rule.verbs:
        raise reader.fail(f"{path}.verbs", "Required value: verbs must contain at least one value")
    if rule.non_resource_urls:
        if namespaced:
            raise reader.fail(
                f"{path}.nonResourceURLs",
                "Invalid value: namespaced rules cannot apply to non-resource URLs",
            )
        if rule.api_groups or rule.resources or rule.resource_names:
            raise reader.fail(
                f"{path}.nonResourceURLs",
                "Invalid value: rules cannot apply to both regular resources and non-resource URLs",
            )
        return
    if not rule.api_groups:
        raise reader.fail(
            f"{path}.apiGroups", "Required value: resource rules must supply at least one api group"
        )
    if not rule.resources:
        raise reader.fail(
            f"{path}.resources", "Required value: resource rules must supply at least one resource"
        )


def _rbac_rule(raw: Any, path: str, reader: Fields) -> PolicyRule:
    raw = reader.mapping(raw, path, required=True)
    return PolicyRule(
        verbs=reader.strings(raw.get("verbs"), f"{path}.verbs"),
        api_groups=reader.strings(raw.get("apiGroups"), f"{path}.apiGroups"),
        resources=reader.strings(raw.get("resources"), f"{path}.resources"),
        resource_names=reader.strings(raw.get("resourceNames"), f"{path}.resourceNames"),
        non_resource_urls=reader.strings(raw.get("nonResourceURLs"), f"{path}.nonResourceURLs"),
    )


def _openshift_rules(raw: Any, path: str, reader: Fields) -> list[PolicyRule]:
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
        if groups_given is None and verbs == ("*",) and resources == ("*",) and not (names or urls):
            groups = ("*",)  # the old allow-all rule
        if resources and not groups:
            groups = ("",)
        if (groups or resources or names) and urls:
            rules.append(PolicyRule(verbs, groups, resources, names))
            rules.append(PolicyRule(verbs, non_resource_urls=urls))
        else:
            rules.append(PolicyRule(verbs, groups, resources, names, urls))
    return rules


def _selectors(raw: Any, reader: Fields) -> list[LabelSelector]:
    path = "aggregationRule.clusterRoleSelectors"
    raw = reader.mapping(raw, "aggregationRule", required=True)
    items = reader.items(raw.get("clusterRoleSelectors"), path)
    if not items:
        raise reader.fail(
            path,
            "Required value: at least one clusterRoleSelector required "
            "if aggregationRule is non-nil",
        )
    selectors = []
    for i, item in enumerate(items):
        item_path = f"{path}[{i}]"
        item = reader.mapping(item, item_path, required=True)
        labels = reader.string_map(item.get("matchLabels"), f"{item_path}.matchLabels")
        requirements = []
        for j, expr in enumerate(
            reader.items(item.get("matchExpressions"), f"{item_path}.matchExpressions")
        ):
            expr_path = f"{item_path}.matchExpressions[{j}]"
            expr = reader.mapping(expr, expr_path, required=True)
            key = reader.string(expr.get("key"), f"{expr_path}.key")
            operator = reader.string(expr.get("operator"), f"{expr_path}.operator")
            values = reader.strings(expr.get("values"), f"{expr_path}.values")
            if not key:
                raise reader.fail(f"{expr_path}.key", "Required value")
            if operator not in _SELECTOR_OPERATORS:
                raise reader.fail(
                    f"{expr_path}.operator",
                    f"Invalid value: {operator!r}: not a valid selector operator",
                )
            if operator in ("In", "NotIn") and not values:
                raise reader.fail(
                    f"{expr_path}.values",
                    "Required value: must be specified when `operator` is 'In' or 'NotIn'",
                )
            if operator in ("Exists", "DoesNotExist") and values:
                raise reader.fail(
                    f"{expr_path}.values",
                    "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                )
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
    simkit.manifests.fields.FieldError: Role "r": rules[0].verbs: Required value: verbs must \
contain at least one value
    """
    kind, api_version, meta, reader = _header(obj, (ROLE, CLUSTER_ROLE))
    ns = _namespace(kind, meta, namespace, reader)
    if api_version == OPENSHIFT_API_VERSION:
        rules = _openshift_rules(obj.get("rules"), "rules", reader)
    else:
        rules = [
            _rbac_rule(item, f"rules[{i}]", reader)
            for i, item in enumerate(reader.items(obj.get("rules"), "rules"))
        ]
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


def _rbac_subject(raw: Any, path: str, namespaced: bool, reader: Fields) -> Subject:
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
            raise reader.fail(
                f"{path}.name",
                f"Invalid value: {name!r}: a lowercase RFC 1123 "
                "subdomain must consist of lower case alphanumeric characters, "
                "'-' or '.'",
            )
        if api_group:
            raise reader.fail(
                f"{path}.apiGroup", f'Unsupported value: {api_group!r}: supported values: ""'
            )
        if not namespaced and not namespace:
            raise reader.fail(f"{path}.namespace", "Required value")
    elif kind in (USER, GROUP):
        if api_group != RBAC_GROUP:
            raise reader.fail(
                f"{path}.apiGroup",
                f'Unsupported value: {api_group!r}: supported values: "{RBAC_GROUP}"',
            )
    else:
        raise reader.fail(
            f"{path}.kind",
            f"Unsupported value: {kind!r}: supported values: "
            + ", ".join(f'"{k}"' for k in SUBJECT_KINDS),
        )
    return Subject(kind, name, namespace)


def _openshift_subjects(obj: Mapping[str, Any], reader: Fields) -> list[Subject]:
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
            subjects.append(
                Subject(
                    SERVICE_ACCOUNT, name, reader.string(raw.get("namespace"), f"{path}.namespace")
                )
            )
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
    simkit.manifests.fields.FieldError: ClusterRoleBinding "x": roleRef.kind: Unsupported \
value: 'Role': supported values: "ClusterRole"
    """
    kind, api_version, meta, reader = _header(obj, ("RoleBinding", "ClusterRoleBinding"))
    ns = _namespace(kind, meta, namespace, reader)
    raw_ref = reader.mapping(obj.get("roleRef"), "roleRef", required=True)
    ref_name = reader.string(raw_ref.get("name"), "roleRef.name")
    if api_version == OPENSHIFT_API_VERSION:
        ref_ns = reader.string(raw_ref.get("namespace"), "roleRef.namespace")
        if ref_ns and not ns:
            raise reader.fail(
                "roleRef.namespace",
                "invalid origin cluster role binding: "
                f"attempts to reference role in namespace {ref_ns!r} instead of "
                "cluster scope",
            )
        if ref_ns and ref_ns != ns:
            raise reader.fail(
                "roleRef.namespace",
                "invalid origin role binding: attempts to "
                f"reference role in namespace {ref_ns!r} instead of current "
                f"namespace {ns!r}",
            )
        ref_kind = ROLE if ref_ns else CLUSTER_ROLE
        subjects = _openshift_subjects(obj, reader)
    else:
        ref_group = reader.string(raw_ref.get("apiGroup"), "roleRef.apiGroup") or RBAC_GROUP
        if ref_group != RBAC_GROUP:
            raise reader.fail(
                "roleRef.apiGroup",
                f'Unsupported value: {ref_group!r}: supported values: "{RBAC_GROUP}"',
            )
        ref_kind = reader.string(raw_ref.get("kind"), "roleRef.kind")
        allowed = (ROLE, CLUSTER_ROLE) if ns else (CLUSTER_ROLE,)
        if ref_kind not in allowed:
            raise reader.fail(
                "roleRef.kind",
                f"Unsupported value: {ref_kind!r}: supported "
                "values: " + ", ".join(f'"{k}"' for k in allowed),
            )
        subjects = [
            _rbac_subject(raw, f"subjects[{i}]", bool(ns), reader)
            for i, raw in enumerate(reader.items(obj.get("subjects"), "subjects"))
        ]
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

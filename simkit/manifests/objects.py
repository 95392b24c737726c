"""Manifest objects: where each came from, and its parse into simkit's state classes.

:func:`manifests_from_documents` flattens documents into :class:`Manifest` objects
(``kind: List`` and the typed ``...List`` kinds are unwrapped, as kubectl does);
:func:`parse_manifest` turns one into a :class:`Parsed` state object, validating it the
way the API server would, or returns None for a kind simkit does not model.

Modelled kinds: ``ImageStream`` (spec and status), ``Namespace``/``Project``,
``ServiceAccount``, ``Secret``, ``Role``/``ClusterRole``, ``RoleBinding``/
``ClusterRoleBinding`` (``rbac.authorization.k8s.io`` v1 and v1beta1, and
``authorization.openshift.io/v1``), ``Group`` and ``User`` (``user.openshift.io/v1``),
``Pod``, ``Deployment`` and ``DeploymentConfig`` (their first container, which is the
one simkit models).  Read-only fields of a dump (``status`` of workloads and pods,
``metadata.uid``/``resourceVersion``/``managedFields``...) are ignored.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from simkit.apiserver.discovery import APIResource, for_kind
from simkit.manifests.errors import REDACTED, ManifestError
from simkit.manifests.reader import Document
from simkit.state.accounts import DOCKERCFG, DOCKERCONFIGJSON, OPAQUE, Group, Secret, ServiceAccount
from simkit.state.projects import Project
from simkit.state.users import User
from simkit.state.workloads import TRIGGERS_ANNOTATION, ImageTrigger, Workload

if TYPE_CHECKING:
    from simkit.simulation import Simulation

__all__ = ["Manifest", "Parsed", "PodSpec", "manifests_from_documents", "parse_manifest"]

DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
PULL_POLICIES = ("Always", "IfNotPresent", "Never")

REQUESTER_ANNOTATION = "openshift.io/requester"
DISPLAY_NAME_ANNOTATION = "openshift.io/display-name"
DESCRIPTION_ANNOTATION = "openshift.io/description"
LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration"


class FieldError(ValueError):
    """A field of an object is wrong: ``field`` is its path, ``message`` what was expected."""

    def __init__(self, field: str, message: str, reason: str = "Invalid") -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message
        self.reason = reason


# -- where an object came from ------------------------------------------------------------
@dataclass
class Manifest:
    """One object of the input: the decoded mapping and its place in a file.

    ``item`` is the path of the object inside its document (``items[3]`` in a List).
    """

    obj: Mapping[str, Any]
    source: str = "<object>"
    document: Document | None = None
    item: str = ""

    def _top(self, key: str) -> str:
        value = self.obj.get(key) if isinstance(self.obj, Mapping) else None
        return value if isinstance(value, str) else ""

    @property
    def kind(self) -> str:
        return self._top("kind")

    @property
    def api_version(self) -> str:
        return self._top("apiVersion")

    @property
    def group(self) -> str:
        """The API group of ``apiVersion`` (``""`` for the core ``v1``)."""
        group, _, version = self.api_version.rpartition("/")
        return group if version else ""

    def _meta(self, key: str) -> str:
        meta = self.obj.get("metadata") if isinstance(self.obj, Mapping) else None
        value = meta.get(key) if isinstance(meta, Mapping) else None
        return value if isinstance(value, str) else ""

    @property
    def name(self) -> str:
        return self._meta("name")

    @property
    def namespace(self) -> str:
        return self._meta("namespace")

    def error(self, message: str, field: str = "", reason: str = "",
              name: str | None = None) -> ManifestError:
        """A :class:`ManifestError` located at ``field`` of this object."""
        line = None
        document = None
        if self.document is not None and self.document.index:
            document = self.document.index
            path = f"{self.item}.{field}" if self.item and field else (self.item or field)
            line = self.document.line_of(path)
        return ManifestError(message, file=self.source if self.source else None, line=line,
                             document=document, item=self.item, kind=self.kind,
                             name=self.name if name is None else name, field=field,
                             namespace=self.namespace, reason=reason)


def manifests_from_documents(documents: Iterable[Document]) -> list[Manifest]:
    """The objects of ``documents``, ``List`` kinds unwrapped.

    Examples
    --------
    >>> from simkit.manifests.reader import parse_documents
    >>> docs = parse_documents(b"kind: List\\napiVersion: v1\\nitems:\\n- kind: Secret\\n"
    ...                        b"  apiVersion: v1\\n  metadata: {name: s}\\n", "l.yaml")
    >>> [(m.kind, m.name, m.item) for m in manifests_from_documents(docs)]
    [('Secret', 's', 'items[0]')]
    """
    out: list[Manifest] = []
    for document in documents:
        _flatten(Manifest(document.data, document.source, document, ""), out)
    return out


def _flatten(manifest: Manifest, out: list[Manifest]) -> None:
    obj = manifest.obj
    if not isinstance(obj, Mapping):
        raise manifest.error(f"expected an object (a mapping with apiVersion and kind), got "
                             f"{_describe(obj)}")
    kind = obj.get("kind")
    if not isinstance(kind, str) or not kind:
        raise manifest.error("Object 'Kind' is missing: every object needs apiVersion and kind",
                             field="kind")
    if not isinstance(obj.get("apiVersion"), str) or not obj.get("apiVersion"):
        raise manifest.error("Object 'apiVersion' is missing: every object needs apiVersion "
                             "and kind", field="apiVersion")
    if kind.endswith("List") and "items" in obj:
        items = obj.get("items")
        if items is None:
            return
        if not isinstance(items, list):
            raise manifest.error(f"expected a list, got {_describe(items)}", field="items")
        for i, item in enumerate(items):
            path = f"{manifest.item}.items[{i}]" if manifest.item else f"items[{i}]"
            _flatten(Manifest(item, manifest.source, manifest.document, path), out)
        return
    out.append(manifest)


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return "null" if value is None else type(value).__name__


# -- parsed objects -----------------------------------------------------------------------
@dataclass
class PodSpec:
    """A pod to create: what :meth:`PodController.create` needs."""

    namespace: str
    name: str
    image: str
    pull_policy: str | None = None
    service_account: str = "default"
    image_pull_secrets: list[str] = field(default_factory=list)
    node: str | None = None
    container: str = "app"

    @property
    def key(self) -> tuple[str, str]:
        return (self.namespace, self.name)


@dataclass
class Parsed:
    """One manifest object as simkit state.

    ``store`` is the cluster store kind (``Project`` for Namespaces too); ``value`` the
    state object; ``resource`` the API resource (for ``-o name`` style output);
    ``has_status`` marks an ImageStream that brings its own status history.
    """

    manifest: Manifest
    store: str
    key: tuple[str, str]
    value: Any
    resource: APIResource
    has_status: bool = False
    skip_reason: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """``imagestream.image.openshift.io/ruby``: how kubectl names the object."""
        return f"{self.resource.name_prefix}/{self.key[1]}"


class _Fields:
    """Typed access to one object's fields; errors name the field and never its value
    when ``secret`` (a Secret's data)."""

    def __init__(self, obj: Mapping[str, Any]) -> None:
        self.obj = obj

    def get(self, path: str) -> Any:
        value: Any = self.obj
        for part in path.split("."):
            if not isinstance(value, Mapping):
                return None
            value = value.get(part)
        return value

    def mapping(self, value: Any, path: str) -> Mapping[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise FieldError(path, f"expected an object, got {_describe(value)}")
        return value

    def string(self, value: Any, path: str) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            raise FieldError(path, f"expected a string, got {_describe(value)}")
        return value

    def boolean(self, value: Any, path: str, default: bool = False) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            raise FieldError(path, f"expected true or false, got {_describe(value)}")
        return value

    def integer(self, value: Any, path: str, default: int) -> int:
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise FieldError(path, f"expected an integer, got {_describe(value)}")
        return value

    def items(self, value: Any, path: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise FieldError(path, f"expected a list, got {_describe(value)}")
        return value

    def string_map(self, value: Any, path: str) -> dict[str, str]:
        return {str(k): self.string(v, f"{path}.{k}")
                for k, v in self.mapping(value, path).items()}

    def names(self, value: Any, path: str) -> list[str]:
        """A list of ``{name: ...}`` references (``imagePullSecrets``, ``secrets``)."""
        out = []
        for i, item in enumerate(self.items(value, path)):
            ref = self.mapping(item, f"{path}[{i}]")
            name = self.string(ref.get("name"), f"{path}[{i}].name")
            if name and name not in out:
                out.append(name)
        return out


@dataclass
class Context:
    """What parsing needs from the simulation: the default namespace, the clock origin,
    the integrated registry and the node names."""

    namespace: str = "default"
    start: Any = "2026-01-01T00:00:00Z"
    now: float = 0.0
    internal_registry: str = "image-registry.openshift-image-registry.svc:5000"
    nodes: tuple[str, ...] = ()

    @classmethod
    def of(cls, sim: Simulation, namespace: str) -> Context:
        return cls(namespace, sim.start, sim.now, sim.config.internal_registry,
                   tuple(sim.node_names))


# (kind, group) -> parser; groups per kind list the apiVersions' groups accepted
_API_GROUPS: dict[str, tuple[str, ...]] = {
    "ImageStream": ("image.openshift.io", ""),
    "Namespace": ("",),
    "Project": ("project.openshift.io", ""),
    "ServiceAccount": ("",),
    "Secret": ("",),
    "Role": ("rbac.authorization.k8s.io", "authorization.openshift.io"),
    "ClusterRole": ("rbac.authorization.k8s.io", "authorization.openshift.io"),
    "RoleBinding": ("rbac.authorization.k8s.io", "authorization.openshift.io"),
    "ClusterRoleBinding": ("rbac.authorization.k8s.io", "authorization.openshift.io"),
    "Group": ("user.openshift.io", ""),
    "User": ("user.openshift.io", ""),
    "Pod": ("",),
    "Deployment": ("apps",),
    "DeploymentConfig": ("apps.openshift.io", ""),
}
_VERSIONS = {"rbac.authorization.k8s.io": ("v1", "v1beta1")}

MODELLED_KINDS = tuple(_API_GROUPS)
"""The kinds simkit loads; others are counted and skipped."""


def parse_manifest(manifest: Manifest, ctx: Context) -> Parsed | None:
    """``manifest`` as simkit state, or None for a kind simkit does not model.

    Raises
    ------
    ManifestError
        Wrong ``apiVersion`` for the kind, or an invalid field.

    Examples
    --------
    >>> m = Manifest({"apiVersion": "v1", "kind": "ServiceAccount",
    ...               "metadata": {"name": "robot"}, "imagePullSecrets": [{"name": "q"}]})
    >>> parsed = parse_manifest(m, Context(namespace="demo"))
    >>> parsed.key, parsed.value.image_pull_secrets, parsed.label
    (('demo', 'robot'), ['q'], 'serviceaccount/robot')
    >>> parse_manifest(Manifest({"apiVersion": "v1", "kind": "Service",
    ...                          "metadata": {"name": "web"}}), Context()) is None
    True
    """
    kind = manifest.kind
    groups = _API_GROUPS.get(kind)
    if groups is None:
        return None
    group = manifest.group
    version = manifest.api_version.rpartition("/")[2]
    if group not in groups or version not in _VERSIONS.get(group, ("v1",)):
        raise manifest.error(
            f'no matches for kind "{kind}" in version "{manifest.api_version}" (expected '
            + " or ".join(f"{g}/v1" if g else "v1" for g in groups)
            + ")", field="apiVersion")
    parser = _PARSERS[kind]
    try:
        return parser(manifest, _Fields(manifest.obj), ctx)
    except FieldError as exc:
        raise manifest.error(exc.message, field=exc.field, reason=exc.reason) from None
    except ValueError as exc:
        field_path, message = _split_message(str(exc))
        raise manifest.error(message, field=field_path, reason="Invalid") from None


_FOREIGN = re.compile(r"^(?:[A-Za-z]+ \"[^\"]*\": )?(?P<path>[A-Za-z_][\w.\[\]/-]*): (?P<msg>.*)$",
                      re.S)


def _split_message(text: str) -> tuple[str, str]:
    """``("spec.tags[0].name", "expected ...")`` from a reader's ``"path: message"``."""
    match = _FOREIGN.match(text)
    if match is None:
        return "", text
    path = match.group("path")
    return ("" if path == "object" else path), match.group("msg")


def _metadata(manifest: Manifest, f: _Fields, ctx: Context, namespaced: bool,
              name_rule: str = "subdomain") -> tuple[str, str, dict[str, str], dict[str, str]]:
    meta = f.mapping(f.obj.get("metadata"), "metadata")
    name = f.string(meta.get("name"), "metadata.name")
    if not name:
        raise FieldError("metadata.name", "Required value: name or generateName is required")
    pattern, what, limit = ((DNS1123_LABEL, "a lowercase RFC 1123 label", 63)
                            if name_rule == "label" else
                            (DNS1123_SUBDOMAIN, "a lowercase RFC 1123 subdomain", 253))
    if name_rule != "path" and (not pattern.match(name) or len(name) > limit):
        raise FieldError("metadata.name", f'Invalid value: "{name}": {what} must consist of '
                         "lower case alphanumeric characters, '-' or '.', and must start and "
                         "end with an alphanumeric character")
    namespace = ""
    if namespaced:
        namespace = f.string(meta.get("namespace"), "metadata.namespace") or ctx.namespace
    labels = f.string_map(meta.get("labels"), "metadata.labels")
    annotations = f.string_map(meta.get("annotations"), "metadata.annotations")
    return namespace, name, labels, annotations


def _resource(manifest: Manifest) -> APIResource:
    resource = for_kind(manifest.kind, manifest.group)
    assert resource is not None, manifest.kind
    return resource


# -- image streams ------------------------------------------------------------------------
def _image_stream(manifest: Manifest, f: _Fields, ctx: Context) -> Parsed:
    from simkit.serialize import image_stream_from_dict

    namespace, _, _, _ = _metadata(manifest, f, ctx, True)
    stream = image_stream_from_dict(manifest.obj, namespace=namespace, now=ctx.now,
                                    start=ctx.start, internal_registry=ctx.internal_registry)
    status = f.mapping(f.obj.get("status"), "status")
    has_status = bool(status.get("tags"))
    return Parsed(manifest, "ImageStream", stream.key, stream, _resource(manifest),
                  has_status=has_status)


# -- projects -----------------------------------------------------------------------------
def _project(manifest: Manifest, f: _Fields, ctx: Context) -> Parsed:
    _, name, labels, annotations = _metadata(manifest, f, ctx, False, "label")
    project = Project(
        name, created=ctx.now, requester=annotations.get(REQUESTER_ANNOTATION, ""),
        display_name=annotations.get(DISPLAY_NAME_ANNOTATION, ""),
        description=annotations.get(DESCRIPTION_ANNOTATION, ""),
        labels=labels, annotations=annotations,
    )
    return Parsed(manifest, "Project", project.key, project, _resource(manifest))


# -- service accounts and secrets ---------------------------------------------------------
def _service_account(manifest: Manifest, f: _Fields, ctx: Context) -> Parsed:
    namespace, name, _, annotations = _metadata(manifest, f, ctx, True)
    sa = ServiceAccount(namespace, name,
                        secrets=f.names(f.obj.get("secrets"), "secrets"),
                        image_pull_secrets=f.names(f.obj.get("imagePullSecrets"),
                                                   "imagePullSecrets"),
                        annotations=annotations, created=ctx.now)
    return Parsed(manifest, "ServiceAccount", sa.key, sa, _resource(manifest))


def _secret(manifest: Manifest, f: _Fields, ctx: Context) -> Parsed:
    namespace, name, _, annotations = _metadata(manifest, f, ctx, True)
    secret_type = f.string(f.obj.get("type"), "type") or OPAQUE
    data: dict[str, bytes] = {}
    raw = f.obj.get("data")
    if raw is not None and not isinstance(raw, Mapping):
        raise FieldError("data", f"expected an object of base64 strings, got {_describe(raw)}")
    for key, value in (raw or {}).items():
        path = f"data[{key}]"
        if not isinstance(key, str) or not _valid_data_key(key):
            raise FieldError(path, "Invalid value: a valid config key must consist of "
                             "alphanumeric characters, '-', '_' or '.'")
        if value is None:
            data[key] = b""
            continue
        if not isinstance(value, str):
            raise FieldError(path, f"Invalid value: {REDACTED}: expected a base64 string, "
                             f"got {_describe(value)}")
        try:
            data[key] = base64.b64decode(value.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError, ValueError):
            raise FieldError(path, f"Invalid value: {REDACTED}: illegal base64 data") from None
    raw = f.obj.get("stringData")
    if raw is not None and not isinstance(raw, Mapping):
        raise FieldError("stringData", f"expected an object of strings, got {_describe(raw)}")
    for key, value in (raw or {}).items():
        path = f"stringData[{key}]"
        if not isinstance(key, str) or not _valid_data_key(key):
            raise FieldError(path, "Invalid value: a valid config key must consist of "
                             "alphanumeric characters, '-', '_' or '.'")
        if value is not None and not isinstance(value, str):
            raise FieldError(path, f"Invalid value: {REDACTED}: expected a string, got "
                             f"{_describe(value)}")
        data[key] = (value or "").encode()  # stringData wins over data, as the API does
    _validate_secret_data(secret_type, data)
    meta = f.mapping(f.obj.get("metadata"), "metadata")
    uid = meta.get("uid") if isinstance(meta.get("uid"), str) else ""
    secret = Secret(namespace, name, secret_type, data, annotations, uid=uid, created=ctx.now)
    return Parsed(manifest, "Secret", secret.key, secret, _resource(manifest))


_DATA_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")


def _valid_data_key(key: str) -> bool:
    return bool(_DATA_KEY.match(key)) and len(key) <= 253 and key not in (".", "..")


def _validate_secret_data(secret_type: str, data: dict[str, bytes]) -> None:
    """``ValidateSecret``'s checks of registry secrets (values never shown)."""
    key = {DOCKERCONFIGJSON: ".dockerconfigjson", DOCKERCFG: ".dockercfg"}.get(secret_type)
    if key is None:
        return
    if key not in data:
        raise FieldError(f"data[{key}]", "Required value")
    try:
        parsed = json.loads(data[key])
    except (ValueError, UnicodeDecodeError):
        raise FieldError(f"data[{key}]", f'Invalid value: "{REDACTED}": not valid JSON') from None
    if not isinstance(parsed, dict):
        raise FieldError(f"data[{key}]", f'Invalid value: "{REDACTED}": expected a JSON object')


# -- RBAC, groups and users ---------------------------------------------------------------
def _role(manifest: Manifest, f: _Fields, ctx: Context) -> Parsed:
    from simkit.state.rbac import role_from_dict

    role = role_from_dict(manifest.obj, namespace=ctx.namespace)
    return Parsed(manifest, role.kind, role.key, role, _resource(manifest))


def _binding(manifest: Manifest, f: _Fields, ctx: Context) -> Parsed:
    from simkit.state.rbac import binding_from_dict

    binding = binding_from_dict(manifest.obj, namespace=ctx.namespace)
    return Parsed(manifest, binding.kind, binding.key, binding, _resource(manifest))


def _path_segment_name(name: str, path: str) -> None:
    """``ValidateGroupName``/``ValidateUserName``."""
    if name in (".", ".."):
        raise FieldError(path, f'Invalid value: "{name}": may not be \'{name}\'')
    for bad in ("/", "%", ":"):
        if bad in name:
            raise FieldError(path, f'Invalid value: "{name}": may not contain "{bad}"')
    if name != name.strip():
        raise FieldError(path, f'Invalid value: "{name}": may not have leading or trailing '
                         "whitespace")


def _group(manifest: Manifest, f: _Fields, ctx: Context) -> Parsed:
    _, name, _, _ = _metadata(manifest, f, ctx, False, "path")
    _path_segment_name(name, "metadata.name")
    users = []
    for i, user in enumerate(f.items(f.obj.get("users"), "users")):
        user = f.string(user, f"users[{i}]")
        if user not in users:
            users.append(user)
    group = Group(name, users)
    return Parsed(manifest, "Group", group.key, group, _resource(manifest))


def _user(manifest: Manifest, f: _Fields, ctx: Context) -> Parsed:
    _, name, _, _ = _metadata(manifest, f, ctx, False, "path")
    _path_segment_name(name, "metadata.name")
    identities = [f.string(item, f"identities[{i}]")
                  for i, item in enumerate(f.items(f.obj.get("identities"), "identities"))]
    user = User(name, full_name=f.string(f.obj.get("fullName"), "fullName"),
                identities=identities)
    return Parsed(manifest, "User", user.key, user, _resource(manifest))


# -- pods and workloads -------------------------------------------------------------------
@dataclass
class _Container:
    name: str
    image: str
    pull_policy: str | None
    all_names: list[str]


def _container(f: _Fields, spec: Mapping[str, Any], path: str, image_required: bool
               ) -> _Container:
    containers = f.items(spec.get("containers"), f"{path}.containers")
    if not containers:
        raise FieldError(f"{path}.containers", "Required value")
    names = []
    for i, raw in enumerate(containers):
        item = f.mapping(raw, f"{path}.containers[{i}]")
        names.append(f.string(item.get("name"), f"{path}.containers[{i}].name"))
    first = f.mapping(containers[0], f"{path}.containers[0]")
    where = f"{path}.containers[0]"
    if not names[0]:
        raise FieldError(f"{where}.name", "Required value")
    image = f.string(first.get("image"), f"{where}.image")
    if image_required and not image.strip():
        raise FieldError(f"{where}.image", "Required value")
    policy = f.string(first.get("imagePullPolicy"), f"{where}.imagePullPolicy") or None
    if policy is not None and policy not in PULL_POLICIES:
        raise FieldError(f"{where}.imagePullPolicy", f'Unsupported value: "{policy}": supported '
                         'values: "Always", "IfNotPresent", "Never"')
    return _Container(names[0], image, policy, names)


def _pod_accounts(f: _Fields, spec: Mapping[str, Any], path: str) -> tuple[str, list[str]]:
    account = (f.string(spec.get("serviceAccountName"), f"{path}.serviceAccountName")
               or f.string(spec.get("serviceAccount"), f"{path}.serviceAccount") or "default")
    secrets = f.names(spec.get("imagePullSecrets"), f"{path}.imagePullSecrets")
    return account, secrets


def _owned_by_controller(f: _Fields) -> str:
    meta = f.mapping(f.obj.get("metadata"), "metadata")
    for i, ref in enumerate(f.items(meta.get("ownerReferences"), "metadata.ownerReferences")):
        ref = f.mapping(ref, f"metadata.ownerReferences[{i}]")
        if ref.get("controller") is True:
            return f"{ref.get('kind', 'controller')}/{ref.get('name', '')}"
    return ""


def _pod(manifest: Manifest, f: _Fields, ctx: Context) -> Parsed:
    namespace, name, _, _ = _metadata(manifest, f, ctx, True)
    spec = f.mapping(f.obj.get("spec"), "spec")
    container = _container(f, spec, "spec", image_required=True)
    account, secrets = _pod_accounts(f, spec, "spec")
    node = f.string(spec.get("nodeName"), "spec.nodeName") or None
    notes = []
    if len(container.all_names) > 1:
        notes.append(f"pod {namespace}/{name}: only the first container "
                     f"({container.name}) is modelled")
    if node is not None and ctx.nodes and node not in ctx.nodes:
        notes.append(f'pod {namespace}/{name}: node "{node}" does not exist in the simulation '
                     f"({', '.join(ctx.nodes)}); the pod is scheduled anew")
        node = None
    pod = PodSpec(namespace, name, container.image, container.pull_policy, account, secrets,
                  node, container.name)
    parsed = Parsed(manifest, "Pod", pod.key, pod, _resource(manifest), notes=notes)
    owner = _owned_by_controller(f)
    if owner:
        parsed.skip_reason = f"owned by {owner}, which creates its own pods"
    return parsed


def _template(f: _Fields) -> tuple[Mapping[str, Any], str]:
    spec = f.mapping(f.obj.get("spec"), "spec")
    template = f.mapping(spec.get("template"), "spec.template")
    return f.mapping(template.get("spec"), "spec.template.spec"), "spec.template.spec"


def _replicas(f: _Fields) -> int:
    """``spec.replicas`` of a workload: 1 when unset, never negative."""
    replicas = f.integer(f.get("spec.replicas"), "spec.replicas", 1)
    if replicas < 0:
        raise FieldError("spec.replicas", f"Invalid value: {replicas}: must be greater than or "
                         "equal to 0")
    return replicas


def _deployment(manifest: Manifest, f: _Fields, ctx: Context) -> Parsed:
    from simkit.rules.triggers import parse_trigger_annotation

    namespace, name, _, annotations = _metadata(manifest, f, ctx, True)
    replicas = _replicas(f)
    pod_spec, path = _template(f)
    container = _container(f, pod_spec, path, image_required=False)
    account, secrets = _pod_accounts(f, pod_spec, path)
    triggers: list[ImageTrigger] = []
    if TRIGGERS_ANNOTATION in annotations:
        try:
            triggers = parse_trigger_annotation(annotations[TRIGGERS_ANNOTATION], namespace,
                                                container.all_names)
        except ValueError as exc:
            raise FieldError(f"metadata.annotations.{TRIGGERS_ANNOTATION}", str(exc)) from None
        triggers = [t for t in triggers if t.container == container.name]
    if not container.image.strip() and not triggers:
        raise FieldError(f"{path}.containers[0].image", "Required value")
    workload = Workload("Deployment", namespace, name, container.image or " ",
                        replicas=replicas, pull_policy=container.pull_policy,
                        service_account=account, image_pull_secrets=secrets,
                        triggers=triggers, created=ctx.now, container=container.name)
    return Parsed(manifest, "Deployment", workload.key, workload, _resource(manifest),
                  notes=_first_container_note("deployment", workload, container))


def _deployment_config(manifest: Manifest, f: _Fields, ctx: Context) -> Parsed:
    namespace, name, _, _ = _metadata(manifest, f, ctx, True)
    replicas = _replicas(f)
    pod_spec, path = _template(f)
    container = _container(f, pod_spec, path, image_required=False)
    account, secrets = _pod_accounts(f, pod_spec, path)
    triggers: list[ImageTrigger] = []
    for i, raw in enumerate(f.items(f.get("spec.triggers"), "spec.triggers")):
        where = f"spec.triggers[{i}]"
        item = f.mapping(raw, where)
        kind = f.string(item.get("type"), f"{where}.type")
        if kind == "ConfigChange":
            continue
        if kind != "ImageChange":
            raise FieldError(f"{where}.type", f'Unsupported value: "{kind}": supported values: '
                             '"ConfigChange", "ImageChange"')
        params = f.mapping(item.get("imageChangeParams"), f"{where}.imageChangeParams")
        if not params:
            raise FieldError(f"{where}.imageChangeParams", "Required value")
        source = f.mapping(params.get("from"), f"{where}.imageChangeParams.from")
        source_kind = f.string(source.get("kind"), f"{where}.imageChangeParams.from.kind")
        if source_kind != "ImageStreamTag":
            raise FieldError(f"{where}.imageChangeParams.from.kind",
                             f'Invalid value: "{source_kind}": kind must be an ImageStreamTag')
        stream_tag = f.string(source.get("name"), f"{where}.imageChangeParams.from.name")
        if not stream_tag:
            raise FieldError(f"{where}.imageChangeParams.from.name", "Required value")
        names = [f.string(n, f"{where}.imageChangeParams.containerNames[{j}]")
                 for j, n in enumerate(f.items(params.get("containerNames"),
                                               f"{where}.imageChangeParams.containerNames"))]
        if not names:
            raise FieldError(f"{where}.imageChangeParams.containerNames", "Required value: at "
                             "least one containerName is required")
        for j, container_name in enumerate(names):
            if container_name not in container.all_names:
                raise FieldError(f"{where}.imageChangeParams.containerNames[{j}]",
                                 f'Invalid value: "{container_name}": container '
                                 f"{container_name} doesn't exist")
        if container.name not in names:
            continue  # it changes a container simkit does not model
        triggers.append(ImageTrigger(
            stream_tag if ":" in stream_tag else f"{stream_tag}:latest",
            f.string(source.get("namespace"), f"{where}.imageChangeParams.from.namespace")
            or namespace,
            container=container.name,
            automatic=f.boolean(params.get("automatic"), f"{where}.imageChangeParams.automatic"),
            last_triggered_image=f.string(params.get("lastTriggeredImage"),
                                          f"{where}.imageChangeParams.lastTriggeredImage"),
        ))
    if not container.image.strip() and not triggers:
        raise FieldError(f"{path}.containers[0].image", "Required value")
    workload = Workload("DeploymentConfig", namespace, name, container.image or " ",
                        replicas=replicas, pull_policy=container.pull_policy,
                        service_account=account, image_pull_secrets=secrets,
                        triggers=triggers, created=ctx.now, container=container.name)
    return Parsed(manifest, "DeploymentConfig", workload.key, workload, _resource(manifest),
                  notes=_first_container_note("deploymentconfig", workload, container))


def _first_container_note(what: str, workload: Workload, container: _Container) -> list[str]:
    if len(container.all_names) < 2:
        return []
    return [f"{what} {workload.namespace}/{workload.name}: only the first container "
            f"({container.name}) is modelled"]


_PARSERS = {
    "ImageStream": _image_stream,
    "Namespace": _project,
    "Project": _project,
    "ServiceAccount": _service_account,
    "Secret": _secret,
    "Role": _role,
    "ClusterRole": _role,
    "RoleBinding": _binding,
    "ClusterRoleBinding": _binding,
    "Group": _group,
    "User": _user,
    "Pod": _pod,
    "Deployment": _deployment,
    "DeploymentConfig": _deployment_config,
}

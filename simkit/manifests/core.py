"""The core and OpenShift kinds in and out: namespaces and projects, service accounts,
secrets, groups, users, pods, nodes, Deployments and DeploymentConfigs.

Readers take a decoded object through the one field reader (:class:`Fields`) and
validate it the way the API server would on create (kubernetes
``pkg/apis/core/validation/validation.go``: ``ValidateObjectMeta`` names,
``ValidateSecret``'s registry secrets and data keys, ``validateContainers``' pull
policies; openshift-apiserver ``pkg/user/apis/user/validation``: group and user names;
``pkg/apps/apis/apps/validation``: DeploymentConfig image-change triggers).  Writers give
the object as the API server returns it (field names and ``omitempty`` of
``k8s.io/api/core/v1/types.go``, ``apps/v1`` and openshift/api ``apps/v1``,
``user/v1``); :func:`simkit.manifests.to_api` adds ``uid`` and ``resourceVersion``.

A Secret's ``data`` is written base64-encoded, as the API returns it: this writer is
the one place a secret's value leaves simkit.  Error messages never show it
(``<secret contents redacted>``, as the API server's ``ValidateSecret`` does not either).

Only the first container of a pod or workload is modelled.  A workload's
``rolled_out_image`` (what the last rollout used) has no field of its own and is not
written.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from simkit.manifests.errors import REDACTED
from simkit.manifests.fields import DEFAULT_START, FieldError, Fields, describe, rfc3339
from simkit.state.accounts import DOCKERCFG, DOCKERCONFIGJSON, OPAQUE, Group, Secret, ServiceAccount
from simkit.state.nodes import Node, StoredImage
from simkit.state.projects import Project
from simkit.state.users import User
from simkit.state.workloads import (
    FORBIDDEN,
    PENDING,
    RUNNING,
    TERMINATED,
    TRIGGERS_ANNOTATION,
    ImageTrigger,
    Pod,
    Workload,
)

if TYPE_CHECKING:
    from simkit.simulation import Simulation

DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
PULL_POLICIES = ("Always", "IfNotPresent", "Never")

REQUESTER_ANNOTATION = "openshift.io/requester"
DISPLAY_NAME_ANNOTATION = "openshift.io/display-name"
DESCRIPTION_ANNOTATION = "openshift.io/description"
REVISION_ANNOTATION = "deployment.kubernetes.io/revision"
"""``deploymentutil.RevisionAnnotation``: a Deployment's rollout count."""


@dataclass
class Context:
    """What reading needs from the simulation: the default namespace, the clock origin,
    the time now, the integrated registry and the node names."""

    namespace: str = "default"
    start: Any = DEFAULT_START
    now: float = 0.0
    internal_registry: str = "image-registry.openshift-image-registry.svc:5000"
    nodes: tuple[str, ...] = ()

    @classmethod
    def of(cls, sim: Simulation, namespace: str) -> Context:
        return cls(namespace, sim.start, sim.now, sim.config.internal_registry,
                   tuple(sim.node_names))


@dataclass
class Decoded:
    """A reader's result: the cluster store it goes to, the state object, notes for the
    user, why it is skipped (a controller-owned pod), whether a stream brings status."""

    store: str
    value: Any
    notes: list[str] = field(default_factory=list)
    skip_reason: str = ""
    has_status: bool = False


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


# -- metadata -----------------------------------------------------------------------------
@dataclass
class Meta:
    """``metadata`` as read: name, namespace, labels, annotations, creation time, uid."""

    namespace: str
    name: str
    labels: dict[str, str]
    annotations: dict[str, str]
    created: float
    uid: str


def read_metadata(f: Fields, ctx: Context, namespaced: bool,
                  name_rule: str = "subdomain") -> Meta:
    """``metadata``, its name checked as ``ValidateObjectMeta`` checks it (``label``,
    ``subdomain``, or ``path`` for a path segment checked by the caller)."""
    meta = f.mapping(f.obj.get("metadata"), "metadata")
    name = f.string(meta.get("name"), "metadata.name")
    if not name:
        raise f.fail("metadata.name", "Required value: name or generateName is required")
    pattern, what, limit = ((DNS1123_LABEL, "a lowercase RFC 1123 label", 63)
                            if name_rule == "label" else
                            (DNS1123_SUBDOMAIN, "a lowercase RFC 1123 subdomain", 253))
    if name_rule != "path" and (not pattern.match(name) or len(name) > limit):
        raise f.fail("metadata.name", f'Invalid value: "{name}": {what} must consist of '
                     "lower case alphanumeric characters, '-' or '.', and must start and "
                     "end with an alphanumeric character")
    namespace = ""
    if namespaced:
        namespace = f.string(meta.get("namespace"), "metadata.namespace") or ctx.namespace
    return Meta(
        namespace, name,
        f.string_map(meta.get("labels"), "metadata.labels"),
        f.string_map(meta.get("annotations"), "metadata.annotations"),
        f.time(meta.get("creationTimestamp"), "metadata.creationTimestamp", ctx.now),
        f.string(meta.get("uid"), "metadata.uid"),
    )


def write_metadata(name: str, namespace: str = "", *, created: float | None = None,
                   start: Any = DEFAULT_START, labels: Mapping[str, str] | None = None,
                   annotations: Mapping[str, str] | None = None, uid: str = ""
                   ) -> dict[str, Any]:
    """``metadata`` in ``ObjectMeta``'s field order, empty fields left out."""
    meta: dict[str, Any] = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    if uid:
        meta["uid"] = uid
    if created is not None:
        meta["creationTimestamp"] = rfc3339(created, start)
    if labels:
        meta["labels"] = dict(labels)
    if annotations:
        meta["annotations"] = dict(annotations)
    return meta


# -- projects -----------------------------------------------------------------------------
def read_project(f: Fields, ctx: Context) -> Decoded:
    """A ``Namespace`` or ``Project``: its requester, display name and description
    annotations become the project's fields, the other annotations stay annotations."""
    meta = read_metadata(f, ctx, False, "label")
    annotations = dict(meta.annotations)
    project = Project(
        meta.name, created=meta.created, requester=annotations.pop(REQUESTER_ANNOTATION, ""),
        display_name=annotations.pop(DISPLAY_NAME_ANNOTATION, ""),
        description=annotations.pop(DESCRIPTION_ANNOTATION, ""),
        labels=meta.labels, annotations=annotations,
    )
    return Decoded("Project", project)


def _project_annotations(project: Project) -> dict[str, str]:
    annotations = dict(project.annotations)
    for key, value in ((REQUESTER_ANNOTATION, project.requester),
                       (DISPLAY_NAME_ANNOTATION, project.display_name),
                       (DESCRIPTION_ANNOTATION, project.description)):
        if value:
            annotations[key] = value
    return annotations


def namespace_to_dict(project: Project, start: Any = DEFAULT_START,
                      kind: str = "Namespace") -> dict[str, Any]:
    """The ``Namespace`` (``v1``) or ``Project`` (``project.openshift.io/v1``), Active.

    Examples
    --------
    >>> obj = namespace_to_dict(Project("demo", requester="ann"), kind="Project")
    >>> obj["apiVersion"], obj["metadata"]["annotations"], obj["status"]
    ('project.openshift.io/v1', {'openshift.io/requester': 'ann'}, {'phase': 'Active'})
    """
    return {
        "kind": kind,
        "apiVersion": "project.openshift.io/v1" if kind == "Project" else "v1",
        "metadata": write_metadata(project.name, created=project.created, start=start,
                                   labels=project.labels,
                                   annotations=_project_annotations(project)),
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"},
    }


# -- service accounts and secrets ---------------------------------------------------------
def read_service_account(f: Fields, ctx: Context) -> Decoded:
    """A ``ServiceAccount``: its ``secrets`` and ``imagePullSecrets`` by name."""
    meta = read_metadata(f, ctx, True)
    sa = ServiceAccount(meta.namespace, meta.name,
                        secrets=f.names(f.obj.get("secrets"), "secrets"),
                        image_pull_secrets=f.names(f.obj.get("imagePullSecrets"),
                                                   "imagePullSecrets"),
                        annotations=meta.annotations, created=meta.created)
    return Decoded("ServiceAccount", sa)


def service_account_to_dict(sa: ServiceAccount, start: Any = DEFAULT_START) -> dict[str, Any]:
    """The ``ServiceAccount`` (``secrets`` and ``imagePullSecrets`` omitted when empty)."""
    out: dict[str, Any] = {
        "kind": "ServiceAccount", "apiVersion": "v1",
        "metadata": write_metadata(sa.name, sa.namespace, created=sa.created, start=start,
                                   annotations=sa.annotations),
    }
    if sa.secrets:
        out["secrets"] = [{"name": n} for n in sa.secrets]
    if sa.image_pull_secrets:
        out["imagePullSecrets"] = [{"name": n} for n in sa.image_pull_secrets]
    return out


_DATA_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")


def _valid_data_key(key: str) -> bool:
    return bool(_DATA_KEY.match(key)) and len(key) <= 253 and key not in (".", "..")


def read_secret(f: Fields, ctx: Context) -> Decoded:
    """A ``Secret``: ``data`` base64-decoded, ``stringData`` merged over it, registry
    secrets checked as ``ValidateSecret`` checks them; values never in a message."""
    meta = read_metadata(f, ctx, True)
    secret_type = f.string(f.obj.get("type"), "type") or OPAQUE
    data: dict[str, bytes] = {}
    raw = f.obj.get("data")
    if raw is not None and not isinstance(raw, Mapping):
        raise f.fail("data", f"expected an object of base64 strings, got "
                     f"{describe(raw, secret=True)}")
    for key, value in (raw or {}).items():
        path = f"data[{key}]"
        if not isinstance(key, str) or not _valid_data_key(key):
            raise f.fail(path, "Invalid value: a valid config key must consist of "
                         "alphanumeric characters, '-', '_' or '.'")
        if value is None:
            data[key] = b""
            continue
        if not isinstance(value, str):
            raise f.fail(path, f"Invalid value: {REDACTED}: expected a base64 string, "
                         f"got {describe(value, secret=True)}")
        try:
            data[key] = base64.b64decode(value.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError, ValueError):
            raise f.fail(path, f"Invalid value: {REDACTED}: illegal base64 data") from None
    raw = f.obj.get("stringData")
    if raw is not None and not isinstance(raw, Mapping):
        raise f.fail("stringData", f"expected an object of strings, got "
                     f"{describe(raw, secret=True)}")
    for key, value in (raw or {}).items():
        path = f"stringData[{key}]"
        if not isinstance(key, str) or not _valid_data_key(key):
            raise f.fail(path, "Invalid value: a valid config key must consist of "
                         "alphanumeric characters, '-', '_' or '.'")
        if value is not None and not isinstance(value, str):
            raise f.fail(path, f"Invalid value: {REDACTED}: expected a string, got "
                         f"{describe(value, secret=True)}")
        data[key] = (value or "").encode()  # stringData wins over data, as the API does
    _validate_secret_data(f, secret_type, data)
    secret = Secret(meta.namespace, meta.name, secret_type, data, meta.annotations,
                    uid=meta.uid, created=meta.created)
    return Decoded("Secret", secret)


def _validate_secret_data(f: Fields, secret_type: str, data: dict[str, bytes]) -> None:
    """``ValidateSecret``'s checks of registry secrets (values never shown)."""
    key = {DOCKERCONFIGJSON: ".dockerconfigjson", DOCKERCFG: ".dockercfg"}.get(secret_type)
    if key is None:
        return
    if key not in data:
        raise f.fail(f"data[{key}]", "Required value")
    try:
        parsed = json.loads(data[key])
    except (ValueError, UnicodeDecodeError):
        raise f.fail(f"data[{key}]", f'Invalid value: "{REDACTED}": not valid JSON') from None
    if not isinstance(parsed, dict):
        raise f.fail(f"data[{key}]", f'Invalid value: "{REDACTED}": expected a JSON object')


def secret_to_dict(secret: Secret, start: Any = DEFAULT_START) -> dict[str, Any]:
    """The ``Secret`` as the API returns it: ``data`` base64-encoded, keys sorted.

    The only place a secret's value is written; nothing else may show it.

    Examples
    --------
    >>> secret_to_dict(Secret("p", "s", data={"k": b"v"}))["data"]
    {'k': 'dg=='}
    """
    out: dict[str, Any] = {
        "kind": "Secret", "apiVersion": "v1",
        "metadata": write_metadata(secret.name, secret.namespace, created=secret.created,
                                   start=start, annotations=secret.annotations,
                                   uid=secret.uid),
    }
    if secret.data:
        out["data"] = {k: base64.b64encode(secret.data[k]).decode("ascii")
                       for k in sorted(secret.data)}
    out["type"] = secret.type
    return out


# -- groups and users ---------------------------------------------------------------------
def _path_segment_name(f: Fields, name: str, path: str) -> None:
    """``ValidateGroupName``/``ValidateUserName``."""
    if name in (".", ".."):
        raise f.fail(path, f'Invalid value: "{name}": may not be \'{name}\'')
    for bad in ("/", "%", ":"):
        if bad in name:
            raise f.fail(path, f'Invalid value: "{name}": may not contain "{bad}"')
    if name != name.strip():
        raise f.fail(path, f'Invalid value: "{name}": may not have leading or trailing '
                     "whitespace")


def read_group(f: Fields, ctx: Context) -> Decoded:
    """A ``Group`` (``user.openshift.io/v1``): its users, duplicates dropped."""
    meta = read_metadata(f, ctx, False, "path")
    _path_segment_name(f, meta.name, "metadata.name")
    users: list[str] = []
    for i, user in enumerate(f.items(f.obj.get("users"), "users")):
        user = f.string(user, f"users[{i}]")
        if user not in users:
            users.append(user)
    return Decoded("Group", Group(meta.name, users))


def group_to_dict(group: Group, start: Any = DEFAULT_START) -> dict[str, Any]:
    """The ``Group`` (``users`` is not ``omitempty``: null when empty)."""
    return {"kind": "Group", "apiVersion": "user.openshift.io/v1",
            "metadata": write_metadata(group.name), "users": list(group.users) or None}


def read_user(f: Fields, ctx: Context) -> Decoded:
    """A ``User`` (``user.openshift.io/v1``): full name and identities."""
    meta = read_metadata(f, ctx, False, "path")
    _path_segment_name(f, meta.name, "metadata.name")
    identities = [f.string(item, f"identities[{i}]")
                  for i, item in enumerate(f.items(f.obj.get("identities"), "identities"))]
    user = User(meta.name, full_name=f.string(f.obj.get("fullName"), "fullName"),
                identities=identities)
    return Decoded("User", user)


def user_to_dict(user: User, start: Any = DEFAULT_START) -> dict[str, Any]:
    """The ``User``."""
    out: dict[str, Any] = {"kind": "User", "apiVersion": "user.openshift.io/v1",
                           "metadata": write_metadata(user.name)}
    if user.full_name:
        out["fullName"] = user.full_name
    out["identities"] = list(user.identities) or None
    out["groups"] = None
    return out


# -- pods ---------------------------------------------------------------------------------
@dataclass
class _Container:
    name: str
    image: str
    pull_policy: str | None
    all_names: list[str]


def _container(f: Fields, spec: Mapping[str, Any], path: str, image_required: bool
               ) -> _Container:
    containers = f.items(spec.get("containers"), f"{path}.containers")
    if not containers:
        raise f.fail(f"{path}.containers", "Required value")
    names = []
    for i, raw in enumerate(containers):
        item = f.mapping(raw, f"{path}.containers[{i}]")
        names.append(f.string(item.get("name"), f"{path}.containers[{i}].name"))
    first = f.mapping(containers[0], f"{path}.containers[0]")
    where = f"{path}.containers[0]"
    if not names[0]:
        raise f.fail(f"{where}.name", "Required value")
    image = f.string(first.get("image"), f"{where}.image")
    if image_required and not image.strip():
        raise f.fail(f"{where}.image", "Required value")
    policy = f.string(first.get("imagePullPolicy"), f"{where}.imagePullPolicy") or None
    if policy is not None and policy not in PULL_POLICIES:
        raise f.fail(f"{where}.imagePullPolicy", f'Unsupported value: "{policy}": supported '
                     'values: "Always", "IfNotPresent", "Never"')
    return _Container(names[0], image, policy, names)


def _pod_accounts(f: Fields, spec: Mapping[str, Any], path: str) -> tuple[str, list[str]]:
    account = (f.string(spec.get("serviceAccountName"), f"{path}.serviceAccountName")
               or f.string(spec.get("serviceAccount"), f"{path}.serviceAccount") or "default")
    secrets = f.names(spec.get("imagePullSecrets"), f"{path}.imagePullSecrets")
    return account, secrets


_OWNER_KINDS = {"ReplicaSet": "Deployment", "ReplicationController": "DeploymentConfig"}


def _controller_ref(f: Fields) -> Mapping[str, Any] | None:
    meta = f.mapping(f.obj.get("metadata"), "metadata")
    for i, ref in enumerate(f.items(meta.get("ownerReferences"), "metadata.ownerReferences")):
        ref = f.mapping(ref, f"metadata.ownerReferences[{i}]")
        if ref.get("controller") is True:
            return ref
    return None


def read_pod(f: Fields, ctx: Context) -> Decoded:
    """A pod to create (:class:`PodSpec`); one owned by a controller is skipped."""
    meta = read_metadata(f, ctx, True)
    namespace, name = meta.namespace, meta.name
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
    decoded = Decoded("Pod", pod, notes=notes)
    ref = _controller_ref(f)
    if ref is not None:
        decoded.skip_reason = (f"owned by {ref.get('kind', 'controller')}/"
                               f"{ref.get('name', '')}, which creates its own pods")
    return decoded


def _image_id(pod: Pod) -> str:
    repository = pod.image.split("@", 1)[0]
    slash = repository.rfind("/")
    colon = repository.rfind(":")
    if colon > slash:
        repository = repository[:colon]
    return f"{repository}@{pod.image_digest}"


def pod_to_dict(pod: Pod, start: Any = DEFAULT_START) -> dict[str, Any]:
    """The ``Pod``: spec with its one container, status as the kubelet reports it.

    ``status`` ``Running`` is phase ``Running`` with a running container whose
    ``imageID`` is ``repository@digest``; a waiting reason (``ErrImagePull``,
    ``ImagePullBackOff`` ...) is phase ``Pending`` with ``state.waiting``; a pod refused
    at admission has ``reason: Forbidden``.  The owner is the controller reference to
    the ReplicaSet or ReplicationController of the workload's revision (``name-N``).

    Examples
    --------
    >>> obj = pod_to_dict(Pod("p", "web", "quay.io/a:1", "IfNotPresent", status="ErrImagePull",
    ...                       message="unauthorized"))
    >>> obj["status"]["containerStatuses"][0]["state"]
    {'waiting': {'reason': 'ErrImagePull', 'message': 'unauthorized'}}
    """
    container: dict[str, Any] = {"name": pod.container, "image": pod.image,
                                 "imagePullPolicy": pod.pull_policy}
    spec: dict[str, Any] = {"containers": [container],
                            "serviceAccountName": pod.service_account,
                            "serviceAccount": pod.service_account}
    if pod.node:
        spec["nodeName"] = pod.node
    if pod.image_pull_secrets:
        spec["imagePullSecrets"] = [{"name": n} for n in pod.image_pull_secrets]
    meta = write_metadata(pod.name, pod.namespace, created=pod.created, start=start,
                          uid=pod.uid)
    if pod.owner:
        kind, _, rest = pod.owner.partition("/")
        name, _, revision = rest.partition("#")
        owner_kind = {v: k for k, v in _OWNER_KINDS.items()}.get(kind, kind)
        meta["ownerReferences"] = [{
            "apiVersion": "apps/v1" if owner_kind == "ReplicaSet" else "v1",
            "kind": owner_kind, "name": f"{name}-{revision}" if revision else name,
            "controller": True, "blockOwnerDeletion": True}]
    status: dict[str, Any] = {"phase": pod.status if pod.status in (PENDING, RUNNING)
                              else PENDING}
    state: dict[str, Any] = {}
    if pod.status == RUNNING:
        state = {"running": {"startedAt": rfc3339(pod.started or pod.created, start)}}
    elif pod.status == TERMINATED:
        status["phase"] = "Succeeded"
        state = {"terminated": {"reason": "Completed", "exitCode": 0}}
    elif pod.status == FORBIDDEN:
        status["phase"] = "Failed"
        status["reason"] = FORBIDDEN
        if pod.message:
            status["message"] = pod.message
    elif pod.status != PENDING:
        state = {"waiting": {"reason": pod.status,
                             **({"message": pod.message} if pod.message else {})}}
    elif pod.message:
        status["message"] = pod.message
    if state:
        container_status: dict[str, Any] = {
            "name": pod.container, "state": state, "ready": pod.status == RUNNING,
            "restartCount": pod.restarts, "image": pod.image,
            "imageID": _image_id(pod) if pod.image_digest else ""}
        status["containerStatuses"] = [container_status]
    if pod.started is not None:
        status["startTime"] = rfc3339(pod.started, start)
    return {"kind": "Pod", "apiVersion": "v1", "metadata": meta, "spec": spec,
            "status": status}


def pod_from_dict(f: Fields, ctx: Context) -> Pod:
    """The stored :class:`~simkit.state.workloads.Pod`, status included, from
    :func:`pod_to_dict`'s shape."""
    spec_decoded = read_pod(f, ctx).value
    meta = read_metadata(f, ctx, True)
    status = f.mapping(f.obj.get("status"), "status")
    statuses = f.items(status.get("containerStatuses"), "status.containerStatuses")
    first = f.mapping(statuses[0], "status.containerStatuses[0]") if statuses else {}
    where = "status.containerStatuses[0]"
    state = f.mapping(first.get("state"), f"{where}.state")
    phase = f.string(status.get("phase"), "status.phase")
    message = f.string(status.get("message"), "status.message")
    if f.string(status.get("reason"), "status.reason") == FORBIDDEN:
        value = FORBIDDEN
    elif "running" in state:
        value = RUNNING
    elif "terminated" in state or phase == "Succeeded":
        value = TERMINATED
    elif "waiting" in state:
        waiting = f.mapping(state.get("waiting"), f"{where}.state.waiting")
        value = f.string(waiting.get("reason"), f"{where}.state.waiting.reason") or PENDING
        message = f.string(waiting.get("message"), f"{where}.state.waiting.message")
    else:
        value = RUNNING if phase == RUNNING else PENDING
    image_id = f.string(first.get("imageID"), f"{where}.imageID")
    owner = ""
    ref = _controller_ref(f)
    if ref is not None:
        kind = _OWNER_KINDS.get(str(ref.get("kind")), str(ref.get("kind")))
        name, _, revision = str(ref.get("name", "")).rpartition("-")
        owner = f"{kind}/{name}#{revision}" if name and revision.isdigit() else (
            f"{kind}/{ref.get('name', '')}")
    start_time = status.get("startTime")
    return Pod(
        meta.namespace, meta.name, spec_decoded.image,
        spec_decoded.pull_policy or "", uid=meta.uid,
        service_account=spec_decoded.service_account,
        image_pull_secrets=spec_decoded.image_pull_secrets, node=spec_decoded.node,
        created=meta.created, status=value, message=message,
        image_digest=image_id.rpartition("@")[2] if "@" in image_id else None,
        started=(None if start_time is None
                 else f.time(start_time, "status.startTime", ctx.now)),
        owner=owner,
        restarts=f.integer(first.get("restartCount"), f"{where}.restartCount", 0) or 0,
        container=spec_decoded.container,
    )


# -- nodes --------------------------------------------------------------------------------
BANDWIDTH_ANNOTATION = "simkit.io/bandwidth-bytes-per-second"
"""On a Node: the simulated download bandwidth (no Kubernetes field holds it)."""


def node_to_dict(node: Node, start: Any = DEFAULT_START) -> dict[str, Any]:
    """The ``Node``: ephemeral-storage capacity, the Ready condition, and
    ``status.images`` (each image's names and size, as the kubelet reports them).

    The node's ``config.json`` (the rolled-out global pull secret) is never written.

    Examples
    --------
    >>> node = Node("worker-0", disk_capacity=1000)
    >>> _ = node.store("quay.io/a:1", "sha256:1", 10, 0.0)
    >>> node_to_dict(node)["status"]["images"]
    [{'names': ['quay.io/a:1', 'sha256:1'], 'sizeBytes': 10}]
    """
    images = []
    for digest in sorted(node.images):
        stored = node.images[digest]
        images.append({"names": sorted(stored.names) + [digest], "sizeBytes": stored.size})
    return {
        "kind": "Node", "apiVersion": "v1",
        "metadata": write_metadata(node.name, annotations={
            BANDWIDTH_ANNOTATION: repr(float(node.bandwidth))}),
        "spec": {},
        "status": {
            "capacity": {"ephemeral-storage": str(node.disk_capacity)},
            "conditions": [{"type": "Ready", "status": "True" if node.ready else "False"}],
            "images": images,
        },
    }


def read_node(f: Fields, ctx: Context) -> Node:
    """A :class:`~simkit.state.nodes.Node` from :func:`node_to_dict`'s shape (what the API
    shows of its image store: names and sizes, not when each was pulled or used)."""
    meta = read_metadata(f, ctx, False)
    status = f.mapping(f.obj.get("status"), "status")
    capacity = f.string_map(status.get("capacity"), "status.capacity")
    node = Node(meta.name)
    storage = capacity.get("ephemeral-storage")
    if storage:
        if not storage.isdigit():
            raise f.fail("status.capacity.ephemeral-storage", f"Invalid value: {storage!r}: "
                         "simkit reads a plain number of bytes")
        node.disk_capacity = int(storage)
    bandwidth = meta.annotations.get(BANDWIDTH_ANNOTATION)
    if bandwidth:
        try:
            node.bandwidth = float(bandwidth)
        except ValueError:
            raise f.fail(f"metadata.annotations.{BANDWIDTH_ANNOTATION}",
                         f"Invalid value: {bandwidth!r}: expected a number") from None
    for i, raw in enumerate(f.items(status.get("conditions"), "status.conditions")):
        condition = f.mapping(raw, f"status.conditions[{i}]")
        if condition.get("type") == "Ready":
            node.ready = condition.get("status") == "True"
    for i, raw in enumerate(f.items(status.get("images"), "status.images")):
        where = f"status.images[{i}]"
        item = f.mapping(raw, where)
        names = list(f.strings(item.get("names"), f"{where}.names"))
        digests = [n for n in names if n.startswith("sha256:")]
        if not digests:
            raise f.fail(f"{where}.names", "Required value: the image's digest")
        digest = digests[-1]
        size = f.integer(item.get("sizeBytes"), f"{where}.sizeBytes", 0) or 0
        node.images[digest] = StoredImage(digest, size, {n for n in names if n != digest})
        for name in names:
            if name != digest:
                node.names[name] = digest
    return node


# -- Deployments and DeploymentConfigs ----------------------------------------------------
def _template(f: Fields) -> tuple[Mapping[str, Any], str]:
    spec = f.mapping(f.obj.get("spec"), "spec")
    template = f.mapping(spec.get("template"), "spec.template")
    return f.mapping(template.get("spec"), "spec.template.spec"), "spec.template.spec"


def _replicas(f: Fields) -> int:
    """``spec.replicas`` of a workload: 1 when unset, never negative."""
    replicas = f.integer(f.get("spec.replicas"), "spec.replicas", 1)
    assert replicas is not None
    if replicas < 0:
        raise f.fail("spec.replicas", f"Invalid value: {replicas}: must be greater than or "
                     "equal to 0")
    return replicas


def _first_container_note(what: str, workload: Workload, container: _Container) -> list[str]:
    if len(container.all_names) < 2:
        return []
    return [f"{what} {workload.namespace}/{workload.name}: only the first container "
            f"({container.name}) is modelled"]


def read_deployment(f: Fields, ctx: Context) -> Decoded:
    """A ``Deployment`` (``apps/v1``) with its ``image.openshift.io/triggers``."""
    from simkit.rules.triggers import parse_trigger_annotation

    meta = read_metadata(f, ctx, True)
    namespace, name, annotations = meta.namespace, meta.name, meta.annotations
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
            raise f.fail(f"metadata.annotations.{TRIGGERS_ANNOTATION}", str(exc)) from None
        triggers = [t for t in triggers if t.container == container.name]
    if not container.image.strip() and not triggers:
        raise f.fail(f"{path}.containers[0].image", "Required value")
    revision = annotations.get(REVISION_ANNOTATION, "0")
    workload = Workload("Deployment", namespace, name, container.image or " ",
                        replicas=replicas, pull_policy=container.pull_policy,
                        service_account=account, image_pull_secrets=secrets,
                        triggers=triggers, created=meta.created, container=container.name,
                        revision=int(revision) if revision.isdigit() else 0)
    return Decoded("Deployment", workload,
                   notes=_first_container_note("deployment", workload, container))


def read_deployment_config(f: Fields, ctx: Context) -> Decoded:
    """A ``DeploymentConfig`` (``apps.openshift.io/v1``) with its ImageChange triggers,
    checked as ``validateImageChangeParams`` checks them."""
    meta = read_metadata(f, ctx, True)
    namespace, name = meta.namespace, meta.name
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
            raise f.fail(f"{where}.type", f'Unsupported value: "{kind}": supported values: '
                         '"ConfigChange", "ImageChange"')
        params = f.mapping(item.get("imageChangeParams"), f"{where}.imageChangeParams")
        if not params:
            raise f.fail(f"{where}.imageChangeParams", "Required value")
        source = f.mapping(params.get("from"), f"{where}.imageChangeParams.from")
        source_kind = f.string(source.get("kind"), f"{where}.imageChangeParams.from.kind")
        if source_kind != "ImageStreamTag":
            raise f.fail(f"{where}.imageChangeParams.from.kind",
                         f'Invalid value: "{source_kind}": kind must be an ImageStreamTag')
        stream_tag = f.string(source.get("name"), f"{where}.imageChangeParams.from.name")
        if not stream_tag:
            raise f.fail(f"{where}.imageChangeParams.from.name", "Required value")
        names = [f.string(n, f"{where}.imageChangeParams.containerNames[{j}]")
                 for j, n in enumerate(f.items(params.get("containerNames"),
                                               f"{where}.imageChangeParams.containerNames"))]
        if not names:
            raise f.fail(f"{where}.imageChangeParams.containerNames", "Required value: at "
                         "least one containerName is required")
        for j, container_name in enumerate(names):
            if container_name not in container.all_names:
                raise f.fail(f"{where}.imageChangeParams.containerNames[{j}]",
                             f'Invalid value: "{container_name}": container '
                             f"{container_name} doesn't exist")
        if container.name not in names:
            continue  # it changes a container simkit does not model
        triggers.append(ImageTrigger(
            stream_tag if ":" in stream_tag else f"{stream_tag}:latest",
            f.string(source.get("namespace"), f"{where}.imageChangeParams.from.namespace")
            or namespace,
            container=container.name,
            automatic=bool(f.boolean(params.get("automatic"),
                                     f"{where}.imageChangeParams.automatic")),
            last_triggered_image=f.string(params.get("lastTriggeredImage"),
                                          f"{where}.imageChangeParams.lastTriggeredImage"),
        ))
    if not container.image.strip() and not triggers:
        raise f.fail(f"{path}.containers[0].image", "Required value")
    status = f.mapping(f.obj.get("status"), "status")
    workload = Workload("DeploymentConfig", namespace, name, container.image or " ",
                        replicas=replicas, pull_policy=container.pull_policy,
                        service_account=account, image_pull_secrets=secrets,
                        triggers=triggers, created=meta.created, container=container.name,
                        revision=f.integer(status.get("latestVersion"),
                                           "status.latestVersion", 0) or 0)
    return Decoded("DeploymentConfig", workload,
                   notes=_first_container_note("deploymentconfig", workload, container))


def workload_to_dict(workload: Workload, start: Any = DEFAULT_START) -> dict[str, Any]:
    """The ``Deployment`` (``apps/v1``, triggers in ``image.openshift.io/triggers``, the
    rollout count in ``deployment.kubernetes.io/revision``) or ``DeploymentConfig``
    (``apps.openshift.io/v1``, ImageChange triggers, ``status.latestVersion``).

    Examples
    --------
    >>> w = Workload("DeploymentConfig", "p", "web", "quay.io/a:1", triggers=[
    ...     ImageTrigger("app:1", "p", container="app")], revision=2)
    >>> obj = workload_to_dict(w)
    >>> obj["spec"]["triggers"][0]["imageChangeParams"]["from"], obj["status"]
    ({'kind': 'ImageStreamTag', 'name': 'app:1', 'namespace': 'p'}, {'latestVersion': 2})
    """
    from simkit.rules.triggers import trigger_annotation

    container: dict[str, Any] = {"name": workload.container, "image": workload.template_image}
    if workload.pull_policy:
        container["imagePullPolicy"] = workload.pull_policy
    pod: dict[str, Any] = {"containers": [container],
                           "serviceAccountName": workload.service_account}
    if workload.image_pull_secrets:
        pod["imagePullSecrets"] = [{"name": n} for n in workload.image_pull_secrets]
    spec: dict[str, Any] = {"replicas": workload.replicas, "template": {"spec": pod}}
    annotations: dict[str, str] = {}
    if workload.kind == "Deployment":
        if workload.triggers:
            annotations[TRIGGERS_ANNOTATION] = trigger_annotation(workload.triggers)
        if workload.revision:
            annotations[REVISION_ANNOTATION] = str(workload.revision)
    meta = write_metadata(workload.name, workload.namespace, created=workload.created,
                          start=start, annotations=annotations)
    if workload.kind == "Deployment":
        return {"kind": "Deployment", "apiVersion": "apps/v1", "metadata": meta,
                "spec": spec, "status": {"replicas": workload.replicas}}
    spec["triggers"] = [
        {"type": "ImageChange", "imageChangeParams": {
            "automatic": t.automatic, "containerNames": [t.container],
            "from": {"kind": "ImageStreamTag", "name": t.stream_tag, "namespace": t.namespace},
            **({"lastTriggeredImage": t.last_triggered_image}
               if t.last_triggered_image else {})}}
        for t in workload.triggers
    ]
    return {"kind": "DeploymentConfig", "apiVersion": "apps.openshift.io/v1",
            "metadata": meta, "spec": spec, "status": {"latestVersion": workload.revision}}


__all__ = [
    "Context",
    "Decoded",
    "FieldError",
    "PodSpec",
    "group_to_dict",
    "namespace_to_dict",
    "node_to_dict",
    "pod_from_dict",
    "pod_to_dict",
    "read_deployment",
    "read_deployment_config",
    "read_group",
    "read_node",
    "read_pod",
    "read_project",
    "read_secret",
    "read_service_account",
    "read_user",
    "secret_to_dict",
    "service_account_to_dict",
    "user_to_dict",
    "workload_to_dict",
]

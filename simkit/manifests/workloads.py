"""Pods, nodes, Deployments and DeploymentConfigs in and out.

Readers validate as the API server does on create (kubernetes
``pkg/apis/core/validation/validation.go``: ``validateContainers``' required image and
name, ``validatePullPolicy``; ``pkg/apis/apps/validation``: a negative ``replicas``;
openshift-apiserver ``pkg/apps/apis/apps/validation``: ``validateImageChangeParams`` of a
DeploymentConfig's triggers).  Writers give the object as the API server returns it
(``k8s.io/api/core/v1/types.go`` ``Pod`` and ``Node``, ``k8s.io/api/apps/v1``
``Deployment``, openshift/api ``apps/v1`` ``DeploymentConfig``), status as the kubelet
and the controllers report it.

Only the first container of a pod or workload is modelled.  A workload's
``rolled_out_image`` (what the last rollout used) has no field of its own and is not
written; a node's image store is written as ``status.images`` (names and sizes: not when
each image was pulled or last used) and its ``config.json`` never.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from simkit.manifests.core import Context, Decoded, Meta, read_metadata, write_metadata
from simkit.manifests.fields import DEFAULT_START, Fields, rfc3339
from simkit.state.nodes import Node, StoredImage
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

__all__ = [
    "BANDWIDTH_ANNOTATION",
    "PodSpec",
    "node_to_dict",
    "pod_from_dict",
    "pod_to_dict",
    "read_deployment",
    "read_deployment_config",
    "read_node",
    "read_pod",
    "workload_to_dict",
]

PULL_POLICIES = ("Always", "IfNotPresent", "Never")
REVISION_ANNOTATION = "deployment.kubernetes.io/revision"
"""``deploymentutil.RevisionAnnotation``: a Deployment's rollout count."""


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


# -- pods ---------------------------------------------------------------------------------
@dataclass
class _Container:
    name: str
    image: str
    pull_policy: str | None
    all_names: list[str]


def _container(f: Fields, spec: Mapping[str, Any], path: str, image_required: bool) -> _Container:
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
        raise f.fail(
            f"{where}.imagePullPolicy",
            f'Unsupported value: "{policy}": supported values: "Always", "IfNotPresent", "Never"',
        )
    return _Container(names[0], image, policy, names)


def _pod_accounts(f: Fields, spec: Mapping[str, Any], path: str) -> tuple[str, list[str]]:
    account = (
        f.string(spec.get("serviceAccountName"), f"{path}.serviceAccountName")
        or f.string(spec.get("serviceAccount"), f"{path}.serviceAccount")
        or "default"
    )
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
        notes.append(
            f"pod {namespace}/{name}: only the first container ({container.name}) is modelled"
        )
    if node is not None and ctx.nodes and node not in ctx.nodes:
        notes.append(
            f'pod {namespace}/{name}: node "{node}" does not exist in the simulation '
            f"({', '.join(ctx.nodes)}); the pod is scheduled anew"
        )
        node = None
    pod = PodSpec(
        namespace,
        name,
        container.image,
        container.pull_policy,
        account,
        secrets,
        node,
        container.name,
    )
    decoded = Decoded("Pod", pod, notes=notes)
    ref = _controller_ref(f)
    if ref is not None:
        decoded.skip_reason = (
            f"owned by {ref.get('kind', 'controller')}/"
            f"{ref.get('name', '')}, which creates its own pods"
        )
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
    container: dict[str, Any] = {
        "name": pod.container,
        "image": pod.image,
        "imagePullPolicy": pod.pull_policy,
    }
    spec: dict[str, Any] = {
        "containers": [container],
        "serviceAccountName": pod.service_account,
        "serviceAccount": pod.service_account,
    }
    if pod.node:
        spec["nodeName"] = pod.node
    if pod.image_pull_secrets:
        spec["imagePullSecrets"] = [{"name": n} for n in pod.image_pull_secrets]
    meta = write_metadata(pod.name, pod.namespace, created=pod.created, start=start, uid=pod.uid)
    if pod.owner:
        kind, _, rest = pod.owner.partition("/")
        name, _, revision = rest.partition("#")
        owner_kind = {v: k for k, v in _OWNER_KINDS.items()}.get(kind, kind)
        meta["ownerReferences"] = [
            {
                "apiVersion": "apps/v1" if owner_kind == "ReplicaSet" else "v1",
                "kind": owner_kind,
                "name": f"{name}-{revision}" if revision else name,
                "controller": True,
                "blockOwnerDeletion": True,
            }
        ]
    status: dict[str, Any] = {"phase": pod.status if pod.status in (PENDING, RUNNING) else PENDING}
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
        state = {
            "waiting": {"reason": pod.status, **({"message": pod.message} if pod.message else {})}
        }
    elif pod.message:
        status["message"] = pod.message
    if state:
        container_status: dict[str, Any] = {
            "name": pod.container,
            "state": state,
            "ready": pod.status == RUNNING,
            "restartCount": pod.restarts,
            "image": pod.image,
            "imageID": _image_id(pod) if pod.image_digest else "",
        }
        status["containerStatuses"] = [container_status]
    if pod.started is not None:
        status["startTime"] = rfc3339(pod.started, start)
    return {"kind": "Pod", "apiVersion": "v1", "metadata": meta, "spec": spec, "status": status}


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
        owner = (
            f"{kind}/{name}#{revision}"
            if name and revision.isdigit()
            else (f"{kind}/{ref.get('name', '')}")
        )
    start_time = status.get("startTime")
    return Pod(
        meta.namespace,
        meta.name,
        spec_decoded.image,
        spec_decoded.pull_policy or "",
        uid=meta.uid,
        service_account=spec_decoded.service_account,
        image_pull_secrets=spec_decoded.image_pull_secrets,
        node=spec_decoded.node,
        created=meta.created,
        status=value,
        message=message,
        image_digest=image_id.rpartition("@")[2] if "@" in image_id else None,
        started=(None if start_time is None else f.time(start_time, "status.startTime", ctx.now)),
        owner=owner,
        restarts=f.integer(first.get("restartCount"), f"{where}.restartCount", 0) or 0,
        container=spec_decoded.container,
    )


# -- nodes --------------------------------------------------------------------------------
BANDWIDTH_ANNOTATION = "simkit.io/bandwidth-bytes-per-second"
"""On a Node: the simulated download bandwidth (no Kubernetes field holds it)."""


def node_to_dict(node: Node, start: Any = DEFAULT_START) -> dict[str, Any]:
    """The ``Node``: its hostname and worker-role labels (every simulated node is a worker),
    ephemeral-storage capacity, the Ready condition, and
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
        "kind": "Node",
        "apiVersion": "v1",
        "metadata": write_metadata(
            node.name,
            labels={"kubernetes.io/hostname": node.name, "node-role.kubernetes.io/worker": ""},
            annotations={BANDWIDTH_ANNOTATION: repr(float(node.bandwidth))},
        ),
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
            raise f.fail(
                "status.capacity.ephemeral-storage",
                f"Invalid value: {storage!r}: simkit reads a plain number of bytes",
            )
        node.disk_capacity = int(storage)
    bandwidth = meta.annotations.get(BANDWIDTH_ANNOTATION)
    if bandwidth:
        try:
            node.bandwidth = float(bandwidth)
        except ValueError:
            raise f.fail(
                f"metadata.annotations.{BANDWIDTH_ANNOTATION}",
                f"Invalid value: {bandwidth!r}: expected a number",
            ) from None
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
        raise f.fail(
            "spec.replicas", f"Invalid value: {replicas}: must be greater than or equal to 0"
        )
    return replicas


def _first_container_note(what: str, workload: Workload, container: _Container) -> list[str]:
    if len(container.all_names) < 2:
        return []
    return [
        f"{what} {workload.namespace}/{workload.name}: only the first container "
        f"({container.name}) is modelled"
    ]


def _decoded_workload(
    kind: str,
    meta: Meta,
    container: _Container,
    replicas: int,
    account: str,
    secrets: list[str],
    triggers: list[ImageTrigger],
    revision: int,
) -> Decoded:
    """The ``Workload`` a Deployment or DeploymentConfig reader found, with the note
    that only its first container is modelled (named by ``kind`` in lower case)."""
    workload = Workload(
        kind,
        meta.namespace,
        meta.name,
        container.image or " ",
        replicas=replicas,
        pull_policy=container.pull_policy,
        service_account=account,
        image_pull_secrets=secrets,
        triggers=triggers,
        created=meta.created,
        container=container.name,
        revision=revision,
    )
    return Decoded(kind, workload, notes=_first_container_note(kind.lower(), workload, container))


def read_deployment(f: Fields, ctx: Context) -> Decoded:
    """A ``Deployment`` (``apps/v1``) with its ``image.openshift.io/triggers``."""
    from simkit.rules.triggers import parse_trigger_annotation

    meta = read_metadata(f, ctx, True)
    namespace, annotations = meta.namespace, meta.annotations
    replicas = _replicas(f)
    pod_spec, path = _template(f)
    container = _container(f, pod_spec, path, image_required=False)
    account, secrets = _pod_accounts(f, pod_spec, path)
    triggers: list[ImageTrigger] = []
    if TRIGGERS_ANNOTATION in annotations:
        try:
            triggers = parse_trigger_annotation(
                annotations[TRIGGERS_ANNOTATION], namespace, container.all_names
            )
        except ValueError as exc:
            raise f.fail(f"metadata.annotations.{TRIGGERS_ANNOTATION}", str(exc)) from None
        triggers = [t for t in triggers if t.container == container.name]
    if not container.image.strip() and not triggers:
        raise f.fail(f"{path}.containers[0].image", "Required value")
    revision = annotations.get(REVISION_ANNOTATION, "0")
    return _decoded_workload(
        "Deployment",
        meta,
        container,
        replicas,
        account,
        secrets,
        triggers,
        int(revision) if revision.isdigit() else 0,
    )


def read_deployment_config(f: Fields, ctx: Context) -> Decoded:
    """A ``DeploymentConfig`` (``apps.openshift.io/v1``) with its ImageChange triggers,
    checked as ``validateImageChangeParams`` checks them."""
    meta = read_metadata(f, ctx, True)
    namespace = meta.namespace
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
            raise f.fail(
                f"{where}.type",
                f'Unsupported value: "{kind}": supported values: "ConfigChange", "ImageChange"',
            )
        params = f.mapping(item.get("imageChangeParams"), f"{where}.imageChangeParams")
        if not params:
            raise f.fail(f"{where}.imageChangeParams", "Required value")
        source = f.mapping(params.get("from"), f"{where}.imageChangeParams.from")
        source_kind = f.string(source.get("kind"), f"{where}.imageChangeParams.from.kind")
        if source_kind != "ImageStreamTag":
            raise f.fail(
                f"{where}.imageChangeParams.from.kind",
                f'Invalid value: "{source_kind}": kind must be an ImageStreamTag',
            )
        stream_tag = f.string(source.get("name"), f"{where}.imageChangeParams.from.name")
        if not stream_tag:
            raise f.fail(f"{where}.imageChangeParams.from.name", "Required value")
        names = [
            f.string(n, f"{where}.imageChangeParams.containerNames[{j}]")
            for j, n in enumerate(
                f.items(params.get("containerNames"), f"{where}.imageChangeParams.containerNames")
            )
        ]
        if not names:
            raise f.fail(
                f"{where}.imageChangeParams.containerNames",
                "Required value: at least one containerName is required",
            )
        for j, container_name in enumerate(names):
            if container_name not in container.all_names:
                raise f.fail(
                    f"{where}.imageChangeParams.containerNames[{j}]",
                    f'Invalid value: "{container_name}": container {container_name} doesn\'t exist',
                )
        if container.name not in names:
            continue  # it changes a container simkit does not model
        triggers.append(
            ImageTrigger(
                stream_tag if ":" in stream_tag else f"{stream_tag}:latest",
                f.string(source.get("namespace"), f"{where}.imageChangeParams.from.namespace")
                or namespace,
                container=container.name,
                automatic=bool(
                    f.boolean(params.get("automatic"), f"{where}.imageChangeParams.automatic")
                ),
                last_triggered_image=f.string(
                    params.get("lastTriggeredImage"),
                    f"{where}.imageChangeParams.lastTriggeredImage",
                ),
            )
        )
    if not container.image.strip() and not triggers:
        raise f.fail(f"{path}.containers[0].image", "Required value")
    status = f.mapping(f.obj.get("status"), "status")
    return _decoded_workload(
        "DeploymentConfig",
        meta,
        container,
        replicas,
        account,
        secrets,
        triggers,
        f.integer(status.get("latestVersion"), "status.latestVersion", 0) or 0,
    )


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
    pod: dict[str, Any] = {
        "containers": [container],
        "serviceAccountName": workload.service_account,
    }
    if workload.image_pull_secrets:
        pod["imagePullSecrets"] = [{"name": n} for n in workload.image_pull_secrets]
    spec: dict[str, Any] = {"replicas": workload.replicas, "template": {"spec": pod}}
    annotations: dict[str, str] = {}
    if workload.kind == "Deployment":
        if workload.triggers:
            annotations[TRIGGERS_ANNOTATION] = trigger_annotation(workload.triggers)
        if workload.revision:
            annotations[REVISION_ANNOTATION] = str(workload.revision)
    meta = write_metadata(
        workload.name,
        workload.namespace,
        created=workload.created,
        start=start,
        annotations=annotations,
    )
    if workload.kind == "Deployment":
        return {
            "kind": "Deployment",
            "apiVersion": "apps/v1",
            "metadata": meta,
            "spec": spec,
            "status": {"replicas": workload.replicas},
        }
    spec["triggers"] = [
        {
            "type": "ImageChange",
            "imageChangeParams": {
                "automatic": t.automatic,
                "containerNames": [t.container],
                "from": {"kind": "ImageStreamTag", "name": t.stream_tag, "namespace": t.namespace},
                **(
                    {"lastTriggeredImage": t.last_triggered_image} if t.last_triggered_image else {}
                ),
            },
        }
        for t in workload.triggers
    ]
    return {
        "kind": "DeploymentConfig",
        "apiVersion": "apps.openshift.io/v1",
        "metadata": meta,
        "spec": spec,
        "status": {"latestVersion": workload.revision},
    }

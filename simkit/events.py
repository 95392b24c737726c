"""The event catalogue: every kind of event simkit records, declared once.

Each kind has a one-line meaning, the upstream thing it models where there is one, and
the fields its records may carry with their types.  A record carries a subset of its
kind's fields (a ``pull`` that found the image cached has no ``error``); a field typed
``str | None`` may be recorded as ``None``, which the log reads as missing.  A field
typed ``float`` also takes an ``int`` (the log makes one float column of them); an
``int`` field never takes a ``bool``.

The module-level constants (:data:`PULL`, :data:`TAG_UPDATED` ...) are the kind names;
analysis takes its kinds from them, so a kind renamed here is renamed everywhere it is
read.  Recording sites still write the names as string literals;
``tests/test_event_catalogue.py`` reads simkit's source with :mod:`ast` and fails on a
recorded kind or field the catalogue does not declare, and checks every record of a
scenario run against it with :func:`problems`.

The kinds the manifest loader records are named after the object's store
(``f"{store.lower()}_created"``, ``..._updated``, in ``manifests/apply.py``): each one it
can make is declared below.

Upstream references are to openshift/origin, openshift/oc,
openshift/openshift-apiserver, openshift/openshift-controller-manager and
kubernetes/kubernetes (``pkg/kubelet/...``); a kind with no upstream reference is
simkit's own (the registries, the upstream release models, scenarios).

Examples
--------
>>> PULL
'pull'
>>> CATALOGUE[PULL].fields["bytes"]
(<class 'int'>,)
>>> problems("pull", {"node": "worker-0", "bytes": "10", "colour": "red"})
["pull: field 'bytes' is str, not int", "pull: field 'colour' is not in the catalogue"]
>>> problems("pulled", {})
["'pulled' is not a kind in the catalogue"]
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["CATALOGUE", "EventKind", "problems"]  # the kind constants are added below

_NONE = type(None)


@dataclass(frozen=True)
class EventKind:
    """One kind of event: its name, what it means, what it models, its typed fields.

    Attributes
    ----------
    name : str
        The kind as recorded (``"pull"``).
    meaning : str
        What one record says happened, in one line.
    upstream : str
        The upstream file or object it models, or ``""`` for simkit's own.
    fields : Mapping[str, tuple[type, ...]]
        Each field a record may carry and the exact types its value may have
        (``NoneType`` when it may be ``None``).

    Examples
    --------
    >>> kind = CATALOGUE["node_lost"]
    >>> kind.fields
    mappingproxy({'node': (<class 'str'>,), 'pods': (<class 'int'>,)})
    """

    name: str
    meaning: str
    upstream: str
    fields: Mapping[str, tuple[type, ...]]


_CATALOGUE: dict[str, EventKind] = {}
CATALOGUE: Mapping[str, EventKind] = types.MappingProxyType(_CATALOGUE)
"""Every kind, by name, in order of declaration."""


def _types(declared: Any) -> tuple[type, ...]:
    """``str`` -> ``(str,)``; ``str | None`` -> ``(str, NoneType)``; ``None`` -> ``(NoneType,)``."""
    if declared is None:
        return (_NONE,)
    if isinstance(declared, types.UnionType):
        return tuple(_NONE if t is None else t for t in declared.__args__)
    if isinstance(declared, type):
        return (declared,)
    raise TypeError(f"event field type must be a type or a union of types, got {declared!r}")


def _kind(name: str, meaning: str, upstream: str = "", /, **fields: Any) -> str:
    """Declare kind ``name`` (once) and return its name, for the constant."""
    if name in _CATALOGUE:
        raise ValueError(f"event kind {name!r} is declared twice")
    typed = types.MappingProxyType({field: _types(t) for field, t in fields.items()})
    _CATALOGUE[name] = EventKind(name, meaning, upstream, typed)
    return name


def problems(kind: str, fields: Mapping[str, Any]) -> list[str]:
    """What is wrong with a record of ``kind`` with ``fields``, against the catalogue.

    Parameters
    ----------
    kind : str
        The record's kind.
    fields : Mapping[str, Any]
        Its fields (not ``time`` or ``kind``).

    Returns
    -------
    list of str
        One message per problem: a kind not declared, a field its kind does not
        declare, a value of a type the field does not take.  Empty when the record
        fits.

    Examples
    --------
    >>> problems("node_lost", {"node": "worker-1", "pods": 3})
    []
    >>> problems("node_lost", {"node": None})
    ["node_lost: field 'node' is NoneType, not str"]
    """
    spec = _CATALOGUE.get(kind)
    if spec is None:
        return [f"{kind!r} is not a kind in the catalogue"]
    found = []
    for field, value in fields.items():
        allowed = spec.fields.get(field)
        if allowed is None:
            found.append(f"{kind}: field {field!r} is not in the catalogue")
            continue
        of = type(value)
        if of in allowed or (of is int and float in allowed):
            continue
        names = " | ".join("None" if t is _NONE else t.__name__ for t in allowed)
        found.append(f"{kind}: field {field!r} is {of.__name__}, not {names}")
    return found


S = str
OS = str | None  # may be None: missing in the log's frames

# -- image streams and imports (openshift-apiserver) ----------------------------------------
IMPORT = _kind(
    "import",
    "one ImageStreamImport was performed for a stream (its tags, how many failed)",
    "openshift-apiserver pkg/image/apiserver/registry/imagestreamimport/rest.go REST.Create",
    namespace=S,
    stream=S,
    cause=S,
    tags=int,
    succeeded=int,
    failed=int,
)
IMPORT_FAILED = _kind(
    "import_failed",
    "one tag of an ImageStreamImport failed: its status reason and message",
    "openshift-apiserver imagestreamimport/rest.go: status.images[].status (metav1.Status)",
    namespace=S,
    stream=S,
    tag=S,
    reason=S,
    message=S,
)
STREAM_CREATED = _kind(
    "stream_created",
    "an image stream was created (loaded: restored with its status)",
    "openshift-apiserver pkg/image/apiserver/registry/imagestream/etcd/etcd.go (create)",
    namespace=S,
    stream=S,
    tags=int,
    loaded=bool,
)
STREAM_DELETED = _kind(
    "stream_deleted",
    "an image stream was deleted, and with it every tag it had",
    "openshift-apiserver imagestream/etcd/etcd.go (delete)",
    namespace=S,
    stream=S,
)
TAG_UPDATED = _kind(
    "tag_updated",
    "a stream tag's status got a new newest TagEvent (image None: a reference)",
    "openshift/api image/v1 TagEvent, appended by openshift-apiserver's image stream "
    "status updates (imagestream/strategy.go)",
    namespace=S,
    stream=S,
    tag=S,
    image=OS,
    reference=S,
    previous_image=OS,
    generation=int,
    revisions=int,
)
TAG_REMOVED = _kind(
    "tag_removed",
    "a stream tag's status history was dropped when its spec tag went",
    "openshift-apiserver imagestream/strategy.go (status tags follow spec tags)",
    namespace=S,
    stream=S,
    tag=S,
)
TAG_DELETED = _kind(
    "tag_deleted",
    "a stream tag was deleted (oc delete istag/...)",
    "openshift-apiserver pkg/image/apiserver/registry/imagestreamtag/rest.go REST.Delete",
    namespace=S,
    stream=S,
    tag=S,
)
PULL_THROUGH = _kind(
    "pull_through",
    "the integrated registry fetched a stream's image from its source",
    "openshift/image-registry pkg/dockerregistry/server/pullthroughmanifestservice.go",
    namespace=S,
    stream=S,
    digest=S,
    source=S,
)

# -- scheduled imports (openshift-controller-manager) -------------------------------------
SCHEDULED_IMPORT_THROTTLED = _kind(
    "scheduled_import_throttled",
    "scheduled imports put off by the imports-per-minute limit",
    "openshift-controller-manager pkg/image/controller/scheduled_image_controller.go "
    "(MaxScheduledImageImportsPerMinute)",
    streams=int,
)
SCHEDULED_IMPORT_UNCHANGED = _kind(
    "scheduled_import_unchanged",
    "scheduled imports that changed nothing, counted in bulk",
    "openshift-controller-manager scheduled_image_controller.go (each is an ImageStreamImport)",
    streams=int,
)

# -- the kubelet (kubernetes pkg/kubelet) ---------------------------------------------------
PULL = _kind(
    "pull",
    "the kubelet ensured a pod's image: pulled, cached, failed, backoff, never ...",
    "kubernetes pkg/kubelet/images/image_manager.go imageManager.EnsureImageExists",
    namespace=S,
    pod=S,
    node=S,
    image=S,
    policy=S,
    decision=S,
    digest=S,
    credential=S,
    bytes=int,
    latency=float,
    pull_through=bool,
    error=S,
    pull_seconds=float,
    size=int,
)
POD_STATUS = _kind(
    "pod_status",
    "a pod's container changed state: Running or a waiting reason",
    "kubernetes pkg/kubelet/kuberuntime (ContainerStateWaiting reasons, images/types.go)",
    namespace=S,
    pod=S,
    node=S,
    status=S,
    image=S,
    digest=OS,
)
CONTAINER_RESTART = _kind(
    "container_restart",
    "the kubelet restarted a pod's container (restartCount grew)",
    "kubernetes pkg/kubelet/kuberuntime/kuberuntime_manager.go SyncPod",
    namespace=S,
    pod=S,
    node=S,
    restarts=int,
)
IMAGE_GC = _kind(
    "image_gc",
    "image garbage collection on a node: bytes freed, bytes left in use",
    "kubernetes pkg/kubelet/images/image_gc_manager.go realImageGCManager.GarbageCollect",
    node=S,
    freed=int,
    used=int,
)
NODE_LOST = _kind(
    "node_lost",
    "a node went away with its pods and image store",
    "kubernetes pkg/controller/nodelifecycle (pods of a lost node are deleted)",
    node=S,
    pods=int,
)
NODE_REPLACED = _kind(
    "node_replaced", "a lost node came back empty, under the same name", "", node=S
)
PULL_SECRET_MISSING = _kind(
    "pull_secret_missing",
    "a pod's image pull secret could not be read: the kubelet goes on",
    "kubernetes pkg/kubelet/kubelet_pods.go getPullSecretsForPod (FailedToRetrieveImagePullSecret)",
    namespace=S,
    pod=S,
    secret=S,
    reason=S,
)

# -- pods and workloads ---------------------------------------------------------------------
POD_CREATED = _kind(
    "pod_created",
    "a pod was admitted and bound to a node",
    "kubernetes plugin/pkg/admission/serviceaccount (pull secrets from the service account)",
    namespace=S,
    pod=S,
    node=OS,
    image=S,
    policy=S,
    owner=OS,
    pull_secrets=int,
    service_account=S,
    uid=S,
)
POD_REJECTED = _kind(
    "pod_rejected",
    "a pod was refused: its service account does not exist",
    "kubernetes plugin/pkg/admission/serviceaccount/admission.go Validate",
    namespace=S,
    pod=S,
    reason=S,
    service_account=S,
    owner=OS,
)
POD_DELETED = _kind(
    "pod_deleted",
    "a pod was deleted (scaled down, replaced by a rollout, its node lost)",
    "",
    namespace=S,
    pod=S,
    node=OS,
    reason=S,
    owner=OS,
)
WORKLOAD_CREATED = _kind(
    "workload_created",
    "a Deployment or DeploymentConfig was created",
    "",
    workload_kind=S,
    namespace=S,
    workload=S,
    image=S,
    replicas=int,
    triggers=int,
)
ROLLOUT = _kind(
    "rollout",
    "a workload rolled out a new revision of its pod template",
    "openshift-controller-manager pkg/apps/deploymentconfig; kubernetes pkg/controller/deployment",
    workload_kind=S,
    namespace=S,
    workload=S,
    revision=int,
    image=S,
    cause=S,
)
ROLLOUT_RESTARTED = _kind(
    "rollout_restarted",
    "oc rollout restart stamped a workload's pod template to roll it out",
    "kubernetes staging/src/k8s.io/kubectl/pkg/polymorphichelpers/objectrestarter.go",
    workload_kind=S,
    namespace=S,
    workload=S,
    restarted_at=S,
)
TRIGGER_FIRED = _kind(
    "trigger_fired",
    "an image trigger set a workload's image from its stream tag",
    "openshift-controller-manager pkg/image/controller/trigger/image_trigger_controller.go "
    "(annotations/, deploymentconfigs/)",
    workload_kind=S,
    namespace=S,
    workload=S,
    image=S,
    previous_image=S,
)
TRIGGERS_SET = _kind(
    "triggers_set",
    "oc set triggers --from-image put an image trigger on a workload",
    "openshift/oc pkg/cli/set/triggers.go",
    workload_kind=S,
    namespace=S,
    workload=S,
    trigger=S,
)

# -- service accounts, pull secrets, RBAC ---------------------------------------------------
SERVICEACCOUNT_CREATED = _kind(
    "serviceaccount_created",
    "a service account was created (by its controller or a manifest)",
    "kubernetes pkg/controller/serviceaccount; openshift-controller-manager "
    "serviceaccounts controllers (builder, deployer)",
    namespace=S,
    name=S,
)
SERVICEACCOUNT_UPDATED = _kind(
    "serviceaccount_updated",
    "a service account was replaced or changed by a manifest",
    "",
    namespace=S,
    name=S,
)
PULL_SECRET_LINKED = _kind(
    "pull_secret_linked",
    "a dockercfg secret was made and linked to its service account",
    "openshift-controller-manager pkg/internalregistry/controllers/service_account_controller.go",
    namespace=S,
    service_account=S,
    secret=S,
    filled=bool,
)
PULL_SECRET_FILLED = _kind(
    "pull_secret_filled",
    "a linked dockercfg secret got its integrated-registry token",
    "openshift-controller-manager pkg/internalregistry/controllers/image_pull_secret_controller.go",
    namespace=S,
    secret=S,
    service_account=S,
)
PULL_SECRET_ROLLOUT_STARTED = _kind(
    "pull_secret_rollout_started",
    "a new global pull secret began rolling out to the nodes",
    "openshift-config/pull-secret, written to each node's /var/lib/kubelet/config.json by "
    "the machine-config-operator",
    version=int,
    nodes=int,
)
PULL_SECRET_ROLLED_OUT = _kind(
    "pull_secret_rolled_out",
    "one node got the new global pull secret",
    "machine-config-operator (the node's kubelet config.json)",
    node=S,
    version=int,
)
SECRET_CREATED = _kind(
    "secret_created",
    "a secret was created (oc create secret, or a manifest)",
    "openshift/oc pkg/cli/create (kubectl create secret)",
    namespace=S,
    name=S,
    type=S,
    keys=S,
)
SECRET_UPDATED = _kind(
    "secret_updated",
    "a secret's data changed (oc set data, or a manifest)",
    "openshift/oc pkg/cli/set/data.go",
    namespace=S,
    name=S,
    type=S,
    keys=S,
)
SECRET_LINKED = _kind(
    "secret_linked",
    "oc secrets link added a secret to a service account",
    "openshift/oc pkg/cli/secrets/link.go",
    namespace=S,
    service_account=S,
    secret=S,
    uses=S,
)
SECRET_UNLINKED = _kind(
    "secret_unlinked",
    "oc secrets unlink removed a secret from a service account",
    "openshift/oc pkg/cli/secrets/unlink.go",
    namespace=S,
    service_account=S,
    secret=S,
    uses=S,
)
ROLEBINDING_CREATED = _kind(
    "rolebinding_created",
    "a role binding was created (default bindings, oc policy, manifest)",
    "openshift-controller-manager pkg/authorization/defaultrolebindings/"
    "defaultrolebindings.go; openshift/oc "
    "pkg/cli/admin/policy/modify_roles.go",
    namespace=OS,
    name=S,
    role=S,
    subjects=int,
    command=S,
)
ROLEBINDING_UPDATED = _kind(
    "rolebinding_updated",
    "a role binding's subjects changed (oc policy, manifest)",
    "openshift/oc pkg/cli/admin/policy/modify_roles.go",
    namespace=OS,
    name=S,
    role=S,
    subjects=int,
    command=S,
)
ROLEBINDING_DELETED = _kind(
    "rolebinding_deleted",
    "oc policy remove-role-from-* deleted a binding left empty",
    "openshift/oc pkg/cli/admin/policy/modify_roles.go RemoveRole",
    namespace=OS,
    name=S,
    role=S,
    command=S,
)
CLUSTERROLEBINDING_CREATED = _kind(
    "clusterrolebinding_created",
    "a cluster role binding was created by a manifest",
    "",
    namespace=None,
    name=S,
    role=S,
    subjects=int,
)
CLUSTERROLEBINDING_UPDATED = _kind(
    "clusterrolebinding_updated",
    "a cluster role binding was changed by a manifest",
    "",
    namespace=None,
    name=S,
    role=S,
    subjects=int,
)
ROLE_CREATED = _kind("role_created", "a role was created by a manifest", "", namespace=S, name=S)
ROLE_UPDATED = _kind("role_updated", "a role was changed by a manifest", "", namespace=S, name=S)
CLUSTERROLE_CREATED = _kind(
    "clusterrole_created", "a cluster role was created by a manifest", "", namespace=None, name=S
)
CLUSTERROLE_UPDATED = _kind(
    "clusterrole_updated", "a cluster role was changed by a manifest", "", namespace=None, name=S
)
USER_CREATED = _kind("user_created", "a user was created by a manifest", "", namespace=None, name=S)
USER_UPDATED = _kind("user_updated", "a user was changed by a manifest", "", namespace=None, name=S)
GROUP_CREATED = _kind(
    "group_created",
    "a group was created (oc adm groups new, or a manifest)",
    "openshift/oc pkg/cli/admin/groups/new/new.go",
    namespace=None,
    name=S,
    users=int,
)
GROUP_UPDATED = _kind(
    "group_updated",
    "a group's users changed (oc adm groups add-users, or a manifest)",
    "openshift/oc pkg/cli/admin/groups/users/add.go",
    namespace=None,
    name=S,
    users=int,
)
ACCESS_REVIEW = _kind(
    "access_review",
    "oc auth can-i asked whether a user may do a verb on a resource",
    "openshift/oc (kubectl auth can-i): a SelfSubjectAccessReview",
    user=S,
    verb=S,
    resource=S,
    namespace=OS,
    allowed=bool,
)

# -- projects, manifests, oc ----------------------------------------------------------------
PROJECT_CREATED = _kind(
    "project_created",
    "a project was created (oc new-project, a manifest, or implied by one)",
    "openshift-apiserver pkg/project/apiserver/registry/projectrequest/delegated",
    namespace=S,
    requester=S,
    implicit=bool,
)
PROJECT_UPDATED = _kind(
    "project_updated", "a project was changed by a manifest", "", namespace=None, name=S
)
DEPLOYMENT_UPDATED = _kind(
    "deployment_updated",
    "a Deployment's image, pull policy or replicas changed by apply",
    "",
    namespace=S,
    name=S,
)
DEPLOYMENTCONFIG_UPDATED = _kind(
    "deploymentconfig_updated",
    "a DeploymentConfig's image, pull policy or replicas changed",
    "",
    namespace=S,
    name=S,
)
MANIFESTS_LOADED = _kind(
    "manifests_loaded",
    "manifest files were loaded into the cluster",
    "",
    files=int,
    objects=int,
    loaded=int,
    skipped=int,
)
OC = _kind(
    "oc",
    "an oc command ran and succeeded (its line, secrets redacted)",
    "openshift/oc",
    command=S,
    line=S,
    namespace=S,
)
PRUNE = _kind(
    "prune",
    "oc adm prune images ran (dry run unless --confirm): what it removed",
    "openshift/oc pkg/cli/admin/prune/images/images.go",
    dry_run=bool,
    namespace=OS,
    keep_tag_revisions=int,
    keep_younger_than=float,
    deleted_tag_items=int,
    updated_streams=int,
    deleted_images=int,
    deleted_manifest_links=int,
    deleted_blobs=int,
)
REGISTRY_LOGIN = _kind(
    "registry_login",
    "oc registry login wrote a credential to a docker config file",
    "openshift/oc pkg/cli/registry/login/login.go",
    registry=S,
    username=S,
    path=S,
)

# -- registries and upstream release models (simkit's own) --------------------------------
REGISTRY_CREATED = _kind(
    "registry_created",
    "an external registry was added to the simulation",
    "",
    registry=S,
    private=bool,
    auth_server=OS,
)
REGISTRY_PUSH = _kind(
    "registry_push",
    "an image was pushed to an external registry's tag (rebuild: it moved)",
    "distribution: PUT /v2/<name>/manifests/<tag>",
    registry=S,
    repository=S,
    tag=S,
    digest=S,
    previous_digest=OS,
    size=int,
    rebuild=bool,
)
REGISTRY_TAG = _kind(
    "registry_tag",
    "an external registry's tag was pointed at an existing image",
    "distribution: PUT /v2/<name>/manifests/<tag> of an existing manifest",
    registry=S,
    repository=S,
    tag=S,
    digest=S,
    previous_digest=OS,
)
REGISTRY_DELETE_TAG = _kind(
    "registry_delete_tag",
    "an external registry's tag was deleted",
    "distribution: DELETE /v2/<name>/manifests/<reference>",
    registry=S,
    repository=S,
    tag=S,
    digest=S,
)
REGISTRY_OUTAGE = _kind(
    "registry_outage",
    "an external registry began refusing every request for a while",
    "",
    registry=S,
    duration=float,
)
UPSTREAM_RELEASE = _kind(
    "upstream_release",
    "an upstream project released a new semver version",
    "",
    registry=S,
    repository=S,
    version=S,
    level=S,
    tag=S,
)
UPSTREAM_REBUILD = _kind(
    "upstream_rebuild",
    "an upstream project rebuilt a released tag (base image fixes)",
    "",
    registry=S,
    repository=S,
    tag=S,
    fixes=S,
)
SCENARIO_COMMAND_FAILED = _kind(
    "scenario_command_failed",
    "a scenario's scheduled command failed (the run goes on)",
    "",
    line=S,
    error=S,
)

del S, OS

__all__ += [
    name
    for name, value in list(globals().items())
    if name.isupper() and isinstance(value, str) and value in _CATALOGUE
]

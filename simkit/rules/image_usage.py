"""Which image stream tags and images the cluster's workloads use (the pruner's "in use").

Restates oc ``pkg/cli/admin/prune/imageprune/prune.go`` ``analyzeImageStreamsReferences``:
every container image of every pod, replication controller, deployment config, replica
set, deployment, daemon set, stateful set, job and cron job is parsed as a pull spec.
Only ``registry/namespace/name`` references count, the registry host being ignored: a
reference by tag marks the ImageStreamTag ``namespace/name:tag`` as used, a reference by
digest the ImageStreamImage ``namespace/name@digest``.  Pods that are neither running nor
pending count only while younger than the ``--keep-younger-than`` cutoff.

A kind joins the analysis by being listed in :data:`WORKLOAD_KINDS`; its objects provide
``container_images()`` (image strings, or ``(container, image)`` pairs) and may provide
``image_sources()`` (``ObjectReference``-like ``kind``/``name``/``namespace``, for builds).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

from simkit.refs import InvalidReference, parse_image_stream_image_name, parse_pull_spec
from simkit.refs import parse_image_stream_tag_name as parse_istag_name

__all__ = ["WORKLOAD_KINDS", "BadReference", "ImageUsage", "images_in_use"]

WORKLOAD_KINDS: dict[str, str] = {
    "Pod": "pod",
    "ReplicationController": "replicationcontroller",
    "DeploymentConfig": "deploymentconfig",
    "ReplicaSet": "replicaset",
    "Deployment": "deployment",
    "DaemonSet": "daemonset",
    "Build": "build",
    "BuildConfig": "buildconfig",
    "StatefulSet": "statefulset",
    "Job": "job",
    "CronJob": "cronjob",
}
"""Store kind -> the resource name the pruner reports (``analyzeImageStreamsReferences``)."""

_INACTIVE_POD_STATUSES = frozenset({"Terminated", "Succeeded", "Failed", "Forbidden"})
"""Pod statuses whose phase is neither Running nor Pending (simkit's waiting reasons such
as ``ErrImagePull`` are Pending)."""

IstagKey = tuple[str, str, str]
"""``(namespace, stream, tag)``."""
IsimageKey = tuple[str, str, str]
"""``(namespace, stream, digest)``."""


class Reader(Protocol):
    """What :func:`images_in_use` reads: a :class:`~simkit.state.cluster.Transaction` or
    :class:`~simkit.state.cluster.Cluster`."""

    def list(self, kind: str, namespace: str | None = None) -> list[Any]: ...


@dataclass(frozen=True, slots=True)
class BadReference:
    """``ErrBadReference``: an object holds an image reference that does not parse."""

    referrer: str
    subreferrer: str
    target_kind: str
    reference: str
    error: str

    def __str__(self) -> str:
        where = self.referrer + (f": {self.subreferrer}" if self.subreferrer else "")
        return f'{where}: invalid {self.target_kind} reference "{self.reference}": {self.error}'


@lru_cache(maxsize=65536)  # as simkit.refs' own parse caches
def _image_use(image: str) -> tuple[str, Any] | None:
    """What a container image string marks as used: ``("tag", IstagKey)``, ``("image",
    IsimageKey)``, ``("error", message)``, or None (not ``registry/namespace/name``).

    A pure function of the string, memoised: the pruner reads the same few thousand
    images from every workload every night, and parsing plus ``docker_client_defaults``
    is most of what one reference costs.  The message is ``str`` of the
    :class:`InvalidReference` the parse raised, as the uncached path reported it.
    """
    try:
        ref = parse_pull_spec(image)
    except InvalidReference as exc:
        return ("error", str(exc))
    if not ref.registry or not ref.namespace or "/" in ref.name:
        return None
    if not ref.id:
        ref = ref.docker_client_defaults()
        return ("tag", (ref.namespace, ref.name, ref.tag))
    return ("image", (ref.namespace, ref.name, ref.id))


@dataclass(slots=True)
class ImageUsage:
    """Referrers (``"pod/web-1 namespace=demo"``) of each used tag and image."""

    tags: dict[IstagKey, list[str]] = field(default_factory=dict)
    images: dict[IsimageKey, list[str]] = field(default_factory=dict)
    errors: list[BadReference] = field(default_factory=list)

    def add_reference(self, referrer: str, subreferrer: str, image: str) -> None:
        """``analyzeImageReference`` for one container image."""
        use = _image_use(image)
        if use is None:
            return
        what, value = use
        if what == "tag":
            self.tags.setdefault(value, []).append(referrer)
        elif what == "image":
            self.images.setdefault(value, []).append(referrer)
        else:
            self.errors.append(BadReference(referrer, subreferrer, "image", image, value))

    def add_source(self, referrer: str, namespace: str, source: Any) -> None:
        """``analyzeReferencesFromBuildStrategy`` for one ``from`` reference."""
        kind, name = getattr(source, "kind", ""), getattr(source, "name", "")
        source_namespace = getattr(source, "namespace", "") or namespace
        if kind == "DockerImage":
            if name.strip():
                self.add_reference(referrer, "", name)
        elif kind == "ImageStreamImage":
            try:
                stream, digest = parse_image_stream_image_name(name)
            except InvalidReference as exc:
                self.errors.append(BadReference(referrer, "", kind, name, str(exc)))
                return
            self.images.setdefault((source_namespace, stream, digest), []).append(referrer)
        elif kind == "ImageStreamTag":
            try:
                stream, tag = parse_istag_name(name)
            except InvalidReference as exc:
                self.errors.append(BadReference(referrer, "", kind, name, str(exc)))
                return
            self.tags.setdefault((source_namespace, stream, tag), []).append(referrer)


def _pod_active(pod: Any) -> bool:
    """Whether the pod's phase is Running or Pending."""
    phase = getattr(pod, "phase", None)
    if phase:
        return phase in ("Running", "Pending")
    return getattr(pod, "status", "") not in _INACTIVE_POD_STATUSES


def _containers(obj: Any) -> Iterable[tuple[str, str]]:
    default_name = getattr(obj, "container", "") or ""
    for entry in obj.container_images() if hasattr(obj, "container_images") else ():
        if isinstance(entry, tuple):
            yield entry
        else:
            yield default_name, entry


def _referrer(resource: str, obj: Any) -> str:
    """``resourceReference.String``."""
    namespace, name = getattr(obj, "namespace", ""), getattr(obj, "name", "")
    return f"{resource}/{name} namespace={namespace}" if namespace else f"{resource}/{name}"


def images_in_use(cluster: Reader, cutoff: float, namespace: str | None = None) -> ImageUsage:
    """The image stream tags and images used by the workloads in ``cluster``.

    Parameters
    ----------
    cluster : Transaction or Cluster
        Where to read the objects of :data:`WORKLOAD_KINDS`.
    cutoff : float
        ``now - keep_younger_than``: a pod that is not running nor pending counts only if
        created after it.
    namespace : str, optional
        Only this namespace (``oc adm prune images -n NS``).

    Returns
    -------
    ImageUsage
        Used tags and images with their referrers, and the references that do not parse.

    Examples
    --------
    >>> from types import SimpleNamespace as Obj
    >>> from simkit.state.cluster import Cluster
    >>> cluster = Cluster()
    >>> pod = Obj(namespace="demo", name="web", status="Running", created=0.0, container="app",
    ...           container_images=lambda: ["quay.io/demo/app:1.0"])
    >>> with cluster.transaction(lambda kind, **fields: None) as tx:
    ...     tx.put("Pod", ("demo", "web"), pod)
    >>> images_in_use(cluster, cutoff=0.0).tags
    {('demo', 'app', '1.0'): ['pod/web namespace=demo']}
    """
    usage = ImageUsage()
    for kind, resource in WORKLOAD_KINDS.items():
        is_pod = kind == "Pod"
        for obj in cluster.list(kind, namespace):
            # only a pod's age matters (and only once it is neither running nor pending)
            if (
                is_pod
                and not _pod_active(obj)
                and math.floor(getattr(obj, "created", 0.0)) < cutoff
            ):
                continue
            referrer = _referrer(resource, obj)
            for container, image in _containers(obj):
                if not image.strip():
                    continue
                usage.add_reference(referrer, f"container {container}", image)
            for source in obj.image_sources() if hasattr(obj, "image_sources") else ():
                usage.add_source(referrer, getattr(obj, "namespace", ""), source)
    return usage

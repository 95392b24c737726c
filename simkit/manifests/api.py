"""Any stored object as the API server returns it, and back: :func:`to_api`, :func:`from_api`.

:func:`to_api` writes every kind simkit stores (ImageStream, ImageStreamTag,
ImageStreamImage, Image, Pod, Node, Namespace/Project, ServiceAccount, Secret, Role,
ClusterRole, RoleBinding, ClusterRoleBinding, Group, User, Deployment, DeploymentConfig)
in the shape ``oc get -o yaml`` prints: ``apiVersion``, ``kind``, ``metadata`` (name,
namespace, ``uid``, ``resourceVersion``, ``creationTimestamp``, labels, annotations, in
``ObjectMeta``'s field order), then spec and status as each kind has them.
:func:`from_api` reads that shape back to an equal object; ``load_manifests`` and
``oc apply -f`` read it through the same per-kind readers.

simkit keeps no resource versions and most objects no uid: an object without its own
``uid`` gets one derived from its kind, namespace, name and creation time (stable across
calls), and ``resourceVersion`` is derived from the object's content, so that it changes
whenever the object does, which is all a client may rely on (it is opaque).  Kinds whose
state has no creation time (roles, bindings, groups, users, nodes) are written as created
at the simulation's start.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from simkit.manifests.core import (
    Context,
    group_to_dict,
    namespace_to_dict,
    read_group,
    read_project,
    read_secret,
    read_service_account,
    read_user,
    secret_to_dict,
    service_account_to_dict,
    user_to_dict,
)
from simkit.manifests.fields import DEFAULT_START, FieldError, Fields, describe, rfc3339
from simkit.manifests.images import (
    INTEGRATED_REGISTRY,
    ImageStreamImage,
    ImageStreamTag,
    image_from_dict,
    image_stream_from_dict,
    image_stream_image_from_dict,
    image_stream_image_to_dict,
    image_stream_tag_from_dict,
    image_stream_tag_to_dict,
    image_stream_to_dict,
    image_to_dict,
)
from simkit.manifests.rbac import binding_from_dict, binding_to_dict, role_from_dict, role_to_dict
from simkit.manifests.workloads import (
    node_to_dict,
    pod_from_dict,
    pod_to_dict,
    read_deployment,
    read_deployment_config,
    read_node,
    workload_to_dict,
)
from simkit.state.accounts import Group, Secret, ServiceAccount
from simkit.state.images import Image, ImageStream
from simkit.state.nodes import Node
from simkit.state.projects import Project
from simkit.state.rbac import Role, RoleBinding
from simkit.state.users import User
from simkit.state.workloads import Pod, Workload

if TYPE_CHECKING:
    from simkit.simulation import Simulation

__all__ = ["KINDS", "from_api", "to_api"]

_META_ORDER = (
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
)


def _writer(obj: Any, start: Any, kind: str | None) -> dict[str, Any]:
    if isinstance(obj, ImageStream):
        return image_stream_to_dict(obj, start=start)
    if isinstance(obj, ImageStreamTag):
        return image_stream_tag_to_dict(obj, start=start)
    if isinstance(obj, ImageStreamImage):
        return image_stream_image_to_dict(obj, start=start)
    if isinstance(obj, Image):
        return image_to_dict(obj, start=start)
    if isinstance(obj, Project):
        return namespace_to_dict(obj, start, kind or "Namespace")
    if isinstance(obj, Role):
        return role_to_dict(obj)
    if isinstance(obj, RoleBinding):
        return binding_to_dict(obj)
    writers: dict[type, Callable[[Any, Any], dict[str, Any]]] = {
        Pod: pod_to_dict,
        Node: node_to_dict,
        ServiceAccount: service_account_to_dict,
        Secret: secret_to_dict,
        Group: group_to_dict,
        User: user_to_dict,
        Workload: workload_to_dict,
    }
    writer = writers.get(type(obj))
    if writer is None:
        raise TypeError(f"to_api: simkit has no API form for {type(obj).__name__}")
    return writer(obj, start)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def to_api(
    obj: Any, sim: Simulation | None = None, *, start: Any = None, kind: str | None = None
) -> dict[str, Any]:
    """``obj`` as the API server returns it (what ``oc get -o yaml`` prints).

    Parameters
    ----------
    obj : state object
        An ImageStream, ImageStreamTag, ImageStreamImage, Image, Pod, Node, Project,
        ServiceAccount, Secret, Role, RoleBinding, Group, User or Workload.
    sim : Simulation, optional
        Gives the wall-clock time of simulation second 0 (``sim.start``).
    start : str or datetime, optional
        That time without a simulation (default ``2026-01-01T00:00:00Z``).
    kind : str, optional
        ``"Project"`` to write a project as ``project.openshift.io/v1`` (default
        ``Namespace``).

    Returns
    -------
    dict

    Examples
    --------
    >>> from simkit.state.accounts import Secret
    >>> obj = to_api(Secret("demo", "creds", data={"token": b"abc"}, created=90))
    >>> obj["metadata"]["creationTimestamp"], obj["data"]
    ('2026-01-01T00:01:30Z', {'token': 'YWJj'})
    >>> sorted(obj["metadata"])
    ['creationTimestamp', 'name', 'namespace', 'resourceVersion', 'uid']
    >>> from_api(obj) == Secret("demo", "creds", data={"token": b"abc"}, created=90,
    ...                         uid=obj["metadata"]["uid"])
    True
    """
    if start is None:
        start = sim.start if sim is not None else DEFAULT_START
    out = _writer(obj, start, kind)
    meta = dict(out.get("metadata") or {})
    meta.setdefault("creationTimestamp", rfc3339(0, start))
    if not meta.get("uid"):
        u = _digest(
            out["kind"], meta.get("namespace", ""), meta["name"], str(meta["creationTimestamp"])
        )
        meta["uid"] = f"{u[:8]}-{u[8:12]}-{u[12:16]}-{u[16:20]}-{u[20:32]}"
    content = json.dumps({**out, "metadata": meta}, sort_keys=True, default=str)
    meta["resourceVersion"] = str(int(_digest(content)[:12], 16))
    ordered = {key: meta[key] for key in _META_ORDER if key in meta}
    ordered.update((key, value) for key, value in meta.items() if key not in ordered)
    out["metadata"] = ordered
    return out


def _decoded(reader: Callable[[Fields, Context], Any]) -> Callable[..., Any]:
    def read(obj: Mapping[str, Any], ctx: Context) -> Any:
        return reader(Fields(obj, start=ctx.start), ctx).value

    return read


def _fields(reader: Callable[[Fields, Context], Any]) -> Callable[..., Any]:
    def read(obj: Mapping[str, Any], ctx: Context) -> Any:
        return reader(Fields(obj, start=ctx.start), ctx)

    return read


_READERS: dict[str, tuple[tuple[str, ...], Callable[[Mapping[str, Any], Context], Any]]] = {
    "ImageStream": (
        ("image.openshift.io/v1", "v1"),
        lambda obj, ctx: image_stream_from_dict(
            obj, ctx.namespace, ctx.now, start=ctx.start, internal_registry=ctx.internal_registry
        ),
    ),
    "ImageStreamTag": (
        ("image.openshift.io/v1", "v1"),
        lambda obj, ctx: image_stream_tag_from_dict(obj, ctx.namespace, ctx.now, start=ctx.start),
    ),
    "ImageStreamImage": (
        ("image.openshift.io/v1", "v1"),
        lambda obj, ctx: image_stream_image_from_dict(obj, ctx.namespace, ctx.now, start=ctx.start),
    ),
    "Image": (
        ("image.openshift.io/v1", "v1"),
        lambda obj, ctx: image_from_dict(obj, ctx.now, start=ctx.start),
    ),
    "Namespace": (("v1",), _decoded(read_project)),
    "Project": (("project.openshift.io/v1", "v1"), _decoded(read_project)),
    "ServiceAccount": (("v1",), _decoded(read_service_account)),
    "Secret": (("v1",), _decoded(read_secret)),
    "Group": (("user.openshift.io/v1", "v1"), _decoded(read_group)),
    "User": (("user.openshift.io/v1", "v1"), _decoded(read_user)),
    "Pod": (("v1",), _fields(pod_from_dict)),
    "Node": (("v1",), _fields(read_node)),
    "Deployment": (("apps/v1",), _decoded(read_deployment)),
    "DeploymentConfig": (("apps.openshift.io/v1", "v1"), _decoded(read_deployment_config)),
}
for _kind in ("Role", "ClusterRole"):
    _READERS[_kind] = ((), lambda obj, ctx: role_from_dict(obj, ctx.namespace))
for _kind in ("RoleBinding", "ClusterRoleBinding"):
    _READERS[_kind] = ((), lambda obj, ctx: binding_from_dict(obj, ctx.namespace))

KINDS = tuple(_READERS)
"""The kinds :func:`to_api` writes and :func:`from_api` reads."""


def from_api(
    obj: Mapping[str, Any],
    *,
    namespace: str = "default",
    start: Any = DEFAULT_START,
    now: float = 0.0,
    internal_registry: str = INTEGRATED_REGISTRY,
) -> Any:
    """The state object that :func:`to_api` wrote as ``obj`` (the same readers as
    ``load_manifests`` and ``oc apply -f``, validation included).

    Raises
    ------
    FieldError
        A ``ValueError`` naming the field: an unknown kind, a wrong apiVersion, a field of
        the wrong type or value.
    """
    if not isinstance(obj, Mapping):
        raise FieldError("", f"expected an object, got {describe(obj)}")
    kind = obj.get("kind")
    entry = _READERS.get(kind) if isinstance(kind, str) else None
    if entry is None:
        raise FieldError("kind", f"simkit does not model {kind!r} (it reads {', '.join(KINDS)})")
    versions, read = entry
    if versions and obj.get("apiVersion") not in versions:
        raise FieldError(
            "apiVersion", f"expected {versions[0]!r} for {kind}, got {obj.get('apiVersion')!r}"
        )
    ctx = Context(namespace, start, now, internal_registry)
    return read(obj, ctx)

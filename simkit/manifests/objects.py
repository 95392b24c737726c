"""Manifest objects: where each came from, and its parse into simkit's state classes.

:func:`manifests_from_documents` flattens documents into :class:`Manifest` objects
(``kind: List`` and the typed ``...List`` kinds are unwrapped, as kubectl does);
:func:`parse_manifest` checks the kind's ``apiVersion`` and hands the object to its reader
(:mod:`~simkit.manifests.images`, :mod:`~simkit.manifests.rbac`,
:mod:`~simkit.manifests.core`, all reading through :mod:`~simkit.manifests.fields`), and
turns a reader's :class:`~simkit.manifests.fields.FieldError` into a
:class:`ManifestError` with the file and line of the field; it returns None for a kind
simkit does not load.

Loaded kinds (:data:`MODELLED_KINDS`): ``ImageStream`` (spec and status),
``Namespace``/``Project``, ``ServiceAccount``, ``Secret``, ``Role``/``ClusterRole``,
``RoleBinding``/``ClusterRoleBinding`` (``rbac.authorization.k8s.io`` v1 and v1beta1, and
``authorization.openshift.io/v1``), ``Group`` and ``User`` (``user.openshift.io/v1``),
``Pod``, ``Deployment`` and ``DeploymentConfig`` (their first container, which is the
one simkit models), ``ImageStreamTag`` (a spec tag of its stream), ``Image`` (cluster
scoped, named by its digest) and ``Node``.  Fields the server sets (``status`` of
workloads and pods, ``metadata.resourceVersion``/``managedFields``...) are ignored.
``ImageStreamImage`` is read (by :func:`simkit.manifests.from_api` too) but get-only:
creating or patching one is the API server's ``MethodNotAllowed``, and a load skips it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from simkit.apiserver.discovery import APIResource, for_kind
from simkit.apiserver.errors import MethodNotAllowed
from simkit.manifests.core import (
    Context,
    Decoded,
    read_group,
    read_metadata,
    read_project,
    read_secret,
    read_service_account,
    read_user,
)
from simkit.manifests.errors import ManifestError
from simkit.manifests.fields import FieldError, Fields, describe
from simkit.manifests.images import (
    image_from_dict,
    image_stream_from_dict,
    image_stream_image_from_dict,
    image_stream_tag_from_dict,
)
from simkit.manifests.rbac import binding_from_dict, role_from_dict
from simkit.manifests.reader import Document
from simkit.manifests.workloads import (
    PodSpec,
    read_deployment,
    read_deployment_config,
    read_node,
    read_pod,
)

__all__ = [
    "MODELLED_KINDS",
    "Context",
    "Manifest",
    "Parsed",
    "PodSpec",
    "manifests_from_documents",
    "parse_manifest",
]


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

    def error(
        self, message: str, field: str = "", reason: str = "", name: str | None = None, at: str = ""
    ) -> ManifestError:
        """A :class:`ManifestError` located at ``field`` of this object.

        ``at`` locates a message that names its field itself (the API server's
        ``... is invalid: spec.tags[a].from.kind: ...``): its line is found and it becomes
        the error's ``field``, but the message is not prefixed with it again.
        """
        where = at or field
        line = None
        document = None
        if self.document is not None and self.document.index:
            document = self.document.index
            path = f"{self.item}.{where}" if self.item and where else (self.item or where)
            line = self.document.line_of(path)
        error = ManifestError(
            message,
            file=self.source if self.source else None,
            line=line,
            document=document,
            item=self.item,
            kind=self.kind,
            name=self.name if name is None else name,
            field=field,
            namespace=self.namespace,
            reason=reason,
        )
        error.field = where
        error.server_message = bool(at)
        return error


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
        raise manifest.error(
            f"expected an object (a mapping with apiVersion and kind), got {describe(obj)}"
        )
    kind = obj.get("kind")
    if not isinstance(kind, str) or not kind:
        raise manifest.error(
            "Object 'Kind' is missing: every object needs apiVersion and kind", field="kind"
        )
    if not isinstance(obj.get("apiVersion"), str) or not obj.get("apiVersion"):
        raise manifest.error(
            "Object 'apiVersion' is missing: every object needs apiVersion and kind",
            field="apiVersion",
        )
    if kind.endswith("List") and "items" in obj:
        items = obj.get("items")
        if items is None:
            return
        if not isinstance(items, list):
            raise manifest.error(f"expected a list, got {describe(items)}", field="items")
        for i, item in enumerate(items):
            path = f"{manifest.item}.items[{i}]" if manifest.item else f"items[{i}]"
            _flatten(Manifest(item, manifest.source, manifest.document, path), out)
        return
    out.append(manifest)


# -- parsed objects -----------------------------------------------------------------------
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
    "ImageStreamTag": ("image.openshift.io", ""),
    "ImageStreamImage": ("image.openshift.io", ""),
    "Image": ("image.openshift.io", ""),
    "Node": ("",),
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
            + ")",
            field="apiVersion",
        )
    try:
        decoded = _PARSERS[kind](Fields(manifest.obj, start=ctx.start), ctx)
    except FieldError as exc:
        raise manifest.error(exc.message, field=exc.field, reason=exc.reason) from None
    resource = for_kind(manifest.kind, manifest.group)
    assert resource is not None, manifest.kind
    value = decoded.value
    key = decoded.key if decoded.key is not None else value.key
    return Parsed(
        manifest,
        decoded.store,
        key,
        value,
        resource,
        has_status=decoded.has_status,
        skip_reason=decoded.skip_reason,
        notes=decoded.notes,
    )


def _image_stream(f: Fields, ctx: Context) -> Decoded:
    meta = read_metadata(f, ctx, True)
    stream = image_stream_from_dict(
        f.obj,
        namespace=meta.namespace,
        now=ctx.now,
        start=ctx.start,
        internal_registry=ctx.internal_registry,
    )
    status = f.mapping(f.obj.get("status"), "status")
    return Decoded("ImageStream", stream, has_status=bool(status.get("tags")))


def _role(f: Fields, ctx: Context) -> Decoded:
    role = role_from_dict(f.obj, namespace=ctx.namespace)
    return Decoded(role.kind, role)


def _binding(f: Fields, ctx: Context) -> Decoded:
    binding = binding_from_dict(f.obj, namespace=ctx.namespace)
    return Decoded(binding.kind, binding)


def _image_stream_tag(f: Fields, ctx: Context) -> Decoded:
    ist = image_stream_tag_from_dict(f.obj, ctx.namespace, ctx.now, start=ctx.start)
    return Decoded("ImageStreamTag", ist)


def _image_stream_image(f: Fields, ctx: Context) -> Decoded:
    isi = image_stream_image_from_dict(f.obj, ctx.namespace, ctx.now, start=ctx.start)
    return Decoded("ImageStreamImage", isi, skip_reason=ISIMAGE_NOT_ALLOWED)


def _image(f: Fields, ctx: Context) -> Decoded:
    image = image_from_dict(f.obj, ctx.now, start=ctx.start)
    return Decoded("Image", image, key=("", image.digest))


def _node(f: Fields, ctx: Context) -> Decoded:
    return Decoded("Node", read_node(f, ctx))


ISIMAGE_NOT_ALLOWED = MethodNotAllowed.MESSAGE
"""Why an ``ImageStreamImage`` is not loaded: it is get-only (imagestreamimage ``REST``
implements ``rest.Getter`` alone)."""

_PARSERS = {
    "ImageStream": _image_stream,
    "Namespace": read_project,
    "Project": read_project,
    "ServiceAccount": read_service_account,
    "Secret": read_secret,
    "Role": _role,
    "ClusterRole": _role,
    "RoleBinding": _binding,
    "ClusterRoleBinding": _binding,
    "Group": read_group,
    "User": read_user,
    "Pod": read_pod,
    "Deployment": read_deployment,
    "DeploymentConfig": read_deployment_config,
    "ImageStreamTag": _image_stream_tag,
    "ImageStreamImage": _image_stream_image,
    "Image": _image,
    "Node": _node,
}

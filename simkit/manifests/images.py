"""Image streams, images, and their tag and image views in and out of the API shape.

:func:`image_stream_to_dict` writes what the API server returns for an ``ImageStream``:
field names, ``omitempty`` and pointer behaviour as in openshift/api ``image/v1/types.go``
(for instance ``annotations: null`` on a spec tag without annotations, ``items: null``
on a status tag that only has a failed-import condition, ``reference`` and
``importPolicy.insecure`` omitted when false), spec and status tags sorted by name as
the v1 conversion does, and times in RFC 3339.  :func:`image_stream_from_dict` reads
that shape back (an ``oc get -o yaml`` dump, a library image stream file, a manifest
for ``oc create -f``) through the one field reader (:mod:`simkit.manifests.fields`),
which names the offending field.  What the API server *validates* (a spec tag's
``from.kind``, ``referencePolicy.type``, ``importPolicy.importMode``, tag names) is read
as written and checked by :mod:`simkit.apiserver.validation` when the stream is created,
with openshift-apiserver's wording; defaulting (``SetDefaults_TagReferencePolicy``: an
empty reference policy is ``Source``; ``SetDefaults_TagImportPolicy``: an empty import
mode is ``Legacy``) is applied here.

:func:`image_to_dict` / :func:`image_from_dict` do the same for an ``Image``, and
:class:`ImageStreamTag` / :class:`ImageStreamImage` are the API's read-only views of a
stream's tag and of one of its images, built with :func:`image_stream_tag` and
:func:`image_stream_image`.

Not modelled: ``spec.dockerImageRepository`` (whole-repository imports) and
``status.publicDockerImageRepository`` (no public registry route); ``metadata.uid`` and
``resourceVersion`` are written by :func:`simkit.manifests.to_api` and ignored when read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from simkit.manifests.fields import DEFAULT_START, FieldError, Fields, describe, rfc3339
from simkit.state.images import (
    SOURCE_POLICY,
    Image,
    ImageStream,
    NamedTagEventList,
    ObjectReference,
    TagEvent,
    TagEventCondition,
    TagReference,
)

if TYPE_CHECKING:
    from simkit.simulation import Simulation

__all__ = [
    "API_VERSION",
    "KIND",
    "ImageStreamImage",
    "ImageStreamTag",
    "image_from_dict",
    "image_stream_from_dict",
    "image_stream_image",
    "image_stream_image_from_dict",
    "image_stream_image_to_dict",
    "image_stream_tag",
    "image_stream_tag_from_dict",
    "image_stream_tag_to_dict",
    "image_stream_to_dict",
    "image_to_dict",
]

API_VERSION = "image.openshift.io/v1"
KIND = "ImageStream"
INTEGRATED_REGISTRY = "image-registry.openshift-image-registry.svc:5000"
"""``Config.internal_registry``'s default, the stream's when a dump does not say."""

_LEGACY_API_VERSIONS = (API_VERSION, "v1")  # "v1" is the pre-3.6 legacy group


def _start_of(sim: Simulation | None, start: Any) -> Any:
    if start is not None:
        return start
    return sim.start if sim is not None else DEFAULT_START


# -- writing ------------------------------------------------------------------------------
def image_stream_to_dict(
    stream: ImageStream, sim: Simulation | None = None, *, start: Any = None
) -> dict[str, Any]:
    """The ``ImageStream`` object as the API server serialises it.

    Parameters
    ----------
    stream : ImageStream
        The stream to write.
    sim : Simulation, optional
        Gives the wall-clock time of simulation second 0 (``sim.start``).
    start : str or datetime, optional
        That time without a simulation (default ``2026-01-01T00:00:00Z``).

    Returns
    -------
    dict
        Keys in the Go struct order (``kind``, ``apiVersion``, ``metadata``, ``spec``,
        ``status``); ``oc get -o yaml`` sorts them (see :mod:`simkit.oc.output`).

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> _ = sim.registry("quay.io").push("ns/app", "1.0")
    >>> _ = sim.oc("tag quay.io/ns/app:1.0 app:1.0")
    >>> sim.advance("1m")
    >>> obj = image_stream_to_dict(sim.stream("default", "app"), sim)
    >>> obj["spec"]["tags"][0]["from"], obj["spec"]["tags"][0]["annotations"]
    ({'kind': 'DockerImage', 'name': 'quay.io/ns/app:1.0'}, None)
    >>> obj["status"]["tags"][0]["items"][0]["created"]
    '2026-01-01T00:00:01Z'
    """
    start = _start_of(sim, start)
    metadata: dict[str, Any] = {"name": stream.name, "namespace": stream.namespace}
    if stream.generation:
        metadata["generation"] = stream.generation
    metadata["creationTimestamp"] = rfc3339(stream.created, start)
    if stream.labels:
        metadata["labels"] = dict(stream.labels)
    if stream.annotations:
        metadata["annotations"] = dict(stream.annotations)
    spec: dict[str, Any] = {"lookupPolicy": {"local": stream.lookup_local}}
    if stream.spec_tags:
        spec["tags"] = [_tag_reference(stream.spec_tags[name]) for name in sorted(stream.spec_tags)]
    status: dict[str, Any] = {"dockerImageRepository": stream.docker_image_repository}
    if stream.status_tags:
        status["tags"] = [
            _tag_event_list(stream.status_tags[name], start) for name in sorted(stream.status_tags)
        ]
    return {
        "kind": KIND,
        "apiVersion": API_VERSION,
        "metadata": metadata,
        "spec": spec,
        "status": status,
    }


def _tag_reference(ref: TagReference) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": ref.name,
        "annotations": dict(ref.annotations) if ref.annotations is not None else None,
    }
    if ref.source is not None:
        source: dict[str, Any] = {"kind": ref.source.kind}
        if ref.source.namespace:
            source["namespace"] = ref.source.namespace
        source["name"] = ref.source.name
        out["from"] = source
    if ref.reference:
        out["reference"] = True
    out["generation"] = ref.generation
    policy: dict[str, Any] = {}
    if ref.insecure:
        policy["insecure"] = True
    if ref.scheduled:
        policy["scheduled"] = True
    if ref.import_mode:
        policy["importMode"] = ref.import_mode
    out["importPolicy"] = policy
    out["referencePolicy"] = {"type": ref.reference_policy}
    return out


def _tag_event_list(history: NamedTagEventList, start: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "tag": history.tag,
        "items": [
            {
                "created": rfc3339(item.created, start),
                "dockerImageReference": item.docker_image_reference,
                "image": item.image,
                "generation": item.generation,
            }
            for item in history.items
        ]
        or None,
    }
    if history.conditions:
        out["conditions"] = [_condition(c, start) for c in history.conditions]
    return out


def _condition(condition: TagEventCondition, start: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": condition.type,
        "status": condition.status,
        "lastTransitionTime": rfc3339(condition.last_transition_time, start),
    }
    if condition.reason:
        out["reason"] = condition.reason
    if condition.message:
        out["message"] = condition.message
    out["generation"] = condition.generation
    return out


# -- reading ------------------------------------------------------------------------------
_METADATA_FIELDS = (
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "managedFields",
)
_TAG_FIELDS = (
    "name",
    "annotations",
    "from",
    "reference",
    "generation",
    "importPolicy",
    "referencePolicy",
)
_FROM_FIELDS = ("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")


def image_stream_from_dict(
    obj: Mapping[str, Any],
    namespace: str = "default",
    now: float = 0.0,
    *,
    start: Any = DEFAULT_START,
    internal_registry: str = INTEGRATED_REGISTRY,
) -> ImageStream:
    """Read an ``ImageStream`` object (as decoded from YAML or JSON).

    Parameters
    ----------
    obj : Mapping
        The object: ``kind: ImageStream``, ``apiVersion: image.openshift.io/v1``.
    namespace : str
        Used when ``metadata.namespace`` is absent.
    now : float
        Simulation time used when ``metadata.creationTimestamp`` is absent or null.
    start : str or Timestamp
        The wall-clock time of simulation second 0 (``sim.start``), to turn RFC 3339
        times into simulation seconds.
    internal_registry : str
        The integrated registry host, used for ``status.dockerImageRepository``.

    Returns
    -------
    ImageStream
        With the spec and status as written; the API server's create rules
        (generations, status reset) are not applied here.

    Raises
    ------
    FieldError
        A ``ValueError``: on a wrong kind or apiVersion, a missing name, a field of the
        wrong type, or an unknown field; ``field`` is the path of the field and the
        message starts with it (``spec.tags[0].name: ...``).

    Examples
    --------
    >>> stream = image_stream_from_dict({
    ...     "kind": "ImageStream", "apiVersion": "image.openshift.io/v1",
    ...     "metadata": {"name": "ruby"},
    ...     "spec": {"tags": [{"name": "3.3", "from": {"kind": "DockerImage",
    ...                                               "name": "quay.io/r/ruby:3.3"}}]},
    ... }, namespace="demo")
    >>> stream.key, stream.spec_tags["3.3"].source.name
    (('demo', 'ruby'), 'quay.io/r/ruby:3.3')
    >>> image_stream_from_dict({"kind": "ImageStream", "apiVersion": "image.openshift.io/v1",
    ...                         "metadata": {"name": "x"}, "spec": {"tags": [{"name": 1}]}})
    Traceback (most recent call last):
    ...
    simkit.manifests.fields.FieldError: spec.tags[0].name: expected a string, got number 1
    """
    if not isinstance(obj, Mapping):
        raise FieldError("", f"expected an object, got {describe(obj)}")
    read = Fields(obj, start=start)
    obj = read.mapping(obj, "")
    kind = read.string(obj.get("kind"), "kind")
    if kind != KIND:
        raise read.fail("kind", f"expected {KIND!r}, got {kind!r}")
    api_version = read.string(obj.get("apiVersion"), "apiVersion")
    if api_version not in _LEGACY_API_VERSIONS:
        raise read.fail("apiVersion", f"expected {API_VERSION!r}, got {api_version!r}")
    read.known(obj, "", ("kind", "apiVersion", "metadata", "spec", "status"))

    meta = read.mapping(obj.get("metadata"), "metadata")
    read.known(meta, "metadata", _METADATA_FIELDS)
    name = read.string(meta.get("name"), "metadata.name")
    if not name:
        raise read.fail("metadata.name", "required")
    stream = ImageStream(
        namespace=read.string(meta.get("namespace"), "metadata.namespace") or namespace,
        name=name,
        internal_registry=internal_registry,
    )
    generation = read.integer(meta.get("generation"), "metadata.generation")
    if generation is not None:
        stream.generation = generation
    stream.created = read.time(meta.get("creationTimestamp"), "metadata.creationTimestamp", now)
    stream.labels = read.string_map(meta.get("labels"), "metadata.labels")
    stream.annotations = read.string_map(meta.get("annotations"), "metadata.annotations")

    spec = read.mapping(obj.get("spec"), "spec")
    read.known(spec, "spec", ("lookupPolicy", "dockerImageRepository", "tags"))
    if read.string(spec.get("dockerImageRepository"), "spec.dockerImageRepository"):
        raise read.fail(
            "spec.dockerImageRepository",
            "importing a whole repository is not "
            "modelled by simkit; list the tags in spec.tags instead",
        )
    lookup = read.mapping(spec.get("lookupPolicy"), "spec.lookupPolicy")
    read.known(lookup, "spec.lookupPolicy", ("local",))
    stream.lookup_local = read.boolean(lookup.get("local"), "spec.lookupPolicy.local")
    for i, item in enumerate(read.items(spec.get("tags"), "spec.tags")):
        ref = _read_tag_reference(read, item, f"spec.tags[{i}]")
        if ref.name in stream.spec_tags:
            raise read.fail(f"spec.tags[{i}].name", f"duplicate tag {ref.name!r}")
        stream.spec_tags[ref.name] = ref

    status = read.mapping(obj.get("status"), "status")
    read.known(status, "status", ("dockerImageRepository", "publicDockerImageRepository", "tags"))
    repository = read.string(status.get("dockerImageRepository"), "status.dockerImageRepository")
    suffix = f"/{stream.namespace}/{stream.name}"
    if repository.endswith(suffix) and len(repository) > len(suffix):
        stream.internal_registry = repository[: -len(suffix)]
    for i, item in enumerate(read.items(status.get("tags"), "status.tags")):
        history = _read_tag_event_list(read, item, f"status.tags[{i}]", now)
        if history.tag in stream.status_tags:
            raise read.fail(f"status.tags[{i}].tag", f"duplicate tag {history.tag!r}")
        stream.status_tags[history.tag] = history
    return stream


def _read_tag_reference(
    read: Fields, value: Any, path: str, default_name: str = ""
) -> TagReference:
    item = read.mapping(value, path, required=True)
    read.known(item, path, _TAG_FIELDS)
    name = read.string(item.get("name"), f"{path}.name") or default_name
    if not name:
        raise read.fail(f"{path}.name", "required")
    ref = TagReference(name)
    ref.annotations = read.optional_string_map(item.get("annotations"), f"{path}.annotations")
    if item.get("from") is not None:
        source = read.mapping(item["from"], f"{path}.from")
        read.known(source, f"{path}.from", _FROM_FIELDS)
        ref.source = ObjectReference(  # its kind is validated on create (validation.py)
            read.string(source.get("kind"), f"{path}.from.kind"),
            read.string(source.get("name"), f"{path}.from.name"),
            read.string(source.get("namespace"), f"{path}.from.namespace"),
        )
    ref.reference = read.boolean(item.get("reference"), f"{path}.reference")
    ref.generation = read.integer(item.get("generation"), f"{path}.generation")
    policy = read.mapping(item.get("importPolicy"), f"{path}.importPolicy")
    read.known(policy, f"{path}.importPolicy", ("insecure", "scheduled", "importMode"))
    ref.insecure = read.boolean(policy.get("insecure"), f"{path}.importPolicy.insecure")
    ref.scheduled = read.boolean(policy.get("scheduled"), f"{path}.importPolicy.scheduled")
    # SetDefaults_TagImportPolicy; other values are refused by ValidateImportPolicy
    ref.import_mode = (
        read.string(policy.get("importMode"), f"{path}.importPolicy.importMode") or "Legacy"
    )
    reference_policy = read.mapping(item.get("referencePolicy"), f"{path}.referencePolicy")
    read.known(reference_policy, f"{path}.referencePolicy", ("type",))
    kind = read.string(reference_policy.get("type"), f"{path}.referencePolicy.type")
    # SetDefaults_TagReferencePolicy: "" becomes Source; ValidateImageStream checks the rest
    ref.reference_policy = kind or SOURCE_POLICY
    return ref


def _read_tag_event_list(read: Fields, value: Any, path: str, now: float) -> NamedTagEventList:
    item = read.mapping(value, path, required=True)
    read.known(item, path, ("tag", "items", "conditions"))
    tag = read.string(item.get("tag"), f"{path}.tag")
    if not tag:
        raise read.fail(f"{path}.tag", "required")
    history = NamedTagEventList(tag)
    for i, raw in enumerate(read.items(item.get("items"), f"{path}.items")):
        where = f"{path}.items[{i}]"
        event = read.mapping(raw, where, required=True)
        read.known(event, where, ("created", "dockerImageReference", "image", "generation"))
        history.items.append(
            TagEvent(
                created=read.time(event.get("created"), f"{where}.created", now),
                docker_image_reference=read.string(
                    event.get("dockerImageReference"), f"{where}.dockerImageReference"
                ),
                image=read.string(event.get("image"), f"{where}.image"),
                generation=read.integer(event.get("generation"), f"{where}.generation") or 0,
            )
        )
    for i, raw in enumerate(read.items(item.get("conditions"), f"{path}.conditions")):
        history.conditions.append(_read_condition(read, raw, f"{path}.conditions[{i}]", now))
    return history


def _read_condition(read: Fields, raw: Any, where: str, now: float) -> TagEventCondition:
    condition = read.mapping(raw, where, required=True)
    read.known(
        condition,
        where,
        ("type", "status", "lastTransitionTime", "reason", "message", "generation"),
    )
    return TagEventCondition(
        type=read.string(condition.get("type"), f"{where}.type"),
        status=read.string(condition.get("status"), f"{where}.status"),
        last_transition_time=read.time(
            condition.get("lastTransitionTime"), f"{where}.lastTransitionTime", now
        ),
        reason=read.string(condition.get("reason"), f"{where}.reason"),
        message=read.string(condition.get("message"), f"{where}.message"),
        generation=read.integer(condition.get("generation"), f"{where}.generation") or 0,
    )


# -- images and the read-only views -------------------------------------------------------
IMAGE_METADATA_VERSION = "1.0"
"""``dockerImageMetadataVersion``: the version of ``dockerImageMetadata`` written."""


def image_to_dict(
    image: Image, sim: Simulation | None = None, *, start: Any = None
) -> dict[str, Any]:
    """The ``Image`` object (cluster-scoped, named by its digest).

    ``dockerImageMetadata`` is the ``DockerImage`` of openshift/api
    ``image/docker10``: ``Id``, ``Created``, ``Size`` and ``Config.Labels`` (what simkit
    models of an image).

    Examples
    --------
    >>> obj = image_to_dict(Image("sha256:" + "a" * 64, "quay.io/a/b@sha256:" + "a" * 64, 60,
    ...                           size=5, labels={"v": "1"}))
    >>> obj["metadata"]["name"][:10], obj["dockerImageMetadata"]["Size"]
    ('sha256:aaa', 5)
    >>> image_from_dict(obj) == Image("sha256:" + "a" * 64, "quay.io/a/b@sha256:" + "a" * 64,
    ...                               60, size=5, labels={"v": "1"})
    True
    """
    start = _start_of(sim, start)
    created = rfc3339(image.created, start)
    metadata: dict[str, Any] = {"Id": image.digest, "Created": created, "Size": image.size}
    if image.labels:
        metadata["Config"] = {"Labels": dict(image.labels)}
    return {
        "kind": "Image",
        "apiVersion": API_VERSION,
        "metadata": {"name": image.digest, "creationTimestamp": created},
        "dockerImageReference": image.docker_image_reference,
        "dockerImageMetadata": {
            "kind": "DockerImage",
            "apiVersion": "image.openshift.io/1.0",
            **metadata,
        },
        "dockerImageMetadataVersion": IMAGE_METADATA_VERSION,
    }


def _read_image(read: Fields, obj: Mapping[str, Any], path: str, now: float) -> Image:
    prefix = f"{path}." if path else ""
    meta = read.mapping(obj.get("metadata"), f"{prefix}metadata")
    digest = read.string(meta.get("name"), f"{prefix}metadata.name")
    if not digest:
        raise read.fail(f"{prefix}metadata.name", "required")
    docker = read.mapping(obj.get("dockerImageMetadata"), f"{prefix}dockerImageMetadata")
    where = f"{prefix}dockerImageMetadata"
    created = read.time(meta.get("creationTimestamp"), f"{prefix}metadata.creationTimestamp", now)
    config = read.mapping(docker.get("Config"), f"{where}.Config")
    return Image(
        digest=digest,
        docker_image_reference=read.string(
            obj.get("dockerImageReference"), f"{prefix}dockerImageReference"
        ),
        created=read.time(docker.get("Created"), f"{where}.Created", created),
        size=read.integer(docker.get("Size"), f"{where}.Size", 0) or 0,
        labels=read.string_map(config.get("Labels"), f"{where}.Config.Labels"),
    )


def _header(obj: Any, kind: str, start: Any) -> tuple[Fields, Mapping[str, Any]]:
    if not isinstance(obj, Mapping):
        raise FieldError("", f"expected an object, got {describe(obj)}")
    read = Fields(obj, start=start)
    found = read.string(obj.get("kind"), "kind")
    if found != kind:
        raise read.fail("kind", f"expected {kind!r}, got {found!r}")
    api_version = read.string(obj.get("apiVersion"), "apiVersion")
    if api_version not in _LEGACY_API_VERSIONS:
        raise read.fail("apiVersion", f"expected {API_VERSION!r}, got {api_version!r}")
    return read, obj


def image_from_dict(
    obj: Mapping[str, Any], now: float = 0.0, *, start: Any = DEFAULT_START
) -> Image:
    """An :class:`~simkit.state.images.Image` from its object (see :func:`image_to_dict`)."""
    read, obj = _header(obj, "Image", start)
    return _read_image(read, obj, "", now)


@dataclass(slots=True)
class ImageStreamTag:
    """An ``ImageStreamTag``: the API's view of one tag of a stream (never stored).

    ``name`` is ``stream:tag``; ``tag`` the spec tag (None for a tag only in the status);
    ``image`` the image the tag points at now; ``created`` when it started to.
    """

    namespace: str
    name: str
    tag: TagReference | None = None
    generation: int = 0
    lookup_local: bool = False
    image: Image | None = None
    created: float = 0.0
    conditions: list[TagEventCondition] = field(default_factory=list)
    annotations: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        """``(namespace, stream:tag)``."""
        return (self.namespace, self.name)


@dataclass(slots=True)
class ImageStreamImage:
    """An ``ImageStreamImage``: one image of a stream, named ``stream@digest``."""

    namespace: str
    name: str
    image: Image
    created: float = 0.0

    @property
    def key(self) -> tuple[str, str]:
        """``(namespace, stream@digest)``."""
        return (self.namespace, self.name)


def image_stream_tag(
    stream: ImageStream, tag: str, images: Mapping[str, Image] | None = None
) -> ImageStreamTag:
    """The ``ImageStreamTag`` view of ``stream``'s ``tag`` (``images`` by digest, for the
    image's size and labels; without them the image has the tag event's reference only).

    Examples
    --------
    >>> from simkit.state.images import TagEvent
    >>> stream = ImageStream("p", "app")
    >>> stream.spec_tags["1"] = TagReference("1", ObjectReference("DockerImage", "q.io/a:1"))
    >>> event = TagEvent(5, "q.io/a@sha256:1", "sha256:1")
    >>> stream.status_tags["1"] = NamedTagEventList("1", [event])
    >>> ist = image_stream_tag(stream, "1")
    >>> ist.name, ist.image.docker_image_reference, ist.created
    ('app:1', 'q.io/a@sha256:1', 5)
    """
    history = stream.status_tags.get(tag)
    event = history.items[0] if history is not None and history.items else None
    image = None
    if event is not None:
        image = (images or {}).get(event.image)
        if image is None:
            image = Image(event.image, event.docker_image_reference, event.created)
        elif image.docker_image_reference != event.docker_image_reference:
            image = Image(
                image.digest,
                event.docker_image_reference,
                image.created,
                image.size,
                dict(image.labels),
            )
    ref = stream.spec_tags.get(tag)
    return ImageStreamTag(
        namespace=stream.namespace,
        name=f"{stream.name}:{tag}",
        tag=ref,
        generation=event.generation if event is not None else 0,
        lookup_local=stream.lookup_local,
        image=image,
        created=event.created if event is not None else stream.created,
        conditions=list(history.conditions) if history is not None else [],
        annotations=dict(ref.annotations or {}) if ref is not None else {},
    )


def image_stream_image(stream: ImageStream, image: Image) -> ImageStreamImage:
    """The ``ImageStreamImage`` view ``stream@digest`` of one of ``stream``'s images."""
    return ImageStreamImage(stream.namespace, f"{stream.name}@{image.digest}", image, image.created)


def image_stream_tag_to_dict(
    ist: ImageStreamTag, sim: Simulation | None = None, *, start: Any = None
) -> dict[str, Any]:
    """The ``ImageStreamTag`` object (``tag`` null for a status-only tag; ``image`` the
    full ``Image``; ``conditions`` omitted when empty).

    Examples
    --------
    >>> ist = ImageStreamTag("p", "app:1", lookup_local=True)
    >>> obj = image_stream_tag_to_dict(ist)
    >>> obj["tag"], obj["lookupPolicy"], image_stream_tag_from_dict(obj) == ist
    (None, {'local': True}, True)
    """
    start = _start_of(sim, start)
    metadata: dict[str, Any] = {
        "name": ist.name,
        "namespace": ist.namespace,
        "creationTimestamp": rfc3339(ist.created, start),
    }
    if ist.annotations:
        metadata["annotations"] = dict(ist.annotations)
    out: dict[str, Any] = {
        "kind": "ImageStreamTag",
        "apiVersion": API_VERSION,
        "metadata": metadata,
        "tag": _tag_reference(ist.tag) if ist.tag is not None else None,
        "generation": ist.generation,
        "lookupPolicy": {"local": ist.lookup_local},
    }
    if ist.conditions:
        out["conditions"] = [_condition(c, start) for c in ist.conditions]
    out["image"] = (
        image_to_dict(ist.image, start=start)
        if ist.image is not None
        else {"metadata": {"creationTimestamp": None}}
    )
    return out


def image_stream_tag_from_dict(
    obj: Mapping[str, Any],
    namespace: str = "default",
    now: float = 0.0,
    *,
    start: Any = DEFAULT_START,
) -> ImageStreamTag:
    """An :class:`ImageStreamTag` from its object (see :func:`image_stream_tag_to_dict`)."""
    read, obj = _header(obj, "ImageStreamTag", start)
    meta = read.mapping(obj.get("metadata"), "metadata")
    name = read.string(meta.get("name"), "metadata.name")
    if not name:
        raise read.fail("metadata.name", "required")
    tag = None
    if obj.get("tag") is not None:
        # the ImageStreamTag strategy's PrepareForCreate names an unnamed tag after NAME:TAG
        tag = _read_tag_reference(
            read, obj.get("tag"), "tag", name.partition(":")[2] if ":" in name else ""
        )
    lookup = read.mapping(obj.get("lookupPolicy"), "lookupPolicy")
    conditions = [
        _read_condition(read, raw, f"conditions[{i}]", now)
        for i, raw in enumerate(read.items(obj.get("conditions"), "conditions"))
    ]
    raw_image = read.mapping(obj.get("image"), "image")
    image = None
    image_meta = read.mapping(raw_image.get("metadata"), "image.metadata")
    if image_meta.get("name") is not None:
        image = _read_image(read, raw_image, "image", now)
    return ImageStreamTag(
        namespace=read.string(meta.get("namespace"), "metadata.namespace") or namespace,
        name=name,
        tag=tag,
        generation=read.integer(obj.get("generation"), "generation", 0) or 0,
        lookup_local=read.boolean(lookup.get("local"), "lookupPolicy.local"),
        image=image,
        created=read.time(meta.get("creationTimestamp"), "metadata.creationTimestamp", now),
        conditions=conditions,
        annotations=read.string_map(meta.get("annotations"), "metadata.annotations"),
    )


def image_stream_image_to_dict(
    isi: ImageStreamImage, sim: Simulation | None = None, *, start: Any = None
) -> dict[str, Any]:
    """The ``ImageStreamImage`` object: its name, namespace, and the ``Image``."""
    start = _start_of(sim, start)
    return {
        "kind": "ImageStreamImage",
        "apiVersion": API_VERSION,
        "metadata": {
            "name": isi.name,
            "namespace": isi.namespace,
            "creationTimestamp": rfc3339(isi.created, start),
        },
        "image": image_to_dict(isi.image, start=start),
    }


def image_stream_image_from_dict(
    obj: Mapping[str, Any],
    namespace: str = "default",
    now: float = 0.0,
    *,
    start: Any = DEFAULT_START,
) -> ImageStreamImage:
    """An :class:`ImageStreamImage` from its object."""
    read, obj = _header(obj, "ImageStreamImage", start)
    meta = read.mapping(obj.get("metadata"), "metadata")
    name = read.string(meta.get("name"), "metadata.name")
    if not name:
        raise read.fail("metadata.name", "required")
    return ImageStreamImage(
        namespace=read.string(meta.get("namespace"), "metadata.namespace") or namespace,
        name=name,
        image=_read_image(
            read, read.mapping(obj.get("image"), "image", required=True), "image", now
        ),
        created=read.time(meta.get("creationTimestamp"), "metadata.creationTimestamp", now),
    )

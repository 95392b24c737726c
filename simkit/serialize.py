"""Image streams to and from the ``image.openshift.io/v1`` object shape (plain dicts).

:func:`image_stream_to_dict` writes what the API server returns for an ``ImageStream``:
field names, ``omitempty`` and pointer behaviour as in openshift/api ``image/v1/types.go``
(for instance ``annotations: null`` on a spec tag without annotations, ``items: null``
on a status tag that only has a failed-import condition, ``reference`` and
``importPolicy.insecure`` omitted when false), spec and status tags sorted by name as
the v1 conversion does, and times in RFC 3339.  :func:`image_stream_from_dict` reads
that shape back (an ``oc get -o yaml`` dump, a library image stream file, a manifest
for ``oc create -f``) and raises ``ValueError`` naming the offending field.

Not modelled: ``metadata.uid``/``resourceVersion``/``managedFields`` (never written,
ignored when read), ``spec.dockerImageRepository`` (whole-repository imports) and
``status.publicDockerImageRepository`` (no public registry route).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from simkit.config import INTEGRATED_REGISTRY
from simkit.state.images import (
    SOURCE_KINDS,
    SOURCE_POLICY,
    ImageStream,
    NamedTagEventList,
    ObjectReference,
    TagEvent,
    TagEventCondition,
    TagReference,
)

if TYPE_CHECKING:
    from simkit.simulation import Simulation

__all__ = ["API_VERSION", "KIND", "image_stream_from_dict", "image_stream_to_dict"]

API_VERSION = "image.openshift.io/v1"
KIND = "ImageStream"
DEFAULT_START = "2026-01-01T00:00:00Z"
"""``Simulation``'s default start: the instant that simulation time 0 stands for."""

_LEGACY_API_VERSIONS = (API_VERSION, "v1")  # "v1" is the pre-3.6 legacy group


# -- writing ------------------------------------------------------------------------------
def image_stream_to_dict(stream: ImageStream, sim: Simulation) -> dict[str, Any]:
    """The ``ImageStream`` object as the API server serialises it.

    Parameters
    ----------
    stream : ImageStream
        The stream to write.
    sim : Simulation
        Gives the wall-clock times (``sim.rfc3339``).

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
    metadata: dict[str, Any] = {"name": stream.name, "namespace": stream.namespace}
    if stream.generation:
        metadata["generation"] = stream.generation
    metadata["creationTimestamp"] = sim.rfc3339(stream.created)
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
            _tag_event_list(stream.status_tags[name], sim) for name in sorted(stream.status_tags)
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


def _tag_event_list(history: NamedTagEventList, sim: Simulation) -> dict[str, Any]:
    out: dict[str, Any] = {
        "tag": history.tag,
        "items": [
            {
                "created": sim.rfc3339(item.created),
                "dockerImageReference": item.docker_image_reference,
                "image": item.image,
                "generation": item.generation,
            }
            for item in history.items
        ] or None,
    }
    if history.conditions:
        out["conditions"] = [_condition(c, sim) for c in history.conditions]
    return out


def _condition(condition: TagEventCondition, sim: Simulation) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": condition.type,
        "status": condition.status,
        "lastTransitionTime": sim.rfc3339(condition.last_transition_time),
    }
    if condition.reason:
        out["reason"] = condition.reason
    if condition.message:
        out["message"] = condition.message
    out["generation"] = condition.generation
    return out


# -- reading ------------------------------------------------------------------------------
class _Reader:
    """Typed access to a decoded object, with errors that name the field."""

    def __init__(self, start: pd.Timestamp) -> None:
        self.start = start

    def mapping(self, value: Any, path: str, *, null_ok: bool = True) -> Mapping[str, Any]:
        if value is None and null_ok:
            return {}
        if not isinstance(value, Mapping):
            raise ValueError(f"{path}: expected an object, got {_describe(value)}")
        for key in value:
            if not isinstance(key, str):
                raise ValueError(f"{path}: field names must be strings, got {key!r}")
        return value

    def list(self, value: Any, path: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise ValueError(f"{path}: expected a list, got {_describe(value)}")
        return value

    def string(self, value: Any, path: str, default: str = "") -> str:
        if value is None:
            return default
        if not isinstance(value, str):
            raise ValueError(f"{path}: expected a string, got {_describe(value)}")
        return value

    def boolean(self, value: Any, path: str) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            raise ValueError(f"{path}: expected true or false, got {_describe(value)}")
        return value

    def integer(self, value: Any, path: str) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{path}: expected an integer, got {_describe(value)}")
        return value

    def string_map(self, value: Any, path: str) -> dict[str, str] | None:
        if value is None:
            return None
        # a null value decodes to "" in Go, as here
        return {key: self.string(item, f"{path}.{key}")
                for key, item in self.mapping(value, path).items()}

    def time(self, value: Any, path: str, default: float) -> float:
        if value is None:
            return default
        text = self.string(value, path)
        try:
            stamp = pd.Timestamp(text)
        except ValueError:
            raise ValueError(
                f"{path}: {text!r} is not an RFC 3339 time such as '2026-01-01T00:00:00Z'"
            ) from None
        if stamp.tzinfo is None:
            raise ValueError(f"{path}: {text!r} has no time zone (expected e.g. a trailing 'Z')")
        return (stamp - self.start).total_seconds()

    def known(self, obj: Mapping[str, Any], path: str, fields: tuple[str, ...]) -> None:
        for key in obj:
            if key not in fields:
                raise ValueError(f"{path}: unknown field {key!r} (expected one of "
                                 f"{', '.join(fields)})")


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"number {value!r}"
    if isinstance(value, str):
        return f"string {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return "null" if value is None else type(value).__name__


_METADATA_FIELDS = (
    "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
    "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels",
    "annotations", "ownerReferences", "finalizers", "managedFields",
)
_TAG_FIELDS = (
    "name", "annotations", "from", "reference", "generation", "importPolicy", "referencePolicy",
)
_FROM_FIELDS = ("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")


def image_stream_from_dict(
    obj: Mapping[str, Any],
    namespace: str = "default",
    now: float = 0.0,
    *,
    start: str | pd.Timestamp = DEFAULT_START,
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
    ValueError
        On a wrong kind or apiVersion, a missing name, a field of the wrong type, an
        unknown field in ``spec`` or a spec tag, or an invalid enum value; the message
        starts with the field path (``spec.tags[1].from.kind: ...``).

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
    ValueError: spec.tags[0].name: expected a string, got number 1
    """
    read = _Reader(pd.Timestamp(start))
    obj = read.mapping(obj, "object", null_ok=False)
    kind = read.string(obj.get("kind"), "kind")
    if kind != KIND:
        raise ValueError(f"kind: expected {KIND!r}, got {kind!r}")
    api_version = read.string(obj.get("apiVersion"), "apiVersion")
    if api_version not in _LEGACY_API_VERSIONS:
        raise ValueError(f"apiVersion: expected {API_VERSION!r}, got {api_version!r}")
    read.known(obj, "object", ("kind", "apiVersion", "metadata", "spec", "status"))

    meta = read.mapping(obj.get("metadata"), "metadata")
    read.known(meta, "metadata", _METADATA_FIELDS)
    name = read.string(meta.get("name"), "metadata.name")
    if not name:
        raise ValueError("metadata.name: required")
    stream = ImageStream(
        namespace=read.string(meta.get("namespace"), "metadata.namespace") or namespace,
        name=name,
        internal_registry=internal_registry,
    )
    generation = read.integer(meta.get("generation"), "metadata.generation")
    if generation is not None:
        stream.generation = generation
    stream.created = read.time(meta.get("creationTimestamp"), "metadata.creationTimestamp", now)
    stream.labels = read.string_map(meta.get("labels"), "metadata.labels") or {}
    stream.annotations = read.string_map(meta.get("annotations"), "metadata.annotations") or {}

    spec = read.mapping(obj.get("spec"), "spec")
    read.known(spec, "spec", ("lookupPolicy", "dockerImageRepository", "tags"))
    if read.string(spec.get("dockerImageRepository"), "spec.dockerImageRepository"):
        raise ValueError("spec.dockerImageRepository: importing a whole repository is not "
                         "modelled by simkit; list the tags in spec.tags instead")
    lookup = read.mapping(spec.get("lookupPolicy"), "spec.lookupPolicy")
    read.known(lookup, "spec.lookupPolicy", ("local",))
    stream.lookup_local = read.boolean(lookup.get("local"), "spec.lookupPolicy.local")
    for i, item in enumerate(read.list(spec.get("tags"), "spec.tags")):
        ref = _read_tag_reference(read, item, f"spec.tags[{i}]")
        if ref.name in stream.spec_tags:
            raise ValueError(f"spec.tags[{i}].name: duplicate tag {ref.name!r}")
        stream.spec_tags[ref.name] = ref

    status = read.mapping(obj.get("status"), "status")
    read.known(status, "status", ("dockerImageRepository", "publicDockerImageRepository", "tags"))
    repository = read.string(status.get("dockerImageRepository"), "status.dockerImageRepository")
    suffix = f"/{stream.namespace}/{stream.name}"
    if repository.endswith(suffix) and len(repository) > len(suffix):
        stream.internal_registry = repository[: -len(suffix)]
    for i, item in enumerate(read.list(status.get("tags"), "status.tags")):
        history = _read_tag_event_list(read, item, f"status.tags[{i}]", now)
        if history.tag in stream.status_tags:
            raise ValueError(f"status.tags[{i}].tag: duplicate tag {history.tag!r}")
        stream.status_tags[history.tag] = history
    return stream


def _read_tag_reference(read: _Reader, value: Any, path: str) -> TagReference:
    item = read.mapping(value, path, null_ok=False)
    read.known(item, path, _TAG_FIELDS)
    name = read.string(item.get("name"), f"{path}.name")
    if not name:
        raise ValueError(f"{path}.name: required")
    ref = TagReference(name)
    ref.annotations = read.string_map(item.get("annotations"), f"{path}.annotations")
    if item.get("from") is not None:
        source = read.mapping(item["from"], f"{path}.from")
        read.known(source, f"{path}.from", _FROM_FIELDS)
        kind = read.string(source.get("kind"), f"{path}.from.kind")
        if kind not in SOURCE_KINDS:
            raise ValueError(f"{path}.from.kind: {kind!r} is not one of {', '.join(SOURCE_KINDS)}")
        ref.source = ObjectReference(
            kind,
            read.string(source.get("name"), f"{path}.from.name"),
            read.string(source.get("namespace"), f"{path}.from.namespace"),
        )
    ref.reference = read.boolean(item.get("reference"), f"{path}.reference")
    ref.generation = read.integer(item.get("generation"), f"{path}.generation")
    policy = read.mapping(item.get("importPolicy"), f"{path}.importPolicy")
    read.known(policy, f"{path}.importPolicy", ("insecure", "scheduled", "importMode"))
    ref.insecure = read.boolean(policy.get("insecure"), f"{path}.importPolicy.insecure")
    ref.scheduled = read.boolean(policy.get("scheduled"), f"{path}.importPolicy.scheduled")
    mode = read.string(policy.get("importMode"), f"{path}.importPolicy.importMode") or "Legacy"
    if mode not in ("Legacy", "PreserveOriginal"):
        raise ValueError(f"{path}.importPolicy.importMode: {mode!r} is not one of "
                         "Legacy, PreserveOriginal")
    ref.import_mode = mode
    reference_policy = read.mapping(item.get("referencePolicy"), f"{path}.referencePolicy")
    read.known(reference_policy, f"{path}.referencePolicy", ("type",))
    kind = read.string(reference_policy.get("type"), f"{path}.referencePolicy.type")
    ref.reference_policy = kind or SOURCE_POLICY  # defaults.go: "" becomes Source
    if ref.reference_policy not in ("Source", "Local"):
        raise ValueError(f"{path}.referencePolicy.type: {kind!r} is not one of Source, Local")
    return ref


def _read_tag_event_list(read: _Reader, value: Any, path: str, now: float) -> NamedTagEventList:
    item = read.mapping(value, path, null_ok=False)
    read.known(item, path, ("tag", "items", "conditions"))
    tag = read.string(item.get("tag"), f"{path}.tag")
    if not tag:
        raise ValueError(f"{path}.tag: required")
    history = NamedTagEventList(tag)
    for i, raw in enumerate(read.list(item.get("items"), f"{path}.items")):
        where = f"{path}.items[{i}]"
        event = read.mapping(raw, where, null_ok=False)
        read.known(event, where, ("created", "dockerImageReference", "image", "generation"))
        history.items.append(TagEvent(
            created=read.time(event.get("created"), f"{where}.created", now),
            docker_image_reference=read.string(
                event.get("dockerImageReference"), f"{where}.dockerImageReference"),
            image=read.string(event.get("image"), f"{where}.image"),
            generation=read.integer(event.get("generation"), f"{where}.generation") or 0,
        ))
    for i, raw in enumerate(read.list(item.get("conditions"), f"{path}.conditions")):
        where = f"{path}.conditions[{i}]"
        condition = read.mapping(raw, where, null_ok=False)
        read.known(condition, where, ("type", "status", "lastTransitionTime", "reason",
                                      "message", "generation"))
        history.conditions.append(TagEventCondition(
            type=read.string(condition.get("type"), f"{where}.type"),
            status=read.string(condition.get("status"), f"{where}.status"),
            last_transition_time=read.time(
                condition.get("lastTransitionTime"), f"{where}.lastTransitionTime", now),
            reason=read.string(condition.get("reason"), f"{where}.reason"),
            message=read.string(condition.get("message"), f"{where}.message"),
            generation=read.integer(condition.get("generation"), f"{where}.generation") or 0,
        ))
    return history

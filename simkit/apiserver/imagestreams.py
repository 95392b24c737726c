"""The image stream endpoints: create, update, ImageStreamTag update and delete.

Each function works inside a :class:`~simkit.state.cluster.Transaction`, applies the
strategy rules of :mod:`simkit.rules.stream_strategy` and the field validation of
:mod:`simkit.apiserver.validation`, and raises an
:class:`~simkit.apiserver.errors.ApiError` (leaving the transaction to be discarded)
when the API server would refuse the request.

As openshift-apiserver @56aa2d96 ``registry/imagestream/strategy.go`` ``Validate`` and
``ValidateUpdate`` do, the strategy's ``tagsChanged`` errors (a source stream that is
not found, a malformed ``from.name``) come first, wrapped as one internal error on the
field ``[]`` (``[]: Internal error: imagestreams "NAME" is invalid: ...``), followed by
the field errors of ``ValidateImageStream``; all are reported as
``ImageStream.image.openshift.io "NAME" is invalid``.  On create every spec tag is new;
on update only new or changed tags are resolved, but every tag is validated again.

``registry/imagestreamtag/rest.go`` ``Update`` (what ``oc tag`` calls) first splits the
name (``ImageStreamTags must be retrieved with <name>:<tag>``, a 400), then validates
the ImageStreamTag (``ImageStreamTag.image.openshift.io "NAME:TAG" is invalid``: create
rules when the stream is missing, update rules otherwise) and only then writes the
stream, whose own validation may still refuse it.
"""

from __future__ import annotations

from simkit.apiserver.errors import AlreadyExists, BadRequest, Invalid, NotFound
from simkit.apiserver.field_errors import FieldError, internal
from simkit.apiserver.validation import (
    ImageStreamTagObject,
    validate_image_stream,
    validate_image_stream_tag,
    validate_image_stream_tag_update,
    validate_image_stream_update,
)
from simkit.refs import InvalidReference
from simkit.refs.stream_names import parse_image_stream_tag_name
from simkit.rules.stream_strategy import (
    prepare_for_create,
    prepare_for_update,
    tags_changed,
)
from simkit.state.cluster import Transaction
from simkit.state.images import ImageStream, TagReference

KIND = "ImageStream"
RESOURCE = "imagestreams.image.openshift.io"
ISTAG_RESOURCE = "imagestreamtags.image.openshift.io"
#: The qualified kinds ``NewInvalid`` names.
QUALIFIED_KIND = "ImageStream.image.openshift.io"
ISTAG_QUALIFIED_KIND = "ImageStreamTag.image.openshift.io"


def _getter(tx: Transaction):
    return lambda namespace, name: tx.get(KIND, (namespace, name))


def _tags_changed_errors(
    tx: Transaction, stream: ImageStream, old: ImageStream | None, now: float
) -> list[FieldError]:
    """``validateTagsAndLimits``: ``tagsChanged`` errors as one ``[]`` internal error."""
    errors = tags_changed(stream, old, _getter(tx), now, stream.internal_registry)
    if not errors:
        return []
    return [internal("[]", Invalid("imagestreams", stream.name, errors).message)]


def _name_and_tag(name_and_tag: str) -> tuple[str, str]:
    """``nameAndTag``: the 400 every ImageStreamTag call gives for a malformed name."""
    try:
        return parse_image_stream_tag_name(name_and_tag)
    except InvalidReference:
        raise BadRequest("ImageStreamTags must be retrieved with <name>:<tag>") from None


def _event_fields(stream: ImageStream, old: ImageStream | None) -> list[dict]:
    """One ``tag_updated`` event per status tag whose newest event changed."""
    changes = []
    for tag, history in stream.status_tags.items():
        if not history.items:
            continue
        newest = history.items[0]
        previous = None
        if old is not None and tag in old.status_tags and old.status_tags[tag].items:
            previous = old.status_tags[tag].items[0]
        if (
            previous is not None
            and previous.image == newest.image
            and (previous.docker_image_reference == newest.docker_image_reference)
        ):
            continue
        changes.append(
            {  # a literal, not dict(...): the same keys in the same order, without a call
                "namespace": stream.namespace,
                "stream": stream.name,
                "tag": tag,
                "image": newest.image or None,
                "reference": newest.docker_image_reference,
                "previous_image": (previous.image or None) if previous else None,
                "generation": newest.generation,
                "revisions": len(history.items),
            }
        )
    return changes


def record_changes(tx: Transaction, stream: ImageStream, old: ImageStream | None) -> None:
    for fields in _event_fields(stream, old):
        tx.record("tag_updated", **fields)
    if old is not None:
        for tag in old.status_tags:
            if tag not in stream.status_tags and old.status_tags[tag].items:
                tx.record("tag_removed", namespace=stream.namespace, stream=stream.name, tag=tag)


def create_stream(
    tx: Transaction, stream: ImageStream, now: float, keep_status: bool = False
) -> ImageStream:
    """``POST imagestreams``: a new stream at generation 1, its tags resolved now.

    ``keep_status`` is the internal strategy the importer uses: the status it computed
    is kept, with its events at generation 1.

    Examples
    --------
    >>> from simkit.state.cluster import Cluster
    >>> cluster = Cluster()
    >>> with cluster.transaction(lambda kind, **f: None) as tx:
    ...     _ = create_stream(tx, ImageStream("demo", "ruby"), now=0.0)
    >>> cluster.get("ImageStream", ("demo", "ruby")).generation
    1
    """
    if tx.get(KIND, stream.key) is not None:
        raise AlreadyExists.of(RESOURCE, stream.name)
    stream.created = now
    status = stream.status_tags
    prepare_for_create(stream)
    if keep_status:
        stream.status_tags = status
    errors = _tags_changed_errors(tx, stream, None, now) + validate_image_stream(stream)
    if errors:
        raise Invalid(QUALIFIED_KIND, stream.name, errors)
    tx.put(KIND, stream.key, stream)
    tx.record(
        "stream_created", namespace=stream.namespace, stream=stream.name, tags=len(stream.spec_tags)
    )
    record_changes(tx, stream, None)
    return stream


def update_stream(tx: Transaction, old: ImageStream, stream: ImageStream, now: float) -> None:
    """``PUT imagestreams/NAME``: generation rules, validation, tag resolution.

    ``old`` is the stream as stored, ``stream`` the desired object (an edited copy of
    ``old``, never ``old`` itself).
    """
    prepare_for_update(stream, old)
    errors = _tags_changed_errors(tx, stream, old, now)
    errors += validate_image_stream_update(stream, old)
    if errors:
        raise Invalid(QUALIFIED_KIND, stream.name, errors)
    tx.put(KIND, stream.key, stream)
    record_changes(tx, stream, old)


def set_tag(
    tx: Transaction,
    namespace: str,
    name: str,
    tag: str,
    ref: TagReference,
    now: float,
    internal_registry: str,
    annotations: dict[str, str] | None = None,
) -> ImageStream:
    """``PUT imagestreamtags/NAME:TAG`` with a tag reference; creates the stream if missing.

    ``annotations`` are the ImageStreamTag's ``metadata.annotations``: given, they become
    the spec tag's (``Strategy.PrepareForUpdate`` and ``REST.update`` set
    ``tagRef.Annotations = imageStreamTag.Annotations``).

    Examples
    --------
    >>> from simkit.state.cluster import Cluster
    >>> from simkit.state.images import ObjectReference
    >>> ref = TagReference("1", ObjectReference("DockerImage", "quay.io/x@bad"))
    >>> with Cluster().transaction(lambda kind, **f: None) as tx:
    ...     set_tag(tx, "demo", "ruby", "1", ref, 0.0, "registry:5000")
    Traceback (most recent call last):
    ...
    simkit.apiserver.errors.Invalid: Error from server (Invalid): \
ImageStreamTag.image.openshift.io "ruby:1" is invalid: tag.from.name: Invalid value: \
"quay.io/x@bad": invalid reference format
    """
    istag = f"{name}:{tag}"
    _name_and_tag(istag)
    ref.name = tag
    old = tx.get(KIND, (namespace, name))
    new_istag = ImageStreamTagObject(namespace, istag, ref)
    if annotations is not None:
        ref.annotations = dict(annotations) or None
        new_istag.annotations = dict(annotations)
    if old is None:
        errors = validate_image_stream_tag(new_istag)
    else:
        # the REST storage gives an ImageStreamTag without labels the stream's labels
        new_istag.labels = dict(old.labels)
        old_istag = ImageStreamTagObject(
            namespace, istag, old.spec_tags.get(tag), labels=dict(old.labels)
        )
        errors = validate_image_stream_tag_update(new_istag, old_istag)
    if errors:
        raise Invalid(ISTAG_QUALIFIED_KIND, istag, errors)
    if old is None:
        stream = ImageStream(namespace, name, internal_registry=internal_registry)
        stream.spec_tags[tag] = ref
        return create_stream(tx, stream, now)
    stream = old.copy()
    stream.spec_tags[tag] = ref
    update_stream(tx, old, stream, now)
    return stream


def create_tag(
    tx: Transaction,
    namespace: str,
    name: str,
    tag: str,
    ref: TagReference | None,
    now: float,
    internal_registry: str,
    annotations: dict[str, str] | None = None,
) -> ImageStream:
    """``POST imagestreamtags`` (``oc create -f istag.yaml``, and ``oc apply -f`` when the
    tag cannot be read yet): ``registry/imagestreamtag/rest.go`` ``REST.Create``.

    The ImageStreamTag is validated with the create rules; an existing spec tag of that
    name is ``AlreadyExists`` (upstream names the singular resource,
    ``imagestreamtag.image.openshift.io``); the stream is created when missing; a
    ``tag`` of None adds no spec tag.  The ImageStreamTag's ``lookupPolicy`` is not
    written to the stream (``Create`` copies only ``Tag``).

    Examples
    --------
    >>> from simkit.state.cluster import Cluster
    >>> from simkit.state.images import ObjectReference
    >>> cluster = Cluster()
    >>> ref = TagReference("1", ObjectReference("DockerImage", "quay.io/a/b:1"))
    >>> with cluster.transaction(lambda kind, **f: None) as tx:
    ...     _ = create_tag(tx, "demo", "ruby", "1", ref, 0.0, "registry:5000")
    >>> list(cluster.get("ImageStream", ("demo", "ruby")).spec_tags)
    ['1']
    >>> with cluster.transaction(lambda kind, **f: None) as tx:
    ...     create_tag(tx, "demo", "ruby", "1", ref, 0.0, "registry:5000")
    Traceback (most recent call last):
    ...
    simkit.apiserver.errors.AlreadyExists: Error from server (AlreadyExists): \
imagestreamtag.image.openshift.io "ruby:1" already exists
    """
    istag = f"{name}:{tag}"
    _name_and_tag(istag)
    if ref is not None and not ref.name:  # Strategy.PrepareForCreate
        ref.name = tag
    errors = validate_image_stream_tag(
        ImageStreamTagObject(namespace, istag, ref, annotations=dict(annotations or {}))
    )
    if errors:
        raise Invalid(ISTAG_QUALIFIED_KIND, istag, errors)
    old = tx.get(KIND, (namespace, name))
    if old is not None and tag in old.spec_tags:
        raise AlreadyExists.of("imagestreamtag.image.openshift.io", istag)
    stream = (
        old.copy()
        if old is not None
        else ImageStream(namespace, name, internal_registry=internal_registry)
    )
    if ref is not None:
        stream.spec_tags[tag] = ref
    if old is None:
        return create_stream(tx, stream, now)
    update_stream(tx, old, stream, now)
    return stream


def delete_tag(tx: Transaction, namespace: str, name: str, tag: str, now: float) -> ImageStream:
    """``DELETE imagestreamtags/NAME:TAG``: removes the spec and the status tag."""
    _name_and_tag(f"{name}:{tag}")
    old = tx.get(KIND, (namespace, name))
    if old is None:  # the stream's own NotFound, as GetImageStream returns it
        raise NotFound.of(RESOURCE, name)
    if tag not in old.spec_tags and tag not in old.status_tags:
        raise NotFound.of(ISTAG_RESOURCE, f"{name}:{tag}")
    stream = old.copy()
    stream.spec_tags.pop(tag, None)
    stream.status_tags.pop(tag, None)
    update_stream(tx, old, stream, now)
    tx.record("tag_deleted", namespace=namespace, stream=name, tag=tag)
    return stream


def delete_stream(tx: Transaction, namespace: str, name: str) -> None:
    """``DELETE imagestreams/NAME``."""
    if tx.get(KIND, (namespace, name)) is None:
        raise NotFound.of(RESOURCE, name)
    tx.delete(KIND, (namespace, name))
    tx.record("stream_deleted", namespace=namespace, stream=name)

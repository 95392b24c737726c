"""The image stream endpoints: create, update, ImageStreamTag update and delete.

Each function works inside a :class:`~simkit.state.cluster.Transaction`, applies the
strategy rules of :mod:`simkit.rules.stream_strategy`, and raises an
:class:`~simkit.apiserver.errors.ApiError` (leaving the transaction to be discarded)
when the API server would refuse the request.
"""

from __future__ import annotations

from simkit.apiserver.errors import AlreadyExists, Invalid, NotFound
from simkit.rules.stream_strategy import (
    prepare_for_create,
    prepare_for_update,
    tags_changed,
    validate_stream,
)
from simkit.state.cluster import Transaction
from simkit.state.images import ImageStream, TagReference

KIND = "ImageStream"
RESOURCE = "imagestreams.image.openshift.io"
ISTAG_RESOURCE = "imagestreamtags.image.openshift.io"


def _getter(tx: Transaction):
    return lambda namespace, name: tx.get(KIND, (namespace, name))


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
        if previous is not None and previous.image == newest.image and (
            previous.docker_image_reference == newest.docker_image_reference
        ):
            continue
        changes.append(
            dict(
                namespace=stream.namespace,
                stream=stream.name,
                tag=tag,
                image=newest.image or None,
                reference=newest.docker_image_reference,
                previous_image=(previous.image or None) if previous else None,
                generation=newest.generation,
                revisions=len(history.items),
            )
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
    errors = validate_stream(stream)
    if errors:
        raise Invalid(KIND, stream.name, errors)
    errors = tags_changed(stream, None, _getter(tx), now, stream.internal_registry)
    if errors:
        raise Invalid(KIND, stream.name, errors)
    tx.put(KIND, stream.key, stream)
    tx.record("stream_created", namespace=stream.namespace, stream=stream.name,
              tags=len(stream.spec_tags))
    record_changes(tx, stream, None)
    return stream


def update_stream(tx: Transaction, old: ImageStream, stream: ImageStream, now: float) -> None:
    """``PUT imagestreams/NAME``: generation rules, validation, tag resolution.

    ``old`` is the stream as stored, ``stream`` the desired object (an edited copy of
    ``old``, never ``old`` itself).
    """
    prepare_for_update(stream, old)
    errors = validate_stream(stream)
    if errors:
        raise Invalid(KIND, stream.name, errors)
    errors = tags_changed(stream, old, _getter(tx), now, stream.internal_registry)
    if errors:
        raise Invalid(KIND, stream.name, errors)
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
) -> ImageStream:
    """``PUT imagestreamtags/NAME:TAG`` with a tag reference; creates the stream if missing."""
    ref.name = tag
    old = tx.get(KIND, (namespace, name))
    if old is None:
        stream = ImageStream(namespace, name, internal_registry=internal_registry)
        stream.spec_tags[tag] = ref
        return create_stream(tx, stream, now)
    stream = old.copy()
    stream.spec_tags[tag] = ref
    update_stream(tx, old, stream, now)
    return stream


def delete_tag(tx: Transaction, namespace: str, name: str, tag: str, now: float) -> ImageStream:
    """``DELETE imagestreamtags/NAME:TAG``: removes the spec and the status tag."""
    old = tx.get(KIND, (namespace, name))
    if old is None or (tag not in old.spec_tags and tag not in old.status_tags):
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

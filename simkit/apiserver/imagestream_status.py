"""``PUT imagestreams/NAME/status`` and ``DELETE images/NAME``: what the pruner writes.

The status strategy (openshift-apiserver ``registry/imagestream/strategy.go``
``StatusStrategy.PrepareForUpdate``) keeps the stored spec, so neither the stream's nor
any tag's generation changes; a newest event written without a generation gets one
(``updateObservedGenerationForStatusUpdate``).
"""

from __future__ import annotations

from simkit.apiserver.errors import NotFound
from simkit.apiserver.imagestreams import KIND, RESOURCE, record_changes
from simkit.state.cluster import Transaction
from simkit.state.images import ImageStream, NamedTagEventList, TagEvent

__all__ = ["IMAGE_KIND", "delete_image", "delete_images", "update_stream_status"]

IMAGE_KIND = "Image"
IMAGE_RESOURCE = "images.image.openshift.io"


def _tag_event_changed(old: TagEvent, new: TagEvent) -> bool:
    """``tagEventChanged``."""
    return (
        old.image != new.image
        or old.docker_image_reference != new.docker_image_reference
        or old.generation > new.generation
    )


def update_stream_status(
    tx: Transaction, namespace: str, name: str, status_tags: dict[str, NamedTagEventList]
) -> ImageStream:
    """Replace the status tags of ``namespace/name``; the spec stays as stored.

    Examples
    --------
    >>> from simkit.state.cluster import Cluster
    >>> cluster = Cluster()
    >>> with cluster.transaction(lambda kind, **fields: None) as tx:
    ...     tx.put("ImageStream", ("demo", "app"), ImageStream("demo", "app", generation=4))
    ...     new = {"1": NamedTagEventList("1", [TagEvent(0.0, "q/a@sha256:1", "sha256:1")])}
    ...     update_stream_status(tx, "demo", "app", new).status_tags["1"].items[0].generation
    4
    """
    key = (namespace, name)
    old = tx.get(KIND, key)
    if old is None:
        raise NotFound.of(RESOURCE, name)
    stream = old.with_status(status_tags)  # (the pruner writes every stream each night)
    for tag, history in status_tags.items():
        if not history.items or history.items[0].generation != 0:
            continue
        newest = history.items[0]
        previous = old.status_tags.get(tag)
        spec = stream.spec_tags.get(tag)
        if (
            previous is None
            or not previous.items
            or not _tag_event_changed(previous.items[0], newest)
            or spec is None
            or spec.generation is None
        ):
            newest.generation = stream.generation
        else:
            newest.generation = spec.generation
    tx.put(KIND, key, stream)  # the key it was read by (``stream.key`` makes another)
    record_changes(tx, stream, old)
    return stream


def delete_image(tx: Transaction, digest: str) -> None:
    """``DELETE images/<digest>``: remove the cluster-scoped Image object."""
    key = ("", digest)
    if tx.get(IMAGE_KIND, key) is None:
        raise NotFound.of(IMAGE_RESOURCE, digest)
    tx.delete(IMAGE_KIND, key)


def delete_images(tx: Transaction, digests: list[str]) -> None:
    """:func:`delete_image` of each digest in turn (the pruner deletes thousands a night).

    Examples
    --------
    >>> from simkit.state.cluster import Cluster
    >>> from simkit.state.images import Image
    >>> cluster = Cluster()
    >>> with cluster.transaction(lambda kind, **fields: None) as tx:
    ...     tx.put(IMAGE_KIND, ("", "sha256:1"), Image("sha256:1", "q/a@sha256:1", 0.0))
    >>> with cluster.transaction(lambda kind, **fields: None) as tx:
    ...     delete_images(tx, ["sha256:1"])
    >>> cluster.list(IMAGE_KIND)
    []
    """
    for digest in digests:
        delete_image(tx, digest)

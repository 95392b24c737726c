"""``oc adm prune images``: which tag history and which images go (a pure plan).

Restates oc ``pkg/cli/admin/prune/imageprune/prune.go``:

1. Streams created after the cutoff (``now - keep_younger_than``) are skipped.  In every
   other stream, each history item of each status tag is kept when it is younger than
   the cutoff, when it is the current item (revision 0) of a tag in use, **dropped** when
   its Image object is missing (a ``--reference`` tag's items have none), kept when it is
   among the ``keep_tag_revisions`` newest, kept when its image is used by digest, and
   otherwise deleted.  Tags left without items disappear from the status.  A deleted
   item whose image is no longer in the stream removes the repository's manifest link.
2. Cluster-wide runs (no namespace) then delete every Image object older than the
   cutoff that no remaining stream history refers to (with its manifest blob).

Layers and configs are not modelled, so no layer links or layer blobs are listed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from simkit.rules.image_usage import ImageUsage
from simkit.state.images import MANAGED_BY_OPENSHIFT_ANNOTATION, ImageStream, NamedTagEventList

__all__ = ["PruneOptions", "PrunePlan", "PruneStats", "StreamPrune", "plan_prune"]

_IMAGE_OF = attrgetter("image")
_NAME_OF = attrgetter("name")
_NAMESPACE_OF = attrgetter("namespace")


@dataclass(frozen=True, slots=True)
class PruneOptions:
    """The pruner's settings (``PrunerOptions``), with oc's defaults."""

    keep_tag_revisions: int = 3
    keep_younger_than: float = 3600.0
    all_images: bool = True
    prune_registry: bool = True
    namespace: str | None = None


@dataclass(slots=True)
class PruneStats:
    """``PruneStats``: what was (or, in a dry run, would be) deleted."""

    deleted_images: int = 0
    deleted_tag_items: int = 0
    updated_streams: int = 0
    deleted_layer_links: int = 0
    deleted_manifest_links: int = 0
    deleted_blobs: int = 0

    def __str__(self) -> str:
        """The ``Summary:`` text.

        Examples
        --------
        >>> str(PruneStats())
        'deleted 0 objects'
        >>> str(PruneStats(deleted_images=2, deleted_tag_items=3, updated_streams=1))
        'deleted 2 image object(s), deleted 3 image stream tag item(s), updated 1 image stream(s)'
        """
        parts = []
        if self.deleted_images:
            parts.append(f"deleted {self.deleted_images} image object(s)")
        if self.deleted_tag_items:
            parts.append(f"deleted {self.deleted_tag_items} image stream tag item(s)")
        if self.updated_streams:
            parts.append(f"updated {self.updated_streams} image stream(s)")
        if self.deleted_layer_links:
            parts.append(f"deleted {self.deleted_layer_links} layer link(s)")
        if self.deleted_manifest_links:
            parts.append(f"deleted {self.deleted_manifest_links} manifest link(s)")
        if self.deleted_blobs:
            parts.append(f"deleted {self.deleted_blobs} blob(s)")
        return ", ".join(parts) if parts else "deleted 0 objects"


@dataclass(slots=True)
class StreamPrune:
    """One stream's status after pruning, and what was removed from it."""

    namespace: str
    name: str
    status_tags: dict[str, NamedTagEventList]
    deleted_items: int
    manifest_links: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        """``(namespace, name)``."""
        return (self.namespace, self.name)


@dataclass(slots=True)
class PrunePlan:
    """Everything one prune run deletes, in the order oc reports it."""

    streams: list[StreamPrune] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    image_blobs: dict[str, list[str]] = field(default_factory=dict)
    stats: PruneStats = field(default_factory=PruneStats)


def _stored(seconds: float) -> float:
    """API times have whole-second precision."""
    return float(math.floor(seconds))


def _young_from(cutoff: float) -> float:
    """The earliest time whose stored value (:func:`_stored`) is after ``cutoff``.

    ``_stored(t) > cutoff`` exactly when ``t >= _young_from(cutoff)``: the least whole
    second above the cutoff is ``floor(cutoff) + 1``, and a whole second is reached by
    the floor of ``t`` exactly when ``t`` reaches it.  One floor per run instead of one
    per stream, history item and image.

    Examples
    --------
    >>> _young_from(3600.0), _young_from(3600.5)
    (3601.0, 3601.0)
    >>> all((_stored(t) > c) == (t >= _young_from(c))
    ...     for c in (3600.0, 3600.5, -0.5) for t in (3600.0, 3600.9, 3601.0, -1.0, -0.2, 0.0))
    True
    """
    return float(math.floor(cutoff) + 1)


def _prune_tag(
    stream: ImageStream,
    history: NamedTagEventList,
    images: Mapping[str, Any],
    usage: ImageUsage,
    young: float,
    keep: int,
) -> tuple[list, list[str]]:
    """``pruneImageStreamTag``: the items kept, and the images of the items deleted (in
    order; items dropped because their image is missing are in neither).  ``young`` is
    :func:`_young_from` of the cutoff."""
    kept, deleted = [], []
    namespace, name = stream.namespace, stream.name
    for rev, item in enumerate(history.items):
        if item.created >= young or (rev == 0 and usage.tags.get((namespace, name, history.tag))):
            kept.append(item)
        elif item.image not in images:
            continue  # "image not found, deleting..."
        elif rev < keep or usage.images.get((namespace, name, item.image)):
            kept.append(item)
        else:
            deleted.append(item.image)
    return kept, deleted


def _may_delete(stream: ImageStream, images: Mapping[str, Any], keep: int) -> bool:
    """Whether :func:`_prune_tag` could remove anything from ``stream``.

    An item goes only when its image is missing or it is not among the ``keep`` newest
    of its tag; a stream with neither keeps every item whatever the cutoff and usage
    say, so its plan is known without building it (most streams, most nights).
    """
    for history in stream.status_tags.values():
        items = history.items
        if len(items) > keep:
            return True
        for item in items:
            if item.image not in images:
                return True
    return False


def _manifest_links(gone: list[str], remaining: Mapping[str, NamedTagEventList]) -> list[str]:
    """The manifest links a stream's deletions remove, in oc's order.

    oc counts the stream's items per (existing) image and, deleting items tag by tag,
    removes the link when an image's count reaches 0.  A deleted item's image exists, so
    items dropped for a missing image never share it: the count of an image reaches 0
    exactly when none of the kept items has it, at its last deletion.  So the links are
    the deleted images that no kept item has, ordered by their last deletion.
    """
    still = {item.image for history in remaining.values() for item in history.items}
    links: list[str] = []
    seen: set[str] = set()
    for image in reversed(gone):
        if image not in still and image not in seen:
            seen.add(image)
            links.append(image)
    links.reverse()
    return links


def _prune_stream(
    stream: ImageStream,
    images: Mapping[str, Any],
    usage: ImageUsage,
    young: float,
    options: PruneOptions,
) -> StreamPrune | None:
    """``pruneImageStream`` for a stream old enough to be pruned; None if nothing goes."""
    keep = options.keep_tag_revisions
    if not _may_delete(stream, images, keep):
        return None
    remaining: dict[str, NamedTagEventList] = {}
    deleted, gone = 0, []
    tags = stream.status_tags
    for tag in sorted(tags):  # the v1 list order
        history = tags[tag]
        kept, removed = _prune_tag(stream, history, images, usage, young, keep)
        deleted += len(history.items) - len(kept)
        gone += removed
        if kept:
            remaining[tag] = NamedTagEventList(tag, kept, list(history.conditions))
    if deleted == 0:
        return None
    manifests = _manifest_links(gone, remaining) if options.prune_registry else []
    return StreamPrune(stream.namespace, stream.name, remaining, deleted, manifests)


def _by_namespace_and_name(streams: Iterable[ImageStream]) -> list[ImageStream]:
    """``streams`` sorted by ``(namespace, name)``, in two stable sorts by one name each.

    Sorting by the name and then, stably, by the namespace is the same order as one sort
    by the pair (ties keep their order in both); each pass compares bare strings, which
    the sort does several times faster than pairs, and every night sorts every stream.

    Examples
    --------
    >>> streams = [ImageStream(ns, name) for ns, name in [("b", "x"), ("a", "y"), ("a", "x")]]
    >>> [(s.namespace, s.name) for s in _by_namespace_and_name(streams)]
    [('a', 'x'), ('a', 'y'), ('b', 'x')]
    """
    ordered = sorted(streams, key=_NAME_OF)
    ordered.sort(key=_NAMESPACE_OF)
    return ordered


def plan_prune(
    streams: Iterable[ImageStream],
    images: Mapping[str, Any],
    usage: ImageUsage,
    now: float,
    options: PruneOptions | None = None,
) -> PrunePlan:
    """What ``oc adm prune images`` deletes now.

    Parameters
    ----------
    streams : iterable of ImageStream
        Every stream in scope (all namespaces, or ``options.namespace``'s).
    images : Mapping
        The cluster's Image objects by digest (each with ``created`` and optionally
        ``annotations``).
    usage : ImageUsage
        What the workloads use (:func:`simkit.rules.image_usage.images_in_use`).
    now : float
        The simulation time of the run.
    options : PruneOptions, optional
        Revisions to keep, the age cutoff, ``--all``, ``--prune-registry``, namespace.

    Returns
    -------
    PrunePlan
        The streams to update (with their new status), the images to delete, and the
        statistics oc prints as ``Summary:``.

    Examples
    --------
    >>> from simkit.state.images import Image, TagEvent
    >>> stream = ImageStream("demo", "app", created=0.0)
    >>> digests = [f"sha256:{i}" for i in range(5)]
    >>> stream.status_tags["1.0"] = NamedTagEventList(
    ...     "1.0", [TagEvent(float(10 - i), f"q/app@{d}", d) for i, d in enumerate(digests)])
    >>> images = {d: Image(d, f"q/app@{d}", created=1.0) for d in digests}
    >>> plan = plan_prune([stream], images, ImageUsage(), now=7200.0)
    >>> [len(s.status_tags["1.0"].items) for s in plan.streams], plan.images
    ([3], ['sha256:3', 'sha256:4'])
    >>> str(plan.stats)
    'deleted 2 image object(s), deleted 2 image stream tag item(s), updated 1 image stream(s), \
deleted 2 manifest link(s), deleted 2 blob(s)'
    """
    options = options or PruneOptions()
    young = _young_from(now - options.keep_younger_than)
    plan = PrunePlan()
    stats = plan.stats
    # The images the remaining histories refer to (cluster-wide runs only), gathered
    # stream by stream while the stream's objects are fresh in the caches: a second
    # pass over every history once the plan was made read them all from memory again.
    used: set[str] = set()
    gather = used.update if options.namespace is None else None
    for stream in _by_namespace_and_name(streams):
        remaining: Mapping[str, NamedTagEventList] = stream.status_tags
        if stream.created < young:
            pruned = _prune_stream(stream, images, usage, young, options)
            if pruned is not None:
                remaining = pruned.status_tags
                plan.streams.append(pruned)
                stats.deleted_tag_items += pruned.deleted_items
                stats.updated_streams += 1
                stats.deleted_manifest_links += len(pruned.manifest_links)
        if gather is not None:
            for history in remaining.values():
                gather(map(_IMAGE_OF, history.items))
    if options.namespace is not None:
        return plan
    # Only the images no history refers to are candidates; visiting just those, in
    # digest order, deletes the same images in the same order as visiting all of them.
    all_images, registry = options.all_images, options.prune_registry
    for digest in sorted([digest for digest in images if digest not in used]):
        image = images[digest]
        if not all_images:
            annotations = getattr(image, "annotations", None) or {}
            if annotations.get(MANAGED_BY_OPENSHIFT_ANNOTATION) != "true":
                continue
        if image.created >= young:
            continue
        plan.images.append(digest)
        plan.image_blobs[digest] = [digest] if registry else []
    stats.deleted_images += len(plan.images)
    if registry:
        stats.deleted_blobs += len(plan.images)
    return plan

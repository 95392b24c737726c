"""Tag resolution and tag-event history: pure functions over an :class:`ImageStream`.

Each function restates one helper of OpenShift (openshift-apiserver
``pkg/image/apiserver/internal/imageutil/helpers.go``, library-go
``pkg/image/imageutil/helpers.go`` and oc ``pkg/helpers/image/helpers.go``).
Functions that change a stream mutate the stream they are given; callers pass a copy
when they need the old one.
"""

from __future__ import annotations

import dataclasses

from simkit.refs import InvalidReference, parse_pull_spec
from simkit.state.images import (
    DEFAULT_IMAGE_TAG,
    IMAGE_STREAM_TAG,
    LOCAL_POLICY,
    ImageStream,
    NamedTagEventList,
    TagEvent,
    TagEventCondition,
    TagReference,
)


class TagReferenceError(ValueError):
    """A spec tag could not be followed (``FollowTagReference``)."""


class CircularReference(TagReferenceError):
    """``ErrCircularReference``: following ImageStreamTag tags came back to a tag seen before."""


class NotFoundReference(TagReferenceError):
    """``ErrNotFoundReference``: a followed tag is not in the stream's spec."""


class CrossImageStreamReference(TagReferenceError):
    """``ErrCrossImageStreamReference``: a followed tag points into another stream."""


class AmbiguousImageID(ValueError):
    """``ResolveImageID`` found more than one image for a prefix (a 409 Conflict)."""


def latest_tagged_image(stream: ImageStream, tag: str) -> TagEvent | None:
    """The newest event of ``tag`` (``LatestTaggedImage``); an empty tag means ``latest``.

    Examples
    --------
    >>> s = ImageStream("ns", "ruby")
    >>> s.status_tags["latest"] = NamedTagEventList("latest", [TagEvent(0.0, "r@sha256:a", "a")])
    >>> latest_tagged_image(s, "").image
    'a'
    >>> latest_tagged_image(s, "2.7") is None
    True
    """
    history = stream.status_tags.get(tag or DEFAULT_IMAGE_TAG)
    if history is None or not history.items:
        return None
    return history.items[0]


def add_tag_event(stream: ImageStream, tag: str, event: TagEvent) -> bool:
    """Record ``event`` as the newest of ``tag`` (``AddTagEventToImageStream``).

    Returns whether the stream changed.  A new image and reference is prepended (history
    is newest first, never truncated) and clears the tag's conditions; a change of only
    the image, only the reference or only the generation collapses into the newest
    event instead.

    Examples
    --------
    >>> s = ImageStream("ns", "ruby")
    >>> add_tag_event(s, "2.7", TagEvent(0.0, "q/r@sha256:a", "sha256:a", 1))
    True
    >>> add_tag_event(s, "2.7", TagEvent(9.0, "q/r@sha256:a", "sha256:a", 1))
    False
    >>> add_tag_event(s, "2.7", TagEvent(9.0, "q/r@sha256:b", "sha256:b", 2))
    True
    >>> [e.image for e in s.status_tags["2.7"].items]
    ['sha256:b', 'sha256:a']
    """
    history = stream.status_tags.get(tag)
    if history is None or not history.items:
        if history is None:
            history = stream.status_tags[tag] = NamedTagEventList(tag)
        history.items = [event]
        return True
    previous = history.items[0]
    same_ref = previous.docker_image_reference == event.docker_image_reference
    same_image = previous.image == event.image
    same_generation = previous.generation == event.generation
    if same_ref and same_image and same_generation:
        return False
    if same_ref and same_image:
        pass
    elif same_ref:
        previous.image = event.image
    elif same_image:
        previous.docker_image_reference = event.docker_image_reference
    else:
        history.conditions = []
        history.items.insert(0, event)
        return True
    previous.generation = event.generation
    history.conditions = []
    return True


def split_stream_tag_name(name: str, stream_name: str) -> tuple[str, str]:
    """``parseFromReference`` for ImageStreamTag sources: ``tag`` or ``stream:tag``.

    Examples
    --------
    >>> split_stream_tag_name("2.7", "ruby")
    ('ruby', '2.7')
    >>> split_stream_tag_name("python:3.9", "ruby")
    ('python', '3.9')
    """
    parts = name.split(":")
    if len(parts) == 1:
        return stream_name, name
    if len(parts) == 2:
        return parts[0], parts[1]
    raise ValueError(f'invalid from.name "{name}" - it must be of the form <tag> or <stream>:<tag>')


def update_tracking_tags(stream: ImageStream, updated_tag: str, event: TagEvent) -> int:
    """Copy ``event`` to every spec tag that tracks ``updated_tag`` (``UpdateTrackingTags``).

    A tracking tag has ``from.kind`` ImageStreamTag naming ``<tag>`` or
    ``<this stream>:<tag>`` in this namespace.  Returns how many tags changed.

    Examples
    --------
    >>> from simkit.state.images import ObjectReference, TagReference
    >>> s = ImageStream("ns", "ruby")
    >>> s.spec_tags["latest"] = TagReference(
    ...     "latest", ObjectReference("ImageStreamTag", "ruby:2.7"))
    >>> update_tracking_tags(s, "2.7", TagEvent(0.0, "q/r@sha256:a", "sha256:a", 3))
    1
    >>> s.status_tags["latest"].items[0].image
    'sha256:a'
    """
    updated = 0
    for name, ref in stream.spec_tags.items():
        source = ref.source
        if source is None or source.kind != IMAGE_STREAM_TAG or name == updated_tag:
            continue
        if (source.namespace or stream.namespace) != stream.namespace:
            continue
        if ":" in source.name:
            stream_name, _, tag = source.name.partition(":")
            if not stream_name or not tag or ":" in tag:
                continue
        else:
            stream_name, tag = stream.name, source.name
        if stream_name != stream.name or tag != updated_tag:
            continue
        copy = TagEvent(event.created, event.docker_image_reference, event.image, event.generation)
        if add_tag_event(stream, name, copy):
            updated += 1
    return updated


def follow_tag_reference(stream: ImageStream, tag: str) -> tuple[str, TagReference, bool]:
    """Follow ImageStreamTag spec tags within the stream (oc ``FollowTagReference``).

    Returns ``(final_tag, final_reference, multiple)``: the last tag reached, its spec
    :class:`TagReference`, and whether more than one hop was taken.  There is no depth
    limit, only cycle detection.

    Examples
    --------
    >>> from simkit.state.images import ObjectReference, TagReference
    >>> s = ImageStream("ns", "ruby")
    >>> s.spec_tags["2.7"] = TagReference("2.7", ObjectReference("DockerImage", "q/r:2.7"))
    >>> s.spec_tags["latest"] = TagReference("latest", ObjectReference("ImageStreamTag", "2.7"))
    >>> follow_tag_reference(s, "latest")[0]
    '2.7'
    """
    seen: set[str] = set()
    multiple = False
    while True:
        if tag in seen:
            raise CircularReference(f"tag {tag!r} on the image stream is a circular reference")
        seen.add(tag)
        ref = stream.spec_tags.get(tag)
        if ref is None:
            raise NotFoundReference(f"tag {tag!r} not found on the image stream")
        source = ref.source
        if source is None or source.kind != IMAGE_STREAM_TAG:
            return tag, ref, multiple
        if source.namespace and source.namespace != stream.namespace:
            raise CrossImageStreamReference(f"tag {tag!r} points to another image stream")
        if ":" in source.name:
            name, _, next_tag = source.name.partition(":")
            if name != stream.name:
                raise CrossImageStreamReference(f"tag {tag!r} points to another image stream")
        else:
            next_tag = source.name
        tag = next_tag
        multiple = True


def _digest_or_image_matches(image: str, prefix: str) -> bool:
    """``DigestOrImageMatch``: ``sha256:<prefix>``, a bare hex prefix, or a string prefix."""
    if image.startswith(prefix):
        return True
    algorithm, _, hexpart = image.partition(":")
    return bool(algorithm) and bool(hexpart) and hexpart.startswith(prefix)


def resolve_image_id(stream: ImageStream, image_id: str, now: float) -> TagEvent:
    """The history event for an image id or digest prefix (``ResolveImageID``).

    Raises ``KeyError`` when nothing matches and :class:`AmbiguousImageID` when the
    prefix matches more than one image.  The event has ``created=now`` and no generation.

    Examples
    --------
    >>> s = ImageStream("ns", "ruby")
    >>> s.status_tags["1"] = NamedTagEventList("1", [TagEvent(0.0, "q/r@sha256:ab", "sha256:ab")])
    >>> resolve_image_id(s, "ab", now=5.0).docker_image_reference
    'q/r@sha256:ab'
    """
    found: dict[str, TagEvent] = {}
    for history in stream.status_tags.values():
        for item in history.items:
            if _digest_or_image_matches(item.image, image_id):
                found.setdefault(item.image, item)
    if not found:
        raise KeyError(f'imagestreamimage.image.openshift.io "{stream.name}@{image_id}" not found')
    if len(found) > 1:
        raise AmbiguousImageID(f"multiple images match the prefix {image_id!r}")
    item = next(iter(found.values()))
    return TagEvent(now, item.docker_image_reference, item.image, 0)


def resolve_reference_for_tag_event(
    stream: ImageStream, reference_policy: str, event: TagEvent
) -> str:
    """The pull spec a consumer of ``event`` uses (``ResolveReferenceForTagEvent``).

    ``Local`` gives ``<status.dockerImageRepository>@<image>`` (pull-through via the
    integrated registry); ``Source``, an empty image or an unusable repository gives the
    event's own ``dockerImageReference``.  As in ``DockerImageReference.NameString``,
    an image name that is not a valid digest is joined with ``:`` instead of ``@``.

    Examples
    --------
    >>> s = ImageStream("ns", "ruby")
    >>> digest = "sha256:" + "ab" * 32
    >>> e = TagEvent(0.0, f"quay.io/r/ruby@{digest}", digest)
    >>> resolve_reference_for_tag_event(s, "Source", e) == e.docker_image_reference
    True
    >>> resolve_reference_for_tag_event(s, "Local", e)
    'image-registry.openshift-image-registry.svc:5000/ns/ruby@sha256:abab...abab'
    >>> short = TagEvent(0.0, "quay.io/r/ruby@sha256:ab", "sha256:ab")
    >>> resolve_reference_for_tag_event(s, "Local", short)
    'image-registry.openshift-image-registry.svc:5000/ns/ruby:sha256:ab'
    """
    if reference_policy != LOCAL_POLICY or not event.image:
        return event.docker_image_reference
    local = stream.docker_image_repository
    if not local:
        return event.docker_image_reference
    try:
        ref = parse_pull_spec(local)
    except InvalidReference:
        return event.docker_image_reference
    return dataclasses.replace(ref, tag="", id=event.image).exact()


def observed_tag_generation(history: NamedTagEventList | None) -> int:
    """``latestObservedTagGeneration``: max of the newest event's and ImportSuccess's generation."""
    if history is None:
        return 0
    observed = history.items[0].generation if history.items else 0
    for condition in history.conditions:
        if condition.type == "ImportSuccess":
            observed = max(observed, condition.generation)
            break
    return observed


def tag_needs_import(
    stream: ImageStream, tag: str, import_when_generation_nil: bool = False
) -> bool:
    """``tagNeedsImport``: an importable tag whose spec generation is ahead of what was observed.

    A tag without a generation needs an import only if ``import_when_generation_nil``.

    Examples
    --------
    >>> from simkit.state.images import ObjectReference, TagReference
    >>> s = ImageStream("ns", "ruby")
    >>> s.spec_tags["2.7"] = TagReference(
    ...     "2.7", ObjectReference("DockerImage", "r:2.7"), generation=1)
    >>> tag_needs_import(s, "2.7")
    True
    """
    ref = stream.spec_tags[tag]
    if not ref.importable():
        return False
    if ref.generation is None:
        return import_when_generation_nil
    return ref.generation > observed_tag_generation(stream.status_tags.get(tag))


def has_tag_condition(stream: ImageStream, tag: str, condition: TagEventCondition) -> bool:
    """Whether ``tag`` already has a condition of this type, status, reason and message."""
    history = stream.status_tags.get(tag)
    if history is None:
        return False
    return any(
        c.type == condition.type
        and c.status == condition.status
        and c.reason == condition.reason
        and c.message == condition.message
        for c in history.conditions
    )

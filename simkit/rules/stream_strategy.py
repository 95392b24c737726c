"""What the API server does to an image stream on create and update.

Restates openshift-apiserver ``pkg/image/apiserver/registry/imagestream/strategy.go``
(``PrepareForCreate``, ``prepareForUpdate``, ``tagsChanged``,
``updateChangedTrackingTags``, the spec-tag generation rules).  The field validation
of ``pkg/image/apis/image/validation/validation.go`` is :mod:`simkit.apiserver.validation`.
All functions are pure apart from mutating the stream they are handed.
"""

from __future__ import annotations

from collections.abc import Callable

from simkit._go.strconv import go_quote
from simkit.refs import InvalidReference, parse_pull_spec
from simkit.rules.tags import (
    AmbiguousImageID,
    add_tag_event,
    latest_tagged_image,
    resolve_image_id,
    update_tracking_tags,
)
from simkit.state.images import (
    DOCKER_IMAGE,
    IMAGE_STREAM_IMAGE,
    IMAGE_STREAM_TAG,
    ImageStream,
    TagEvent,
    TagReference,
)

StreamGetter = Callable[[str, str], "ImageStream | None"]


def prepare_for_create(stream: ImageStream) -> None:
    """``PrepareForCreate``: generation 1, every spec tag at generation 1, status cleared.

    Examples
    --------
    >>> from simkit.state.images import ObjectReference
    >>> s = ImageStream("ns", "ruby", generation=7)
    >>> s.spec_tags["1"] = TagReference("1", ObjectReference("DockerImage", "r:1"), generation=5)
    >>> prepare_for_create(s)
    >>> s.generation, s.spec_tags["1"].generation
    (1, 1)
    """
    stream.generation = 1
    stream.status_tags = {}
    for ref in stream.spec_tags.values():
        ref.generation = 1


def tag_ref_changed(old: TagReference, new: TagReference, namespace: str) -> bool:
    """``tagRefChanged``: only ``from``, ``reference``, ``importMode`` or a reset to 0 count.

    Examples
    --------
    >>> from simkit.state.images import ObjectReference
    >>> a = TagReference("1", ObjectReference("DockerImage", "r:1"), generation=2)
    >>> b = TagReference("1", ObjectReference("DockerImage", "r:1"), generation=2, scheduled=True)
    >>> tag_ref_changed(a, b, "ns")
    False
    """
    if new.source is None or (not new.source.kind and not new.source.name):
        return False
    old_namespace = (old.source.namespace if old.source else "") or namespace
    new_namespace = new.source.namespace or namespace
    if old_namespace != new_namespace:
        return True
    if (old.source.name if old.source else "") != new.source.name:
        return True
    if old.reference != new.reference or old.import_mode != new.import_mode:
        return True
    return (
        old.generation is not None
        and new.generation is not None
        and old.generation != new.generation
        and new.generation == 0
    )


def prepare_for_update(stream: ImageStream, old: ImageStream) -> None:
    """``prepareForUpdate``: users may only reset a tag generation to 0; spec changes bump it.

    Examples
    --------
    >>> from simkit.state.images import ObjectReference
    >>> old = ImageStream("ns", "ruby", generation=3)
    >>> new = old.copy()
    >>> new.spec_tags["1"] = TagReference("1", ObjectReference("DockerImage", "r:1"), generation=0)
    >>> prepare_for_update(new, old)
    >>> new.generation, new.spec_tags["1"].generation
    (4, 4)
    """
    _collapse_empty_status_tags(stream)
    stream.generation = old.generation
    for name, ref in stream.spec_tags.items():
        if ref.generation == 0:
            continue
        old_ref = old.spec_tags.get(name)
        if old_ref is not None:
            ref.generation = old_ref.generation
    if _spec_tags_differ(stream.spec_tags, old.spec_tags) or _other_spec_changed(stream, old):
        stream.generation = old.generation + 1
    for name, ref in stream.spec_tags.items():
        old_ref = old.spec_tags.get(name)
        if old_ref is None or tag_ref_changed(old_ref, ref, stream.namespace):
            ref.generation = None
        if ref.generation:
            continue
        ref.generation = stream.generation


def _spec_tags_differ(spec: dict[str, TagReference], old: dict[str, TagReference]) -> bool:
    """``spec != old``, most often settled by one spec tag's generation.

    A tag in one dict only, or two generations that differ, make the dicts unequal (equal
    dicts have the same keys and equal values, and dataclass equality compares every
    field); only when neither shows does the full comparison run.
    """
    if len(spec) != len(old):
        return True
    for name, ref in spec.items():
        old_ref = old.get(name)
        if old_ref is None or ref.generation != old_ref.generation:
            return True
    return spec != old


def _other_spec_changed(stream: ImageStream, old: ImageStream) -> bool:
    return stream.lookup_local != old.lookup_local


def _collapse_empty_status_tags(stream: ImageStream) -> None:
    for tag in [t for t, h in stream.status_tags.items() if not h.items and not h.conditions]:
        del stream.status_tags[tag]


def _parse_from_reference(stream: ImageStream, ref: TagReference) -> tuple[str, str]:
    """``parseFromReference``: only ImageStreamTag and ImageStreamImage sources split."""
    frm = ref.source
    assert frm is not None  # tags_changed skips tags without a source
    if frm.kind not in (IMAGE_STREAM_TAG, IMAGE_STREAM_IMAGE):
        raise ValueError(f"invalid from.kind {frm.kind!r}")
    split = ":" if frm.kind == IMAGE_STREAM_TAG else "@"
    parts = frm.name.split(split)
    if len(parts) == 1:
        return stream.name, frm.name
    if len(parts) == 2:
        return parts[0], parts[1]
    raise ValueError("must be of the form <tag>, <repo>:<tag>, <id>, or <repo>@<id>")


def tags_changed(
    stream: ImageStream,
    old: ImageStream | None,
    get_stream: StreamGetter,
    now: float,
    internal_registry: str,
) -> list[tuple[str, str]]:
    """``tagsChanged``: resolve new or changed spec tags into status events now.

    A DockerImage ``--reference`` tag gets an event naming its source; ImageStreamTag
    and ImageStreamImage sources are resolved from the source stream (silently skipped
    if that has no such image); imports of DockerImage tags are left to the import
    controller.  Then tracking tags follow their changed sources.  Returns field errors.
    """
    errors: list[tuple[str, str]] = []
    old_tags = old.spec_tags if old is not None else {}
    for name, ref in list(stream.spec_tags.items()):
        old_ref = old_tags.get(name)
        if old_ref is not None and not tag_ref_changed(old_ref, ref, stream.namespace):
            continue
        if ref.source is None:
            continue
        ref.generation = stream.generation
        if ref.source.kind == DOCKER_IMAGE and ref.source.name:
            if ref.reference:
                add_tag_event(stream, name, TagEvent(now, ref.source.name, "", ref.generation))
            continue
        path = f"spec.tags[{name}].from"  # (only the other kinds may need it for an error)
        try:
            source_name, tag_or_id = _parse_from_reference(stream, ref)
        except ValueError:
            errors.append(
                (
                    f"{path}.name",
                    f"Invalid value: {go_quote(ref.source.name)}: must be "
                    "of the form <tag>, <repo>:<tag>, <id>, or <repo>@<id>",
                )
            )
            continue
        source_namespace = ref.source.namespace or stream.namespace
        source = stream
        if source_namespace != stream.namespace or source_name != stream.name:
            other = get_stream(source_namespace, source_name)
            if other is None:
                errors.append((f"{path}.name", f"Not found: {go_quote(ref.source.name)}"))
                continue
            source = other
        event = _tag_reference_to_event(source, ref, tag_or_id, now, errors, path)
        if event is None:
            continue
        if not ref.reference:
            event = _rewrite_internal_reference(event, source, stream, internal_registry)
        add_tag_event(stream, name, event)
    update_changed_tracking_tags(stream, old)
    return errors


def _tag_reference_to_event(
    source: ImageStream,
    ref: TagReference,
    tag_or_id: str,
    now: float,
    errors: list[tuple[str, str]],
    path: str,
) -> TagEvent | None:
    frm = ref.source
    assert frm is not None  # tags_changed skips tags without a source
    if frm.kind == IMAGE_STREAM_IMAGE:
        try:
            found = resolve_image_id(source, tag_or_id, now)
        except KeyError:
            errors.append(
                (
                    f"{path}.name",
                    f"Invalid value: {go_quote(frm.name)}: error "
                    "generating tag event: imagestreamimage.image.openshift.io "
                    f"{go_quote(tag_or_id)} not found",
                )
            )
            return None
        except AmbiguousImageID as exc:
            errors.append(
                (
                    f"{path}.name",
                    f"Invalid value: {go_quote(frm.name)}: error "
                    "generating tag event: Operation cannot be fulfilled on "
                    f"imagestreamimage.image.openshift.io {go_quote(tag_or_id)}: {exc}",
                )
            )
            return None
    else:
        latest = latest_tagged_image(source, tag_or_id)
        if latest is None:
            return None
        found = TagEvent(
            latest.created, latest.docker_image_reference, latest.image, latest.generation
        )
    found.generation = ref.generation or 0
    return found


def _rewrite_internal_reference(
    event: TagEvent, source: ImageStream, stream: ImageStream, internal_registry: str
) -> TagEvent:
    try:
        parsed = parse_pull_spec(event.docker_image_reference)
    except InvalidReference:
        return event
    if (
        parsed.registry == internal_registry
        and parsed.namespace == source.namespace
        and parsed.name == source.name
    ):
        import dataclasses

        moved = dataclasses.replace(parsed, namespace=stream.namespace, name=stream.name)
        event.docker_image_reference = moved.exact()
    return event


def update_changed_tracking_tags(stream: ImageStream, old: ImageStream | None) -> int:
    """``updateChangedTrackingTags``: propagate each changed status tag to its trackers."""
    changes = 0
    for tag, history in list(stream.status_tags.items()):
        if not history.items:
            continue
        if old is not None:
            old_history = old.status_tags.get(tag)
            old_items = old_history.items if old_history else []
            if old_items:
                first, newest = old_items[0], history.items[0]
                # a new image makes the events unequal without comparing every field
                if first is newest or (first.image == newest.image and first == newest):
                    continue
        changes += update_tracking_tags(stream, tag, history.items[0])
    return changes

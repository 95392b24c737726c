"""Which image stream tags the import controllers import, and when.

Restates openshift-controller-manager ``pkg/image/controller/imagestream_controller.go``
(``needsImport``, the tag selection of ``handleImageStream``) and
``scheduled_image_controller.go`` (``resetScheduledTags``).
"""

from __future__ import annotations

from simkit.refs import InvalidReference, parse_pull_spec
from simkit.rules.tags import tag_needs_import
from simkit.state.images import DOCKER_REPOSITORY_CHECK_ANNOTATION, ImageStream


def needs_import(stream: ImageStream) -> tuple[bool, bool]:
    """``needsImport``: ``(ok, partial)``.

    A stream never checked (no ``dockerRepositoryCheck`` annotation) with any importable
    tag, or any tag whose spec generation is ahead of its status, needs an import.
    simkit has no ``spec.dockerImageRepository`` (deprecated), so imports are partial.

    Examples
    --------
    >>> from simkit.state.images import ObjectReference, TagReference
    >>> s = ImageStream("ns", "ruby")
    >>> s.spec_tags["1"] = TagReference("1", ObjectReference("DockerImage", "r:1"), generation=1)
    >>> needs_import(s)
    (True, True)
    """
    checked = stream.annotations.get(DOCKER_REPOSITORY_CHECK_ANNOTATION)
    if not checked and any(ref.importable() for ref in stream.spec_tags.values()):
        return True, True
    if any(tag_needs_import(stream, tag) for tag in stream.spec_tags):
        return True, True
    return False, False


def tags_to_import(stream: ImageStream) -> list[str]:
    """The tags ``handleImageStream`` puts into the ImageStreamImport request."""
    ok, partial = needs_import(stream)
    if not ok:
        return []
    return [
        tag
        for tag, ref in stream.spec_tags.items()
        if ref.importable() and (tag_needs_import(stream, tag, True) or not partial)
    ]


def _tag_imported(stream: ImageStream, tag: str) -> bool:
    """``tagImported``: the newest event carries the spec tag's generation."""
    ref = stream.spec_tags[tag]
    history = stream.status_tags.get(tag)
    if history is None or ref.generation is None or not history.items:
        return False
    return history.items[0].generation == ref.generation


def scheduled_tags(stream: ImageStream) -> list[str]:
    """Tags the scheduled controller re-imports (``resetScheduledTags``).

    Importable scheduled tags; a tag whose source names a digest is re-imported only
    until it has been imported once.  A stream with none is not scheduled
    (``needsScheduling``).

    Examples
    --------
    >>> from simkit.state.images import ObjectReference, TagReference
    >>> s = ImageStream("ns", "ruby")
    >>> s.spec_tags["1"] = TagReference(
    ...     "1", ObjectReference("DockerImage", "r:1"), generation=1, scheduled=True)
    >>> scheduled_tags(s)
    ['1']
    """
    tags = []
    for tag, ref in stream.spec_tags.items():
        if ref.source is None or not (ref.importable() and ref.scheduled):
            continue
        try:
            parsed = parse_pull_spec(ref.source.name)
        except InvalidReference:
            if ref.source.name:
                continue
            parsed = None
        if parsed is not None and parsed.id and _tag_imported(stream, tag):
            continue
        tags.append(tag)
    return tags


def reset_scheduled_tags(stream: ImageStream, tags: list[str] | None = None) -> None:
    """``resetScheduledTags``: ask for a re-import of every scheduled tag (on a copy).

    ``tags`` are ``scheduled_tags(stream)`` when the caller has them already.
    """
    following = stream.generation + 1
    for tag in scheduled_tags(stream) if tags is None else tags:
        stream.spec_tags[tag].generation = following

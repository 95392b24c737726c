"""Image stream, image stream tag and image stream import validation.

Restates openshift-apiserver ``pkg/image/apis/image/validation/validation.go`` at
commit 56aa2d96edd725e44ddd7ff13f23e53e6c509828 (``ValidateImageStreamName``,
``ValidateImageStream``, ``ValidateImageStreamTagReference``, ``ValidateImportPolicy``,
``ValidateImageStreamUpdate``, ``ValidateImageStreamTag``,
``ValidateImageStreamTagUpdate``, ``ValidateImageStreamImport``) together with the
object-metadata rules it calls from k8s.io/apimachinery (``ValidateObjectMetaAccessor``,
``path.ValidatePathSegmentName``, ``IsDNS1123Label``) as vendored there.  The registry
allow-list (``whitelister``) checks are not modelled: simkit has no allowed-registries
configuration, which is upstream's ``whitelister == nil`` case.

What is checked, in upstream's order:

- Object metadata (:mod:`simkit.apiserver.objectmeta`): a name is required ("name or
  generateName is required"); a stream name may not be ``.`` or ``..``, may not contain
  ``/`` or ``%`` and must then match ``[a-z0-9]+(?:[._-][a-z0-9]+)*``; an ImageStreamTag
  name is only a path segment; the namespace is required and must be a DNS-1123 label
  (at most 63 characters); labels and annotations must have qualified-name keys.
- ``namespace/name`` of a stream may not exceed 255 characters (distribution's
  ``NameTotalLengthMax``); imports have no such check.
- ``spec.dockerImageRepository`` must parse and carry neither tag nor ID.
- Each spec tag: a ``from`` needs a name; kind DockerImage needs a parseable pull spec;
  kind ImageStreamTag / ImageStreamImage may not be scheduled; any other kind is a
  "Required value" on ``from.kind``; ``referencePolicy.type`` must be Source or Local;
  ``importPolicy.importMode`` must be empty, Legacy or PreserveOriginal.  Tag *names*
  are not checked by the API server (only ``oc tag`` checks them, client side).
- Each status tag event needs a parseable ``dockerImageReference``.

Errors are :class:`~simkit.apiserver.field_errors.FieldError` values; map entries are
visited in insertion order (Go visits them in random order).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from simkit.apiserver.field_errors import FieldError, invalid, required
from simkit.apiserver.objectmeta import (
    is_dns1123_label,
    validate_object_meta,
    validate_path_segment_name,
)
from simkit.refs import InvalidReference, parse_pull_spec
from simkit.state.images import (
    DOCKER_IMAGE,
    IMAGE_STREAM_IMAGE,
    IMAGE_STREAM_TAG,
    LOCAL_POLICY,
    SOURCE_POLICY,
    ImageStream,
    TagReference,
)

__all__ = [
    "ImageImportSpec",
    "ImageStreamTagObject",
    "NAME_TOTAL_LENGTH_MAX",
    "validate_image_stream",
    "validate_image_stream_import",
    "validate_image_stream_name",
    "validate_image_stream_tag",
    "validate_image_stream_tag_reference",
    "validate_image_stream_tag_update",
    "validate_image_stream_update",
    "validate_import_policy",
    "validate_namespace_name",
]

#: distribution ``reference.NameTotalLengthMax``.
NAME_TOTAL_LENGTH_MAX = 255
#: ``RepositoryNameComponentRegexp`` as upstream prints it in its message.
REPOSITORY_NAME_COMPONENT = r"[a-z0-9]+(?:[._-][a-z0-9]+)*"
_COMPONENT = re.compile(REPOSITORY_NAME_COMPONENT, re.ASCII)
_IMPORT_MODES = ("", "Legacy", "PreserveOriginal")
_REFERENCE_POLICIES = (SOURCE_POLICY, LOCAL_POLICY)
_IMPORT_MODE_MSG = "invalid import mode, valid modes are '', 'Legacy', 'PreserveOriginal'"
_SCHEDULED_MSG = "only tags pointing to Docker repositories may be scheduled for background import"
_KIND_MSG = "valid values are 'DockerImage', 'ImageStreamImage', 'ImageStreamTag'"
_TAG_ANNOTATIONS_MSG = (
    "tag annotations must not be provided or must be equal to the object meta annotations"
)


def _byte_len(text: str) -> int:
    return len(text.encode("utf-8"))


def validate_image_stream_name(name: str) -> list[str]:
    """``ValidateImageStreamName``: the reasons ``name`` is refused (empty when valid).

    Parameters
    ----------
    name : str
        A non-empty candidate stream name.

    Returns
    -------
    list of str
        Path-segment reasons if any, else the component-regex reason, else none.

    Examples
    --------
    >>> validate_image_stream_name("ruby_2.7-ex"), validate_image_stream_name("foo bar")
    ([], ['must match "[a-z0-9]+(?:[._-][a-z0-9]+)*"'])
    """
    reasons = validate_path_segment_name(name)
    if reasons:
        return reasons
    if _COMPONENT.fullmatch(name) is None:
        return [f'must match "{REPOSITORY_NAME_COMPONENT}"']
    return []


#: ``ValidateNamespaceName`` is ``IsDNS1123Label``.
validate_namespace_name = is_dns1123_label


@lru_cache(maxsize=65536)
def _parse_error(text: str) -> str | None:
    # memoised: every update re-validates each event of each tag's history, and the
    # parse of a reference (its error message included) depends on the text alone
    try:
        parse_pull_spec(text)
    except InvalidReference as exc:
        return str(exc)
    return None


def validate_import_policy(import_mode: str, path: str) -> list[FieldError]:
    """``ValidateImportPolicy``: ``importMode`` is ``""``, Legacy or PreserveOriginal.

    Examples
    --------
    >>> for e in validate_import_policy("Fast", "spec.tags[a].importPolicy"):
    ...     print(e)
    spec.tags[a].importPolicy.importMode: Invalid value: "Fast": invalid import mode, valid \
modes are '', 'Legacy', 'PreserveOriginal'
    """
    if import_mode not in _IMPORT_MODES:
        return [invalid(f"{path}.importMode", import_mode, _IMPORT_MODE_MSG)]
    return []


def validate_image_stream_tag_reference(ref: TagReference, path: str) -> list[FieldError]:
    """``ValidateImageStreamTagReference`` for the tag reference at ``path``.

    Parameters
    ----------
    ref : TagReference
        The spec tag.
    path : str
        Its field path: ``spec.tags[NAME]`` in a stream, ``tag`` in an ImageStreamTag.

    Returns
    -------
    list of FieldError
        ``from`` errors, then reference policy, then import policy.

    Examples
    --------
    >>> from simkit.state.images import ObjectReference
    >>> ref = TagReference("a", ObjectReference("ImageStreamTag", "b:1"), scheduled=True)
    >>> [str(e) for e in validate_image_stream_tag_reference(ref, "spec.tags[a]")]
    ['spec.tags[a].importPolicy.scheduled: Invalid value: true: only tags pointing to Docker \
repositories may be scheduled for background import']
    """
    errors: list[FieldError] = []
    source = ref.source
    if source is not None:
        if not source.name:
            errors.append(required(f"{path}.from.name"))
        if source.kind == DOCKER_IMAGE:
            why = _parse_error(source.name) if source.name else None
            if why is not None:
                errors.append(invalid(f"{path}.from.name", source.name, why))
        elif source.kind in (IMAGE_STREAM_IMAGE, IMAGE_STREAM_TAG):
            if ref.scheduled:
                errors.append(invalid(f"{path}.importPolicy.scheduled", True, _SCHEDULED_MSG))
        else:
            errors.append(required(f"{path}.from.kind", _KIND_MSG))
    if ref.reference_policy not in (SOURCE_POLICY, LOCAL_POLICY):
        errors.append(
            invalid(
                f"{path}.referencePolicy.type",
                ref.reference_policy,
                f'valid values are "{SOURCE_POLICY}", "{LOCAL_POLICY}"',
            )
        )
    errors += validate_import_policy(ref.import_mode, f"{path}.importPolicy")
    return errors


def validate_docker_image_repository(value: str) -> list[FieldError]:
    """The ``spec.dockerImageRepository`` checks of ``ValidateImageStream``.

    Examples
    --------
    >>> [str(e) for e in validate_docker_image_repository("a/b:tag")]
    ['spec.dockerImageRepository: Invalid value: "a/b:tag": the repository name may not \
contain a tag']
    """
    path = "spec.dockerImageRepository"
    if not value:
        return []
    try:
        ref = parse_pull_spec(value)
    except InvalidReference as exc:
        return [invalid(path, value, str(exc))]
    errors = []
    if ref.tag:
        errors.append(invalid(path, value, "the repository name may not contain a tag"))
    if ref.id:
        errors.append(invalid(path, value, "the repository name may not contain an ID"))
    return errors


def validate_image_stream(
    stream: ImageStream, docker_image_repository: str = ""
) -> list[FieldError]:
    """``ValidateImageStream``: metadata, length, repository, spec tags, status tags.

    Parameters
    ----------
    stream : ImageStream
        The stream as it would be stored.
    docker_image_repository : str
        ``spec.dockerImageRepository`` (simkit's streams do not carry one).

    Returns
    -------
    list of FieldError
        Empty when the API server accepts the stream.

    Examples
    --------
    >>> [str(e) for e in validate_image_stream(ImageStream("ns", "Ruby"))]
    ['metadata.name: Invalid value: "Ruby": must match "[a-z0-9]+(?:[._-][a-z0-9]+)*"']
    """
    errors = validate_object_meta(
        stream.namespace, stream.name, validate_image_stream_name, stream.labels, stream.annotations
    )
    # a character is at most 4 UTF-8 bytes: below 4 * chars the encode cannot exceed
    chars = len(stream.namespace) + 1 + len(stream.name)
    if (
        chars * 4 > NAME_TOTAL_LENGTH_MAX
        and _byte_len(f"{stream.namespace}/{stream.name}") > NAME_TOTAL_LENGTH_MAX
    ):
        errors.append(
            invalid(
                "metadata.name",
                stream.name,
                f"'namespace/name' cannot be longer than {NAME_TOTAL_LENGTH_MAX} characters",
            )
        )
    if docker_image_repository:
        errors += validate_docker_image_repository(docker_image_repository)
    for tag, ref in stream.spec_tags.items():
        # every update checks every spec tag: one that validate_image_stream_tag_reference
        # passes without a word (a named DockerImage source that parses, known policies)
        # is recognised here, without formatting its path
        source = ref.source
        if (
            source is not None
            and source.kind == DOCKER_IMAGE
            and source.name
            and ref.reference_policy in _REFERENCE_POLICIES
            and ref.import_mode in _IMPORT_MODES
            and _parse_error(source.name) is None
        ):
            continue
        errors += validate_image_stream_tag_reference(ref, f"spec.tags[{tag}]")
    for tag, history in stream.status_tags.items():
        # every update checks every event: a history without a fault is passed over in
        # one plain loop; the first fault sends the whole history to the error loop
        # (the events before it give no error there either)
        for event in history.items:
            reference = event.docker_image_reference
            if not reference or _parse_error(reference) is not None:
                errors += _history_errors(tag, history.items)
                break
    return errors


def _history_errors(tag: str, items: list) -> list[FieldError]:
    """The errors of the events ``items`` of status tag ``tag``, in order."""
    errors = []
    for i, event in enumerate(items):
        # the path is formatted only for an error
        reference = event.docker_image_reference
        if not reference:
            errors.append(required(_event_path(tag, i)))
            continue
        why = _parse_error(reference)
        if why is not None:
            errors.append(invalid(_event_path(tag, i), reference, why))
    return errors


def _event_path(tag: str, i: int) -> str:
    return f"status.tags[{tag}].items[{i}].dockerImageReference"


def validate_image_stream_update(
    stream: ImageStream, old: ImageStream, docker_image_repository: str = ""
) -> list[FieldError]:
    """``ValidateImageStreamUpdate``: immutable name and namespace, then the whole stream.

    Every spec tag is validated again, changed or not (only the allow-list, not modelled,
    exempts references the old stream already had).

    Examples
    --------
    >>> old = ImageStream("ns", "ruby")
    >>> validate_image_stream_update(old.copy(), old)
    []
    """
    errors = _validate_immutable(stream.namespace, stream.name, old.namespace, old.name)
    return errors + validate_image_stream(stream, docker_image_repository)


def _validate_immutable(namespace: str, name: str, old_namespace: str, old_name: str):
    errors = []
    if name != old_name:
        errors.append(invalid("metadata.name", name, "field is immutable"))
    if namespace != old_namespace:
        errors.append(invalid("metadata.namespace", namespace, "field is immutable"))
    return errors


@dataclass(slots=True)
class ImageStreamTagObject:
    """The parts of an ``ImageStreamTag`` that its validation reads.

    ``name`` is ``stream:tag``; ``tag`` is the spec tag it sets (None: leave the spec
    tag as it is); ``lookup_local`` and ``generation`` may change freely on update.
    """

    namespace: str
    name: str
    tag: TagReference | None = None
    annotations: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    lookup_local: bool = False
    generation: int = 0


def _same_map(a: Mapping | None, b: Mapping | None) -> bool:
    # apimachinery's semantic DeepEqual treats nil and empty maps alike
    return dict(a or {}) == dict(b or {})


def _validate_istag_tag(ist: ImageStreamTagObject) -> list[FieldError]:
    errors: list[FieldError] = []
    if ist.tag is not None:
        errors += validate_image_stream_tag_reference(ist.tag, "tag")
        if ist.tag.annotations is not None and not _same_map(ist.tag.annotations, ist.annotations):
            errors.append(invalid("tag.annotations", "<map>", _TAG_ANNOTATIONS_MSG))
    return errors


def validate_image_stream_tag(ist: ImageStreamTagObject) -> list[FieldError]:
    """``ValidateImageStreamTag`` (create): metadata, then the tag reference under ``tag``.

    The name is checked only as a path segment (``stream:tag`` may contain ``:``).

    Examples
    --------
    >>> from simkit.state.images import ObjectReference
    >>> ist = ImageStreamTagObject("ns", "ruby:1", TagReference("1", ObjectReference("", "r")))
    >>> [str(e) for e in validate_image_stream_tag(ist)]
    ["tag.from.kind: Required value: valid values are 'DockerImage', 'ImageStreamImage', \
'ImageStreamTag'"]
    """
    errors = validate_object_meta(
        ist.namespace, ist.name, validate_path_segment_name, ist.labels, ist.annotations
    )
    return errors + _validate_istag_tag(ist)


def validate_image_stream_tag_update(
    ist: ImageStreamTagObject, old: ImageStreamTagObject
) -> list[FieldError]:
    """``ValidateImageStreamTagUpdate``: only the tag and the annotations may change.

    Examples
    --------
    >>> old = ImageStreamTagObject("ns", "ruby:1")
    >>> new = ImageStreamTagObject("ns", "ruby:1", labels={"a": "b"})
    >>> [str(e) for e in validate_image_stream_tag_update(new, old)]
    ['metadata: Invalid value: "": may not update fields other than metadata.annotations']
    """
    errors = _validate_immutable(ist.namespace, ist.name, old.namespace, old.name)
    errors += _validate_istag_tag(ist)
    if (ist.namespace, ist.name) != (old.namespace, old.name) or not _same_map(
        ist.labels, old.labels
    ):
        errors.append(
            invalid("metadata", "", "may not update fields other than metadata.annotations")
        )
    return errors


@dataclass(frozen=True, slots=True)
class ImageImportSpec:
    """One ``spec.images[]`` entry (or, with ``to`` unused, ``spec.repository``)."""

    kind: str
    name: str
    to: str | None = None
    import_mode: str = ""
    scheduled: bool = False
    insecure: bool = False


def validate_image_stream_import(
    namespace: str,
    name: str,
    images: list[ImageImportSpec],
    repository: ImageImportSpec | None = None,
) -> list[FieldError]:
    """``ValidateImageStreamImport``: images, repository, then metadata (in that order).

    Only DockerImage sources may be imported; ``*`` is let through for old clients; a
    repository import may carry neither tag nor ID; the name is a stream name but,
    unlike a stream, ``namespace/name`` has no length limit.

    Examples
    --------
    >>> spec = ImageImportSpec("ImageStreamTag", "other:latest")
    >>> [str(e) for e in validate_image_stream_import("ns", "ruby", [spec])]
    ['spec.images[0].from.kind: Invalid value: "ImageStreamTag": only DockerImage is supported']
    """
    # A pure function of frozen values, memoised: the controllers send the same
    # request for a tag day after day.
    return list(_import_errors(namespace, name, tuple(images), repository))


@lru_cache(maxsize=65536)
def _import_errors(
    namespace: str,
    name: str,
    images: tuple[ImageImportSpec, ...],
    repository: ImageImportSpec | None,
) -> tuple[FieldError, ...]:
    errors: list[FieldError] = []
    for i, spec in enumerate(images):
        path = f"spec.images[{i}]"
        if spec.kind == DOCKER_IMAGE:
            if spec.to is not None and not spec.to:
                errors.append(
                    invalid(
                        f"{path}.to.name", spec.to, "the name of the target tag must be specified"
                    )
                )
            if not spec.name:
                errors.append(required(f"{path}.from.name"))
            elif spec.name != "*":
                why = _parse_error(spec.name)
                if why is not None:
                    errors.append(invalid(f"{path}.from.name", spec.name, why))
            else:
                continue  # upstream skips the import policy of a legacy "*" lookup
        else:
            errors.append(invalid(f"{path}.from.kind", spec.kind, "only DockerImage is supported"))
        errors += validate_import_policy(spec.import_mode, f"{path}.importPolicy")
    if repository is not None:
        path = "spec.repository"
        if repository.kind == DOCKER_IMAGE:
            if not repository.name:
                errors.append(
                    required(f"{path}.from.name", "container image references require a name")
                )
            else:
                try:
                    ref = parse_pull_spec(repository.name)
                except InvalidReference as exc:
                    errors.append(invalid(f"{path}.from.name", repository.name, str(exc)))
                else:
                    if ref.id or ref.tag:
                        errors.append(
                            invalid(
                                f"{path}.from.name",
                                repository.name,
                                "you must specify an image repository, not a tag or ID",
                            )
                        )
        else:
            errors.append(
                invalid(f"{path}.from.kind", repository.kind, "only DockerImage is supported")
            )
        errors += validate_import_policy(repository.import_mode, f"{path}.importPolicy")
    if not images and repository is None:
        errors.append(
            invalid(
                "spec.images", None, "you must specify at least one image or a repository import"
            )
        )
    return tuple(errors + validate_object_meta(namespace, name, validate_image_stream_name))

"""``POST imagestreamimports``: fetch each tag's source and record what was found.

Restates openshift-apiserver ``registry/imagestreamimport/rest.go``: per tag,
``importSuccessful`` (a new tag event only when the image, the reference or the spec
generation moved on) or ``setFailureCondition`` (history kept, an ``ImportSuccess=False``
condition at the next generation, and the spec generation reset so that the controller
does not retry in a hot loop); then the stream is written only if something changed or
it had never been checked.

Before anything is fetched the request is validated as the ``imagestreamimport``
strategy does (``ValidateImageStreamImport``, see :mod:`simkit.apiserver.validation`):
a refused import raises ``ImageStreamImport.image.openshift.io "NAME" is invalid`` and
changes nothing.  Each request is one ``spec.images[]`` entry from a DockerImage source
to its tag; an empty request list (which no upstream controller sends) is let through.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from simkit.apiserver.errors import Invalid, NotFound
from simkit.apiserver.field_errors import FieldError
from simkit.apiserver.imagestreams import KIND, RESOURCE, create_stream, update_stream
from simkit.apiserver.validation import ImageImportSpec, validate_image_stream_import
from simkit.refs import (
    DockerImageReference,
    InvalidReference,
    parse_openshift_digest,
    parse_pull_spec,
)
from simkit.rules.tags import add_tag_event, has_tag_condition
from simkit.state.cluster import Transaction, shallow_copy
from simkit.state.images import (
    DOCKER_IMAGE,
    DOCKER_REPOSITORY_CHECK_ANNOTATION,
    IMPORT_SUCCESS,
    INSECURE_REPOSITORY_ANNOTATION,
    Image,
    ImageStream,
    NamedTagEventList,
    ObjectReference,
    TagEvent,
    TagEventCondition,
    TagReference,
    copy_tag_history,
    copy_tag_reference,
)
from simkit.state.registries import (
    ManifestUnknown,
    RegistryError,
    RegistryImage,
    Unauthorized,
)

#: The qualified kind ``NewInvalid`` names for a refused import.
ISI_QUALIFIED_KIND = "ImageStreamImport.image.openshift.io"

Fetch = Callable[[str, str, bool], RegistryImage]
"""``fetch(namespace, pull_spec, insecure) -> RegistryImage``; raises RegistryError."""


@dataclass(frozen=True, slots=True)
class ImportStatus:
    """The outcome of importing one tag."""

    tag: str
    source: str
    ok: bool
    image: str | None = None
    reference: str | None = None
    reason: str = ""
    message: str = ""
    size: int = 0

    def imported(self) -> tuple[str, str]:
        """``(image, reference)`` of a successful import (``ok``: both are set)."""
        if self.image is None or self.reference is None:
            raise ValueError(f"the import of tag {self.tag!r} failed: it has no image")
        return self.image, self.reference


@dataclass(frozen=True, slots=True)
class ImportRequest:
    """One ``spec.images[]`` entry of an ImageStreamImport: a source for a tag."""

    tag: str
    source: str
    insecure: bool = False
    scheduled: bool = False
    reference_policy: str = "Source"
    import_mode: str = "Legacy"

    @classmethod
    def for_tag(cls, stream: ImageStream, tag: str) -> ImportRequest:
        """The request the controllers send for an existing spec tag."""
        ref = stream.spec_tags[tag]
        if ref.source is None:
            raise ValueError(f"spec tag {tag!r} of {stream.namespace}/{stream.name} has no source")
        return cls(
            tag, ref.source.name, ref.insecure, ref.scheduled, ref.reference_policy, ref.import_mode
        )


def describe_failure(source: str, error: RegistryError) -> tuple[str, str]:
    """``formatRepositoryError``: the reason and message a failed import records.

    Examples
    --------
    >>> describe_failure("quay.io/ns/app:1", ManifestUnknown("manifest unknown"))
    ('NotFound', 'dockerimage.image.openshift.io "quay.io/ns/app:1" not found')
    """
    if isinstance(error, ManifestUnknown):
        return "NotFound", f'dockerimage.image.openshift.io "{source}" not found'
    if isinstance(error, Unauthorized):
        if "incorrect username or password" in str(error):
            return "Unauthorized", f'incorrect username or password for image "{source}"'
        return "Unauthorized", f'you may not have access to the container image "{source}"'
    return "InternalError", f"Internal error occurred: {source}: {error}"


def most_accurate_pull_spec(pull_spec: str, image: str) -> str:
    """``mostAccuratePullSpec``: the source repository at the imported digest, no defaults.

    Examples
    --------
    >>> most_accurate_pull_spec("mysql:8", "sha256:" + "a" * 64)[:12]
    'mysql@sha256'
    >>> most_accurate_pull_spec("quay.io/a/b:1", "v1id"), most_accurate_pull_spec("quay.io", "x")
    ('quay.io/a/b:v1id', '')
    """
    # Every import asks with a new digest, so a memo of the whole answer always missed.
    # With a name and an ID, MostSpecific then Exact print the repository followed by
    # "@ID" when the ID is a digest, else by ":ID" (MostSpecific moves an ID into an
    # empty tag; NameString prints an ID that is no digest as a tag): the repository
    # part depends on the pull spec alone and is memoised.
    repository = _named_repository(pull_spec)
    if repository is not None and image:
        return repository + ("@" if _is_digest(image) else ":") + image
    return _most_accurate_pull_spec(pull_spec, image)


@functools.lru_cache(maxsize=1 << 16)
def _named_repository(pull_spec: str) -> str | None:
    """``[registry/][namespace/]name`` of ``pull_spec`` as ``Exact`` prints it, or None
    when it does not parse or has no name."""
    try:
        ref = parse_pull_spec(pull_spec)
    except InvalidReference:
        return None
    if not ref.name:
        return None
    return DockerImageReference(ref.registry, ref.namespace, ref.name).exact()


def _is_digest(text: str) -> bool:
    """Whether library-go's ``digest.ParseDigest`` accepts ``text`` (``NameString``'s test)."""
    try:
        parse_openshift_digest(text)
    except InvalidReference:
        return False
    return True


def _most_accurate_pull_spec(pull_spec: str, image: str) -> str:
    """:func:`most_accurate_pull_spec` the long way (what its fast path restates)."""
    try:
        ref = parse_pull_spec(pull_spec)
    except InvalidReference:
        return pull_spec
    # the reference with its ID set: built directly, as dataclasses.replace would
    with_id = DockerImageReference(ref.registry, ref.namespace, ref.name, ref.tag, image)
    return with_id.most_specific().exact()


def fetch_tags(
    stream: ImageStream, requests: list[ImportRequest], fetch: Fetch
) -> list[ImportStatus]:
    """Ask the registries for each request's source; no state changes."""
    statuses = []
    insecure_stream = stream.annotations.get(INSECURE_REPOSITORY_ANNOTATION) == "true"
    for request in requests:
        source = request.source
        try:
            found = fetch(stream.namespace, source, request.insecure or insecure_stream)
        except RegistryError as exc:
            try:
                defaulted = str(parse_pull_spec(source).docker_client_defaults())
            except InvalidReference:
                defaulted = source
            reason, message = describe_failure(defaulted, exc)
            statuses.append(
                ImportStatus(request.tag, source, False, reason=reason, message=message)
            )
            continue
        reference = most_accurate_pull_spec(source, found.digest)
        statuses.append(
            ImportStatus(request.tag, source, True, found.digest, reference, size=found.size)
        )
    return statuses


def ensure_spec_tag(stream: ImageStream, request: ImportRequest, reset: bool) -> TagReference:
    """``ensureSpecTag``: make the spec tag import ``request.source`` (only if missing
    unless ``reset``), with generation 0 so the update sets the new generation."""
    ref = stream.spec_tags.get(request.tag)
    if ref is not None and not reset:
        return ref
    if ref is None:
        ref = stream.spec_tags[request.tag] = TagReference(
            request.tag, reference_policy=request.reference_policy
        )
    ref.source = ObjectReference(DOCKER_IMAGE, request.source)
    ref.generation = 0
    ref.insecure = request.insecure
    ref.scheduled = request.scheduled
    ref.import_mode = request.import_mode
    return ref


def apply_import(
    stream: ImageStream,
    requests: list[ImportRequest],
    statuses: list[ImportStatus],
    now: float,
) -> None:
    """Record ``statuses`` in ``stream`` as the server does, before the update rules run."""
    next_generation = stream.generation + 1
    for request, status in zip(requests, statuses, strict=True):
        if not status.ok:
            condition = TagEventCondition(
                IMPORT_SUCCESS,
                "False",
                now,
                status.reason,
                status.message or "unknown error prevented import",
                next_generation,
            )
            if not has_tag_condition(stream, status.tag, condition):
                history = stream.status_tags.get(status.tag)
                if history is None:
                    history = stream.status_tags[status.tag] = NamedTagEventList(status.tag)
                history.conditions = [condition]
                if status.tag in stream.spec_tags:
                    stream.spec_tags[status.tag].generation = 0
            ensure_spec_tag(stream, request, reset=False)
            continue
        image, reference = status.imported()
        event = TagEvent(now, reference, image, next_generation)
        if _has_tag_changed(stream, status.tag, event):
            ensure_spec_tag(stream, request, reset=True)
            add_tag_event(stream, status.tag, event)
        ref = stream.spec_tags[status.tag]
        ref.insecure, ref.scheduled = request.insecure, request.scheduled
        ref.import_mode = request.import_mode
        history = stream.status_tags.get(status.tag)
        if history is not None:
            history.conditions = []


def _has_tag_changed(stream: ImageStream, tag: str, event: TagEvent) -> bool:
    history = stream.status_tags.get(tag)
    if history is None or not history.items:
        return True
    ref = stream.spec_tags.get(tag)
    if ref is None or ref.generation is None:
        return True
    previous = history.items[0]
    return (
        previous.docker_image_reference != event.docker_image_reference
        or previous.image != event.image
        or ref.generation > previous.generation
    )


def staged_copy(stream: ImageStream, tags: list[str]) -> ImageStream:
    """A copy of ``stream`` on which :func:`apply_import` may record results for ``tags``.

    The annotations, the spec and status dicts, and the spec tag, the history and its
    newest event of each of ``tags`` are private; everything else is shared with
    ``stream`` and must not be changed.  Far cheaper than a deep copy when an import
    changes nothing (the common case of a scheduled import); deep-copy it before
    anything else edits it.

    Examples
    --------
    >>> from simkit.state.images import ObjectReference, TagReference
    >>> s = ImageStream("ns", "ruby")
    >>> s.spec_tags["1"] = TagReference("1", ObjectReference("DockerImage", "r:1"), generation=1)
    >>> c = staged_copy(s, ["1"])
    >>> c.spec_tags["1"].generation = 0
    >>> c == s, s.spec_tags["1"].generation
    (False, 1)
    """
    staged = shallow_copy(stream)
    staged.annotations = dict(stream.annotations)
    staged.spec_tags = spec = dict(stream.spec_tags)
    staged.status_tags = status = dict(stream.status_tags)
    for tag in tags:
        ref = spec.get(tag)
        if ref is not None:
            spec[tag] = shallow_copy(ref)
        history = status.get(tag)
        if history is not None:
            mine = status[tag] = shallow_copy(history)
            items = history.items
            mine.items = [shallow_copy(items[0]), *items[1:]] if items else []
            mine.conditions = list(history.conditions)
    return staged


def detach(staged: ImageStream, tags: list[str]) -> None:
    """Make a :func:`staged_copy` for ``tags`` share no more than ``ImageStream.copy``
    would, in place (the update rules may then edit any tag of it).

    What the staged copy already owns (the stream, its dicts, each of ``tags``' spec tag,
    history list and newest event) is kept; what it still shares is copied as
    :meth:`~simkit.state.images.ImageStream.copy` copies it.  The result equals
    ``staged.copy()`` and shares the same objects with the stored stream, without
    copying everything a second time.

    Examples
    --------
    >>> from simkit.state.images import ObjectReference, TagEvent, TagReference
    >>> s = ImageStream("ns", "ruby")
    >>> for tag in ("1", "2"):
    ...     s.spec_tags[tag] = TagReference(tag, ObjectReference("DockerImage", "r:" + tag))
    ...     s.status_tags[tag] = NamedTagEventList(tag, [TagEvent(1.0, "r@sha256:a", "sha256:a")])
    >>> c = staged_copy(s, ["1"])
    >>> detach(c, ["1"])
    >>> c == s, c.spec_tags["2"] is s.spec_tags["2"], c.status_tags["2"] is s.status_tags["2"]
    (True, False, False)
    >>> c.spec_tags["1"].source is s.spec_tags["1"].source
    False
    """
    # Why staged's own objects are enough: apply_import gives each of ``tags`` new or
    # privately copied spec tags, history lists and newest events, and never puts one
    # of them into another tag, so copy()'s sharing of a newest event between tags
    # only concerns the other tags, which are copied here with one ``newest`` map.
    own = set(tags)
    staged.labels = dict(staged.labels)
    spec = staged.spec_tags
    for tag, ref in spec.items():
        if tag not in own:
            spec[tag] = copy_tag_reference(ref)
            continue
        if ref.source is not None:
            ref.source = shallow_copy(ref.source)
        if ref.annotations is not None:
            ref.annotations = dict(ref.annotations)
    status = staged.status_tags
    newest: dict[int, TagEvent] = {}
    for tag, history in status.items():
        if tag not in own:
            status[tag] = copy_tag_history(history, newest)
        elif history.conditions:
            history.conditions = [shallow_copy(c) for c in history.conditions]


def _validate_requests(
    namespace: str, name: str, requests: tuple[ImportRequest, ...]
) -> tuple[FieldError, ...]:
    """``ValidateImageStreamImport`` of ``requests`` as ``spec.images`` entries."""
    images = [
        ImageImportSpec(DOCKER_IMAGE, r.source, r.tag, r.import_mode, r.scheduled, r.insecure)
        for r in requests
    ]
    return tuple(validate_image_stream_import(namespace, name, images))


# Memoised: a pure function of frozen requests, which the controllers send unchanged for
# a tag day after day.
_request_errors = functools.lru_cache(maxsize=1 << 16)(_validate_requests)


@functools.lru_cache(maxsize=1 << 16)
def _one_request_errors(
    namespace: str,
    name: str,
    tag: str,
    source: str,
    insecure: bool,
    scheduled: bool,
    reference_policy: str,
    import_mode: str,
) -> tuple[FieldError, ...]:
    """:func:`_validate_requests` of the one request with these fields.

    Memoised on the fields themselves: a key of plain values is hashed and compared
    in C, where the frozen request's own ``__hash__`` and ``__eq__`` run in Python (and
    not again by :func:`_request_errors`, which would keep the same answers twice).
    """
    request = ImportRequest(tag, source, insecure, scheduled, reference_policy, import_mode)
    return _validate_requests(namespace, name, (request,))


def _differs(stream: ImageStream, old: ImageStream, tags: list[str]) -> bool:
    """``stream != old`` for a :func:`staged_copy` of ``old`` for ``tags``.

    An import that finds a new image resets its spec tag's generation, so the answer
    is most often in one of ``tags``' spec tags: a tag in only one of the spec dicts,
    or a generation that differs, makes the dicts and so the streams unequal (dataclass
    equality compares every field).  Otherwise the full comparison decides.
    """
    spec, old_spec = stream.spec_tags, old.spec_tags
    for tag in tags:
        ref, old_ref = spec.get(tag), old_spec.get(tag)
        if ref is None or old_ref is None:
            if ref is not old_ref:
                return True
        elif ref.generation != old_ref.generation:
            return True
    return stream != old


def import_stream(
    tx: Transaction,
    namespace: str,
    name: str,
    requests: list[ImportRequest],
    fetch: Fetch,
    now: float,
    stamp: str,
    cause: str,
    internal_registry: str,
    create: bool = False,
) -> list[ImportStatus]:
    """Import ``requests`` into ``namespace/name`` now; returns one status per request.

    With ``create``, a missing stream is created (as ``oc import-image --confirm``
    does).  ``stamp`` is the RFC 3339 time written to the ``dockerRepositoryCheck``
    annotation; ``cause`` (``spec``, ``scheduled``, ``manual``) goes into the event log.
    """
    if len(requests) == 1:  # what the controllers send for a stream of one tag
        (r,) = requests
        errors = _one_request_errors(
            namespace,
            name,
            r.tag,
            r.source,
            r.insecure,
            r.scheduled,
            r.reference_policy,
            r.import_mode,
        )
    else:
        errors = _request_errors(namespace, name, tuple(requests)) if requests else ()
    if errors:
        raise Invalid(ISI_QUALIFIED_KIND, name, list(errors))
    old = tx.get(KIND, (namespace, name))
    if old is None and not create:
        raise NotFound.of(RESOURCE, name)
    base = (
        old
        if old is not None
        else ImageStream(namespace, name, generation=0, internal_registry=internal_registry)
    )
    statuses = fetch_tags(base, requests, fetch)
    tags = [request.tag for request in requests]
    stream = staged_copy(base, tags)
    apply_import(stream, requests, statuses, now)
    failed = []  # (a plain loop: a comprehension below would pay a frame)
    for status in statuses:
        if not status.ok:
            failed.append(status)
            continue
        image, reference = status.imported()
        if tx.get("Image", ("", image)) is None:
            tx.put("Image", ("", image), Image(image, reference, now, status.size))
    if old is None:
        stream.annotations[DOCKER_REPOSITORY_CHECK_ANNOTATION] = stamp
        create_stream(tx, stream, now, keep_status=True)
    elif DOCKER_REPOSITORY_CHECK_ANNOTATION not in old.annotations or _differs(stream, old, tags):
        detach(stream, tags)  # shares no more than a copy()
        stream.annotations[DOCKER_REPOSITORY_CHECK_ANNOTATION] = stamp
        update_stream(tx, old, stream, now)
    tx.record(
        "import",
        namespace=namespace,
        stream=name,
        cause=cause,
        tags=len(statuses),
        succeeded=len(statuses) - len(failed),
        failed=len(failed),
    )
    for status in failed:
        tx.record(
            "import_failed",
            namespace=namespace,
            stream=name,
            tag=status.tag,
            reason=status.reason,
            message=status.message,
        )
    return statuses

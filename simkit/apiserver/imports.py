"""``POST imagestreamimports``: fetch each tag's source and record what was found.

Restates openshift-apiserver ``registry/imagestreamimport/rest.go``: per tag,
``importSuccessful`` (a new tag event only when the image, the reference or the spec
generation moved on) or ``setFailureCondition`` (history kept, an ``ImportSuccess=False``
condition at the next generation, and the spec generation reset so that the controller
does not retry in a hot loop); then the stream is written only if something changed or
it had never been checked.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from simkit.apiserver.errors import NotFound
from simkit.apiserver.imagestreams import KIND, RESOURCE, update_stream
from simkit.refs import InvalidReference, parse_pull_spec
from simkit.rules.tags import add_tag_event, has_tag_condition
from simkit.state.cluster import Transaction
from simkit.state.images import (
    DOCKER_IMAGE,
    DOCKER_REPOSITORY_CHECK_ANNOTATION,
    IMPORT_SUCCESS,
    INSECURE_REPOSITORY_ANNOTATION,
    Image,
    ImageStream,
    ObjectReference,
    TagEvent,
    TagEventCondition,
)
from simkit.state.registries import (
    ManifestUnknown,
    RegistryError,
    RegistryImage,
    Unauthorized,
)

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
    """
    try:
        ref = parse_pull_spec(pull_spec)
    except InvalidReference:
        return pull_spec
    return dataclasses.replace(ref, id=image).most_specific().exact()


def fetch_tags(
    stream: ImageStream, tags: list[str], fetch: Fetch
) -> list[ImportStatus]:
    """Ask the registries for each tag's source; no state changes."""
    statuses = []
    insecure_stream = stream.annotations.get(INSECURE_REPOSITORY_ANNOTATION) == "true"
    for tag in tags:
        ref = stream.spec_tags[tag]
        source = ref.source.name
        try:
            defaulted = str(parse_pull_spec(source).docker_client_defaults())
        except InvalidReference:
            defaulted = source
        try:
            found = fetch(stream.namespace, source, ref.insecure or insecure_stream)
        except RegistryError as exc:
            reason, message = describe_failure(defaulted, exc)
            statuses.append(ImportStatus(tag, source, False, reason=reason, message=message))
            continue
        reference = most_accurate_pull_spec(source, found.digest)
        statuses.append(
            ImportStatus(tag, source, True, found.digest, reference, size=found.size)
        )
    return statuses


def apply_import(
    stream: ImageStream, statuses: list[ImportStatus], now: float
) -> None:
    """Record ``statuses`` in ``stream`` as the server does, before the update rules run."""
    next_generation = stream.generation + 1
    for status in statuses:
        ref = stream.spec_tags.get(status.tag)
        if not status.ok:
            condition = TagEventCondition(
                IMPORT_SUCCESS, "False", now, status.reason,
                status.message or "unknown error prevented import", next_generation,
            )
            if not has_tag_condition(stream, status.tag, condition):
                history = stream.status_tags.get(status.tag)
                if history is None:
                    from simkit.state.images import NamedTagEventList

                    history = stream.status_tags[status.tag] = NamedTagEventList(status.tag)
                history.conditions = [condition]
                if ref is not None:
                    ref.generation = 0
            continue
        event = TagEvent(now, status.reference, status.image, next_generation)
        if _has_tag_changed(stream, status.tag, event):
            if ref is not None:
                ref.source = ObjectReference(DOCKER_IMAGE, status.source)
                ref.generation = 0
            add_tag_event(stream, status.tag, event)
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


def import_stream(
    tx: Transaction,
    namespace: str,
    name: str,
    tags: list[str],
    fetch: Fetch,
    now: float,
    stamp: str,
    cause: str,
) -> list[ImportStatus]:
    """Import ``tags`` of ``namespace/name`` now; returns one status per tag.

    ``stamp`` is the RFC 3339 time written to the ``dockerRepositoryCheck`` annotation;
    ``cause`` (``spec``, ``scheduled``, ``manual``) goes into the event log.
    """
    old = tx.get(KIND, (namespace, name))
    if old is None:
        raise NotFound.of(RESOURCE, name)
    statuses = fetch_tags(old, tags, fetch)
    stream = old.copy()
    apply_import(stream, statuses, now)
    for status in statuses:
        if status.ok and tx.get("Image", ("", status.image)) is None:
            tx.put("Image", ("", status.image),
                   Image(status.image, status.reference, now, status.size))
    checked = DOCKER_REPOSITORY_CHECK_ANNOTATION in old.annotations
    if not checked or stream != old:
        stream.annotations[DOCKER_REPOSITORY_CHECK_ANNOTATION] = stamp
        update_stream(tx, old, stream, now)
    failed = [s for s in statuses if not s.ok]
    tx.record(
        "import", namespace=namespace, stream=name, cause=cause, tags=len(statuses),
        succeeded=len(statuses) - len(failed), failed=len(failed),
    )
    for status in failed:
        tx.record(
            "import_failed", namespace=namespace, stream=name, tag=status.tag,
            reason=status.reason, message=status.message,
        )
    return statuses

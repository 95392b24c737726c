"""What ``oc describe is`` and ``oc get is`` / ``oc get istag`` print.

* :func:`describe_image_stream` restates oc ``pkg/helpers/describe`` ``DescribeImageStream``
  and ``formatImageStreamTags``: the metadata block, then one block per tag in
  ``PrioritizeTags`` order with its source, policies, import state, failed-import
  conditions and history, laid out by a tab-padded Go tabwriter.
* :func:`get_image_streams` and :func:`get_image_stream_tags` restate the server-side
  table printers of openshift-apiserver ``pkg/image/printers/internalversion`` as
  kubectl lays them out (``NAME  IMAGE REPOSITORY  TAGS  UPDATED``; the ``TAGS`` cell is
  ``printTagsUpToWidth(..., 40)``).

Relative times are measured from ``sim.now``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from simkit._go.tabwriter import DESCRIBE, KUBECTL, align
from simkit.oc.humanize import ago, api_seconds
from simkit.refs import InvalidReference, parse_pull_spec
from simkit.rules.tag_order import prioritize_tags, sort_status_tags
from simkit.rules.tags import (
    TagReferenceError,
    follow_tag_reference,
    latest_tagged_image,
    observed_tag_generation,
    resolve_reference_for_tag_event,
)
from simkit.state.images import (
    DOCKER_IMAGE,
    IMAGE_STREAM_IMAGE,
    IMAGE_STREAM_TAG,
    IMPORT_SUCCESS,
    LOCAL_POLICY,
    SOURCE_POLICY,
    ImageStream,
    NamedTagEventList,
)

if TYPE_CHECKING:
    from simkit.simulation import Simulation

__all__ = [
    "describe_image_stream",
    "get_image_stream_tags",
    "get_image_streams",
    "listed_tags",
    "table",
    "tags_up_to_width",
]

_NONE = "<none>"

Write = Callable[[str], object]


# -- describe -----------------------------------------------------------------------------
def describe_image_stream(stream: ImageStream, sim: Simulation) -> str:
    """``oc describe is NAME``.

    Parameters
    ----------
    stream : ImageStream
        The stream to describe.
    sim : Simulation
        Gives the current time for the ``... ago`` ages.

    Returns
    -------
    str
        The description, tab-aligned as oc prints it, ending with a newline.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> _ = sim.registry("quay.io").push("ns/app", "1.0")
    >>> _ = sim.oc("tag quay.io/ns/app:1.0 app:1.0")
    >>> sim.advance("2m")
    >>> text = describe_image_stream(sim.stream("default", "app"), sim)
    >>> print(text.expandtabs(8), end="")  # doctest: +ELLIPSIS
    Name:                   app
    Namespace:              default
    Created:                2 minutes ago
    Labels:                 <none>
    Annotations:            openshift.io/image.dockerRepositoryCheck=2026-01-01T00:00:01Z
    Image Repository:       image-registry.openshift-image-registry.svc:5000/default/app
    Image Lookup:           local=false
    Unique Images:          1
    Tags:                   1
    <BLANKLINE>
    1.0
      tagged from quay.io/ns/app:1.0
    <BLANKLINE>
      * quay.io/ns/app@sha256:...
          About a minute ago
    """
    parts: list[str] = []
    write = parts.append
    _format_meta(write, stream, sim.now)
    _format_string(write, "Image Repository", stream.docker_image_repository)
    _format_string(write, "Image Lookup", f"local={'true' if stream.lookup_local else 'false'}")
    _format_tags(write, stream, sim.now)
    return align("".join(parts), DESCRIBE)


def _format_string(write: Write, label: str, value: str) -> None:
    """``formatString``: ``Label:<TAB>value``, one tab-led line per line of the value."""
    write(f"{label}:")
    for line in (value or _NONE).split("\n"):
        write(f"\t{line}\n")


def _format_map(write: Write, label: str, items: Mapping[str, str]) -> None:
    """``formatMapStringString``: sorted ``key=value`` lines, ``<none>`` when empty."""
    if not items:
        _format_string(write, label, "")
        return
    for i, key in enumerate(sorted(items)):
        if i == 0:
            _format_string(write, label, f"{key}={items[key]}")
        else:
            write(f"\t{key}={items[key]}\n")


def _format_meta(write: Write, stream: ImageStream, now: float) -> None:
    """``formatMeta``: name, namespace, age, labels, description and other annotations."""
    _format_string(write, "Name", stream.name)
    if stream.namespace:
        _format_string(write, "Namespace", stream.namespace)
    write(f"Created:\t{ago(now, stream.created)}\n")
    _format_map(write, "Labels", stream.labels)
    annotations = dict(stream.annotations)
    description = annotations.pop("description", "")
    if description:
        _format_string(write, "Description", description)
    _format_map(write, "Annotations", annotations)


def _unique_images(stream: ImageStream, tags: list[str]) -> int:
    """The ``Unique Images`` count, including oc's quirk: every history item without an
    image but with a reference lands on the same empty key."""
    images: set[str] = set()
    for tag in tags:
        for item in stream.status_tags[tag].items:
            if item.image:
                images.add(item.image)
            elif item.docker_image_reference:
                images.add("")
    return len(images)


def _references(stream: ImageStream, spec_tags: list[str]) -> dict[str, list[str]]:
    """Spec tags that follow other tags of the stream, by the tag they end at."""
    referential: dict[str, list[str]] = {}
    for tag in spec_tags:
        try:
            target, _, multiple = follow_tag_reference(stream, tag)
        except TagReferenceError:
            continue
        if multiple:
            referential.setdefault(target, []).append(tag)
    return referential


def _format_tags(write: Write, stream: ImageStream, now: float) -> None:
    """``formatImageStreamTags``."""
    if not stream.status_tags and not stream.spec_tags:
        write("Tags:\t<none>\n")
        return
    status_tags = sorted(stream.status_tags)  # the v1 list order
    spec_tags = sorted(stream.spec_tags)
    all_tags = status_tags + [t for t in spec_tags if t not in stream.status_tags]
    referential = _references(stream, spec_tags)
    local_references = {t for refs in referential.values() for t in refs}
    write(f"Unique Images:\t{_unique_images(stream, status_tags)}\nTags:\t{len(all_tags)}\n\n")
    first = True
    for tag in prioritize_tags(all_tags):
        if tag in local_references:
            continue
        if not first:
            write("\n")
        first = False
        _format_tag(write, stream, tag, referential.get(tag, []), now)


def _source_line(stream: ImageStream, tag: str) -> str:
    """How the tag gets its image: the ``switch`` on the spec tag's ``from``."""
    ref = stream.spec_tags.get(tag)
    if ref is None:
        return "  no spec tag\n"
    source = ref.source
    if source is None:
        return "  tag without source image\n"
    name = source.name
    if source.namespace and source.namespace != stream.namespace:
        name = f"{source.namespace}/{source.name}"
    if source.kind == IMAGE_STREAM_TAG:
        if ref.reference:
            return f"  reference to {name}\n"
        if ref.scheduled:
            return f"  updates automatically from {name}\n"
        return f"  tagged from {name}\n"
    if source.kind == DOCKER_IMAGE:
        if ref.reference:
            return f"  reference to registry {name}\n"
        if ref.scheduled:
            return f"  updates automatically from registry {name}\n"
        return f"  tagged from {name}\n"
    if source.kind == IMAGE_STREAM_IMAGE:
        if ref.reference:
            return f"  reference to image {name}\n"
        return f"  tagged from {name}\n"
    if ref.reference:
        return f"  reference to {source.kind} {name}\n"
    return f"  updates from {source.kind} {name}\n"


def _format_tag(
    write: Write, stream: ImageStream, tag: str, references: list[str], now: float
) -> None:
    """One tag block: header, source, policies, annotations, import state, history."""
    history = stream.status_tags.get(tag) or NamedTagEventList(tag)
    ref = stream.spec_tags.get(tag)
    if references:
        write(f"{tag} ({', '.join(prioritize_tags(sorted(references)))})\n")
    else:
        write(f"{tag}\n")
    write(_source_line(stream, tag))
    if ref is not None and ref.source is not None and ref.insecure:
        write("    will use insecure HTTPS or HTTP connections\n")
    if ref is not None and ref.reference_policy == LOCAL_POLICY:
        write("    prefer registry pullthrough when referencing this tag\n")
    write("\n")

    annotations = (ref.annotations if ref is not None else None) or {}
    extra = False
    if annotations.get("description"):
        write(f"  {annotations['description']}\n")
        extra = True
    if annotations.get("tags"):
        write(f"  Tags: {', '.join(annotations['tags'].split(','))}\n")
        extra = True
    if annotations.get("supports"):
        write(f"  Supports: {', '.join(annotations['supports'].split(','))}\n")
        extra = True
    if annotations.get("sampleRepo"):
        write(f"  Example Repo: {annotations['sampleRepo']}\n")
        extra = True
    if extra:
        write("\n")

    importing = (
        ref is not None
        and ref.source is not None
        and not ref.reference
        and ref.generation is not None
        and ref.generation > observed_tag_generation(stream.status_tags.get(tag))
    )
    if importing:
        write("  ~ importing latest image ...\n")
    for condition in history.conditions:
        if condition.type == IMPORT_SUCCESS and condition.status == "False":
            write(
                f"  ! error: Import failed ({condition.reason}): {condition.message}\n"
                f"      {ago(now, condition.last_transition_time)}\n"
            )
    for i, event in enumerate(history.items):
        marker = "  * " if i == 0 else "    "
        write(f"{marker}{event.docker_image_reference}\n")
        try:
            parsed_id = parse_pull_spec(event.docker_image_reference).id
        except InvalidReference:
            parsed_id = None
        if event.image and parsed_id is not None and parsed_id != event.image:
            write(f"      {ago(now, event.created)}\t{event.image}\n")
        else:
            write(f"      {ago(now, event.created)}\n")


# -- get ----------------------------------------------------------------------------------
def tags_up_to_width(stream: ImageStream, width: int = 40) -> str:
    """``printTagsUpToWidth``: the newest tags that fit in about ``width`` characters.

    At least one tag is shown; a tag that overflows by less than a quarter of the width
    is still shown when more than a quarter of it was left.  Hidden tags are counted as
    `` + N more...``.

    Examples
    --------
    >>> from simkit.state.images import TagEvent
    >>> s = ImageStream("ns", "app")
    >>> for i in range(12):
    ...     name = f"v1.{i}.0-build"
    ...     s.status_tags[name] = NamedTagEventList(name, [TagEvent(float(i), "r", "i")])
    >>> tags_up_to_width(s)
    'v1.11.0-build,v1.10.0-build,v1.9.0-build + 9 more...'
    """
    tags = sort_status_tags(stream)
    shown = tags
    remaining = width
    for i, tag in enumerate(tags):
        size = len(tag.encode())
        remaining -= size + 1
        if remaining >= 0:
            continue
        if i == 0:
            shown = tags[:1]
            break
        margin = width // 4
        if margin < remaining + size and margin >= -remaining:
            continue
        shown = tags[:i]
        break
    hidden = len(stream.status_tags) - len(shown)
    if hidden > 0:
        return f"{','.join(shown)} + {hidden} more..."
    return ",".join(shown)


def _last_updated(stream: ImageStream, now: float) -> str:
    latest = None
    for history in stream.status_tags.values():
        if history.items:
            created = api_seconds(history.items[0].created)
            if latest is None or created > latest:
                latest = created
    return "" if latest is None else ago(now, latest)


def _cell(value: str) -> str:
    """``printTable``: a cell is cut at its first line break, marked with ``...``."""
    for i, ch in enumerate(value):
        if ch in "\f\n\r":
            return value[:i] + "..."
    return value


def table(header: list[str], rows: Iterable[list[str]], no_headers: bool = False) -> str:
    """Rows as kubectl prints a server-side table; empty when there are no rows.

    Examples
    --------
    >>> print(table(["NAME", "AGE"], [["a", "1s"], ["bbbbbbbbbb", "2s"]]), end="")
    NAME         AGE
    a            1s
    bbbbbbbbbb   2s
    """
    rows = list(rows)
    if not rows:
        return ""
    lines = [] if no_headers else ["\t".join(header)]
    lines += ["\t".join(_cell(c) for c in row) for row in rows]
    return align("\n".join(lines) + "\n", KUBECTL)


def get_image_streams(
    streams: Iterable[ImageStream],
    sim: Simulation,
    *,
    all_namespaces: bool = False,
    no_headers: bool = False,
) -> str:
    """``oc get is``: one row per stream, in the order given.

    Parameters
    ----------
    streams : iterable of ImageStream
        The streams to list (the API lists them by namespace, then name).
    sim : Simulation
        Gives the current time for ``UPDATED``.
    all_namespaces : bool
        ``-A``: add the ``NAMESPACE`` column.
    no_headers : bool
        ``--no-headers``.

    Returns
    -------
    str
        The table, or ``""`` when there are no streams.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> _ = sim.registry("quay.io").push("ns/app", "1.0")
    >>> _ = sim.oc("tag quay.io/ns/app:1.0 app:1.0")
    >>> sim.advance("5m")
    >>> print(get_image_streams([sim.stream("default", "app")], sim), end="")
    NAME   IMAGE REPOSITORY                                               TAGS   UPDATED
    app    image-registry.openshift-image-registry.svc:5000/default/app   1.0    4 minutes ago
    """
    header = ["NAME", "IMAGE REPOSITORY", "TAGS", "UPDATED"]
    rows = []
    for stream in streams:
        row = [
            stream.name,
            stream.docker_image_repository,
            tags_up_to_width(stream),
            _last_updated(stream, sim.now),
        ]
        rows.append([stream.namespace, *row] if all_namespaces else row)
    if all_namespaces:
        header = ["NAMESPACE", *header]
    return table(header, rows, no_headers)


def listed_tags(stream: ImageStream) -> list[str]:
    """The stream's ImageStreamTags as the API lists them: status tags whose newest event
    has an image (a ``--reference`` tag has none), sorted by name.

    Examples
    --------
    >>> from simkit.state.images import TagEvent
    >>> s = ImageStream("ns", "app")
    >>> s.status_tags["b"] = NamedTagEventList("b", [TagEvent(0.0, "q/a@sha256:1", "sha256:1")])
    >>> s.status_tags["a"] = NamedTagEventList("a", [TagEvent(0.0, "q/a:latest", "")])
    >>> listed_tags(s)
    ['b']
    """
    return [
        tag
        for tag in sorted(stream.status_tags)
        if (event := latest_tagged_image(stream, tag)) is not None and event.image
    ]


def get_image_stream_tags(
    tags: Iterable[tuple[ImageStream, str]],
    sim: Simulation,
    *,
    all_namespaces: bool = False,
    wide: bool = False,
    no_headers: bool = False,
) -> str:
    """``oc get istag``: ``NAME  IMAGE REFERENCE  UPDATED`` (``-o wide`` adds ``IMAGE NAME``).

    ``tags`` are ``(stream, tag)`` pairs whose tag points at an image; ``IMAGE
    REFERENCE`` applies the tag's reference policy, ``UPDATED`` is the age of the
    tag's newest event.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> _ = sim.registry("quay.io").push("ns/app", "1.0")
    >>> _ = sim.oc("tag quay.io/ns/app:1.0 app:1.0 --reference-policy=local")
    >>> sim.advance("30s")
    >>> text = get_image_stream_tags([(sim.stream("default", "app"), "1.0")], sim)
    >>> header, row = text.splitlines()
    >>> header.split(), row.split()[0], row.split()[2:]
    (['NAME', 'IMAGE', 'REFERENCE', 'UPDATED'], 'app:1.0', ['29', 'seconds', 'ago'])
    >>> row.split()[1].startswith("image-registry.openshift-image-registry.svc:5000/default/app@")
    True
    """
    header = ["NAME", "IMAGE REFERENCE", "UPDATED"] + (["IMAGE NAME"] if wide else [])
    rows = []
    for stream, tag in tags:
        event = latest_tagged_image(stream, tag)
        if event is None or not event.image:
            continue
        ref = stream.spec_tags.get(tag)
        policy = ref.reference_policy if ref is not None else SOURCE_POLICY
        row = [
            f"{stream.name}:{tag}",
            resolve_reference_for_tag_event(stream, policy, event),
            ago(sim.now, event.created),
        ] + ([event.image] if wide else [])
        rows.append([stream.namespace, *row] if all_namespaces else row)
    if all_namespaces:
        header = ["NAMESPACE", *header]
    return table(header, rows, no_headers)

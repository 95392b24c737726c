"""Image streams as plain data, in the shape of ``image.openshift.io/v1``.

The classes mirror openshift/api ``image/v1/types.go``: an :class:`ImageStream` has
spec tags (:class:`TagReference`) and status tags (:class:`NamedTagEventList`) whose
``items`` are :class:`TagEvent` records, newest first.  Times are simulation seconds.
Behaviour lives in :mod:`simkit.rules`; these classes only hold state.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simkit.state.cluster import shallow_copy

DEFAULT_IMAGE_TAG = "latest"
"""``DefaultImageTag`` in openshift/api ``image/v1/consts.go``."""

DOCKER_IMAGE = "DockerImage"
IMAGE_STREAM_TAG = "ImageStreamTag"
IMAGE_STREAM_IMAGE = "ImageStreamImage"
SOURCE_KINDS = (DOCKER_IMAGE, IMAGE_STREAM_TAG, IMAGE_STREAM_IMAGE)

SOURCE_POLICY = "Source"
LOCAL_POLICY = "Local"

IMPORT_SUCCESS = "ImportSuccess"

INSECURE_REPOSITORY_ANNOTATION = "openshift.io/image.insecureRepository"
DOCKER_REPOSITORY_CHECK_ANNOTATION = "openshift.io/image.dockerRepositoryCheck"
MANAGED_BY_OPENSHIFT_ANNOTATION = "openshift.io/image.managed"


@dataclass(slots=True)
class ObjectReference:
    """The ``from`` of a spec tag: a kind, a name and an optional namespace."""

    kind: str
    name: str
    namespace: str = ""


@dataclass(slots=True)
class TagReference:
    """One entry of ``spec.tags``.

    ``generation`` is None when unset; oc sends 0 for DockerImage sources, which the
    server turns into the stream's generation (``ensureSpecTagGenerationsAreSet``).
    """

    name: str
    source: ObjectReference | None = None
    reference: bool = False
    generation: int | None = None
    insecure: bool = False
    scheduled: bool = False
    import_mode: str = "Legacy"
    reference_policy: str = SOURCE_POLICY
    annotations: dict[str, str] | None = None

    def importable(self) -> bool:
        """``tagImportable``: a DockerImage source that is not a reference."""
        return self.source is not None and self.source.kind == DOCKER_IMAGE and not self.reference


@dataclass(slots=True)
class TagEvent:
    """One record of ``status.tags[].items``: what the tag pointed at, from when."""

    created: float
    docker_image_reference: str
    image: str
    generation: int = 0


@dataclass(slots=True)
class TagEventCondition:
    """``status.tags[].conditions[]``; simkit only uses ``ImportSuccess``."""

    type: str
    status: str
    last_transition_time: float
    reason: str = ""
    message: str = ""
    generation: int = 0


@dataclass(slots=True)
class NamedTagEventList:
    """``status.tags[]``: the history of one tag, newest first, and its conditions."""

    tag: str
    items: list[TagEvent] = field(default_factory=list)
    conditions: list[TagEventCondition] = field(default_factory=list)


@dataclass(slots=True)
class ImageStream:
    """An ``ImageStream`` object.

    ``spec_tags`` and ``status_tags`` are dicts keyed by tag name, in insertion order
    (the API's lists are merge lists keyed by name).

    Examples
    --------
    >>> stream = ImageStream("demo", "ruby")
    >>> stream.docker_image_repository
    'image-registry.openshift-image-registry.svc:5000/demo/ruby'
    """

    namespace: str
    name: str
    generation: int = 1
    created: float = 0.0
    lookup_local: bool = False
    spec_tags: dict[str, TagReference] = field(default_factory=dict)
    status_tags: dict[str, NamedTagEventList] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    internal_registry: str = "image-registry.openshift-image-registry.svc:5000"

    @property
    def key(self) -> tuple[str, str]:
        """``(namespace, name)``, the key of the stream in the cluster store."""
        return (self.namespace, self.name)

    @property
    def docker_image_repository(self) -> str:
        """``status.dockerImageRepository``: ``<internal registry>/<ns>/<name>``."""
        return f"{self.internal_registry}/{self.namespace}/{self.name}"

    def copy(self) -> ImageStream:
        """A copy for copy-on-write edits: every container and object that the API
        machinery edits in place is new; older history entries are shared.

        Only the newest event of a tag's history is ever edited in place (a tag event
        for the same image updates it), so sharing the older ones costs nothing in
        safety and keeps a copy O(tags) instead of O(history): a stream imported daily
        for a year would otherwise copy hundreds of events per change.

        Examples
        --------
        >>> s = ImageStream("ns", "ruby")
        >>> s.status_tags["1"] = NamedTagEventList("1", [TagEvent(2.0, "r@sha256:b", "sha256:b"),
        ...                                              TagEvent(1.0, "r@sha256:a", "sha256:a")])
        >>> c = s.copy()
        >>> c == s, c.status_tags["1"].items[0] is s.status_tags["1"].items[0]
        (True, False)
        >>> c.status_tags["1"].items[1] is s.status_tags["1"].items[1]
        True
        """
        newest: dict[int, TagEvent] = {}  # keeps an event shared by two tags shared
        return self.with_status(
            {tag: copy_tag_history(history, newest) for tag, history in self.status_tags.items()}
        )

    def with_status(self, status_tags: dict[str, NamedTagEventList]) -> ImageStream:
        """A :meth:`copy` whose status tags are ``status_tags`` (taken as they are, not
        copied): for a caller that replaces the status, which :meth:`copy` would copy only
        for it to be thrown away.

        Examples
        --------
        >>> s = ImageStream("ns", "ruby", annotations={"a": "1"})
        >>> c = s.with_status({})
        >>> c.status_tags, c.annotations == s.annotations, c.annotations is s.annotations
        ({}, True, False)
        """
        copied = shallow_copy(self)
        copied.spec_tags = {tag: copy_tag_reference(ref) for tag, ref in self.spec_tags.items()}
        copied.status_tags = status_tags
        copied.annotations = dict(self.annotations)
        copied.labels = dict(self.labels)
        return copied

    def _repr_html_(self) -> str:
        """Each tag's source, current image and history length, as a plain table.

        State imports nothing above it: the ``oc describe is`` view is
        :func:`simkit.display.image_stream_html`, which ``import simkit`` registers as a
        notebook's HTML for image streams.

        Examples
        --------
        >>> s = ImageStream("demo", "ruby")
        >>> s.spec_tags["3.1"] = TagReference("3.1", ObjectReference(DOCKER_IMAGE, "q.io/r:3.1"))
        >>> "<td>DockerImage q.io/r:3.1</td><td>-</td><td>0</td>" in s._repr_html_()
        True
        """
        from html import escape

        rows = []
        for tag in dict.fromkeys([*self.spec_tags, *self.status_tags]):
            ref = self.spec_tags.get(tag)
            source = f"{ref.source.kind} {ref.source.name}" if ref and ref.source else "-"
            history = self.status_tags.get(tag)
            items = history.items if history is not None else []
            current = items[0].docker_image_reference if items else "-"
            rows.append((tag, source, current, len(items)))
        head = "".join(
            f"<th style='text-align:left'>{h}</th>" for h in ("Tag", "From", "Image", "History")
        )
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>" for row in rows
        )
        caption = escape(f"ImageStream {self.namespace}/{self.name}")
        return f"<table><caption>{caption}</caption><tr>{head}</tr>{body}</table>"


def copy_tag_reference(ref: TagReference) -> TagReference:
    """A copy of ``ref`` with its own source and annotations, as :meth:`ImageStream.copy`
    makes it.

    Examples
    --------
    >>> ref = TagReference("1", ObjectReference(DOCKER_IMAGE, "q.io/r:1"), annotations={})
    >>> c = copy_tag_reference(ref)
    >>> c == ref, c.source is ref.source, c.annotations is ref.annotations
    (True, False, False)
    """
    copied = shallow_copy(ref)
    if ref.source is not None:
        copied.source = shallow_copy(ref.source)
    if ref.annotations is not None:
        copied.annotations = dict(ref.annotations)
    return copied


def copy_tag_history(history: NamedTagEventList, newest: dict[int, TagEvent]) -> NamedTagEventList:
    """A copy of ``history`` as :meth:`ImageStream.copy` makes it: its own list of items
    whose newest event is copied (older ones are shared), and its own conditions.

    ``newest`` maps ``id(event)`` to the copy already made of a newest event, so that
    an event shared by two tags stays shared; pass one dict for all the tags of a stream.

    Examples
    --------
    >>> h = NamedTagEventList("1", [TagEvent(2.0, "r@sha256:b", "sha256:b"),
    ...                             TagEvent(1.0, "r@sha256:a", "sha256:a")])
    >>> c = copy_tag_history(h, {})
    >>> c == h, c.items[0] is h.items[0], c.items[1] is h.items[1]
    (True, False, True)
    """
    items = history.items
    if items:
        first = items[0]
        mine = newest.get(id(first))
        if mine is None:
            mine = newest[id(first)] = shallow_copy(first)
        items = [mine, *items[1:]]
    else:
        items = []
    conditions = history.conditions
    return NamedTagEventList(
        history.tag, items, [shallow_copy(c) for c in conditions] if conditions else []
    )


@dataclass(slots=True)
class Image:
    """A cluster-scoped ``Image`` object (``image.openshift.io/v1``), named by digest."""

    digest: str
    docker_image_reference: str
    created: float
    size: int = 0
    labels: dict[str, str] = field(default_factory=dict)

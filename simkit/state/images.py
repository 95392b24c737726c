"""Image streams as plain data, in the shape of ``image.openshift.io/v1``.

The classes mirror openshift/api ``image/v1/types.go``: an :class:`ImageStream` has
spec tags (:class:`TagReference`) and status tags (:class:`NamedTagEventList`) whose
``items`` are :class:`TagEvent` records, newest first.  Times are simulation seconds.
Behaviour lives in :mod:`simkit.rules`; these classes only hold state.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

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
        """A deep copy, for copy-on-write edits."""
        return copy.deepcopy(self)

    def _repr_html_(self) -> str:
        from simkit.display import image_stream_html

        return image_stream_html(self)


@dataclass(slots=True)
class Image:
    """A cluster-scoped ``Image`` object (``image.openshift.io/v1``), named by digest."""

    digest: str
    docker_image_reference: str
    created: float
    size: int = 0
    labels: dict[str, str] = field(default_factory=dict)

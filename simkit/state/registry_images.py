"""The images (manifests) a registry holds, stored column-wise.

A registry keeps every image ever pushed to it, reachable by digest: in a simulated
cluster-year with daily rebuilds that is about two million images.  As one
:class:`RegistryImage` object each (an object, its digest text, a boxed time and size
and a dict entry) they took about 290 bytes apiece, most of a cluster-year's memory.
:class:`RegistryImages` keeps the same answers in about 160: a ``sha256:`` digest as its
32 raw bytes (the dict key), the creation time and size in typed arrays, and the
repository and labels as small codes into tables of the distinct values.  The newest
:data:`RECENT` images are also kept as they were added, since nearly every read is of
one of them; an older image is made into a :class:`RegistryImage` again when it is read.

Examples
--------
>>> images = RegistryImages()
>>> digest = "sha256:" + "ab" * 32
>>> images.add(RegistryImage(digest, "acme/app", 60.0, 1024))
>>> images[digest].repository, images[digest].created, images[digest].size
('acme/app', 60.0, 1024)
>>> len(images), digest in images, images.get("sha256:" + "cd" * 32) is None
(1, True, True)
"""

from __future__ import annotations

from array import array
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType

__all__ = ["NO_LABELS", "RegistryImage", "RegistryImages", "new_image"]

NO_LABELS: Mapping[str, str] = MappingProxyType({})
"""The read-only empty labels shared by every image without labels."""
_PREFIX = "sha256:"

RECENT = 1 << 16
"""Images most recently added that a :class:`RegistryImages` also keeps as objects: the
ones a cluster reads (current tags, fresh imports) are answered without being rebuilt."""


@dataclass(frozen=True, slots=True)
class RegistryImage:
    """An image (manifest) held by a registry."""

    digest: str
    repository: str
    created: float
    size: int
    labels: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    """The image's labels; read-only for images a :class:`~simkit.state.registries.Registry`
    holds."""


# A registry makes an image per push (a million and more in a simulated cluster-year).  A
# frozen dataclass's __init__ sets each field through object.__setattr__ (to get past its
# own frozen __setattr__); the slots' own descriptors set the same fields on a bare
# instance in about a third of the time.  new_image makes the instance __init__ would
# (same class, same fields: equal, same hash and repr), and it sets every field: a field
# added to RegistryImage fails the check below, at import, until new_image sets it too.
# (Here, not in simkit.state.registries, which mypyc may compile: it cannot compile this.)
_FIELDS = ("digest", "repository", "created", "size", "labels")
if tuple(f.name for f in fields(RegistryImage)) != _FIELDS:
    raise TypeError("RegistryImage's fields changed: update new_image")
_set_fields = tuple(RegistryImage.__dict__[name].__set__ for name in _FIELDS)


def new_image(
    digest: str, repository: str, created: float, size: int, labels: Mapping[str, str]
) -> RegistryImage:
    """``RegistryImage(digest, repository, created, size, labels)``, made faster.

    Examples
    --------
    >>> image = new_image("sha256:1", "ns/app", 0.0, 5, NO_LABELS)
    >>> image == RegistryImage("sha256:1", "ns/app", 0.0, 5, NO_LABELS), image
    (True, RegistryImage(digest='sha256:1', repository='ns/app', created=0.0, size=5, \
labels=mappingproxy({})))
    """
    image = object.__new__(RegistryImage)
    set_digest, set_repository, set_created, set_size, set_labels = _set_fields
    set_digest(image, digest)
    set_repository(image, repository)
    set_created(image, created)
    set_size(image, size)
    set_labels(image, labels)
    return image


def _key(digest: str) -> bytes | str:
    """The dict key of ``digest``: the 32 bytes of a canonical ``sha256:`` digest (half
    the memory of its text), any other text as it is."""
    if len(digest) == 71 and digest.startswith(_PREFIX):
        text = digest[7:]
        try:
            raw = bytes.fromhex(text)
        except ValueError:
            return digest
        # only lowercase hex without spaces gives its text back: one text per key
        if raw.hex() == text:
            return raw
    return digest


def _digest(key: bytes | str) -> str:
    """The digest text of a dict key (:func:`_key` undone)."""
    return key if isinstance(key, str) else _PREFIX + key.hex()


class RegistryImages(Mapping[str, RegistryImage]):
    """Digest -> :class:`RegistryImage`, for every image a registry holds, compactly.

    A read-only mapping to its readers (``images[digest]``, ``get``, ``in``, ``len``,
    iteration in the order images were added); the registry adds images with
    :meth:`add`.  Reading an image gives the object added while it is among the newest
    :data:`RECENT`, and after that a new :class:`RegistryImage` equal to it, whose
    ``labels`` are the very mapping that was added (images with the same labels share
    one), or an empty read-only one if it had none.

    Examples
    --------
    >>> images = RegistryImages()
    >>> first = RegistryImage("sha256:" + "0" * 64, "acme/app", 0.0, 10, {"v": "1"})
    >>> images.add(first)
    >>> images.add(RegistryImage("sha256:" + "1" * 64, "acme/db", 5.0, 20))
    >>> images["sha256:" + "0" * 64] == first, dict(images["sha256:" + "0" * 64].labels)
    (True, {'v': '1'})
    >>> [image.repository for image in images.values()]
    ['acme/app', 'acme/db']
    """

    def __init__(self) -> None:
        self._index: dict[bytes | str, int] = {}
        self._created = array("d")
        self._sizes = array("q")
        self._repositories = array("i")  # codes into _repository_names
        self._labels = array("i")  # codes into _label_sets
        self._repository_names: list[str] = []
        self._repository_codes: dict[str, int] = {}
        self._label_sets: list[Mapping[str, str]] = [NO_LABELS]
        # id(mapping) -> code; the list above keeps each mapping alive, so ids stay unique
        self._label_codes: dict[int, int] = {id(NO_LABELS): 0}
        # the newest RECENT images as added, oldest first: most reads are of these
        self._recent: dict[str, RegistryImage] = {}
        self._recent_order: deque[str] = deque()

    def add(self, image: RegistryImage, raw: bytes | None = None) -> None:
        """Hold ``image`` (replacing the one with the same digest, if any).

        ``raw``, if given, is the digest's 32 bytes, its text ``"sha256:" + raw.hex()``
        (a registry hashes them itself): they are the image's key, not read back from the
        text.

        Examples
        --------
        >>> images = RegistryImages()
        >>> images.add(RegistryImage("sha256:" + "f" * 64, "a/b", 1.0, 2))
        >>> images.add(RegistryImage("sha256:" + "f" * 64, "a/b", 3.0, 4))
        >>> len(images), images["sha256:" + "f" * 64].size
        (1, 4)
        """
        repository = self._repository_codes.get(image.repository)
        if repository is None:
            repository = self._repository_codes[image.repository] = len(self._repository_names)
            self._repository_names.append(image.repository)
        # no labels: the shared empty mapping (an image made without labels has a dict
        # of its own, which would otherwise be kept once per image)
        labels = self._label_codes.get(id(image.labels)) if image.labels else 0
        if labels is None:
            labels = self._label_codes[id(image.labels)] = len(self._label_sets)
            self._label_sets.append(image.labels)
        recent = self._recent
        if image.digest not in recent:
            self._recent_order.append(image.digest)
            if len(self._recent_order) > RECENT:
                del recent[self._recent_order.popleft()]
        recent[image.digest] = image
        key = _key(image.digest) if raw is None else raw
        row = self._index.get(key)
        if row is not None:
            self._created[row] = image.created
            self._sizes[row] = image.size
            self._repositories[row] = repository
            self._labels[row] = labels
            return
        self._index[key] = len(self._created)
        self._created.append(image.created)
        self._sizes.append(image.size)
        self._repositories.append(repository)
        self._labels.append(labels)

    def _image(self, digest: str, row: int) -> RegistryImage:
        return RegistryImage(
            digest,
            self._repository_names[self._repositories[row]],
            self._created[row],
            self._sizes[row],
            self._label_sets[self._labels[row]],
        )

    def __getitem__(self, digest: str) -> RegistryImage:
        image = self._recent.get(digest)  # get's first step, without its call: most reads
        if image is None:
            image = self.get(digest)
            if image is None:
                raise KeyError(digest)
        return image

    def get(self, digest: str, default: RegistryImage | None = None) -> RegistryImage | None:  # type: ignore[override]
        """The image with ``digest``, or ``default``."""
        image = self._recent.get(digest)
        if image is not None:
            return image
        row = self._index.get(_key(digest)) if isinstance(digest, str) else None
        return default if row is None else self._image(digest, row)

    def __contains__(self, digest: object) -> bool:
        return isinstance(digest, str) and _key(digest) in self._index

    def __len__(self) -> int:
        return len(self._index)

    def __iter__(self) -> Iterator[str]:
        return map(_digest, self._index)

    def __repr__(self) -> str:
        return f"<RegistryImages {len(self)} images>"

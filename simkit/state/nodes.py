"""Worker nodes and their container image stores.

Each node is cluster state: the kubelet controller puts its :class:`Node` in the cluster
(kind ``Node``, key ``("", name)``) when the node joins or is replaced, and records every
pull and garbage collection in that object's image store.  Readers (analysis, reports)
take nodes from the cluster, ``sim.cluster.get("Node", ("", name))``, never from the
controller.
"""

from __future__ import annotations

from dataclasses import dataclass, field

GiB = 1024**3
MiB = 1024**2


@dataclass(slots=True)
class StoredImage:
    """An image in a node's store: its digest, size, names, and when it was last used."""

    digest: str
    size: int
    names: set[str] = field(default_factory=set)
    last_used: float = 0.0
    pulled: float = 0.0


@dataclass(slots=True)
class Node:
    """A worker node: an image store keyed by digest, and the names that resolve to them.

    ``names`` maps what the kubelet asks the runtime for (``quay.io/a/b:1``,
    ``docker.io/library/busybox:latest``, ``repo@sha256:...``) to a digest: pulling a
    rebuilt tag moves the name, the old image stays until garbage collection.
    Change ``images`` through :meth:`store` and :meth:`remove`, which keep
    :attr:`disk_used` up to date.
    """

    name: str
    disk_capacity: int = 100 * GiB
    bandwidth: float = 50 * MiB
    images: dict[str, StoredImage] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    ready: bool = True
    # the global pull secret as rolled out to the node: credentials, never in a repr
    config_json: str = field(default="", repr=False)
    config_version: int = 0
    # the sum of the images' sizes, kept by store and remove (read on every pull)
    _used: int = field(default=-1, init=False, repr=False, compare=False)

    @property
    def key(self) -> tuple[str, str]:
        """``("", name)``: nodes are cluster-scoped."""
        return ("", self.name)

    @property
    def disk_used(self) -> int:
        """Bytes held by stored images."""
        if self._used < 0:  # images given at construction
            self._used = sum(image.size for image in self.images.values())
        return self._used

    def lookup(self, name: str) -> StoredImage | None:
        """The stored image ``name`` resolves to (``GetImageRef``), or None."""
        digest = self.names.get(name)
        if digest is None:
            return None
        return self.images.get(digest)

    def store(self, name: str, digest: str, size: int, now: float) -> StoredImage:
        """Record that ``name`` now resolves to ``digest`` (after a pull)."""
        previous = self.names.get(name)
        if previous is not None and previous != digest and previous in self.images:
            self.images[previous].names.discard(name)
        image = self.images.get(digest)
        if image is None:
            used = self.disk_used
            # made whole, positionally: what adding the name and the use below would
            # leave on a new image (every pull of a new digest comes here)
            image = self.images[digest] = StoredImage(digest, size, {name}, now, now)
            self._used = used + size
        else:
            image.names.add(name)
            image.last_used = now
        self.names[name] = digest
        return image

    def remove(self, digest: str) -> int:
        """Delete an image and its names; returns the bytes freed."""
        if digest not in self.images:
            return 0
        used = self.disk_used
        image = self.images.pop(digest)
        self._used = used - image.size
        for name in image.names:
            if self.names.get(name) == digest:
                del self.names[name]
        return image.size

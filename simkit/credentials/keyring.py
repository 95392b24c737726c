"""The kubelet's keyrings: ``BasicDockerKeyring`` and ``UnionDockerKeyring``.

A :class:`Keyring` files each credential under :func:`registry_key` of its config key,
keeps the keys deduplicated and sorted in *reverse* byte order (so ``quay.io/coreos``
is tried before ``quay.io``, and ``*.x.com`` after every concrete ``x.com`` host because
``*`` sorts low), and answers a lookup with the credentials of every key that
:func:`urls_match` the repository, in that order (credentials under one key in the
order they were added).  Only when no key matched and the repository is a Docker Hub
one (:func:`is_default_registry_match`) does it fall back to the ``index.docker.io``
credentials.

The kubelet looks up the *normalised* repository (``docker.io/library/busybox`` for
``busybox:1.36``): :meth:`Keyring.lookup` normalises, :meth:`Keyring.lookup_raw` is
upstream's ``Lookup`` on the string as given.  No credential means the kubelet pulls
anonymously; once some credential is found there is no anonymous fallback.  That is
the caller's business.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, runtime_checkable

from simkit._go.strings import go_bytes
from simkit.credentials.credential import Credential
from simkit.credentials.dockerconfig import ConfigForm, parse_docker_config
from simkit.credentials.matching import (
    DEFAULT_REGISTRY_HOST,
    is_default_registry_match,
    mask_userinfo,
    registry_key,
    urls_match,
)
from simkit.refs import parse_image

__all__ = ["Keyring", "SupportsLookup", "UnionKeyring"]


@runtime_checkable
class SupportsLookup(Protocol):
    """Anything that answers ``lookup_raw(repo)`` like a keyring.

    Examples
    --------
    >>> isinstance(Keyring(), SupportsLookup), isinstance(object(), SupportsLookup)
    (True, False)
    """

    def lookup_raw(self, repo: str) -> list[Credential]:
        """The credentials for ``repo`` as given (no normalisation)."""
        ...


def _repository(image: str) -> str:
    """The repository the kubelet looks credentials up for (tag and digest dropped)."""
    return parse_image(image).name


class Keyring:
    """``BasicDockerKeyring``: credentials indexed by registry key.

    Examples
    --------
    >>> ring = Keyring.from_docker_config({"auths": {
    ...     "quay.io": {"username": "all", "password": "s1"},
    ...     "quay.io/coreos": {"username": "coreos", "password": "s2"},
    ...     "*.example.com": {"username": "glob", "password": "s3"}}}, source="node")
    >>> ring
    Keyring(keys=['quay.io/coreos', 'quay.io', '*.example.com'], credentials=3)
    >>> [c.username for c in ring.lookup("quay.io/coreos/etcd:v3")]
    ['coreos', 'all']
    >>> [c.username for c in ring.lookup("registry.example.com/app")]
    ['glob']
    >>> ring.lookup("ubuntu")
    []
    """

    __slots__ = ("_creds", "_ignored", "_index")

    def __init__(self) -> None:
        self._index: list[str] = []
        self._creds: dict[str, list[Credential]] = {}
        self._ignored: list[str] = []

    @classmethod
    def from_docker_config(
        cls, cfg: Any, source: str = "", *, form: ConfigForm = "auto"
    ) -> Keyring:
        """A keyring holding the credentials of one docker config.

        Parameters
        ----------
        cfg : Mapping, str or bytes
            See :func:`parse_docker_config`.
        source : str
            Recorded on every credential (``"node"``, ``"secret:ns/name"``, ...).
        form : {"auto", "config.json", "dockercfg"}
            See :func:`parse_docker_config`.

        Examples
        --------
        >>> Keyring.from_docker_config('{"quay.io": {"auth": "dTpw"}}').keys
        ('quay.io',)
        """
        keyring = cls()
        keyring.add(cfg, source, form=form)
        return keyring

    def add(self, cfg: Any, source: str = "", *, form: ConfigForm = "auto") -> None:
        """Add a docker config's credentials (``BasicDockerKeyring.Add``).

        A key Go's URL parser rejects is skipped (see :attr:`ignored`).  The config is
        parsed completely before anything is added, so a bad one changes nothing.

        Raises
        ------
        DockerConfigError
            If the config cannot be read.

        Examples
        --------
        >>> ring = Keyring()
        >>> ring.add({"https://index.docker.io/v1/": {"auth": "dTpw"}}, "node")
        >>> ring.add({"registry:port": {"auth": "dTpw"}})
        >>> ring.keys, ring.ignored
        (('index.docker.io',), ('registry:port',))
        """
        for location, entry in parse_docker_config(cfg, form=form).items():
            key = registry_key(location)
            if key is None:
                self._ignored.append(mask_userinfo(location))
                continue
            credential = Credential(entry.username, entry.password, key, entry.email, source)
            self._creds.setdefault(key, []).append(credential)
        self._index = sorted(self._creds, key=go_bytes, reverse=True)

    @property
    def keys(self) -> tuple[str, ...]:
        """The registry keys, in lookup order (reverse-sorted).

        Examples
        --------
        >>> Keyring.from_docker_config({"a.io": {}, "b.io": {}, "a.io/x": {}}).keys
        ('b.io', 'a.io/x', 'a.io')
        """
        return tuple(self._index)

    @property
    def ignored(self) -> tuple[str, ...]:
        """Config keys that were skipped because Go cannot parse them (user info masked).

        Examples
        --------
        >>> Keyring.from_docker_config({"host:port": {}}).ignored
        ('host:port',)
        """
        return tuple(self._ignored)

    def credentials(self, key: str) -> list[Credential]:
        """The credentials filed under ``key``, in the order they were added.

        Examples
        --------
        >>> ring = Keyring.from_docker_config({"https://quay.io/v1/": {"username": "u"}})
        >>> [c.username for c in ring.credentials("quay.io")]
        ['u']
        """
        return list(self._creds.get(key, ()))

    def lookup_raw(self, repo: str) -> list[Credential]:
        """Upstream ``Lookup(repo)``: no normalisation of ``repo``.

        Examples
        --------
        >>> ring = Keyring.from_docker_config({"https://index.docker.io/v1/": {"username": "u"}})
        >>> [c.username for c in ring.lookup_raw("jenkins")]
        ['u']
        >>> ring.lookup_raw("world.mesos.org/foo/bar")
        []
        """
        if not self._creds:
            # an empty keyring (a node without a global pull secret, a pod without
            # registry secrets) finds nothing: no key matches and it holds no Docker Hub
            # fallback either
            return []
        found = [cred for key in self._index if urls_match(key, repo) for cred in self._creds[key]]
        # the Docker Hub fallback can only find something when the keyring holds
        # index.docker.io credentials (is_default_registry_match is a pure test)
        if not found and DEFAULT_REGISTRY_HOST in self._creds and is_default_registry_match(repo):
            found = list(self._creds[DEFAULT_REGISTRY_HOST])
        return found

    def lookup(self, image: str) -> list[Credential]:
        """The credentials the kubelet tries for ``image``, in order.

        ``image`` is normalised first (``busybox:1.36`` is looked up as
        ``docker.io/library/busybox``).

        Raises
        ------
        simkit.refs.InvalidReference
            If ``image`` is not a valid reference.

        Examples
        --------
        >>> ring = Keyring.from_docker_config({"https://index.docker.io/v1/": {"username": "u"}})
        >>> [c.username for c in ring.lookup("busybox:1.36")]
        ['u']
        """
        return self.lookup_raw(_repository(image))

    def __repr__(self) -> str:
        count = sum(len(creds) for creds in self._creds.values())
        return f"Keyring(keys={self._index!r}, credentials={count})"

    __str__ = __repr__


class UnionKeyring:
    """``UnionDockerKeyring``: the lookups of several keyrings, concatenated in order.

    The kubelet's order is the pod's pull secrets first, then the node's keyring.

    Examples
    --------
    >>> pod = Keyring.from_docker_config({"quay.io": {"username": "pod"}}, "secret:ns/s")
    >>> node = Keyring.from_docker_config({"quay.io": {"username": "node"}}, "node")
    >>> [c.source for c in UnionKeyring([pod, node]).lookup("quay.io/team/app")]
    ['secret:ns/s', 'node']
    """

    __slots__ = ("_keyrings",)

    def __init__(self, keyrings: Iterable[SupportsLookup | None]) -> None:
        self._keyrings = tuple(k for k in keyrings if k is not None)

    @property
    def keyrings(self) -> tuple[SupportsLookup, ...]:
        """The member keyrings, in lookup order (``None`` members dropped).

        Examples
        --------
        >>> len(UnionKeyring([Keyring(), None]).keyrings)
        1
        """
        return self._keyrings

    def lookup_raw(self, repo: str) -> list[Credential]:
        """Every member's ``lookup_raw(repo)``, concatenated.

        Examples
        --------
        >>> UnionKeyring([]).lookup_raw("quay.io/a")
        []
        """
        return [cred for keyring in self._keyrings for cred in keyring.lookup_raw(repo)]

    def lookup(self, image: str) -> list[Credential]:
        """Every member's credentials for the normalised ``image``, concatenated.

        Examples
        --------
        >>> UnionKeyring([Keyring()]).lookup("nginx")
        []
        """
        return self.lookup_raw(_repository(image))

    def __repr__(self) -> str:
        return f"UnionKeyring({list(self._keyrings)!r})"

    __str__ = __repr__

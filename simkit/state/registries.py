"""External container registries: repositories whose tags move as images are pushed.

A :class:`Registry` answers manifest requests the way a Docker v2 registry does:
``manifest unknown`` for a missing tag or digest, ``unauthorized`` without valid
credentials when it is private, ``toomanyrequests`` past a per-client rate limit, and a
refused connection during an outage.  Every push is an event in the simulation's log.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from hashlib import sha256
from types import MappingProxyType
from typing import Any

from simkit.refs import parse_pull_spec
from simkit.state.registry_images import NO_LABELS, RegistryImage, RegistryImages, new_image

MiB = 1024 * 1024

DOCKER_HUB_ALIASES = {"index.docker.io": "docker.io", "registry-1.docker.io": "docker.io"}
"""Host names that are Docker Hub; simkit keeps Docker Hub's registry as ``docker.io``."""


@lru_cache(maxsize=1 << 16)
def registry_address(pull_spec: str) -> tuple[str, str, str]:
    """``(host, repository, reference)`` a client asks for ``pull_spec``, after Docker's
    defaults (``docker.io``, ``library/``, ``latest``); ``reference`` is a tag or a digest.

    Raises :class:`~simkit.refs.InvalidReference` for text that is no pull spec.

    Examples
    --------
    >>> registry_address("mysql")
    ('docker.io', 'library/mysql', 'latest')
    >>> registry_address("quay.io/acme/ruby:2.7")
    ('quay.io', 'acme/ruby', '2.7')
    """
    # every import and every remembered import asks again for the same few specs: the
    # answer depends on the text alone, so it is kept (lru_cache keeps no exception)
    ref = parse_pull_spec(pull_spec).docker_client_defaults()
    host = DOCKER_HUB_ALIASES.get(ref.registry, ref.registry)
    repository = "/".join(part for part in (ref.namespace, ref.name) if part)
    return (host, repository, ref.id or ref.tag)


class RegistryError(Exception):
    """A registry refused a request; ``reason`` is the API status reason OpenShift shows."""

    reason = "InternalError"


class RegistryUnavailable(RegistryError):
    """The registry did not answer (outage): the request never reached it."""

    reason = "InternalError"


class Unauthorized(RegistryError):
    """``UNAUTHORIZED``: no credentials, or wrong ones, for a private registry."""

    reason = "Unauthorized"


class ManifestUnknown(RegistryError):
    """``MANIFEST_UNKNOWN``: the tag or digest does not exist in the repository."""

    reason = "NotFound"


class TooManyRequests(RegistryError):
    """``toomanyrequests``: the client is over the registry's pull-rate limit."""

    reason = "TooManyRequests"


class InsecureRegistry(RegistryError):
    """The registry speaks plain HTTP and the client required TLS."""

    reason = "InternalError"


# Labels set on more images than a registry keeps distinct sets of them for (each
# registry shares one read-only mapping among its images with the same labels).
_LABEL_SETS_KEPT = 1 << 16


@dataclass(slots=True)
class RateLimit:
    """At most ``pulls`` manifest requests per ``window`` seconds per client."""

    pulls: int
    window: float
    anonymous_only: bool = True


class Registry:
    """An external registry at ``host``, made by :meth:`simkit.Simulation.registry`.

    Parameters
    ----------
    host : str
        ``quay.io``, ``registry.example.com:5000`` ...
    clock : callable
        Returns the simulation time in seconds.
    record : callable
        ``record(kind, **fields)`` writes an event to the simulation's log.
    users : dict, optional
        ``{"name": "password"}``; a registry with users refuses anonymous requests.
    auth_server : str, optional
        Host of the registry's token server: a request needs credentials valid there too
        (a declared registry at that host checks its own users; an undeclared one, this
        registry's: :func:`simkit.rules.pull_access.token_server_accepts`).
    insecure : bool
        The registry speaks plain HTTP; clients must allow insecure transport.
    seed : int
        Makes digests differ between simulations with different seeds.

    Examples
    --------
    >>> reg = Registry("quay.io", clock=lambda: 0.0, record=lambda kind, **f: None)
    >>> digest = reg.push("ns/app", "1.0")
    >>> reg.resolve("ns/app", "1.0").digest == digest
    True
    """

    def __init__(
        self,
        host: str,
        *,
        clock: Callable[[], float],
        record: Callable[..., None],
        users: dict[str, str] | None = None,
        auth_server: str | None = None,
        insecure: bool = False,
        seed: int = 0,
        size_sampler: Callable[[], int] | None = None,
    ) -> None:
        self.host = host
        self._listeners: list[Callable[[str | None], None]] = []
        self._users: MappingProxyType[str, str] = MappingProxyType(dict(users or {}))
        self._auth_server = auth_server
        self._insecure = insecure
        self._rate_limit: RateLimit | None = None
        self.outages: list[tuple[float, float]] = []
        self.repositories: dict[str, dict[str, str]] = {}
        # every image ever pushed, by digest (compact: a registry-year holds millions)
        self.images = RegistryImages()
        # (key, value) pairs -> the read-only labels mapping images with them share
        self._label_sets: dict[tuple[tuple[str, str], ...], Mapping[str, str]] = {}
        self._clock = clock
        self._record = record
        self._seed = seed
        self._pushes = 0
        self._size_sampler = size_sampler
        self._client_requests: dict[str, list[float]] = {}

    def __repr__(self) -> str:
        kind = "private" if self.users else "public"
        return (
            f"<Registry {self.host} {kind}, {len(self.repositories)} repositories, "
            f"{len(self.images)} images>"
        )

    # -- what the registry answers depends on these; changing one notifies listeners -------
    def on_change(self, listener: Callable[[str | None], None]) -> None:
        """Call ``listener(repository)`` after anything changes what a request may get.

        ``repository`` is the repository whose tags moved, or None when the change
        concerns the whole registry (an outage, users, TLS, delegated auth, a rate limit).

        Examples
        --------
        >>> reg = Registry("quay.io", clock=lambda: 0.0, record=lambda kind, **f: None)
        >>> seen = []
        >>> reg.on_change(seen.append)
        >>> _ = reg.push("ns/app", "1.0"); reg.insecure = True
        >>> seen
        ['ns/app', None]
        """
        self._listeners.append(listener)

    def _changed(self, repository: str | None) -> None:
        for listener in self._listeners:
            listener(repository)

    @property
    def users(self) -> MappingProxyType[str, str]:
        """``{"name": "password"}`` (read-only; assign a new dict to change it)."""
        return self._users

    @users.setter
    def users(self, users: dict[str, str]) -> None:
        self._users = MappingProxyType(dict(users))
        self._changed(None)

    @property
    def auth_server(self) -> str | None:
        """The host that authenticates requests for this registry, or None."""
        return self._auth_server

    @auth_server.setter
    def auth_server(self, host: str | None) -> None:
        self._auth_server = host
        self._changed(None)

    @property
    def insecure(self) -> bool:
        """Whether the registry speaks plain HTTP."""
        return self._insecure

    @insecure.setter
    def insecure(self, insecure: bool) -> None:
        self._insecure = bool(insecure)
        self._changed(None)

    @property
    def rate_limit(self) -> RateLimit | None:
        """The per-client pull-rate limit, or None (see :meth:`limit_rate`)."""
        return self._rate_limit

    @property
    def private(self) -> bool:
        """Whether anonymous requests are refused."""
        return bool(self.users)

    def push(
        self,
        repository: str,
        tag: str,
        *,
        size: int | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> str:
        """Push a new image under ``repository:tag`` now; returns its ``sha256:`` digest.

        Pushing an existing tag again is a rebuild: same tag, new digest.

        Examples
        --------
        >>> reg = Registry("quay.io", clock=lambda: 0.0, record=lambda kind, **f: None)
        >>> first = reg.push("ns/app", "1.0")
        >>> second = reg.push("ns/app", "1.0")
        >>> first != second and reg.resolve("ns/app", "1.0").digest == second
        True
        """
        shared = self._shared_labels(labels)
        self._pushes = pushes = self._pushes + 1
        now = self._clock()
        seed_text = f"{self._seed}/{self.host}/{repository}:{tag}#{pushes}@{now!r}"
        raw = sha256(seed_text.encode()).digest()
        digest = "sha256:" + raw.hex()  # hexdigest()'s text; the images keep the bytes
        if size is None:
            size = self._size_sampler() if self._size_sampler else 100 * MiB
        size = int(size)
        self.images.add(new_image(digest, repository, now, size, shared), raw)
        tags = self.repositories.get(repository)
        if tags is None:
            tags = self.repositories[repository] = {}
        previous = tags.get(tag)
        tags[tag] = digest
        self._record(
            "registry_push",
            registry=self.host,
            repository=repository,
            tag=tag,
            digest=digest,
            previous_digest=previous,
            size=size,
            rebuild=previous is not None,
        )
        self._changed(repository)
        return digest

    def rebuild(
        self, repository: str, tag: str, *, labels: Mapping[str, str] | None = None
    ) -> str | None:
        """Push ``repository:tag`` again now, a new image with the labels of the one it
        replaces updated by ``labels``; returns its digest, or None (and does nothing) if
        the tag does not exist.

        The same as ``push(repository, tag, labels={**resolve(repository, tag).labels,
        **labels})``, with a missing tag answered by None instead of an error: an upstream
        rebuild.

        Examples
        --------
        >>> reg = Registry("quay.io", clock=lambda: 0.0, record=lambda kind, **f: None)
        >>> first = reg.push("ns/app", "1.0", labels={"version": "1.0"})
        >>> second = reg.rebuild("ns/app", "1.0", labels={"fixes": "CVE-2026-1"})
        >>> second != first, dict(reg.resolve("ns/app", "1.0").labels)
        (True, {'version': '1.0', 'fixes': 'CVE-2026-1'})
        >>> reg.rebuild("ns/app", "2.0") is None
        True
        """
        try:
            old = self.resolve(repository, tag).labels
        except ManifestUnknown:
            return None
        return self.push(repository, tag, labels={**old, **labels} if labels else old)

    def _shared_labels(self, labels: Mapping[str, str] | None) -> Mapping[str, str]:
        """A read-only copy of ``labels``, the same object for every image with the same
        labels (rebuilds of an image carry its labels on: a dict per push would be most
        of what a registry holds)."""
        if not labels:
            return NO_LABELS  # one shared mapping for every image pushed without labels
        pairs = tuple(labels.items())
        shared = self._label_sets.get(pairs)
        if shared is None:
            if len(self._label_sets) >= _LABEL_SETS_KEPT:
                self._label_sets.clear()  # keep the table bounded; images keep theirs
            shared = self._label_sets[pairs] = MappingProxyType(dict(pairs))
        return shared

    def tag(self, repository: str, source_tag: str, tag: str) -> str:
        """Point ``tag`` at the image ``source_tag`` points at (a moving tag); returns it."""
        digest = self.resolve(repository, source_tag, check=False).digest
        tags = self.repositories[repository]
        previous = tags.get(tag)
        if previous == digest:
            return digest
        tags[tag] = digest
        self._record(
            "registry_tag",
            registry=self.host,
            repository=repository,
            tag=tag,
            digest=digest,
            previous_digest=previous,
        )
        self._changed(repository)
        return digest

    def delete_tag(self, repository: str, tag: str) -> None:
        """Remove ``tag``; the image stays reachable by digest."""
        tags = self.repositories.get(repository, {})
        if tag not in tags:
            raise KeyError(f"{self.host}/{repository}:{tag}: no such tag")
        digest = tags.pop(tag)
        self._record(
            "registry_delete_tag",
            registry=self.host,
            repository=repository,
            tag=tag,
            digest=digest,
        )
        self._changed(repository)

    def outage(self, duration: float | str) -> None:
        """Refuse every request from now for ``duration`` (seconds or ``"2h"``)."""
        from simkit.durations import parse_duration

        seconds = parse_duration(duration)
        start = self._clock()
        self.outages.append((start, start + seconds))
        self._record("registry_outage", registry=self.host, duration=seconds)
        self._changed(None)

    def limit_rate(self, pulls: int, window: float | str, *, anonymous_only: bool = True) -> None:
        """Refuse more than ``pulls`` requests per ``window`` per client (``toomanyrequests``)."""
        from simkit.durations import parse_duration

        if pulls < 1:
            raise ValueError(f"limit_rate: pulls must be >= 1, got {pulls}")
        self._rate_limit = RateLimit(int(pulls), parse_duration(window), anonymous_only)
        self._changed(None)

    def available(self, at: float | None = None) -> bool:
        """Whether the registry answers at time ``at`` (default now)."""
        t = self._clock() if at is None else at
        return not any(start <= t < end for start, end in self.outages)

    def tags(self, repository: str) -> dict[str, str]:
        """The tags of ``repository`` and their digests."""
        return dict(self.repositories.get(repository, {}))

    def resolve(self, repository: str, reference: str, *, check: bool = False) -> RegistryImage:
        """The image ``reference`` (a tag or a digest) names in ``repository``.

        With ``check=True`` the registry's availability is checked first.
        """
        if check and not self.available():
            raise RegistryUnavailable(self.connection_refused())
        if ":" in reference:  # a digest (every "sha256:..." has one; no tag has)
            image = self.images.get(reference)
            if image is None or image.repository != repository:
                raise ManifestUnknown(f"{self.host}/{repository}@{reference}: manifest unknown")
            return image
        tags = self.repositories.get(repository)
        digest = None if tags is None else tags.get(reference)
        if digest is None:
            raise ManifestUnknown(f"{self.host}/{repository}:{reference}: manifest unknown")
        return self.images[digest]

    def connection_refused(self) -> str:
        """The error text of a request during an outage."""
        return (
            f'Get "https://{self.host}/v2/": dial tcp {self.host}:443: connect: connection refused'
        )

    def authenticate(self, credentials: tuple[str, str] | None) -> bool:
        """Whether ``(username, password)`` is accepted (any, or none, on a public registry)."""
        if not self.users:
            return True
        if credentials is None:
            return False
        username, password = credentials
        return self.users.get(username) == password and password is not None

    def fetch(
        self,
        repository: str,
        reference: str,
        *,
        refusal: str | None,
        credentials: tuple[str, str] | None = None,
        client: str = "anonymous",
        insecure_ok: bool = False,
    ) -> RegistryImage:
        """Serve a manifest request, or raise the :class:`RegistryError` a client would see.

        Checks, in order: outage, TLS, authentication, the client's rate limit, then the
        manifest itself.  Whether the request authenticates (here and at the token
        server) is ``refusal``, the answer of
        :func:`simkit.rules.pull_access.login_refusal` for its credentials: ``None``
        lets it in, a text is the ``unauthorized`` error.  ``credentials`` name the
        client for the rate limit.
        """
        if not self.available():
            raise RegistryUnavailable(self.connection_refused())
        if self.insecure and not insecure_ok:
            raise InsecureRegistry(
                f'Get "https://{self.host}/v2/": http: server gave HTTP response to HTTPS client'
            )
        if refusal is not None:
            raise Unauthorized(refusal)
        self._check_rate(client if credentials is None else f"user:{credentials[0]}", credentials)
        return self.resolve(repository, reference)

    def _check_rate(self, client: str, credentials: Any) -> None:
        limit = self.rate_limit
        if limit is None or (limit.anonymous_only and credentials is not None):
            return
        now = self._clock()
        window_start = now - limit.window
        recent = [t for t in self._client_requests.get(client, ()) if t > window_start]
        if len(recent) >= limit.pulls:
            self._client_requests[client] = recent
            raise TooManyRequests(
                f"toomanyrequests: You have reached your pull rate limit ({limit.pulls} per "
                f"{limit.window:g}s) at {self.host}"
            )
        recent.append(now)
        self._client_requests[client] = recent

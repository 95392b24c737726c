"""Whether a pull gets in: the credentials presented and what the registry accepts.

One rule for every place that asks: the kubelet's pulls (:mod:`simkit.pulling`), image
imports and the integrated registry's pull-through, and the predictions of
:meth:`simkit.Simulation.explain_pull` and :mod:`simkit.analysis`.  It reads state
(registries, their users, who a token belongs to, RBAC through ``may_pull``) and keeps
no clock: outages, TLS and rate limits are checked by the registry at request time.

Upstream:

* kubernetes ``pkg/kubelet/kuberuntime/kuberuntime_image.go`` ``PullImage``: with no
  credential for the image the runtime pulls anonymously; otherwise it tries each
  credential in order, the first success wins, the errors are aggregated, and there is
  no anonymous fallback.  The credentials and their order come from the keyring
  (``pkg/credentialprovider/keyring.go`` ``Lookup``, pod secrets before the node's
  ``config.json``: :mod:`simkit.credentials`).
* openshift/image-registry ``pkg/dockerregistry/server/auth.go``: the integrated
  registry takes the bearer token's identity (``system:anonymous`` without one) and
  allows the pull with a subject access review of ``get imagestreams/layers`` on the
  stream.
* OpenShift "Using image pull secrets", *Pulling from private registries with delegated
  authentication*: a registry whose token server is another host needs a pull secret
  for the registry and one for the token server.  simkit's token server: a declared
  registry at that host checks its own users; an undeclared one authenticates the
  delegating registry's own users (same user/password pairs).  A credential for the
  token server is looked up as ``<token server>/token``.

No result ever holds a password in its ``repr``/``str``: credentials are
:class:`~simkit.credentials.Credential` values, which hide it.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from simkit.credentials import Credential
from simkit.refs import InvalidReference, parse_image, parse_pull_spec
from simkit.rules.tags import latest_tagged_image
from simkit.state.images import ImageStream
from simkit.state.registries import DOCKER_HUB_ALIASES, Registry

__all__ = [
    "Attempt",
    "PullAccess",
    "PullPrediction",
    "StreamSource",
    "classify_target",
    "host_images",
    "decide_pull_access",
    "external_attempts",
    "integrated_identity",
    "login_refusal",
    "stream_source",
    "token_server_accepts",
]

Lookup = Callable[[str], Sequence[Credential]]
Pair = tuple[str, str]


def _pair(credential: Credential | None) -> Pair | None:
    return (credential.username, credential.password) if credential is not None else None


def token_server_accepts(
    registry: Registry, registries: Mapping[str, Registry], credential: Credential
) -> bool:
    """Whether ``registry``'s token server accepts ``credential``.

    A token server declared as a registry (``sim.registry(HOST, users=...)``) checks its
    own users; an undeclared one authenticates ``registry``'s users.

    Parameters
    ----------
    registry : Registry
        A registry with an ``auth_server``.
    registries : mapping
        Every declared registry by host.
    credential : Credential

    Returns
    -------
    bool

    Examples
    --------
    >>> from simkit.credentials import Credential
    >>> reg = Registry("r.example.com", clock=lambda: 0.0, record=lambda k, **f: None,
    ...                users={"me": "pw"}, auth_server="sso.example.com")
    >>> token_server_accepts(reg, {}, Credential("me", "pw", "sso.example.com"))
    True
    >>> sso = Registry("sso.example.com", clock=lambda: 0.0, record=lambda k, **f: None,
    ...                users={"me": "sso-pw"})
    >>> token_server_accepts(reg, {"sso.example.com": sso},
    ...                      Credential("me", "pw", "sso.example.com"))
    False
    """
    server = registries.get(registry.auth_server or "")
    checker = server if server is not None else registry
    return checker.authenticate(_pair(credential))


def login_refusal(
    registry: Registry,
    registries: Mapping[str, Registry],
    repository: str,
    credential: Credential | None,
    token_credentials: Sequence[Credential] = (),
) -> str | None:
    """The registry's answer to a request for ``repository`` presenting ``credential``.

    Parameters
    ----------
    registry : Registry
    registries : mapping
        Every declared registry by host (the token server may be one).
    repository : str
        ``team/app``: named in the error text.
    credential : Credential or None
        ``None`` for an anonymous request.
    token_credentials : sequence of Credential
        What the client has for the token server (used only when authentication is
        delegated): one accepted there is enough.

    Returns
    -------
    str or None
        ``None`` when the request is let in, else the registry's error text (no secret
        in it).

    Examples
    --------
    >>> from simkit.credentials import Credential
    >>> reg = Registry("r.example.com", clock=lambda: 0.0, record=lambda k, **f: None,
    ...                users={"me": "pw"}, auth_server="sso.example.com")
    >>> login_refusal(reg, {}, "a/b", None)
    'r.example.com/a/b: unauthorized: authentication required'
    >>> good = Credential("me", "pw", "r.example.com")
    >>> login_refusal(reg, {}, "a/b", good)
    'r.example.com/a/b: unauthorized: authentication required by token server sso.example.com'
    >>> login_refusal(reg, {}, "a/b", good, [Credential("me", "pw", "sso.example.com")]) is None
    True
    """
    # the error texts are only made for a refusal: most requests are let in
    if registry.users and not registry.authenticate(_pair(credential)):
        where = f"{registry.host}/{repository}"
        if credential is None:
            return f"{where}: unauthorized: authentication required"
        return f"{where}: unauthorized: incorrect username or password"
    if registry.auth_server and not any(
        token_server_accepts(registry, registries, c) for c in token_credentials
    ):
        where = f"{registry.host}/{repository}"
        return (
            f"{where}: unauthorized: authentication required by token server {registry.auth_server}"
        )
    return None


@dataclass(frozen=True, slots=True)
class Attempt:
    """One request of a pull: the credential presented and the registry's answer.

    Attributes
    ----------
    credential : Credential or None
        ``None``: anonymous (the keyring had nothing for the image).
    refusal : str or None
        ``None`` when let in, else the error text.
    """

    credential: Credential | None
    refusal: str | None

    @property
    def pair(self) -> Pair | None:
        """``(username, password)`` to present, or None (anonymous)."""
        return _pair(self.credential)

    @property
    def source(self) -> str:
        """Where the credential came from: ``secret:ns/name``, ``node`` or ``anonymous``.

        Examples
        --------
        >>> Attempt(None, None).source
        'anonymous'
        """
        if self.credential is None:
            return "anonymous"
        return self.credential.source or "node"

    @property
    def accepted(self) -> bool:
        """Whether the registry let this request in."""
        return self.refusal is None


def external_attempts(
    registry: Registry,
    registries: Mapping[str, Registry],
    image: str,
    repository: str,
    lookup: Lookup,
) -> tuple[Attempt, ...]:
    """The requests a client makes to ``registry`` for ``image``, in order, each answered.

    ``lookup(image)`` gives the credentials to try (none: one anonymous request); when
    the registry delegates authentication, ``lookup("<token server>/token")`` gives
    those for its token server.

    Parameters
    ----------
    registry : Registry
    registries : mapping
    image : str
        What to look credentials up for (a pull spec).
    repository : str
        The repository path on the registry.
    lookup : callable
        ``lookup(image) -> list of Credential``.

    Returns
    -------
    tuple of Attempt
        Never empty.

    Examples
    --------
    >>> reg = Registry("quay.io", clock=lambda: 0.0, record=lambda k, **f: None)
    >>> [a.source for a in external_attempts(reg, {}, "quay.io/a/b:1", "a/b", lambda i: [])]
    ['anonymous']
    """
    credentials: list[Credential] = list(lookup(image))
    token_credentials: list[Credential] = []
    if registry.auth_server:
        token_credentials = list(lookup(f"{registry.auth_server}/token"))
    if not credentials:
        # one anonymous request (every pull and import of a public image): let in, it is
        # always the same frozen value
        refusal = login_refusal(registry, registries, repository, None, token_credentials)
        return _ANONYMOUS_LET_IN if refusal is None else (Attempt(None, refusal),)
    return tuple(
        [
            Attempt(c, login_refusal(registry, registries, repository, c, token_credentials))
            for c in credentials
        ]
    )


_ANONYMOUS_LET_IN = (Attempt(None, None),)
"""The requests of a pull that finds no credential and is let in anonymously."""


def integrated_identity(
    credentials: Sequence[Credential], token_identity: Callable[[str], str | None]
) -> tuple[str, str]:
    """``(identity, source)`` the integrated registry authenticates a pull as.

    The first credential whose password is a token it knows; else ``system:anonymous``.

    Examples
    --------
    >>> from simkit.credentials import Credential
    >>> cred = Credential("serviceaccount", "t0k", "image-registry", source="secret:a/d")
    >>> integrated_identity([cred], {"t0k": "system:serviceaccount:a:default"}.get)
    ('system:serviceaccount:a:default', 'secret:a/d')
    >>> integrated_identity([], {}.get)
    ('system:anonymous', 'anonymous')
    """
    for credential in credentials:
        user = token_identity(credential.password)
        if user is not None:
            return user, credential.source
    return "system:anonymous", "anonymous"


@dataclass(frozen=True, slots=True)
class StreamSource:
    """Where the integrated registry gets the image a pull names.

    Attributes
    ----------
    digest : str or None
        The image the stream's tag (or the digest) resolves to.
    refusal : str or None
        Why there is nothing to serve (not found, no such source host ...), else None.
    upstream : Registry or None
        The source registry to pull through from; None when the registry holds the image.
    repository : str
        The repository on ``upstream``.
    attempts : tuple of Attempt
        The pull-through requests (the stream namespace's secrets), answered.
    """

    digest: str | None
    refusal: str | None
    upstream: Registry | None = None
    repository: str = ""
    attempts: tuple[Attempt, ...] = ()

    @property
    def failure(self) -> str | None:
        """Why the image cannot be served (pull-through refusals included), or None."""
        if self.refusal is not None:
            return self.refusal
        if self.upstream is not None and not any(a.accepted for a in self.attempts):
            last = self.attempts[-1].refusal if self.attempts else ""
            return f"manifest unknown: pull-through from {self.upstream.host} failed: {last}"
        return None


def stream_source(
    stream: ImageStream | None,
    reference: str,
    full: str,
    *,
    mirrored: Container[str],
    internal_registry: str,
    registries: Mapping[str, Registry],
    lookup: Lookup,
) -> StreamSource:
    """What the integrated registry serves for ``reference`` of ``stream``.

    The tag's newest event (or the event with that digest) names the image; the
    registry serves it if it holds it (``mirrored``), else pulls it through from the
    event's ``dockerImageReference`` with the stream namespace's secrets (``lookup``).

    Parameters
    ----------
    stream : ImageStream or None
    reference : str
        A tag or a ``sha256:`` digest.
    full : str
        The pulled image's full name, for error texts.
    mirrored : container of str
        Digests the integrated registry holds.
    internal_registry : str
    registries : mapping
    lookup : callable
        The stream namespace's credentials (:meth:`simkit.Simulation.namespace_lookup`).

    Returns
    -------
    StreamSource

    Examples
    --------
    >>> stream_source(None, "1", "x", mirrored=(), internal_registry="r", registries={},
    ...               lookup=lambda i: []).refusal
    'failed to resolve reference "x": x: not found'
    """
    not_found = f'failed to resolve reference "{full}": {full}: not found'
    if stream is None:
        return StreamSource(None, not_found)
    if reference.startswith("sha256:"):
        event = next(
            (e for h in stream.status_tags.values() for e in h.items if e.image == reference), None
        )
    else:
        event = latest_tagged_image(stream, reference)
    if event is None or not event.image:
        return StreamSource(None, not_found)
    digest = event.image
    if digest in mirrored:
        return StreamSource(digest, None)
    try:
        origin = parse_pull_spec(event.docker_image_reference).docker_client_defaults()
    except InvalidReference:
        return StreamSource(digest, "manifest unknown")
    host = origin.registry
    if host == internal_registry:
        return StreamSource(digest, "manifest unknown: pull-through from itself is not allowed")
    upstream = registries.get(host)
    if upstream is None:
        return StreamSource(digest, f"manifest unknown: lookup {host}: no such host")
    repository = "/".join(p for p in (origin.namespace, origin.name) if p)
    attempts = external_attempts(upstream, registries, f"{host}/{repository}", repository, lookup)
    return StreamSource(digest, None, upstream, repository, attempts)


Kind = Literal["external", "integrated", "unknown", "invalid"]


@dataclass(frozen=True, slots=True)
class PullAccess:
    """Whether a pull of ``image`` with given credentials is let in, and why.

    Attributes
    ----------
    image : str
        The image as asked for.
    host : str
        The registry host (``""`` for an invalid reference).
    kind : {"external", "integrated", "unknown", "invalid"}
        A declared external registry, the integrated registry, a host nobody declared, or
        a reference that does not parse.
    attempts : tuple of Attempt
        External: every request, in order.  Integrated: one, as ``identity``.
    identity : str or None
        Integrated registry: the user the pull is authorised as.
    target : str
        Integrated registry: ``ns/stream``.
    detail : str
        Why an unknown or invalid target is refused.
    source : StreamSource or None
        Integrated registry, access granted: where the image comes from (a refusal
        there refuses the pull too).
    """

    image: str
    host: str
    kind: Kind
    attempts: tuple[Attempt, ...] = ()
    identity: str | None = None
    target: str = ""
    detail: str = ""
    source: StreamSource | None = None

    @property
    def allowed(self) -> bool:
        """Whether some request is let in."""
        return any(a.accepted for a in self.attempts)

    @property
    def accepted(self) -> Attempt | None:
        """The first request let in (the kubelet's first success), or None."""
        return next((a for a in self.attempts if a.accepted), None)

    @property
    def error(self) -> str:
        """The refusal as the runtime reports it (aggregated when several), or ``""``."""
        if self.allowed:
            return ""
        if not self.attempts:
            return self.detail
        errors = [a.refusal or "" for a in self.attempts]
        return errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"

    def __str__(self) -> str:
        head = f"pull of {self.image}: {'allowed' if self.allowed else 'refused'}"
        if self.kind in ("unknown", "invalid"):
            return f"{head} ({self.detail})"
        if self.kind == "integrated":
            granted = self.source is not None or self.allowed
            how = "granted" if granted else "not granted"
            text = (
                f"{head}\n  integrated registry: as {self.identity}, get "
                f"imagestreams/layers on {self.target} is {how}"
            )
            failure = self.source.failure if self.source is not None else None
            if failure:
                text += f"\n  but the image cannot be served: {failure}"
            elif self.source is not None and self.source.upstream is not None:
                text += f"\n  pulled through from {self.source.upstream.host}"
            return text
        lines = [head]
        for attempt in self.attempts:
            key = f" (key {attempt.credential.registry})" if attempt.credential else ""
            verdict = "accepted" if attempt.accepted else f"refused: {attempt.refusal}"
            lines.append(f"  {attempt.source}{key}: {verdict}")
        return "\n".join(lines)


def decide_pull_access(
    image: str,
    lookup: Lookup,
    registries: Mapping[str, Registry],
    *,
    internal_registry: str,
    token_identity: Callable[[str], str | None],
    may_pull: Callable[[str, str], bool],
    streams: Callable[[str, str], ImageStream | None] | None = None,
    mirrored: Container[str] = (),
    namespace_lookup: Callable[[str], Lookup] | None = None,
) -> PullAccess:
    """Whether a pull of ``image`` with the credentials ``lookup`` finds is let in.

    Parameters
    ----------
    image : str
        The pod's image (normalised as the kubelet does).
    lookup : callable
        ``lookup(image)``: the credentials the kubelet's keyring has for an image, in
        order (pod secrets, then the node's ``config.json``).
    registries : mapping
        Every declared external registry by host.
    internal_registry : str
        The integrated registry's host.
    token_identity : callable
        ``token_identity(token)``: the user a bearer token belongs to, or None.
    may_pull : callable
        ``may_pull(user, "ns/stream")``: RBAC's answer to the registry's access review.
    streams : callable, optional
        ``streams(namespace, name)``: the image stream, to check that the integrated
        registry can serve the image (:func:`stream_source`); not checked without it.
    mirrored : container of str
        Digests the integrated registry holds.
    namespace_lookup : callable, optional
        ``namespace_lookup(namespace)``: the lookup of a namespace's secrets (for
        pull-through).

    Returns
    -------
    PullAccess

    Examples
    --------
    >>> reg = Registry("r.example.com", clock=lambda: 0.0, record=lambda k, **f: None,
    ...                users={"me": "pw"}, auth_server="sso.example.com")
    >>> access = decide_pull_access("r.example.com/a/b:1", lambda i: [], {reg.host: reg},
    ...     internal_registry="image-registry:5000", token_identity={}.get,
    ...     may_pull=lambda u, t: False)
    >>> access.allowed, access.error
    (False, 'r.example.com/a/b: unauthorized: authentication required')
    """
    try:
        ref = parse_image(image)
    except InvalidReference as exc:
        return PullAccess(image, "", "invalid", detail=f"invalid image reference: {exc}")
    host = DOCKER_HUB_ALIASES.get(ref.domain, ref.domain)
    if ref.domain == internal_registry:
        credentials = list(lookup(image))
        identity, source = integrated_identity(credentials, token_identity)
        parts = ref.path.split("/")
        if len(parts) != 2:
            return PullAccess(
                image,
                host,
                "integrated",
                identity=identity,
                detail=("name invalid: repository name must be <namespace>/<name>"),
            )
        target = "/".join(parts)
        refusal = (
            None
            if may_pull(identity, target)
            else (
                f'failed to resolve reference "{ref}": pull access denied, repository does not '
                "exist or may require authorization: authentication required"
            )
        )
        found = None
        if refusal is None and streams is not None:
            reference = ref.digest or ref.tag or "latest"
            found = stream_source(
                streams(parts[0], parts[1]),
                reference,
                str(ref),
                mirrored=mirrored,
                internal_registry=internal_registry,
                registries=registries,
                lookup=namespace_lookup(parts[0]) if namespace_lookup else (lambda i: []),
            )
            refusal = found.failure
        used = next((c for c in credentials if c.source == source), None)
        return PullAccess(
            image,
            host,
            "integrated",
            (Attempt(used, refusal),),
            identity=identity,
            target=target,
            source=found,
        )
    registry = registries.get(host)
    if registry is None:
        return PullAccess(image, host, "unknown", detail=f"lookup {host}: no such host")
    return PullAccess(
        image, host, "external", external_attempts(registry, registries, image, ref.path, lookup)
    )


TargetKind = Literal["stream", "registry", "image"]


def classify_target(target: str, registries: Mapping[str, Registry]) -> tuple[TargetKind, str]:
    """What an explain-pull target names: an image stream, a registry host, or an image.

    Parameters
    ----------
    target : str
        ``ns/stream`` (``:tag`` or ``@digest`` allowed) or ``imagestream:ns/stream``; a
        registry host (``quay.io``, ``registry:quay.io``); or an image pull spec whose
        first component is a host (``quay.io/acme/app:1``, the integrated registry's
        ``image-registry.openshift-image-registry.svc:5000/ns/stream:tag``).
    registries : mapping
        Declared registries (a declared host is a host even without a dot).

    Returns
    -------
    tuple
        ``(kind, value)``: the stream ``ns/stream[:tag]``, the host, or the image.

    Examples
    --------
    >>> classify_target("shared/ruby:3.1", {})
    ('stream', 'shared/ruby:3.1')
    >>> classify_target("registry:quay.io", {}), classify_target("quay.io", {})
    (('registry', 'quay.io'), ('registry', 'quay.io'))
    >>> classify_target("quay.io/acme/app:1", {})
    ('image', 'quay.io/acme/app:1')
    """
    if target.startswith("imagestream:"):
        return "stream", target[len("imagestream:") :]
    if target.startswith("registry:"):
        return "registry", DOCKER_HUB_ALIASES.get(target[9:], target[9:])
    if "/" not in target:
        return "registry", DOCKER_HUB_ALIASES.get(target, target)
    first = target.split("/", 1)[0]
    if first in registries or first == "localhost" or "." in first or ":" in first:
        return "image", target
    return "stream", target


def host_images(registry: Registry | None, host: str) -> list[str]:
    """The images a host-wide question is asked for: one per repository the registry
    holds (a key with a path covers only part of a host), or ``HOST/library/image``.

    Examples
    --------
    >>> host_images(None, "quay.io")
    ['quay.io/library/image']
    """
    repositories = sorted(registry.repositories) if registry is not None else []
    return [f"{host}/{r}" for r in repositories] or [f"{host}/library/image"]


@dataclass(frozen=True)
class PullPrediction:
    """What the kubelet will do when a subject's pods pull a registry host or an image.

    Attributes
    ----------
    subject : str
        ``system:serviceaccount:NS:NAME`` (its pull secrets, as a new pod gets them) or
        ``pod:NS/NAME`` (that pod's own pull secrets, on its node).
    target : str
        The host or image asked about.
    by_node : mapping
        Node name -> the :class:`PullAccess` of every image evaluated there (one per
        repository of the registry for a host; one for an image).
    note : str
        Why nothing was evaluated (a subject that runs no pods, a missing pod).
    """

    subject: str
    target: str
    by_node: Mapping[str, tuple[PullAccess, ...]]
    note: str = ""

    @property
    def allowed(self) -> bool:
        """Whether a pod of the subject gets the pull in on every node it may run on."""
        return bool(self.by_node) and all(
            a.allowed for accesses in self.by_node.values() for a in accesses
        )

    def allowed_on(self, node: str) -> bool:
        """Whether the pull gets in on ``node``.

        Examples
        --------
        >>> PullPrediction("alice", "quay.io", {}).allowed_on("worker-0")
        False
        """
        accesses = self.by_node.get(node, ())
        return bool(accesses) and all(a.allowed for a in accesses)

    def __str__(self) -> str:
        head = f'pods of "{self.subject}" pulling {self.target}'
        if self.note:
            return f"{head}: {self.note}"
        nodes = sorted(self.by_node)
        good = [n for n in nodes if self.allowed_on(n)]
        if len(good) == len(nodes):
            verdict = "allowed"
        elif good:
            verdict = "allowed on " + ", ".join(good) + " only"
        else:
            verdict = "refused"
        lines = [f"{head}: {verdict}"]
        groups: dict[str, list[str]] = {}
        for node in nodes:
            text = "\n".join(str(access) for access in self.by_node[node])
            groups.setdefault(text, []).append(node)
        for text, where in groups.items():
            if len(groups) > 1:
                lines.append("  on " + ", ".join(where) + ":")
            lines.extend("  " + line for line in text.splitlines())
        return "\n".join(lines)

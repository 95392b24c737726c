"""What happens on the wire when a node pulls an image: credentials, registries, pull-through.

The kubelet asks for an image with the credentials its keyring finds (pod secrets first,
then the node's ``config.json``, i.e. OpenShift's global pull secret).  With no
credentials it pulls anonymously; otherwise it tries each in order, the first success
wins, and there is no anonymous fallback (``kuberuntime_image.go PullImage``).

The integrated registry authorises a pull of ``<ns>/<stream>`` with a subject access
review of ``get imagestreams/layers`` on that stream for the token's identity
(``system:anonymous`` without one), serves images it holds, and pulls through from an
image's source with the stream namespace's secrets when it does not hold them yet,
mirroring them so later pulls no longer need the source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from simkit.credentials import Credential
from simkit.refs import InvalidReference, parse_image, parse_pull_spec
from simkit.state.registries import RegistryError

if TYPE_CHECKING:
    from simkit.simulation import Simulation

Lookup = Callable[[str], "list[Credential]"]

REGISTRY_ROUND_TRIP = 0.3
"""Seconds for the manifest requests of one pull (before any layer is downloaded)."""


class PullError(Exception):
    """A pull failed; the message is what the container runtime reports."""


@dataclass(frozen=True, slots=True)
class PullResult:
    """A successful pull: the digest, its size, and which credential (by source) worked."""

    digest: str
    size: int
    credential: str
    host: str
    pull_through: bool = False


def _failure(image: str, detail: str) -> PullError:
    return PullError(
        f'rpc error: code = Unknown desc = failed to pull and unpack image "{image}": {detail}'
    )


def pull_image(sim: Simulation, namespace: str, image: str, lookup: Lookup) -> PullResult:
    """Pull ``image`` for a pod in ``namespace``; ``lookup(image)`` gives the credentials
    the kubelet's keyring finds for an image, in order."""
    credentials = lookup(image)
    try:
        ref = parse_image(image)
    except InvalidReference as exc:
        raise PullError(f"Failed to apply default image tag {image!r}: {exc}") from None
    host = ref.domain
    full = str(ref)
    reference = ref.digest or ref.tag or "latest"
    if host == sim.config.internal_registry:
        return _pull_integrated(sim, full, ref.path, reference, credentials)
    registry = sim.registries.get(host)
    if registry is None:
        raise _failure(full, f'failed to resolve reference "{full}": failed to do request: '
                             f"Head \"https://{host}/v2/{ref.path}/manifests/{reference}\": "
                             f"dial tcp: lookup {host}: no such host")
    attempts = credentials or [None]
    errors = []
    for credential in attempts:
        pair = (credential.username, credential.password) if credential else None
        try:
            found = registry.fetch(
                ref.path, reference, credentials=pair,
                client=(credential.source or credential.registry) if credential
                else f"anonymous@{namespace}",
                authorize_delegate=lambda auth_host: _delegate_ok(sim, auth_host, lookup),
            )
        except RegistryError as exc:
            errors.append(str(exc))
            continue
        return PullResult(found.digest, found.size,
                          (credential.source or "node") if credential else "anonymous", host)
    if len(errors) == 1:
        raise _failure(full, errors[0])
    raise _failure(full, "[" + ", ".join(errors) + "]")


def _delegate_ok(sim: Simulation, auth_host: str, lookup: Lookup) -> bool:
    """Delegated authentication: some credential the keyring has for the token server is
    valid there (OpenShift needs a pull secret for both the registry and that server)."""
    auth = sim.registries.get(auth_host)
    if auth is None:
        return False
    for credential in lookup(f"{auth_host}/token"):
        if auth.authenticate((credential.username, credential.password)):
            return True
    return False


def _pull_integrated(
    sim: Simulation, full: str, path: str, reference: str, credentials: list[Credential]
) -> PullResult:
    """A pull from the integrated registry: authorise, resolve in the stream, pull through."""
    from simkit.rules.tags import latest_tagged_image

    parts = path.split("/")
    if len(parts) != 2:
        raise _failure(full, "name invalid: repository name must be <namespace>/<name>")
    namespace, stream_name = parts
    identity, source = "system:anonymous", "anonymous"
    for credential in credentials:
        user = sim.token_identity(credential.password)
        if user is not None:
            identity, source = user, credential.source
            break
    if not sim.can_pull(identity, f"{namespace}/{stream_name}"):
        raise _failure(full, f"failed to resolve reference \"{full}\": pull access denied, "
                             "repository does not exist or may require authorization: "
                             "authentication required")
    stream = sim.cluster.get("ImageStream", (namespace, stream_name))
    if stream is None:
        raise _failure(full, f'failed to resolve reference "{full}": {full}: not found')
    if reference.startswith("sha256:"):
        events = [e for h in stream.status_tags.values() for e in h.items if e.image == reference]
        event = events[0] if events else None
    else:
        event = latest_tagged_image(stream, reference)
    if event is None or not event.image:
        raise _failure(full, f'failed to resolve reference "{full}": {full}: not found')
    digest = event.image
    image = sim.cluster.get("Image", ("", digest))
    size = image.size if image is not None else 0
    if digest in sim.integrated_registry_blobs:
        return PullResult(digest, size, source, sim.config.internal_registry)
    try:
        origin = parse_pull_spec(event.docker_image_reference).docker_client_defaults()
    except InvalidReference:
        raise _failure(full, "manifest unknown") from None
    host = origin.registry
    if host == sim.config.internal_registry:
        raise _failure(full, "manifest unknown: pull-through from itself is not allowed")
    upstream = sim.registries.get(host)
    if upstream is None:
        raise _failure(full, f"manifest unknown: lookup {host}: no such host")
    repository = "/".join(p for p in (origin.namespace, origin.name) if p)
    errors = []
    for pair in sim.credentials_for(namespace, host) or [None]:
        try:
            found = upstream.fetch(repository, digest, credentials=pair,
                                   client=f"integrated-registry@{namespace}",
                                   insecure_ok=True)
        except RegistryError as exc:
            errors.append(str(exc))
            continue
        sim.integrated_registry_blobs.add(digest)
        sim.record("pull_through", namespace=namespace, stream=stream_name, digest=digest,
                   source=host)
        return PullResult(digest, found.size or size, source, sim.config.internal_registry,
                          pull_through=True)
    raise _failure(full, f"manifest unknown: pull-through from {host} failed: {errors[-1]}")

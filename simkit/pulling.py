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
from simkit.refs import InvalidReference, parse_image
from simkit.rules.pull_access import PullAccess
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
    the kubelet's keyring finds for an image, in order.

    Who gets in is :func:`simkit.rules.pull_access.decide_pull_access` (through
    :meth:`simkit.Simulation.decide_pull`), the rule the predictions use too; the
    registry then answers each request in that order (outage, TLS, the rule's verdict,
    rate limit, manifest), and the first success wins."""
    try:
        ref = parse_image(image)
    except InvalidReference as exc:
        raise PullError(f"Failed to apply default image tag {image!r}: {exc}") from None
    access = sim.decide_pull(image, lookup)
    host = ref.domain
    reference = ref.digest or ref.tag or "latest"
    if access.kind == "integrated":
        return _pull_integrated(sim, str(ref), reference, access)
    registry = sim.registries.get(host)
    if registry is None:
        full = str(ref)
        raise _failure(
            full,
            f'failed to resolve reference "{full}": failed to do request: '
            f'Head "https://{host}/v2/{ref.path}/manifests/{reference}": '
            f"dial tcp: lookup {host}: no such host",
        )
    errors = []
    for attempt in access.attempts:
        credential = attempt.credential
        try:
            found = registry.fetch(
                ref.path,
                reference,
                refusal=attempt.refusal,
                credentials=attempt.pair,
                client=(credential.source or credential.registry)
                if credential
                else f"anonymous@{namespace}",
            )
        except RegistryError as exc:
            errors.append(str(exc))
            continue
        return PullResult(found.digest, found.size, attempt.source, host)
    full = str(ref)  # the full name is only for the error text
    if len(errors) == 1:
        raise _failure(full, errors[0])
    raise _failure(full, "[" + ", ".join(errors) + "]")


def _pull_integrated(sim: Simulation, full: str, reference: str, access: PullAccess) -> PullResult:
    """A pull from the integrated registry: authorise, resolve in the stream, pull through
    (all decided by the rule, :attr:`PullAccess.source`; the source registry then answers
    each pull-through request)."""
    source = access.source
    if source is None:  # not authorised (or no <namespace>/<name> repository)
        raise _failure(full, access.error)
    if source.refusal is not None:
        raise _failure(full, source.refusal)
    via = access.attempts[0].source
    namespace, stream_name = access.target.split("/")
    digest = source.digest
    assert digest is not None  # stream_source names the image whenever it refuses nothing
    image = sim.cluster.get("Image", ("", digest))
    size = image.size if image is not None else 0
    upstream = source.upstream
    if upstream is None:
        return PullResult(digest, size, via, sim.config.internal_registry)
    errors = []
    for attempt in source.attempts:
        try:
            found = upstream.fetch(
                source.repository,
                digest,
                refusal=attempt.refusal,
                credentials=attempt.pair,
                client=f"integrated-registry@{namespace}",
                insecure_ok=True,
            )
        except RegistryError as exc:
            errors.append(str(exc))
            continue
        sim.integrated_registry_blobs.add(digest)
        sim.record(
            "pull_through",
            namespace=namespace,
            stream=stream_name,
            digest=digest,
            source=upstream.host,
        )
        return PullResult(
            digest, found.size or size, via, sim.config.internal_registry, pull_through=True
        )
    raise _failure(
        full, f"manifest unknown: pull-through from {upstream.host} failed: {errors[-1]}"
    )

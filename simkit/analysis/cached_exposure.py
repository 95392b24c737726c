"""KEP-2535 exposure: private images cached on nodes that pods without credentials could
run.

With ``imagePullPolicy: IfNotPresent`` (or ``Never``) the kubelet starts a container from
an image already on the node.  Before the ``KubeletEnsureSecretPulledImages`` gate, any
pod could so run a private image another pod had pulled with its secret.  With the gate
on, the kubelet keeps *pulled records* (which credentials pulled which image) and makes a
pod whose credentials do not match pull again (and the registry refuses it), unless the
verification policy exempts the image (``NeverVerify``; ``NeverVerifyAllowlistedImages``
for allowlisted names; ``NeverVerifyPreloadedImages`` only for images the kubelet did not
pull) or some pull was anonymous or used node credentials (the image is then node-wide).

The records are rebuilt from ``pull`` events with :func:`simkit.rules.secret_pulled_images
.record_pull` and judged with :func:`~simkit.rules.secret_pulled_images.must_attempt_pull`
for a pod with no pull secrets; the images are the nodes' stores now.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from simkit.analysis._frames import DOCKER_HUB_ALIASES, kind_rows
from simkit.events import PULL
from simkit.refs import InvalidReference, parse_image
from simkit.rules.secret_pulled_images import (
    PulledRecord,
    PullSecret,
    must_attempt_pull,
    record_pull,
)

if TYPE_CHECKING:
    from simkit.simulation import Simulation

__all__ = ["cached_exposure"]

COLUMNS = [
    "node",
    "digest",
    "names",
    "registry",
    "private",
    "pulled_with",
    "node_wide",
    "exposed",
    "reason",
]


def _credential(source: str):
    if source.startswith("secret:"):
        namespace, _, name = source[len("secret:") :].partition("/")
        return PullSecret(namespace, name, "")
    return None


def cached_exposure(sim: Simulation) -> pd.DataFrame:
    """Which private images on which nodes a pod without credentials could start from.

    Parameters
    ----------
    sim : Simulation
        Its nodes' image stores, its pull events, its registries (private or not) and
        its kubelet settings (``kubelet_ensure_secret_pulled_images``,
        ``image_pull_credentials_verification_policy``,
        ``preloaded_images_verification_allowlist``).

    Returns
    -------
    pandas.DataFrame
        One row per image on a node: ``node``, ``digest``, ``names`` (what it is stored
        under, comma-separated), ``registry``, ``private`` (the registry refuses
        anonymous pulls; the integrated registry counts as private), ``pulled_with`` (the
        credential sources of its pulls: ``secret:ns/name``, ``node``, ``anonymous``,
        ``token``), ``node_wide`` (some pull used no pod secret), ``exposed`` (a pod
        without credentials would run it without pulling) and ``reason``.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(seed=1, nodes=1, config=sk.Config(kubernetes_version="1.33"))
    >>> _ = sim.registry("registry.example.com", users={"bot": "pw"}).push("fin/pay", "4.2")
    >>> _ = sim.oc("create secret docker-registry pay --docker-server=registry.example.com "
    ...            "--docker-username=bot --docker-password=pw --docker-email=b@x")
    >>> _ = sim.run_pod("default", "registry.example.com/fin/pay:4.2",
    ...                 pull_policy="IfNotPresent", image_pull_secrets=["pay"])
    >>> sim.advance("1m")
    >>> row = cached_exposure(sim).iloc[0]
    >>> row["node"], bool(row["private"]), bool(row["exposed"]), row["pulled_with"]
    ('worker-0', True, True, 'secret:default/pay')
    >>> row["reason"]
    'gate off: a pod without credentials runs it cached'
    >>> sim = sk.Simulation(seed=1, nodes=1)  # 1.35: the gate is on by default
    >>> _ = sim.registry("registry.example.com", users={"bot": "pw"}).push("fin/pay", "4.2")
    >>> _ = sim.oc("create secret docker-registry pay --docker-server=registry.example.com "
    ...            "--docker-username=bot --docker-password=pw --docker-email=b@x")
    >>> _ = sim.run_pod("default", "registry.example.com/fin/pay:4.2",
    ...                 pull_policy="IfNotPresent", image_pull_secrets=["pay"])
    >>> sim.advance("1m")
    >>> cached_exposure(sim).iloc[0]["reason"]
    'NeverVerifyPreloadedImages: credentials verified, must pull'
    """
    config = sim.config
    gate = bool(config.kubelet_ensure_secret_pulled_images)
    policy = config.image_pull_credentials_verification_policy
    allowlist = config.preloaded_images_verification_allowlist
    pulls = kind_rows(sim, [PULL], ["node", "image", "decision", "digest", "credential"])
    pulls = pulls[pulls["decision"] == "pulled"]
    stores = {node: sim.cluster.get("Node", ("", node)) for node in sim.node_names}
    # Only images still in a node's store get a row: the pulls of images garbage-collected
    # since (most of a long run's) need no pulled record, source or name.
    cached = {(node, digest) for node, store in stores.items() if store for digest in store.images}
    records: dict[tuple[str, str], PulledRecord] = {}
    sources: dict[tuple[str, str], set[str]] = {}
    images: dict[tuple[str, str], str] = {}
    for node, image, digest, credential in pulls[
        ["node", "image", "digest", "credential"]
    ].itertuples(index=False):
        key = (node, digest)
        if key not in cached:
            continue
        source = str(credential or "anonymous")
        sources.setdefault(key, set()).add(source)
        images.setdefault(key, image)
        try:
            records[key] = record_pull(
                records.get(key), image, _credential(source), image_ref=digest
            )
        except InvalidReference:
            continue
    rows = []
    for node in sim.node_names:
        store = stores[node]  # the node's image store, in state
        assert store is not None  # a worker's Node is stored when it is added, never deleted
        for digest, stored in store.images.items():
            names = sorted(stored.names)
            pulled_as = images.get((node, digest))
            # an image whose names moved to a newer pull keeps the registry it came from
            host = _host(names + ([pulled_as] if pulled_as else []))
            registry = sim.registries.get(host)
            private = host == config.internal_registry or bool(registry and registry.private)
            used = sources.get((node, digest), set())
            node_wide = any(not s.startswith("secret:") for s in used)
            image = pulled_as or (names[0] if names else digest)
            if not private:
                exposed, reason = False, "public image"
            elif not gate:
                exposed, reason = True, "gate off: a pod without credentials runs it cached"
            elif node_wide:
                exposed, reason = True, "pulled with node credentials: node-wide"
            elif must_attempt_pull(
                policy,
                image,
                digest,
                records.get((node, digest)),
                (),
                None,
                allowlist,
                has_intent=(node, digest) in records,
            ):
                exposed, reason = False, f"{policy}: credentials verified, must pull"
            else:
                exposed, reason = True, f"{policy}: not verified"
            rows.append(
                (
                    node,
                    digest,
                    ",".join(names),
                    host,
                    private,
                    ",".join(sorted(used)),
                    node_wide,
                    exposed,
                    reason,
                )
            )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.astype({"private": bool, "node_wide": bool, "exposed": bool})


def _host(names: list[str]) -> str:
    for name in names:
        try:
            domain = parse_image(name).domain
        except InvalidReference:
            continue
        return DOCKER_HUB_ALIASES.get(domain, domain)
    return ""

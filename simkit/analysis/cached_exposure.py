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

import numpy as np
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
    # only successful pulls carry a credential: the far more numerous pulls of images
    # already present (every restart's) are never read
    pulls = kind_rows(
        sim, [PULL], ["node", "image", "decision", "digest", "credential"], having=["credential"]
    )
    pulls = pulls[pulls["decision"] == "pulled"]
    stores = {node: sim.cluster.get("Node", ("", node)) for node in sim.node_names}
    # Each stored image's pulls are found by sorted integer keys and read only while its
    # row is made (its sources, the name it was first pulled as, its pulled record only
    # if the row needs one): no dict of every image's record and sources is kept, which
    # was most of this helper's memory.  Only images still in a node's store get a row,
    # and only their pulls are read (a long run's pulls are mostly of images
    # garbage-collected since).
    pulls_of = _PullIndex(pulls)
    images, credentials = (pulls[c].to_numpy(dtype=object) for c in ("image", "credential"))
    del pulls
    columns: list[list[object]] = [[] for _ in COLUMNS]
    for node in sim.node_names:
        store = stores[node]  # the node's image store, in state
        assert store is not None  # a worker's Node is stored when it is added, never deleted
        digests = list(store.images)
        for digest, at in zip(digests, pulls_of.rows(node, digests), strict=True):
            stored = store.images[digest]
            names = sorted(stored.names)
            pulled_as = images[at[0]] if len(at) else None
            # an image whose names moved to a newer pull keeps the registry it came from
            host = _host(names + ([pulled_as] if pulled_as else []))
            registry = sim.registries.get(host)
            private = host == config.internal_registry or bool(registry and registry.private)
            used = {str(credentials[p] or "anonymous") for p in at}
            node_wide = any(not s.startswith("secret:") for s in used)
            image = pulled_as or (names[0] if names else digest)
            if not private:
                exposed, reason = False, "public image"
            elif not gate:
                exposed, reason = True, "gate off: a pod without credentials runs it cached"
            elif node_wide:
                exposed, reason = True, "pulled with node credentials: node-wide"
            else:
                record, recorded = _pulled_record(images, credentials, digest, at)
                if must_attempt_pull(
                    policy, image, digest, record, (), None, allowlist, has_intent=recorded
                ):
                    exposed, reason = False, f"{policy}: credentials verified, must pull"
                else:
                    exposed, reason = True, f"{policy}: not verified"
            row = (
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
            for column, value in zip(columns, row, strict=True):
                column.append(value)
    frame = pd.DataFrame(dict(zip(COLUMNS, columns, strict=True)))
    return frame.astype({"private": bool, "node_wide": bool, "exposed": bool})


class _PullIndex:
    """The positions of the pulls of each (node, digest), in log order, by integer keys
    (node code times the number of digests plus digest code) sorted once."""

    def __init__(self, pulls: pd.DataFrame) -> None:
        nodes, self._nodes = pd.factorize(pulls["node"].to_numpy(dtype=object))
        digests, self._digests = pd.factorize(pulls["digest"].to_numpy(dtype=object))
        width = len(self._digests)
        keys = np.where((nodes >= 0) & (digests >= 0), nodes.astype(np.int64) * width + digests, -1)
        self._order = np.argsort(keys, kind="stable")
        self._keys = keys[self._order]
        self._width = width
        self._node_code = {node: code for code, node in enumerate(self._nodes)}
        self._index = pd.Index(self._digests)  # its hash table built once, not per node

    def rows(self, node: str, digests: list[str]) -> list[np.ndarray]:
        """For each of ``digests`` on ``node``, the positions of its pulls, oldest first."""
        code = self._node_code.get(node)
        if code is None or not digests:
            return [self._order[:0]] * len(digests)
        found = self._index.get_indexer(np.array(digests, dtype=object))
        keys = np.where(found >= 0, code * self._width + found, -2)
        low = np.searchsorted(self._keys, keys, side="left")
        high = np.searchsorted(self._keys, keys, side="right")
        return [self._order[lo:hi] for lo, hi in zip(low.tolist(), high.tolist(), strict=True)]


def _pulled_record(
    images: np.ndarray, credentials: np.ndarray, digest: str, at: np.ndarray
) -> tuple[PulledRecord | None, bool]:
    """The kubelet's pulled record of an image after its pulls ``at``, and whether any
    pull recorded it (a pull whose name does not parse records nothing)."""
    record: PulledRecord | None = None
    recorded = False
    for position in at:
        source = str(credentials[position] or "anonymous")
        try:
            record = record_pull(record, images[position], _credential(source), image_ref=digest)
        except InvalidReference:
            continue
        recorded = True
    return record, recorded


def _host(names: list[str]) -> str:
    for name in names:
        try:
            domain = parse_image(name).domain
        except InvalidReference:
            continue
        return DOCKER_HUB_ALIASES.get(domain, domain)
    return ""

"""The kubelets: each node's image pulls, image store, backoff and garbage collection.

For each pod (and each container restart) the kubelet runs ``EnsureImageExists``
(``pkg/kubelet/images/image_manager.go``) through :mod:`simkit.rules.pull_decision`:
default tag, the pull policy against what the node holds under that name, KEP-2535
credential verification, the per pod+image backoff, then a pull through the node's
puller (serialized by default, or up to ``max_parallel_image_pulls`` at once) limited
by ``registryPullQPS``/``registryBurst``.  A failed sync is retried by the pod worker
after 10-15 s (``backOffPeriod`` with jitter 0.5), which is what turns ``ErrImagePull``
into ``ImagePullBackOff`` while the image backoff (10 s doubling to 300 s) runs.

Every decision is a ``pull`` event with pod, node, image, policy, decision, digest,
credential source (never the credential), bytes and latency; a finished pull adds its
time without the wait for a puller slot and the image's size, which the kubelet's
``Successfully pulled image`` event prints (:mod:`simkit.oc.kube_events`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from simkit.pulling import REGISTRY_ROUND_TRIP, PullError, pull_image
from simkit.refs import InvalidReference, apply_default_tag, parse_image
from simkit.rules import pull_decision
from simkit.rules.backoff import Backoff
from simkit.rules.secret_pulled_images import (
    PulledRecord,
    PullSecret,
    must_attempt_pull,
    record_pull,
)
from simkit.state.nodes import Node
from simkit.state.workloads import (
    ERR_IMAGE_NEVER_PULL,
    ERR_IMAGE_PULL,
    IMAGE_PULL_BACKOFF,
    INVALID_IMAGE_NAME,
    RUNNING,
    TERMINATED,
    Pod,
)

if TYPE_CHECKING:
    from simkit.engine import Timer
    from simkit.simulation import Simulation

WORKER_BACKOFF = 10.0
"""``backOffPeriod`` of the pod workers: a failed sync is retried after 10-15 s."""

GC_HIGH, GC_LOW = 0.85, 0.80
"""``imageGCHighThresholdPercent`` and ``imageGCLowThresholdPercent``."""


_NOT_PULLED = {
    "never_pull": ("never", ERR_IMAGE_NEVER_PULL, True),
    "backoff": ("backoff", IMAGE_PULL_BACKOFF, True),
    "invalid": ("invalid", INVALID_IMAGE_NAME, False),
}
"""Decision actions that neither use an image nor pull: the pull event's decision, the
pod status, and whether the pod worker retries."""


def runtime_name(spec: str) -> str:
    """The name the kubelet asks the runtime for: ``str(parse_image(apply_default_tag(spec)))``.

    A new pod's image is a text no parser has seen yet (a new digest): each memoised
    layer of that chain misses.  An image with a digest, or whose text ends with its
    tag, is its own default-tagged form (``apply_default_tag`` returns it unchanged), so
    one parse gives the name; anything else (no tag, or a text that does not parse)
    takes the chain itself, which also raises ``apply_default_tag``'s error.

    Parameters
    ----------
    spec : str
        ``containers[].image``.

    Returns
    -------
    str

    Raises
    ------
    InvalidReference
        As :func:`~simkit.refs.apply_default_tag` raises it.

    Examples
    --------
    >>> runtime_name("busybox"), runtime_name("quay.io/a/b:1")
    ('docker.io/library/busybox:latest', 'quay.io/a/b:1')
    """
    try:
        ref = parse_image(spec)
    except InvalidReference:
        ref = None
    if ref is not None and (ref.digest or (ref.tag and spec.endswith(":" + ref.tag))):
        return str(ref)
    return str(parse_image(apply_default_tag(spec)))


@dataclass(slots=True)
class _NodeState:
    node: Node
    qps: pull_decision.PullQPS
    queue: deque = field(default_factory=deque)
    active: int = 0
    records: dict[str, PulledRecord] = field(default_factory=dict)
    pods: dict[tuple[str, str], Pod] = field(default_factory=dict)


class NodesByPodCount:
    """The nodes grouped by how many pods each holds, for the scheduler's fewest-pods rule.

    Nodes are numbered by their place in ``names`` (``sim.node_names``), so a group sorts
    into that order.  :class:`Kubelets` calls :meth:`set` wherever a node's pod dict
    changes (admit, forget, a node added or replaced): those are the only writers of
    ``_NodeState.pods``.  Readiness is not kept here; the scheduler reads it live.

    Parameters
    ----------
    names
        The node names, in scheduling order; every node starts with no pods.

    Examples
    --------
    >>> groups = NodesByPodCount(["a", "b", "c"])
    >>> groups.set("a", 2)
    >>> groups.set("c", 1)
    >>> list(groups.ascending())
    [[1], [2], [0]]
    """

    def __init__(self, names: list[str]) -> None:
        self.position = {name: i for i, name in enumerate(names)}
        self.count = [0] * len(names)
        self.groups: dict[int, set[int]] = {0: set(range(len(names)))} if names else {}

    def set(self, name: str, count: int) -> None:
        """Node ``name`` now holds ``count`` pods (a name not scheduled onto is ignored)."""
        i = self.position.get(name)
        if i is None or self.count[i] == count:
            return
        old = self.count[i]
        group = self.groups[old]
        group.discard(i)
        if not group:
            del self.groups[old]
        target = self.groups.get(count)
        if target is None:  # (setdefault would make a set on every call)
            self.groups[count] = {i}
        else:
            target.add(i)
        self.count[i] = count

    def ascending(self) -> Iterator[list[int]]:
        """The groups' node numbers, sorted, from the fewest pods up."""
        for count in sorted(self.groups):
            yield sorted(self.groups[count])


class Kubelets:
    """All nodes' kubelets; pods arrive through :meth:`admit`."""

    def __init__(self, sim: Simulation) -> None:
        self.sim = sim
        config = sim.config
        self.backoff = Backoff(config.image_backoff_initial, config.image_backoff_max)
        self.nodes: dict[str, _NodeState] = {}
        self.by_pod_count = NodesByPodCount(sim.node_names)
        self.parallel = pull_decision.parallel_pull_limit(
            config.serialize_image_pulls, config.max_parallel_image_pulls
        )
        for name in sim.node_names:
            self.add_node(name)
        self._timers: dict[tuple[str, str], Timer] = {}
        self._last_error: dict[str, str] = {}
        # pod key -> (image text, its runtime_name): made by the pod's first sync for its
        # restarts (_sync), dropped with the pod (forget)
        self._names: dict[tuple[str, str], tuple[str, str]] = {}

    # -- nodes --------------------------------------------------------------------------
    def add_node(self, name: str) -> Node:
        """A new ready node with an empty image store."""
        config = self.sim.config
        node = Node(name, disk_capacity=config.node_disk_capacity, bandwidth=config.node_bandwidth)
        self.nodes[name] = _NodeState(
            node, qps=pull_decision.PullQPS(config.registry_pull_qps, config.registry_burst)
        )
        self.by_pod_count.set(name, 0)  # a replaced node's pods go with its old state
        with self.sim.transaction() as tx:
            tx.put("Node", node.key, node)
        return node

    def node(self, name: str) -> Node:
        """The node called ``name``."""
        return self.nodes[name].node

    def pod_counts(self) -> dict[str, int]:
        """Pods per node."""
        return {name: len(state.pods) for name, state in self.nodes.items()}

    # -- pods ---------------------------------------------------------------------------
    def admit(self, pod: Pod) -> None:
        """A pod was bound to ``pod.node``: sync it shortly."""
        assert pod.node is not None  # only bound pods are admitted
        state = self.nodes[pod.node]
        state.pods[pod.key] = pod
        self.by_pod_count.set(pod.node, len(state.pods))
        if not state.node.ready:
            return
        self._sync_later(pod, 1.0)

    def forget(self, pod: Pod) -> None:
        """The pod is gone: stop syncing it."""
        key = (pod.namespace, pod.name)
        state = self.nodes.get(pod.node or "")
        if state is not None:
            state.pods.pop(key, None)
            self.by_pod_count.set(pod.node or "", len(state.pods))
        self._names.pop(key, None)
        timer = self._timers.pop(key, None)
        if timer is not None:
            timer.cancel()
        pod.status = TERMINATED if pod.status == RUNNING else pod.status

    def restart(self, pod: Pod) -> None:
        """The container restarts: the kubelet ensures its image again (policy applies)."""
        node = pod.node
        if node is None or (pod.namespace, pod.name) not in self.nodes[node].pods:
            return
        pod.restarts += 1
        self.sim.record(
            "container_restart",
            namespace=pod.namespace,
            pod=pod.name,
            node=node,
            restarts=pod.restarts,
        )
        self._sync(pod)

    def _sync_later(self, pod: Pod, delay: float) -> None:
        key = pod.key
        previous = self._timers.get(key)
        if previous is not None:
            previous.cancel()
        self._timers[key] = self.sim.engine.after(delay, self._sync, pod)

    def _retry(self, pod: Pod) -> None:
        jitter = float(self.sim.rng.random()) * 0.5 * WORKER_BACKOFF
        self._sync_later(pod, WORKER_BACKOFF + jitter)

    def _set_status(self, pod: Pod, status: str, message: str = "") -> None:
        if pod.status == status and pod.message == message:
            return
        pod.status, pod.message = status, message
        sim = self.sim
        sim.record(
            "pod_status",
            namespace=pod.namespace,
            pod=pod.name,
            node=pod.node,
            status=status,
            image=pod.image,
            digest=pod.image_digest,
        )
        if status == RUNNING:
            sim.workload_controller.pod_running(pod)

    def _pull_event(self, pod: Pod, decision: str, /, **fields) -> None:
        # pod and decision positional-only: CPython 3.11 compares every keyword bound
        # for **fields with each named parameter by string when the pointer check fails
        self.sim.record(
            "pull",
            namespace=pod.namespace,
            pod=pod.name,
            node=pod.node,
            image=pod.image,
            policy=pod.pull_policy,
            decision=decision,
            **fields,
        )

    def _sync(self, pod: Pod) -> None:
        """``EnsureImageExists`` for the pod's container, then start it or report why not."""
        pod_key = pod.key
        self._timers.pop(pod_key, None)
        state = self.nodes.get(pod.node or "")
        if state is None or pod_key not in state.pods or not state.node.ready:
            return
        sim = self.sim
        config = sim.config
        now = sim.engine.now
        node = state.node
        spec = pod.image
        # Every restart syncs its pod's image again: the runtime name (a function of the
        # text alone) found by its first sync is kept for it, which saves the parse
        # memo's layers and the rebuilt text, and is the very string the node's store
        # was keyed with by the pull.
        known = self._names.get(pod_key)
        if known is not None and known[0] == spec:
            name = known[1]
        else:
            try:
                name = runtime_name(spec)
            except InvalidReference as exc:
                self._pull_event(pod, "invalid", error=str(exc))
                self._set_status(
                    pod, INVALID_IMAGE_NAME, f'Failed to apply default image tag "{spec}": {exc}'
                )
                return
            self._names[pod_key] = (spec, name)
        policy = pod.pull_policy
        present = node.lookup(name) if policy != "Always" else None
        # None only until Config.__post_init__ defaults it from the Kubernetes version
        gate = bool(config.kubelet_ensure_secret_pulled_images)
        must_pull = None
        if present is not None and gate:
            digest = present.digest
            record = state.records.get(digest)
            must_pull = must_attempt_pull(
                config.image_pull_credentials_verification_policy,
                spec,
                digest,
                record,
                # lazy: most checks decide before they look at the pod's secrets
                self._pod_secret_identities(pod),
                None,
                config.preloaded_images_verification_allowlist,
                has_intent=record is not None,
            )
        key = f"{pod.uid}_{spec}"
        in_backoff = self.backoff.is_in_backoff_since_update(key, now)
        # The usual outcomes (use the present image, pull) need none of the decision's
        # text: quick_action gives decide's action for them without building it (the
        # image parsed above, so decide would not find it invalid; present as decide
        # sees it: a non-empty runtime reference).
        has_ref = present is not None and present.digest != ""
        action: str | None = pull_decision.quick_action(
            policy, has_ref, gate, must_pull, in_backoff
        )
        if action is None:
            decision = pull_decision.decide(
                spec,
                policy,
                present.digest if present else None,
                gate_enabled=gate,
                must_attempt_pull=must_pull,
                in_backoff=in_backoff,
                last_error=self._last_error.get(key),
                pod_uid=pod.uid,
            )
            action = decision.action
            if action in _NOT_PULLED:
                self._not_pulled(pod, action, decision.message)
                return
        if action == "use_present":
            assert present is not None  # the decision uses an image only if one is present
            digest = present.digest
            present.last_used = now
            pod.image_digest = digest
            self._pull_event(pod, "cached", digest=digest, latency=0.0, bytes=0)
            self._start(pod, digest)
        else:
            if not state.qps.try_accept(now):
                self.backoff.next(key, now)
                self._last_error[key] = f"{ERR_IMAGE_PULL}: {pull_decision.PULL_QPS_EXCEEDED}"
                self._pull_event(pod, "refused", error=pull_decision.PULL_QPS_EXCEEDED)
                self._set_status(pod, ERR_IMAGE_PULL, pull_decision.PULL_QPS_EXCEEDED)
                self._retry(pod)
                return
            state.queue.append((pod, name, key, now))
            self._drain(state)

    def _not_pulled(self, pod: Pod, action: str, message: str) -> None:
        """A decision neither to use a present image nor to pull: say why (and retry)."""
        decision, status, retry = _NOT_PULLED[action]
        self._pull_event(pod, decision, error=message)
        self._set_status(pod, status, message)
        if retry:
            self._retry(pod)

    def _pod_secret_identities(self, pod: Pod) -> Iterator[PullSecret]:
        """The pod's existing pull secrets as KEP-2535 identities, made as they are read.

        A generator, so that a check that decides without the pod's secrets (the usual
        case: the image was pulled with node credentials) never fingerprints them; the
        secrets are read during the same :func:`must_attempt_pull` call either way.
        """
        cluster = self.sim.cluster
        for secret_name in pod.image_pull_secrets:
            secret = cluster.get("Secret", (pod.namespace, secret_name))
            if secret is not None:
                yield PullSecret(
                    secret.namespace,
                    secret.name,
                    secret.uid,
                    self.sim.secret_fingerprint(secret),
                )

    def _credential_record(self, source: str):
        """The KEP-2535 credential of a successful pull: the pod secret, or None (node-wide)."""
        if not source.startswith("secret:"):
            return None
        namespace, _, name = source[len("secret:") :].partition("/")
        secret = self.sim.cluster.get("Secret", (namespace, name))
        if secret is None:
            return None
        return PullSecret(namespace, name, secret.uid, self.sim.secret_fingerprint(secret))

    # -- the puller ---------------------------------------------------------------------
    def _drain(self, state: _NodeState) -> None:
        while state.queue and (self.parallel is None or state.active < self.parallel):
            pod, name, key, queued = state.queue.popleft()
            if pod.key not in state.pods:
                continue
            state.active += 1
            self._pull(state, pod, name, key, queued)

    def _pull(self, state: _NodeState, pod: Pod, name: str, key: str, queued: float) -> None:
        sim = self.sim
        lookup = sim.pod_keyring_lookup(pod)
        try:
            result = pull_image(sim, pod.namespace, pod.image, lookup)
        except PullError as exc:
            sim.engine.after(
                REGISTRY_ROUND_TRIP, self._pull_failed, state, pod, key, str(exc), queued
            )
            return
        node = state.node
        have = result.digest in node.images
        transfer = 0 if have else result.size
        duration = REGISTRY_ROUND_TRIP + transfer / node.bandwidth
        engine = sim.engine
        engine.after(
            duration, self._pull_done, state, pod, name, key, result, transfer, queued, engine.now
        )

    def _pull_failed(
        self, state: _NodeState, pod: Pod, key: str, error: str, queued: float
    ) -> None:
        state.active -= 1
        now = self.sim.now
        self.backoff.next(key, now)
        reason = pull_decision.classify_pull_error(error)
        self._last_error[key] = f"{reason}: {error}"
        self._pull_event(pod, "failed", error=error, latency=now - queued)
        if pod.key in state.pods:
            self._set_status(pod, ERR_IMAGE_PULL if reason == ERR_IMAGE_PULL else reason, error)
            self._retry(pod)
        self._drain(state)

    def _pull_done(
        self,
        state: _NodeState,
        pod: Pod,
        name: str,
        key: str,
        result,
        transfer: int,
        queued: float,
        started: float,
    ) -> None:
        state.active -= 1
        now = self.sim.engine.now
        node = state.node
        node.store(name, result.digest, result.size, now)
        state.records[result.digest] = record_pull(
            state.records.get(result.digest),
            pod.image,
            self._credential_record(result.credential),
            image_ref=result.digest,
            now=now,
        )
        self._last_error.pop(key, None)
        self.backoff.gc(now)
        # pull_seconds (without the wait for a puller slot) and size (the image's, as
        # GetImageSize reports it) make the kubelet's ``Successfully pulled image`` message
        self._pull_event(
            pod,
            "pulled",
            digest=result.digest,
            credential=result.credential,
            bytes=transfer,
            latency=now - queued,
            pull_through=result.pull_through,
            pull_seconds=now - started,
            size=result.size,
        )
        if pod.key in state.pods:
            pod.image_digest = result.digest
            self._start(pod, result.digest)
        self._collect_garbage(state)
        self._drain(state)

    def _start(self, pod: Pod, digest: str) -> None:
        if pod.started is None:
            pod.started = self.sim.engine.now
        if pod.status == RUNNING and not pod.message:
            return  # a restart of a running container: _set_status would change nothing
        self._set_status(pod, RUNNING)

    # -- image garbage collection -------------------------------------------------------
    def _collect_garbage(self, state: _NodeState) -> None:
        """Free least recently used unused images when the disk is over 85 %, down to 80 %."""
        node = state.node
        used = node.disk_used
        if used <= GC_HIGH * node.disk_capacity:
            return
        in_use = {p.image_digest for p in state.pods.values() if p.status == RUNNING}
        freed = 0
        for image in sorted(node.images.values(), key=lambda i: i.last_used):
            if used - freed <= GC_LOW * node.disk_capacity:
                break
            if image.digest in in_use:
                continue
            freed += node.remove(image.digest)
            state.records.pop(image.digest, None)
        self.sim.record("image_gc", node=node.name, freed=freed, used=used - freed)

    # -- faults -------------------------------------------------------------------------
    def lose_node(self, name: str) -> list[Pod]:
        """The node is gone: its pods are lost (controllers replace theirs)."""
        state = self.nodes[name]
        state.node.ready = False
        lost = list(state.pods.values())
        self.sim.record("node_lost", node=name, pods=len(lost))
        for pod in lost:
            self.sim.pod_controller.delete(pod, reason="node lost")
            self.sim.workload_controller.replace_lost(pod)
        return lost

    def replace_node(self, name: str) -> Node:
        """A fresh node under the same name: ready, with an empty image store."""
        self.sim.record("node_replaced", node=name)
        return self.add_node(name)

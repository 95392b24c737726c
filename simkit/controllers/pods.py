"""Pod creation: ServiceAccount admission, pull-policy defaulting and scheduling.

Restates Kubernetes ``plugin/pkg/admission/serviceaccount/admission.go``: an empty
service account becomes ``default``; a missing account is looked up again (10 attempts
100-199 ms apart for ``default``, once for others) and then the pod is refused with 403
Forbidden; the account's ``imagePullSecrets`` are copied into the pod only if the pod
lists none, once, at creation.  ``SetDefaults_Container`` picks the pull policy.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

from simkit.apiserver.admission import service_account_lookup_error
from simkit.refs import default_pull_policy
from simkit.state.workloads import FORBIDDEN, Pod

if TYPE_CHECKING:
    from simkit.simulation import Simulation

DEFAULT_SA_ATTEMPTS = 10
"""Live GETs of a missing ``default`` service account before the pod is refused."""

VALID_POLICIES = ("Always", "IfNotPresent", "Never")
_NAME_CHARS = re.compile(r"[^a-z0-9-]+")


class PodController:
    """Admits, defaults and schedules pods, then hands them to their node's kubelet."""

    def __init__(self, sim: Simulation) -> None:
        self.sim = sim
        self._count = 0
        self.rejected: list[Pod] = []
        # Every rollout names and identifies a pod: the seed's text and each base's
        # sanitized form are made once (same strings, so the same hashes and names).
        self._seed = f"{sim.seed}/"
        self._bases: dict[str, str] = {}

    def _uid(self, namespace: str, name: str) -> str:
        self._count += 1
        text = f"{self._seed}{namespace}/{name}/{self._count}"
        h = hashlib.sha256(text.encode()).hexdigest()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"

    def pod_name(self, base: str) -> str:
        """A pod name from ``base`` plus a 5-character suffix, like generateName."""
        self._count += 1
        suffix = hashlib.sha256(f"{self._seed}{base}/{self._count}".encode()).hexdigest()[:5]
        clean = self._bases.get(base)
        if clean is None:
            clean = _NAME_CHARS.sub("-", base.lower()).strip("-")[:50] or "pod"
            self._bases[base] = clean
        return f"{clean}-{suffix}"

    def create(
        self,
        namespace: str,
        image: str,
        *,
        name: str | None = None,
        pull_policy: str | None = None,
        service_account: str = "default",
        node: str | None = None,
        image_pull_secrets: list[str] | None = None,
        owner: str = "",
    ) -> Pod:
        """Create a pod now; admission finishes within ~2 s of simulated time."""
        if self.sim.cluster.get("Project", ("", namespace)) is None:
            raise ValueError(f'namespaces "{namespace}" not found')
        if pull_policy is not None and pull_policy not in VALID_POLICIES:
            raise ValueError(
                f'spec.containers[0].imagePullPolicy: Unsupported value: "{pull_policy}": '
                'supported values: "Always", "IfNotPresent", "Never"'
            )
        if node is not None and node not in self.sim.node_names:
            raise ValueError(f'nodes "{node}" not found')
        if not image:
            raise ValueError("spec.containers[0].image: Required value")
        if not name:
            name = self.pod_name(image.rsplit("/", 1)[-1].split("@")[0].split(":")[0])
        resolved = self._lookup_local(namespace, image)
        policy = pull_policy or default_pull_policy(image)
        # Pod's fields in their order, positionally: keywords cost ~0.25 us a pod.  The
        # uid takes the next count after the image is resolved, as it always did.
        pod = Pod(
            namespace,
            name,
            resolved,
            policy,
            self._uid(namespace, name),
            service_account or "default",
            list(image_pull_secrets or ()),
            node,
            self.sim.engine.now,
            owner=owner,
        )
        self._admit(pod, 1)
        return pod

    def _lookup_local(self, namespace: str, image: str) -> str:
        """``lookupPolicy.local``: a short ``stream:tag`` naming a local stream is resolved.

        openshift-apiserver's image policy admission (``imageResolutionCache.
        resolveImageStreamTag``): a tag that points at an image becomes that image by
        digest (reference policy applied); a tag that points at nothing yet becomes the
        stream's own repository in the integrated registry with the tag, so the pod
        never pulls the name from docker.io.
        """
        if "/" in image or "@" in image:
            return image
        stream_name, _, tag = image.partition(":")
        stream = self.sim.cluster.get("ImageStream", (namespace, stream_name))
        if stream is None or not stream.lookup_local:
            return image
        try:
            return self.sim.pull_spec(f"{namespace}/{stream_name}:{tag or 'latest'}")
        except LookupError:
            repository = stream.docker_image_repository
            return f"{repository}:{tag or 'latest'}" if repository else image

    def _admit(self, pod: Pod, attempt: int) -> None:
        sim = self.sim
        account = sim.cluster.get("ServiceAccount", (pod.namespace, pod.service_account))
        if account is None:
            limit = DEFAULT_SA_ATTEMPTS if pod.service_account == "default" else 1
            if attempt < limit:
                wait = 0.1 + float(sim.rng.integers(0, 100)) / 1000.0
                sim.engine.after(wait, self._admit, pod, attempt + 1)
                return
            pod.status = FORBIDDEN
            pod.message = service_account_lookup_error(pod.namespace, pod.service_account)
            self.rejected.append(pod)
            sim.record(
                "pod_rejected",
                namespace=pod.namespace,
                pod=pod.name,
                reason="Forbidden",
                service_account=pod.service_account,
                owner=pod.owner or None,
            )
            if pod.owner:  # its ReplicaSet/ReplicationController will try again
                sim.workload_controller.pod_refused(pod)
            return
        if not pod.image_pull_secrets:
            pod.image_pull_secrets = list(account.image_pull_secrets)
        if pod.node is None:
            pod.node = self._schedule()
        with sim.transaction() as tx:
            tx.put("Pod", (pod.namespace, pod.name), pod)
            tx.record(
                "pod_created",
                namespace=pod.namespace,
                pod=pod.name,
                node=pod.node,
                image=pod.image,
                policy=pod.pull_policy,
                owner=pod.owner or None,
                uid=pod.uid,
                pull_secrets=len(pod.image_pull_secrets),
                service_account=pod.service_account,
            )
        sim.kubelet.admit(pod)

    def _schedule(self) -> str:
        """The ready node with the fewest pods (ties broken by the seeded generator)."""
        sim = self.sim
        kubelet = sim.kubelet
        nodes = kubelet.nodes
        names = sim.node_names
        # This runs for every pod created, so it does not count every node's pods: the
        # kubelet keeps the nodes grouped by pod count (set wherever a pod dict changes).
        # Readiness is read live, only for the groups walked from the fewest pods up: the
        # first group with a ready node holds the plain rule's minimum, and its ready
        # nodes, in node_names order, are the plain rule's candidates for the one draw.
        for group in kubelet.by_pod_count.ascending():
            candidates = [names[i] for i in group if nodes[names[i]].node.ready]
            if len(candidates) > 1:
                return candidates[int(sim.rng.integers(len(candidates)))]
            if candidates:
                # integers(1) is 0 and draws nothing (numpy returns the low bound of an
                # empty range without touching the bit generator): the generator's
                # state and the answer are those of the plain rule, minus a ~3 us call
                return candidates[0]
        return names[0]

    def delete(self, pod: Pod, reason: str = "deleted") -> None:
        """Delete a pod (a controller scaled down, rolled out, or the user deleted it)."""
        key = (pod.namespace, pod.name)
        with self.sim.transaction() as tx:
            if tx.get("Pod", key) is None:
                return
            tx.delete("Pod", key)
            tx.record(
                "pod_deleted",
                namespace=pod.namespace,
                pod=pod.name,
                node=pod.node,
                reason=reason,
                owner=pod.owner or None,
            )
        self.sim.kubelet.forget(pod)

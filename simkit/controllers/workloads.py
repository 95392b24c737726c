"""Deployments and DeploymentConfigs, and the image trigger controller that updates them.

A rollout creates ``replicas`` pods from the template and removes the previous
revision's pods once every new pod runs (so a rollout that cannot pull keeps the old
pods serving, as a rolling update with ``maxUnavailable: 0`` would).  The trigger
controller watches image streams: when a tag that a workload follows points at a new
image, it sets the container image (``image.openshift.io/triggers`` for Deployments,
``ImageChange`` triggers for DeploymentConfigs, which also wait for every trigger to
have fired before their first rollout).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simkit.rules.tags import latest_tagged_image, resolve_reference_for_tag_event
from simkit.rules.triggers import (
    deployment_config_image,
    deployment_image,
    has_last_triggered_image,
)
from simkit.state.workloads import FORBIDDEN, RUNNING, Pod, Workload

if TYPE_CHECKING:
    from simkit.simulation import Simulation

DEPLOYMENT = "Deployment"
DEPLOYMENT_CONFIG = "DeploymentConfig"

TRIGGER_DELAY = 1.0
"""Seconds between an image stream change and the trigger controller's update."""

RETRY_BASE = 0.005
RETRY_MAX = 1000.0
"""A refused pod creation is retried after ``RETRY_BASE * 2**failures`` seconds, at most
``RETRY_MAX`` (client-go ``workqueue.DefaultControllerRateLimiter``, which the
ReplicaSet and ReplicationController controllers requeue with)."""


class WorkloadController:
    """Rolls out Deployments and DeploymentConfigs and fires their image triggers."""

    def __init__(self, sim: Simulation) -> None:
        self.sim = sim
        self.pods: dict[tuple[str, str, str], list[Pod]] = {}
        self._followers: dict[tuple[str, str], set[tuple[str, str, str]]] = {}
        self._pending: set[tuple[str, str, str]] = set()
        self._failures: dict[tuple[str, str, str], int] = {}
        sim.cluster.watch("ImageStream", self._on_stream)

    # -- creation -----------------------------------------------------------------------
    def create(self, workload: Workload) -> Workload:
        """Store a new workload and roll it out (DeploymentConfigs wait for their triggers)."""
        sim = self.sim
        if workload.kind not in (DEPLOYMENT, DEPLOYMENT_CONFIG):
            raise ValueError(f"kind {workload.kind!r}: expected Deployment or DeploymentConfig")
        if sim.cluster.get(workload.kind, workload.key) is not None:
            raise ValueError(f'{workload.kind.lower()}s "{workload.name}" already exists')
        if workload.replicas < 0:
            raise ValueError(f"spec.replicas: must be >= 0, got {workload.replicas}")
        workload.created = sim.now
        for trigger in workload.triggers:
            trigger.namespace = trigger.namespace or workload.namespace
        with sim.transaction() as tx:
            tx.put(workload.kind, workload.key, workload)
            tx.record(
                "workload_created",
                workload_kind=workload.kind,
                namespace=workload.namespace,
                workload=workload.name,
                image=workload.template_image,
                replicas=workload.replicas,
                triggers=len(workload.triggers),
            )
        for trigger in workload.triggers:
            self._follow(workload, trigger)
        self._fire((workload.kind, *workload.key), initial=True)
        return workload

    def _follow(self, workload: Workload, trigger) -> None:
        stream, _, _ = trigger.stream_tag.partition(":")
        follow = (trigger.namespace, stream)
        self._followers.setdefault(follow, set()).add((workload.kind, *workload.key))

    def add_trigger(self, kind: str, namespace: str, name: str, trigger) -> None:
        """Add an image trigger to an existing workload (``oc set triggers``) and fire it."""
        workload = self.sim.cluster.get(kind, (namespace, name))
        if workload is None:
            raise ValueError(f'{kind.lower()}s "{name}" not found')
        trigger.namespace = trigger.namespace or namespace
        workload.triggers.append(trigger)
        self._follow(workload, trigger)
        self._fire((kind, namespace, name))

    def get(self, kind: str, namespace: str, name: str) -> Workload | None:
        """The workload, or None."""
        return self.sim.cluster.get(kind, (namespace, name))

    # -- triggers -----------------------------------------------------------------------
    def _resolve(self, namespace: str, stream_name: str, tag: str) -> str | None:
        stream = self.sim.cluster.get("ImageStream", (namespace, stream_name))
        if stream is None:
            return None
        event = latest_tagged_image(stream, tag)
        if event is None:
            return None
        ref = stream.spec_tags.get(tag)
        policy = ref.reference_policy if ref is not None else "Source"
        return resolve_reference_for_tag_event(stream, policy, event)

    def _on_stream(self, kind, key, old, new) -> None:
        for workload_key in self._followers.get(key, ()):
            if workload_key not in self._pending:
                self._pending.add(workload_key)
                self.sim.engine.after(TRIGGER_DELAY, self._fire, workload_key)

    def _fire(self, workload_key: tuple[str, str, str], initial: bool = False) -> None:
        self._pending.discard(workload_key)
        kind, namespace, name = workload_key
        workload = self.sim.cluster.get(kind, (namespace, name))
        if workload is None:
            return
        if kind == DEPLOYMENT:
            image = deployment_image(workload.triggers, workload.template_image, self._resolve)
            ready = True
        else:
            image, _ = deployment_config_image(
                workload.triggers, workload.template_image, self._resolve
            )
            ready = has_last_triggered_image(workload.triggers)
        if image != workload.template_image:
            self.sim.record(
                "trigger_fired",
                workload_kind=kind,
                namespace=namespace,
                workload=name,
                image=image,
                previous_image=workload.template_image,
            )
            workload.template_image = image
        if not ready:
            return
        if workload.revision == 0 or image != workload.rolled_out_image:
            self.rollout(workload, cause="initial" if workload.revision == 0 else "image change")

    # -- rollouts -----------------------------------------------------------------------
    def rollout(self, workload: Workload, cause: str = "manual") -> None:
        """Start a new revision: new pods now, old ones removed when all new ones run."""
        workload.revision += 1
        workload.rolled_out_image = workload.template_image
        self.sim.record(
            "rollout",
            workload_kind=workload.kind,
            namespace=workload.namespace,
            workload=workload.name,
            revision=workload.revision,
            image=workload.template_image,
            cause=cause,
        )
        for _ in range(workload.replicas):
            self._create_pod(workload)

    def _create_pod(self, workload: Workload) -> Pod:
        kind, namespace, name = workload.kind, workload.namespace, workload.name
        pod_controller = self.sim.pod_controller
        pod = pod_controller.create(
            namespace,
            workload.template_image,
            name=pod_controller.pod_name(
                f"{name}-{workload.revision}" if kind == DEPLOYMENT_CONFIG else name
            ),
            pull_policy=workload.pull_policy,
            service_account=workload.service_account,
            image_pull_secrets=workload.image_pull_secrets or None,
            owner=f"{kind}/{name}#{workload.revision}",
        )
        pods = self.pods.setdefault((kind, namespace, name), [])
        if pod.status != FORBIDDEN:  # refused at once: pod_refused has requeued the workload
            pods.append(pod)
        return pod

    def pod_running(self, pod: Pod) -> None:
        """Called by the kubelet: remove the old revision once the new one runs everywhere."""
        if not pod.owner:
            return
        kind, _, rest = pod.owner.partition("/")
        name, _, revision = rest.rpartition("#")
        namespace = pod.namespace
        workload = self.sim.cluster.get(kind, (namespace, name))
        if workload is None or int(revision) != workload.revision:
            return
        key = (kind, namespace, name)
        # One pass splits this revision's pods from the rest; a pod of another revision
        # never equals one of this revision (their owners differ), so ``old`` is exactly
        # the pods ``not in current``.
        suffix = f"#{workload.revision}"
        current: list[Pod] = []
        old: list[Pod] = []
        for p in self.pods.get(key, ()):
            (current if p.owner.endswith(suffix) else old).append(p)
        if len(current) < workload.replicas:
            return
        for p in current:  # any() over a generator, written out (once per pod started)
            if p.status != RUNNING:
                return
        self._failures.pop(key, None)  # the workqueue forgets a key that synced
        delete = self.sim.pod_controller.delete
        for p in old:
            delete(p, reason="rollout")
        self.pods[key] = current

    def pod_refused(self, pod: Pod) -> None:
        """The API server refused a pod this controller created (its service account does
        not exist yet): the ReplicaSet/ReplicationController controller requeues the
        workload with exponential backoff and creates the pod again, until it is admitted
        (``replica_set.go`` ``manageReplicas``; ``ReplicationManager`` likewise)."""
        kind, _, rest = pod.owner.partition("/")
        name, _, _ = rest.rpartition("#")
        key = (kind, pod.namespace, name)
        pods = self.pods.get(key, [])
        if pod in pods:
            pods.remove(pod)
        failures = self._failures.get(key, 0)
        self._failures[key] = failures + 1
        delay = min(RETRY_BASE * 2**failures, RETRY_MAX)
        self.sim.engine.after(delay, self._retry_refused, key, pod.owner)

    def _retry_refused(self, key: tuple[str, str, str], owner: str) -> None:
        workload = self.sim.cluster.get(key[0], key[1:])
        if workload is None or owner != f"{workload.kind}/{workload.name}#{workload.revision}":
            return
        current = [p for p in self.pods.get(key, []) if p.owner == owner]
        if len(current) < workload.replicas:
            self._create_pod(workload)

    def scale(self, kind: str, namespace: str, name: str, replicas: int) -> None:
        """Set the replica count: new pods are created or the newest removed."""
        workload = self.sim.cluster.get(kind, (namespace, name))
        if workload is None:
            raise ValueError(f'{kind.lower()}s "{name}" not found')
        key = (kind, namespace, name)
        pods = self.pods.setdefault(key, [])
        workload.replicas = replicas
        current = [p for p in pods if p.owner.endswith(f"#{workload.revision}")]
        while len(current) < replicas:
            current.append(self._create_pod(workload))
        while len(current) > replicas:
            victim = current.pop()
            pods.remove(victim)
            self.sim.pod_controller.delete(victim, reason="scaled down")

    def replace_lost(self, pod: Pod) -> None:
        """A pod was lost with its node: its controller creates a replacement."""
        if not pod.owner:
            return
        kind, _, rest = pod.owner.partition("/")
        name, _, revision = rest.rpartition("#")
        key = (kind, pod.namespace, name)
        workload = self.sim.cluster.get(kind, (pod.namespace, name))
        pods = self.pods.get(key, [])
        if pod in pods:
            pods.remove(pod)
        if workload is not None and int(revision) == workload.revision:
            self._create_pod(workload)

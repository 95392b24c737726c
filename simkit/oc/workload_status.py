"""A workload's rollout status as the API would report it, from its pods and the event log.

simkit keeps no ReplicaSet or ReplicationController objects: a workload's pods carry
their owner and revision (``Deployment/web#2``), and each rollout is a ``rollout`` event.
From these this module derives the status fields that ``oc rollout status``, ``oc get
deploy|dc`` and ``oc status`` print, as the controllers would have written them:

- ``spec.replicas`` is the workload's replica count; ``status.replicas`` its pods of
  every revision; ``status.updatedReplicas`` those of the newest revision;
  ``readyReplicas`` and ``availableReplicas`` the running ones (minReadySeconds 0, so a
  ready pod is available at once).
- Progress (kubernetes ``pkg/controller/deployment/util/deployment_util.go``,
  ``DeploymentProgressing``/``DeploymentTimedOut``): a rollout that has not completed
  and has made no progress (new revision started, a new pod became ready) for
  ``progressDeadlineSeconds`` (600, ``SetDefaults_Deployment``) has timed out; a
  DeploymentConfig's rolling strategy times out after ``timeoutSeconds`` (600,
  openshift/api ``apps/v1`` defaults).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from simkit.state.workloads import RUNNING, Pod, Workload

if TYPE_CHECKING:
    from simkit.simulation import Simulation

__all__ = ["PROGRESS_DEADLINE", "RolloutState", "rollout_state", "rollout_times", "workload_pods"]

PROGRESS_DEADLINE = 600.0
"""``progressDeadlineSeconds`` (Deployments) and ``timeoutSeconds`` (DeploymentConfigs)."""


def _owner_of(pod: Pod) -> tuple[str, str, int] | None:
    """``(kind, name, revision)`` from ``Deployment/web#2``, or None for a bare pod."""
    if not pod.owner:
        return None
    kind, _, rest = pod.owner.partition("/")
    name, _, revision = rest.rpartition("#")
    return kind, name, int(revision or 0)


def workload_pods(pods: list[Pod], workload: Workload) -> list[Pod]:
    """The pods among ``pods`` that ``workload`` owns (any revision).

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(seed=1)
    >>> web = sim.deploy("default", "web", "quay.io/acme/web:1", replicas=2)
    >>> bare = sim.run_pod("default", "quay.io/acme/web:1")
    >>> len(workload_pods(sim.pods("default"), web)), len(sim.pods("default"))
    (2, 3)
    """
    return [
        p
        for p in pods
        if p.namespace == workload.namespace
        and (_owner_of(p) or ("", "", 0))[:2] == (workload.kind, workload.name)
    ]


def rollout_times(sim: Simulation, workload: Workload) -> dict[int, float]:
    """When each revision of ``workload`` was rolled out, from the ``rollout`` events.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(seed=1)
    >>> web = sim.deploy("default", "web", "quay.io/acme/web:1")
    >>> sim.advance("90s")
    >>> sim.workload_controller.rollout(web, cause="manual")
    >>> rollout_times(sim, web)
    {1: 0.0, 2: 90.0}
    """
    times: dict[int, float] = {}
    for event in sim.log.iter("rollout"):
        if (event["workload_kind"], event["namespace"], event["workload"]) == (
            workload.kind,
            workload.namespace,
            workload.name,
        ):
            times[int(event["revision"])] = float(event["time"])
    return times


@dataclass(frozen=True, slots=True)
class RolloutState:
    """The status fields of one workload now."""

    revision: int
    replicas: int
    total: int
    updated: int
    ready: int
    available: int
    updated_ready: int
    started: float
    last_progress: float
    restarts: int

    @property
    def complete(self) -> bool:
        """Every desired pod is of the newest revision, available, and no old pod is left
        (``DeploymentComplete``)."""
        return (
            self.updated == self.replicas
            and self.total == self.updated
            and self.available >= self.updated
        )

    def timed_out(self, now: float) -> bool:
        """No progress for :data:`PROGRESS_DEADLINE` seconds on an incomplete rollout."""
        return not self.complete and now > self.last_progress + PROGRESS_DEADLINE


def rollout_state(sim: Simulation, workload: Workload, pods: list[Pod]) -> RolloutState:
    """The status of ``workload`` given the pods that exist now.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(seed=1)
    >>> _ = sim.registry("quay.io").push("acme/web", "1")
    >>> web = sim.deploy("default", "web", "quay.io/acme/web:1", replicas=2)
    >>> sim.advance("1m")
    >>> state = rollout_state(sim, web, sim.pods("default"))
    >>> state.updated, state.available, state.complete
    (2, 2, True)
    """
    owned = workload_pods(pods, workload)
    current = [p for p in owned if (_owner_of(p) or ("", "", 0))[2] == workload.revision]
    running = [p for p in owned if p.status == RUNNING]
    current_running = [p for p in current if p.status == RUNNING]
    started = rollout_times(sim, workload).get(workload.revision, workload.created)
    progress = [started, *(p.started for p in current_running if p.started is not None)]
    return RolloutState(
        revision=workload.revision,
        replicas=workload.replicas,
        total=len(owned),
        updated=len(current),
        ready=len(running),
        available=len(running),
        updated_ready=len(current_running),
        started=started,
        last_progress=max(progress),
        restarts=max((p.restarts for p in current), default=0),
    )

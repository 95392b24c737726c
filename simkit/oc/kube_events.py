"""Kubernetes ``Event`` objects (core/v1) derived from simkit's event log.

simkit keeps one record of what happened, the event log (``sim.log``, ``sim.events``).
The Events ``oc get events`` and ``oc describe`` show are a *view* of it: this module
replays the log through the recorders that would have emitted them and returns the
Event objects the API server would hold. Nothing is stored beside the log, so the two
cannot disagree.

Which records make which Events (reasons and messages word for word):

* ``pod_created`` of a pod a controller made -> ``SuccessfulCreate`` "Created pod: NAME"
  on its ReplicaSet/ReplicationController (``RealPodControl.CreatePods``).
* ``pod_created`` -> ``Scheduled`` "Successfully assigned NS/POD to NODE" from the
  ``default-scheduler`` (kubernetes ``pkg/scheduler/schedule_one.go``; an
  ``events.k8s.io`` event: ``eventTime`` set, no ``source``, no first/last timestamp).
* ``pull`` records of the kubelet (``pkg/kubelet/images/image_manager.go``
  ``EnsureImageExists``, messages restated in :mod:`simkit.rules.pull_decision`):
  ``cached`` -> ``Pulled`` "Container image ... already present on machine"; ``pulled``
  -> ``Pulling`` (when the pull was queued) then ``Pulled`` "Successfully pulled image
  ... in ... (... including waiting). Image size: N bytes."; ``failed``/``refused`` ->
  ``Pulling``, ``Failed`` "Failed to pull image ...: ERR" and ``Failed`` "Error:
  ErrImagePull" (``RegistryUnavailable`` or ``SignatureValidationFailed`` for those CRI
  errors, ``evalCRIPullErr``); ``backoff`` -> ``BackOff`` "Back-off pulling image ..."
  (the previous error is appended to the container's waiting message only, not to the
  event) and ``Failed`` "Error: ImagePullBackOff"; ``never`` -> ``ErrImageNeverPull``
  and ``Failed`` "Error: ErrImageNeverPull"; ``invalid`` -> ``InspectFailed`` and
  ``Failed`` "Error: InvalidImageName". A started container adds ``Created`` "Created
  container: NAME" and ``Started`` "Started container NAME"
  (``pkg/kubelet/kuberuntime/kuberuntime_container.go`` ``startContainer``; the ``Error:
  ...`` events are its ``FailedToCreateContainer`` after ``EnsureImageExists``). All are
  on the container (``fieldPath: spec.containers{NAME}``), source ``kubelet`` on the
  node.
* ``pod_deleted`` of a pod whose container was started -> ``Killing`` "Stopping
  container NAME" (``kuberuntime_container.go`` ``killContainer``).
* ``pull_secret_missing`` (one lookup's records together) -> ``FailedToRetrieveImagePullSecret``
  "Unable to retrieve some image pull secrets (A, B); attempting to pull the image may
  not succeed." on the pod (kubelet ``getPullSecretsForPod``).
* ``pod_rejected`` of a pod a controller made -> ``FailedCreate`` "Error creating: pods
  "PREFIX-" is forbidden: ..." on its ReplicaSet (``replicaset-controller``) or
  ReplicationController (``replication-controller``)
  (``pkg/controller/controller_utils.go`` ``RealPodControl.CreatePods``; the name in
  the Forbidden error is the ``generateName``, ``admission.NewForbidden``). simkit does
  not model the ReplicaSet's pod-template hash: the ReplicaSet is named as the pods'
  prefix.

Image import failures record no Event upstream: neither openshift-apiserver's
ImageStreamImport nor openshift-controller-manager's image controllers have an event
recorder; they are in the stream's status (``oc describe is``).

Deduplication restates client-go ``tools/record/events_cache.go``
(``EventCorrelator.EventCorrelate``), one correlator per recording process (source
component and host):

1. ``EventAggregate``: events alike but for the message (same source, object, type,
   reason) are grouped; when a group has seen 10 distinct messages within 10 minutes
   (measured from the group's previous event) the event is replaced by one with the
   message ``(combined from similar events): MSG`` keyed by the group. Go's
   ``sets.String.PopAny`` then drops an arbitrary message; simkit drops the oldest.
2. ``eventObserve``: an event with the same key as one seen before (source, object,
   type, reason, message) increments its ``count`` and keeps its ``firstTimestamp``
   and name; the caches are LRUs of 4096 entries.
3. ``EventSourceObjectSpamFilter``: a token bucket per source and object (``getSpamKey``:
   not the type, reason or field path, so all of a kubelet's events about one pod share
   it), burst 25, refilled one every 5 minutes; an event it refuses is not written, but
   its observation was counted, so the next written one carries the count.

The API server keeps an Event for ``--event-ttl`` after its last write (3 h on
OpenShift: cluster-kube-apiserver-operator's default ``event-ttl: [3h]``; each patch
renews the lease); :func:`kube_events` leaves out what has expired. An expired event the
recorder patches again is created anew under its name with the cached count (client-go
``recordToSink``), which is what keeping the correlator's caches across expiry gives.

Upstream read: kubernetes client-go ``tools/record/events_cache.go`` and its test (commit
00080d400fe2), kubelet ``image_manager.go`` as of the ``prevPullErrMsg`` change,
kubectl's printers; openshift-controller-manager 26d20feae and openshift-apiserver
56aa2d96e (no image-import events).
"""

from __future__ import annotations

import functools
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simkit.refs import InvalidReference, apply_default_tag
from simkit.rules.pull_decision import classify_pull_error, decide, pull_outcome

if TYPE_CHECKING:
    import pandas as pd

    from simkit.simulation import Simulation

__all__ = [
    "EVENT_TTL",
    "EventCorrelator",
    "KubeEvent",
    "RawEvent",
    "correlate",
    "event_to_api",
    "kube_events",
    "kube_events_frame",
    "raw_events",
]

MAX_LRU_ENTRIES = 4096
AGGREGATE_MAX_EVENTS = 10
AGGREGATE_INTERVAL = 600.0
SPAM_BURST = 25
SPAM_QPS = 1.0 / 300.0
COMBINED_PREFIX = "(combined from similar events): "

NORMAL, WARNING = "Normal", "Warning"
KUBELET = "kubelet"
SCHEDULER = "default-scheduler"
EVENT_TTL = 3 * 3600.0
"""OpenShift's ``kube-apiserver --event-ttl``: an Event lives 3 hours after its last write."""


@dataclass(slots=True)
class RawEvent:
    """One ``recorder.Eventf`` call: what a component reports, before correlation."""

    time: float
    namespace: str
    kind: str
    name: str
    uid: str
    reason: str
    message: str
    type: str = NORMAL
    field_path: str = ""
    component: str = ""
    host: str = ""
    api_version: str = "v1"
    reporting_controller: str = ""
    new_api: bool = False  # events.k8s.io: eventTime, no source or timestamps


@dataclass(frozen=True, slots=True)
class KubeEvent:
    """A core/v1 ``Event`` as the API server holds it.

    Times are simulation seconds; ``first_timestamp``/``last_timestamp`` are None for
    an ``events.k8s.io`` event (``event_time`` set instead).
    """

    namespace: str
    name: str
    involved_kind: str
    involved_name: str
    involved_uid: str
    involved_api_version: str
    field_path: str
    reason: str
    message: str
    type: str
    source_component: str
    source_host: str
    count: int
    first_timestamp: float | None
    last_timestamp: float | None
    event_time: float | None = None
    reporting_controller: str = ""

    @property
    def last_seen(self) -> float:
        """``lastTimestamp``, else ``eventTime`` (kubectl's ``eventTime`` ordering)."""
        if self.last_timestamp is not None:
            return self.last_timestamp
        return self.event_time if self.event_time is not None else 0.0

    @property
    def first_seen(self) -> float:
        """``firstTimestamp``, else ``eventTime``."""
        if self.first_timestamp is not None:
            return self.first_timestamp
        return self.event_time if self.event_time is not None else 0.0


class _Lru(OrderedDict):
    """``golang-lru``: the least recently used entry goes past ``MAX_LRU_ENTRIES``."""

    def get_recent(self, key: Any) -> Any:
        """The value, now the most recently used; None if absent."""
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def add(self, key: Any, value: Any) -> None:
        """A new entry, the most recently used (the oldest goes past the limit)."""
        self[key] = value
        if len(self) > MAX_LRU_ENTRIES:
            self.popitem(last=False)


def _event_object(raw: RawEvent, name: str, observed: list | None, written: float) -> KubeEvent:
    """The Event object ``name`` holding ``raw``: an ``events.k8s.io`` one (``observed``
    None: no source, count 1, ``eventTime``), or a core/v1 one with the correlator's
    ``observed`` ``[name, count, first time, message]`` as last written at ``written``."""
    if observed is None:
        message, component, host, count = raw.message, "", "", 1
        first, last, event_time, controller = None, None, raw.time, raw.reporting_controller
    else:
        _, count, first, message = observed
        component, host = raw.component, raw.host
        last, event_time, controller = written, None, ""
    return KubeEvent(
        raw.namespace,
        name,
        raw.kind,
        raw.name,
        raw.uid,
        raw.api_version,
        raw.field_path,
        raw.reason,
        message,
        raw.type,
        component,
        host,
        count,
        first,
        last,
        event_time=event_time,
        reporting_controller=controller,
    )


class EventCorrelator:
    """client-go's ``EventCorrelator`` of one recording process.

    Examples
    --------
    >>> from dataclasses import replace
    >>> c = EventCorrelator()
    >>> raw = RawEvent(0.0, "ns", "Pod", "p", "u", "BackOff", "Back-off pulling image \\"x\\"",
    ...                component="kubelet", host="worker-0")
    >>> first, skip = c.correlate(raw, "p.1")
    >>> second, _ = c.correlate(replace(raw, time=12.0), "p.2")
    >>> (first.count, second.count, second.name, second.first_timestamp, second.last_timestamp)
    (1, 2, 'p.1', 0.0, 12.0)
    """

    def __init__(self, burst: int = SPAM_BURST, qps: float = SPAM_QPS) -> None:
        self.burst, self.qps = burst, qps  # CorrelatorOptions BurstSize and QPS
        self._aggregate: _Lru = _Lru()  # group key -> [dict of messages, last time]
        self._observed: _Lru = _Lru()  # event key -> (count, first time, name)
        self._spam: _Lru = _Lru()  # spam key -> [tokens, last time]

    def correlate(self, raw: RawEvent, name: str) -> tuple[KubeEvent, bool]:
        """The event as written (count, first time, name) and whether the spam filter
        skips writing it; ``name`` is used if the event is new."""
        observed, skip = self.observe(raw)
        if observed[0] is None:
            observed[0] = name
        return _event_object(raw, observed[0], observed, raw.time), skip

    def observe(self, raw: RawEvent) -> tuple[list, bool]:
        """``EventCorrelate``: ``([name, count, first time, message], skip)``; the
        name is None for a new event (the caller names it and sets it in the list,
        which the correlator keeps)."""
        now = raw.time
        obj = (
            raw.component,
            raw.host,
            raw.kind,
            raw.namespace,
            raw.name,
            raw.uid,
            raw.api_version,
        )  # getSpamKey
        group = (obj, raw.type, raw.reason, raw.reporting_controller)
        record = self._aggregate.get_recent(group)
        if record is None or now - record[1] > AGGREGATE_INTERVAL:
            record = [{}, now]
            self._aggregate.add(group, record)
        messages = record[0]
        messages[raw.message] = None
        record[1] = now
        message = raw.message
        key: tuple[object, ...] = (obj, raw.field_path, raw.type, raw.reason, raw.message)
        if len(messages) >= AGGREGATE_MAX_EVENTS:
            del messages[next(iter(messages))]  # PopAny; simkit drops the oldest
            message, key = COMBINED_PREFIX + raw.message, group
        seen = self._observed.get_recent(key)
        if seen is None:
            seen = [None, 1, now, message]
            self._observed.add(key, seen)
        else:
            seen[1] += 1
            seen[3] = message
        return seen, not self._spam_accept(obj, now)

    def _spam_accept(self, key: tuple, now: float) -> bool:
        bucket = self._spam.get_recent(key)
        if bucket is None:
            bucket = [float(self.burst), now]
            self._spam.add(key, bucket)
        tokens = min(float(self.burst), bucket[0] + (now - bucket[1]) * self.qps)
        accepted = tokens >= 1.0
        bucket[0], bucket[1] = (tokens - 1.0 if accepted else tokens), now
        return accepted


def _container_path(container: str) -> str:
    return f"spec.containers{{{container}}}"


def raw_events(sim: Simulation) -> Iterator[RawEvent]:
    """Every ``Eventf`` call the log implies, in the order they were made.

    Parameters
    ----------
    sim : Simulation
        Its log is read, and its configuration (KEP-2535 message wording).

    Yields
    ------
    RawEvent
    """
    gate = bool(getattr(sim.config, "kubelet_ensure_secret_pulled_images", False))
    uids: dict[tuple[str, str], str] = {}
    deleted: set[tuple[str, str]] = set()
    containers: dict[tuple[str, str], str] = {}
    nodes: dict[tuple[str, str], str] = {}
    running: set[tuple[str, str]] = set()  # pods whose container was started
    missing: list[dict] = []  # pull_secret_missing records of one lookup
    for record in sim.log.iter():
        kind = record["kind"]
        time = record["time"]
        if missing and (
            kind != "pull_secret_missing"
            or (record["time"], record["namespace"], record["pod"])
            != (missing[0]["time"], missing[0]["namespace"], missing[0]["pod"])
        ):
            yield _missing_secrets(missing, uids, nodes)
            missing = []
        if kind == "pull_secret_missing":
            missing.append(record)
        elif kind == "pod_created":
            key = (record["namespace"], record["pod"])
            uids[key] = record.get("uid") or ""
            nodes[key] = record.get("node") or ""
            deleted.discard(key)
            pod = sim.cluster.get("Pod", key)
            containers[key] = pod.container if pod is not None else "app"
            if record.get("owner"):
                yield _owner_event(record, "SuccessfulCreate", f"Created pod: {key[1]}", NORMAL)
            yield RawEvent(
                time,
                key[0],
                "Pod",
                key[1],
                uids[key],
                "Scheduled",
                f"Successfully assigned {key[0]}/{key[1]} to {record['node']}",
                reporting_controller=SCHEDULER,
                new_api=True,
            )
        elif kind == "pod_deleted":
            key = (record["namespace"], record["pod"])
            deleted.add(key)
            if key in running and record.get("reason") != "node lost":  # killContainer
                running.discard(key)
                yield RawEvent(
                    time,
                    key[0],
                    "Pod",
                    key[1],
                    uids.get(key, ""),
                    "Killing",
                    f"Stopping container {containers.get(key, 'app')}",
                    NORMAL,
                    _container_path(containers.get(key, "app")),
                    KUBELET,
                    record.get("node") or nodes.get(key, ""),
                )
        elif kind == "pull":
            key = (record["namespace"], record["pod"])
            yield from _kubelet_events(
                record, uids.get(key, ""), containers.get(key, "app"), key in deleted, gate
            )
            if record["decision"] in ("cached", "pulled") and key not in deleted:
                running.add(key)
        elif kind == "pod_rejected" and record.get("owner"):
            yield _failed_create(record)
    if missing:
        yield _missing_secrets(missing, uids, nodes)


def _missing_secrets(
    records: list[dict], uids: dict[tuple[str, str], str], nodes: dict[tuple[str, str], str]
) -> RawEvent:
    """``FailedToRetrieveImagePullSecret`` (kubelet ``getPullSecretsForPod``): one event
    naming every pull secret of the pod that could not be read."""
    first = records[0]
    key = (first["namespace"], first["pod"])
    names = ", ".join(r["secret"] for r in records)
    return RawEvent(
        first["time"],
        key[0],
        "Pod",
        key[1],
        uids.get(key, ""),
        "FailedToRetrieveImagePullSecret",
        f"Unable to retrieve some image pull secrets ({names}); attempting to pull "
        "the image may not succeed.",
        WARNING,
        "",
        KUBELET,
        nodes.get(key, ""),
    )


def _kubelet_events(
    record: dict, uid: str, container: str, gone: bool, gate: bool
) -> Iterator[RawEvent]:
    namespace, pod, image = record["namespace"], record["pod"], record["image"]
    time, decision, error = record["time"], record["decision"], record.get("error") or ""

    def event(at: float, reason: str, message: str, type_: str = NORMAL) -> RawEvent:
        return RawEvent(
            at,
            namespace,
            "Pod",
            pod,
            uid,
            reason,
            message,
            type_,
            _container_path(container),
            KUBELET,
            record.get("node") or "",
        )

    pulling = f"Pulling image {_quote(image)}"
    if decision == "cached":
        present = decide(
            image,
            "IfNotPresent",
            "present",
            gate_enabled=gate,
            must_attempt_pull=False if gate else None,
        )
        yield event(time, "Pulled", present.message)
    elif decision == "pulled":
        latency = float(record.get("latency") or 0.0)
        yield event(time - latency, "Pulling", pulling)
        outcome = pull_outcome(
            image,
            None,
            pull_seconds=float(record.get("pull_seconds") or latency),
            total_seconds=latency,
            image_size=int(record.get("size") or 0),
        )
        yield event(time, "Pulled", outcome.events[0].message)
    elif decision in ("failed", "refused"):
        latency = float(record.get("latency") or 0.0)
        yield event(time - latency, "Pulling", pulling)
        yield event(time, "Failed", pull_outcome(image, error).events[0].message, WARNING)
        # evalCRIPullErr returns ErrImagePull, or the CRI's ErrRegistryUnavailable /
        # ErrSignatureValidationFailed sentinel: its text is the reason's name
        yield event(time, "Failed", f"Error: {classify_pull_error(error)}", WARNING)
        return
    elif decision == "backoff":
        yield event(time, "BackOff", f"Back-off pulling image {_quote(image)}")
        yield event(time, "Failed", "Error: ImagePullBackOff", WARNING)
        return
    elif decision == "never":
        message = error or (
            f"Container image {_quote(image)} is not present with pull policy of Never"
        )
        yield event(time, "ErrImageNeverPull", message, WARNING)
        yield event(time, "Failed", "Error: ErrImageNeverPull", WARNING)
        return
    elif decision == "invalid":
        message = error
        if not message.startswith("Failed to apply default image tag"):
            try:
                apply_default_tag(image)
            except InvalidReference as exc:
                error = str(exc)
            message = f"Failed to apply default image tag {_quote(image)}: {error}"
        yield event(time, "InspectFailed", message, WARNING)
        yield event(time, "Failed", "Error: InvalidImageName", WARNING)
        return
    else:
        return
    if not gone:
        yield event(time, "Created", f"Created container: {container}")
        yield event(time, "Started", f"Started container {container}")


@functools.lru_cache(maxsize=4096)
def _quote(text: str) -> str:
    from simkit._go.strconv import go_quote

    return go_quote(text)


def _owner_event(record: dict, reason: str, message: str, type_: str) -> RawEvent:
    """An event of the ReplicaSet (``replicaset-controller``) or ReplicationController
    (``replication-controller``, a DeploymentConfig's) that made the pod."""
    namespace, pod = record["namespace"], record["pod"]
    workload_kind, _, _ = record["owner"].partition("/")
    prefix = pod.rsplit("-", 1)[0]
    if workload_kind == "DeploymentConfig":
        kind, component, api_version = "ReplicationController", "replication-controller", "v1"
    else:
        kind, component, api_version = "ReplicaSet", "replicaset-controller", "apps/v1"
    return RawEvent(
        record["time"],
        namespace,
        kind,
        prefix,
        "",
        reason,
        message,
        type_,
        "",
        component,
        "",
        api_version,
    )


def _failed_create(record: dict) -> RawEvent:
    """``FailedCreate`` of the ReplicaSet/ReplicationController whose pod was refused."""
    from simkit.apiserver.admission import service_account_lookup_error

    prefix = record["pod"].rsplit("-", 1)[0]
    error = service_account_lookup_error(
        record["namespace"], record.get("service_account") or "default"
    )
    return _owner_event(
        record, "FailedCreate", f'Error creating: pods "{prefix}-" is forbidden: {error}', WARNING
    )


def correlate(
    raws: Iterable[RawEvent], start_ns: int = 0, burst: int = SPAM_BURST
) -> list[KubeEvent]:
    """Events as stored after each process's correlator, in creation order.

    ``start_ns`` is the Unix time of second 0 in nanoseconds, for the event names
    (``<object>.<hex UnixNano>`` as ``makeEvent`` names them); ``burst`` is the spam
    filter's (a very large one turns it off).
    """
    correlators: dict[tuple[str, str], EventCorrelator] = {}
    stored: dict[tuple[str, str], tuple[RawEvent, list, float]] = {}
    taken: set[tuple[str, str]] = set()

    def new_name(raw: RawEvent) -> str:
        nanos = start_ns + int(round(raw.time * 1e9))
        name = f"{raw.name}.{nanos:x}"
        while (raw.namespace, name) in taken:  # one nanosecond later, as a real clock
            nanos += 1
            name = f"{raw.name}.{nanos:x}"
        taken.add((raw.namespace, name))
        return name

    for raw in raws:
        if raw.new_api:
            stored[(raw.namespace, new_name(raw))] = (raw, [], raw.time)
            continue
        correlator = correlators.get((raw.component, raw.host))
        if correlator is None:
            correlator = correlators[(raw.component, raw.host)] = EventCorrelator(burst)
        observed, skip = correlator.observe(raw)
        if observed[0] is None:
            observed[0] = new_name(raw)
        if not skip:  # written now: the object holds this observation
            stored[(raw.namespace, observed[0])] = (raw, list(observed), raw.time)
    return [
        _event_object(raw, name, None if raw.new_api else observed, written)
        for (_, name), (raw, observed, written) in stored.items()
    ]


def kube_events(sim: Simulation, ttl: float | None = EVENT_TTL) -> list[KubeEvent]:
    """The Event objects of ``sim`` now, derived from its log.

    Parameters
    ----------
    sim : Simulation
    ttl : float or None
        Seconds an event lives after its last write (:data:`EVENT_TTL`); None keeps
        every event.

    Returns
    -------
    list of KubeEvent
        In creation order.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(nodes=1)
    >>> _ = sim.registry("quay.io").push("ns/app", "1.0")
    >>> pod = sim.run_pod("default", "quay.io/ns/app:1.0")
    >>> sim.advance("1m")
    >>> [(e.reason, e.count) for e in kube_events(sim)]  # doctest: +NORMALIZE_WHITESPACE
    [('Scheduled', 1), ('Pulling', 1), ('Pulled', 1), ('Created', 1), ('Started', 1)]
    """
    events = _derived(sim)
    if ttl is None:
        return list(events)
    return [e for e in events if sim.now - e.last_seen <= ttl]


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _derived(sim: Simulation) -> list[KubeEvent]:
    """:func:`correlate` of the whole log, computed again only when the log has grown
    (or the clock moved: a rolled-back command leaves the log as it was)."""
    key = (
        len(sim.log),
        sim.now,
        sim.start,
        bool(getattr(sim.config, "kubelet_ensure_secret_pulled_images", False)),
    )
    cached = _CACHE.get(sim.log)
    if cached is not None and cached[0] == key:
        return cached[1]
    events = correlate(raw_events(sim), int(sim.start.value))
    _CACHE[sim.log] = (key, events)
    return events


def _rfc3339(sim_start: pd.Timestamp, seconds: float | None) -> str | None:
    if seconds is None:
        return None
    import pandas as pd

    stamp = sim_start + pd.Timedelta(seconds=int(seconds // 1))
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def event_to_api(event: KubeEvent, sim_start: pd.Timestamp) -> dict[str, Any]:
    """The event as ``oc get event -o yaml`` shows it (core/v1).

    Examples
    --------
    >>> import pandas as pd
    >>> e = KubeEvent("ns", "p.1", "Pod", "p", "u", "v1", "", "BackOff", "m", "Normal",
    ...               "kubelet", "worker-0", 3, 0.0, 42.5)
    >>> api = event_to_api(e, pd.Timestamp("2026-01-01", tz="UTC"))
    >>> api["count"], api["firstTimestamp"], api["lastTimestamp"]
    (3, '2026-01-01T00:00:00Z', '2026-01-01T00:00:42Z')
    >>> api["source"]
    {'component': 'kubelet', 'host': 'worker-0'}
    """
    involved: dict[str, Any] = {
        "apiVersion": event.involved_api_version,
        "kind": event.involved_kind,
        "name": event.involved_name,
        "namespace": event.namespace,
    }
    if event.involved_uid:
        involved["uid"] = event.involved_uid
    if event.field_path:
        involved["fieldPath"] = event.field_path
    source = {
        k: v for k, v in (("component", event.source_component), ("host", event.source_host)) if v
    }
    obj: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {
            "name": event.name,
            "namespace": event.namespace,
            "creationTimestamp": _rfc3339(sim_start, event.first_seen),
        },
        "involvedObject": involved,
        "reason": event.reason,
        "message": event.message,
        "type": event.type,
        "source": source,
        "firstTimestamp": _rfc3339(sim_start, event.first_timestamp),
        "lastTimestamp": _rfc3339(sim_start, event.last_timestamp),
    }
    if event.event_time is None:
        obj["count"] = event.count
    else:
        import pandas as pd

        stamp = sim_start + pd.Timedelta(seconds=event.event_time)
        obj["eventTime"] = stamp.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        obj["reportingComponent"] = event.reporting_controller
        obj["action"] = "Binding"
    return obj


def kube_events_frame(sim: Simulation, ttl: float | None = None) -> pd.DataFrame:
    """The Event objects as a DataFrame, one row each (a notebook's ``oc get events``).

    Parameters
    ----------
    sim : Simulation
    ttl : float or None
        As :func:`kube_events`; by default every event since the start.

    Returns
    -------
    pandas.DataFrame
        ``namespace``, ``name``, ``object`` (``kind/name``), ``field_path``, ``type``,
        ``reason``, ``message``, ``source``, ``count``, ``first_seen`` and ``last_seen``
        (UTC timestamps), in creation order.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(nodes=1)
    >>> _ = sim.run_pod("default", "quay.io/ns/absent:1")
    >>> sim.advance("2m")
    >>> frame = kube_events_frame(sim)
    >>> backoff = frame[frame.reason == "BackOff"].iloc[0]
    >>> backoff["type"], int(backoff["count"]) > 1
    ('Normal', True)
    """
    import pandas as pd

    rows = [
        {
            "namespace": e.namespace,
            "name": e.name,
            "object": f"{e.involved_kind.lower()}/{e.involved_name}",
            "field_path": e.field_path,
            "type": e.type,
            "reason": e.reason,
            "message": e.message,
            "source": e.source_component or e.reporting_controller,
            "count": e.count,
            "first_seen": sim.start + pd.Timedelta(seconds=e.first_seen),
            "last_seen": sim.start + pd.Timedelta(seconds=e.last_seen),
        }
        for e in kube_events(sim, ttl)
    ]
    columns = [
        "namespace",
        "name",
        "object",
        "field_path",
        "type",
        "reason",
        "message",
        "source",
        "count",
        "first_seen",
        "last_seen",
    ]
    return pd.DataFrame(rows, columns=columns)

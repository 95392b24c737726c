"""Kubernetes Events derived from the event log, and ``oc get events``.

Deduplication restates client-go ``tools/record/events_cache.go`` (``EventCorrelator``:
``eventObserve`` counting, ``EventAggregate`` past 10 similar events in 10 minutes,
``EventSourceObjectSpamFilter`` burst 25 refilled every 5 minutes). Messages are the
kubelet's (``pkg/kubelet/images/image_manager.go``, ``kuberuntime_container.go``), the
scheduler's and ``RealPodControl.CreatePods``'. The table is ``printEvent``
(``pkg/printers/internalversion/printers.go``).
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import simkit as sk
from simkit.oc import OcError
from simkit.oc.kube_events import (
    COMBINED_PREFIX,
    EventCorrelator,
    RawEvent,
    correlate,
    kube_events,
    raw_events,
)


def _event(
    reason: str,
    message: str,
    name: str = "my-pod",
    namespace: str = "my-ns",
    field_path: str = "spec.containers{mycontainer}",
) -> RawEvent:
    """``makeEvent`` / ``makeObjectReference`` of events_cache_test.go."""
    return RawEvent(
        0.0,
        namespace,
        "Pod",
        name,
        "C934D34AFB20242",
        reason,
        message,
        field_path=field_path,
        component="kubelet",
        host="kublet.node1",
        api_version="version",
    )


def _unique(n: int) -> list[RawEvent]:
    return [_event(f"reason-{i}", f"message-{i}", f"pod-{i}", f"ns-{i}") for i in range(n)]


def _similar(n: int, template: RawEvent) -> list[RawEvent]:
    return [
        replace(template, message=f"{template.message}-{i}-{template.message}") for i in range(n)
    ]


_DUPLICATE = _event("duplicate", "me again")
_SIMILAR = _event("similar", "similar message", field_path="spec.containers{container1}")
_OTHER_CONTAINER = replace(_SIMILAR, field_path="spec.containers{container2}")
_COMBINED = COMBINED_PREFIX + "similar message"


@pytest.mark.parametrize(
    ("previous", "new", "interval", "skip", "count", "message"),
    [
        pytest.param(
            [], _event("first", "i am first"), 5, False, 1, "i am first", id="create-a-single-event"
        ),
        pytest.param(
            [_DUPLICATE], _DUPLICATE, 5, False, 2, "me again", id="the-same-event-should-just-count"
        ),
        pytest.param(
            [_DUPLICATE] * 10,
            _DUPLICATE,
            30,
            False,
            11,
            "me again",
            id="the-same-event-should-just-count-even-if-more-than-aggregate",
        ),
        pytest.param(
            [_DUPLICATE] * 26,
            _DUPLICATE,
            1,
            True,
            None,
            None,
            id="the-same-event-is-spam-if-happens-too-frequently",
        ),
        pytest.param(
            _unique(30),
            _event("unique", "snowflake"),
            5,
            False,
            1,
            "snowflake",
            id="create-many-unique-events",
        ),
        pytest.param(
            _similar(9, _SIMILAR),
            _SIMILAR,
            5,
            False,
            1,
            _COMBINED,
            id="similar-events-should-aggregate-event",
        ),
        pytest.param(
            _similar(10, _SIMILAR),
            _SIMILAR,
            5,
            False,
            2,
            _COMBINED,
            id="similar-events-many-times-should-count-the-aggregate",
        ),
        pytest.param(
            [_OTHER_CONTAINER],
            _SIMILAR,
            5,
            False,
            1,
            "similar message",
            id="events-from-different-containers-do-not-aggregate",
        ),
        pytest.param(
            _similar(9, _SIMILAR),
            _SIMILAR,
            600,
            False,
            1,
            "similar message",
            id="similar-events-whose-interval-is-greater-than-aggregate-interval-do-not-aggregate",
        ),
    ],
)
def test_event_correlator_table(previous, new, interval, skip, count, message):
    """client-go ``events_cache_test.go`` ``TestEventCorrelator`` (kubernetes commit
    00080d400fe2). Its ``IntervalClock`` moves on at each of the three clock reads per
    event (the test's, the aggregator's, the spam filter's): events are
    ``3 * interval`` seconds apart here."""
    c = EventCorrelator()
    for i, raw in enumerate(previous):
        c.correlate(replace(raw, time=3.0 * interval * i), f"e{i}")
    event, skipped = c.correlate(replace(new, time=3.0 * interval * len(previous)), "new")
    assert skipped is skip
    if not skip:
        assert (event.count, event.message, event.reason) == (count, message, new.reason)
        assert (event.first_timestamp == event.last_timestamp) is (count == 1)


@pytest.mark.parametrize(("burst", "skip"), [(1, True), (25, False)])
def test_event_spam_filter_keys_on_source_and_object(burst, skip):
    """``TestEventSpamFilter``: with burst 1 a second event about the same object is
    spam even with another reason (the default spam key has no reason or type)."""
    c = EventCorrelator(burst=burst)
    c.correlate(_event("original", "i am first"), "a")
    _, skipped = c.correlate(replace(_event("duplicate", "me again"), time=1.0), "b")
    assert skipped is skip


RAW = RawEvent(
    0.0,
    "ns",
    "Pod",
    "web",
    "uid-1",
    "BackOff",
    'Back-off pulling image "x"',
    component="kubelet",
    host="worker-0",
)


def test_same_event_counts_and_keeps_first_timestamp_and_name():
    c = EventCorrelator()
    first, _ = c.correlate(RAW, "web.1")
    second, _ = c.correlate(replace(RAW, time=30.0), "web.2")
    assert (first.count, second.count) == (1, 2)
    assert (second.name, second.first_timestamp, second.last_timestamp) == ("web.1", 0.0, 30.0)


def test_different_source_host_or_object_is_not_the_same_event():
    c = EventCorrelator()
    c.correlate(RAW, "web.1")
    other, _ = c.correlate(replace(RAW, host="worker-1"), "web.2")
    renamed, _ = c.correlate(replace(RAW, name="db"), "db.1")
    assert other.count == 1 and renamed.count == 1


def test_ten_similar_messages_within_ten_minutes_are_combined():
    """``EventAggregate``: the 10th distinct message of a group is aggregated."""
    c = EventCorrelator()
    out = [
        c.correlate(replace(RAW, time=float(i), message=f"m{i}"), f"web.{i}")[0] for i in range(12)
    ]
    assert all(not e.message.startswith(COMBINED_PREFIX) for e in out[:9])
    assert out[9].message == COMBINED_PREFIX + "m9" and out[9].count == 1
    assert out[10].message == COMBINED_PREFIX + "m10" and out[10].count == 2
    assert out[10].name == out[9].name


def test_aggregation_window_restarts_after_ten_minutes():
    c = EventCorrelator()
    for i in range(9):
        c.correlate(replace(RAW, time=float(i), message=f"m{i}"), f"web.{i}")
    late, _ = c.correlate(replace(RAW, time=8.0 + 601.0, message="m9"), "web.9")
    assert late.message == "m9"


def test_spam_filter_skips_past_burst_but_counts():
    """25 events from one source and object are written; the 26th at once is not; one
    token five minutes later writes the accumulated count."""
    raws = [replace(RAW, time=0.0) for _ in range(26)] + [replace(RAW, time=300.0)]
    stored = correlate(raws)
    assert len(stored) == 1 and stored[0].count == 27
    assert correlate(raws[:26])[0].count == 25


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 100)), max_size=60))
def test_counts_never_exceed_observations(calls):
    """Every stored count is at most the number of calls made for that event, and the
    total observed equals the calls when nothing was aggregated or filtered away."""
    raws = []
    for t, (message, dt) in enumerate(calls):
        raws.append(replace(RAW, time=float(t * 100 + dt), message=f"m{message}"))
    stored = correlate(raws)
    for event in stored:
        assert event.count <= sum(1 for r in raws if r.message == event.message)
        assert event.first_timestamp <= event.last_timestamp


def _outage_sim():
    sim = sk.Simulation(nodes=1)
    registry = sim.registry("quay.io")
    registry.push("ns/app", "1.0")
    registry.outage("1h")
    pod = sim.run_pod("default", "quay.io/ns/app:1.0")
    sim.advance("3m")
    return sim, pod


def test_outage_backoff_events_in_describe_and_get_events():
    """End to end: a pod pulling from a registry in outage shows ``BackOff ... Back-off
    pulling image`` with a count in ``oc describe pod`` and ``oc get events``, and the
    counts are those of the ``pull`` records in ``sim.events`` (one is a view of the
    other)."""
    sim, pod = _outage_sim()
    described = sim.oc(f"describe pod {pod.name}")
    backoff = re.search(
        r"  Normal   BackOff +(\S+) \(x(\d+) over (\S+)\) +kubelet +"
        r'spec.containers\{app\}: Back-off pulling image "quay.io/ns/app:1.0"\n',
        described,
    )
    assert backoff, described
    frame = sim.events
    pulls = frame[(frame["kind"] == "pull") & (frame["pod"] == pod.name)]
    backoffs = int((pulls["decision"] == "backoff").sum())
    # the spam filter (25 events per pod, then one per 5 minutes) held back the last
    # writes: the stored count is what was written, at most what happened ...
    assert 1 < int(backoff.group(2)) <= backoffs
    # ... and without it every backoff decision of the log is counted
    unfiltered = correlate(raw_events(sim), burst=10**9)
    assert [
        e.count for e in unfiltered if e.reason == "BackOff" and e.involved_name == pod.name
    ] == [backoffs]
    failed = int((pulls["decision"] == "failed").sum())
    assert [e.count for e in unfiltered if e.message == "Error: ErrImagePull"] == [failed]
    assert "Warning  Failed     " in described
    listing = sim.oc("get events")
    assert listing.splitlines()[0].split() == [
        "LAST",
        "SEEN",
        "TYPE",
        "REASON",
        "OBJECT",
        "MESSAGE",
    ]
    assert re.search(
        rf"\n\S+ +Normal +BackOff +pod/{pod.name} +Back-off pulling image "
        r'"quay.io/ns/app:1.0"\n',
        listing,
    )
    assert 'Failed to pull image "quay.io/ns/app:1.0": ' in listing
    assert "Error: ErrImagePull" in listing and "Error: ImagePullBackOff" in listing


def test_successful_pull_then_cached_messages():
    """``Pulled`` with the kubelet's duration and size, then ``already present``."""
    sim = sk.Simulation(nodes=1)
    sim.registry("quay.io").push("ns/app", "1.0")
    first = sim.run_pod("default", "quay.io/ns/app:1.0", pull_policy="IfNotPresent")
    sim.advance("1m")
    second = sim.run_pod("default", "quay.io/ns/app:1.0", pull_policy="IfNotPresent")
    sim.advance("1m")
    events = kube_events(sim)
    pulled = [e.message for e in events if e.involved_name == first.name and e.reason == "Pulled"]
    assert len(pulled) == 1
    assert re.fullmatch(
        r'Successfully pulled image "quay.io/ns/app:1.0" in [0-9.]+m?s '
        r"\([0-9.]+m?s including waiting\)\. Image size: [1-9]\d* bytes\.",
        pulled[0],
    )
    reasons = [e.reason for e in events if e.involved_name == second.name]
    assert reasons == ["Scheduled", "Pulled", "Created", "Started"]
    cached = [e for e in events if e.involved_name == second.name and e.reason == "Pulled"][0]
    present = 'Container image "quay.io/ns/app:1.0" already present on machine'
    if sim.config.kubelet_ensure_secret_pulled_images:  # KEP-2535 wording
        present += " and can be accessed by the pod"
    assert cached.message == present
    created = [e.message for e in events if e.reason in ("Created", "Started")][:2]
    assert created == ["Created container: app", "Started container app"]


def test_never_pull_events():
    sim = sk.Simulation(nodes=1)
    pod = sim.run_pod("default", "quay.io/ns/absent:1", pull_policy="Never")
    sim.advance("30s")
    events = {(e.reason, e.type): e for e in kube_events(sim) if e.involved_name == pod.name}
    assert events[("ErrImageNeverPull", "Warning")].message == (
        'Container image "quay.io/ns/absent:1" is not present with pull policy of Never'
    )
    assert events[("Failed", "Warning")].message == "Error: ErrImageNeverPull"


def test_scheduled_event_is_an_events_api_event():
    sim = sk.Simulation(nodes=1)
    pod = sim.run_pod("default", "quay.io/ns/absent:1", node="worker-0")
    sim.advance("5s")
    scheduled = [e for e in kube_events(sim) if e.reason == "Scheduled"][0]
    assert scheduled.message == f"Successfully assigned default/{pod.name} to worker-0"
    assert scheduled.source_component == "" and scheduled.reporting_controller == (
        "default-scheduler"
    )
    assert scheduled.first_timestamp is None and scheduled.event_time is not None


def test_failed_create_for_missing_service_account():
    """``FailedCreate`` on the ReplicaSet with the generateName in the Forbidden error."""
    sim = sk.Simulation(nodes=1)
    sim.deploy("default", "web", "quay.io/ns/app:1.0", service_account="missing")
    sim.advance("1m")
    failed = [e for e in kube_events(sim) if e.reason == "FailedCreate"]
    assert failed and failed[0].involved_kind == "ReplicaSet"
    assert failed[0].source_component == "replicaset-controller"
    assert failed[0].message == (
        'Error creating: pods "web-" is forbidden: error looking up service account '
        'default/missing: serviceaccount "missing" not found'
    )
    assert failed[0].count >= 1


def test_successful_create_on_the_replica_set_and_replication_controller():
    """``RealPodControl.CreatePods``: ``Created pod: NAME`` on the pod's owner."""
    sim = sk.Simulation(nodes=1)
    sim.deploy("default", "web", "quay.io/ns/app:1.0")
    sim.deploy("default", "legacy", "quay.io/ns/app:1.0", kind="DeploymentConfig")
    sim.advance("30s")
    created = {
        (e.involved_kind, e.involved_name, e.source_component): e.message
        for e in kube_events(sim)
        if e.reason == "SuccessfulCreate"
    }
    pods = {p.name for p in sim.pods("default")}
    assert {k[:1] + k[2:] for k in created} == {
        ("ReplicaSet", "replicaset-controller"),
        ("ReplicationController", "replication-controller"),
    }
    assert {m.removeprefix("Created pod: ") for m in created.values()} == pods


def test_get_events_flags():
    sim, pod = _outage_sim()
    warnings = sim.oc(f"get events --field-selector involvedObject.name={pod.name},type=Warning")
    rows = warnings.splitlines()[1:]
    assert rows and all(" Warning " in row for row in rows)
    assert sim.oc("get events --field-selector type!=Warning").count(" Warning ") == 0
    everywhere = sim.oc("get ev -A --sort-by=.lastTimestamp")
    assert everywhere.splitlines()[0].startswith("NAMESPACE   LAST SEEN")
    assert sim.oc("get events -n openshift") == "No resources found in openshift namespace.\n"
    with pytest.raises(OcError, match="field label not supported: color"):
        sim.oc("get events --field-selector color=red")


def test_sort_by_last_timestamp_orders_rows():
    """``--sort-by=.lastTimestamp``: a stable sort of the key-ordered listing on the
    field (whole seconds, as the API stores it); an event without one sorts first."""
    sim, _ = _outage_sim()
    events = sorted(kube_events(sim), key=lambda e: (e.namespace, e.name))
    events.sort(key=lambda e: (e.last_timestamp is not None, int(e.last_timestamp or 0)))
    out = sim.oc("get events --sort-by=.lastTimestamp --no-headers")
    rows = [line.split()[2:4] for line in out.splitlines()]
    assert rows == [[e.reason, f"pod/{e.involved_name}"] for e in events]
    assert rows[0][0] == "Scheduled"
    assert sim.oc("get events --sort-by={.lastTimestamp} --no-headers") == out


def test_events_expire_three_hours_after_their_last_write():
    """OpenShift's ``--event-ttl=3h``: a running pod's events are gone after 3 hours; a
    pod still failing keeps rewriting its own (one spam token every 5 minutes)."""
    sim = sk.Simulation(nodes=1)
    registry = sim.registry("quay.io")
    registry.push("ns/app", "1.0")
    good = sim.run_pod("default", "quay.io/ns/app:1.0")
    bad = sim.run_pod("default", "quay.io/ns/app:missing")
    sim.advance("2h")
    assert {e.involved_name for e in kube_events(sim)} == {good.name, bad.name}
    sim.advance("2h")
    left = kube_events(sim)
    assert {e.involved_name for e in left} == {bad.name}
    assert any(e.reason == "BackOff" and e.count > 25 for e in left)
    assert len(kube_events(sim, ttl=None)) > len(left)


def test_missing_pull_secrets_are_one_warning_naming_them_all():
    """kubelet ``getPullSecretsForPod``: one ``FailedToRetrieveImagePullSecret`` per
    lookup, naming every secret it could not read."""
    sim = sk.Simulation(nodes=1)
    sim.registry("quay.io").push("ns/app", "1.0")
    pod = sim.pod_controller.create(
        "default", "quay.io/ns/app:1.0", image_pull_secrets=["gone-a", "gone-b"]
    )
    sim.advance("1m")
    warnings = [
        e
        for e in kube_events(sim)
        if e.reason == "FailedToRetrieveImagePullSecret" and e.involved_name == pod.name
    ]
    assert [e.message for e in warnings] == [
        "Unable to retrieve some image pull secrets (gone-a, gone-b); attempting to pull the "
        "image may not succeed."
    ]
    assert warnings[0].type == "Warning" and warnings[0].source_host == pod.node


def test_get_events_output_formats():
    """``-o wide`` (``printEvent`` with ``options.Wide``), ``-o yaml`` (core/v1 Event
    objects: count and timestamps, ``source``; the scheduler's with ``eventTime``) and
    ``-o name``."""
    import yaml

    sim = sk.Simulation(nodes=1)
    sim.registry("quay.io").push("ns/app", "1.0")
    pod = sim.run_pod("default", "quay.io/ns/app:1.0")
    sim.advance("1m")
    wide = sim.oc("get events -o wide").splitlines()
    assert wide[0].split() == [
        "LAST",
        "SEEN",
        "TYPE",
        "REASON",
        "OBJECT",
        "SUBOBJECT",
        "SOURCE",
        "MESSAGE",
        "FIRST",
        "SEEN",
        "COUNT",
        "NAME",
    ]
    assert any("spec.containers{app}   kubelet, worker-0   Pulling image" in r for r in wide)
    items = yaml.safe_load(sim.oc("get events -o yaml"))["items"]
    assert [i["reason"] for i in items] == ["Scheduled", "Pulling", "Pulled", "Created", "Started"]
    pulled = items[2]
    assert pulled["source"] == {"component": "kubelet", "host": "worker-0"}
    assert pulled["involvedObject"]["uid"] == pod.uid and pulled["count"] == 1
    assert items[0]["eventTime"].startswith("2026-01-01T00:00:00")
    assert items[0]["firstTimestamp"] is None
    names = sim.oc("get events -o name").split()
    assert names == [f"event/{i['metadata']['name']}" for i in items]
    assert all(n.startswith(f"event/{pod.name}.") for n in names)
    with pytest.raises(OcError, match='not "jsonpath'):
        sim.oc("get events -o jsonpath={.items}")


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        ("RegistryUnavailable: dial tcp: i/o timeout", "Error: RegistryUnavailable"),
        ("SignatureValidationFailed: no signature", "Error: SignatureValidationFailed"),
        ("rpc error: code = NotFound desc = manifest unknown", "Error: ErrImagePull"),
    ],
)
def test_failed_pull_error_event_names_the_reason(error, shown):
    """``evalCRIPullErr`` returns the CRI sentinel error (or ``ErrImagePull``), whose
    text ``startContainer`` prints as ``Error: ...``; the ``Failed to pull image``
    event keeps the runtime's whole message."""
    sim = sk.Simulation(nodes=1)
    sim.record(
        "pull",
        namespace="default",
        pod="p",
        node="worker-0",
        image="quay.io/a/b:1",
        policy="Always",
        decision="failed",
        error=error,
        latency=2.0,
    )
    messages = [e.message for e in kube_events(sim) if e.reason == "Failed"]
    assert messages == [f'Failed to pull image "quay.io/a/b:1": {error}', shown]


def test_deleting_a_running_pod_stops_its_container():
    """``killContainer``: ``Killing`` "Stopping container app"; a pod that never ran
    has no such event. The deleted pod's events stay listed."""
    sim = sk.Simulation(nodes=1)
    sim.registry("quay.io").push("ns/app", "1.0")
    running = sim.run_pod("default", "quay.io/ns/app:1.0")
    waiting = sim.run_pod("default", "quay.io/ns/app:nope")
    sim.advance("1m")
    sim.oc(f"delete pod {running.name}")
    sim.oc(f"delete pod {waiting.name}")
    sim.advance("5s")
    killing = [e for e in kube_events(sim) if e.reason == "Killing"]
    assert [(e.involved_name, e.message, e.field_path) for e in killing] == [
        (running.name, "Stopping container app", "spec.containers{app}")
    ]
    assert f"pod/{running.name}" in sim.oc("get events")

"""The scheduler's fewest-pods rule, read from the kubelet's nodes grouped by pod count,
gives the plain rule's answer (count every node's pods, keep the ready ones) and draws
the generator exactly as it does, whatever happened to the nodes and their pods before."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import simkit as sk
from simkit.state.workloads import Pod

NODES = 4
nodes = st.integers(0, NODES - 1)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("admit"), nodes),
        st.tuples(st.just("schedule")),
        st.tuples(st.just("readmit"), st.integers(0, 1000)),
        st.tuples(st.just("delete"), st.integers(0, 1000)),
        st.tuples(st.just("ready"), nodes, st.booleans()),
        st.tuples(st.just("lose"), nodes),
        st.tuples(st.just("replace"), nodes),
    ),
    max_size=50,
)


def _plain(sim: sk.Simulation) -> str:
    """The rule restated without the groups: the ready node with the fewest pods."""
    kubelet = sim.kubelet
    counts = {
        name: len(kubelet.nodes[name].pods) for name in sim.node_names if kubelet.node(name).ready
    }
    if not counts:
        return sim.node_names[0]
    fewest = min(counts.values())
    candidates = [name for name in sim.node_names if counts.get(name) == fewest]
    return candidates[int(sim.rng.integers(len(candidates)))]


def _same_answer_and_draw(sim: sk.Simulation) -> str:
    before = sim.rng.bit_generator.state
    answer = sim.pod_controller._schedule()
    after = sim.rng.bit_generator.state
    sim.rng.bit_generator.state = before
    assert answer == _plain(sim)
    assert sim.rng.bit_generator.state == after
    kubelet = sim.kubelet
    assert kubelet.by_pod_count.count == [len(kubelet.nodes[n].pods) for n in sim.node_names]
    return answer


def _admit(sim: sk.Simulation, node: str, serial: int) -> Pod:
    pod = Pod("app", f"pod-{serial}", "quay.io/acme/web:1", "IfNotPresent", node=node)
    with sim.transaction() as tx:  # in the cluster, so that deleting it forgets it
        tx.put("Pod", pod.key, pod)
    sim.kubelet.admit(pod)
    return pod


@settings(max_examples=40)
@given(operations, st.integers(0, 3))
def test_the_grouped_rule_answers_and_draws_as_the_plain_rule(ops, seed):
    sim = sk.Simulation(seed=seed, nodes=NODES)
    pods: list[Pod] = []
    for serial, op in enumerate(ops):
        kind = op[0]
        if kind == "admit":
            pods.append(_admit(sim, sim.node_names[op[1]], serial))
        elif kind == "schedule":  # a pod created the way PodController binds it
            pods.append(_admit(sim, _same_answer_and_draw(sim), serial))
        elif kind == "readmit" and pods:  # the same pod admitted again counts once
            sim.kubelet.admit(pods[op[1] % len(pods)])
        elif kind == "delete" and pods:
            sim.pod_controller.delete(pods.pop(op[1] % len(pods)))
        elif kind == "ready":  # written from outside the kubelet, like a manifest load
            sim.kubelet.node(sim.node_names[op[1]]).ready = op[2]
        elif kind == "lose":
            sim.kubelet.lose_node(sim.node_names[op[1]])
        elif kind == "replace":  # a fresh node state: its pods are gone with the old one
            sim.kubelet.replace_node(sim.node_names[op[1]])
        _same_answer_and_draw(sim)


def test_no_ready_node_gives_the_first_without_a_draw():
    sim = sk.Simulation(seed=1, nodes=3)
    for name in sim.node_names:
        sim.kubelet.node(name).ready = False
    before = sim.rng.bit_generator.state
    assert sim.pod_controller._schedule() == "worker-0"
    assert sim.rng.bit_generator.state == before


def test_a_lost_node_with_no_pods_is_passed_over_for_the_next_fewest():
    sim = sk.Simulation(seed=1, nodes=3)
    _admit(sim, "worker-1", 1)
    _admit(sim, "worker-2", 2)
    _admit(sim, "worker-2", 3)
    sim.kubelet.lose_node("worker-0")
    assert sim.pod_controller._schedule() == "worker-1"
    sim.kubelet.replace_node("worker-0")
    assert sim.pod_controller._schedule() == "worker-0"


def test_a_replaced_node_counts_none_of_its_old_pods():
    sim = sk.Simulation(seed=1, nodes=2)
    _admit(sim, "worker-0", 1)
    _admit(sim, "worker-0", 2)
    _admit(sim, "worker-1", 3)
    assert sim.pod_controller._schedule() == "worker-1"
    sim.kubelet.replace_node("worker-0")
    assert sim.pod_controller._schedule() == "worker-0"

"""Faults on the pull path: pull-through surviving a source outage, rate limits,
node loss, and the puller's serial/parallel limit."""

from __future__ import annotations

import simkit as sk

INTERNAL = "image-registry.openshift-image-registry.svc:5000"


def _project(sim: sk.Simulation, name: str) -> None:
    sim.oc(f"new-project {name}")
    sim.advance("30s")


def test_pull_through_mirrors_so_later_pulls_survive_a_source_outage():
    sim = sk.Simulation(seed=2, nodes=2)
    quay = sim.registry("quay.io")
    quay.push("acme/base", "9")
    _project(sim, "app")
    sim.oc("tag --reference-policy=local quay.io/acme/base:9 base:9")
    sim.advance("1m")
    spec = sim.pull_spec("app/base:9")
    assert spec.startswith(f"{INTERNAL}/app/base@sha256:")
    first = sim.run_pod("app", spec, node="worker-0")
    sim.advance("1m")
    assert first.status == "Running"
    assert [e["source"] for e in sim.log.iter("pull_through")] == ["quay.io"]
    quay.outage("2h")
    direct = sim.run_pod("app", "quay.io/acme/base:9", node="worker-1")
    mirrored = sim.run_pod("app", spec, node="worker-1")
    sim.advance("5m")
    assert direct.status in ("ErrImagePull", "ImagePullBackOff")
    assert mirrored.status == "Running"  # served by the integrated registry's mirror


def test_registry_rate_limit_refuses_with_toomanyrequests():
    sim = sk.Simulation(seed=2, nodes=3)
    hub = sim.registry("docker.io")
    hub.push("library/busybox", "1.36")
    hub.limit_rate(2, "6h")
    _project(sim, "ci")
    pods = [sim.run_pod("ci", "busybox:1.36", node=f"worker-{i}") for i in range(3)]
    sim.advance("2m")
    statuses = sorted(p.status for p in pods)
    assert statuses.count("Running") == 2
    refused = [p for p in pods if p.status != "Running"][0]
    assert "toomanyrequests" in refused.message


def test_node_loss_replaces_the_pods_of_workloads_on_other_nodes():
    sim = sk.Simulation(seed=2, nodes=3)
    sim.registry("quay.io").push("acme/web", "1")
    _project(sim, "shop")
    sim.deploy("shop", "web", "quay.io/acme/web:1", replicas=3)
    sim.advance("2m")
    lost = [p for p in sim.pods("shop") if p.node == "worker-0"]
    assert lost
    sim.kubelet.lose_node("worker-0")
    sim.advance("2m")
    pods = sim.pods("shop")
    assert len(pods) == 3 and all(p.node != "worker-0" for p in pods)
    assert all(p.status == "Running" for p in pods)
    sim.kubelet.replace_node("worker-0")
    assert sim.kubelet.node("worker-0").ready and not sim.kubelet.node("worker-0").images


def test_serialized_pulls_queue_on_a_node_and_parallel_pulls_do_not():
    def pull_span(config: sk.Config) -> float:
        sim = sk.Simulation(seed=2, nodes=1, config=config)
        quay = sim.registry("quay.io")
        for i in range(4):
            quay.push(f"acme/app{i}", "1", size=500 * 1024**2)
        _project(sim, "p")
        for i in range(4):
            sim.run_pod("p", f"quay.io/acme/app{i}:1")
        sim.advance("10m")
        done = [e["time"] for e in sim.log.iter("pull") if e["decision"] == "pulled"]
        return max(done) - min(done)

    serial = pull_span(sk.Config())
    parallel = pull_span(sk.Config(serialize_image_pulls=False, max_parallel_image_pulls=4))
    assert serial > 25  # four 10 s downloads one after another
    assert parallel < serial / 4  # all four at once (each pull gets the node's bandwidth)

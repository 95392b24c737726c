"""oc get pods / get sa / create deployment / set triggers."""

from __future__ import annotations

import pytest

import simkit as sk


@pytest.fixture
def sim():
    sim = sk.Simulation(seed=1)
    sim.registry("quay.io").push("acme/ruby", "3.1")
    sim.oc("new-project demo")
    sim.advance("30s")
    return sim


def test_create_deployment_then_set_triggers_rolls_out_on_a_new_image(sim):
    sim.oc("tag --scheduled quay.io/acme/ruby:3.1 ruby:3.1")
    assert sim.oc("create deployment web --image=quay.io/acme/ruby:3.1 --replicas=2") == (
        "deployment.apps/web created\n"
    )
    sim.advance("1m")
    lines = sim.oc("get pods").splitlines()
    assert lines[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert len(lines) == 3 and all(" Running " in line for line in lines[1:])
    assert sim.oc("set triggers deploy/web --from-image=ruby:3.1") == (
        "deployment.apps/web triggers updated\n"
    )
    sim.advance("2m")
    web = sim.cluster.get("Deployment", ("demo", "web"))
    assert web.template_image == sim.pull_spec("demo/ruby:3.1")  # now pinned to the digest
    rebuilt = sim.registry("quay.io").push("acme/ruby", "3.1")
    sim.advance("30m")
    assert web.template_image.endswith(rebuilt)
    running = [p for p in sim.pods("demo") if p.status == "Running"]
    assert len(running) == 2 and {p.image_digest for p in running} == {rebuilt}


def test_get_sa_and_missing_objects(sim):
    lines = sim.oc("get sa").splitlines()
    assert [line.split()[0] for line in lines] == ["NAME", "builder", "default", "deployer"]
    with pytest.raises(sk.OcError, match='pods "nope" not found'):
        sim.oc("get pods nope")
    assert sim.oc("get pods -n default") == "No resources found in default namespace.\n"
    with pytest.raises(sk.OcError, match="not found"):
        sim.oc("set triggers deploy/ghost --from-image=ruby:3.1")

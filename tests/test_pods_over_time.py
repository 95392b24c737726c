"""Pods on nodes over simulated time: pull policies, caches, outages, backoff, KEP-2535.

Each expectation restates kubelet behaviour (``pkg/kubelet/images/image_manager.go``,
``shared/reference/kubernetes-pull-auth-rbac.md`` sections 2-4 and 6).
"""

from __future__ import annotations

import pytest

import simkit as sk
from simkit.config import Config


@pytest.fixture
def sim(make_sim):
    # settled: the project's service accounts and pull secrets are provisioned
    return make_sim(seed=3, nodes=2, projects=("shop",), settle="30s")


@pytest.fixture
def quay(sim):
    registry = sim.registry("quay.io")
    registry.push("acme/shop", "1.4")
    registry.push("acme/shop", "latest")
    return registry


def test_rebuilt_tag_if_not_present_keeps_old_digest_always_gets_new(sim, quay):
    old = quay.tags("acme/shop")["1.4"]
    first = sim.run_pod("shop", "quay.io/acme/shop:1.4", node="worker-0")
    sim.advance("1m")
    assert (first.status, first.image_digest) == ("Running", old)
    new = quay.push("acme/shop", "1.4")
    cached = sim.run_pod("shop", "quay.io/acme/shop:1.4", node="worker-0")
    always = sim.run_pod("shop", "quay.io/acme/shop:1.4", pull_policy="Always", node="worker-0")
    fresh = sim.run_pod("shop", "quay.io/acme/shop:1.4", node="worker-1")
    sim.advance("1m")
    assert cached.image_digest == old  # IfNotPresent: the node's image under that name
    assert always.image_digest == new  # Always: pulls, the name moves to the new digest
    assert fresh.image_digest == new  # a node that never had it pulls the new one
    # one tag, two digests across nodes: drift
    names = {
        n: sim.kubelet.node(n).names["quay.io/acme/shop:1.4"] for n in ("worker-0", "worker-1")
    }
    assert names == {"worker-0": new, "worker-1": new}  # worker-0's name moved with Always
    decisions = [e["decision"] for e in sim.log.iter("pull") if e["pod"] == cached.name]
    assert decisions == ["cached"]


@pytest.mark.parametrize(
    ("image", "policy"),
    [
        ("quay.io/acme/shop:latest", "Always"),
        ("quay.io/acme/shop", "Always"),
        ("quay.io/acme/shop:1.4", "IfNotPresent"),
        (f"quay.io/acme/shop:latest@sha256:{'a' * 64}", "Always"),
        (f"quay.io/acme/shop@sha256:{'a' * 64}", "IfNotPresent"),
    ],
)
def test_pull_policy_defaulting(sim, quay, image, policy):
    assert sim.run_pod("shop", image).pull_policy == policy


def test_outage_hits_always_and_uncached_but_not_cached_if_not_present(sim, quay):
    warm = sim.run_pod("shop", "quay.io/acme/shop:1.4", node="worker-0")
    sim.advance("1m")
    assert warm.status == "Running"
    quay.outage("2h")
    cached = sim.run_pod("shop", "quay.io/acme/shop:1.4", node="worker-0")
    always = sim.run_pod("shop", "quay.io/acme/shop:1.4", pull_policy="Always", node="worker-0")
    uncached = sim.run_pod("shop", "quay.io/acme/shop:1.4", node="worker-1")
    sim.advance("10m")
    assert cached.status == "Running"
    assert always.status in ("ErrImagePull", "ImagePullBackOff")
    assert uncached.status in ("ErrImagePull", "ImagePullBackOff")
    assert "connection refused" in always.message
    sim.advance("2h")  # the outage ends; backoff is at most 300 s
    assert always.status == "Running" and uncached.status == "Running"


def test_status_alternates_err_image_pull_and_backoff_with_doubling_delays(sim, quay):
    pod = sim.run_pod("shop", "quay.io/acme/shop:9.9")  # no such tag
    sim.advance("20m")
    statuses = [e for e in sim.log.iter("pod_status") if e["pod"] == pod.name]
    seen = [e["status"] for e in statuses]
    assert seen[0] == "ErrImagePull" and "ImagePullBackOff" in seen
    attempts = [
        e["time"]
        for e in sim.log.iter("pull")
        if e["pod"] == pod.name and e["decision"] == "failed"
    ]
    gaps = [b - a for a, b in zip(attempts, attempts[1:], strict=False)]
    # backoff 10, 20, 40, 80, 160, 300 s; the pod worker retries 10-15 s after each sync,
    # so each gap is the backoff rounded up to the next worker retry
    assert gaps[0] >= 10 and gaps[-1] <= 300 + 15 + 1
    assert all(later >= earlier - 15 for earlier, later in zip(gaps, gaps[1:], strict=False))
    assert max(gaps) >= 160


def test_never_with_and_without_the_image(sim, quay):
    missing = sim.run_pod("shop", "quay.io/acme/shop:1.4", pull_policy="Never", node="worker-1")
    sim.advance("1m")
    assert missing.status == "ErrImageNeverPull"
    assert missing.message == (
        'Container image "quay.io/acme/shop:1.4" is not present with pull policy of Never'
    )
    sim.run_pod("shop", "quay.io/acme/shop:1.4", node="worker-0")
    sim.advance("1m")
    present = sim.run_pod("shop", "quay.io/acme/shop:1.4", pull_policy="Never", node="worker-0")
    sim.advance("1m")
    assert present.status == "Running"


def test_invalid_image_name(sim):
    pod = sim.run_pod("shop", "quay.io/Acme/Shop:1.4")
    sim.advance("1m")
    assert pod.status == "InvalidImageName"


def test_missing_service_account_is_refused_after_retries():
    sim = sk.Simulation(seed=1)
    sim.oc("new-project fresh")
    pod = sim.run_pod("fresh", "quay.io/x/y:1")  # before the default SA exists
    other = sim.run_pod("fresh", "quay.io/x/y:1", service_account="robot")
    sim.advance("5s")
    assert other.status == "Forbidden"
    assert other.message == (
        'error looking up service account fresh/robot: serviceaccount "robot" not found'
    )
    # default: up to 10 tries 100-199 ms apart; the SA is created 2 s after the project
    assert pod.status in ("Forbidden", "Pending", "ErrImagePull", "ImagePullBackOff")


def _private_setup(config: Config):
    sim = sk.Simulation(seed=5, nodes=1, config=config)
    reg = sim.registry("registry.example.com", users={"robot": "s3cret-pw"})
    reg.push("team/private", "1.0")
    sim.oc("new-project a")
    sim.oc("new-project b")
    sim.advance("30s")
    sim.oc(
        "create secret docker-registry reg -n a --docker-server=registry.example.com "
        "--docker-username=robot --docker-password=s3cret-pw"
    )
    owner = sim.run_pod("a", "registry.example.com/team/private:1.0", image_pull_secrets=["reg"])
    sim.advance("1m")
    assert owner.status == "Running"
    intruder = sim.run_pod("b", "registry.example.com/team/private:1.0")
    sim.advance("1m")
    return sim, intruder


def test_kep_2535_gate_off_lets_a_pod_without_credentials_run_a_cached_private_image():
    _, intruder = _private_setup(Config(kubernetes_version="1.32"))
    assert intruder.status == "Running"


def test_kep_2535_always_verify_stops_it():
    config = Config(
        kubernetes_version="1.35", image_pull_credentials_verification_policy="AlwaysVerify"
    )
    _, intruder = _private_setup(config)
    assert intruder.status in ("ErrImagePull", "ImagePullBackOff")
    assert "unauthorized" in intruder.message


def test_pull_events_never_carry_the_secret():
    config = Config(kubernetes_version="1.35")
    sim, _ = _private_setup(config)
    text = sim.events.to_csv()
    assert "s3cret-pw" not in text
    assert "secret:a/reg" in text  # the credential source is named, not its content

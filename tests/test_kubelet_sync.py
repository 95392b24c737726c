"""The kubelet's shortcuts equal the plain computations they stand for."""

from __future__ import annotations

import pytest

import simkit as sk
from simkit.config import Config
from simkit.controllers.kubelet import runtime_name
from simkit.refs import InvalidReference, apply_default_tag, parse_image

DIGEST = "sha256:" + "ab" * 32

SPECS = [
    "busybox",
    "busybox:1.36",
    "busybox:latest",
    f"busybox@{DIGEST}",
    f"busybox:1.36@{DIGEST}",
    "library/busybox",
    "quay.io/fleet/app1",
    "quay.io/fleet/app1:v2",
    f"quay.io/fleet/app1@{DIGEST}",
    "localhost:5000/app",
    "localhost:5000/app:5000",
    "registry.example.com:5000/foobar",
    f"image-registry.openshift-image-registry.svc:5000/ns/app@{DIGEST}",
    "ns/app:tag",
    "",
    "ROOT",
    "FAILED_IMAGE",
    "a:b:c",
    "quay.io/app@sha256:short",
    "Not A Valid Image",
]


def _plain(spec: str) -> str:
    return str(parse_image(apply_default_tag(spec)))


@pytest.mark.parametrize("spec", SPECS)
def test_runtime_name_is_the_default_tagged_parse(spec: str) -> None:
    try:
        expected = _plain(spec)
    except InvalidReference as exc:
        with pytest.raises(InvalidReference) as raised:
            runtime_name(spec)
        assert str(raised.value) == str(exc)
        return
    assert runtime_name(spec) == expected


# -- a restart reuses its pod's first sync (Kubelets._PodMemo) --------------------------


def _decisions(sim: sk.Simulation, pod) -> list[str]:
    return [e["decision"] for e in sim.log if e["kind"] == "pull" and e.get("pod") == pod.name]


def test_a_restart_sees_a_new_verification_policy() -> None:
    """A preloaded image (no pulled record) is used under NeverVerifyPreloadedImages,
    restart after restart; once the config says AlwaysVerify the next restart pulls."""
    sim = sk.Simulation(seed=3, nodes=1, config=Config(kubernetes_version="1.35"))
    digest = sim.registry("quay.io").push("team/app", "1.0")
    sim.kubelet.node("worker-0").store("quay.io/team/app:1.0", digest, 10 * 1024**2, 0.0)
    sim.oc("new-project a")
    sim.advance("30s")
    pod = sim.run_pod("a", "quay.io/team/app:1.0", pull_policy="IfNotPresent")
    sim.advance("1m")
    sim.kubelet.restart(pod)
    sim.kubelet.restart(pod)
    assert _decisions(sim, pod) == ["cached", "cached", "cached"]
    sim.config = sim.config.replace(image_pull_credentials_verification_policy="AlwaysVerify")
    sim.kubelet.restart(pod)
    sim.advance("1m")
    assert _decisions(sim, pod)[3:] == ["pulled"]
    sim.kubelet.restart(pod)  # now pulled with no credential: node-wide, used as is
    assert _decisions(sim, pod)[4:] == ["cached"]


def test_a_restart_checks_the_pod_secrets_again() -> None:
    """An image pulled with a pod secret is used on restart while the secret is there
    (the check reads it, so its answer is not kept); without it the restart must pull."""
    sim = sk.Simulation(seed=5, nodes=1, config=Config(kubernetes_version="1.35"))
    reg = sim.registry("registry.example.com", users={"robot": "s3cret-pw"})
    reg.push("team/private", "1.0")
    sim.oc("new-project a")
    sim.advance("30s")
    sim.oc(
        "create secret docker-registry reg -n a --docker-server=registry.example.com "
        "--docker-username=robot --docker-password=s3cret-pw"
    )
    pod = sim.run_pod("a", "registry.example.com/team/private:1.0", image_pull_secrets=["reg"])
    sim.advance("1m")
    sim.kubelet.restart(pod)
    sim.kubelet.restart(pod)
    assert _decisions(sim, pod) == ["pulled", "cached", "cached"]
    with sim.transaction() as tx:
        tx.delete("Secret", ("a", "reg"))
    sim.kubelet.restart(pod)
    sim.advance("1m")
    assert _decisions(sim, pod)[3] == "failed"
    assert "unauthorized" in pod.message

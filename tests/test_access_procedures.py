"""The image guide's access procedures, as oc commands over simulated time, end to end:
pods actually pull (or fail) with what each step sets up."""

from __future__ import annotations

import json

import pytest

import simkit as sk

INTERNAL = "image-registry.openshift-image-registry.svc:5000"
TEMPLATE = "--template='{{index .data \".dockerconfigjson\" | base64decode}}'"


def _settled(sim: sk.Simulation) -> None:
    sim.advance("30s")  # service accounts and their dockercfg secrets are provisioned


@pytest.fixture
def sim(make_sim):
    return make_sim(seed=11, nodes=2)


def test_cross_project_pull_with_a_grant_to_one_service_account(sim):
    sim.registry("quay.io").push("acme/base", "9")
    sim.oc("new-project project-a")
    sim.oc("new-project project-b")
    sim.oc("tag --reference-policy=local quay.io/acme/base:9 base:9 -n project-b")
    _settled(sim)
    image = f"{INTERNAL}/project-b/base:9"
    denied = sim.run_pod("project-a", image)
    sim.advance("1m")
    assert denied.status in ("ErrImagePull", "ImagePullBackOff")
    assert "authorization" in denied.message
    sim.oc(
        "policy add-role-to-user system:image-puller "
        "system:serviceaccount:project-a:default --namespace=project-b"
    )
    assert sim.can_pull("system:serviceaccount:project-a:default", "project-b/base")
    assert not sim.can_pull("system:serviceaccount:project-a:builder", "project-b/base")
    allowed = sim.run_pod("project-a", image, node="worker-1")
    sim.advance("1m")
    assert allowed.status == "Running"
    assert [e for e in sim.log.iter("pull_through")]  # fetched from quay.io, mirrored


def test_cross_project_pull_with_a_grant_to_a_whole_project(sim):
    sim.registry("quay.io").push("acme/base", "9")
    for name in ("project-a", "project-b"):
        sim.oc(f"new-project {name}")
    sim.oc("tag quay.io/acme/base:9 base:9 -n project-b")
    sim.oc(
        "policy add-role-to-group system:image-puller system:serviceaccounts:project-a "
        "--namespace=project-b"
    )
    _settled(sim)
    for account in ("default", "builder", "deployer"):
        assert sim.can_pull(f"system:serviceaccount:project-a:{account}", "project-b/base")
    pod = sim.run_pod("project-a", f"{INTERNAL}/project-b/base:9")
    sim.advance("1m")
    assert pod.status == "Running"


def test_secured_registry_through_a_linked_pull_secret(sim):
    private = sim.registry("registry.example.com", users={"robot": "hunter2-pw"})
    private.push("team/app", "1.0")
    sim.oc("new-project shop")
    _settled(sim)
    image = "registry.example.com/team/app:1.0"
    before = sim.run_pod("shop", image)
    sim.advance("1m")
    assert before.status in ("ErrImagePull", "ImagePullBackOff")
    sim.oc(
        "create secret docker-registry reg --docker-server=registry.example.com "
        "--docker-username=robot --docker-password=hunter2-pw --docker-email=r@x.io -n shop"
    )
    sim.oc("secrets link default reg --for=pull -n shop")
    after = sim.run_pod("shop", image, node="worker-1")
    sim.advance("1m")
    assert after.status == "Running"
    assert "reg" in after.image_pull_secrets
    assert "hunter2-pw" not in sim.events.to_csv()


def test_most_specific_entry_wins(sim, tmp_path):
    quay = sim.registry("quay.io", users={"main": "main-pw", "general": "general-pw"})
    quay.push("repository-main/app", "1")
    quay.push("other/app", "1")
    config = {
        "auths": {
            "quay.io": {"auth": _b64("general:wrong-pw")},
            "quay.io/repository-main": {"auth": _b64("main:main-pw")},
        }
    }
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    sim.oc("new-project shop")
    _settled(sim)
    sim.oc(
        f"create secret generic quay --from-file=.dockerconfigjson={path} "
        "--type=kubernetes.io/dockerconfigjson -n shop"
    )
    specific = sim.run_pod("shop", "quay.io/repository-main/app:1", image_pull_secrets=["quay"])
    general = sim.run_pod("shop", "quay.io/other/app:1", image_pull_secrets=["quay"])
    sim.advance("1m")
    assert specific.status == "Running"  # quay.io/repository-main matched first
    assert general.status in ("ErrImagePull", "ImagePullBackOff")  # only the wrong entry
    assert "incorrect username or password" in general.message


def test_delegated_authentication_needs_both_secrets(sim):
    sim.registry("sso.example.com", users={"me": "sso-pw"})
    registry = sim.registry(
        "registry.example.com", users={"me": "reg-pw"}, auth_server="sso.example.com"
    )
    registry.push("vendor/agent", "2")
    sim.oc("new-project ops")
    _settled(sim)
    sim.oc(
        "create secret docker-registry reg -n ops --docker-server=registry.example.com "
        "--docker-username=me --docker-password=reg-pw"
    )
    only_registry = sim.run_pod(
        "ops", "registry.example.com/vendor/agent:2", image_pull_secrets=["reg"]
    )
    sim.advance("1m")
    assert only_registry.status in ("ErrImagePull", "ImagePullBackOff")
    sim.oc(
        "create secret docker-registry sso -n ops --docker-server=sso.example.com "
        "--docker-username=me --docker-password=sso-pw"
    )
    both = sim.run_pod(
        "ops",
        "registry.example.com/vendor/agent:2",
        image_pull_secrets=["reg", "sso"],
        node="worker-1",
    )
    sim.advance("1m")
    assert both.status == "Running"


def test_delegated_authentication_as_the_guide_describes_it(sim):
    """The guide's procedure, with nothing but ``auth_server=``: the token server is not
    declared and accepts the registry's own users.  Only the registry's secret: refused;
    a secret for each host linked for pull: the pod runs.  Every prediction agrees
    beforehand (OpenShift "Pulling from private registries with delegated
    authentication")."""
    from simkit import analysis

    registry = sim.registry(
        "privateregistry.example.com", users={"me": "reg-pw"}, auth_server="sso.example.com"
    )
    registry.push("vendor/agent", "2")
    assert "sso.example.com" not in sim.registries
    sim.oc("new-project ops")
    _settled(sim)
    account = "system:serviceaccount:ops:default"
    image = "privateregistry.example.com/vendor/agent:2"
    verdicts = []
    for server in ("privateregistry.example.com", "sso.example.com"):
        name = server.split(".")[0]
        sim.oc(
            f"create secret docker-registry {name} -n ops --docker-server={server} "
            "--docker-username=me --docker-password=reg-pw"
        )
        sim.oc(f"secrets link default {name} --for=pull -n ops")
        predictions = [
            sim.explain_pull(account, "privateregistry.example.com").allowed,
            sim.explain_pull(account, image).allowed,
            analysis.explain_pull(sim, account, "privateregistry.example.com").allowed,
            analysis.explain_pull(sim, account, image).allowed,
        ]
        pod = sim.run_pod("ops", image)
        sim.advance("1m")
        verdicts.append((pod.status, predictions))
    (first, refused), (second, allowed) = verdicts
    assert first in ("ErrImagePull", "ImagePullBackOff") and refused == [False] * 4
    assert second == "Running" and allowed == [True] * 4


def test_a_token_server_declared_with_its_own_users_keeps_checking_them(sim):
    sim.registry("sso.example.com", users={"me": "sso-pw"})
    sim.registry(
        "registry.example.com", users={"me": "reg-pw"}, auth_server="sso.example.com"
    ).push("vendor/agent", "2")
    sim.oc("new-project ops")
    _settled(sim)
    for name, server, password in (
        ("reg", "registry.example.com", "reg-pw"),
        ("sso", "sso.example.com", "reg-pw"),
    ):
        sim.oc(
            f"create secret docker-registry {name} -n ops --docker-server={server} "
            f"--docker-username=me --docker-password={password}"
        )
    wrong = sim.run_pod(
        "ops", "registry.example.com/vendor/agent:2", image_pull_secrets=["reg", "sso"]
    )
    sim.advance("1m")
    assert wrong.status in ("ErrImagePull", "ImagePullBackOff")
    assert "authentication required by token server sso.example.com" in wrong.message
    assert not sim.explain_pull(f"pod:ops/{wrong.name}", wrong.image).allowed


def test_global_pull_secret_appended_and_rolled_out_node_by_node(sim, tmp_path):
    private = sim.registry("registry.example.com", users={"ops": "global-pw"})
    private.push("team/app", "1.0")
    sim.oc("new-project shop")
    _settled(sim)
    path = tmp_path / "pull-secret.json"
    assert sim.oc(f"get secret/pull-secret -n openshift-config {TEMPLATE} > {path}") == ""
    out = sim.oc(
        f"registry login --registry=registry.example.com --auth-basic=ops:global-pw --to={path}"
    )
    assert out == f"Saved credentials for registry.example.com into {path}\n"
    assert "registry.example.com" in json.loads(path.read_text())["auths"]
    sim.oc(f"set data secret/pull-secret -n openshift-config --from-file=.dockerconfigjson={path}")
    early = sim.run_pod("shop", "registry.example.com/team/app:1.0", node="worker-1")
    sim.advance("30s")  # the first node has it (60 s per node), the second not yet
    assert early.status in ("ErrImagePull", "ImagePullBackOff")
    sim.advance("5m")  # rolled out everywhere; the pod's next retry succeeds
    assert early.status == "Running"
    rolled = [e["node"] for e in sim.log.iter("pull_secret_rolled_out")]
    assert rolled == ["worker-0", "worker-1"]
    shown = sim.oc(f"get secret/pull-secret -n openshift-config {TEMPLATE}")
    assert "global-pw" not in shown and "registry.example.com" in shown


def test_service_account_race_pod_created_before_the_pull_secret_keeps_failing(sim):
    sim.registry("quay.io").push("acme/base", "9")
    sim.oc("new-project shared")
    sim.oc("tag --reference-policy=local quay.io/acme/base:9 base:9 -n shared")
    sim.oc("new-project team")
    sim.oc("policy add-role-to-group system:image-puller system:serviceaccounts:team -n shared")
    sim.advance("3s")  # the default SA exists, its dockercfg secret is not linked yet
    early = sim.run_pod("team", f"{INTERNAL}/shared/base:9")
    sim.advance("1h")
    assert early.image_pull_secrets == []
    assert early.status in ("ErrImagePull", "ImagePullBackOff")  # never reconciled
    late = sim.run_pod("team", f"{INTERNAL}/shared/base:9")
    sim.advance("1m")
    assert late.image_pull_secrets and late.status == "Running"


def _b64(text: str) -> str:
    import base64

    return base64.b64encode(text.encode()).decode()

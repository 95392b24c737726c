"""A lesson's lifecycle commands: delete pod, run, rollout restart/status, create
imagestream, set image-lookup, get all, status, explain; admission refusals at once.

Upstream (openshift/oc 6b8e30c, vendoring k8s.io/kubectl v0.35.2):

- ``vendor/k8s.io/kubectl/pkg/cmd/delete/delete.go`` ``DeleteOptions.PrintObj`` (since
  kubernetes/kubernetes#126619: ``deleted from NS namespace``; ``force deleted`` when the
  grace period is 0) and ``RunDelete`` (``No resources found``);
- ``pkg/polymorphichelpers/objectrestarter.go`` (``kubectl.kubernetes.io/restartedAt``,
  ``restarting is not supported``), ``pkg/cmd/rollout/rollout_restart.go`` (the empty
  patch message), ``pkg/polymorphichelpers/rollout_status.go``
  (``DeploymentStatusViewer.Status``, its messages in its order);
- oc ``pkg/helpers/originpolymorphichelpers/deploymentconfigs/status.go``,
  ``pkg/cli/create/imagestream.go``, ``pkg/cli/set/imagelookup.go``,
  ``pkg/helpers/describe/projectstatus.go``;
- kubernetes ``plugin/pkg/admission/serviceaccount/admission.go`` (403 ``error looking
  up service account NS/SA: serviceaccount "SA" not found``).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simkit as sk


@pytest.fixture
def sim():
    sim = sk.Simulation(seed=3)
    sim.registry("quay.io").push("acme/web", "1")
    sim.oc("new-project demo")
    sim.advance("30s")
    return sim


def _pods(sim, namespace="demo"):
    return sorted(sim.pods(namespace), key=lambda p: p.name)


# -- oc delete pod ----------------------------------------------------------------------------
def test_delete_bare_pod_is_gone_with_kubectls_message(sim):
    assert sim.oc("run bare --image=quay.io/acme/web:1") == "pod/bare created\n"
    sim.advance("1m")
    assert sim.oc("delete pod bare") == 'pod "bare" deleted from demo namespace\n'
    sim.advance("1m")
    assert sim.pods("demo") == []
    deleted = sim.events.query("kind == 'pod_deleted'")
    assert list(deleted["pod"]) == ["bare"] and list(deleted["reason"]) == ["deleted"]


def test_delete_owned_pod_is_recreated_by_its_owner_under_a_new_name(sim):
    sim.oc("create deployment web --image=quay.io/acme/web:1 --replicas=2")
    sim.advance("1m")
    before = [p.name for p in _pods(sim)]
    assert sim.oc(f"delete pod/{before[0]}") == (f'pod "{before[0]}" deleted from demo namespace\n')
    after = _pods(sim)
    assert len(after) == 2 and before[0] not in {p.name for p in after}
    new = next(p for p in after if p.name not in before)
    assert new.name.startswith("web-") and new.owner == "Deployment/web#1"
    sim.advance("1m")
    assert all(p.status == "Running" for p in _pods(sim))


def test_delete_all_deletes_what_was_listed_and_owners_replace_theirs(sim):
    sim.deploy("demo", "api", "quay.io/acme/web:1", kind="DeploymentConfig")
    sim.oc("run bare --image=quay.io/acme/web:1")
    sim.advance("1m")
    listed = [p.name for p in _pods(sim)]
    out = sim.oc("delete pod --all")
    assert out.splitlines() == [f'pod "{n}" deleted from demo namespace' for n in listed]
    left = _pods(sim)
    assert len(left) == 1 and left[0].owner == "DeploymentConfig/api#1"
    assert left[0].name not in listed and left[0].name.startswith("api-1-")
    assert sim.oc("delete pods --all -n default") == "No resources found\n"


def test_delete_missing_pod_is_not_found_and_deletes_nothing(sim):
    sim.oc("run bare --image=quay.io/acme/web:1")
    with pytest.raises(sk.OcError) as caught:
        sim.oc("delete pod bare ghost")
    assert str(caught.value) == 'Error from server (NotFound): pods "ghost" not found'
    assert [p.name for p in sim.pods("demo")] == ["bare"]
    assert sim.oc("delete pod ghost --ignore-not-found") == ""
    with pytest.raises(sk.OcError, match="no name was specified"):
        sim.oc("delete pod")


def test_force_delete_warns_and_says_force_deleted(sim):
    sim.oc("run bare --image=quay.io/acme/web:1")
    out = sim.oc("delete pod bare --force --grace-period=0").splitlines()
    assert out[0].startswith("Warning: Immediate deletion does not wait for confirmation")
    assert out[1] == 'pod "bare" force deleted from demo namespace'


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(replicas=st.integers(1, 3), victims=st.sets(st.integers(0, 2), max_size=3))
def test_deleting_any_owned_pods_keeps_the_replica_count(replicas, victims):
    """Invariant of the ReplicaSet controller: it makes up for every deleted pod."""
    sim = sk.Simulation(seed=1, nodes=1)
    sim.registry("quay.io").push("acme/web", "1")
    sim.deploy("default", "web", "quay.io/acme/web:1", replicas=replicas)
    sim.advance("30s")
    names = [p.name for p in _pods(sim, "default")]
    chosen = [names[i] for i in sorted(victims) if i < len(names)]
    if chosen:
        sim.oc("delete pod " + " ".join(chosen) + " -n default")
    now = {p.name for p in sim.pods("default")}
    assert len(now) == replicas and not now & set(chosen)


# -- oc rollout -------------------------------------------------------------------------------
def test_rollout_restart_sets_restarted_at_and_rolls_out_new_pods(sim):
    sim.oc("create deployment web --image=quay.io/acme/web:1 --replicas=2")
    sim.advance("1m")
    old = {p.name for p in sim.pods("demo")}
    assert sim.oc("rollout status deployment/web") == ('deployment "web" successfully rolled out\n')
    assert sim.oc("rollout restart deployment/web") == "deployment.apps/web restarted\n"
    web = sim.cluster.get("Deployment", ("demo", "web"))
    assert web.restarted_at == sim.rfc3339() and web.revision == 2
    assert sim.oc("rollout status deploy/web") == (
        'Waiting for deployment "web" rollout to finish: 2 old replicas are pending '
        "termination...\n"
    )
    with pytest.raises(sk.OcError) as caught:
        sim.oc("rollout restart deployment/web")  # the same second: an empty patch
    assert str(caught.value) == (
        "error: failed to create patch for web: if restart has already been triggered "
        "within the past second, please wait before attempting to trigger another"
    )
    sim.advance("1m")
    new = {p.name for p in sim.pods("demo")}
    assert len(new) == 2 and not new & old
    assert sim.oc("rollout status deployment web") == ('deployment "web" successfully rolled out\n')
    causes = sim.events.query("kind == 'rollout'")["cause"].tolist()
    assert causes == ["initial", "restart"]


def test_rollout_restart_of_a_deployment_config_is_not_supported(sim):
    sim.deploy("demo", "api", "quay.io/acme/web:1", kind="DeploymentConfig")
    with pytest.raises(sk.OcError) as caught:
        sim.oc("rollout restart dc/api")
    assert str(caught.value) == (
        'error: deploymentconfigs.apps.openshift.io "api" restarting is not supported'
    )
    with pytest.raises(sk.OcError, match='deployments.apps "ghost" not found'):
        sim.oc("rollout restart deployment/ghost")


def test_rollout_status_of_a_failing_pull_then_the_progress_deadline(sim):
    sim.oc("create deployment bad --image=quay.io/acme/missing:1")
    sim.advance("5m")
    assert sim.oc("rollout status deployment/bad") == (
        'Waiting for deployment "bad" rollout to finish: 0 of 1 updated replicas are available...\n'
    )
    sim.advance("5m1s")  # progressDeadlineSeconds: 600 without progress
    with pytest.raises(sk.OcError) as caught:
        sim.oc("rollout status deployment/bad")
    assert str(caught.value) == 'error: deployment "bad" exceeded its progress deadline'


def test_rollout_status_of_deployment_configs(sim):
    sim.deploy("demo", "waits", trigger="web:1", kind="DeploymentConfig")
    assert sim.oc("rollout status dc/waits") == (
        'Deployment config "waits" waiting on image update\n'
    )
    sim.deploy("demo", "api", "quay.io/acme/web:1", kind="DeploymentConfig")
    sim.advance("1m")
    assert sim.oc("rollout status dc/api") == (
        'replication controller "api-1" successfully rolled out\n'
    )
    with pytest.raises(sk.OcError, match=r"desired revision \(2\) is different"):
        sim.oc("rollout status dc/api --revision=2")


# -- image streams ----------------------------------------------------------------------------
def test_create_imagestream(sim):
    assert sim.oc("create imagestream mysql") == "imagestream.image.openshift.io/mysql created\n"
    assert sim.stream("demo", "mysql").lookup_local is False
    assert sim.oc("create is local --lookup-local") == (
        "imagestream.image.openshift.io/local created\n"
    )
    assert sim.stream("demo", "local").lookup_local is True
    with pytest.raises(sk.OcError) as caught:
        sim.oc("create imagestream mysql")
    assert str(caught.value) == (
        'Error from server (AlreadyExists): imagestreams.image.openshift.io "mysql" already exists'
    )
    with pytest.raises(sk.OcError, match="exactly one NAME is required, got 0"):
        sim.oc("create imagestream")


def test_set_image_lookup_and_pods_resolving_a_bare_stream_name(sim):
    sim.oc("tag quay.io/acme/web:1 web:1")
    sim.oc("create imagestream other")
    sim.advance("1m")
    assert sim.oc("set image-lookup") == "NAME   LOCAL\nother  false\nweb    false\n"
    sim.oc("run before --image=web:1")
    assert sim.cluster.get("Pod", ("demo", "before")).image == "web:1"  # docker.io/library/web
    assert sim.oc("set image-lookup web") == (
        "imagestream.image.openshift.io/web image lookup updated\n"
    )
    assert sim.oc("set image-lookup web") == ""  # unchanged: nothing printed
    assert sim.stream("demo", "web").lookup_local is True
    sim.oc("run after --image=web:1")
    assert sim.cluster.get("Pod", ("demo", "after")).image == sim.pull_spec("demo/web:1")
    assert sim.oc("set image-lookup --list") == "NAME   LOCAL\nother  false\nweb    true\n"
    assert sim.oc("set image-lookup --all --enabled=false") == (
        "imagestream.image.openshift.io/web image lookup updated\n"
    )
    with pytest.raises(sk.OcError, match='imagestreams.image.openshift.io "nope" not found'):
        sim.oc("set image-lookup nope")


# -- looking at a project ---------------------------------------------------------------------
def test_get_all_lists_each_kind_in_its_own_table(sim):
    assert sim.oc("get all") == "No resources found in demo namespace.\n"
    sim.oc("tag quay.io/acme/web:1 web:1")
    sim.oc("create deployment web --image=quay.io/acme/web:1")
    sim.deploy("demo", "api", trigger="web:1", kind="DeploymentConfig")
    sim.advance("2m")
    blocks = sim.oc("get all").split("\n\n")
    headers = [block.splitlines()[0].split() for block in blocks]
    assert headers == [
        ["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
        ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
        ["NAME", "REVISION", "DESIRED", "CURRENT", "TRIGGERED", "BY"],
        ["NAME", "IMAGE", "REPOSITORY", "TAGS", "UPDATED"],
    ]
    assert blocks[1].splitlines()[1].split() == ["deployment.apps/web", "1/1", "1", "1", "2m"]
    assert blocks[2].splitlines()[1].split() == [
        "deploymentconfig.apps.openshift.io/api",
        "1",
        "1",
        "1",
        "image(web:1)",
    ]
    assert blocks[3].splitlines()[1].startswith("imagestream.image.openshift.io/web ")
    names = sim.oc("get all -o name").splitlines()
    assert [n.split("/")[0] for n in names] == [
        "pod",
        "pod",
        "deployment.apps",
        "deploymentconfig.apps.openshift.io",
        "imagestream.image.openshift.io",
    ]


def test_status_shows_what_each_workload_deploys_and_its_revisions(sim):
    sim.oc("tag quay.io/acme/web:1 web:1")
    sim.deploy("demo", "api", trigger="web:1", kind="DeploymentConfig")
    sim.oc("create deployment web --image=quay.io/acme/web:1 --replicas=2")
    sim.oc("run bare --image=quay.io/acme/web:1")
    sim.advance("3m")
    sim.oc("rollout restart deployment/web")
    sim.advance("2m")
    assert sim.oc("status") == (
        "In project demo on server https://api.sim.example.com:6443\n"
        "\n"
        "dc/api deploys istag/web:1 \n"
        "  deployment #1 deployed 4 minutes ago - 1 pod\n"
        "\n"
        "deployment/web deploys quay.io/acme/web:1\n"
        "  deployment #2 running for 2 minutes - 2 pods\n"
        "  deployment #1 deployed 5 minutes ago\n"
        "\n"
        "pod/bare runs quay.io/acme/web:1\n"
        "\n"
        "View details with 'oc describe <resource>/<name>' or list resources with "
        "'oc get all'.\n"
    )
    assert sim.oc("status -n default").endswith(
        "You have no services, deployment configs, or build configs.\n"
        "Run 'oc new-app' to create an application.\n"
    )


def test_explain_is_not_modelled(sim):
    with pytest.raises(sk.OcError) as caught:
        sim.oc("explain pods")
    assert str(caught.value) == 'error: "oc explain" is not modelled by simkit'


# -- admission --------------------------------------------------------------------------------
FORBIDDEN = (
    'pods "web" is forbidden: error looking up service account fresh/default: '
    'serviceaccount "default" not found'
)


def test_oc_run_in_a_project_without_its_default_account_is_refused_at_once():
    sim = sk.Simulation(seed=2)
    sim.registry("quay.io").push("acme/web", "1")
    sim.oc("new-project fresh")  # its service accounts come a moment later
    with pytest.raises(sk.OcError) as caught:
        sim.oc("run web --image=quay.io/acme/web:1")
    assert str(caught.value) == f"Error from server (Forbidden): {FORBIDDEN}"
    sim.advance("10s")
    assert sim.pods("fresh") == [] and sim.pod_controller.rejected == []
    assert "pod_rejected" not in set(sim.events["kind"])
    assert sim.oc("run web --image=quay.io/acme/web:1") == "pod/web created\n"


def test_oc_create_f_pod_is_refused_at_once_with_the_file_named(tmp_path):
    sim = sk.Simulation(seed=2)
    sim.oc("new-project fresh")
    manifest = tmp_path / "pod.yaml"
    manifest.write_text(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
        "  containers:\n  - name: web\n    image: quay.io/acme/web:1\n"
    )
    with pytest.raises(sk.OcError) as caught:
        sim.oc(f"create -f {manifest}")
    assert str(caught.value) == (
        f'Error from server (Forbidden): error when creating "{manifest}": {FORBIDDEN}'
    )
    sim.advance("10s")
    assert sim.pods("fresh") == []
    assert sim.oc(f"create -f {manifest}") == "pod/web created\n"


def test_run_pod_keeps_its_documented_forbidden_status():
    """API.md: ``sim.run_pod`` returns the pod; once advanced its status is Forbidden."""
    sim = sk.Simulation(seed=2)
    sim.oc("new-project fresh")
    pod = sim.run_pod("fresh", "quay.io/acme/web:1")
    sim.advance("5s")
    assert pod.status == "Forbidden"
    assert pod.message == FORBIDDEN.partition("is forbidden: ")[2]


def test_a_deployment_made_before_its_account_exists_gets_its_pods_once_it_does():
    """The ReplicaSet controller requeues a refused pod creation with backoff
    (client-go ``DefaultControllerRateLimiter``) instead of giving up: the lesson's
    ``oc new-project`` then ``oc create deployment`` ends with running pods."""
    sim = sk.Simulation(seed=2)
    sim.registry("quay.io").push("acme/web", "1")
    sim.oc("new-project fresh")
    sim.oc("create deployment web --image=quay.io/acme/web:1 --replicas=2")
    sim.advance("1s")
    assert sim.pods("fresh") == []
    sim.advance("1m")
    pods = sim.pods("fresh")
    assert len(pods) == 2 and all(p.status == "Running" for p in pods)
    refused = sim.events.query("kind == 'pod_rejected'")
    assert len(refused) >= 2 and set(refused["reason"]) == {"Forbidden"}
    assert sim.oc("rollout status deployment/web") == ('deployment "web" successfully rolled out\n')


def test_status_and_rollout_status_of_a_deployment_config_mid_rollout(sim):
    """``describeDeploymentConfigDeploymentStatus``: the running RC first (``running for``,
    pods ``ready/requested``), then the complete one (``deployed ... ago``)."""
    sim.registry("quay.io").push("acme/web", "2")
    sim.oc("tag quay.io/acme/web:1 web:1")
    sim.deploy("demo", "api", trigger="web:1", kind="DeploymentConfig", replicas=2)
    sim.advance("2m")
    sim.oc("tag quay.io/acme/web:2 web:1")
    sim.advance("3s")
    block = sim.oc("status").split("\n\n")[1]
    assert block.splitlines() == [
        "dc/api deploys istag/web:1 ",
        "  deployment #2 running for 2 seconds - 0/2 pods",
        "  deployment #1 deployed 2 minutes ago - 2 pods",
    ]
    assert sim.oc("rollout status dc/api") == (
        "Waiting for rollout to finish: 2 old replicas are pending termination...\n"
    )
    sim.advance("1m")
    assert sim.oc("rollout status dc/api") == (
        'replication controller "api-2" successfully rolled out\n'
    )


def test_a_local_name_whose_tag_points_at_nothing_goes_to_the_integrated_registry(sim):
    """openshift-apiserver ``imageResolutionCache.resolveImageStreamTag``: a stream that
    resolves local names but has no such tag rewrites ``NAME:TAG`` to its own repository
    (``status.dockerImageRepository``) with the tag."""
    sim.oc("create imagestream app --lookup-local")
    sim.oc("run app --image=app:v2")
    pod = sim.cluster.get("Pod", ("demo", "app"))
    assert pod.image == "image-registry.openshift-image-registry.svc:5000/demo/app:v2"
    assert pod.pull_policy == "IfNotPresent"  # defaulted from what was typed: app:v2


def test_a_deployment_whose_named_account_is_made_later_is_retried_until_admitted():
    """A non-default service account is looked up once at admission, so the refusal comes
    at once, inside the pod's creation: the ReplicaSet controller still requeues with
    backoff (``manageReplicas``) and creates the pod once the account exists, each
    refusal a FailedCreate."""
    sim = sk.Simulation(seed=2)
    sim.registry("quay.io").push("acme/web", "1")
    sim.oc("new-project shop")
    sim.advance("30s")
    sim.deploy("shop", "web", "quay.io/acme/web:1", service_account="builder-bot")
    sim.advance("30s")
    assert sim.pods("shop") == []
    assert len(sim.events.query("kind == 'pod_rejected'")) >= 3  # retried, not given up
    sim.oc("create sa builder-bot -n shop")
    sim.advance("10m")
    pods = sim.pods("shop")
    assert len(pods) == 1 and pods[0].status == "Running"

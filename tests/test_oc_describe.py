"""``oc describe`` of pods, service accounts, secrets, RBAC, nodes, projects and images.

Golden cases restated from kubectl ``pkg/describe/describe_test.go`` (kubernetes/kubectl
commit dee3483a3d6a, the describers oc vendors at v0.35.2): ``TestDescribeSecret``,
``TestDescribeServiceAccount``, ``TestDescribeRole``, ``TestDescribeClusterRole``,
``TestDescribeRoleBinding``; the pod layout from ``describePod``.
"""

from __future__ import annotations

import pytest

import simkit as sk
from simkit.oc import OcError
from simkit.oc.describers import describe_role, describe_role_binding, describe_secret
from simkit.state.accounts import Secret, ServiceAccount
from simkit.state.rbac import PolicyRule, Role, RoleBinding, RoleRef, Subject


@pytest.mark.parametrize(
    ("data", "order"),
    [
        ({"username": b"YWRtaW4=", "password": b"MWYyZDFlMmU2N2Rm"}, ["password", "username"]),
        (
            {
                "text": b"a3ViZXJuZXRlcwo=",
                "Text": b"dGhpcyBpcyBhIHRlc3QK",
                "tExt": b"d2VpcmQgY2FzaW5nCg==",
            },
            ["Text", "tExt", "text"],
        ),
        ({"key_1": b"c29tZV9zZWNyZXQK", "1_key": b"c29tZV90ZXh0Cg=="}, ["1_key", "key_1"]),
    ],
)
def test_describe_secret_golden(data, order):
    """``TestDescribeSecret``: sorted keys with byte sizes, never a value."""
    out = describe_secret(Secret("foo", "bar", "", data))
    expected = (
        "Name:         bar\nNamespace:    foo\nLabels:       <none>\n"
        "Annotations:  <none>\n\nType:  \n\nData\n===="
    )
    for key in order:
        expected += f"\n{key}:  {len(data[key])} bytes"
    assert out == expected + "\n"
    assert not any(value.decode() in out for value in data.values())


def test_describe_service_account_golden():
    """``TestDescribeServiceAccount``: only image pull secrets (no Mountable secrets or
    Tokens since kubectl a7bf48f66), then ``Events: <none>`` in the same alignment."""
    sim = sk.Simulation(nodes=1)
    sim.oc("new-project foo")
    with sim.transaction() as tx:
        tx.put(
            "ServiceAccount",
            ("foo", "bar"),
            ServiceAccount("foo", "bar", ["test-objectref"], ["test-local-ref"]),
        )
    assert sim.oc("describe sa bar -n foo") == (
        "Name:                bar\nNamespace:           foo\nLabels:              <none>\n"
        "Annotations:         <none>\nImage pull secrets:  test-local-ref\n"
        "Events:              <none>\n"
    )


@pytest.mark.parametrize(
    ("rules", "expects"),
    [
        (
            [PolicyRule(["get", "watch", "list"], [""], ["pods"])],
            [
                "Resources  Non-Resource URLs  Resource Names  Verbs",
                "---------  -----------------  --------------  -----",
                "pods       []                 []              [get watch list]",
            ],
        ),
        (
            [PolicyRule(["update", "get"], [""], ["configmaps"], ["my-configmap"])],
            [
                "Resources   Non-Resource URLs  Resource Names  Verbs",
                "configmaps  []                 [my-configmap]  [update get]",
            ],
        ),
        (
            [PolicyRule(["get"], non_resource_urls=["/healthz", "/version"])],
            [
                "           [/healthz]         []              [get]",
                "           [/version]         []              [get]",
            ],
        ),
        (
            [
                PolicyRule(
                    ["delete", "get"], ["rbac.authorization.k8s.io"], ["clusterroles"], ["bind"]
                )
            ],
            [
                "Resources                               Non-Resource URLs  Resource Names  Verbs",
                "clusterroles.rbac.authorization.k8s.io  []                 [bind]          [delete get]",
            ],
        ),
        (
            [PolicyRule(["get"], non_resource_urls=["/metrics", "/logs"])],
            [
                "           [/logs]            []              [get]",
                "           [/metrics]         []              [get]",
            ],
        ),
    ],
)
def test_describe_role_golden(rules, expects):
    """``TestDescribeRole`` / ``TestDescribeClusterRole``: broken down, compacted, sorted."""
    for namespace in ("foo", ""):
        out = describe_role(Role(namespace, "bar", rules))
        assert out.startswith("Name:         bar\n")
        assert "PolicyRule:\n" in out
        for line in expects:
            assert "  " + line + "\n" in out, (line, out)


def test_describe_role_compacts_verbs_of_one_resource():
    """``CompactRules``: two simple rules on one resource merge their verbs in order."""
    out = describe_role(
        Role(
            "foo",
            "bar",
            [PolicyRule(["get"], [""], ["pods"]), PolicyRule(["list"], [""], ["pods"])],
        )
    )
    assert "pods       []                 []              [get list]" in out


def test_describe_role_binding_golden():
    """``TestDescribeRoleBinding``: role ref, then the subjects table."""
    out = describe_role_binding(
        RoleBinding("foo", "bar", RoleRef("Role", "my-role"), [Subject("User", "alice", "foo")])
    )
    assert out == (
        "Name:         bar\nLabels:       <none>\nAnnotations:  <none>\nRole:\n"
        "  Kind:  Role\n  Name:  my-role\nSubjects:\n  Kind  Name   Namespace\n"
        "  ----  ----   ---------\n  User  alice  foo\n"
    )


def test_describe_pod_running_and_waiting():
    """``describePod``: a running pod shows its image ID and start; a failing one its
    waiting reason, phase Pending and Ready False."""
    sim = sk.Simulation(nodes=1)
    registry = sim.registry("quay.io")
    digest = registry.push("ns/app", "1.0")
    good = sim.run_pod("default", "quay.io/ns/app:1.0")
    bad = sim.run_pod("default", "quay.io/ns/app:nope")
    sim.advance("2m")
    out = sim.oc(f"describe pod {good.name}")
    assert "Status:           Running\n" in out
    assert f"    Image ID:       quay.io/ns/app@{digest}\n" in out
    assert "    State:          Running\n      Started:      Thu, 01 Jan 2026 00:00:0" in out
    assert "    Ready:          True\n" in out
    out = sim.oc(f"describe pod/{bad.name}")
    assert "Status:           Pending\n" in out
    assert "    State:          Waiting\n      Reason:       ImagePullBackOff\n" in out
    assert "Tolerations:                  node.kubernetes.io/not-ready:NoExecute op=Exists" in out
    assert "\nEvents:\n  Type     Reason     Age" in out


def test_pod_tolerations_golden():
    """``TestDescribePodTolerations``: each toleration's line (the pod's are sorted by
    key, ties in their order)."""
    from simkit.oc.describers import format_tolerations

    lines = format_tolerations(
        [
            ("", "Exists", "", "", None),
            ("", "Exists", "", "NoSchedule", None),
            ("key0", "Exists", "", "", None),
            ("key1", "", "value1", "", None),
            ("key2", "Equal", "value2", "NoSchedule", None),
            ("key3", "", "value3", "NoExecute", 300),
            ("key4", "", "", "NoExecute", 60),
        ]
    )
    assert lines == [
        "op=Exists",
        ":NoSchedule op=Exists",
        "key0 op=Exists",
        "key1=value1",
        "key2=value2:NoSchedule",
        "key3=value3:NoExecute for 300s",
        "key4:NoExecute for 60s",
    ]


def test_describe_missing_and_listing():
    sim = sk.Simulation(nodes=1)
    with pytest.raises(OcError, match='Error from server \\(NotFound\\): pods "x" not found'):
        sim.oc("describe pod x")
    assert sim.oc("describe pods") == "No resources found in default namespace.\n"
    listing = sim.oc("describe sa")  # every account of the namespace, a blank line apart
    assert listing.count("Name:") == 3 and "\n\nName:" in listing


def test_describe_secret_via_oc_shows_sizes_only(tmp_path):
    sim = sk.Simulation(nodes=1)
    sim.oc(
        "create secret docker-registry quay --docker-server=quay.io --docker-username=u "
        "--docker-password=hunter2-secret --docker-email=u@example.com"
    )
    out = sim.oc("describe secret quay")
    secret = sim.cluster.get("Secret", ("default", "quay"))
    size = len(secret.data[".dockerconfigjson"])
    assert out.endswith(f"Data\n====\n.dockerconfigjson:  {size} bytes\n")
    assert "hunter2" not in out and "Type:  kubernetes.io/dockerconfigjson" in out


def test_describe_istag_and_isimage():
    """oc ``DescribeImage`` for ``istag`` and ``isimage``: ``Image Name`` first."""
    sim = sk.Simulation(nodes=1)
    digest = sim.registry("quay.io").push("ns/app", "1.0")
    sim.oc("tag quay.io/ns/app:1.0 app:1.0")
    sim.advance("1m")
    out = sim.oc("describe istag app:1.0").expandtabs(8)
    assert out.startswith(f"Image Name:     {digest}\nDocker Image:   quay.io/ns/app@{digest}\n")
    assert sim.oc(f"describe isimage app@{digest}") == sim.oc("describe istag app:1.0")
    with pytest.raises(OcError, match='imagestreamtags.image.openshift.io "app:2.0" not found'):
        sim.oc("describe istag app:2.0")


def test_describe_node_lists_images_and_pods():
    sim = sk.Simulation(nodes=1)
    sim.registry("quay.io").push("ns/app", "1.0")
    pod = sim.run_pod("default", "quay.io/ns/app:1.0")
    sim.advance("1m")
    out = sim.oc("describe node worker-0")
    assert out.startswith("Name:                    worker-0\nRoles:                   worker\n")
    assert f"  default                {pod.name}" in out
    assert "quay.io/ns/app:1.0" in out and "Pull Secret Generation:" in out


def test_describe_project():
    sim = sk.Simulation(nodes=1)
    out = sim.oc("describe project default").expandtabs(8)
    assert out.startswith("Name:                   default\nCreated:")
    assert "Status:                 Active\n" in out


def test_no_secret_value_in_any_description_or_event():
    """Neither a password nor its base64 ``auth`` appears in any describe output or
    event, for a pull that succeeds and one refused for a wrong password."""
    import base64

    sim = sk.Simulation(nodes=1)
    registry = sim.registry("private.example.com", users={"dev": "s3cr3t-pass"})
    registry.push("team/app", "1.0")
    sim.oc(
        "create secret docker-registry good --docker-server=private.example.com "
        "--docker-username=dev --docker-password=s3cr3t-pass --docker-email=d@example.com"
    )
    sim.oc(
        "create secret docker-registry bad --docker-server=private.example.com "
        "--docker-username=dev --docker-password=wr0ng-pass --docker-email=d@example.com"
    )
    sim.oc("secrets link default good --for=pull")
    sim.run_pod("default", "private.example.com/team/app:1.0")
    sim.pod_controller.create(
        "default", "private.example.com/team/app:1.0", image_pull_secrets=["bad"]
    )
    sim.advance("3m")
    texts = [sim.oc("get events -A")]
    for kind in ("pods", "sa", "secrets", "rolebindings", "nodes"):
        texts.append(sim.oc(f"describe {kind}"))
    blob = "\n".join(texts)
    assert "Successfully pulled image" in blob and "Failed to pull image" in blob
    for secret in ("s3cr3t-pass", "wr0ng-pass"):
        assert secret not in blob
        assert base64.b64encode(f"dev:{secret}".encode()).decode() not in blob


def test_describe_image_golden():
    """oc ``describer_test.go`` ``TestDescribeImage`` (openshift/oc commit 6b8e30c5b39a):
    ``Name`` line and go-units ``HumanSize`` of the sizes it prints (simkit's images
    have no layers, so the size is the legacy ``Layer Size`` line)."""
    import re

    from simkit.oc.describers import describe_image, human_size
    from simkit.state.images import Image

    sim = sk.Simulation(nodes=1)
    out = describe_image(Image("test", "", 0.0, 4430), sim, "test")
    assert re.search(r"Name:.+test", out)
    assert re.search(r"Layer Size:\s+4.43kB\n", out)
    assert [human_size(n) for n in (3409, 1024, 4430, 0)] == ["3.409kB", "1.024kB", "4.43kB", "0B"]

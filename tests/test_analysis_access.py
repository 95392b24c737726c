"""Who can pull: the graph, the matrix, registry coverage, explanations, diffs and KEP-2535
exposure, checked against Simulation.can_pull and the RBAC rules cell by cell."""

from __future__ import annotations

import networkx as nx
import pytest

import simkit as sk
from simkit.access import pull_request
from simkit.analysis import (
    accessible,
    cached_exposure,
    diff,
    explain_pull,
    pull_matrix,
    registry_coverage,
    who_can_pull,
)
from simkit.analysis.who_can_pull import KINDS
from simkit.rules.rbac import authorize
from simkit.state.accounts import Group
from simkit.state.rbac import PolicyRule, Role, RoleBinding, RoleRef, Subject

PASSWORDS = ("example-registry-password", "partner-pw", "sso-pw", "node-pw")


def _cluster_policy(sim):
    from simkit.access import policy

    return policy(sim.cluster)


@pytest.fixture(scope="module")
def sim():
    sim = sk.Simulation(seed=7)
    sim.registry("quay.io").push("acme/ruby", "3.1")
    sim.registry("registry.example.com", users={"deployer": PASSWORDS[0]})
    sim.registry("sso.partner.example", users={"partner": PASSWORDS[2]})
    sim.registry(
        "registry.partner.example",
        users={"partner": PASSWORDS[1]},
        auth_server="sso.partner.example",
    )
    for project in ("shared", "team-a", "team-b", "payments"):
        sim.oc(f"new-project {project}")
    sim.oc("tag --scheduled quay.io/acme/ruby:3.1 ruby:3.1 -n shared")
    sim.oc("tag --reference quay.io/acme/ruby:3.1 secret-sauce:1 -n shared")
    sim.oc("tag --reference quay.io/acme/ruby:3.1 tools:1 -n team-b")
    sim.oc("tag --reference quay.io/acme/ruby:3.1 pay:1 -n payments")
    sim.advance("1m")
    sim.oc("policy add-role-to-group system:image-puller system:serviceaccounts:team-a -n shared")
    sim.oc("policy add-role-to-user system:image-puller alice -n team-b")
    sim.oc("policy add-role-to-group system:image-puller auditors -n payments")
    with sim.transaction() as tx:
        tx.put("Group", ("", "auditors"), Group("auditors", ["bob"]))
        role = Role(
            "shared",
            "ruby-only",
            [PolicyRule(["get"], ["image.openshift.io"], ["imagestreams/layers"], ["ruby"])],
        )
        tx.put("Role", role.key, role)
        binding = RoleBinding(
            "shared",
            "team-b-ruby",
            RoleRef("Role", "ruby-only"),
            [Subject("Group", "system:serviceaccounts:team-b")],
        )
        tx.put("RoleBinding", binding.key, binding)
    sim.oc(
        "create secret docker-registry example --docker-server=registry.example.com "
        f"--docker-username=deployer --docker-password={PASSWORDS[0]} "
        "--docker-email=d@x -n payments"
    )
    sim.oc(
        "create secret docker-registry partner --docker-server=registry.partner.example "
        f"--docker-username=partner --docker-password={PASSWORDS[1]} "
        "--docker-email=p@x -n payments"
    )
    sim.oc("secrets link default example --for=pull -n payments")
    sim.oc("secrets link default partner --for=pull -n payments")
    sim.advance("1m")
    return sim


def test_graph_paths_agree_with_can_pull_for_every_subject_and_stream(sim):
    graph = who_can_pull(sim)
    subjects = [n for n, kind in graph.nodes(data="kind") if kind in ("user", "serviceaccount")]
    streams = [n for n, kind in graph.nodes(data="kind") if kind == "imagestream"]
    assert len(subjects) > 20 and len(streams) == 4
    checked = 0
    for subject in subjects:
        reachable = accessible(graph, subject)
        for stream in streams:
            expected = sim.can_pull(subject, stream.removeprefix("imagestream:"))
            assert (stream in reachable) == expected, (subject, stream)
            assert nx.has_path(graph, subject, stream) == expected
            checked += 1
    assert checked == len(subjects) * len(streams)
    assert {kind for _, kind in graph.nodes(data="kind")} <= set(KINDS)


def test_graph_layers_and_specific_grants(sim):
    graph = who_can_pull(sim)
    path = nx.shortest_path(
        graph, "system:serviceaccount:team-a:default", "imagestream:shared/ruby"
    )
    assert [graph.nodes[n]["kind"] for n in path] == [
        "serviceaccount",
        "group",
        "binding",
        "project",
        "imagestream",
    ]
    # a resourceNames role: team-b reaches shared/ruby, not shared/secret-sauce
    team_b = "system:serviceaccount:team-b:default"
    assert nx.has_path(graph, team_b, "imagestream:shared/ruby")
    assert not nx.has_path(graph, team_b, "imagestream:shared/secret-sauce")
    assert graph.has_edge("rolebinding:shared/team-b-ruby", "imagestream:shared/ruby")
    assert (
        graph.edges["rolebinding:shared/team-b-ruby", "imagestream:shared/ruby"]["relation"]
        == "grants"
    )
    # group membership from Group objects, and users named in bindings
    assert graph.has_edge("bob", "group:auditors")
    assert nx.has_path(graph, "bob", "imagestream:payments/pay")
    assert nx.has_path(graph, "alice", "imagestream:team-b/tools")
    assert not nx.has_path(graph, "system:anonymous", "imagestream:shared/ruby")


def test_matrix_agrees_with_can_pull_and_with_rbac_for_group_rows(sim):
    matrix = pull_matrix(sim)
    kinds = matrix.attrs["kinds"]
    roles, bindings = _cluster_policy(sim)
    from simkit.analysis import pull_subjects

    users = {s.label: s.user for s in pull_subjects(sim)}
    for subject in matrix.index:
        for stream in matrix.columns:
            if kinds[subject] == "group":
                expected = authorize(roles, bindings, pull_request(users[subject], stream)).allowed
            else:
                expected = sim.can_pull(subject, stream)
            assert bool(matrix.at[subject, stream]) == expected, (subject, stream)
    assert matrix.loc["group:auditors", "payments/pay"]
    assert matrix.loc["group:system:serviceaccounts:team-a", "shared/ruby"]
    assert not matrix.loc["group:system:authenticated", "shared/ruby"]
    assert "system:anonymous" in matrix.index
    assert all(dtype.kind == "b" for dtype in matrix.dtypes)


def test_matrix_for_hundreds_of_subjects_and_streams_agrees_with_the_authorizer():
    sim = sk.Simulation(seed=1)
    with sim.transaction() as tx:
        from simkit.state.accounts import ServiceAccount
        from simkit.state.images import ImageStream

        for p in range(20):
            for s in range(15):
                tx.put("ServiceAccount", (f"p{p}", f"sa{s}"), ServiceAccount(f"p{p}", f"sa{s}"))
                tx.put("ImageStream", (f"p{p}", f"is{s}"), ImageStream(f"p{p}", f"is{s}"))
    matrix = pull_matrix(sim)
    assert matrix.shape[0] > 300 and matrix.shape[1] == 300
    # spot-check against the authorizer
    for subject in matrix.index[::37]:
        if subject.startswith("group:"):
            continue
        for stream in matrix.columns[::29]:
            assert bool(matrix.at[subject, stream]) == sim.can_pull(subject, stream)


def accessible_registries(graph, subject):
    return {
        n.removeprefix("registry:") for n in accessible(graph, subject) if n.startswith("registry:")
    }


def test_registry_edges_and_coverage_agree(sim):
    graph = who_can_pull(sim)
    coverage = registry_coverage(sim)
    accounts = {sa.username for sa in sim.cluster.list("ServiceAccount")}
    for subject in accounts:
        reached = {
            n.removeprefix("registry:")
            for n in accessible(graph, subject)
            if n.startswith("registry:")
        }
        covered = set(coverage.loc[coverage["service_account"] == subject, "registry"])
        allowed = {
            host
            for host in sim.registries
            if explain_pull(sim, subject, f"registry:{host}").allowed
        }
        # a path means the kubelet gets the pull in; a key that matches is not enough
        # (registry.partner.example also needs a credential for its token server)
        assert reached == allowed, subject
        assert reached <= covered, subject
    assert "registry.partner.example" not in accessible_registries(
        graph, "system:serviceaccount:payments:default"
    )
    payments = coverage[coverage["service_account"] == "system:serviceaccount:payments:default"]
    ways = payments.set_index("registry")
    assert ways.loc["registry.example.com", "secret"] == "payments/example"
    assert ways.loc["quay.io", "via"] == "anonymous"
    partner = ways.loc["registry.partner.example"]
    assert partner["auth_server"] == "sso.partner.example" and not partner["auth_covered"]
    # the integrated registry (SA dockercfg secrets) is not an external registry
    assert not coverage["registry"].str.startswith("image-registry").any()


def test_global_pull_secret_covers_every_service_account(tmp_path):
    sim = sk.Simulation(seed=2)
    sim.registry("registry.redhat.io", users={"node": PASSWORDS[3]})
    auth = tmp_path / "config.json"
    sim.oc(
        f"registry login --registry=registry.redhat.io --auth-basic=node:{PASSWORDS[3]} --to={auth}"
    )
    sim.oc(f"set data secret/pull-secret -n openshift-config --from-file=.dockerconfigjson={auth}")
    coverage = registry_coverage(sim)
    node = coverage[coverage["via"] == "node pull secret"]
    assert set(node["service_account"]) == {
        sa.username for sa in sim.cluster.list("ServiceAccount")
    }
    graph = who_can_pull(sim)
    # not rolled out to the nodes' config.json yet: no pod gets in
    assert not nx.has_path(
        graph, "system:serviceaccount:default:default", "registry:registry.redhat.io"
    )
    sim.advance("4m")  # 60 s per node
    graph = who_can_pull(sim)
    assert nx.has_path(
        graph, "system:serviceaccount:default:default", "registry:registry.redhat.io"
    )
    assert (
        graph.edges["group:system:serviceaccounts", "secret:openshift-config/pull-secret"][
            "relation"
        ]
        == "node"
    )


def test_no_secret_data_anywhere(sim):
    graph = who_can_pull(sim)
    texts = [
        repr(graph.nodes(data=True)),
        repr(graph.edges(data=True)),
        registry_coverage(sim).to_csv(),
        str(
            explain_pull(sim, "system:serviceaccount:payments:default", "registry.partner.example")
        ),
    ]
    for text in texts:
        for password in PASSWORDS:
            assert password not in text


def test_explain_pull_for_streams_and_registries(sim):
    why = explain_pull(sim, "system:serviceaccount:team-a:default", "shared/ruby:3.1")
    assert why.allowed and "system:serviceaccounts:team-a" in str(why)
    assert not explain_pull(
        sim, "system:serviceaccount:team-b:default", "imagestream:shared/secret-sauce"
    ).allowed
    registry = explain_pull(
        sim, "system:serviceaccount:payments:default", "registry:registry.partner.example"
    )
    assert not registry.allowed
    assert "authentication delegated to sso.partner.example: NOT covered" in str(registry)
    assert explain_pull(
        sim, "system:serviceaccount:payments:default", "registry.example.com"
    ).allowed
    assert "only pods pull" in str(explain_pull(sim, "alice", "quay.io"))


def test_diff_of_graphs_and_matrices():
    sim = sk.Simulation(seed=3)
    for project in ("shared", "team-a"):
        sim.oc(f"new-project {project}")
    sim.oc("tag --reference quay.io/acme/ruby:3.1 ruby:3.1 -n shared")
    sim.advance("1m")
    graph_before, matrix_before = who_can_pull(sim), pull_matrix(sim)
    sim.oc("policy add-role-to-group system:image-puller system:serviceaccounts:team-a -n shared")
    graph_after, matrix_after = who_can_pull(sim), pull_matrix(sim)
    changes = diff(graph_before, graph_after)
    access = changes[changes["level"] == "access"]
    assert set(access["change"]) == {"gained"}
    assert set(access["source"]) == {
        f"system:serviceaccount:team-a:{n}" for n in ("default", "builder", "deployer")
    }
    edges = changes[changes["level"] == "edge"]
    assert set(zip(edges["source"], edges["target"], strict=True)) == {
        ("group:system:serviceaccounts:team-a", "rolebinding:shared/system:image-puller"),
        ("rolebinding:shared/system:image-puller", "clusterrole:system:image-puller"),
        ("rolebinding:shared/system:image-puller", "project:shared"),
    }
    matrix_changes = diff(matrix_before, matrix_after)
    assert set(matrix_changes["target"]) == {"shared/ruby"}
    assert "group:system:serviceaccounts:team-a" in set(matrix_changes["source"])
    lost = diff(matrix_after, matrix_before)
    assert set(lost["change"]) == {"lost"} and len(lost) == len(matrix_changes)
    with pytest.raises(TypeError):
        diff(graph_before, matrix_after)


def _private_pull(config):
    sim = sk.Simulation(seed=1, nodes=1, config=config)
    sim.registry("registry.example.com", users={"bot": PASSWORDS[0]}).push("fin/pay", "4.2")
    sim.registry("quay.io").push("acme/ruby", "3.1")
    sim.oc(
        "create secret docker-registry pay --docker-server=registry.example.com "
        f"--docker-username=bot --docker-password={PASSWORDS[0]} --docker-email=b@x"
    )
    sim.run_pod(
        "default",
        "registry.example.com/fin/pay:4.2",
        pull_policy="IfNotPresent",
        image_pull_secrets=["pay"],
    )
    sim.run_pod("default", "quay.io/acme/ruby:3.1", pull_policy="IfNotPresent")
    sim.advance("1m")
    return sim


@pytest.mark.parametrize(
    ("config", "exposed"),
    [
        (sk.Config(kubernetes_version="1.33"), True),
        (sk.Config(), False),
        (sk.Config(image_pull_credentials_verification_policy="NeverVerify"), True),
        (
            sk.Config(
                image_pull_credentials_verification_policy="NeverVerifyAllowlistedImages",
                preloaded_images_verification_allowlist=("registry.example.com/fin/*",),
            ),
            True,
        ),
        (sk.Config(image_pull_credentials_verification_policy="AlwaysVerify"), False),
    ],
)
def test_cached_exposure_follows_the_gate_and_policy(config, exposed):
    sim = _private_pull(config)
    frame = cached_exposure(sim).set_index("registry")
    assert bool(frame.loc["registry.example.com", "private"])
    assert bool(frame.loc["registry.example.com", "exposed"]) is exposed
    assert not bool(frame.loc["quay.io", "exposed"]) and not bool(frame.loc["quay.io", "private"])
    # what the analysis says is what the kubelet does to a pod without credentials
    pod = sim.run_pod(
        "default", "registry.example.com/fin/pay:4.2", pull_policy="IfNotPresent", node="worker-0"
    )
    sim.advance("1m")
    assert (pod.status == "Running") is exposed

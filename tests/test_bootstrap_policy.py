"""OpenShift's real default policy (the packaged bootstrappolicy data) answering pull questions.

Every expectation here is what the recorded data gives; where the image-streams reference
infers something else, the test says so.
"""

from __future__ import annotations

import hashlib
import re
from importlib import resources

import pytest

from simkit.rules.bootstrap import (
    DATA_DIR,
    load_bootstrap_policy,
    project_default_bindings,
)
from simkit.rules.rbac import (
    Attributes,
    aggregated_rules,
    anonymous_user,
    authenticated_user,
    authorize,
    explain,
    service_account_user,
    who_can,
)
from simkit.state.rbac import RoleBinding, RoleRef, Subject

IMAGE_GROUP = "image.openshift.io"


@pytest.fixture(scope="module")
def policy():
    return load_bootstrap_policy()


def pull(user, namespace: str, stream: str = "ruby", verb: str = "get") -> Attributes:
    """The registry's check: ``<verb> imagestreams/layers`` on the stream, in its namespace."""
    return Attributes.for_user(
        user,
        verb,
        "imagestreams",
        subresource="layers",
        api_group=IMAGE_GROUP,
        namespace=namespace,
        name=stream,
    )


def decide(policy, extra_bindings, attributes):
    return authorize(policy.roles_by_key, policy.bindings + list(extra_bindings), attributes)


# --- the packaged files -----------------------------------------------------------------------


def test_packaged_files_are_the_recorded_ones() -> None:
    folder = resources.files("simkit").joinpath(DATA_DIR)
    source = folder.joinpath("SOURCE.md").read_text(encoding="utf-8")
    rows = re.findall(
        r"^\| (\S+\.yaml) \| [0-9a-f]{40} \| (\d+) \w+ \| ([0-9a-f]{64}) \|$", source, flags=re.M
    )
    assert len(rows) == 5
    for filename, _, digest in rows:
        data = folder.joinpath(filename).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, filename
    assert "copy shipped with simkit" in source


def test_counts_match_source_md(policy) -> None:
    assert [len(part) for part in policy] == [124, 83, 9, 8, 3]
    cluster_roles, crbs, roles, rbs, per_project = policy  # unpacks like a tuple
    assert all(not r.namespace for r in cluster_roles) and all(r.namespace for r in roles)
    assert all(not b.namespace for b in crbs) and all(b.namespace for b in rbs)
    assert {b.namespace for b in per_project} == {"myproject"}


def test_loading_returns_fresh_copies() -> None:
    mine = load_bootstrap_policy()
    mine.cluster_roles[0].rules.clear()
    assert load_bootstrap_policy().cluster_roles[0].rules


def test_every_binding_names_a_role_of_the_policy(policy) -> None:
    """The files come from one origin commit (72efe595, see SOURCE.md): no binding dangles.

    The API server's RBAC resolver (k8s ``pkg/registry/rbac/validation/rule.go``
    ``VisitRulesFor``) reports a binding whose role is missing as an evaluation error; the
    earlier mix of three commits left six ClusterRoleBindings so.
    """
    roles = policy.roles_by_key
    per_project = project_default_bindings("p", "alice")
    missing = []
    for binding in [*policy.bindings, *policy.sa_project_bindings, *per_project]:
        ref = binding.role_ref
        key = ("", ref.name) if ref.kind == "ClusterRole" else (binding.namespace, ref.name)
        if key not in roles:
            missing.append((binding.key, ref))
    assert missing == []
    assert len(policy.bindings) == 83 + 8
    # the six ClusterRoles the bindings named and the old roles file lacked
    for name in (
        "system:controller:pv-protection-controller",
        "system:controller:pvc-protection-controller",
        "system:volume-scheduler",
        "system:openshift:controller:ingress-to-route-controller",
        "system:openshift:controller:namespace-security-allocation-controller",
        "system:openshift:controller:template-instance-finalizer-controller",
    ):
        assert ("", name) in roles, name


def test_who_can_on_a_fresh_simulation_is_complete() -> None:
    import simkit as sk

    sim = sk.Simulation()
    for line in (
        "adm policy who-can get imagestreams/layers",
        "adm policy who-can get imagestreams --subresource=layers -n openshift",
        "adm policy who-can update imagestreams/layers -A",
        "adm policy who-can get pods -A",
    ):
        out = sim.oc(line)
        assert "Users:" in out
        assert "Error during evaluation" not in out, line
        assert "not found" not in out, line


# --- aggregation ------------------------------------------------------------------------------


def test_admin_edit_view_are_aggregated(policy) -> None:
    by_name = {r.name: r for r in policy.cluster_roles}
    for name in ("admin", "edit", "view"):
        role = by_name[name]
        assert role.aggregation_rule is not None and role.rules  # rules: null in the file
        assert role.rules == aggregated_rules(role, policy.cluster_roles)
    # view: Kubernetes' system:aggregate-to-view then OpenShift's aggregate-to-view, by name
    view = by_name["view"]
    expected = []
    for source in ("system:aggregate-to-view", "system:openshift:aggregate-to-view"):
        expected += [r for r in by_name[source].rules if r not in expected]
    assert view.rules == expected


def layer_verbs(role) -> set[str]:
    return {
        verb
        for rule in role.rules
        if "imagestreams/layers" in rule.resources
        for verb in rule.verbs
    }


def test_which_aggregated_roles_carry_imagestreams_layers(policy) -> None:
    by_name = {r.name: r for r in policy.cluster_roles}
    assert layer_verbs(by_name["admin"]) == {"get", "update"}
    assert layer_verbs(by_name["edit"]) == {"get", "update"}
    # In this recorded version (origin 72efe595) view gains no imagestreams/layers rule: the
    # rule in system:openshift:aggregate-to-view is commented out upstream, and registry-viewer
    # (which has `get imagestreams/layers`) carries no aggregate-to-view label here.  Completing
    # the roles from the bindings' commit changed none of this.
    assert layer_verbs(by_name["view"]) == set()
    assert "rbac.authorization.k8s.io/aggregate-to-view" not in by_name["registry-viewer"].labels
    assert layer_verbs(by_name["registry-viewer"]) == {"get"}


# --- get imagestreams/layers, role by role ----------------------------------------------------


@pytest.mark.parametrize(
    "role", ["admin", "edit", "registry-viewer", "system:image-puller", "system:image-builder"]
)
def test_roles_that_let_a_user_pull_in_p(policy, role: str) -> None:
    alice = authenticated_user("alice")
    binding = RoleBinding(
        "p", f"alice-{role}", RoleRef("ClusterRole", role), [Subject("User", "alice")]
    )
    decision = decide(policy, [binding], pull(alice, "p"))
    assert decision.allowed
    assert decision.reason == (
        f'RBAC: allowed by RoleBinding "alice-{role}/p" of ClusterRole "{role}" to User "alice"'
    )
    assert not decide(policy, [binding], pull(alice, "q"))  # only in the binding's namespace


def test_view_does_not_let_a_user_pull(policy) -> None:
    alice = authenticated_user("alice")
    binding = RoleBinding(
        "p", "alice-view", RoleRef("ClusterRole", "view"), [Subject("User", "alice")]
    )
    # See test_which_aggregated_roles_carry_imagestreams_layers: with this data, view reads
    # image streams and tags but cannot pull their layers.
    assert not decide(policy, [binding], pull(alice, "p"))
    assert decide(
        policy,
        [binding],
        Attributes.for_user(
            alice, "get", "imagestreams", api_group=IMAGE_GROUP, namespace="p", name="ruby"
        ),
    )


def test_every_cluster_role_that_grants_layers(policy) -> None:
    """All ClusterRoles that, bound in p, allow pulling (get) and pushing (update) layers."""
    alice = authenticated_user("alice")

    def granting(verb: str) -> set[str]:
        out = set()
        for role in policy.cluster_roles:
            binding = RoleBinding(
                "p", "x", RoleRef("ClusterRole", role.name), [Subject("User", "alice")]
            )
            if authorize(policy.roles_by_key, [binding], pull(alice, "p", verb=verb)):
                out.add(role.name)
        return out

    pushers = {
        "admin",
        "edit",
        "cluster-admin",
        "system:master",
        "registry-admin",
        "registry-editor",
        "system:image-pusher",
        "system:image-builder",
        "system:openshift:aggregate-to-admin",
        "system:openshift:aggregate-to-edit",
        "system:controller:clusterrole-aggregation-controller",
        "system:controller:generic-garbage-collector",
    }
    assert granting("update") == pushers
    assert granting("get") == pushers | {
        "registry-viewer",
        "system:image-puller",
        "cluster-reader",
        "system:image-signer",
        "system:controller:namespace-controller",
    }


# --- the openshift namespace ------------------------------------------------------------------


def test_shared_resource_viewers_let_everyone_pull_from_openshift(policy) -> None:
    bob = authenticated_user("bob")
    decision = decide(policy, [], pull(bob, "openshift", "ruby"))
    assert decision.reason == (
        'RBAC: allowed by RoleBinding "shared-resource-viewers/openshift" of Role '
        '"shared-resource-viewer" to Group "system:authenticated"'
    )
    # a service account is authenticated too
    assert decide(policy, [], pull(service_account_user("p", "default"), "openshift"))
    # but not pushing, not another namespace, and not anonymously
    assert not decide(policy, [], pull(bob, "openshift", verb="update"))
    assert not decide(policy, project_default_bindings("other", "carol"), pull(bob, "other"))
    assert not decide(policy, [], pull(anonymous_user(), "openshift"))


# --- projects and cross-project pulls ---------------------------------------------------------


def test_project_default_bindings_follow_the_controller_and_template(policy) -> None:
    bindings = project_default_bindings("b", "bob")
    assert [(b.key, b.role_ref, b.subjects) for b in bindings] == [
        (("b", "admin"), RoleRef("ClusterRole", "admin"), [Subject("User", "bob")]),
        (
            ("b", "system:image-pullers"),
            RoleRef("ClusterRole", "system:image-puller"),
            [Subject("Group", "system:serviceaccounts:b")],
        ),
        (
            ("b", "system:image-builders"),
            RoleRef("ClusterRole", "system:image-builder"),
            [Subject("ServiceAccount", "builder", "b")],
        ),
        (
            ("b", "system:deployers"),
            RoleRef("ClusterRole", "system:deployer"),
            [Subject("ServiceAccount", "deployer", "b")],
        ),
    ]
    assert (
        bindings[1]
        .annotations["openshift.io/description"]
        .startswith("Allows all pods in this namespace to pull images from this namespace.")
    )
    assert [b.name for b in project_default_bindings("b")] == [
        "system:image-pullers",
        "system:image-builders",
        "system:deployers",
    ]
    assert policy.sa_project_bindings[0].namespace == "myproject"  # the template is untouched


def test_pods_pull_and_builds_push_in_their_own_project(policy) -> None:
    project = project_default_bindings("p", "alice")
    assert decide(policy, project, pull(service_account_user("p", "default"), "p")).reason == (
        'RBAC: allowed by RoleBinding "system:image-pullers/p" of ClusterRole '
        '"system:image-puller" to Group "system:serviceaccounts:p"'
    )
    builder = service_account_user("p", "builder")
    assert decide(policy, project, pull(builder, "p", verb="update")).reason == (
        'RBAC: allowed by RoleBinding "system:image-builders/p" of ClusterRole '
        '"system:image-builder" to ServiceAccount "builder/p"'
    )
    assert not decide(
        policy, project, pull(service_account_user("p", "deployer"), "p", verb="update")
    )
    assert decide(policy, project, pull(authenticated_user("alice"), "p", verb="update"))


def test_service_account_pulls_from_another_project_only_after_a_rolebinding(policy) -> None:
    sa = service_account_user("a", "default")
    base = project_default_bindings("a", "alice") + project_default_bindings("b", "bob")
    assert decide(policy, base, pull(sa, "a"))
    assert not decide(policy, base, pull(sa, "b"))

    # oc policy add-role-to-group system:image-puller system:serviceaccounts:a -n b
    puller = RoleRef("ClusterRole", "system:image-puller")
    to_group = RoleBinding(
        "b", "system:image-puller", puller, [Subject("Group", "system:serviceaccounts:a")]
    )
    assert decide(policy, [*base, to_group], pull(sa, "b")).reason == (
        'RBAC: allowed by RoleBinding "system:image-puller/b" of ClusterRole '
        '"system:image-puller" to Group "system:serviceaccounts:a"'
    )

    # oc policy add-role-to-user system:image-puller system:serviceaccount:a:default -n b
    to_sa = RoleBinding(
        "b", "system:image-puller", puller, [Subject("ServiceAccount", "default", "a")]
    )
    assert decide(policy, [*base, to_sa], pull(sa, "b")).reason == (
        'RBAC: allowed by RoleBinding "system:image-puller/b" of ClusterRole '
        '"system:image-puller" to ServiceAccount "default/a"'
    )
    assert not decide(policy, [*base, to_sa], pull(service_account_user("a", "builder"), "b"))

    # an SA subject without a namespace means b's own "default", not a's
    bare = RoleBinding("b", "oops", puller, [Subject("ServiceAccount", "default")])
    assert not decide(policy, [*base, bare], pull(sa, "b"))
    # and the grant is only for b: c stays closed
    assert not decide(
        policy, [*base, to_group, *project_default_bindings("c", "carl")], pull(sa, "c")
    )


def test_explain_a_refused_cross_project_pull(policy) -> None:
    sa = service_account_user("a", "default")
    bindings = (
        policy.bindings
        + project_default_bindings("a", "alice")
        + project_default_bindings("b", "bob")
    )
    why = explain(policy.roles_by_key, bindings, pull(sa, "b"))
    assert not why.allowed
    assert ("b", "system:image-pullers") in [g.binding.key for g in why.not_bound]
    # it could pull in its own project, and (being authenticated) from openshift
    assert [g.binding.key for g in why.elsewhere] == [
        ("openshift", "shared-resource-viewers"),
        ("a", "system:image-pullers"),
    ]
    assert 'binds Group "system:serviceaccounts:b"' in str(why)
    # the ClusterRoleBindings that do apply to the SA (basic-user and friends) grant nothing here
    assert why.bound and all(role is not None or error for _, role, error in why.bound)


def test_who_can_pull_from_a_new_project(policy) -> None:
    bindings = policy.bindings + project_default_bindings("p", "alice")
    result = who_can(
        "get",
        "imagestreams",
        "layers",
        "p",
        "ruby",
        policy.roles_by_key,
        bindings,
        api_group=IMAGE_GROUP,
    )
    assert {"alice", "system:admin", "system:serviceaccount:p:builder"} <= set(result.users)
    assert {
        "system:serviceaccounts:p",
        "system:masters",
        "system:cluster-admins",
        "system:cluster-readers",
    } <= set(result.groups)
    assert "system:authenticated" not in result.groups
    assert ("p", "builder") in result.service_accounts
    assert str(result).startswith(
        "Namespace: p\nVerb:      get\nResource:  imagestreams.image.openshift.io/layers\n"
    )
    # every binding's role is in the data (one origin commit), so the review is complete
    assert result.evaluation_error == ""
    in_openshift = who_can(
        "get",
        "imagestreams.image.openshift.io",
        "layers",
        "openshift",
        "",
        policy.roles_by_key,
        policy.bindings,
    )
    assert "system:authenticated" in in_openshift.groups

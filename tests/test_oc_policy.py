"""oc policy add/remove-role, adm policy who-can, auth can-i, create rolebinding/sa, adm
groups: oc's real behaviour (modify_roles.go, who_can.go, kubectl cani.go), and a failed
command changes nothing."""

from __future__ import annotations

import pytest
import yaml

import simkit as sk
from simkit.manifests import apply_objects

PULLER = "clusterrole.rbac.authorization.k8s.io/system:image-puller"
SA_A = "system:serviceaccount:project-a:default"


@pytest.fixture
def sim(make_sim):
    # settled: the projects' service accounts and default bindings exist
    return make_sim(projects=("project-a", "project-b"), settle="10s")


def bindings(sim, namespace="project-b"):
    return {
        b.name: [(s.kind, s.name, s.namespace) for s in b.subjects]
        for b in sim.cluster.list("RoleBinding", namespace)
    }


def snapshot(sim):
    stores = ("RoleBinding", "ClusterRoleBinding", "Group", "ServiceAccount", "Project")
    return ({k: dict(sim.cluster.store(k)) for k in stores}, len(sim.log), sim.current_project)


# --- the seed procedure ------------------------------------------------------------------
def test_add_role_to_user_lets_another_projects_service_account_pull(sim):
    assert not sim.can_pull(SA_A, "project-b/stream")
    out = sim.oc(f"policy add-role-to-user system:image-puller {SA_A} --namespace=project-b")
    assert out == f'{PULLER} added: "{SA_A}"\n'
    assert sim.can_pull(SA_A, "project-b/stream")
    assert not sim.can_pull("system:serviceaccount:project-a:builder", "project-b/stream")
    # oc creates a binding named after the role; the project's system:image-pullers is untouched
    assert bindings(sim)["system:image-puller"] == [("ServiceAccount", "default", "project-a")]
    assert bindings(sim)["system:image-pullers"] == [
        ("Group", "system:serviceaccounts:project-b", "")
    ]


def test_add_role_to_group_lets_every_service_account_of_a_project_pull(sim):
    out = sim.oc(
        "policy add-role-to-group system:image-puller system:serviceaccounts:project-a "
        "--namespace=project-b"
    )
    # oc looks the group up as a Group object; virtual groups are never found
    assert out == (
        "Warning: Group 'system:serviceaccounts:project-a' not found\n"
        f'{PULLER} added: "system:serviceaccounts:project-a"\n'
    )
    for account in ("default", "builder", "robot"):
        assert sim.can_pull(f"system:serviceaccount:project-a:{account}", "project-b/s")
    assert not sim.can_pull("system:serviceaccount:project-c:default", "project-b/s")


def test_remove_role_reverses_it(sim):
    sim.oc(f"policy add-role-to-user system:image-puller {SA_A} -n project-b")
    sim.oc(
        "policy add-role-to-group system:image-puller system:serviceaccounts:project-a -n project-b"
    )
    out = sim.oc(f"policy remove-role-from-user system:image-puller {SA_A} -n project-b")
    assert out == f'{PULLER} removed: "{SA_A}"\n'
    assert sim.can_pull(SA_A, "project-b/stream")  # still, through the group binding
    out = sim.oc(
        "policy remove-role-from-group system:image-puller "
        "system:serviceaccounts:project-a -n project-b"
    )
    assert out == f'{PULLER} removed: "system:serviceaccounts:project-a"\n'
    assert not sim.can_pull(SA_A, "project-b/stream")
    # bindings left without subjects are deleted
    assert set(bindings(sim)) == {
        "admin",
        "system:image-pullers",
        "system:image-builders",
        "system:deployers",
    }


def test_who_can_lists_them(sim):
    sim.oc(f"policy add-role-to-user system:image-puller {SA_A} -n project-b")
    sim.oc(
        "policy add-role-to-group system:image-puller system:serviceaccounts:project-a -n project-b"
    )
    out = sim.oc("adm policy who-can get imagestreams --subresource=layers -n project-b")
    head, _, rest = out.partition("\n\nUsers:  ")
    assert head == (
        "resourceaccessreviewresponse.authorization.openshift.io/<unknown> \n\n"
        "Namespace: project-b\nVerb:      get\n"
        "Resource:  imagestreams.image.openshift.io/layers"
    )
    users, _, groups = rest.partition("Groups: ")
    users = [u.strip() for u in users.splitlines()]
    groups = [g.strip() for g in groups.split("\n\n")[0].splitlines()]
    assert SA_A in users
    assert "system:serviceaccount:project-b:builder" in users  # system:image-builders
    assert "system:serviceaccount:project-a:builder" not in users  # only via its group
    assert {
        "system:serviceaccounts:project-a",
        "system:serviceaccounts:project-b",
        "system:masters",
    } <= set(groups)
    assert groups == sorted(groups) and users == sorted(users)


def test_who_can_with_an_unmapped_resource_warns_and_passes_it_through(sim):
    sim.oc(f"policy add-role-to-user system:image-puller {SA_A} -n project-b")
    out = sim.oc("policy who-can get imagestreams/layers -n project-b")
    assert out.startswith(
        "Warning: the server doesn't have a resource type "
        "'imagestreams/layers'\nresourceaccessreviewresponse"
    )
    assert "Resource:  imagestreams/layers\n" in out
    assert SA_A in out  # the server splits it into resource and subresource, group ""


def test_who_can_all_namespaces_and_names(sim):
    out = sim.oc("adm policy who-can get imagestreams ruby -A")
    assert "Namespace: <all>\n" in out
    with pytest.raises(sk.OcError, match="two or three arguments"):
        sim.oc("adm policy who-can get")


def test_can_i(sim):
    sim.oc(f"policy add-role-to-user system:image-puller {SA_A} -n project-b")
    ask = "auth can-i get imagestreams --subresource=layers -n project-b"
    assert sim.oc(ask) == "yes\n"  # the cluster admin
    assert sim.oc(f"{ask} --as={SA_A}") == "yes\n"
    assert sim.oc(f"{ask} --as=system:serviceaccount:project-a:builder") == "no\n"
    assert sim.oc(f"{ask} --as=system:serviceaccount:project-b:builder") == "yes\n"
    # TYPE/NAME names a stream: this asks about the stream called "layers"
    assert sim.oc(f"auth can-i get imagestreams/layers -n project-b --as={SA_A}") == "no\n"
    assert sim.oc("auth can-i get namespaces --as=bob") == (
        "Warning: resource 'namespaces' is not namespace scoped\nno\n"
    )
    assert sim.oc("auth can-i frobnicate pods --as=bob -q") == (
        "Warning: verb 'frobnicate' is not a known verb\n"
    )


def test_can_i_impersonation_ignores_group_objects_unless_as_group(sim):
    sim.oc("adm groups new pullers carol")
    sim.oc("policy add-role-to-group system:image-puller pullers -n project-b")
    ask = "auth can-i get imagestreams --subresource=layers -n project-b --as=carol"
    assert sim.can_pull("carol", "project-b/app")  # a real login would get the group
    assert sim.oc(ask) == "no\n"  # impersonation does not look groups up
    assert sim.oc(f"{ask} --as-group=pullers") == "yes\n"
    with pytest.raises(sk.OcError, match="without impersonating a user"):
        sim.oc("auth can-i get pods --as-group=pullers")


def test_can_i_reports_rbac_errors_as_the_reason(sim):
    sim.oc("create rolebinding broken --clusterrole=does-not-exist --user=dan -n project-b")
    assert sim.oc("auth can-i get pods -n project-b --as=dan") == (
        'no - RBAC: clusterrole.rbac.authorization.k8s.io "does-not-exist" not found\n'
    )


# --- oc's binding rules ------------------------------------------------------------------
def test_a_second_add_makes_a_new_binding_unless_one_already_grants_it(sim):
    sim.oc("policy add-role-to-user view ann -n project-b")
    sim.oc("policy add-role-to-user view bob -n project-b")
    sim.oc("policy add-role-to-user view ann -n project-b")  # already granted: no change
    assert bindings(sim)["view"] == [("User", "ann", "")]
    assert bindings(sim)["view-0"] == [("User", "bob", "")]
    assert "view-1" not in bindings(sim)


def test_rolebinding_name_appends_to_that_binding(sim):
    sim.oc("policy add-role-to-user view ann -n project-b --rolebinding-name=viewers")
    sim.oc("policy add-role-to-user view bob cy -n project-b --rolebinding-name=viewers")
    assert bindings(sim)["viewers"] == [
        ("User", "ann", ""),
        ("User", "bob", ""),
        ("User", "cy", ""),
    ]
    with pytest.raises(
        sk.OcError, match="error: rolebinding viewers found for role view, not edit"
    ):
        sim.oc("policy add-role-to-user edit dan -n project-b --rolebinding-name=viewers")


def test_warnings_for_missing_role_and_users(sim):
    sim.oc("adm groups new devs")
    out = sim.oc("policy add-role-to-user no-such-role ann -n project-b")
    assert out == (
        "Warning: role 'no-such-role' not found\n"
        "Warning: User 'ann' not found\n"
        'clusterrole.rbac.authorization.k8s.io/no-such-role added: "ann"\n'
    )
    out = sim.oc("policy add-role-to-group view devs -n project-b")
    assert out == 'clusterrole.rbac.authorization.k8s.io/view added: "devs"\n'
    out = sim.oc("policy add-role-to-user view ann bob -n project-b")
    assert out.endswith('clusterrole.rbac.authorization.k8s.io/view added: ["ann" "bob"]\n')


def test_service_account_short_form(sim):
    out = sim.oc("policy add-role-to-user system:image-puller -z builder -n project-b")
    assert out == f'{PULLER} added: "builder"\n'
    assert sim.can_pull("system:serviceaccount:project-b:builder", "project-b/x")
    with pytest.raises(sk.OcError, match="should only be used with short-form"):
        sim.oc(f"policy add-role-to-user view -z {SA_A} -n project-b")


def test_namespaced_role(sim):
    role = (
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\n"
        "metadata: {name: puller, namespace: project-b}\n"
        "rules: [{apiGroups: [image.openshift.io], resources: [imagestreams/layers], "
        "verbs: [get]}]\n"
    )
    apply_objects(sim, [yaml.safe_load(role)])
    out = sim.oc(f"policy add-role-to-user puller {SA_A} -n project-b --role-namespace=project-b")
    assert out == f'role.rbac.authorization.k8s.io/puller added: "{SA_A}"\n'
    assert sim.cluster.get("RoleBinding", ("project-b", "puller")).role_ref.kind == "Role"
    assert sim.can_pull(SA_A, "project-b/x")


def test_cluster_role_commands(sim):
    out = sim.oc(
        "adm policy add-cluster-role-to-group system:image-puller system:serviceaccounts:project-a"
    )
    assert out.endswith(f'{PULLER} added: "system:serviceaccounts:project-a"\n')
    assert sim.can_pull(SA_A, "anywhere/x")
    sim.oc(
        "adm policy remove-cluster-role-from-group system:image-puller "
        "system:serviceaccounts:project-a"
    )
    assert not sim.can_pull(SA_A, "anywhere/x")


# --- failed commands change nothing ------------------------------------------------------
@pytest.mark.parametrize(
    "command, message",
    [
        (
            "policy remove-role-from-user system:image-puller nobody -n project-b",
            "error: unable to find target [nobody]",
        ),
        (
            "policy remove-role-from-user no-such-role ann -n project-b",
            'error: unable to locate any RoleBinding for ClusterRole "no-such-role"',
        ),
        (
            "policy add-role-to-user view ann -n project-b --role-namespace=project-a",
            'error: role binding in namespace "project-b" can\'t reference role in different '
            'namespace "project-a"',
        ),
        (
            "policy add-role-to-user view",
            "error: you must specify at least one user or service account",
        ),
        ("policy add-role-to-group view", "error: you must specify at least two arguments"),
        (
            "policy add-role-to-user view ann -n nowhere",
            'Error from server (NotFound): namespaces "nowhere" not found',
        ),
        (
            "policy remove-role-from-user view ann -n project-b --rolebinding-name=nope",
            'Error from server (NotFound): rolebindings.rbac.authorization.k8s.io "nope" not found',
        ),
        (
            "create rolebinding x --clusterrole=view --role=r -n project-b",
            "exactly one of clusterrole or role must be specified",
        ),
        (
            "create rolebinding x --clusterrole=view --serviceaccount=bad -n project-b",
            "error: serviceaccount must be <namespace>:<name>",
        ),
        (
            "create rolebinding system:image-pullers --clusterrole=view -n project-b",
            "error: failed to create rolebinding: rolebindings.rbac.authorization.k8s.io "
            '"system:image-pullers" already exists',
        ),
        (
            "create serviceaccount default -n project-b",
            'error: failed to create serviceaccount: serviceaccounts "default" already exists',
        ),
        (
            "create serviceaccount Bad_Name -n project-b",
            'error: failed to create serviceaccount: ServiceAccount "Bad_Name" is invalid: '
            "metadata.name: Invalid value",
        ),
        (
            "adm groups add-users nope ann",
            'Error from server (NotFound): groups.user.openshift.io "nope" not found',
        ),
    ],
)
def test_failed_commands_change_nothing(sim, command, message):
    before = snapshot(sim)
    with pytest.raises(sk.OcError) as info:
        sim.oc(command)
    assert message in str(info.value)
    assert snapshot(sim) == before


# --- create rolebinding / serviceaccount, adm groups ------------------------------------
def test_create_rolebinding(sim):
    out = sim.oc(
        "create rolebinding pullers --clusterrole=system:image-puller "
        "--serviceaccount=project-a:builder --group=qa --user=ann -n project-b"
    )
    assert out == "rolebinding.rbac.authorization.k8s.io/pullers created\n"
    assert bindings(sim)["pullers"] == [
        ("User", "ann", ""),
        ("Group", "qa", ""),
        ("ServiceAccount", "builder", "project-a"),
    ]
    assert sim.can_pull("system:serviceaccount:project-a:builder", "project-b/x")
    out = sim.oc(
        "create clusterrolebinding everyone-pulls --clusterrole=system:image-puller "
        "--group=system:authenticated"
    )
    assert out == "clusterrolebinding.rbac.authorization.k8s.io/everyone-pulls created\n"
    assert sim.can_pull("zed", "any/x")


def test_create_serviceaccount_gets_its_pull_secret(sim):
    assert sim.oc("create serviceaccount robot -n project-b") == "serviceaccount/robot created\n"
    assert sim.oc("create sa robot2 -n project-b") == "serviceaccount/robot2 created\n"
    sim.advance("30s")
    robot = sim.cluster.get("ServiceAccount", ("project-b", "robot"))
    assert robot.image_pull_secrets and robot.image_pull_secrets[0].startswith("robot-dockercfg-")


def test_groups(sim):
    assert sim.oc("adm groups new devs ann ann bob") == "group.user.openshift.io/devs created\n"
    assert sim.cluster.get("Group", ("", "devs")).users == ["ann", "bob"]
    assert sim.oc("adm groups add-users devs cy ann") == (
        'group.user.openshift.io/devs added: ["cy" "ann"]\n'
    )
    assert sim.oc("adm groups remove-users devs ann") == (
        'group.user.openshift.io/devs removed: "ann"\n'
    )
    assert sim.cluster.get("Group", ("", "devs")).users == ["bob", "cy"]
    with pytest.raises(sk.OcError, match='groups.user.openshift.io "devs" already exists'):
        sim.oc("adm groups new devs")
    sim.oc("policy add-role-to-group system:image-puller devs -n project-b")
    assert sim.can_pull("cy", "project-b/x") and not sim.can_pull("ann", "project-b/x")


def test_policy_changes_are_events(sim):
    sim.oc(f"policy add-role-to-user system:image-puller {SA_A} -n project-b")
    sim.oc(f"policy remove-role-from-user system:image-puller {SA_A} -n project-b")
    events = sim.events
    kinds = list(events[events.kind.str.startswith("rolebinding")].kind)
    assert kinds[-2:] == ["rolebinding_created", "rolebinding_deleted"]

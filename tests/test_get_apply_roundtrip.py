"""``oc get KIND NAME -o yaml|json`` -> ``oc apply -f`` -> the same object, for every kind.

Issue 18 item 2: what ``oc get X -o yaml`` prints, ``oc apply -f`` and ``load_manifests``
read back to the same object.  One running simulation holds one of each kind (a project
with its service accounts, an imported image, a pod running it, a Deployment and a
DeploymentConfig rolled out, RBAC objects and a group).  For each kind the test

1. writes ``oc get KIND NAME -o yaml`` (and ``-o json``) to a file;
2. ``oc apply -f`` of that file changes nothing: the cluster's objects and the event log
   are as before, and oc reports the object ``configured`` the first time (kubectl
   patches in the missing last-applied annotation, ``apply.go`` ``warningNoLastApplied``)
   and ``unchanged`` the second;
3. ``load_manifests`` of the file into a fresh simulation gives an equal object, but
   for the fields the fresh cluster recomputes (:data:`RECOMPUTED`).

Upstream rules restated (openshift-apiserver @56aa2d96edd725e44ddd7ff13f23e53e6c509828):
``pkg/image/apiserver/registry/imagestreamtag/rest.go`` ``REST.Get`` (a tag without an
image is NotFound), ``REST.Create`` (an existing spec tag is ``AlreadyExists`` of
``imagestreamtag.image.openshift.io``; only ``tag`` reaches the stream) and ``REST.update``
(a nil ``tag`` of a tag not in the spec is a BadRequest); ``registry/imagestreamimage/rest.go``
implements ``rest.Getter`` alone, so a create is ``MethodNotAllowed``;
``pkg/image/apis/image/validation/validation.go`` ``validateImage``
(``dockerImageReference`` required).
"""

from __future__ import annotations

import copy
import json
import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simkit as sk
from simkit.manifests import apply_objects, load_manifests, read_manifests
from simkit.manifests.api import to_api
from simkit.manifests.images import image_stream_tag
from simkit.manifests.merge import LAST_APPLIED_STORE
from simkit.oc.command import OcError

# (oc get argument, cluster store, key) of every kind; Event is another helper's
KINDS = [
    ("imagestream/app", "ImageStream", ("team", "app")),
    ("istag/app:1.0", "ImageStreamTag", ("team", "app:1.0")),
    ("isimage/app@{digest}", "ImageStreamImage", ("team", "app@{digest}")),
    ("image/{digest}", "Image", ("", "{digest}")),
    ("pod/solo", "Pod", ("team", "solo")),
    ("node/worker-0", "Node", ("", "worker-0")),
    ("namespace/team", "Project", ("", "team")),
    ("project/team", "Project", ("", "team")),
    ("sa/robot", "ServiceAccount", ("team", "robot")),
    ("secret/quay", "Secret", ("team", "quay")),
    ("role/reader", "Role", ("team", "reader")),
    ("clusterrole/system:image-puller", "ClusterRole", ("", "system:image-puller")),
    ("rolebinding/view", "RoleBinding", ("team", "view")),
    ("clusterrolebinding/pullers", "ClusterRoleBinding", ("", "pullers")),
    ("group/devs", "Group", ("", "devs")),
    ("deployment/web", "Deployment", ("team", "web")),
    ("dc/worker", "DeploymentConfig", ("team", "worker")),
]

STORES = (
    "ImageStream",
    "Image",
    "Pod",
    "Node",
    "Project",
    "ServiceAccount",
    "Secret",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "Group",
    "Deployment",
    "DeploymentConfig",
)

RECOMPUTED = {
    # kind: fields (dotted paths) a fresh cluster computes for itself
    "ImageStreamTag": ("image", "generation", "tag.generation", "metadata.creationTimestamp"),
    "Pod": ("status", "metadata.creationTimestamp"),
    "Deployment": ("status", "metadata.creationTimestamp", "metadata.annotations"),
    "DeploymentConfig": ("status", "metadata.creationTimestamp"),
}
"""Status the fresh cluster recomputes: an ImageStreamTag's image and generation come
from the import (its ``lookupPolicy`` is the stream's, which an ImageStreamTag does not
write: equal here because the stream has the default); pods and workloads are created
anew by their controllers (a Deployment's ``deployment.kubernetes.io/revision``
annotation counts its rollouts).  Everything else, a Node's image store included, is
loaded as dumped."""

NOT_LOADED = {"ImageStreamImage"}


@pytest.fixture(scope="module")
def running():
    return _running()


def _running():
    """One of every kind: an imported image, pods running it, both workloads rolled out."""
    sim = sk.Simulation(seed=7)
    sim.registry("quay.io").push("team/app", "1.0")
    sim.oc("new-project team")
    sim.advance("30s")
    sim.oc("tag quay.io/team/app:1.0 app:1.0 -n team")
    sim.oc(
        "create secret docker-registry quay --docker-server=quay.io --docker-username=u "
        "--docker-password=p -n team"
    )
    sim.oc("policy add-role-to-user view ann -n team")
    apply_objects(
        sim,
        [
            {
                "apiVersion": "v1",
                "kind": "ServiceAccount",
                "metadata": {"name": "robot", "namespace": "team"},
                "imagePullSecrets": [{"name": "quay"}],
            },
            {
                "apiVersion": "rbac.authorization.k8s.io/v1",
                "kind": "Role",
                "metadata": {"name": "reader", "namespace": "team"},
                "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}],
            },
            {
                "apiVersion": "rbac.authorization.k8s.io/v1",
                "kind": "ClusterRoleBinding",
                "metadata": {"name": "pullers"},
                "roleRef": {
                    "apiGroup": "rbac.authorization.k8s.io",
                    "kind": "ClusterRole",
                    "name": "system:image-puller",
                },
                "subjects": [
                    {"kind": "Group", "name": "devs", "apiGroup": "rbac.authorization.k8s.io"}
                ],
            },
            {
                "apiVersion": "user.openshift.io/v1",
                "kind": "Group",
                "metadata": {"name": "devs"},
                "users": ["ann", "bob"],
            },
        ],
        mode="create",
        namespace="team",
    )
    sim.advance("1m")
    sim.run_pod("team", "quay.io/team/app:1.0", name="solo")
    sim.deploy("team", "web", trigger="app:1.0", replicas=2)
    sim.deploy("team", "worker", image="quay.io/team/app:1.0", kind="DeploymentConfig")
    sim.advance("3m")
    assert all(p.status == "Running" for p in sim.pods("team"))
    assert sim.cluster.get("Node", ("", "worker-0")).images  # a store to round-trip
    return sim


def _digest(sim) -> str:
    return sim.cluster.get("ImageStream", ("team", "app")).status_tags["1.0"].items[0].image


def _spelled(sim, arg: str, store: str, key: tuple[str, str]):
    digest = _digest(sim)
    return arg.format(digest=digest), (key[0], key[1].format(digest=digest))


def _state(sim) -> dict:
    return {store: copy.deepcopy(dict(sim.cluster.items(store))) for store in STORES}


def _drop(obj: dict, paths) -> dict:
    out = copy.deepcopy(obj)
    for path in paths:
        *parents, leaf = path.split(".")
        node = out
        for part in parents:
            node = node.get(part) or {}
        node.pop(leaf, None)
    for key in ("uid", "resourceVersion"):
        out["metadata"].pop(key, None)
    return out


def _new_kinds(sim, since: int) -> list[str]:
    """The kinds of the events recorded since the ``since``-th."""
    return list(sim.events["kind"].iloc[since:])


def _parse(text: str, output: str) -> dict:
    return json.loads(text) if output == "json" else yaml.safe_load(text)


@pytest.mark.parametrize("output", ["yaml", "json"])
@pytest.mark.parametrize(("arg", "store", "key"), KINDS, ids=[k[0].split("/")[0] for k in KINDS])
def test_get_then_apply_changes_nothing(running, tmp_path, arg, store, key, output):
    """``oc apply -f`` of what ``oc get -o yaml|json`` printed: no object and no event
    changes, ``configured`` (the last-applied annotation patched in) then ``unchanged``."""
    sim = running
    arg, key = _spelled(sim, arg, store, key)
    printed = sim.oc(f"get {arg} -n team -o {output}")
    path = tmp_path / f"obj.{output}"
    path.write_text(printed)
    before, events = _state(sim), len(sim.events)
    if store == "ImageStreamImage":
        with pytest.raises(
            OcError,
            match=r"Error from server \(MethodNotAllowed\): .*the "
            "server does not allow this method on the requested resource",
        ):
            sim.oc(f"apply -f {path} -n team")
        with pytest.raises(OcError, match="MethodNotAllowed"):
            sim.oc(f"create -f {path} -n team")
        assert _state(sim) == before and _new_kinds(sim, events) == []  # a failed command
        return
    first = sim.oc(f"apply -f {path} -n team")
    second = sim.oc(f"apply -f {path} -n team")
    assert first.strip().endswith(" configured") or first.strip().endswith(" unchanged")
    assert second.strip().endswith(" unchanged"), second
    assert _state(sim) == before
    assert _new_kinds(sim, events) == ["oc", "oc"]  # the two commands, nothing else
    # and what get prints now is what it printed before
    assert _parse(sim.oc(f"get {arg} -n team -o {output}"), output) == _parse(printed, output)
    assert sim.cluster.items(LAST_APPLIED_STORE)  # what apply did write


@pytest.mark.parametrize(("arg", "store", "key"), KINDS, ids=[k[0].split("/")[0] for k in KINDS])
def test_get_then_load_gives_the_same_object(running, tmp_path, arg, store, key):
    """``load_manifests`` of ``oc get -o yaml`` into a fresh simulation: an equal object,
    but for the status the fresh cluster recomputes (:data:`RECOMPUTED`)."""
    sim = running
    arg, key = _spelled(sim, arg, store, key)
    printed = sim.oc(f"get {arg} -n team -o yaml")
    path = tmp_path / "obj.yaml"
    path.write_text(printed)
    loaded = load_manifests(path, start=sim.start)
    kind = yaml.safe_load(printed)["kind"]
    if store in NOT_LOADED:
        assert loaded.manifest_summary["skipped"] == {kind: 1}
        return
    assert loaded.manifest_summary["loaded"] == {kind: 1}
    if store == "ImageStreamTag":
        # GET is NotFound until the fresh cluster has imported the tag (REST.Get): the
        # stream's spec tag is what the load wrote; the view of it is compared
        stream = loaded.cluster.get("ImageStream", ("team", "app"))
        again = to_api(image_stream_tag(stream, "1.0"), loaded)
    else:
        again = _parse(loaded.oc(f"get {arg}{' -n team' if key[0] else ''} -o yaml"), "yaml")
    drop = RECOMPUTED.get(kind, ())
    assert _drop(again, drop) == _drop(yaml.safe_load(printed), drop)


# -- the image kinds through the API server's endpoints --------------------------------------
def _istag(name: str, tag: dict | None, **extra) -> dict:
    return {
        "apiVersion": "image.openshift.io/v1",
        "kind": "ImageStreamTag",
        "metadata": {"name": name, "namespace": "team", **extra},
        "tag": tag,
    }


def _docker(name: str) -> dict:
    return {"from": {"kind": "DockerImage", "name": name}}


def test_create_istag_is_rest_create(tmp_path):
    """``REST.Create``: a new spec tag (the stream made if missing), ``AlreadyExists`` of
    ``imagestreamtag.image.openshift.io`` for an existing one, the ImageStreamTag's
    validation first, and its ``lookupPolicy`` not written to the stream."""
    sim = sk.Simulation(seed=1)
    sim.oc("new-project team")
    path = tmp_path / "istag.yaml"
    path.write_text(
        yaml.safe_dump(
            _istag("fresh:1", _docker("quay.io/a/b:1")) | {"lookupPolicy": {"local": True}}
        )
    )
    assert sim.oc(f"create -f {path} -n team").strip() == (
        "imagestreamtag.image.openshift.io/fresh:1 created"
    )
    stream = sim.cluster.get("ImageStream", ("team", "fresh"))
    assert stream.spec_tags["1"].source.name == "quay.io/a/b:1"
    assert stream.lookup_local is False
    with pytest.raises(
        OcError,
        match=r"\(AlreadyExists\): .*imagestreamtag\.image\.openshift"
        r'\.io "fresh:1" already exists',
    ):
        sim.oc(f"create -f {path} -n team")
    # not imported yet (quay.io has no such image): REST.Get is NotFound, so oc apply
    # creates, and REST.Create finds the spec tag
    with pytest.raises(OcError, match=r"\(AlreadyExists\)"):
        sim.oc(f"apply -f {path} -n team")
    path.write_text(yaml.safe_dump(_istag("fresh:2", {"from": {"name": "x"}})))
    with pytest.raises(
        OcError,
        match=r'ImageStreamTag.image.openshift.io "fresh:2" is invalid: '
        r"tag.from.kind: Required value",
    ):
        sim.oc(f"create -f {path} -n team")
    assert list(sim.cluster.get("ImageStream", ("team", "fresh")).spec_tags) == ["1"]
    # REST.Create with no tag: the stream is made, with no spec tag
    path.write_text(yaml.safe_dump(_istag("empty:1", None)))
    assert sim.oc(f"create -f {path} -n team").strip().endswith(" created")
    assert sim.cluster.get("ImageStream", ("team", "empty")).spec_tags == {}


def test_apply_istag_updates_the_spec_tag(running, tmp_path):
    """``REST.update`` through ``oc apply``: the spec tag is replaced with the file's; a
    ``tag: null`` for a tag that is not in the spec is upstream's BadRequest."""
    sim = _running()
    obj = yaml.safe_load(sim.oc("get istag app:1.0 -n team -o yaml"))
    obj["tag"]["referencePolicy"] = {"type": "Local"}
    path = tmp_path / "istag.yaml"
    path.write_text(yaml.safe_dump(obj))
    assert (
        sim.oc(f"apply -f {path} -n team")
        .strip()
        .endswith("imagestreamtag.image.openshift.io/app:1.0 configured")
    )
    assert (
        sim.cluster.get("ImageStream", ("team", "app")).spec_tags["1.0"].reference_policy == "Local"
    )
    sim.oc("tag quay.io/team/app:1.0 app:status-only -n team")
    sim.advance("1m")
    stream = sim.cluster.get("ImageStream", ("team", "app")).copy()
    with sim.transaction() as tx:  # a tag left only in the status, as pushes leave them
        stream.spec_tags.pop("status-only")
        tx.put("ImageStream", stream.key, stream)
    path.write_text(yaml.safe_dump(_istag("app:status-only", None)))
    with pytest.raises(
        OcError,
        match=r"\(BadRequest\): .*imagestreamtag status-only is not a "
        "spec tag in imagestream team/app, cannot be updated",
    ):
        sim.oc(f"apply -f {path} -n team")


def test_image_is_created_by_an_admin_and_validated(running, tmp_path):
    """``registry/image``: an Image needs a ``dockerImageReference`` and (simkit) a digest
    name; a valid one is created, re-applied unchanged."""
    digest = _digest(running)
    image = yaml.safe_load(running.oc(f"get image {digest} -o yaml"))
    sim = sk.Simulation(seed=2)
    path = tmp_path / "image.yaml"
    path.write_text(yaml.safe_dump(image))
    assert sim.oc(f"create -f {path}").strip() == f"image.image.openshift.io/{digest} created"
    assert sim.cluster.get("Image", ("", digest)) == running.cluster.get("Image", ("", digest))
    sim.oc(f"apply -f {path}")
    assert sim.oc(f"apply -f {path}").strip().endswith(" unchanged")
    for name, field, message in [
        ("app", "metadata.name", 'Invalid value: "app": simkit names an Image by its digest'),
        ("sha256:" + "0" * 64, "dockerImageReference", "Required value"),
    ]:
        bad = copy.deepcopy(image)
        bad["metadata"]["name"] = name
        if field == "dockerImageReference":
            bad.pop("dockerImageReference")
        path.write_text(yaml.safe_dump(bad))
        with pytest.raises(
            OcError,
            match=f'Image.image.openshift.io "{re.escape(name)}" is invalid: {field}: {message}',
        ):
            sim.oc(f"create -f {path}")


def test_nodes_are_not_registered_from_files(running, tmp_path):
    """A node of a new name is refused by ``oc create``/``apply`` and skipped by a load;
    the kubelet registers nodes (simkit's are ``Simulation(nodes=N)``)."""
    node = yaml.safe_load(running.oc("get node worker-0 -o yaml"))
    node["metadata"]["name"] = "worker-9"
    path = tmp_path / "node.yaml"
    path.write_text(yaml.safe_dump(node))
    mine = yaml.safe_load(running.oc("get node worker-0 -o yaml"))
    mine["metadata"]["annotations"]["simkit.io/bandwidth-bytes-per-second"] = "1.0"
    path.write_text(yaml.safe_dump(mine))
    before = running.cluster.get("Node", ("", "worker-0")).bandwidth
    assert "simkit does not change a node's labels or annotations" in running.oc(f"apply -f {path}")
    assert running.cluster.get("Node", ("", "worker-0")).bandwidth == before
    path.write_text(yaml.safe_dump(node))
    for verb in ("create", "apply"):
        with pytest.raises(
            OcError,
            match=r'\(Forbidden\): .*nodes "worker-9" is forbidden: '
            "simkit does not register nodes",
        ):
            running.oc(f"{verb} -f {path}")
    loaded = load_manifests(path)
    assert loaded.manifest_summary["skipped"] == {"Node": 1}
    assert loaded.cluster.get("Node", ("", "worker-9")) is None


def test_a_loaded_node_has_the_dumped_image_store(running, tmp_path):
    """The load restores a node's store: the kubelet finds the image already present."""
    path = tmp_path / "node.yaml"
    path.write_text(running.oc("get node worker-2 -o yaml"))
    loaded = load_manifests(path, start=running.start)
    live = running.cluster.get("Node", ("", "worker-2"))
    node = loaded.cluster.get("Node", ("", "worker-2"))
    assert node is loaded.kubelet.node("worker-2")
    assert (
        {d: (i.size, i.names) for d, i in node.images.items()}
        == {d: (i.size, i.names) for d, i in live.images.items()}
        != {}
    )
    assert node.disk_used == live.disk_used


def test_an_isimage_load_says_why_it_is_skipped(running, tmp_path):
    path = tmp_path / "isimage.yaml"
    path.write_text(running.oc(f"get isimage app@{_digest(running)} -n team -o yaml"))
    result = apply_objects(sk.Simulation(), read_manifests(path), mode="load")
    assert [o.reason for o in result.outcomes] == [
        "the server does not allow this method on the requested resource"
    ]


_KEYS = st.from_regex(r"[a-z]{1,5}(\.io/[a-z]{1,4})?", fullmatch=True)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tag=st.from_regex(r"[a-z0-9][a-z0-9._-]{0,8}", fullmatch=True),
    policy=st.sampled_from(["Source", "Local"]),
    mode=st.sampled_from(["Legacy", "PreserveOriginal"]),
    annotations=st.dictionaries(_KEYS, st.text(max_size=6), max_size=2),
)
def test_an_applied_istag_is_the_spec_tag_and_reapplies_unchanged(tag, policy, mode, annotations):
    """Invariant: ``oc apply -f`` of any valid ImageStreamTag makes the stream's spec tag
    what the file says (its annotations the ImageStreamTag's, ``REST.update``), and the
    same file again changes nothing (once imported: before, a GET is NotFound, so oc
    apply POSTs, and ``REST.Create`` finds the spec tag: AlreadyExists, as upstream)."""
    sim = sk.Simulation(seed=0, nodes=1)
    sim.registry("quay.io").push("team/app", "1.0")
    sim.oc("new-project team")
    ref = {
        "name": tag,
        "from": {"kind": "DockerImage", "name": "quay.io/team/app:1.0"},
        "importPolicy": {"importMode": mode},
        "referencePolicy": {"type": policy},
        "annotations": annotations or None,
    }
    obj = _istag(f"app:{tag}", ref, **({"annotations": annotations} if annotations else {}))
    apply_objects(sim, [obj], mode="apply", namespace="team")
    stream = sim.cluster.get("ImageStream", ("team", "app"))
    written = {t["name"]: t for t in to_api(stream, sim)["spec"]["tags"]}[tag]
    assert {k: v for k, v in written.items() if k != "generation"} == ref
    sim.advance("10s")  # imported
    before, events = _state(sim), len(sim.events)
    result = apply_objects(sim, [obj], mode="apply", namespace="team")
    assert [o.action for o in result.outcomes] == ["unchanged"]
    assert _state(sim) == before and len(sim.events) == events

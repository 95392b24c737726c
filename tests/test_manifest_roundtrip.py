"""Every kind simkit stores, written as the API server returns it and read back.

For each kind: object -> :func:`simkit.manifests.to_api` -> YAML (as ``oc get -o yaml``
prints it) -> :func:`simkit.manifests.from_api` -> an equal object.  The shapes are
those of ``k8s.io/api/core/v1/types.go``, ``k8s.io/api/rbac/v1/types.go``,
``k8s.io/api/apps/v1/types.go`` and openshift/api ``image/v1``, ``apps/v1``,
``user/v1``, ``project/v1`` (field names, ``omitempty``); ``metav1.Time`` has whole
seconds, so times here are whole seconds.  A loaded cluster and ``oc apply -f`` read the
same objects back through ``load_manifests`` and ``apply_objects``.
"""

from __future__ import annotations

import base64
import json

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simkit as sk
from simkit.manifests import apply_objects, from_api, load_manifests, to_api
from simkit.manifests.api import KINDS
from simkit.manifests.images import image_stream_image, image_stream_tag
from simkit.oc.output import to_yaml
from simkit.state.accounts import DOCKERCONFIGJSON, Group, Secret, ServiceAccount
from simkit.state.images import (
    Image,
    ImageStream,
    NamedTagEventList,
    ObjectReference,
    TagEvent,
    TagEventCondition,
    TagReference,
)
from simkit.state.nodes import Node
from simkit.state.projects import Project
from simkit.state.rbac import (
    LabelSelector,
    PolicyRule,
    Role,
    RoleBinding,
    RoleRef,
    SelectorRequirement,
    Subject,
)
from simkit.state.users import User
from simkit.state.workloads import (
    ERR_IMAGE_PULL,
    FORBIDDEN,
    IMAGE_PULL_BACKOFF,
    PENDING,
    RUNNING,
    TERMINATED,
    ImageTrigger,
    Pod,
    Workload,
)

FAST = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])

label = st.from_regex(r"[a-z]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
seconds = st.integers(min_value=-(10**6), max_value=10**8).map(float)
# control characters left out: oc.output.to_yaml (allow_unicode) writes U+0085 (NEL) raw
# in a quoted scalar, which a YAML reader folds to a space (a to_yaml finding, not a reader's)
text = st.text(
    st.characters(min_codepoint=32, max_codepoint=0x2FF, blacklist_categories=("Cc", "Cs")),
    max_size=12,
)
string_map = st.dictionaries(
    st.from_regex(r"[a-z]{1,6}(\.io/[a-z]{1,6})?", fullmatch=True), text, max_size=3
)
digest = st.binary(min_size=4, max_size=4).map(lambda b: "sha256:" + b.hex() * 8)
unique_names = st.lists(label, max_size=3, unique=True)
policies = st.sampled_from(["Always", "IfNotPresent", "Never"])


def through_yaml(obj):
    """What ``oc get -o yaml`` prints, read back as a manifest file would be."""
    return yaml.safe_load(to_yaml(obj))


def round_trip(obj, **kwargs):
    api = to_api(obj, **kwargs)
    assert api["metadata"]["uid"] and api["metadata"]["resourceVersion"]
    assert api["metadata"]["creationTimestamp"].endswith("Z")
    return from_api(through_yaml(api), **{k: v for k, v in kwargs.items() if k == "start"})


# -- strategies, one per kind ---------------------------------------------------------------
@st.composite
def image_streams(draw):
    stream = ImageStream(
        draw(label),
        draw(label),
        generation=draw(st.integers(1, 9)),
        created=draw(seconds),
        lookup_local=draw(st.booleans()),
        annotations=draw(string_map),
        labels=draw(string_map),
    )
    for name in draw(unique_names):
        stream.spec_tags[name] = TagReference(
            name,
            draw(
                st.none()
                | st.builds(
                    ObjectReference,
                    st.sampled_from(["DockerImage", "ImageStreamTag"]),
                    label,
                    st.just("") | label,
                )
            ),
            reference=draw(st.booleans()),
            generation=draw(st.none() | st.integers(0, 9)),
            insecure=draw(st.booleans()),
            scheduled=draw(st.booleans()),
            import_mode=draw(st.sampled_from(["Legacy", "PreserveOriginal"])),
            reference_policy=draw(st.sampled_from(["Source", "Local"])),
            annotations=draw(st.none() | string_map),
        )
    for name in draw(unique_names):
        stream.status_tags[name] = NamedTagEventList(
            name,
            [
                TagEvent(draw(seconds), f"quay.io/a/b@{d}", d, draw(st.integers(0, 9)))
                for d in draw(st.lists(digest, max_size=2))
            ],
            [
                TagEventCondition(
                    "ImportSuccess",
                    "False",
                    draw(seconds),
                    draw(text),
                    draw(text),
                    draw(st.integers(0, 9)),
                )
                for _ in range(draw(st.integers(0, 1)))
            ],
        )
    return stream


images = st.builds(
    lambda d, created, size, labels: Image(d, f"quay.io/a/b@{d}", created, size, labels),
    digest,
    seconds,
    st.integers(0, 10**10),
    string_map,
)

secrets = st.builds(
    lambda ns, name, data, annotations, uid, created: Secret(
        ns, name, data=data, annotations=annotations, uid=uid, created=created
    ),
    label,
    label,
    st.dictionaries(
        st.from_regex(r"[-._a-zA-Z0-9]{1,8}", fullmatch=True).filter(
            lambda k: k not in (".", "..")
        ),
        st.binary(max_size=20),
        max_size=3,
    ),
    string_map,
    st.uuids().map(str),
    seconds,
)

service_accounts = st.builds(
    lambda ns, name, s, p, a, c: ServiceAccount(ns, name, s, p, a, c),
    label,
    label,
    unique_names,
    unique_names,
    string_map,
    seconds,
)


projects = st.builds(
    lambda name, created, requester, display, description, labels, annotations: Project(
        name, created, requester, display, description, labels, annotations
    ),
    label,
    seconds,
    st.just("") | label,
    st.just("") | text,
    st.just("") | text,
    string_map,
    string_map,
)


@st.composite
def pods(draw):
    status = draw(
        st.sampled_from(
            [PENDING, RUNNING, ERR_IMAGE_PULL, IMAGE_PULL_BACKOFF, FORBIDDEN, TERMINATED]
        )
    )
    running = status == RUNNING
    with_container = status not in (PENDING, FORBIDDEN)
    revision = draw(st.integers(1, 9))
    owner = draw(
        st.sampled_from(["", f"Deployment/web#{revision}", f"DeploymentConfig/api#{revision}"])
    )
    return Pod(
        draw(label),
        draw(label),
        draw(st.sampled_from(["quay.io/a/b:1", "busybox", "localhost:5000/x/y:2"])),
        draw(policies),
        uid=str(draw(st.uuids())),
        service_account=draw(label),
        image_pull_secrets=draw(unique_names),
        node=draw(st.none() | label),
        created=draw(seconds),
        status=status,
        message="" if status in (RUNNING, TERMINATED) else draw(text),
        image_digest=draw(digest) if running else None,
        started=draw(seconds) if running else None,
        owner=owner,
        restarts=draw(st.integers(0, 9)) if with_container else 0,
        container=draw(label),
    )


@st.composite
def nodes(draw):
    node = Node(
        draw(label),
        disk_capacity=draw(st.integers(0, 10**13)),
        bandwidth=draw(st.floats(1, 1e10)),
        ready=draw(st.booleans()),
    )
    for d in draw(st.lists(digest, max_size=3, unique=True)):
        size = draw(st.integers(0, 10**9))
        for name in draw(st.lists(label, min_size=1, max_size=2, unique=True)):
            node.store(f"quay.io/{name}:1", d, size, 0.0)
    return node


@st.composite
def workloads(draw):
    kind = draw(st.sampled_from(["Deployment", "DeploymentConfig"]))
    namespace, container = draw(label), draw(label)
    triggers = []
    for _ in range(draw(st.integers(0, 1 if kind == "Deployment" else 2))):
        tag = f"{draw(label)}:{draw(label)}"
        if kind == "Deployment":
            triggers.append(
                ImageTrigger(
                    tag, draw(st.just(namespace) | label), container, paused=draw(st.booleans())
                )
            )
        else:
            triggers.append(
                ImageTrigger(
                    tag,
                    draw(st.just(namespace) | label),
                    container,
                    automatic=draw(st.booleans()),
                    last_triggered_image=draw(st.just("") | digest),
                )
            )
    return Workload(
        kind,
        namespace,
        draw(label),
        "quay.io/a/b:1",
        replicas=draw(st.integers(0, 5)),
        pull_policy=draw(st.none() | policies),
        service_account=draw(label),
        image_pull_secrets=draw(unique_names),
        triggers=triggers,
        revision=draw(st.integers(0, 9)),
        created=draw(seconds),
        container=container,
    )


resource_rules = st.builds(
    PolicyRule,
    st.lists(st.sampled_from(["get", "list", "*"]), min_size=1, max_size=2),
    st.lists(st.sampled_from(["", "image.openshift.io"]), min_size=1, max_size=2),
    st.lists(st.sampled_from(["imagestreams", "imagestreams/layers"]), min_size=1),
    st.lists(label, max_size=1),
)


@st.composite
def roles(draw):
    namespace = draw(st.just("") | label)
    rules = draw(st.lists(resource_rules, max_size=3))
    if not namespace and draw(st.booleans()):
        rules.append(PolicyRule(["get"], non_resource_urls=["/healthz"]))
    aggregation = None
    if not namespace and draw(st.booleans()):
        aggregation = [
            LabelSelector(
                draw(string_map).fromkeys(["agg"], "true"),
                (SelectorRequirement("k", "In", ("a",)),),
            )
        ]
    return Role(namespace, draw(label), rules, draw(string_map), aggregation, draw(string_map))


@st.composite
def bindings(draw):
    namespace = draw(st.just("") | label)
    subjects = [
        Subject("User", draw(label)),
        Subject("Group", draw(label)),
        Subject("ServiceAccount", draw(label), draw(label)),
    ]
    kinds = ["ClusterRole", "Role"] if namespace else ["ClusterRole"]
    return RoleBinding(
        namespace,
        draw(label),
        RoleRef(draw(st.sampled_from(kinds)), draw(label)),
        draw(st.lists(st.sampled_from(subjects), max_size=3, unique=True)),
        draw(string_map),
        draw(string_map),
    )


# -- object -> to_api -> YAML -> from_api -> the same object ----------------------------------
@pytest.mark.parametrize(
    "strategy",
    [
        image_streams(),
        images,
        secrets,
        service_accounts,
        projects,
        pods(),
        nodes(),
        workloads(),
        roles(),
        bindings(),
        st.builds(Group, label, unique_names),
        st.builds(User, label, text, st.lists(label, max_size=2)),
    ],
    ids=[
        "ImageStream",
        "Image",
        "Secret",
        "ServiceAccount",
        "Namespace",
        "Pod",
        "Node",
        "Deployment/DeploymentConfig",
        "Role/ClusterRole",
        "RoleBinding/ClusterRoleBinding",
        "Group",
        "User",
    ],
)
def test_every_kind_round_trips(strategy):
    @FAST
    @given(strategy)
    def check(obj):
        assert round_trip(obj) == obj

    check()


@FAST
@given(image_streams(), st.lists(images, max_size=2))
def test_image_stream_tag_and_image_views_round_trip(stream, extra):
    by_digest = {i.digest: i for i in extra}
    for tag in [*stream.status_tags, *stream.spec_tags]:
        ist = image_stream_tag(stream, tag, by_digest)
        assert round_trip(ist) == ist
        assert ist.name == f"{stream.name}:{tag}"
    for image in extra:
        isi = image_stream_image(stream, image)
        assert round_trip(isi) == isi


def test_a_project_written_as_project_reads_back():
    project = Project("demo", created=60, requester="ann", annotations={"team": "a"})
    api = to_api(project, kind="Project")
    assert api["apiVersion"] == "project.openshift.io/v1" and api["kind"] == "Project"
    assert api["metadata"]["annotations"] == {"team": "a", "openshift.io/requester": "ann"}
    assert from_api(through_yaml(api)) == project


def test_every_listed_kind_has_a_writer_and_a_reader():
    assert set(KINDS) == {
        "ImageStream",
        "ImageStreamTag",
        "ImageStreamImage",
        "Image",
        "Pod",
        "Node",
        "Namespace",
        "Project",
        "ServiceAccount",
        "Secret",
        "Role",
        "ClusterRole",
        "RoleBinding",
        "ClusterRoleBinding",
        "Group",
        "User",
        "Deployment",
        "DeploymentConfig",
    }


def test_the_api_shape_of_a_secret_and_its_metadata():
    """``data`` base64 as the API returns it; ObjectMeta's field order."""
    secret = Secret(
        "demo",
        "pull",
        DOCKERCONFIGJSON,
        {".dockerconfigjson": b'{"auths":{"q.io":{"auth":"dTpw"}}}'},
        created=5,
    )
    api = to_api(secret)
    assert list(api) == ["kind", "apiVersion", "metadata", "data", "type"]
    assert list(api["metadata"]) == [
        "name",
        "namespace",
        "uid",
        "resourceVersion",
        "creationTimestamp",
    ]
    assert base64.b64decode(api["data"][".dockerconfigjson"]) == secret.data[".dockerconfigjson"]
    assert to_api(secret) == api  # uid and resourceVersion are stable
    changed = secret.copy()
    changed.annotations["a"] = "b"
    assert to_api(changed)["metadata"]["resourceVersion"] != api["metadata"]["resourceVersion"]
    assert to_api(changed)["metadata"]["uid"] == api["metadata"]["uid"]


def test_secret_values_stay_out_of_reprs_and_errors():
    secret = Secret("demo", "s", data={"token": b"hunter2-value"})
    assert "hunter2" not in repr(secret)
    api = to_api(secret)
    api["data"]["token"] = "!!not base64 hunter2-value"
    with pytest.raises(ValueError) as info:
        from_api(api)
    assert "hunter2" not in str(info.value)
    assert str(info.value) == (
        "data[token]: Invalid value: <secret contents redacted>: illegal base64 data"
    )


def test_a_node_never_writes_its_pull_secret():
    node = Node("worker-0", config_json='{"auths":{"q.io":{"auth":"c2VjcmV0"}}}')
    assert "c2VjcmV0" not in json.dumps(to_api(node))


def test_reading_names_the_field():
    api = to_api(Pod("p", "web", "quay.io/a:1", "Sometimes"))
    with pytest.raises(
        ValueError, match='spec.containers\\[0\\].imagePullPolicy: Unsupported value: "Sometimes"'
    ):
        from_api(api)
    with pytest.raises(ValueError, match="kind: simkit does not model 'Service'"):
        from_api({"kind": "Service", "apiVersion": "v1"})


# -- through load_manifests and oc apply -f -------------------------------------------------
@pytest.fixture(scope="module")
def running():
    sim = sk.Simulation(seed=3)
    sim.registry("quay.io").push("team/app", "1.0")
    sim.oc("new-project team")
    sim.advance("30s")  # the project's service accounts
    sim.oc("tag quay.io/team/app:1.0 app:1.0 -n team")
    sim.oc(
        "create secret docker-registry quay --docker-server=quay.io --docker-username=u "
        "--docker-password=p -n team"
    )
    sim.oc("secrets link default quay --for=pull -n team")
    sim.oc("policy add-role-to-user view ann -n team")
    sim.advance("2m")
    return sim


STORES = ("ImageStream", "Secret", "ServiceAccount", "RoleBinding", "Project")


def test_a_dump_loads_back_to_the_same_objects(running, tmp_path):
    """``oc get -o yaml`` of the cluster, then ``load_manifests``: the same objects."""
    dump = {
        "apiVersion": "v1",
        "kind": "List",
        "metadata": {"resourceVersion": ""},
        "items": [
            to_api(obj, running)
            for store in STORES
            for obj in running.cluster.list(store, "team")
            if store != "Project"
        ]
        + [to_api(running.cluster.get("Project", ("", "team")), running)],
    }
    path = tmp_path / "dump.yaml"
    path.write_text(to_yaml(dump))
    loaded = load_manifests(path, start=running.start)
    for store in STORES:
        for key, obj in running.cluster.items(store):
            if key[0] != "team" and key != ("", "team"):
                continue
            assert loaded.cluster.get(store, key) == obj, (store, key)


def test_oc_apply_of_what_get_printed_changes_nothing(running):
    sim = running
    before = {(store, key): obj for store in STORES for key, obj in sim.cluster.items(store)}
    objects = [
        to_api(sim.cluster.get("ServiceAccount", ("team", "default")), sim),
        to_api(sim.cluster.get("Secret", ("team", "quay")), sim),
        to_api(sim.cluster.get("ImageStream", ("team", "app")), sim),
    ]
    result = apply_objects(sim, objects, mode="apply", namespace="team")
    assert [o.action for o in result.outcomes] == ["configured"] * 3  # no last-applied yet
    after = {(store, key): obj for store in STORES for key, obj in sim.cluster.items(store)}
    assert after == before

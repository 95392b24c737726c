"""load_manifests, apply_objects and oc create/apply -f: every kind, every input shape,
errors located in the file, nothing half-applied, and hostile input refused cleanly."""

from __future__ import annotations

import base64
import json
import textwrap

import pytest

import simkit as sk
import simkit.manifests
from simkit.manifests import ManifestError, apply_objects, load_manifests, read_manifests
from simkit.manifests.reader import parse_documents

DIGEST_1 = "sha256:" + "1" * 64
DIGEST_2 = "sha256:" + "2" * 64


def write(tmp_path, name: str, text: str | bytes):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return path


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


# --- every kind ----------------------------------------------------------------------------
EVERY_KIND = f"""
apiVersion: project.openshift.io/v1
kind: Project
metadata:
  name: team
  annotations: {{openshift.io/requester: alice, openshift.io/display-name: The Team}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {{name: stream-reader}}
rules:
- apiGroups: ["image.openshift.io"]
  resources: ["imagestreams", "imagestreams/layers"]
  verbs: ["get"]
---
apiVersion: authorization.openshift.io/v1
kind: Role
metadata: {{name: tagger, namespace: team}}
rules:
- resources: ["imagestreamtags"]
  verbs: ["update"]
---
apiVersion: rbac.authorization.k8s.io/v1beta1
kind: RoleBinding
metadata: {{name: readers, namespace: team}}
roleRef: {{kind: ClusterRole, name: stream-reader}}
subjects:
- {{kind: Group, name: qa}}
---
apiVersion: authorization.openshift.io/v1
kind: RoleBinding
metadata: {{name: taggers, namespace: team}}
roleRef: {{name: tagger, namespace: team}}
userNames: [bob]
groupNames: null
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {{name: ci-reads-everything}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: stream-reader}}
subjects:
- {{kind: ServiceAccount, name: runner, namespace: ci}}
---
apiVersion: user.openshift.io/v1
kind: Group
metadata: {{name: qa}}
users: [carol, dave]
---
apiVersion: user.openshift.io/v1
kind: User
metadata: {{name: carol}}
fullName: Carol
identities: ["htpasswd:carol"]
---
apiVersion: v1
kind: ServiceAccount
metadata: {{name: robot, namespace: team}}
imagePullSecrets: [{{name: quay-creds}}]
secrets: [{{name: quay-creds}}]
---
apiVersion: v1
kind: Secret
metadata: {{name: quay-creds, namespace: team}}
type: kubernetes.io/dockerconfigjson
data:
  .dockerconfigjson: {b64('{"auths": {"quay.io": {"auth": "' + b64("robot:pw") + '"}}}')}
stringData:
  note: plain text
---
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata: {{name: app, namespace: team}}
spec:
  tags:
  - name: "1.0"
    from: {{kind: DockerImage, name: quay.io/acme/app:1.0}}
    referencePolicy: {{type: Local}}
---
apiVersion: v1
kind: Pod
metadata: {{name: probe, namespace: team}}
spec:
  serviceAccountName: robot
  nodeName: worker-1
  containers:
  - name: probe
    image: quay.io/acme/probe:1
    imagePullPolicy: IfNotPresent
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: team
  annotations:
    image.openshift.io/triggers: >-
      [{{"from":{{"kind":"ImageStreamTag","name":"app:1.0"}},
        "fieldPath":"spec.template.spec.containers[?(@.name==\\"web\\")].image"}}]
spec:
  replicas: 2
  template:
    spec:
      containers:
      - name: web
        image: " "
        imagePullPolicy: Always
---
apiVersion: apps.openshift.io/v1
kind: DeploymentConfig
metadata: {{name: worker, namespace: team}}
spec:
  replicas: 1
  triggers:
  - type: ConfigChange
  - type: ImageChange
    imageChangeParams:
      automatic: true
      containerNames: [worker]
      from: {{kind: ImageStreamTag, name: "app:1.0"}}
  template:
    spec:
      containers:
      - name: worker
        image: " "
"""


@pytest.fixture(scope="module")
def every_kind(tmp_path_factory):
    path = write(tmp_path_factory.mktemp("every"), "every.yaml", EVERY_KIND)
    sim = load_manifests(path)
    quay = sim.registry("quay.io")
    quay.push("acme/app", "1.0")
    quay.push("acme/probe", "1")
    sim.advance("2m")
    return sim


def test_every_kind_is_loaded(every_kind):
    sim = every_kind
    assert sim.manifest_summary["loaded"] == {
        "ClusterRole": 1,
        "ClusterRoleBinding": 1,
        "Deployment": 1,
        "DeploymentConfig": 1,
        "Group": 1,
        "ImageStream": 1,
        "Pod": 1,
        "Project": 1,
        "Role": 1,
        "RoleBinding": 2,
        "Secret": 1,
        "ServiceAccount": 1,
        "User": 1,
    }
    assert sim.manifest_summary["skipped"] == {}
    project = sim.cluster.get("Project", ("", "team"))
    assert (project.requester, project.display_name) == ("alice", "The Team")
    # provisioned like oc new-project: the requester is admin, default SAs and bindings
    assert {b.name for b in sim.cluster.list("RoleBinding", "team")} >= {
        "admin",
        "system:image-pullers",
        "system:image-builders",
        "system:deployers",
        "readers",
        "taggers",
    }
    assert sim.cluster.get("RoleBinding", ("team", "admin")).subjects[0].name == "alice"
    assert {sa.name for sa in sim.cluster.list("ServiceAccount", "team")} == {
        "default",
        "builder",
        "deployer",
        "robot",
    }
    taggers = sim.cluster.get("RoleBinding", ("team", "taggers"))
    assert (taggers.role_ref.kind, taggers.subjects[0].name) == ("Role", "bob")
    assert sim.cluster.get("Group", ("", "qa")).users == ["carol", "dave"]
    assert sim.cluster.get("User", ("", "carol")).identities == ["htpasswd:carol"]


def test_rbac_from_manifests_decides_access(every_kind):
    sim = every_kind
    assert sim.can_pull("carol", "team/app")  # Group qa -> readers -> stream-reader
    assert sim.can_pull("system:serviceaccount:ci:runner", "team/app")  # ClusterRoleBinding
    assert not sim.can_pull("system:serviceaccount:ci:other", "team/app")


def test_secret_data_is_decoded_and_string_data_merged(every_kind):
    secret = every_kind.cluster.get("Secret", ("team", "quay-creds"))
    assert json.loads(secret.data[".dockerconfigjson"])["auths"]["quay.io"]
    assert secret.data["note"] == b"plain text"
    robot = every_kind.cluster.get("ServiceAccount", ("team", "robot"))
    assert robot.image_pull_secrets[0] == "quay-creds"
    # the loaded account was settled: it also has its dockercfg secret, filled
    dockercfg = robot.image_pull_secrets[1]
    assert dockercfg.startswith("robot-dockercfg-")
    assert json.loads(every_kind.cluster.get("Secret", ("team", dockercfg)).data[".dockercfg"])


def test_pods_and_workloads_run(every_kind):
    sim = every_kind
    pods = {p.name: p for p in sim.pods("team")}
    probe = pods["probe"]
    assert (probe.node, probe.pull_policy, probe.service_account) == (
        "worker-1",
        "IfNotPresent",
        "robot",
    )
    assert probe.image_pull_secrets[0] == "quay-creds"
    assert probe.status == "Running"
    web = [p for p in pods.values() if p.owner.startswith("Deployment/web")]
    worker = [p for p in pods.values() if p.owner.startswith("DeploymentConfig/worker")]
    assert len(web) == 2 and len(worker) == 1
    expected = sim.pull_spec("team/app:1.0")  # Local reference policy
    assert {p.image for p in web + worker} == {expected}
    assert all(p.status == "Running" for p in web + worker)


def test_workload_first_container_only_is_noted(tmp_path):
    path = write(
        tmp_path,
        "pod.yaml",
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: two, namespace: p}
        spec:
          nodeName: ip-10-0-0-1.ec2.internal
          containers:
          - {name: a, image: quay.io/a:1}
          - {name: b, image: quay.io/b:1}
        """,
    )
    sim = load_manifests(path)
    warnings = sim.manifest_summary["warnings"]
    assert any("only the first container" in w for w in warnings)
    assert any("ip-10-0-0-1.ec2.internal" in w for w in warnings)


# --- input shapes ------------------------------------------------------------------------
def test_list_json_and_concatenated_json(tmp_path):
    listing = {
        "apiVersion": "v1",
        "kind": "List",
        "items": [
            {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": f"sa{i}"}}
            for i in range(3)
        ],
    }
    write(tmp_path, "list.json", json.dumps(listing, indent=2))
    write(
        tmp_path,
        "two.json",
        '{"apiVersion": "v1", "kind": "Namespace", '
        '"metadata": {"name": "x"}}\n'
        '{"apiVersion": "user.openshift.io/v1", "kind": "Group", '
        '"metadata": {"name": "g"}, "users": null}',
    )
    sim = load_manifests(tmp_path, namespace="ns")
    assert sim.manifest_summary["loaded"] == {"Group": 1, "Namespace": 1, "ServiceAccount": 3}
    assert sim.cluster.get("ServiceAccount", ("ns", "sa2")) is not None
    assert sim.cluster.get("Project", ("", "x")) is not None


def test_multi_document_yaml_skips_empty_documents_and_typed_lists(tmp_path):
    path = write(
        tmp_path,
        "multi.yml",
        """
        ---
        # a comment only
        ---
        apiVersion: user.openshift.io/v1
        kind: GroupList
        items:
        - {apiVersion: user.openshift.io/v1, kind: Group, metadata: {name: a}, users: [x]}
        - {apiVersion: user.openshift.io/v1, kind: Group, metadata: {name: b}}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        """,
    )
    manifests = read_manifests(path)
    assert [(m.kind, m.name, m.document.index, m.item) for m in manifests] == [
        ("Group", "a", 2, "items[0]"),
        ("Group", "b", 2, "items[1]"),
        ("ConfigMap", "settings", 3, ""),
    ]
    sim = load_manifests(path)
    assert sim.manifest_summary["loaded"] == {"Group": 2}
    assert sim.manifest_summary["skipped"] == {"ConfigMap": 1}


# --- a realistic oc get -o yaml dump -----------------------------------------------------
WEB_TRIGGER = json.dumps(
    [
        {
            "from": {"kind": "ImageStreamTag", "name": "web:1.4"},
            "fieldPath": 'spec.template.spec.containers[?(@.name=="web")].image',
        }
    ],
    separators=(",", ":"),
)
DUMP = f"""
apiVersion: v1
items:
- apiVersion: v1
  kind: Namespace
  metadata:
    annotations:
      openshift.io/description: ""
      openshift.io/display-name: ""
      openshift.io/requester: alice
      openshift.io/sa.scc.mcs: s0:c26,c25
    creationTimestamp: "2025-11-03T09:12:44Z"
    labels:
      kubernetes.io/metadata.name: shop
    name: shop
    resourceVersion: "48211"
    uid: 0a6b9c62-4d7e-4c54-9e36-5d0f1b1c7a11
  spec:
    finalizers:
    - kubernetes
  status:
    phase: Active
- apiVersion: image.openshift.io/v1
  kind: ImageStream
  metadata:
    annotations:
      openshift.io/image.dockerRepositoryCheck: "2025-12-30T10:00:02Z"
    creationTimestamp: "2025-11-03T09:20:01Z"
    generation: 3
    managedFields:
    - apiVersion: image.openshift.io/v1
      fieldsType: FieldsV1
      fieldsV1:
        f:spec:
          f:tags: {{}}
      manager: oc
      operation: Update
      time: "2025-11-03T09:20:01Z"
    name: web
    namespace: shop
    resourceVersion: "991002"
    uid: 5c8e2d1a-77aa-4f3e-8d0c-2b8d6c3e9f01
  spec:
    lookupPolicy:
      local: false
    tags:
    - annotations: null
      from:
        kind: DockerImage
        name: quay.io/acme/web:1.4
      generation: 3
      importPolicy:
        importMode: Legacy
      name: "1.4"
      referencePolicy:
        type: Local
  status:
    dockerImageRepository: image-registry.openshift-image-registry.svc:5000/shop/web
    tags:
    - items:
      - created: "2025-12-30T10:00:02Z"
        dockerImageReference: quay.io/acme/web@{DIGEST_2}
        generation: 3
        image: {DIGEST_2}
      - created: "2025-11-03T09:20:03Z"
        dockerImageReference: quay.io/acme/web@{DIGEST_1}
        generation: 2
        image: {DIGEST_1}
      tag: "1.4"
- apiVersion: v1
  imagePullSecrets:
  - name: builder-dockercfg-x7k2p
  kind: ServiceAccount
  metadata:
    creationTimestamp: "2025-11-03T09:12:44Z"
    name: builder
    namespace: shop
    resourceVersion: "48230"
    uid: 8e0d3d4b-1c0a-4bfb-9b87-3b2f8d3cfe21
  secrets:
  - name: builder-dockercfg-x7k2p
- apiVersion: v1
  data:
    .dockercfg: {
    b64(
        json.dumps(
            {
                "image-registry.openshift-image-registry.svc:5000": {
                    "username": "<token>",
                    "password": "sha256~dumptoken",
                }
            }
        )
    )
}
  kind: Secret
  metadata:
    annotations:
      openshift.io/internal-registry-auth-token.service-account: builder
    creationTimestamp: "2025-11-03T09:12:45Z"
    name: builder-dockercfg-x7k2p
    namespace: shop
    resourceVersion: "48229"
    uid: 4f1b8a8e-5e7d-4a55-b1f0-6b7b4b0b7c31
  type: kubernetes.io/dockercfg
- apiVersion: rbac.authorization.k8s.io/v1
  kind: RoleBinding
  metadata:
    creationTimestamp: "2025-11-03T09:12:44Z"
    name: system:image-pullers
    namespace: shop
    resourceVersion: "48215"
    uid: 3b7e0c2d-0c1f-4d44-a1a2-1b5e8e9d4a41
  roleRef:
    apiGroup: rbac.authorization.k8s.io
    kind: ClusterRole
    name: system:image-puller
  subjects:
  - apiGroup: rbac.authorization.k8s.io
    kind: Group
    name: system:serviceaccounts:shop
  - kind: ServiceAccount
    name: deployer
    namespace: ci
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    annotations:
      deployment.kubernetes.io/revision: "2"
      image.openshift.io/triggers: '{WEB_TRIGGER}'
    creationTimestamp: "2025-11-03T09:25:00Z"
    generation: 2
    name: web
    namespace: shop
  spec:
    progressDeadlineSeconds: 600
    replicas: 2
    selector:
      matchLabels:
        app: web
    template:
      metadata:
        labels:
          app: web
      spec:
        containers:
        - image: image-registry.openshift-image-registry.svc:5000/shop/web@{DIGEST_2}
          imagePullPolicy: IfNotPresent
          name: web
        - image: quay.io/acme/log-shipper:2
          name: logs
        serviceAccountName: default
  status:
    availableReplicas: 2
    replicas: 2
- apiVersion: apps/v1
  kind: ReplicaSet
  metadata:
    name: web-7d9f8c6b5
    namespace: shop
  spec:
    replicas: 2
- apiVersion: v1
  kind: Pod
  metadata:
    name: web-7d9f8c6b5-abcde
    namespace: shop
    ownerReferences:
    - apiVersion: apps/v1
      controller: true
      kind: ReplicaSet
      name: web-7d9f8c6b5
      uid: 1e2d3c4b-5a69-4788-9aab-bccddeeff001
  spec:
    containers:
    - image: quay.io/acme/web:1.4
      name: web
    nodeName: ip-10-0-1-23.ec2.internal
  status:
    phase: Running
- apiVersion: v1
  kind: Service
  metadata:
    name: web
    namespace: shop
  spec:
    ports:
    - port: 8080
kind: List
metadata:
  resourceVersion: ""
"""


@pytest.fixture(scope="module")
def dump(tmp_path_factory):
    path = tmp_path_factory.mktemp("dump") / "shop.yaml"
    path.write_text(DUMP)
    return load_manifests(path)


def test_dump_counts(dump):
    assert dump.manifest_summary["loaded"] == {
        "Deployment": 1,
        "ImageStream": 1,
        "Namespace": 1,
        "RoleBinding": 1,
        "Secret": 1,
        "ServiceAccount": 1,
    }
    assert dump.manifest_summary["skipped"] == {"Pod": 1, "ReplicaSet": 1, "Service": 1}
    assert dump.manifest_summary["warnings"] == [
        "deployment shop/web: only the first container (web) is modelled"
    ]


def test_dump_keeps_image_stream_history(dump):
    stream = dump.stream("shop", "web")
    assert stream.generation == 3
    assert stream.spec_tags["1.4"].generation == 3
    history = stream.status_tags["1.4"].items
    assert [e.image for e in history] == [DIGEST_2, DIGEST_1]
    assert [e.generation for e in history] == [3, 2]
    # times before the simulation's start are negative seconds
    start = dump.start
    assert dump.timestamp(history[0].created) == start.replace(
        year=2025, month=12, day=30, hour=10, minute=0, second=2
    )
    assert dump.tag_image("shop/web:1.4") == DIGEST_2
    dump.advance("1m")  # a consistent status needs no import
    assert len(dump.stream("shop", "web").status_tags["1.4"].items) == 2


def test_dump_objects_win_over_the_defaults(dump):
    pullers = dump.cluster.get("RoleBinding", ("shop", "system:image-pullers"))
    assert [s.name for s in pullers.subjects] == ["system:serviceaccounts:shop", "deployer"]
    assert dump.can_pull("system:serviceaccount:ci:deployer", "shop/web")
    builder = dump.cluster.get("ServiceAccount", ("shop", "builder"))
    assert builder.image_pull_secrets == ["builder-dockercfg-x7k2p"]  # adopted, not doubled
    assert dump.token_identity("sha256~dumptoken") == "system:serviceaccount:shop:builder"
    # the rest of oc new-project's provisioning happened at once
    assert {sa.name for sa in dump.cluster.list("ServiceAccount", "shop")} == {
        "builder",
        "default",
        "deployer",
    }
    assert dump.cluster.get("RoleBinding", ("shop", "admin")).subjects[0].name == "alice"
    assert dump.can_pull("alice", "shop/web")


def test_dump_deployment_follows_its_trigger(dump):
    deployment = dump.cluster.get("Deployment", ("shop", "web"))
    assert deployment.replicas == 2
    assert deployment.triggers[0].stream_tag == "web:1.4"
    assert deployment.template_image == dump.pull_spec("shop/web:1.4")
    assert len([p for p in dump.pods("shop") if p.owner.startswith("Deployment/web")]) == 2


def test_objects_in_unlisted_namespaces_create_them(tmp_path):
    path = write(
        tmp_path,
        "is.yaml",
        """
        apiVersion: image.openshift.io/v1
        kind: ImageStream
        metadata: {name: app, namespace: fresh}
        """,
    )
    sim = load_manifests(path)
    assert sim.cluster.get("Project", ("", "fresh")) is not None
    accounts = {sa.name: sa for sa in sim.cluster.list("ServiceAccount", "fresh")}
    assert set(accounts) == {"default", "builder", "deployer"}
    assert all(sa.image_pull_secrets for sa in accounts.values())  # settled at time 0
    pod = sim.run_pod("fresh", "quay.io/acme/x:1")
    sim.advance("5s")
    assert pod.image_pull_secrets == accounts["default"].image_pull_secrets


def test_objects_without_namespace_go_to_the_given_one(tmp_path):
    path = write(
        tmp_path, "sa.yaml", "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: robot}\n"
    )
    sim = load_manifests(path, namespace="tools", seed=3, nodes=2)
    assert sim.cluster.get("ServiceAccount", ("tools", "robot")) is not None
    assert sim.seed == 3 and sim.node_names == ["worker-0", "worker-1"]


# --- errors ------------------------------------------------------------------------------
def test_error_names_file_line_document_object_and_field(tmp_path):
    path = write(
        tmp_path,
        "bad.yaml",
        """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: fine}
        ---
        apiVersion: image.openshift.io/v1
        kind: ImageStream
        metadata:
          name: ruby
        spec:
          tags:
          - name: "3.3"
            from:
              kind: DockerImage
              name: quay.io/r/ruby:3.3
          - name: "3.4"
            from:
              kind: Dockerimage
              name: quay.io/r/ruby:3.4
        """,
    )
    with pytest.raises(ManifestError) as info:
        load_manifests(path)
    err = info.value
    # openshift-apiserver refuses it on create: the strategy's tagsChanged reads a name of
    # a kind other than DockerImage as <stream>:<tag> (from.name, the line after the kind),
    # and ValidateImageStreamTagReference wants a known from.kind (field.Required)
    assert (err.file, err.line, err.document, err.kind, err.name) == (
        str(path),
        18,
        2,
        "ImageStream",
        "ruby",
    )
    assert err.field == "spec.tags[3.4].from.name"
    assert str(err).startswith(
        f'{path}:18: document 2: ImageStream "ruby": ImageStream.image.openshift.io "ruby" '
        "is invalid: "
    )
    assert (
        "spec.tags[3.4].from.kind: Required value: valid values are 'DockerImage', "
        "'ImageStreamImage', 'ImageStreamTag'"
    ) in str(err)


def test_error_inside_a_list_names_the_item(tmp_path):
    path = write(
        tmp_path,
        "list.yaml",
        """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: Pod
          metadata: {name: p, namespace: x}
          spec:
            containers:
            - name: c
              image: quay.io/a:1
              imagePullPolicy: Sometimes
        """,
    )
    with pytest.raises(ManifestError) as info:
        load_manifests(path)
    assert info.value.line == 11 and info.value.item == "items[0]"
    assert (
        'document 1, items[0]: Pod "p": spec.containers[0].imagePullPolicy: '
        'Unsupported value: "Sometimes"' in str(info.value)
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: d}\n",
            'no matches for kind "Deployment" in version "extensions/v1beta1"',
        ),
        ("kind: Secret\nmetadata: {name: s}\n", "Object 'apiVersion' is missing"),
        ("- a\n- b\n", "expected an object (a mapping with apiVersion and kind), got a list"),
        (
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: Bad_Name}\n",
            'metadata.name: Invalid value: "Bad_Name"',
        ),
        (
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b}\n"
            "roleRef: {kind: ClusterRole, name: view}\nsubjects: [{kind: Robot, name: r}]\n",
            "subjects[0].kind: Unsupported value: 'Robot'",
        ),
        (
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: -1\n",
            "spec.replicas: Invalid value: -1",
        ),
    ],
)
def test_invalid_objects(tmp_path, text, expected):
    path = write(tmp_path, "x.yaml", text)
    with pytest.raises(ManifestError, match=None) as info:
        load_manifests(path)
    assert expected in str(info.value)
    assert str(path) in str(info.value)


def test_object_defined_twice_is_an_error(tmp_path):
    doc = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: twice, namespace: n}\n"
    path = write(tmp_path, "twice.yaml", doc + "---\n" + doc)
    with pytest.raises(ManifestError, match=r"defined twice \(first in .*twice.yaml document 1"):
        load_manifests(path)


def test_missing_path(tmp_path):
    with pytest.raises(ManifestError, match="does not exist"):
        load_manifests(tmp_path / "nope.yaml")


def test_nothing_is_applied_on_error():
    sim = sk.Simulation()
    before_events = len(sim.log)
    before = {
        kind: dict(sim.cluster.store(kind))
        for kind in ("ServiceAccount", "Project", "ImageStream", "Secret")
    }
    objects = [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "newone"}},
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {"name": "ok", "namespace": "newone"},
        },
        {
            "apiVersion": "image.openshift.io/v1",
            "kind": "ImageStream",
            "metadata": {"name": "s", "namespace": "default"},
        },
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "c"}]},
        },
    ]
    with pytest.raises(ManifestError, match="containers\\[0\\].image: Required value"):
        apply_objects(sim, objects)
    sim.advance("1m")
    after = {kind: dict(sim.cluster.store(kind)) for kind in before}
    assert after == before
    assert len(sim.log) == before_events
    assert sim.pods() == []


def test_every_error_is_reported():
    sim = sk.Simulation()
    with pytest.raises(ManifestError) as info:
        apply_objects(
            sim,
            [
                {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default"}},
                {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "BAD"}},
            ],
        )
    assert [e.reason for e in info.value.errors] == ["AlreadyExists", "Invalid"]
    assert "(and 1 more error)" in str(info.value)


# --- secrets stay secret ------------------------------------------------------------------
@pytest.mark.parametrize(
    "data",
    [
        {"password": "hunter2-not-base64!"},
        {"password": 12345678},
        {".dockerconfigjson": b64('{"auths": {"quay.io": {"password": "hunter2"}}')},  # no brace
    ],
)
def test_secret_values_never_appear_in_errors(tmp_path, data):
    obj = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "s"},
        "data": data,
        "type": "kubernetes.io/dockerconfigjson" if ".dockerconfigjson" in data else "Opaque",
    }
    path = write(tmp_path, "s.json", json.dumps(obj))
    with pytest.raises(ManifestError) as info:
        load_manifests(path)
    text = str(info.value)
    assert "<secret contents redacted>" in text
    for value in ("hunter2", "12345678", next(iter(data.values()))):
        assert str(value) not in text


def test_secret_errors_in_oc_create_are_redacted(tmp_path):
    path = write(
        tmp_path,
        "s.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"
        "type: kubernetes.io/dockercfg\n"
        f"data: {{.dockercfg: {b64('hunter2')}}}\n",
    )
    sim = sk.Simulation()
    with pytest.raises(sk.OcError) as info:
        sim.oc(f"create -f {path}")
    assert "hunter2" not in str(info.value)
    assert "<secret contents redacted>" in str(info.value)


# --- hostile input -----------------------------------------------------------------------
def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("laughs.yaml", billion_laughs(), "excessive aliasing"),
        ("deep.yaml", "a: " + "[" * 10_000 + "]" * 10_000 + "\n", "nesting"),
        ("deep-block.yaml", "".join(" " * i + "a:\n" for i in range(1_500)), "nesting"),
        ("deep.json", "[" * 10_000 + "]" * 10_000, "nesting deeper than"),
        ("recursive.yaml", "a: &a [*a]\n", "recursive alias"),
        ("utf8.yaml", b"kind: Secret\nname: caf\xe9\n", "invalid UTF-8 at byte offset 22"),
        ("dup.yaml", "apiVersion: v1\nkind: Secret\nkind: Pod\n", "duplicate key 'kind'"),
        ("dup.json", '{"apiVersion": "v1",\n "apiVersion": "v2"}', "duplicate key 'apiVersion'"),
        ("binary.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("random.yaml", bytes((i * 167 + 13) % 255 + 1 for i in range(4096)), "invalid UTF-8"),
        ("control.yaml", b"kind: A\nx: \x07\n", "unacceptable character #x0007"),
        ("python.yaml", "!!python/object/apply:os.system ['echo hi']\n", "invalid YAML"),
        ("syntax.yaml", "kind: [unclosed\n", "invalid YAML"),
        ("scalar.yaml", "just text\n", "expected an object"),
    ],
)
def test_hostile_input_is_a_clean_error(tmp_path, name, content, expected):
    path = write(tmp_path, name, content)
    with pytest.raises(ManifestError) as info:
        load_manifests(path)
    assert expected in str(info.value)
    assert str(path) in str(info.value)


def test_error_lines_of_hostile_input(tmp_path):
    with pytest.raises(ManifestError) as info:
        parse_documents(b"a: 1\nb: 2\nb: 3\n", "d.yaml")
    assert info.value.line == 3
    with pytest.raises(ManifestError) as info:
        parse_documents(b"ok: 1\nbad: \xff\n", "u.yaml")
    assert info.value.line == 2 and "byte offset 11" in str(info.value)


def test_size_limit(tmp_path):
    path = write(tmp_path, "big.yaml", "a: " + "x" * 2000 + "\n")
    with pytest.raises(ManifestError, match="over the 1000-byte limit"):
        load_manifests(path, max_bytes=1000)


def test_yaml_merge_keys_and_aliases_in_moderation(tmp_path):
    path = write(
        tmp_path,
        "anchors.yaml",
        """
        apiVersion: v1
        kind: List
        items:
        - &group
          apiVersion: user.openshift.io/v1
          kind: Group
          metadata: {name: a}
          users: &people [x, y]
        - <<: *group
          metadata: {name: b}
          users: *people
        """,
    )
    sim = load_manifests(path)
    assert sim.cluster.get("Group", ("", "b")).users == ["x", "y"]


# --- oc create -f / oc apply -f ----------------------------------------------------------
STREAM = """
apiVersion: image.openshift.io/v1
kind: ImageStream
metadata: {{name: app}}
spec:
  tags:
{tags}
"""


def stream_file(tmp_path, *tags: str):
    body = "\n".join(
        f"  - name: '{t}'\n    from: {{kind: DockerImage, name: quay.io/a/app:{t}}}" for t in tags
    )
    return write(tmp_path, "app.yaml", STREAM.format(tags=body))


def test_oc_create_prints_each_object_and_refuses_existing(tmp_path):
    sim = sk.Simulation()
    sim.oc("new-project demo")
    path = stream_file(tmp_path, "1")
    sa = write(
        tmp_path,
        "sa.yaml",
        "apiVersion: v1\nkind: ServiceAccount\n"
        "metadata: {name: robot}\n---\napiVersion: v1\n"
        "kind: Service\nmetadata: {name: web}\n",
    )
    assert sim.oc(f"create -f {path} -f {sa}") == (
        "Warning: service/web skipped: simkit does not model Service\n"
        "imagestream.image.openshift.io/app created\nserviceaccount/robot created\n"
    )
    with pytest.raises(sk.OcError) as info:
        sim.oc(f"create -f {sa} -f {path}")
    assert str(info.value) == "\n".join(
        [
            f'Error from server (AlreadyExists): error when creating "{sa}": serviceaccounts '
            '"robot" already exists',
            f'Error from server (AlreadyExists): error when creating "{path}": '
            'imagestreams.image.openshift.io "app" already exists',
        ]
    )


def test_oc_create_is_all_or_nothing(tmp_path):
    sim = sk.Simulation()
    good = write(
        tmp_path, "a-good.yaml", "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: fresh}\n"
    )
    write(
        tmp_path,
        "b-existing.yaml",
        "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default}\n",
    )
    with pytest.raises(sk.OcError, match='serviceaccounts "default" already exists'):
        sim.oc(f"create -f {tmp_path}")
    assert sim.cluster.get("ServiceAccount", ("default", "fresh")) is None
    assert "serviceaccount/fresh created" in sim.oc(f"create -f {good}")


def test_oc_create_needs_the_namespace_and_matches_n(tmp_path):
    sim = sk.Simulation()
    path = write(
        tmp_path,
        "sa.yaml",
        "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: r, namespace: elsewhere}\n",
    )
    with pytest.raises(sk.OcError, match='namespaces "elsewhere" not found'):
        sim.oc(f"create -f {path}")
    with pytest.raises(
        sk.OcError,
        match="does not match the namespace \"default\". You must pass '--namespace=elsewhere'",
    ):
        sim.oc(f"create -f {path} -n default")
    ns = write(
        tmp_path, "ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: elsewhere}\n"
    )
    assert sim.oc(f"create -f {ns} -f {path}") == (
        "namespace/elsewhere created\nserviceaccount/r created\n"
    )


def test_oc_create_reports_the_line_of_an_invalid_field(tmp_path):
    sim = sk.Simulation()
    path = write(
        tmp_path,
        "pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
        "spec:\n  containers:\n  - name: c\n    image: x\n"
        "    imagePullPolicy: Maybe\n",
    )
    with pytest.raises(sk.OcError) as info:
        sim.oc(f"create -f {path}")
    assert str(info.value) == (
        f'Error from server (Invalid): error when creating "{path}": Pod "p" is invalid: '
        'spec.containers[0].imagePullPolicy: Unsupported value: "Maybe": supported values: '
        f'"Always", "IfNotPresent", "Never" ({path} line 8)'
    )


def test_oc_create_parse_error(tmp_path):
    sim = sk.Simulation()
    path = write(tmp_path, "bad.yaml", "kind: [\n")
    with pytest.raises(
        sk.OcError,
        match=r"^error: error parsing .*bad.yaml: .*bad.yaml:2: "
        "document 1: invalid YAML",
    ):
        sim.oc(f"create -f {path}")
    with pytest.raises(sk.OcError, match="must specify one of -f and -k"):
        sim.oc("create")


def test_oc_apply_created_unchanged_configured(tmp_path):
    sim = sk.Simulation()
    path = stream_file(tmp_path, "1", "2")
    assert sim.oc(f"apply -f {path}") == "imagestream.image.openshift.io/app created\n"
    assert sim.oc(f"apply -f {path}") == "imagestream.image.openshift.io/app unchanged\n"
    sim.oc("tag quay.io/a/app:manual app:manual")  # nobody applied this tag: it stays
    path = stream_file(tmp_path, "2", "3")  # 1 removed, 3 added
    assert sim.oc(f"apply -f {path}") == "imagestream.image.openshift.io/app configured\n"
    assert sorted(sim.stream("default", "app").spec_tags) == ["2", "3", "manual"]
    assert sim.oc(f"apply -f {path}") == "imagestream.image.openshift.io/app unchanged\n"


def test_oc_apply_over_created_object_warns_about_the_annotation(tmp_path):
    sim = sk.Simulation()
    path = write(
        tmp_path,
        "g.yaml",
        "apiVersion: user.openshift.io/v1\nkind: Group\nmetadata: {name: devs}\nusers: [a]\n",
    )
    sim.oc(f"create -f {path}")
    out = sim.oc(f"apply -f {path}")
    assert out.startswith(
        "Warning: resource groups/devs is missing the "
        "kubectl.kubernetes.io/last-applied-configuration annotation"
    )
    assert out.endswith("group.user.openshift.io/devs configured\n")
    path.write_text(
        "apiVersion: user.openshift.io/v1\nkind: Group\nmetadata: {name: devs}\nusers: [a, b]\n"
    )
    assert sim.oc(f"apply -f {path}") == "group.user.openshift.io/devs configured\n"
    assert sim.cluster.get("Group", ("", "devs")).users == ["a", "b"]


def test_oc_apply_refuses_a_roleref_change(tmp_path):
    sim = sk.Simulation()
    text = (
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b}\n"
        "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: %s}\n"
        "subjects: [{kind: User, apiGroup: rbac.authorization.k8s.io, name: ann}]\n"
    )
    path = write(tmp_path, "b.yaml", text % "view")
    sim.oc(f"apply -f {path}")
    path.write_text(text % "edit")
    with pytest.raises(sk.OcError, match="cannot change roleRef"):
        sim.oc(f"apply -f {path}")
    assert sim.cluster.get("RoleBinding", ("default", "b")).role_ref.name == "view"


def test_oc_apply_scales_a_deployment(tmp_path):
    sim = sk.Simulation()
    sim.registry("quay.io").push("a/web", "1")
    text = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
        "  replicas: %d\n  template:\n    spec:\n      containers:\n"
        "      - {name: web, image: quay.io/a/web:1}\n"
    )
    path = write(tmp_path, "d.yaml", text % 1)
    sim.oc(f"apply -f {path}")
    sim.advance("1m")
    path.write_text(text % 3)
    assert sim.oc(f"apply -f {path}") == "deployment.apps/web configured\n"
    sim.advance("1m")
    assert len(sim.pods("default")) == 3


def test_oc_create_directory_recursion(tmp_path):
    (tmp_path / "sub").mkdir()
    write(tmp_path, "b.yaml", "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: b}\n")
    write(
        tmp_path,
        "a.json",
        '{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "a"}}',
    )
    write(tmp_path, "notes.txt", "not a manifest")
    write(tmp_path / "sub", "c.yml", "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: c}\n")
    sim = sk.Simulation()
    assert sim.oc(f"create -f {tmp_path}") == (
        "serviceaccount/a created\nserviceaccount/b created\n"
    )
    assert sim.oc(f"create -f {tmp_path}/sub -R") == "serviceaccount/c created\n"


def test_apply_twice_leaves_every_kind_unchanged(tmp_path):
    sim = sk.Simulation()
    sim.registry("quay.io").push("a/b", "1")
    path = write(
        tmp_path,
        "all.yaml",
        """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: robot}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: s}
        stringData: {password: hunter2}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: r}
        rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: rb}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
        subjects: [{kind: ServiceAccount, name: robot}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers: [{name: c, image: "quay.io/a/b:1"}]
        ---
        apiVersion: apps.openshift.io/v1
        kind: DeploymentConfig
        metadata: {name: dc}
        spec:
          template:
            spec:
              containers: [{name: c, image: "quay.io/a/b:1"}]
        ---
        apiVersion: user.openshift.io/v1
        kind: User
        metadata: {name: ann}
        """,
    )
    first = sim.oc(f"apply -f {path}")
    assert first.count(" created\n") == 7
    sim.advance("1m")  # the controllers add the SA's pull secret, pods run
    second = sim.oc(f"apply -f {path}")
    assert second.count(" unchanged\n") == 7, second
    assert {p.name: p.status for p in sim.pods("default")}["p"] == "Running"
    last = sim.cluster.get("LastApplied", ("Secret/default", "s"))
    assert "hunter2" not in last and "secret contents redacted" in last


def test_deployment_config_triggers(tmp_path):
    image = "quay.io/a/b@" + DIGEST_1
    path = write(
        tmp_path,
        "dc.yaml",
        f"""
        apiVersion: apps.openshift.io/v1
        kind: DeploymentConfig
        metadata: {{name: waits}}
        spec:
          triggers:
          - type: ImageChange
            imageChangeParams:
              automatic: true
              containerNames: [c]
              from: {{kind: ImageStreamTag, name: "missing:1"}}
          template:
            spec:
              containers: [{{name: c, image: " "}}]
        ---
        apiVersion: apps.openshift.io/v1
        kind: DeploymentConfig
        metadata: {{name: pinned}}
        spec:
          triggers:
          - type: ImageChange
            imageChangeParams:
              automatic: false
              containerNames: [c]
              from: {{kind: ImageStreamTag, name: "missing:1"}}
              lastTriggeredImage: {image}
          template:
            spec:
              containers: [{{name: c, image: "{image}"}}]
        """,
    )
    sim = load_manifests(path)
    sim.advance("10s")
    owners = {p.owner.split("#")[0] for p in sim.pods("default")}
    assert owners == {"DeploymentConfig/pinned"}  # "waits" has no image to roll out yet
    pinned = sim.cluster.get("DeploymentConfig", ("default", "pinned"))
    assert pinned.triggers[0].automatic is False
    assert pinned.triggers[0].last_triggered_image == image

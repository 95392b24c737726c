"""Fuzzing every parser with hypothesis: only the documented error type, always a message.

Each parser gets arbitrary text (or bytes, or nested structures) plus inputs built near
its grammar, so that the search reaches past the first character check:

===============================  ==========================================  ==================
parser                           input                                       may raise only
===============================  ==========================================  ==================
``parse_image``, ``parse``,      text, reference-like text                   ``InvalidReference``
``parse_any_reference``,
``parse_named``,
``parse_docker_ref``,
``parse_image_name``,
``parse_digest``
``parse_pull_spec``              text, reference-like text                   ``InvalidReference``
``split_istag``,                 text, name-like text                        ``InvalidReference``
``split_isimage``,
``parse_istag_ref``,
``validate_tag_name``
``sim.oc``                       text; each command's words with random      ``OcError``
                                 flags and arguments
``parse_documents``              bytes, YAML-ish text, dumped structures     ``ManifestError``
``apply_objects``                valid objects of every kind, mutated        ``ManifestError``
scenario ``validate``            dicts, valid scenarios mutated              ``ScenarioError``
``parse_docker_config``          JSON-ish structures, their text and bytes   ``DockerConfigError``
``parse_duration``               text, numbers, anything                     ``ValueError``
===============================  ==========================================  ==================

Parsers that accept an input must also accept what they print for it (round trips).
``SIMKIT_FUZZ_EXAMPLES`` raises the number of examples per property (default 150).
"""

from __future__ import annotations

import base64
import copy
import json
import os
import pickle
import string

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simkit as sk
from simkit.credentials import DockerConfigError, parse_docker_config
from simkit.durations import parse_duration
from simkit.manifests import ManifestError, apply_objects
from simkit.manifests.objects import manifests_from_documents
from simkit.manifests.reader import parse_documents
from simkit.oc.command import COMMANDS
from simkit.refs import (
    InvalidReference,
    parse,
    parse_any_reference,
    parse_digest,
    parse_docker_ref,
    parse_image,
    parse_image_name,
    parse_istag_ref,
    parse_named,
    parse_pull_spec,
    split_isimage,
    split_istag,
    validate_tag_name,
)
from simkit.refs.distribution import _COMMON_IMAGE, _parse_common_image, _parse_image_full
from simkit.scenarios import ScenarioError
from simkit.scenarios.loading import validate

EXAMPLES = int(os.environ.get("SIMKIT_FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)


def check_message(exc: BaseException) -> None:
    assert str(exc).strip(), f"{type(exc).__name__} without a message"


# --- references -----------------------------------------------------------------------
REF_ALPHABET = string.ascii_letters + string.digits + ":/@._-+=*~ \t\n" + "Ωé\x00"
reference_like = st.one_of(
    st.text(),
    st.text(alphabet=REF_ALPHABET, max_size=80),
    st.builds(
        lambda host, parts, tag, digest: host + "/".join(parts) + tag + digest,
        st.sampled_from(
            [
                "",
                "quay.io/",
                "localhost:5000/",
                "docker.io/",
                "Quay.IO/",
                "[::1]:5000/",
                "image-registry.openshift-image-registry.svc:5000/",
                "a:b:c/",
                "h:/",
                "-x.io/",
            ]
        ),
        st.lists(st.text(alphabet="abcxyz019._-", min_size=0, max_size=12), max_size=4),
        st.sampled_from(["", ":latest", ":1.0", ":", ":" + "t" * 129, ":UP", ":-x"]),
        st.sampled_from(
            [
                "",
                "@sha256:" + "a" * 64,
                "@sha256:abc",
                "@sha512:" + "b" * 128,
                "@md5:" + "c" * 32,
                "@sha256:" + "A" * 64,
                "@",
                "@sha256:" + "a" * 65,
            ]
        ),
    ),
)

REFERENCE_PARSERS = {
    "parse_image": parse_image,
    "parse": parse,
    "parse_any_reference": parse_any_reference,
    "parse_named": parse_named,
    "parse_docker_ref": parse_docker_ref,
    "parse_image_name": parse_image_name,
    "parse_digest": parse_digest,
    "parse_pull_spec": parse_pull_spec,
    "split_istag": split_istag,
    "split_isimage": split_isimage,
    "validate_tag_name": validate_tag_name,
    "parse_istag_ref": lambda text: parse_istag_ref(text, "default"),
}


@pytest.mark.parametrize("name", sorted(REFERENCE_PARSERS))
def test_reference_parsers_raise_only_invalid_reference(name):
    parser = REFERENCE_PARSERS[name]

    @FUZZ
    @given(reference_like)
    def check(text):
        try:
            parser(text)
        except InvalidReference as exc:
            check_message(exc)

    check()


@FUZZ
@given(reference_like)
def test_parse_image_round_trips(text):
    try:
        ref = parse_image(text)
    except InvalidReference:
        return
    assert parse_image(str(ref)) == ref
    first, slash, _ = ref.familiar.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost"):
        return  # "docker.io/0.0/x" is familiar "0.0/x", which names the host 0.0 (upstream too)
    assert parse_image(ref.familiar) == ref


# Near the fast path's shape (``host.domain[:port]/path@sha256:<hex>``) and just off it.
common_image_like = st.builds(
    lambda host, port, parts, tag, digest: host + port + "/" + "/".join(parts) + tag + digest,
    st.one_of(
        st.sampled_from(
            ["quay.io", "docker.io", "index.docker.io", "Quay.io", "a-b.c-d.e", "-x.io", "x.io-"]
        ),
        st.lists(st.text(alphabet="abz09-", min_size=1, max_size=6), min_size=1, max_size=3).map(
            ".".join
        ),
        st.text(alphabet="abcxyz019.-_", min_size=1, max_size=20),
    ),
    st.sampled_from(["", ":5000", ":", ":x", ":0"]),
    st.lists(st.text(alphabet="abz09._-", min_size=1, max_size=8), min_size=1, max_size=4)
    | st.just(["a" * 200, "b" * 60]),
    st.sampled_from(["", "", "", ":latest", ":1.0"]),
    st.sampled_from(
        [
            "@sha256:" + "a" * 64,
            "@sha256:" + "a" * 64,
            "@sha256:" + "a" * 64,
            "@sha256:" + "0a" * 32,
            "@sha256:" + "A" * 64,
            "@sha256:" + "a" * 63,
            "@sha512:" + "b" * 128,
            "@sha256:" + "a" * 64 + "\n",
        ]
    ),
)


@FUZZ
@given(st.one_of(st.from_regex(_COMMON_IMAGE, fullmatch=True), common_image_like, reference_like))
def test_parse_image_fast_path_agrees_with_full_parser(text):
    """``parse_image``'s fast path returns what the full parser does, whenever it answers."""
    fast = _parse_common_image(text)
    if fast is None:
        return
    assert fast == _parse_image_full(text)


@FUZZ
@given(reference_like)
def test_parse_pull_spec_round_trips(text):
    try:
        ref = parse_pull_spec(text)
    except InvalidReference:
        return
    if not ref.name:
        return  # a bare registry ("quay.io", "0.0") prints as "" (library-go's Exact)
    exact = ref.exact()
    assert parse_pull_spec(exact).exact() == exact


# --- oc command lines -------------------------------------------------------------------
@pytest.fixture(scope="module")
def oc_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("oc")
    files = {
        "config": folder / "config.json",
        "bad-json": folder / "bad.json",
        "stream": folder / "is.yaml",
        "png": folder / "image.yaml",
    }
    files["config"].write_text(
        json.dumps({"auths": {"quay.io": {"auth": base64.b64encode(b"u:p").decode()}}})
    )
    files["bad-json"].write_text('{"auths": ')
    files["stream"].write_text(
        "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata: {name: x}\n"
    )
    files["png"].write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    files["missing"] = folder / "missing" / "file.json"  # oc may write here: inside tmp
    files["folder"] = folder
    return {name: str(path) for name, path in files.items()}


def fresh_simulation() -> sk.Simulation:
    sim = sk.Simulation(seed=3, nodes=1)
    sim.oc("new-project demo")
    quay = sim.registry("quay.io", users={"u": "p"})
    quay.push("a/b", "1")
    sim.oc(
        "create secret docker-registry q --docker-server=quay.io --docker-username=u "
        "--docker-password=p"
    )
    sim.oc("tag quay.io/a/b:1 b:1")
    sim.advance("1m")
    return sim


def words(oc_files) -> list[str]:
    return [
        "demo",
        "default",
        "openshift",
        "nope",
        "b:1",
        "b:2",
        "b",
        "b:",
        ":1",
        "::",
        "b@sha256:0",
        "quay.io/a/b:1",
        "quay.io/a/b",
        "x/y:z",
        "a/b/c",
        "UPPER:1",
        "",
        " ",
        "-",
        "--",
        "*",
        "system:image-puller",
        "view",
        "alice",
        "system:serviceaccount:demo:default",
        "q",
        "istag/b:1",
        "is/b",
        "istag/b",
        "secret/pull-secret",
        "secret/q",
        "pull-secret",
        "u:p",
        "imagestreams",
        "imagestreams/layers",
        "get",
        "é",
        "x" * 300,
        "\x00",
        "sha256:" + "a" * 64,
        ">",
        ">out",
        '{{index .data ".dockerconfigjson" | base64decode}}',
        "kubernetes.io/dockerconfigjson",
        "kubernetes.io/dockercfg",
        f".dockerconfigjson={oc_files['config']}",
        f".dockerconfigjson={oc_files['bad-json']}",
        *oc_files.values(),
        oc_files["missing"],
        oc_files["folder"],
    ]


def command_lines(oc_files):
    vocabulary = st.sampled_from(words(oc_files)) | st.text(max_size=20)

    @st.composite
    def line(draw):
        spec = draw(st.sampled_from(sorted(COMMANDS.values(), key=lambda c: c.words)))
        tokens = list(spec.words)
        for _ in range(draw(st.integers(0, 6))):
            if spec.flags and draw(st.booleans()):
                flag = draw(st.sampled_from(spec.flags))
                value = draw(vocabulary)
                form = draw(st.integers(0, 3))
                if form == 0:
                    tokens.append(f"--{flag.name}={value}")
                elif form == 1 and flag.short:
                    tokens += [f"-{flag.short}", value] if flag.value else [f"-{flag.short}"]
                elif form == 2:
                    tokens.append(f"--{flag.name}")
                else:
                    tokens += [f"--{flag.name}", value]
            else:
                tokens.append(draw(vocabulary))
        return tokens

    return line()


def stores_copy(sim: sk.Simulation) -> dict:
    """A deep copy of every object in the cluster store, to compare the live store with.

    A pickle round trip copies the plain-data store as ``copy.deepcopy`` does, in half
    the time (the bootstrap policy alone is some 200 objects, copied before every command).
    """
    return pickle.loads(pickle.dumps(sim.cluster._stores, pickle.HIGHEST_PROTOCOL))


def assert_oc_fails_cleanly(sim: sk.Simulation, line: str) -> str | None:
    """Run ``line``; an error must be an OcError with a message that changed nothing."""
    before = (stores_copy(sim), len(sim.log), sim.current_project)
    try:
        return sim.oc(line)
    except sk.OcError as exc:
        check_message(exc)
        after = (sim.cluster._stores, len(sim.log), sim.current_project)
        assert after == before, f"the failed command {line!r} changed the simulation"
        return None


def test_oc_random_text_raises_only_oc_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # whatever a line might write lands here
    monkeypatch.setenv("HOME", str(tmp_path))
    sim = fresh_simulation()

    @FUZZ
    @given(st.one_of(st.text(), st.text(alphabet=string.printable, max_size=60)))
    def check(text):
        assert_oc_fails_cleanly(sim, text)

    check()


def test_oc_commands_with_random_flags_and_arguments(oc_files, tmp_path, monkeypatch):
    import shlex

    monkeypatch.chdir(tmp_path)  # "> out" and relative --to paths land here
    monkeypatch.setenv("HOME", str(tmp_path))
    sim = fresh_simulation()

    @settings(FUZZ, max_examples=EXAMPLES * 2)
    @given(command_lines(oc_files))
    def check(tokens):
        assert_oc_fails_cleanly(sim, shlex.join(tokens))

    check()


# --- manifests --------------------------------------------------------------------------
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=20),
    st.floats(allow_nan=False, allow_infinity=False),
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
yaml_like = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=400).map(str.encode),
    st.text(alphabet="{}[]:,-&*!|>'\"#%@`? \n\tab01", max_size=200).map(str.encode),
    json_values.map(lambda v: yaml.safe_dump(v).encode()),
    json_values.map(lambda v: json.dumps(v).encode()),
)


@FUZZ
@given(yaml_like, st.sampled_from(["x.yaml", "x.json", "x.yml", "<input>"]))
def test_parse_documents_raises_only_manifest_error(data, name):
    try:
        documents = parse_documents(data, name, max_bytes=100_000, max_depth=50)
        manifests_from_documents(documents)
    except ManifestError as exc:
        check_message(exc)


DIGEST = "sha256:" + "1" * 64
CONFIG = base64.b64encode(
    json.dumps({"auths": {"quay.io": {"auth": base64.b64encode(b"u:p").decode()}}}).encode()
).decode()
RBAC = "rbac.authorization.k8s.io/v1"
VALID_OBJECTS = [
    {
        "apiVersion": "project.openshift.io/v1",
        "kind": "Project",
        "metadata": {"name": "team", "annotations": {"openshift.io/requester": "alice"}},
    },
    {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "other"}},
    {
        "apiVersion": RBAC,
        "kind": "ClusterRole",
        "metadata": {"name": "reader"},
        "rules": [
            {
                "apiGroups": ["image.openshift.io"],
                "resources": ["imagestreams/layers"],
                "verbs": ["get"],
                "resourceNames": ["app"],
            }
        ],
        "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"a": "b"}}]},
    },
    {
        "apiVersion": "authorization.openshift.io/v1",
        "kind": "Role",
        "metadata": {"name": "tagger", "namespace": "team"},
        "rules": [{"resources": ["imagestreamtags"], "verbs": ["update"]}],
    },
    {
        "apiVersion": RBAC,
        "kind": "RoleBinding",
        "metadata": {"name": "r", "namespace": "team"},
        "roleRef": {
            "apiGroup": "rbac.authorization.k8s.io",
            "kind": "ClusterRole",
            "name": "reader",
        },
        "subjects": [
            {"kind": "Group", "name": "qa"},
            {"kind": "ServiceAccount", "name": "robot", "namespace": "team"},
        ],
    },
    {
        "apiVersion": "authorization.openshift.io/v1",
        "kind": "RoleBinding",
        "metadata": {"name": "t", "namespace": "team"},
        "roleRef": {"name": "tagger", "namespace": "team"},
        "userNames": ["bob"],
        "groupNames": None,
    },
    {
        "apiVersion": RBAC,
        "kind": "ClusterRoleBinding",
        "metadata": {"name": "c"},
        "roleRef": {"kind": "ClusterRole", "name": "reader"},
        "subjects": [{"kind": "User", "name": "carol"}],
    },
    {
        "apiVersion": "user.openshift.io/v1",
        "kind": "Group",
        "metadata": {"name": "qa"},
        "users": ["carol"],
    },
    {
        "apiVersion": "user.openshift.io/v1",
        "kind": "User",
        "metadata": {"name": "carol"},
        "identities": ["htpasswd:carol"],
    },
    {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": {"name": "robot", "namespace": "team"},
        "imagePullSecrets": [{"name": "creds"}],
        "secrets": [{"name": "creds"}],
    },
    {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "creds", "namespace": "team"},
        "type": "kubernetes.io/dockerconfigjson",
        "data": {".dockerconfigjson": CONFIG},
        "stringData": {"note": "text"},
    },
    {
        "apiVersion": "image.openshift.io/v1",
        "kind": "ImageStream",
        "metadata": {"name": "app", "namespace": "team"},
        "spec": {
            "lookupPolicy": {"local": True},
            "tags": [
                {
                    "name": "1",
                    "from": {"kind": "DockerImage", "name": "quay.io/a/app:1"},
                    "referencePolicy": {"type": "Local"},
                    "importPolicy": {"scheduled": True},
                },
                {"name": "latest", "from": {"kind": "ImageStreamTag", "name": "1"}},
            ],
        },
        "status": {
            "dockerImageRepository": "x",
            "tags": [
                {
                    "tag": "1",
                    "items": [
                        {
                            "created": "2025-12-01T00:00:00Z",
                            "image": DIGEST,
                            "dockerImageReference": f"quay.io/a/app@{DIGEST}",
                            "generation": 1,
                        }
                    ],
                }
            ],
        },
    },
    {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p", "namespace": "team"},
        "spec": {
            "serviceAccountName": "robot",
            "nodeName": "worker-0",
            "imagePullSecrets": [{"name": "creds"}],
            "containers": [
                {"name": "c", "image": "quay.io/a/app:1", "imagePullPolicy": "IfNotPresent"}
            ],
        },
    },
    {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": "web",
            "namespace": "team",
            "annotations": {
                "image.openshift.io/triggers": json.dumps(
                    [
                        {
                            "from": {"kind": "ImageStreamTag", "name": "app:1"},
                            "fieldPath": 'spec.template.spec.containers[?(@.name=="web")].image',
                        }
                    ]
                )
            },
        },
        "spec": {
            "replicas": 2,
            "template": {"spec": {"containers": [{"name": "web", "image": " "}]}},
        },
    },
    {
        "apiVersion": "apps.openshift.io/v1",
        "kind": "DeploymentConfig",
        "metadata": {"name": "worker", "namespace": "team"},
        "spec": {
            "replicas": 1,
            "triggers": [
                {"type": "ConfigChange"},
                {
                    "type": "ImageChange",
                    "imageChangeParams": {
                        "automatic": True,
                        "containerNames": ["worker"],
                        "from": {"kind": "ImageStreamTag", "name": "app:1"},
                    },
                },
            ],
            "template": {"spec": {"containers": [{"name": "worker", "image": " "}]}},
        },
    },
    {
        "apiVersion": "v1",
        "kind": "List",
        "items": [{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "listed"}}],
    },
]


def test_the_valid_objects_load():
    result = apply_objects(sk.Simulation(nodes=1), copy.deepcopy(VALID_OBJECTS), "load")
    assert not [o for o in result.outcomes if o.action == "skipped"]


def _paths(value, prefix=()):
    """Every path to a node of a nested structure."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*prefix, i))


def _replace(value, path, new):
    if not path:
        return new
    value = copy.deepcopy(value)
    target = value
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = new
    return value


@st.composite
def mutated(draw, originals):
    """A valid object with a few of its nodes replaced by random JSON values (or deleted)."""
    obj = copy.deepcopy(draw(st.sampled_from(originals)))
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(obj))
        path = draw(st.sampled_from(paths))
        if path and draw(st.integers(0, 4)) == 0:
            parent = obj
            for part in path[:-1]:
                parent = parent[part]
            del parent[path[-1]]
        else:
            obj = _replace(obj, path, draw(json_values))
    return obj


@FUZZ
@given(
    st.lists(mutated(VALID_OBJECTS), min_size=1, max_size=3), st.sampled_from(["create", "load"])
)
def test_mutated_objects_raise_only_manifest_error(objects, mode):
    sim = sk.Simulation(nodes=1)
    before = (stores_copy(sim), len(sim.log))
    try:
        apply_objects(sim, objects, mode)
    except ManifestError as exc:
        check_message(exc)
        assert (sim.cluster._stores, len(sim.log)) == before


def test_mutated_objects_through_oc_create_and_apply(tmp_path):
    path = tmp_path / "objects.yaml"

    @FUZZ
    @given(st.lists(mutated(VALID_OBJECTS), min_size=1, max_size=3))
    def check(objects):
        path.write_text(yaml.safe_dump_all(objects))
        sim = sk.Simulation(nodes=1)
        assert_oc_fails_cleanly(sim, f"create -f {path}")
        assert_oc_fails_cleanly(sim, f"apply -f {path}")  # unchanged or configured

    check()


# --- scenarios --------------------------------------------------------------------------
VALID_SCENARIO = {
    "name": "fuzz",
    "description": "d",
    "seed": 1,
    "start": "2026-01-01T00:00:00Z",
    "duration": "2h",
    "cluster": {"nodes": 2, "config": {"scheduled_import_interval": "5m"}, "projects": ["team"]},
    "defaults": {"pull_policy": "IfNotPresent"},
    "registries": [
        {
            "host": "quay.io",
            "users": {"u": "p"},
            "auth_server": "sso.io",
            "rate_limit": {"pulls": 5, "window": "1m"},
            "repositories": [{"name": "a/app", "tags": ["1"], "model": "rebuilds", "params": {}}],
        }
    ],
    "manifests": [],
    "image_streams": [
        {
            "namespace": "team",
            "name": "app",
            "tags": [
                {
                    "name": "1",
                    "from": "quay.io/a/app:1",
                    "scheduled": True,
                    "reference_policy": "local",
                }
            ],
        }
    ],
    "secrets": [
        {
            "namespace": "team",
            "name": "q",
            "server": "quay.io",
            "username": "u",
            "password": "p",
            "link": ["default"],
        }
    ],
    "workloads": [
        {
            "namespace": "team",
            "name": "web",
            "trigger": "app:1",
            "replicas": 2,
            "restart_every": "1h",
        }
    ],
    "faults": [
        {"type": "registry_outage", "at": "30m", "registry": "quay.io", "duration": "10m"},
        {"type": "node_loss", "at": "1h", "node": "worker-0", "replace_after": "5m"},
    ],
    "commands": [{"at": "90m", "oc": "tag app:1 app:pinned -n team"}],
}


def test_the_valid_scenario_validates():
    validate(VALID_SCENARIO)


@FUZZ
@given(st.one_of(json_values, st.dictionaries(st.text(max_size=12), json_values, max_size=6)))
def test_random_structures_raise_only_scenario_error(raw):
    try:
        validate(raw)
    except ScenarioError as exc:
        check_message(exc)


@FUZZ
@given(mutated([VALID_SCENARIO]))
def test_mutated_scenarios_raise_only_scenario_error(raw):
    try:
        validate(raw)
    except ScenarioError as exc:
        check_message(exc)


# --- docker configs ---------------------------------------------------------------------
auth_values = st.one_of(
    st.text(max_size=30),
    st.builds(
        lambda u, p: base64.b64encode(f"{u}:{p}".encode()).decode(),
        st.text(max_size=8),
        st.text(max_size=8),
    ),
    st.binary(max_size=20).map(lambda b: base64.b64encode(b).decode()),
)
entries = st.dictionaries(
    st.sampled_from(["username", "password", "email", "auth", "Auth", "USERNAME", "other"]),
    st.one_of(auth_values, json_values),
    max_size=5,
)
registries = st.dictionaries(
    st.one_of(
        st.sampled_from(
            [
                "quay.io",
                "https://index.docker.io/v1/",
                "*.example.com",
                "http://u:p@host/path",
                "localhost:5000",
            ]
        ),
        st.text(max_size=20),
    ),
    st.one_of(entries, json_values),
    max_size=4,
)
docker_configs = st.one_of(
    json_values,
    registries,
    st.builds(
        lambda auths, extra: {"auths": auths, **extra},
        st.one_of(registries, json_values),
        st.dictionaries(
            st.sampled_from(["HttpHeaders", "credsStore", "AUTHS"]), json_values, max_size=2
        ),
    ),
)


@FUZZ
@given(docker_configs, st.sampled_from(["dict", "text", "bytes", "garbled"]))
def test_docker_configs_raise_only_docker_config_error(config, form):
    if form == "dict" and not isinstance(config, dict):
        form = "text"
    value = {
        "dict": lambda c: c,
        "text": json.dumps,
        "bytes": lambda c: json.dumps(c).encode(),
        "garbled": lambda c: json.dumps(c)[:-1] + "\x00",
    }[form](config)
    try:
        parse_docker_config(value)
    except DockerConfigError as exc:
        check_message(exc)
    try:
        sk.Keyring.from_docker_config(value).lookup("quay.io/a/b")
    except DockerConfigError as exc:
        check_message(exc)


@FUZZ
@given(st.one_of(st.text(), st.binary()))
def test_docker_config_text_raises_only_docker_config_error(value):
    try:
        parse_docker_config(value)
    except DockerConfigError as exc:
        check_message(exc)


# --- durations --------------------------------------------------------------------------
duration_like = st.one_of(
    st.text(),
    st.text(alphabet="0123456789.eE+- smhdwSMHDWinsecour", max_size=20),
    st.floats(),
    st.integers(),
    st.booleans(),
    st.none(),
    json_values,
    st.timedeltas(),
)


@FUZZ
@given(duration_like)
def test_parse_duration_raises_only_value_error(value):
    try:
        seconds = parse_duration(value)
    except ValueError as exc:
        check_message(exc)
        return
    assert isinstance(seconds, float) and seconds >= 0

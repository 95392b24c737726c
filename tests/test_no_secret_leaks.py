"""Planted passwords, tokens and base64 auth strings appear nowhere a person reads.

One simulation receives known secrets through every door simkit has: registry users,
``oc create secret docker-registry`` and ``generic`` (from files and literals),
``oc registry login --auth-basic`` (and the config file it writes, which is then used
as the global pull secret), ``oc set data secret/pull-secret``, manifest dumps with
Secrets (``data`` in base64 and ``stringData``), a scenario with private registries and
secrets, and KEP-2535 (pods pulling private images with pull secrets, verified on
cached images).  Error paths are triggered on purpose.  Then everything a person can
read is searched: every command's output, every ``OcError``/``ManifestError``/
``ScenarioError`` message, ``sim.events`` as CSV, ``repr``/``str`` of every object in
every cluster store, the notebook HTML of the simulation, image streams and pods, every
analysis table (CSV) and the who-can-pull graph's attributes, every file of a
``write_report`` folder, and the reprs of keyrings and credentials.

A planted string is searched for as itself, in base64 (alone, as ``user:secret``, and
embedded at any offset of a longer base64 text) and in the base64 of every secret value
that holds it.  ``pytest -s`` prints how many strings were planted and places searched.
"""

from __future__ import annotations

import base64
import json
import pprint
import shlex
import warnings
from pathlib import Path

import pytest

import simkit as sk
import simkit.analysis as analysis
from simkit.manifests import ManifestError, load_manifests
from simkit.report import write_report
from simkit.scenarios import ScenarioError, load_scenario
from simkit.scenarios import run as run_scenario

INTEGRATED = "image-registry.openshift-image-registry.svc:5000"

# user -> secret; each secret is planted once, through one door
PLANTED = {
    "robot": "PLANT-pw-01",  # a private registry's user
    "robot2": "PLANT-pw-02",  # an auth string in a file (generic secret)
    "alice": "sha256~PLANT-token-03-aBcDeFgHiJkLmNoPqRsTuVwXyZ",  # an OpenShift token
    "robot4": "PLANT-pw-04 with spaces & 'quotes'",  # oc create secret docker-registry
    "robot5": "PLANT-pw-05",  # oc registry login --auth-basic
    "robot6": "PLANT-pw-06",  # oc set data secret/pull-secret
    "robot7": "PLANT-pw-07",  # a manifest Secret's data (base64)
    "robot8": "PLANT-pw-08",  # a manifest Secret's stringData
    "robot9": "PLANT-pw-09",  # a scenario registry's user
    "robot10": 'PLANT-pw-10 o\'k "x"',  # a scenario secret's password
    "robot11": "PLANT-lit-11",  # oc create secret generic --from-literal
    "robot12": "PLANT-pw-12",  # only in error paths
}
ALSO_PLANTED = ("PLANT-email-secret@example.com",)  # an email is not secret, kept for counts


def b64(text: str | bytes) -> str:
    data = text.encode() if isinstance(text, str) else text
    return base64.b64encode(data).decode()


def embedded_b64(secret: str) -> list[str]:
    """The base64 text ``secret`` becomes inside any longer base64 string: one core per
    alignment (the edge characters, which mix in neighbouring bytes, are cut)."""
    data = secret.encode()
    cores = []
    for shift in range(3):
        encoded = b64(b"\0" * shift + data)
        start = 4 if shift else 0
        core = encoded[start : len(encoded) - 4]
        if len(core) >= 8:
            cores.append(core)
    return cores


def needles() -> dict[str, str]:
    """Every form of every planted secret, named."""
    out: dict[str, str] = {}
    for user, secret in PLANTED.items():
        # the first word is unique enough, and catches a leak of half a quoted value
        out[secret] = secret
        out[secret.split(" ")[0]] = secret
        out[b64(secret)] = secret
        out[b64(f"{user}:{secret}")] = secret
        for core in embedded_b64(secret):
            out[core] = secret
    return out


def plant_files(tmp: Path) -> dict[str, Path]:
    files = {}
    files["generic"] = tmp / "generic-config.json"
    files["generic"].write_text(
        json.dumps(
            {
                "auths": {
                    "priv.io": {
                        "auth": b64(f"robot2:{PLANTED['robot2']}"),
                        "email": ALSO_PLANTED[0],
                    }
                }
            }
        )
    )
    files["pull-secret"] = tmp / "pull-secret.json"
    files["pull-secret"].write_text(
        json.dumps({"auths": {"priv.io": {"username": "robot6", "password": PLANTED["robot6"]}}})
    )
    files["login"] = tmp / "login-config.json"  # written by oc registry login
    files["bad-secret"] = tmp / "bad-config.json"
    files["bad-secret"].write_text(
        '{"auths": {"priv.io": {"password": "' + PLANTED["robot12"] + '"}'
    )  # unterminated JSON
    config7 = json.dumps({"auths": {"priv.io": {"auth": b64(f"robot7:{PLANTED['robot7']}")}}})
    files["dump"] = tmp / "dump.yaml"
    files["dump"].write_text(f"""
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Secret
  metadata: {{name: dumped, namespace: team}}
  type: kubernetes.io/dockerconfigjson
  data: {{.dockerconfigjson: {b64(config7)}}}
- apiVersion: v1
  kind: Secret
  metadata: {{name: typed, namespace: team}}
  type: Opaque
  stringData: {{password: "{PLANTED["robot8"]}", token: "{PLANTED["alice"]}"}}
- apiVersion: v1
  kind: ServiceAccount
  metadata: {{name: puller, namespace: team}}
  imagePullSecrets: [{{name: dumped}}]
""")
    files["bad-dump"] = tmp / "bad-dump.yaml"
    files["bad-dump"].write_text(f"""
apiVersion: v1
kind: Secret
metadata: {{name: broken, namespace: team}}
type: kubernetes.io/dockerconfigjson
data: {{.dockerconfigjson: "{PLANTED["robot12"]}"}}
""")
    files["bad-dump-2"] = tmp / "bad-dump-2.yaml"
    files["bad-dump-2"].write_text(
        "apiVersion: v1\nkind: Secret\nmetadata: {name: broken2}\n"
        f'stringData: {{password: ["{PLANTED["robot12"]}"]}}\n'
    )
    scenario = {
        "name": "leaky",
        "duration": "3h",
        "cluster": {"nodes": 2, "projects": ["team"]},
        "registries": [
            {
                "host": "scen.io",
                "users": {"robot9": PLANTED["robot9"], "robot10": PLANTED["robot10"]},
                "repositories": [{"name": "team/app", "tags": ["1"]}],
            }
        ],
        "secrets": [
            {
                "namespace": "team",
                "name": "scen",
                "server": "scen.io",
                "username": "robot10",
                "password": PLANTED["robot10"],
                "link": ["default"],
            }
        ],
        "workloads": [
            {"namespace": "team", "name": "app", "image": "scen.io/team/app:1", "replicas": 2}
        ],
    }
    files["scenario"] = tmp / "scenario.yaml"
    files["scenario"].write_text(json.dumps(scenario))
    bad = dict(
        scenario, registries=[{"host": "scen.io", "users": {"robot12": [PLANTED["robot12"]]}}]
    )
    files["bad-scenario"] = tmp / "bad-scenario.yaml"
    files["bad-scenario"].write_text(json.dumps(bad))
    bad2 = dict(
        scenario,
        secrets=[
            {
                "namespace": "team",
                "name": "s",
                "server": "scen.io",
                "username": "robot12",
                "password": 12345,
                "pasword": PLANTED["robot12"],
            }
        ],
    )
    files["bad-scenario-2"] = tmp / "bad-scenario-2.yaml"
    files["bad-scenario-2"].write_text(json.dumps(bad2))
    return files


class Search:
    """Where the planted strings were looked for, and whether they were found."""

    def __init__(self) -> None:
        self.needles = needles()
        self.places = 0
        self.found: list[tuple[str, str]] = []

    def text(self, where: str, value: object) -> None:
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        value = str(value)
        self.places += 1
        for needle, secret in self.needles.items():
            if needle in value:
                self.found.append((where, secret))

    def error(self, where: str, call, *errors: type[BaseException]) -> None:
        try:
            call()
        except errors as exc:
            self.text(where, exc)
            self.text(where + " repr", repr(exc))
        else:
            pytest.fail(f"{where}: expected {errors}")


@pytest.fixture(scope="module")
def leaky(tmp_path_factory):
    """A simulation full of planted secrets, its files, and every output it gave."""
    tmp = tmp_path_factory.mktemp("leaky")
    files = plant_files(tmp)
    search = Search()
    sim = load_manifests(files["dump"], seed=5, nodes=2)
    outputs: list[tuple[str, str]] = []

    def oc(line: str) -> str:
        out = sim.oc(line)
        outputs.append((line.split(" --")[0], out))
        return out

    priv = sim.registry("priv.io", users={name: secret for name, secret in PLANTED.items()})
    priv.push("team/app", "1")
    priv.push("team/base", "1")
    sim.register_token(PLANTED["alice"], "alice")
    oc("new-project demo")
    sim.advance("30s")  # the service accounts and their pull secrets are provisioned
    oc(
        "create secret docker-registry direct --docker-server=priv.io --docker-username=robot4 "
        f"--docker-password={shlex.quote(PLANTED['robot4'])} "
        f"--docker-email={ALSO_PLANTED[0]} -n demo"
    )
    oc(
        f"create secret generic fromfile --from-file=.dockerconfigjson={files['generic']} "
        "--type=kubernetes.io/dockerconfigjson -n demo"
    )
    oc(
        f"create secret generic literal --from-literal=api-key={PLANTED['robot11']} "
        f"--from-literal=username=robot11 -n demo"
    )
    oc("secrets link default direct fromfile --for=pull -n demo")
    oc(
        f"registry login --registry=priv.io --auth-basic=robot5:{PLANTED['robot5']} "
        f"--to={files['login']}"
    )
    oc(
        f"registry login --registry={INTEGRATED} --auth-basic=alice:{PLANTED['alice']} "
        f"--to={files['login']} --skip-check"
    )
    oc(
        f"create secret generic logged-in --from-file=.dockerconfigjson={files['login']} "
        "--type=kubernetes.io/dockerconfigjson -n team"
    )
    oc(
        f"set data secret/pull-secret -n openshift-config "
        f"--from-file=.dockerconfigjson={files['pull-secret']}"
    )
    oc(
        "get secret/pull-secret -n openshift-config "
        "--template='{{index .data \".dockerconfigjson\" | base64decode}}'"
    )
    oc(
        'get secret direct -n demo --template=\'{{index .data ".dockerconfigjson" | '
        "base64decode}}'"
    )
    oc("get secret literal -n demo --template='{{index .data \"api-key\" | base64decode}}'")
    oc("get secrets -n demo")
    oc("tag --scheduled priv.io/team/app:1 app:1 -n demo")
    oc("tag --reference-policy=local priv.io/team/base:1 base:1 -n team")
    oc("secrets link default dumped --for=pull -n team")
    oc("get is -n demo")
    # KEP-2535: private images pulled with credentials, then reused from the cache
    sim.advance("2m")
    for i, node in enumerate(sim.node_names):
        sim.run_pod("demo", "priv.io/team/app:1", node=node, name=f"with-secret-{i}")
        sim.run_pod(
            "team", "priv.io/team/app:1", node=node, name=f"other-{i}", service_account="puller"
        )
        sim.run_pod(
            "team",
            "priv.io/team/app:1",
            node=node,
            name=f"without-{i}",
            pull_policy="IfNotPresent",
            service_account="builder",
        )
    sim.deploy("demo", "web", trigger="app:1", replicas=2)
    priv.push("team/app", "1")
    sim.advance("1h")
    oc("describe is app -n demo")
    # every other oc get output format: a Secret's value appears only in the explicit
    # -o yaml/json/jsonpath of that Secret, which is therefore not run here
    for line in (
        "get secrets -n demo -o name",
        "get secrets -n demo -o wide",
        "get secrets -n demo -o custom-columns=NAME:.metadata.name,TYPE:.type",
        "get sa -n demo -o yaml",
        "get sa default -n team -o json",
        "get nodes -o yaml",
        "get nodes -o wide",
        "get pods -n demo -o yaml",
        "get deploy -n demo -o json",
        "get is -n demo -o yaml",
        "get projects -o json",
    ):
        oc(line)

    # error paths, on purpose
    def fails(line):
        search.error(f"OcError of {line.split(' --')[0]}", lambda: sim.oc(line), sk.OcError)

    fails(
        f"create secret docker-registry direct --docker-username=x "
        f"--docker-password={PLANTED['robot12']} -n demo"
    )  # exists
    fails(
        f"create secret docker-registry Bad_Name --docker-username=x "
        f"--docker-password={PLANTED['robot12']} -n demo"
    )  # invalid name
    fails(f"create secret docker-registry unclosed --docker-password='{PLANTED['robot12']}")
    fails(f"create secret docker-registry x --docker-password={PLANTED['robot12']} -n nope")
    fails(
        f"create secret generic bad --from-file=.dockerconfigjson={files['bad-secret']} "
        "--type=kubernetes.io/dockerconfigjson -n demo"
    )
    fails(f"create secret generic bad --from-literal={PLANTED['robot12']} -n demo")
    fails(
        f"registry login --registry=priv.io --auth-basic=robot:{PLANTED['robot12']} "
        f"--to={tmp / 'never.json'}"
    )
    fails(f"registry login --registry=priv.io --auth-basic={PLANTED['robot12']} --to=x")
    fails(f"set data secret/missing --from-literal=password={PLANTED['robot12']} -n demo")
    fails(
        f"set data secret/pull-secret -n openshift-config "
        f"--from-file=.dockerconfigjson={files['bad-secret']}"
    )
    fails(f"create -f {files['bad-dump']}")
    fails(f"create -f {files['bad-dump-2']}")
    fails(f"apply -f {files['bad-dump']}")
    fails(f"get secret direct -n demo --template={PLANTED['robot12']}")
    fails("get secret direct -n demo -o jsonpath='{.data.*[3]}'")  # kubectl prints the object
    fails("get secret direct -n demo -o go-template='{{.data}}'")
    fails(f"tag priv.io/team/app:{PLANTED['robot12'].lower()} app:x -n demo --bogus")
    search.error(
        "ManifestError of a bad data value",
        lambda: load_manifests(files["bad-dump"]),
        ManifestError,
    )
    search.error(
        "ManifestError of a bad stringData value",
        lambda: load_manifests(files["bad-dump-2"]),
        ManifestError,
    )
    search.error(
        "ScenarioError of a bad registry user",
        lambda: load_scenario(files["bad-scenario"]),
        ScenarioError,
    )
    search.error(
        "ScenarioError of a misspelt secret field",
        lambda: load_scenario(files["bad-scenario-2"]),
        ScenarioError,
    )
    search.error(
        "DockerConfigError of a bad config",
        lambda: sk.Keyring.from_docker_config(files["bad-secret"].read_text()),
        ValueError,
    )
    return sim, files, search, outputs


def _assert_clean(search: Search) -> None:
    if search.found:
        shown = "\n".join(f"  {where}: {secret!r}" for where, secret in search.found[:30])
        pytest.fail(f"{len(search.found)} planted secret(s) found:\n{shown}")


def test_planted_secrets_reach_nothing_a_person_reads(leaky, tmp_path, capsys):
    sim, files, search, outputs = leaky
    assert sim.tag_image("demo/app:1"), "the private import worked"
    assert b64(f"robot5:{PLANTED['robot5']}") in files["login"].read_text(), (
        "oc registry login wrote its config (the one place a password belongs)"
    )

    for line, out in outputs:
        search.text(f"output of oc {line}", out)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        events = sim.events
    search.text("sim.events as CSV", events.to_csv())
    search.text("sim.events repr", repr(events))
    assert {"secret_created", "registry_login", "pull", "oc"} <= set(events["kind"])

    for kind in sorted(sim.cluster._stores):
        for key, obj in sim.cluster.store(kind).items():
            search.text(f"repr of {kind} {key}", repr(obj))
            search.text(f"str of {kind} {key}", str(obj))
            search.text(f"pprint of {kind} {key}", pprint.pformat(obj))
    for host, registry in sim.registries.items():
        search.text(f"repr of registry {host}", repr(registry))
    search.text("repr of the simulation", repr(sim))
    search.text("html of the simulation", sim._repr_html_())
    for stream in sim.cluster.store("ImageStream").values():
        search.text(f"html of {stream.namespace}/{stream.name}", stream._repr_html_())
    for pod in sim.pods():
        search.text(f"html of pod {pod.name}", pod._repr_html_())
        search.text(f"repr of pod {pod.name}", repr(pod))

    # keyrings and credentials, as a notebook shows them
    for namespace in ("demo", "team", "openshift-config"):
        keyring = sim.namespace_keyring(namespace)
        search.text(f"repr of the {namespace} keyring", repr(keyring))
        search.text(f"str of the {namespace} keyring", str(keyring))
        for credential in keyring.lookup("priv.io/team/app:1"):
            search.text(f"repr of a credential of {namespace}", repr(credential))
            search.text(f"str of a credential of {namespace}", str(credential))
            search.text(f"pprint of a credential of {namespace}", pprint.pformat(credential))
            if hasattr(credential, "_repr_html_"):
                search.text("html of a credential", credential._repr_html_())
        if hasattr(keyring, "_repr_html_"):
            search.text(f"html of the {namespace} keyring", keyring._repr_html_())
    for node in sim.node_names:
        keyring = sim.node_keyring(node)
        search.text(f"repr of node {node}'s keyring", repr(keyring))
        for credential in keyring.lookup("priv.io/team/app:1"):
            search.text(f"repr of node {node}'s credential", repr(credential))
    config = sk.Keyring.from_docker_config(files["generic"].read_text())
    search.text("repr of a keyring from a file", repr(config))

    _search_analysis(sim, search)

    report = tmp_path / "report"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        write_report(sim, report)
    for path in sorted(report.iterdir()):
        search.text(f"report file {path.name}", path.read_bytes())

    with capsys.disabled():
        print(
            f"\nsecret leaks: {len(PLANTED)} secrets planted ({len(search.needles)} forms "
            f"searched), {search.places} places searched, {len(search.found)} found"
        )
    _assert_clean(search)


def _search_analysis(sim, search: Search) -> None:
    import inspect

    import pandas as pd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in analysis.__all__:
            func = getattr(analysis, name)
            if not inspect.isfunction(func):
                continue
            params = list(inspect.signature(func).parameters.values())
            required = [p for p in params if p.default is inspect.Parameter.empty]
            if [p.name for p in required] != ["sim"]:
                continue
            result = func(sim)
            if isinstance(result, pd.DataFrame):
                search.text(f"analysis {name} CSV", result.to_csv())
            else:
                search.text(f"analysis {name}", repr(result))
        for subject in ("system:serviceaccount:demo:default", "alice"):
            search.text("explain_pull", repr(analysis.explain_pull(sim, subject, "demo/app")))
        for pod in sim.pods():
            search.text("pod_reference", repr(analysis.pod_reference(sim, pod)))
        graph = analysis.who_can_pull(sim)
        for node, attributes in graph.nodes(data=True):
            search.text(f"who_can_pull node {node}", f"{node} {attributes}")
        for a, b, attributes in graph.edges(data=True):
            search.text(f"who_can_pull edge {a}->{b}", f"{a} {b} {attributes}")
        search.text(
            "stale_tag_risk by strategy", analysis.group_risk(analysis.stale_tag_risk(sim)).to_csv()
        )
        for stream in sim.cluster.store("ImageStream").values():
            for tag in stream.status_tags:
                name = f"{stream.namespace}/{stream.name}:{tag}"
                search.text(f"tag_history {name}", analysis.tag_history(sim, name).to_csv())


def test_a_scenario_with_secrets_runs_and_reports_without_them(leaky, tmp_path, capsys):
    _, files, _, _ = leaky
    search = Search()
    scenario = load_scenario(files["scenario"])
    search.text("repr of the scenario", repr(scenario))
    search.text("str of the scenario", str(scenario))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sim = run_scenario(files["scenario"])
    assert any(p.status == "Running" for p in sim.pods()), "the scenario's secret worked"
    search.text("scenario events", sim.events.to_csv())
    search.text("scenario simulation html", sim._repr_html_())
    for kind in sorted(sim.cluster._stores):
        for key, obj in sim.cluster.store(kind).items():
            search.text(f"repr of {kind} {key}", repr(obj))
    _search_analysis(sim, search)
    from simkit.cli import main

    out = tmp_path / "report"
    assert main(["run", str(files["scenario"]), "--out", str(out), "-q"]) == 0
    for path in sorted(out.iterdir()):
        search.text(f"report file {path.name}", path.read_bytes())
    captured = capsys.readouterr()
    search.text("simkit run stdout", captured.out)
    search.text("simkit run stderr", captured.err)
    with capsys.disabled():
        print(
            f"\nsecret leaks (scenario): {search.places} places searched, {len(search.found)} found"
        )
    _assert_clean(search)

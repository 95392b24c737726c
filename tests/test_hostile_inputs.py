"""Hostile files through every reader: ``load_manifests``, ``oc create -f``, ``oc apply -f``,
scenario loading and ``simkit run``.

``tests/test_manifests.py`` checks the reader's messages for hostile YAML through
``load_manifests``; this file sends the same kinds of input, and files that are not what
their name says (a PNG named ``.yaml``, JSON in a ``.yml``, YAML in a ``.json``, an empty
file, a directory named ``x.yaml``, a symlink loop, a name too long, a sparse file over
the size limit), through the other doors, and checks that each gives a clear error
naming the file and leaves nothing behind: the cluster and the event log are unchanged
after a failed ``oc`` command, and a failed ``simkit run`` exits 2 without writing its
report folder.
"""

from __future__ import annotations

import copy
import gzip
import json
import time
from pathlib import Path

import pytest

import simkit as sk
from simkit.cli import main
from simkit.manifests import ManifestError, load_manifests
from simkit.scenarios import ScenarioError, load_scenario

SA = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: robot}\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01" + bytes(range(256))
SIZE_LIMIT = 50 * 1024 * 1024


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for name, previous in zip("bcdefghi", "abcdefgh", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def make(tmp: Path, name: str) -> Path:
    """Write the hostile input ``name`` under ``tmp``; returns its path."""
    path = tmp / name
    contents: dict[str, str | bytes] = {
        "image.yaml": PNG,  # a PNG named .yaml
        "archive.yml": gzip.compress(SA.encode()),  # gzip named .yml
        "broken-json.yml": '{"apiVersion": "v1", "kind": ',  # JSON (cut short) in .yml
        "yaml-in.json": SA,  # YAML named .json
        "empty.yaml": b"",
        "comments.yaml": "# nothing here\n---\n---\n",
        "deep.yaml": "a: " + "[" * 5_000 + "]" * 5_000 + "\n",
        "deep-block.yaml": "".join(" " * i + "a:\n" for i in range(1_200)),
        "deep.json": "[" * 5_000 + "]" * 5_000,
        "laughs.yaml": billion_laughs(),
        "recursive.yaml": "a: &a [*a]\n",
        "latin1.yaml": "kind: ServiceAccount\nmetadata: {name: caf\xe9}\n".encode("latin-1"),
        "dup.yaml": SA + "kind: Pod\n",
        "dup.json": '{"apiVersion": "v1", "kind": "ServiceAccount",\n "kind": "Pod"}',
        "python.yaml": "!!python/object/apply:os.system ['echo pwned']\n",
    }
    if name in contents:
        content = contents[name]
        if isinstance(content, str):
            path.write_text(content)
        else:
            path.write_bytes(content)
    elif name == "dir.yaml":
        path.mkdir()
    elif name == "huge.yaml":
        with open(path, "wb") as handle:  # sparse: no disk used, refused by its size
            handle.truncate(SIZE_LIMIT + 1)
    elif name == "loop.yaml":
        path.symlink_to(path)
    elif name == "long":
        path = tmp / ("x" * 300 + ".yaml")
    else:
        raise AssertionError(name)
    return path


# name -> what the error says (None: not an error for load_manifests)
HOSTILE = {
    "image.yaml": "looks like a binary file",
    "archive.yml": "binary file",
    "broken-json.yml": "invalid YAML",
    "yaml-in.json": "invalid JSON",
    "empty.yaml": None,
    "comments.yaml": None,
    "dir.yaml": None,
    "huge.yaml": f"over the {SIZE_LIMIT}-byte limit",
    "loop.yaml": "Too many levels of symbolic links",
    "long": "File name too long",
    # libyaml's own limit ("exceeded maximum nesting depth") or simkit's ("nesting deeper than 500
    # levels"), whichever the installed libyaml reaches first: both refuse the nesting by name
    "deep.yaml": "nesting",
    "deep-block.yaml": "nesting",
    "deep.json": "nesting deeper than",
    "laughs.yaml": "excessive aliasing",
    "recursive.yaml": "recursive alias",
    "latin1.yaml": "invalid UTF-8 at byte offset",
    "dup.yaml": "duplicate key 'kind'",
    "dup.json": "duplicate key 'kind'",
    "python.yaml": "invalid YAML",
}
# for oc create/apply, a file with no objects is an error too
OC_EMPTY = "error: no objects passed to"
# for a scenario, a file without one mapping is an error too
SCENARIO_EMPTY = {
    "empty.yaml": "the file is empty",
    "comments.yaml": "the file is empty",
    "dir.yaml": "Is a directory",
}


def state(sim: sk.Simulation) -> tuple:
    return copy.deepcopy(sim.cluster._stores), len(sim.log), sim.current_project


@pytest.fixture
def sim(make_sim):
    return make_sim(nodes=1, projects=("demo",), settle="10s")


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_load_manifests(tmp_path, name):
    path = make(tmp_path, name)
    started = time.perf_counter()
    if HOSTILE[name] is None:
        loaded = load_manifests(path)
        assert loaded.manifest_summary["objects"] == 0
        return
    with pytest.raises(ManifestError) as info:
        load_manifests(path)
    assert time.perf_counter() - started < 5
    assert str(path) in str(info.value) and HOSTILE[name] in str(info.value)


@pytest.mark.parametrize("verb", ["create", "apply"])
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_oc_create_and_apply_change_nothing(tmp_path, sim, name, verb):
    path = make(tmp_path, name)
    before = state(sim)
    with pytest.raises(sk.OcError) as info:
        sim.oc(f"{verb} -f {path} -n demo")
    message = str(info.value)
    if HOSTILE[name] is None:
        assert message == f"{OC_EMPTY} {verb}"
    else:
        assert str(path) in message and HOSTILE[name] in message, message
    assert state(sim) == before


@pytest.mark.parametrize("verb", ["create", "apply"])
def test_a_good_file_beside_a_hostile_one_is_not_created(tmp_path, sim, verb):
    """All or nothing: a folder of good files and one hostile file creates nothing."""
    (tmp_path / "a-good.yaml").write_text(SA)
    (tmp_path / "b-good.json").write_text(
        json.dumps({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "other"}})
    )
    make(tmp_path, "laughs.yaml")
    (tmp_path / "z-good.yml").write_text(SA.replace("robot", "last"))
    before = state(sim)
    with pytest.raises(sk.OcError, match="excessive aliasing"):
        sim.oc(f"{verb} -f {tmp_path} -n demo")
    assert state(sim) == before
    # and in one file: a good document, then a hostile one
    mixed = tmp_path / "mixed" / "mixed.yaml"
    mixed.parent.mkdir()
    mixed.write_text(SA + "---\n" + "a: &a [*a]\n")
    with pytest.raises(sk.OcError, match="recursive alias"):
        sim.oc(f"{verb} -f {mixed} -n demo")
    assert state(sim) == before


def test_a_directory_named_like_a_file_is_read_as_a_directory(tmp_path, sim):
    folder = make(tmp_path, "dir.yaml")
    (folder / "inner.yaml").write_text(SA)
    nested = folder / "nested.yml"
    nested.mkdir()  # a directory named .yml inside: skipped without -R
    (nested / "deeper.yaml").write_text(SA.replace("robot", "deeper"))
    assert sim.oc(f"create -f {folder} -n demo") == "serviceaccount/robot created\n"
    assert sim.oc(f"create -f {nested} -n demo") == "serviceaccount/deeper created\n"


def test_json_in_a_yml_file_is_read(tmp_path, sim):
    """JSON is YAML: a ``.yml`` file holding JSON objects is read as such."""
    path = tmp_path / "objects.yml"
    path.write_text(
        json.dumps(
            {
                "apiVersion": "v1",
                "kind": "List",
                "items": [
                    {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "in-json"}}
                ],
            }
        )
    )
    assert sim.oc(f"create -f {path} -n demo") == "serviceaccount/in-json created\n"
    assert load_manifests(path).cluster.get("ServiceAccount", ("default", "in-json"))


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_scenario_loading(tmp_path, name):
    path = make(tmp_path, name)
    expected = SCENARIO_EMPTY.get(name, HOSTILE[name])
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = str(info.value)
    assert message.startswith(str(path)) and expected in message, message


@pytest.mark.parametrize(
    "name",
    [
        "image.yaml",
        "yaml-in.json",
        "empty.yaml",
        "dir.yaml",
        "huge.yaml",
        "laughs.yaml",
        "deep.yaml",
        "latin1.yaml",
        "dup.yaml",
        "loop.yaml",
        "long",
        "python.yaml",
    ],
)
def test_simkit_run_exits_2_naming_the_file_and_writes_nothing(tmp_path, capsys, name):
    path = make(tmp_path, name)
    out = tmp_path / "report"
    assert main(["run", str(path), "--out", str(out), "-q"]) == 2
    captured = capsys.readouterr()
    expected = SCENARIO_EMPTY.get(name, HOSTILE[name])
    assert captured.err.startswith(f"simkit: {path}") and expected in captured.err, captured.err
    assert "Traceback" not in captured.err and captured.out == ""
    assert not out.exists()


@pytest.mark.parametrize(
    "name", ["image.yaml", "laughs.yaml", "latin1.yaml", "dup.json", "huge.yaml", "empty.yaml"]
)
def test_a_scenario_whose_manifest_is_hostile(tmp_path, capsys, name):
    """A scenario's ``manifests:`` go through ``oc create -f``: the run stops with exit 2,
    naming the scenario field and the manifest file."""
    manifest = make(tmp_path, name)
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(json.dumps({"name": "s", "duration": "1h", "manifests": [manifest.name]}))
    out = tmp_path / "report"
    assert main(["run", str(scenario), "--out", str(out), "-q"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("simkit: ") and "manifests.0" in err and "Traceback" not in err
    assert (str(manifest) in err) or (OC_EMPTY in err), err
    assert not out.exists()


def test_a_scenario_with_awkward_values_runs(tmp_path, capsys):
    """Values that need quoting on an ``oc`` command line (a password with spaces and
    quotes) reach the cluster whole."""
    scenario = tmp_path / "scenario.yaml"
    password = 'it\'s "quoted" & spaced $HOME `x`'
    scenario.write_text(
        json.dumps(
            {
                "name": "awkward",
                "duration": "1h",
                "cluster": {"nodes": 1, "projects": ["team"]},
                "registries": [
                    {
                        "host": "private.io",
                        "users": {"robot": password},
                        "repositories": [{"name": "team/app", "tags": ["1"]}],
                    }
                ],
                "secrets": [
                    {
                        "namespace": "team",
                        "name": "creds",
                        "server": "private.io",
                        "username": "robot",
                        "password": password,
                        "link": ["default"],
                    }
                ],
                "workloads": [
                    {"namespace": "team", "name": "app", "image": "private.io/team/app:1"}
                ],
            }
        )
    )
    out = tmp_path / "report"
    assert main(["run", str(scenario), "--out", str(out), "-q"]) == 0
    assert (out / "index.html").exists()
    from simkit.scenarios import run

    sim = run(scenario)
    assert [p.status for p in sim.pods("team")] == ["Running"]


def test_limits_are_checked_before_reading(tmp_path):
    """A sparse file far over the limit is refused from its size, without reading it."""
    path = tmp_path / "enormous.yaml"
    with open(path, "wb") as handle:
        handle.truncate(1 << 40)  # 1 TiB, sparse
    started = time.perf_counter()
    with pytest.raises(ManifestError, match=f"the file is {1 << 40} bytes"):
        load_manifests(path)
    with pytest.raises(ManifestError, match="over the 100-byte limit"):
        load_manifests(make(tmp_path, "laughs.yaml"), max_bytes=100)
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize("advance", [None, "2h"])
def test_an_empty_dump_goes_through_every_analysis_and_the_report(tmp_path, advance):
    """An empty file is a valid (empty) dump: every analysis and the report work on the
    cluster it gives, before and after time has passed."""
    import inspect
    import warnings

    import simkit.analysis as analysis
    from simkit.report import write_report

    sim = load_manifests(make(tmp_path, "empty.yaml"))
    if advance:
        sim.advance(advance)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in analysis.__all__:
            func = getattr(analysis, name)
            if not inspect.isfunction(func):
                continue
            required = [
                p.name
                for p in inspect.signature(func).parameters.values()
                if p.default is inspect.Parameter.empty
            ]
            if required == ["sim"]:
                func(sim)
        index = write_report(sim, tmp_path / "report")
    assert index.exists()


@pytest.mark.parametrize("target", ["directory", "under-a-file", "long", "not-json"])
def test_commands_that_write_files_fail_whole(tmp_path, sim, target):
    """``oc registry login --to=PATH`` and ``oc get secret ... > PATH`` with a PATH that
    cannot be read or written: an OcError naming it, and nothing changed."""
    sim.registry("private.io", users={"robot": "pw"})
    afile = tmp_path / "afile"
    afile.write_text("{}")
    path = {
        "directory": tmp_path,
        "under-a-file": afile / "config.json",
        "long": tmp_path / ("x" * 300),
        "not-json": tmp_path / "garbage.json",
    }[target]
    if target == "not-json":
        path.write_text("[1, 2")
    before = state(sim)
    with pytest.raises(sk.OcError) as info:
        sim.oc(f"registry login --registry=private.io --auth-basic=robot:pw --to={path}")
    assert (str(path) in str(info.value)) or target == "not-json", str(info.value)
    assert state(sim) == before
    if target != "not-json":
        with pytest.raises(sk.OcError, match="cannot write"):
            sim.oc(
                "get secret pull-secret -n openshift-config --template="
                "'{{index .data \".dockerconfigjson\" | base64decode}}' > " + str(path)
            )
        assert state(sim) == before
    assert afile.read_text() == "{}"


def test_a_path_with_a_nul_byte(sim):
    """No file name holds a NUL byte (found by atheris: ``ValueError: embedded null byte``
    escaped from ``oc create -f``)."""
    path = "bad\x00name.yaml"
    before = state(sim)
    for line in (
        f"create -f '{path}'",
        f"apply -f '{path}'",
        f"create secret generic s --from-file='k={path}' -n demo",
        f"set data secret/pull-secret -n openshift-config --from-file='k={path}'",
        f"registry login --registry=quay.io --auth-basic=u:p --to='{path}' --skip-check",
        "get secret pull-secret -n openshift-config --template="
        f"'{{{{index .data \".dockerconfigjson\" | base64decode}}}}' > '{path}'",
    ):
        with pytest.raises(sk.OcError, match="embedded null byte"):
            sim.oc(line)
        assert state(sim) == before
    with pytest.raises(ManifestError, match="embedded null byte"):
        load_manifests(path)
    with pytest.raises(ScenarioError, match="embedded null byte"):
        load_scenario(path)

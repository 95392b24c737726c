"""Every image stream of openshift/library loads: with ``oc create -f`` into a project, and
the cluster samples operator's set into ``openshift`` (with ``oc create -f DIR -R`` and
with ``load_manifests``), with every stream and tag as the files define them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import simkit as sk
from simkit.manifests import load_manifests

LIBRARY = Path(__file__).resolve().parents[1] / "data" / "openshift-library"
OPERATOR = LIBRARY / "operator" / "ocp-x86_64"


def library_files(part: str = "") -> list[Path]:
    return sorted((LIBRARY / part).rglob("*.json"))


def expected(path: Path) -> tuple[str, dict[str, dict]]:
    obj = json.loads(path.read_text())
    assert obj["kind"] == "ImageStream"
    return obj["metadata"]["name"], {t["name"]: t for t in obj["spec"]["tags"]}


def check_stream(stream, tags: dict[str, dict]) -> None:
    assert stream is not None
    assert list(stream.spec_tags) == list(tags)
    for name, raw in tags.items():
        ref = stream.spec_tags[name]
        assert (ref.source.kind, ref.source.name) == (raw["from"]["kind"], raw["from"]["name"])
        assert ref.reference_policy == ((raw.get("referencePolicy") or {}).get("type") or "Source")
        assert ref.annotations == raw.get("annotations")
        assert ref.generation == 1  # the create strategy's


def test_the_library_is_all_here():
    files = [p for p in LIBRARY.rglob("*") if p.is_file()]
    assert len(files) == 167
    assert len(library_files()) == 165
    assert (
        len(library_files("official")),
        len(library_files("community")),
        len(library_files("operator")),
    ) == (91, 21, 53)


def test_every_file_loads_with_oc_create_into_a_project():
    sim = sk.Simulation()
    streams = tags = 0
    for i, path in enumerate(library_files()):
        project = f"lib-{i}"
        sim.oc(f"new-project {project} --skip-config-write")
        name, expected_tags = expected(path)
        out = sim.oc(f"create -f {path} -n {project}")
        assert out == f"imagestream.image.openshift.io/{name} created\n", path
        check_stream(sim.stream(project, name), expected_tags)
        streams += 1
        tags += len(expected_tags)
    assert streams == 165
    assert sum(len(s.spec_tags) for s in sim.cluster.list("ImageStream")) == tags


def operator_expectation() -> dict[str, dict[str, dict]]:
    found = dict(expected(p) for p in library_files("operator"))
    assert len(found) == 53  # one file per stream
    return found


def test_the_operator_set_loads_into_openshift_with_oc_create():
    sim = sk.Simulation()
    out = sim.oc(f"create -f {OPERATOR} -R -n openshift")
    wanted = operator_expectation()
    assert sorted(out.splitlines()) == sorted(
        f"imagestream.image.openshift.io/{name} created" for name in wanted
    )
    for name, tags in wanted.items():
        check_stream(sim.stream("openshift", name), tags)
    assert sum(len(t) for t in wanted.values()) == sum(
        len(s.spec_tags) for s in sim.cluster.list("ImageStream", "openshift")
    )
    # creating them again is refused, and changes nothing
    with pytest.raises(sk.OcError, match="already exists"):
        sim.oc(f"create -f {OPERATOR} -R -n openshift")


def test_the_operator_set_loads_with_load_manifests():
    sim = load_manifests(OPERATOR, namespace="openshift")
    wanted = operator_expectation()
    assert sim.manifest_summary["loaded"] == {"ImageStream": 53}
    assert sim.manifest_summary["skipped"] == {}
    assert {s.name for s in sim.cluster.list("ImageStream", "openshift")} == set(wanted)
    for name, tags in wanted.items():
        check_stream(sim.stream("openshift", name), tags)


def test_library_tags_resolve_once_imported():
    """An ImageStreamTag alias (``latest``) follows its target once the target imports."""
    sim = sk.Simulation()
    path = LIBRARY / "community" / "golang" / "imagestreams" / "golang-centos.json"
    sim.oc(f"create -f {path} -n openshift")
    stream = sim.stream("openshift", "golang")
    latest = stream.spec_tags["latest"].source
    assert latest.kind == "ImageStreamTag"
    target = latest.name
    source = stream.spec_tags[target].source.name  # e.g. registry.access.redhat.com/...
    host, _, rest = source.partition("/")
    repository, _, tag = rest.rpartition(":")
    digest = sim.registry(host).push(repository, tag)
    sim.oc(f"import-image golang:{target} -n openshift")
    sim.advance("1m")
    assert sim.tag_image(f"openshift/golang:{target}") == digest
    assert sim.tag_image("openshift/golang:latest") == digest

"""Every openshift/library image stream imports, once its upstream tags exist.

The simulated registries get each tag the library streams reference (the real ones are
registry.access.redhat.com, registry.redhat.io, quay.io, docker.io ...), the operator's
streams are created in ``openshift`` as the samples operator does, and the image stream
controller imports every importable tag: each ends up with one history entry and no
failure condition.
"""

from __future__ import annotations

import json
from pathlib import Path

import simkit as sk
from simkit.refs import parse_pull_spec

OPERATOR = (
    Path(__file__).resolve().parents[1] / "data" / "openshift-library" / "operator" / "ocp-x86_64"
)


def _upstream_tags() -> set[tuple[str, str, str]]:
    found = set()
    for path in OPERATOR.rglob("*.json"):
        for tag in json.loads(path.read_text())["spec"]["tags"]:
            source = tag.get("from") or {}
            if source.get("kind") == "DockerImage" and not tag.get("reference"):
                ref = parse_pull_spec(source["name"]).docker_client_defaults()
                repository = "/".join(p for p in (ref.namespace, ref.name) if p)
                found.add((ref.registry, repository, ref.id or ref.tag))
    return found


def test_every_operator_stream_imports():
    sim = sk.Simulation(seed=2)
    upstream = _upstream_tags()
    assert len(upstream) > 100
    for host, repository, tag in sorted(upstream):
        sim.registry(host).push(repository, tag)
    sim.oc(f"create -f {OPERATOR} -R -n openshift")
    sim.advance("2m")
    streams = sim.cluster.list("ImageStream", "openshift")
    assert len(streams) == 53
    importable = 0
    for stream in streams:
        for name, ref in stream.spec_tags.items():
            history = stream.status_tags.get(name)
            if ref.source.kind == "DockerImage" and not ref.reference:
                importable += 1
                assert history is not None and len(history.items) == 1, (stream.name, name)
                assert not history.conditions, (stream.name, name, history.conditions)
            else:  # ImageStreamTag aliases follow their source within the stream
                assert history is not None and history.items, (stream.name, name)
    assert importable > 100
    failures = [e for e in sim.log.iter("import_failed")]
    assert failures == []

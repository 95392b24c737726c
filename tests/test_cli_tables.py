"""``simkit who-can-pull`` and ``simkit lint-tags`` as tools people pipe.

who-can-pull: a headed table (SUBJECT, TARGET, VIA) under the findings; ``--format
csv|json`` rows only; ``--subject``/``--target`` exact or glob; ``--why`` the RBAC chain.
Whom a group covers is RBAC's ``appliesTo`` (kubernetes ``pkg/registry/rbac/validation/
rule.go``, ``appliesToUser``): ``system:serviceaccounts`` is every service account,
``system:serviceaccounts:NS`` those of NS.  The bundled dump's broad binding
(ClusterRoleBinding ``legacy-image-pullers`` to ``system:serviceaccounts``) must lead the
findings.  Each pair in the table is one the pull matrix allows (``can_pull``, the
registry's ``get imagestreams/layers`` check) and the other way round.

lint-tags: findings per convention with counts (OpenShift's tag-naming table, "Tag
naming conventions" in the image streams docs, restated in
:mod:`simkit.analysis.conventions`), then the table; csv/json hold the rows only.
"""

from __future__ import annotations

import copy
import fnmatch
import io
import json
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simkit as sk
from simkit.analysis import pull_matrix, who_can_pull
from simkit.analysis.pull_table import broad_access, pull_table
from simkit.cli import main
from simkit.cli.who_can_pull import filter_rows
from simkit.manifests import load_manifests

DUMP = Path(__file__).resolve().parents[1] / "data" / "cluster-dump" / "acme-prod.yaml"


@pytest.fixture(scope="module")
def dump_sim():
    return load_manifests(str(DUMP))


def run(capsys, *argv: str) -> str:
    assert main(list(argv)) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


def test_table_opens_with_the_broad_cluster_role_binding(capsys):
    lines = run(capsys, "who-can-pull", str(DUMP)).splitlines()
    assert lines[0] == "Findings (2):"
    assert lines[1].startswith(
        "  ! ClusterRoleBinding legacy-image-pullers (ClusterRole "
        "system:image-puller) lets group system:serviceaccounts"
    )
    assert "pull 5 image streams in every project" in lines[1]
    # all service accounts of team-a pull from another project: the second finding
    assert "RoleBinding shared/system:image-puller" in lines[2]
    assert "system:serviceaccounts:team-a" in lines[2]
    header = lines.index(next(line for line in lines if line.startswith("SUBJECT")))
    assert lines[header].split() == ["SUBJECT", "TARGET", "VIA"]
    assert lines[header - 2].startswith("440 subject/target pairs")
    assert len(lines) == header + 1 + 440


def test_csv_rows_are_exactly_the_pulls_rbac_allows(capsys, dump_sim):
    out = run(capsys, "who-can-pull", str(DUMP), "--format", "csv")
    assert out.startswith("subject,target,target_kind,via\n") and "Findings" not in out
    rows = pd.read_csv(io.StringIO(out))
    matrix = pull_matrix(dump_sim).stack()
    allowed = {(s, t) for (s, t), ok in matrix.items() if ok}
    streams = rows[rows["target_kind"] == "imagestream"]
    assert set(zip(streams["subject"], streams["target"], strict=True)) == allowed
    registry = rows[rows["target_kind"] == "registry"]
    assert registry[["subject", "target", "via"]].values.tolist() == [
        [
            "system:serviceaccount:payments:default",
            "registry.example.com",
            "pull secret payments/registry-example",
        ]
    ]


def test_json_filters_by_glob_and_exact_name(capsys):
    out = run(
        capsys,
        "who-can-pull",
        str(DUMP),
        "--format",
        "json",
        "--subject",
        "system:serviceaccount:team-b:*",
        "--target",
        "shared/base",
    )
    records = json.loads(out)
    assert {r["subject"] for r in records} == {
        f"system:serviceaccount:team-b:{n}" for n in ("builder", "default", "deployer")
    }
    assert {r["target"] for r in records} == {"shared/base"}
    # team-b:default is named in shared's binding itself; the others only by the broad one
    via = {r["subject"].rsplit(":", 1)[1]: r["via"] for r in records}
    assert "RoleBinding shared/system:image-puller" in via["default"]
    assert via["builder"] == (
        "ClusterRoleBinding legacy-image-pullers (ClusterRole "
        "system:image-puller) to group system:serviceaccounts"
    )


def test_why_prints_the_rbac_chain(capsys):
    out = run(
        capsys,
        "who-can-pull",
        str(DUMP),
        "--why",
        "--subject",
        "system:serviceaccount:team-b:builder",
        "--target",
        "payments/*",
    )
    lines = out.splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("system:serviceaccount"))
    assert "payments/card-processor" in lines[row]
    chain = "\n".join(lines[row + 1 :])
    assert 'ClusterRoleBinding "legacy-image-pullers" binds Group "system:serviceaccounts"' in chain
    assert all(line.startswith("    ") for line in lines[row + 1 :])


def test_out_keeps_the_matrix_and_adds_the_table(tmp_path, capsys):
    run(capsys, "who-can-pull", str(DUMP), "--out", str(tmp_path), "--format", "csv")
    assert (tmp_path / "pull_matrix.csv").read_text().startswith("subject,")
    assert len(pd.read_csv(tmp_path / "who_can_pull.csv")) == 440


def test_no_broad_grant_is_said_plainly(tmp_path, capsys):
    dump = tmp_path / "small.yaml"
    dump.write_text(
        "apiVersion: image.openshift.io/v1\nkind: ImageStream\n"
        "metadata: {name: web, namespace: team-a}\n"
        "spec: {tags: [{name: '1', from: {kind: DockerImage, name: 'quay.io/a/web:1'}}]}\n"
    )
    lines = run(capsys, "who-can-pull", str(dump)).splitlines()
    assert lines[:2] == [
        "Findings (0):",
        "  none: no binding grants image pull beyond its "
        "project, and no secret covers more than its project",
    ]


def test_the_node_pull_secret_covers_more_than_its_project(tmp_path):
    sim = sk.Simulation()
    sim.registry("registry.redhat.io", users={"node": "pw-node"})
    sim.oc("new-project team-a")
    auth = tmp_path / "config.json"
    sim.oc(f"registry login --registry=registry.redhat.io --auth-basic=node:pw-node --to={auth}")
    sim.oc(f"set data secret/pull-secret -n openshift-config --from-file=.dockerconfigjson={auth}")
    sim.advance("5m")  # the global pull secret rolls out node by node (60 s each)
    found = [f for f in broad_access(sim) if f.kind == "secret"]
    assert [(f.name, f.scope) for f in found] == [
        ("node pull secret openshift-config/pull-secret", "registry.redhat.io")
    ]
    graph = who_can_pull(sim)  # every service account the graph knows gets it
    accounts = [n for n, d in graph.nodes(data=True) if d["kind"] == "serviceaccount"]
    assert found[0].subjects == len(accounts)
    assert found[0].to == "service accounts of 5 other projects"
    assert "pw-node" not in str(found[0])


PROJECTS = ("team-a", "team-b", "shared")


@pytest.fixture(scope="module")
def three_projects():
    sim = sk.Simulation()
    for project in PROJECTS:
        sim.oc(f"new-project {project}")
        sim.oc(f"tag --reference quay.io/acme/app:1 app:1 -n {project}")
    sim.advance("1m")
    return sim


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    grants=st.lists(
        st.tuples(st.sampled_from(PROJECTS), st.sampled_from(PROJECTS), st.booleans()), max_size=4
    )
)
def test_pull_table_pairs_are_the_graph_paths(three_projects, grants):
    """For random cross-project grants (to a project's service-account group, or to one
    service account), the table lists a pair exactly when the graph has a path, and the
    findings are exactly the group grants into another project."""
    sim = copy.deepcopy(three_projects)
    for source, target, whole_group in grants:
        if whole_group:
            sim.oc(
                f"policy add-role-to-group system:image-puller "
                f"system:serviceaccounts:{source} -n {target}"
            )
        else:
            sim.oc(
                f"policy add-role-to-user system:image-puller "
                f"system:serviceaccount:{source}:default -n {target}"
            )
    graph = who_can_pull(sim)
    table = pull_table(graph)
    pairs = set(zip(table["subject"], table["target"], strict=True))
    subjects = [
        n for n, d in graph.nodes(data=True) if d["kind"] in ("user", "serviceaccount", "group")
    ]
    targets = [n for n, d in graph.nodes(data=True) if d["kind"] in ("imagestream", "registry")]
    expected = {
        (s, t.split(":", 1)[1]) for s in subjects for t in targets if nx.has_path(graph, s, t)
    }
    assert pairs == expected
    found = {(f.scope, f.to.split()[1]) for f in broad_access(sim, graph)}
    assert found == {
        (f"project {target}", f"system:serviceaccounts:{source}")
        for source, target, whole_group in grants
        if whole_group and source != target
    }


def test_filter_rows_keeps_exact_names_and_globs():
    table = pd.DataFrame({"subject": ["a[1]", "a1", "b"], "target": ["x/y", "x/z", "q"]})
    assert filter_rows(table, ["a[1]"], [])["subject"].tolist() == ["a[1]", "a1"]
    assert filter_rows(table, [], ["x/*"])["target"].tolist() == ["x/y", "x/z"]
    assert filter_rows(table, ["b"], ["x/*"]).empty
    assert len(filter_rows(table, [], [])) == 3
    assert fnmatch.fnmatchcase("a1", "a[1]")  # why "a[1]" also keeps "a1"


STREAM = {
    "kind": "ImageStream",
    "apiVersion": "image.openshift.io/v1",
    "metadata": {"name": "myimage", "namespace": "team"},
    "spec": {
        "tags": [
            {
                "name": "v2.0.1-may-2019",
                "from": {"kind": "DockerImage", "name": "quay.io/a/myimage:v2.0.1"},
            },
            {
                "name": "v2.0.2-june-2019",
                "from": {"kind": "DockerImage", "name": "quay.io/a/myimage:v2.0.2"},
            },
            {
                "name": "v2.0",
                "from": {"kind": "DockerImage", "name": "quay.io/a/myimage:v2.0"},
                "importPolicy": {"scheduled": True},
            },
            {
                "name": "nightly",
                "from": {"kind": "DockerImage", "name": "quay.io/a/myimage:nightly"},
            },
            {"name": "latest", "from": {"kind": "ImageStreamTag", "name": "v2.0"}},
        ]
    },
}


def test_lint_tags_findings_per_convention_then_the_table(tmp_path, capsys):
    path = tmp_path / "stream.json"
    path.write_text(json.dumps(STREAM))
    lines = run(capsys, "lint-tags", str(path)).splitlines()
    assert lines[0] == "5 tags in 1 stream: 2 dated, 1 revision, 1 other, 1 latest"
    assert lines[1] == (
        "dated: 2 tags need pruning: team/myimage:v2.0.1-may-2019, team/myimage:v2.0.2-june-2019"
    )
    assert (
        "unconventional: 1 tag follows none of OpenShift's tag conventions: "
        "team/myimage:nightly" in lines
    )
    header = lines.index("")
    assert lines[header + 1].split()[:3] == ["TAG", "CONVENTION", "LEVEL"]
    assert len(lines) == header + 2 + 5


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_lint_tags_csv_and_json_hold_the_rows_only(tmp_path, capsys, fmt):
    path = tmp_path / "stream.yaml"
    path.write_text(json.dumps(STREAM))
    out = run(capsys, "lint-tags", str(path), "--format", fmt)
    rows = pd.read_csv(io.StringIO(out)) if fmt == "csv" else pd.DataFrame(json.loads(out))
    assert rows["tag"].tolist() == [t["name"] for t in STREAM["spec"]["tags"]]
    assert set(rows["file"]) == {str(path)}
    assert not out.startswith("5 tags") and "need pruning" not in out

"""The findings a report opens with, on one small constructed simulation.

The cluster is built so that each finding has one known cause:

- ``shared/ruby:stable`` is a permanent copy (``oc tag ruby:3.1 ruby:stable``: the
  ``ImageStreamTag`` source is resolved to the image it points at now, as
  ``oc tag`` does in ``openshift/oc`` ``pkg/cli/tag/tag.go``), so it stays on the first
  image while ``quay.io/acme/ruby:3.1`` is pushed twice more: 2 versions behind;
- a pod with ``imagePullPolicy: IfNotPresent`` starts on a node that already holds the
  first image under the tag: the kubelet uses the cached image without asking the
  registry (``kubernetes`` ``pkg/kubelet/images/image_manager.go``,
  ``shouldPullImage``), so it runs a digest 2 versions behind the tag;
- quay.io is down for an hour while a pod with ``Always`` starts: its pulls fail;
- ``system:image-puller`` bound to ``system:authenticated`` cluster-wide lets every
  authenticated subject pull every stream (RBAC ``appliesTo``, ``kubernetes``
  ``pkg/registry/rbac/validation/rule.go``);
- nothing private is cached, so the KEP-2535 finding says "none".
"""

from __future__ import annotations

import json

import pytest

import simkit as sk
from simkit import analysis
from simkit.report import findings, findings_text, write_report
from simkit.report.analyses import bin_width, user_projects
from simkit.report.findings import SEVERITIES


@pytest.fixture(scope="module")
def sim():
    sim = sk.Simulation(seed=3, nodes=1)
    quay = sim.registry("quay.io")
    quay.push("acme/ruby", "3.1")
    sim.oc("new-project shared")
    sim.oc("new-project team-a")
    sim.oc("tag --scheduled quay.io/acme/ruby:3.1 ruby:3.1 -n shared")
    sim.advance("20m")
    sim.oc("tag ruby:3.1 ruby:stable -n shared")  # a permanent copy of today's image
    sim.run_pod("team-a", "quay.io/acme/ruby:3.1", pull_policy="IfNotPresent", name="first")
    sim.advance("10m")
    quay.push("acme/ruby", "3.1")
    sim.advance("1h")
    quay.push("acme/ruby", "3.1")
    sim.advance("1h")
    # the node holds the first image under quay.io/acme/ruby:3.1: IfNotPresent reuses it
    sim.run_pod("team-a", "quay.io/acme/ruby:3.1", pull_policy="IfNotPresent", name="cached")
    sim.advance("10m")
    quay.outage("1h")
    sim.run_pod("team-a", "quay.io/acme/ruby:3.1", pull_policy="Always", name="always")
    sim.advance("2h")
    sim.oc("adm policy add-cluster-role-to-group system:image-puller system:authenticated")
    sim.advance("1m")
    return sim


@pytest.fixture(scope="module")
def found(sim):
    return findings(sim)


@pytest.fixture(scope="module")
def index(sim, tmp_path_factory):
    return write_report(sim, tmp_path_factory.mktemp("findings") / "report")


def one(found, text):
    hits = [f for f in found if text in f.title]
    assert len(hits) == 1, (text, [f.title for f in found])
    return hits[0]


def test_findings_are_ranked_by_severity(found):
    ranks = [SEVERITIES.index(f.severity) for f in found]
    assert ranks == sorted(ranks)
    assert found[0].severity == "high"


def test_a_permanent_tag_behind_its_source(sim, found):
    finding = one(found, "shared/ruby:stable")
    assert finding.title.startswith("shared/ruby:stable (a permanent copy) is 2 versions and ")
    assert finding.title.endswith(" behind shared/ruby:3.1")
    assert finding.numbers["versions_behind"] == 2
    # behind since its source, the scheduled tag, imported the first push after the copy
    lag = analysis.import_lag(sim).sort_values("pushed")
    moved = (lag["imported"].iloc[0] - sim.start).total_seconds()
    assert finding.numbers["behind_s"] == pytest.approx(sim.now - moved)
    assert finding.section == "stale-tags"
    assert "oc tag --alias shared/ruby:3.1 ruby:stable -n shared" in finding.fix


def test_a_stale_ifnotpresent_pod(found):
    finding = one(found, "(IfNotPresent) run a digest")
    assert finding.numbers["policy"] == "IfNotPresent"
    assert finding.numbers["started_stale"] >= 1
    assert finding.numbers["versions_behind"] == 2
    assert "2 versions behind quay.io/acme/ruby:3.1" in finding.title
    assert finding.section == "workloads"
    assert "pullPolicy Always" in finding.fix


def test_pulls_failed_during_the_outage_name_their_policy(found):
    finding = one(found, "quay.io was down 1h")
    assert finding.severity == "high"
    assert finding.numbers["failed"] >= 1
    assert set(finding.numbers["failed_by_policy"]) == {"Always"}
    assert "Always" in finding.title and finding.section == "pulls"


def test_a_broad_group_binding(found):
    finding = one(found, "lets system:authenticated")
    assert finding.severity == "high"
    assert finding.title.startswith("ClusterRoleBinding ")
    assert "pull 1 image stream in every project (shared/ruby)" in finding.title
    assert finding.numbers["group"] == "system:authenticated"
    assert finding.numbers["subjects"] > 0
    assert (
        "oc adm policy remove-cluster-role-from-group system:image-puller "
        "system:authenticated" in finding.fix
    )


def test_no_exposed_cached_image_says_none(found):
    finding = one(found, "KEP-2535")
    assert finding.severity == "info"
    assert ": none (of " in finding.title
    assert finding.numbers["exposed"] == 0


def test_findings_open_the_page_the_summary_and_the_printed_text(found, index):
    page = index.read_text()
    assert page.index("id='findings'") < page.index("id='summary'") < page.index("id='stale-tags'")
    for finding in found:  # each links a section that is on the page
        assert f"id='{finding.section}'" in page, finding.section
    summary = json.loads((index.parent / "summary.json").read_text())
    assert next(iter(summary)) == "findings"
    assert [f["title"] for f in summary["findings"]] == [f.title for f in found]
    text = findings_text(index)
    assert text.splitlines()[0] == "Findings:"
    assert "[high]" in text and "shared/ruby:stable" in text
    assert findings_text([]) == "Findings: none."


def test_the_summary_counts_the_users_projects(index):
    summary = json.loads((index.parent / "summary.json").read_text())
    assert summary["projects"] == 2 and summary["project_names"] == ["shared", "team-a"]
    assert summary["platform_projects"] == ["default", "openshift", "openshift-config"]
    assert "2 projects of the cluster's users (shared, team-a)" in summary["overview"][0]


def test_helpers():
    assert user_projects(["default", "kube-public", "openshift-infra", "a"]) == ["a"]
    assert bin_width(86400) == "1h" and bin_width(10 * 86400) == "6h"

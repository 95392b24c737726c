"""``simkit demo`` writes the default scenario's report: findings first, sections that
explain themselves, key columns first, plots no larger than 2400 px, no secrets, and
all or nothing (Ctrl-C leaves the last report as it was).  A synthetic cluster of
thousands of tags, subjects, streams and images checks that every chart switches to its
aggregated form and stays within 2400 px."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import simkit as sk
from simkit.cli import main
from simkit.report import sections as S
from simkit.report import write_report
from simkit.report.analyses import Analyses
from simkit.report.writer import MAX_PIXELS, Figure, Report, _save_figure

SECRETS = ("example-registry-password", "partner-registry-password", "partner-sso-password")


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path.name
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "report"
    assert main(["demo", "--out", str(out), "-q"]) == 0
    return out


def test_demo_writes_a_complete_report_without_secrets(demo):
    out = demo
    page = (out / "index.html").read_text()
    for name in (
        "stale_tag_risk",
        "pull_matrix",
        "import_lag",
        "pods",
        "workload_staleness",
        "cached_exposure",
    ):
        assert (out / f"{name}.csv").exists(), name
        assert f"href='{name}.csv'" in page
    for name in (
        "who_can_pull",
        "staleness_heatmap",
        "lag_distribution",
        "pull_outcomes",
        "node_drift",
        "tag_timeline",
    ):
        width, height = png_size(out / f"{name}.png")
        assert max(width, height) <= MAX_PIXELS, name
        assert f"src='{name}.png'" in page
    summary = json.loads((out / "summary.json").read_text())
    assert summary["scenario"] == "default" and summary["pods_running"] > 0
    for path in out.iterdir():
        data = path.read_bytes()
        for secret in SECRETS:
            assert secret.encode() not in data, (path.name, secret)


def test_the_page_opens_on_findings_and_a_readable_summary(demo):
    page = (demo / "index.html").read_text()
    summary = json.loads((demo / "summary.json").read_text())
    assert "<script" not in page.lower() and "http://" not in page and "https://" not in page
    assert page.index("id='findings'") < page.index("id='summary'")
    # the description says four projects, and so does the summary (the user's projects)
    assert summary["projects"] == 4
    assert summary["project_names"] == ["payments", "shared-images", "team-a", "team-b"]
    overview = " ".join(summary["overview"])
    assert "4 projects of the cluster's users" in overview
    # humanised on the page, raw in summary.json
    assert isinstance(summary["bytes_pulled"], int) and summary["bytes_pulled"] > 2**30
    assert " GiB)" in overview and "bytes_pulled" not in page
    assert "import_lag_median_s" not in page
    # "none" said plainly: no cached private image is exposed in the default scenario
    kep = [f for f in summary["findings"] if "KEP-2535" in f["title"]]
    assert len(kep) == 1 and ": none (of 65 cached images, 3 private" in kep[0]["title"]
    assert kep[0]["section"] == "cached-exposure"


def test_every_section_explains_itself_with_key_columns_first(demo):
    page = (demo / "index.html").read_text()
    sections = page.split("<h2 id='")[3:]  # after findings and summary
    assert len(sections) >= 8
    for section in sections:
        name = section.split("'", 1)[0]
        intro = section.split("<p class='intro'>", 1)[1].split("</p>", 1)[0]
        sentences = [s for s in intro.split(". ") if s.strip()]
        assert 1 <= len(sentences) <= 4, (name, intro)
    assert ".scroll{overflow-x:auto" in page
    for table, first in (
        ("stale_tag_risk", ["tag", "strategy", "stale_now", "versions_behind_now"]),
        ("exposure_windows", ["fix"]),
        ("cached_exposure", ["exposed", "reason"]),
    ):
        head = page.split(f"id='{table}'", 1)[1].split("<thead>", 1)[1].split("</thead>")[0]
        columns = [c.split("</th>")[0] for c in head.split("<th>")[1:]]
        assert columns[: len(first)] == first, (table, columns)
    # the cached-image table shows the private images only; the CSV all of them
    kep = page.split("id='cached-exposure'", 1)[1].split("<h2", 1)[0]
    assert kep.count("</tr>") - 1 == 3 and "(65 rows)" in kep  # a header row, 3 rows


def test_an_interrupted_report_leaves_the_last_one_as_it_was(demo, tmp_path, monkeypatch):
    sim = sk.Simulation()
    sim.registry("quay.io").push("acme/ruby", "3.1")
    sim.oc("tag --scheduled quay.io/acme/ruby:3.1 ruby:3.1")
    sim.advance("1h")
    out = tmp_path / "report"
    monkeypatch.setattr(S, "SECTIONS", [S.imports, S.event_counts])  # quick: no figures
    write_report(sim, out)
    before = {p.name: (p.stat().st_ino, p.read_bytes()) for p in out.iterdir()}

    def interrupt(results, report):
        raise KeyboardInterrupt

    monkeypatch.setattr(S, "SECTIONS", [S.imports, interrupt])
    for folder in (out, tmp_path / "fresh"):
        with pytest.raises(KeyboardInterrupt):
            write_report(sim, folder)
    assert {p.name: (p.stat().st_ino, p.read_bytes()) for p in out.iterdir()} == before
    assert not (tmp_path / "fresh").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]  # no staging left


def test_a_report_reads_only_the_kinds_it_needs(tmp_path, monkeypatch):
    # issue 20: sim.events (every kind of the log in one frame) outgrows the run itself
    # over a long one; the report's sections and findings read their kinds alone
    sim = sk.Simulation(seed=2, nodes=2)
    quay = sim.registry("quay.io")
    quay.push("acme/ruby", "3.1")
    sim.advance("1h")
    quay.outage(1800.0)
    sim.run_pod("default", "quay.io/acme/ruby:3.1", pull_policy="Always")
    sim.advance("1h")
    counts = sim.events["kind"].value_counts()

    def whole_log(self):
        raise AssertionError("the report read sim.events")

    monkeypatch.setattr(sk.Simulation, "events", property(whole_log))
    monkeypatch.setattr(S, "SECTIONS", [S.event_counts])  # quick: no figures
    write_report(sim, tmp_path / "report")
    summary = json.loads((tmp_path / "report" / "summary.json").read_text())
    assert any("quay.io was down 30m" in f["title"] for f in summary["findings"])
    table = pd.read_csv(tmp_path / "report" / "event_counts.csv")
    assert dict(zip(table["kind"], table["events"], strict=True)) == counts.to_dict()
    assert table["events"].is_monotonic_decreasing


def _synthetic(tmp_path: Path) -> Analyses:
    """A finished simulation's analyses blown up to 10,000 tags, a who-can-pull graph of
    10,000 service accounts and 10,000 streams in 500 projects, a pull matrix of 300
    subjects × 1,000 streams and 2,000 image names on 40 nodes."""
    sim = sk.Simulation(seed=1)
    quay = sim.registry("quay.io")
    quay.push("acme/ruby", "3.1")
    sim.oc("tag quay.io/acme/ruby:3.1 ruby:3.1")
    sim.advance("1h")
    quay.push("acme/ruby", "3.1")
    sim.advance("1d")
    results = Analyses(sim)
    real = results.risk
    rng = np.random.default_rng(0)
    n = 10_000
    risk = real.iloc[np.zeros(n, dtype=int)].reset_index(drop=True)
    risk["tag"] = [real["tag"].iloc[0]] + [f"ns{i % 500}/app{i}:latest" for i in range(1, n)]
    risk["strategy"] = rng.choice(["scheduled", "permanent", "alias"], n)
    risk["max_lag"] = pd.to_timedelta(rng.integers(0, 86400, n), unit="s")
    risk.loc[0, "max_lag"] = pd.Timedelta(days=2)
    bins = pd.date_range(sim.start, periods=8, freq="3h")
    matrix = pd.DataFrame(rng.random((n, len(bins))), index=risk["tag"], columns=bins)
    episodes = results.episodes.iloc[np.zeros(2000, dtype=int)].reset_index(drop=True)
    graph = nx.DiGraph()
    for p in range(500):
        group, binding = f"group:system:serviceaccounts:ns{p}", f"rolebinding:ns{p}/pullers"
        graph.add_node(group, kind="group", label=group[6:])
        graph.add_node(
            binding,
            kind="binding",
            label=f"ns{p}/pullers",
            namespace=f"ns{p}",
            role="system:image-puller",
        )
        graph.add_node(f"project:ns{p}", kind="project", label=f"ns{p}")
        graph.add_edge(group, binding)
        graph.add_edge(binding, "clusterrole:system:image-puller")
        graph.add_edge(binding, f"project:ns{p}")
        for s in range(20):
            subject = f"system:serviceaccount:ns{p}:sa{s}"
            graph.add_node(subject, kind="serviceaccount", label=f"ns{p}:sa{s}")
            graph.add_edge(subject, group)
            stream = f"imagestream:ns{p}/app{s}"
            graph.add_node(stream, kind="imagestream", label=f"ns{p}/app{s}", namespace=f"ns{p}")
            graph.add_edge(f"project:ns{p}", stream)
    graph.nodes["clusterrole:system:image-puller"].update(kind="role", label="system:image-puller")
    subjects = [f"system:serviceaccount:ns{i % 100}:sa{i}" for i in range(300)]
    streams = [f"ns{i % 100}/app{i}" for i in range(1000)]
    pulls = pd.DataFrame(
        rng.random((len(subjects), len(streams))) < 0.1, index=subjects, columns=streams
    )
    images = np.repeat([f"quay.io/fleet/app{i}:latest" for i in range(2000)], 40)
    versions = rng.integers(1, 4, len(images))
    drift = pd.DataFrame(
        {
            "image": images,
            "node": np.tile([f"worker-{j}" for j in range(40)], 2000),
            "digest": [f"sha256:{v}" for v in versions],
            "version": versions,
            "digests": 3,
            "drifted": True,
        }
    )
    results.__dict__.update(
        risk=risk,
        staleness_over_time=matrix,
        episodes=episodes,
        graph=graph,
        matrix=pulls,
        drift=drift,
    )
    return results


def test_charts_switch_to_aggregates_and_stay_within_2400_px_at_scale(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    results = _synthetic(tmp_path)
    report = Report("synthetic")
    aggregated = (
        "staleness_heatmap",
        "staleness_by_group",
        "who_can_pull",
        "pull_matrix",
        "node_drift",
    )
    for section in (S.stale_tags, S.pulls, S.access):
        section(results, report)
        for item in report.sections[-1].items:
            if isinstance(item, Figure) and item.name in aggregated:
                _save_figure(item, tmp_path)  # the others do not grow with the cluster
            elif isinstance(item, Figure):
                assert max(item.figure.get_size_inches()) * 100 <= MAX_PIXELS, item.name
                plt.close(item.figure)
    names = {
        f.name: f.caption
        for s in report.sections
        for f in s.items
        if isinstance(f, Figure) and f.name in aggregated
    }
    assert names["staleness_heatmap"] == "The 25 stalest tags, when"
    assert "staleness_by_group" in names
    assert names["who_can_pull"] == "Who can pull, merged by project"
    assert names["pull_matrix"] == "Pull matrix by project pair"
    assert names["node_drift"] == "The image names that drift most"
    sizes = {name: png_size(tmp_path / f"{name}.png") for name in names}
    for name, (width, height) in sizes.items():
        assert max(width, height) <= MAX_PIXELS, (name, width, height)
        assert min(width, height) >= 200, (name, width, height)
    # the inline pull matrix is by project pair; every cell stays in the CSV
    table = next(
        i for s in report.sections for i in s.items if getattr(i, "name", "") == "pull_matrix"
    )
    assert table.shown is not None and list(table.shown.columns)[:2] == ["subjects", "members"]
    assert table.frame.shape == (300, 1001)

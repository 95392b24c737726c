"""``simkit demo`` writes the default scenario's report: page, plots, tables; no secrets."""

from __future__ import annotations

import json

from simkit.cli import main

SECRETS = ("example-registry-password", "partner-registry-password", "partner-sso-password")


def test_demo_writes_a_complete_report_without_secrets(tmp_path):
    out = tmp_path / "report"
    assert main(["demo", "--out", str(out), "-q"]) == 0
    page = (out / "index.html").read_text()
    for name in ("stale_tag_risk", "pull_matrix", "import_lag", "pods", "workload_staleness"):
        assert (out / f"{name}.csv").exists(), name
        assert f"href='{name}.csv'" in page
    for name in ("who_can_pull", "staleness_heatmap", "lag_distribution", "pull_outcomes",
                 "node_drift", "tag_timeline"):
        png = out / f"{name}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
        assert f"src='{name}.png'" in page
    summary = json.loads((out / "summary.json").read_text())
    assert summary["scenario"] == "default" and summary["pods_running"] > 0
    for path in out.iterdir():
        data = path.read_bytes()
        for secret in SECRETS:
            assert secret.encode() not in data, (path.name, secret)


def test_run_refuses_a_bad_scenario_with_file_and_line(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nduration: soon\n")
    assert main(["run", str(bad), "--out", str(tmp_path / "r"), "-q"]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:2: duration: " in err
    assert not (tmp_path / "r").exists()

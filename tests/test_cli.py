"""The simkit command's smaller subcommands."""

from __future__ import annotations

from pathlib import Path

from simkit.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"


def test_image_prints_normalised_familiar_and_policy(capsys):
    assert main(["image", "ubuntu", "quay.io/acme/app:1.0"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].split() == ["ubuntu", "docker.io/library/ubuntu", "ubuntu", "Always"]
    assert out[2].split()[-1] == "IfNotPresent"
    assert main(["image", "quay.io/Acme/x"]) == 2  # an invalid reference is bad input
    captured = capsys.readouterr()
    assert captured.out == "" and "must be lowercase" in captured.err


def test_lint_tags_classifies_a_library_file(capsys):
    path = DATA / "openshift-library" / "community" / "ruby" / "imagestreams" / "ruby-centos.json"
    assert main(["lint-tags", str(path)]) == 0
    out = capsys.readouterr().out
    assert "base-image" in out and "2.5-ubi8" in out


def test_who_can_pull_reads_a_dump_and_writes_the_matrix(tmp_path, capsys):
    assert (
        main(
            ["who-can-pull", str(DATA / "cluster-dump" / "acme-prod.yaml"), "--out", str(tmp_path)]
        )
        == 0
    )
    lines = capsys.readouterr().out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("SUBJECT"))
    assert lines[header].split() == ["SUBJECT", "TARGET", "VIA"]
    assert lines[0].startswith("Findings") and len(lines) > header + 400
    assert (tmp_path / "pull_matrix.csv").read_text().startswith("subject,")
    assert (tmp_path / "who_can_pull.csv").read_text().startswith("subject,target,")


def test_who_can_pull_reports_a_bad_dump(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: Pod\nmetadata: [oops\n")
    assert main(["who-can-pull", str(bad)]) == 2
    assert str(bad) in capsys.readouterr().err

"""The ``simkit`` command's contract on bad input, subcommand by subcommand.

Each case feeds one subcommand an input it cannot use and checks: exit status 2 (the
status argparse itself gives usage errors), one stderr line ``simkit: ...`` that holds
the text the user typed (the scenario by the name given, the ``--set``/``--grid``
argument, the file), no traceback, nothing on stdout, and no ``--out`` folder written.
Image references are refused by the grammar of distribution/reference
(``reference.go``, ``ParseNormalizedNamed``: lowercase repository, one tag, a valid
digest), restated in :mod:`simkit.refs`.  ``simkit sweep`` whose runs fail exits 1 with
one summary line and no warning text; Ctrl-C exits 130 (128 + SIGINT, as a shell
reports it).
"""

from __future__ import annotations

import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import simkit.cli.scenario_commands as scenario_commands
from simkit.cli import main

GOOD = {"name": "tiny", "duration": "1h", "cluster": {"nodes": 1}}

# (subcommand, arguments, text the one stderr line must hold); {tmp} is the test's folder,
# {file} an existing plain file, {good} a valid scenario file, {out} the --out folder.
CASES = [
    ("image", ["UPPER"], "'UPPER'"),
    ("image", ["quay.io/Acme/x"], "quay.io/Acme/x"),
    ("image", [""], "image ''"),
    ("image", ["a:b:c"], "a:b:c"),
    ("image", ["foo@sha256:123"], "foo@sha256:123"),
    ("image", ["ubuntu", "http://x/y"], "http://x/y"),
    ("image", ["x y"], "'x y'"),
    ("demo", ["--out", "{file}"], "{file}"),
    ("demo", ["--out", "{file}/report"], "{file}"),
    ("demo", ["--out", "{out}", "--set", "nodes"], "--set nodes"),
    ("demo", ["--out", "{out}", "--set", "cluster.nodes=0"], "--set cluster.nodes=0"),
    ("demo", ["--out", "{out}", "--set", "clustr.nodes=3"], "did you mean 'cluster'"),
    (
        "demo",
        ["--out", "{out}", "--set", "workloads.99.replicas=1"],
        "--set workloads.99.replicas=1",
    ),
    ("demo", ["--out", "{out}", "--set", "duration=forever"], "--set duration=forever"),
    (
        "demo",
        ["--out", "{out}", "--set", "cluster.config.scheduled_import_intervall=5m"],
        "did you mean 'scheduled_import_interval'?",
    ),
    ("run", ["defualt", "--out", "{out}"], "did you mean 'default'"),
    ("run", ["{tmp}/nothere.yaml", "--out", "{out}"], "{tmp}/nothere.yaml"),
    ("run", ["{tmp}/broken.yaml", "--out", "{out}"], "{tmp}/broken.yaml:"),
    (
        "run",
        ["{tmp}/typo.yaml", "--out", "{out}"],
        "duraton: unknown field; did you mean 'duration'?",
    ),
    (
        "run",
        ["{tmp}/nested-typo.yaml", "--out", "{out}"],
        "workloads.0.imgae: unknown field; did you mean 'image'?",
    ),
    ("run", ["{good}", "--out", "{file}"], "{file}"),
    (
        "run",
        ["{good}", "--out", "{out}", "--set", "cluster.nodez=2"],
        "--set cluster.nodez=2: cluster.nodez: unknown field; did you mean 'nodes'?",
    ),
    (
        "run",
        ["default", "--out", "{out}", "--set", "cluster.nodes=many"],
        "--set cluster.nodes=many",
    ),
    ("run", ["{tmp}", "--out", "{out}"], "{tmp}"),
    (
        "run",
        ["{good}", "--out", "{out}", "--set", "registries.0.users.bot=hunter2"],
        "--set registries.0.users.bot=*****",
    ),
    ("sweep", ["defualt"], "defualt"),
    ("sweep", ["{good}", "--grid", "x"], "--grid x"),
    ("sweep", ["{good}", "--grid", "cluster.nodez=1,2"], "did you mean 'nodes'"),
    ("sweep", ["{good}", "--grid", "cluster.nodes=1,0"], "--grid cluster.nodes=1,0"),
    ("sweep", ["{good}", "--seeds", "0"], "--seeds 0"),
    ("sweep", ["{good}", "--out", "{file}"], "{file}"),
    ("sweep", ["{typo}"], "{typo}:"),
    (
        "sweep",
        ["{good}", "--grid", "cluster.nodes=1", "--grid", "cluster.nodes=2"],
        "--grid cluster.nodes=2",
    ),
    ("lint-tags", ["{tmp}/nothere.yaml"], "{tmp}/nothere.yaml: no such file"),
    ("lint-tags", ["{tmp}/broken.yaml"], "{tmp}/broken.yaml:"),
    ("lint-tags", ["{tmp}/broken.json"], "{tmp}/broken.json:"),
    ("lint-tags", ["{tmp}/pod.yaml"], "{tmp}/pod.yaml: no image stream"),
    ("lint-tags", ["{tmp}/empty.yaml"], "{tmp}/empty.yaml: no image stream"),
    ("lint-tags", ["{tmp}/binary.yaml"], "{tmp}/binary.yaml"),
    ("lint-tags", ["{tmp}/no-streams"], "{tmp}/no-streams: no image stream"),
    ("who-can-pull", ["{tmp}/nothere.yaml"], "{tmp}/nothere.yaml: no such file"),
    ("who-can-pull", ["{tmp}/broken.yaml"], "{tmp}/broken.yaml:"),
    ("who-can-pull", ["{tmp}/pod.yaml"], "{tmp}/pod.yaml:"),
    ("who-can-pull", ["{tmp}/binary.yaml"], "{tmp}/binary.yaml"),
    ("who-can-pull", ["{tmp}/broken.json"], "{tmp}/broken.json:"),
    ("who-can-pull", ["{dump}", "--out", "{file}"], "{file}"),
    ("who-can-pull", [""], "an empty file name"),
    ("who-can-pull", ["{tmp}/empty.yaml"], "{tmp}/empty.yaml: holds no objects"),
]

# argparse's own usage errors: its usage line, then ``simkit: error: ...``, status 2
USAGE_CASES = [
    ("demo", ["--out"], "--out"),
    ("run", [], "scenario"),
    ("sweep", ["{good}", "--seeds", "two"], "two"),
    ("lint-tags", [], "FILE"),
    ("who-can-pull", ["{dump}", "--format", "xml"], "xml"),
    ("image", [], "IMAGE"),
    ("", ["bogus"], "bogus"),
]


@pytest.fixture
def place(tmp_path: Path) -> dict[str, str]:
    """The files the cases name, and their placeholders."""
    (tmp_path / "file.txt").write_text("not a folder\n")
    (tmp_path / "good.yaml").write_text(json.dumps(GOOD))
    (tmp_path / "broken.yaml").write_text("name: x\nduration: [1h\n")
    (tmp_path / "broken.json").write_text('{"kind": "ImageStream",\n')
    (tmp_path / "typo.yaml").write_text("name: typo\nduraton: 1h\n")
    (tmp_path / "nested-typo.yaml").write_text(
        "name: typo\nduration: 1h\nworkloads:\n- namespace: a\n  name: b\n  imgae: nginx\n"
    )
    (tmp_path / "pod.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n")
    (tmp_path / "empty.yaml").write_text("")
    (tmp_path / "binary.yaml").write_bytes(b"\xff\xfe\x00\x01kind: ImageStream\n")
    (tmp_path / "no-streams").mkdir()
    (tmp_path / "no-streams" / "pod.yaml").write_text("apiVersion: v1\nkind: Pod\n")
    dump = Path(__file__).resolve().parents[1] / "data" / "cluster-dump" / "acme-prod.yaml"
    return {
        "tmp": str(tmp_path),
        "file": str(tmp_path / "file.txt"),
        "good": str(tmp_path / "good.yaml"),
        "typo": str(tmp_path / "typo.yaml"),
        "out": str(tmp_path / "out"),
        "dump": str(dump),
    }


def _fill(text: str, place: dict[str, str]) -> str:
    return text.format(**place)


def _case_id(case) -> str:
    return f"{case[0] or 'simkit'}:{' '.join(case[1])[:40]}"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(case, place, capsys):
    command, args, offending = case
    argv = [command, *(_fill(a, place) for a in args)]
    before = sorted(p.name for p in Path(place["tmp"]).iterdir())
    assert main(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("simkit: "), lines
    assert _fill(offending, place) in lines[0], lines[0]
    assert "Traceback" not in captured.err and captured.out == ""
    assert "required field is missing" not in lines[0] and "hunter2" not in lines[0]
    assert "site-packages" not in lines[0] and "/simkit/data/scenarios/" not in lines[0]
    assert not Path(place["out"]).exists()
    assert sorted(p.name for p in Path(place["tmp"]).iterdir()) == before
    assert Path(place["file"]).read_text() == "not a folder\n"


@pytest.mark.parametrize("case", USAGE_CASES, ids=_case_id)
def test_usage_errors_exit_2_ending_on_a_simkit_error_line(case, place, capsys):
    command, args, offending = case
    argv = [c for c in [command, *(_fill(a, place) for a in args)] if c]
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert lines[0].startswith("usage: simkit") and lines[-1].startswith("simkit: error: ")
    assert offending in lines[-1] and "Traceback" not in err


def test_every_subcommand_has_at_least_five_bad_inputs():
    counts = Counter(command for command, _, _ in CASES)
    assert set(counts) == {"image", "demo", "run", "sweep", "lint-tags", "who-can-pull"}
    assert min(counts.values()) >= 5, counts
    print(
        "\nbad inputs per subcommand:",
        dict(sorted(counts.items())),
        f"+ {len(USAGE_CASES)} argparse usage errors",
    )


def test_ctrl_c_exits_130_with_one_line(place, capsys, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(scenario_commands, "run_scenario", interrupted)
    assert main(["run", place["good"], "--out", place["out"]]) == 130
    err = capsys.readouterr().err
    assert err.strip() == "simkit: interrupted" and "Traceback" not in err


def test_an_unexpected_error_is_one_line_exit_1(place, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.delenv("SIMKIT_DEBUG", raising=False)
    monkeypatch.setattr(scenario_commands, "run_scenario", broken)
    assert main(["run", place["good"], "--out", place["out"]]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("simkit: internal error: RuntimeError: boom")


def test_a_sweep_whose_runs_fail_exits_1_with_one_summary_line(tmp_path, capsys, monkeypatch):
    """Every run fails while building (the manifest it names is missing): the table is
    printed, then ``simkit: 2 of 2 runs failed: ...``; no SweepWarning text, no source.
    The sweep runs on one thread here (worker processes take seconds to start)."""
    import simkit.sweeps.sweep as sweep_module

    real = sweep_module.sweep

    def on_a_thread(*args, **kwargs):
        with ThreadPoolExecutor(1) as pool:
            return real(*args, executor=pool, progress=False, retries=0, **kwargs)

    monkeypatch.setattr(sweep_module, "sweep", on_a_thread)
    scenario = tmp_path / "fails.yaml"
    scenario.write_text(json.dumps({**GOOD, "manifests": ["missing.yaml"]}))
    assert main(["sweep", str(scenario), "--grid", "cluster.nodes=1,2"]) == 1
    captured = capsys.readouterr()
    summary = [line for line in captured.err.splitlines() if line.startswith("simkit: ")]
    assert len(summary) == 1 and summary[0].startswith("simkit: 2 of 2 runs failed: ")
    assert "missing.yaml" in summary[0] and "cluster.nodes=1 seed 0" in summary[0]
    assert "<scenario>" not in summary[0]
    for text in ("Warning", "warnings.warn", "Traceback", "stacklevel"):
        assert text not in captured.err
    assert "run_id" in captured.out  # the table still shows every run

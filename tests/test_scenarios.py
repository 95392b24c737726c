"""Scenario files: validation with file, line and field; overrides; a full run."""

from __future__ import annotations

from pathlib import Path

import pytest

from simkit.scenarios import ScenarioError, load_scenario, metrics, run

SCENARIOS = Path(__file__).resolve().parents[1] / "simkit" / "data" / "scenarios"


def test_every_bundled_scenario_validates():
    names = sorted(p.name for p in SCENARIOS.glob("*.yaml"))
    assert "default.yaml" in names
    for path in SCENARIOS.glob("*.yaml"):
        assert load_scenario(path).name


def test_errors_name_file_line_and_field(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "name: bad\nduration: 1h\nworkloads:\n  - namespace: a\n    name: b\n"
        "    image: x\n    replicas: many\n"
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = str(info.value)
    assert message.startswith(f"{path}:7: workloads.0.replicas: ")
    assert "valid integer" in message and "'many'" in message


def test_unknown_field_and_bad_duration(tmp_path):
    path = tmp_path / "typo.yaml"
    path.write_text("name: t\nduration: 1h\ncluster:\n  nodez: 3\n")
    with pytest.raises(ScenarioError, match=r"typo.yaml:4: cluster.nodez: unknown field"):
        load_scenario(path)
    with pytest.raises(ScenarioError, match=r"duration: .*invalid duration '5x'"):
        load_scenario({"name": "t", "duration": "5x"})


def test_unknown_config_setting_is_refused():
    with pytest.raises(ScenarioError, match="unknown setting"):
        load_scenario({"name": "t", "duration": "1h", "cluster": {"config": {"speed": 1}}})


def test_passwords_never_appear_in_scenario_errors():
    raw = {
        "name": "t",
        "duration": "1h",
        "registries": [{"host": "r.example", "users": {"u": ["not-a-string-s3cret"]}}],
    }
    with pytest.raises(ScenarioError) as info:
        load_scenario(raw)
    assert "s3cret" not in str(info.value)


def test_overrides_by_dotted_name():
    scenario = load_scenario(
        SCENARIOS / "default.yaml",
        {"cluster.config.scheduled_import_interval": "5m", "defaults.pull_policy": "Always"},
    )
    assert scenario.cluster.config["scheduled_import_interval"] == 300.0
    assert scenario.defaults.pull_policy == "Always"


def test_default_scenario_runs_and_is_deterministic():
    first = metrics(run(SCENARIOS / "default.yaml", {"duration": "2d"}))
    second = metrics(run(SCENARIOS / "default.yaml", {"duration": "2d"}))
    assert first == second
    assert first["imports"] > 0 and first["pulls_pulled"] > 0
    assert first["pods_running"] > 0

"""What-if scenarios: YAML files describing a cluster over time, validated and run.

Examples
--------
>>> from simkit.scenarios import run
>>> run({"name": "empty", "duration": "10m"}).now
600.0
"""

from simkit.scenarios.loading import ScenarioError, load_scenario, parse_override
from simkit.scenarios.runner import build, metrics, run, run_metrics
from simkit.scenarios.schema import Scenario

__all__ = [
    "Scenario",
    "ScenarioError",
    "build",
    "load_scenario",
    "metrics",
    "parse_override",
    "run",
    "run_metrics",
]

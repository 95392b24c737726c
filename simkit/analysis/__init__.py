"""DataFrames from a simulation's event log and state: import lag, staleness, who can pull.

Each module answers one question:

- :mod:`.imports`: :func:`import_lag`, how long each upstream move took to reach the
  stream tags that import it;
- :mod:`.conventions`: :func:`classify_tag`, :func:`semver_level`, :func:`tag_flags`,
  which row of OpenShift's tag-convention table a tag name follows;
- :mod:`.lint`: :func:`lint_image_streams`, those findings for image streams or files;
- :mod:`.strategies`: :func:`stream_tags`, :func:`tag_strategy`, how each tag gets its
  images (permanent, alias, scheduled, reference, local, imported-once, pushed);
- :mod:`.timelines`: :func:`stream_tag_changes`, :func:`upstream_changes`,
  :func:`tag_history`, what tags pointed at over time;
- :mod:`.staleness`: :func:`stale_tag_risk`, :func:`stale_episodes`,
  :func:`staleness_over_time`, how long tags lagged behind their source;
- :mod:`.workloads`: :func:`workload_staleness`, :func:`stale_pod_time`,
  :func:`exposure_windows`, pods running older images than their tag;
- :mod:`.summaries`: :func:`group_risk`, those tables per strategy, convention, policy
  or node;
- :mod:`.pull_access`: :func:`pull_grants`, :func:`pull_subjects`, RBAC's pull grants,
  evaluated once per binding;
- :mod:`.who_can_pull`: :func:`who_can_pull`, the graph from subjects to the streams and
  registries they can pull; :func:`accessible`;
- :mod:`.pull_matrix`: :func:`pull_matrix`, subjects × streams;
- :mod:`.pull_summary`: :func:`pull_matrix_by_project`, that matrix by project pair;
- :mod:`.registry_access`: :func:`registry_coverage`, service accounts × external
  registries through pull secrets;
- :mod:`.explain`: :func:`explain_pull`, why a subject can or cannot pull something;
- :mod:`.diff`: :func:`diff`, access gained and lost between two graphs or matrices;
- :mod:`.cached_exposure`: :func:`cached_exposure`, private images on nodes that pods
  without credentials could run (KEP-2535);
- :mod:`.pulls`: :func:`pull_outcomes`, :func:`drift`, :func:`drift_over_time`, the
  kubelet's pull decisions and nodes disagreeing on an image name.

Examples
--------
>>> import simkit as sk
>>> from simkit.analysis import classify_tag, stale_tag_risk
>>> classify_tag("v2.0-x86_64")
'architecture'
>>> sim = sk.Simulation()
>>> _ = sim.registry("quay.io").push("acme/ruby", "2.7")
>>> _ = sim.oc("tag --scheduled quay.io/acme/ruby:2.7 ruby:2.7")
>>> sim.advance("1h")
>>> stale_tag_risk(sim)[["tag", "strategy", "stale_fraction"]]
                tag   strategy  stale_fraction
0  default/ruby:2.7  scheduled             0.0
"""

from simkit.analysis.cached_exposure import cached_exposure
from simkit.analysis.conventions import classify_tag, semver_level, tag_flags
from simkit.analysis.diff import diff
from simkit.analysis.explain import explain_pull
from simkit.analysis.import_lag import import_lag
from simkit.analysis.lint import lint_image_streams
from simkit.analysis.pull_access import pull_grants, pull_subjects
from simkit.analysis.pull_matrix import pull_matrix
from simkit.analysis.pull_summary import pull_matrix_by_project
from simkit.analysis.pulls import drift, drift_over_time, pull_outcomes
from simkit.analysis.registry_access import registry_coverage
from simkit.analysis.staleness import (
    resolve_sources,
    stale_episodes,
    stale_tag_risk,
    staleness_over_time,
    tag_history,
)
from simkit.analysis.strategies import stream_tags, tag_strategy
from simkit.analysis.summaries import group_risk
from simkit.analysis.throttle import ThrottleModel, throttle_model
from simkit.analysis.timelines import stream_tag_changes, upstream_changes
from simkit.analysis.who_can_pull import accessible, who_can_pull
from simkit.analysis.workloads import (
    exposure_windows,
    pod_reference,
    running_intervals,
    stale_pod_time,
    workload_staleness,
)

__all__ = [
    "ThrottleModel",
    "throttle_model",
    "accessible",
    "cached_exposure",
    "classify_tag",
    "diff",
    "drift",
    "drift_over_time",
    "explain_pull",
    "exposure_windows",
    "group_risk",
    "import_lag",
    "lint_image_streams",
    "pod_reference",
    "pull_grants",
    "pull_matrix",
    "pull_matrix_by_project",
    "pull_outcomes",
    "pull_subjects",
    "registry_coverage",
    "resolve_sources",
    "running_intervals",
    "semver_level",
    "stale_episodes",
    "stale_pod_time",
    "stale_tag_risk",
    "staleness_over_time",
    "stream_tag_changes",
    "stream_tags",
    "tag_flags",
    "tag_history",
    "tag_strategy",
    "upstream_changes",
    "who_can_pull",
    "workload_staleness",
]

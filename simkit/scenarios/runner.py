"""Turning a :class:`Scenario` into a running :class:`~simkit.Simulation`, and its metrics.

Set-up happens at time 0 in this order: projects, registries (initial tags, release
models, rate limits), manifests (``oc create -f``), image streams (``oc tag``); pull
secrets at 30 s (once the projects' service accounts exist); workloads at one minute.
Faults and commands run at their ``at`` times, then the simulation runs to ``duration``.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simkit.config import Config
from simkit.events import IMPORT, IMPORT_FAILED, PULL, ROLLOUT
from simkit.redact import redact_command
from simkit.scenarios.loading import ScenarioError, load_scenario, scenario_path
from simkit.scenarios.schema import FaultSpec, Scenario, WorkloadSpec
from simkit.simulation import Simulation

if TYPE_CHECKING:
    import pandas as pd

SECRETS_AT = 30.0
WORKLOADS_AT = 60.0


def build(
    scenario: Scenario, *, seed: int | None = None, base_dir: Path | None = None
) -> Simulation:
    """A simulation at time 0 with everything of ``scenario`` set up or scheduled."""
    try:
        config = Config().replace(**scenario.cluster.config)
    except (TypeError, ValueError) as exc:
        raise ScenarioError(str(exc), field="cluster.config") from None
    sim = Simulation(
        seed=scenario.seed if seed is None else seed,
        start=scenario.start,
        nodes=scenario.cluster.nodes,
        config=config,
    )
    sim.scenario = scenario
    for project in scenario.cluster.projects:
        _oc(sim, f"new-project {project} --skip-config-write", "cluster.projects")
    _registries(sim, scenario)
    for i, manifest in enumerate(scenario.manifests):
        path = Path(manifest)
        if base_dir is not None and not path.is_absolute():
            path = base_dir / path
        _oc(sim, f"create -f {path}", f"manifests.{i}")
    _fleet(sim, scenario)
    for i, stream in enumerate(scenario.image_streams):
        for j, tag in enumerate(stream.tags):
            _oc(sim, tag.oc_command(stream.namespace, stream.name), f"image_streams.{i}.tags.{j}")
    sim.engine.at(SECRETS_AT, _secrets, sim, scenario)
    for workload in scenario.workloads:
        sim.engine.at(WORKLOADS_AT, _workload, sim, workload, scenario.defaults.pull_policy)
    for fault in scenario.faults:
        sim.engine.at(fault.at, _fault, sim, fault)
    for command in scenario.commands:
        sim.engine.at(command.at, _command, sim, command.oc)
    return sim


def _oc(sim: Simulation, line: str, field: str) -> str:
    from simkit.oc import OcError

    try:
        return sim.oc(line)
    except OcError as exc:
        raise ScenarioError(f"oc {redact_command(line)}: {exc}", field=field) from None


def _registries(sim: Simulation, scenario: Scenario) -> None:
    from simkit.upstream import start_release_model

    for i, spec in enumerate(scenario.registries):
        registry = sim.registry(
            spec.host, users=spec.users, auth_server=spec.auth_server, insecure=spec.insecure
        )
        if spec.rate_limit is not None:
            registry.limit_rate(
                spec.rate_limit.pulls,
                spec.rate_limit.window,
                anonymous_only=spec.rate_limit.anonymous_only,
            )
        for j, repo in enumerate(spec.repositories):
            for tag in repo.tags:
                registry.push(repo.name, tag)
            if repo.model is not None:
                try:
                    start_release_model(sim, registry, repo.name, repo.model, repo.params)
                except ValueError as exc:
                    raise ScenarioError(
                        str(exc), field=f"registries.{i}.repositories.{j}.params"
                    ) from None


def _fleet(sim: Simulation, scenario: Scenario) -> None:
    """``fleet.streams`` upstream repositories rebuilt on a cadence, each tagged in."""
    from simkit.upstream import start_release_model

    fleet = scenario.fleet
    if not fleet.streams:
        return
    if sim.cluster.get("Project", ("", fleet.namespace)) is None:
        _oc(sim, f"new-project {fleet.namespace} --skip-config-write", "fleet.namespace")
    registry = sim.registry(fleet.registry)
    flags = "--scheduled " if fleet.scheduled else ""
    if fleet.reference_policy == "local":
        flags += "--reference-policy=local "
    for i in range(fleet.streams):
        repository = fleet.repository.format(i=i)
        registry.push(repository, fleet.tag)
        if fleet.rebuild_every:
            start_release_model(
                sim,
                registry,
                repository,
                "rebuilds",
                {"tags": [fleet.tag], "every": fleet.rebuild_every},
            )
        name = repository.rsplit("/", 1)[-1]
        _oc(
            sim,
            f"tag {flags}{fleet.registry}/{repository}:{fleet.tag} {name}:{fleet.tag} "
            f"-n {fleet.namespace}",
            "fleet",
        )


def _secrets(sim: Simulation, scenario: Scenario) -> None:
    for i, secret in enumerate(scenario.secrets):
        q = shlex.quote  # a password may hold spaces and quotes
        _oc(
            sim,
            f"create secret docker-registry {q(secret.name)} -n {q(secret.namespace)} "
            f"--docker-server={q(secret.server)} --docker-username={q(secret.username)} "
            f"--docker-password={q(secret.password)}",
            f"secrets.{i}",
        )
        for account in secret.link:
            _oc(
                sim,
                f"secrets link {account} {secret.name} --for={secret.link_for} "
                f"-n {secret.namespace}",
                f"secrets.{i}.link",
            )


def _workload(sim: Simulation, spec: WorkloadSpec, default_policy: str | None) -> None:
    sim.deploy(
        spec.namespace,
        spec.name,
        spec.image,
        replicas=spec.replicas,
        pull_policy=spec.pull_policy or default_policy,
        trigger=spec.trigger,
        kind=spec.kind,
        service_account=spec.service_account,
    )
    if spec.restart_every:
        sim.engine.every(spec.restart_every, _restart, sim, spec.kind, spec.namespace, spec.name)


def _restart(sim: Simulation, kind: str, namespace: str, name: str) -> None:
    """Restart every running container of the workload (each re-ensures its image)."""
    for pod in list(sim.workload_controller.pods.get((kind, namespace, name), ())):
        if pod.status == "Running":
            sim.kubelet.restart(pod)


def _fault(sim: Simulation, fault: FaultSpec) -> None:
    # FaultSpec's validator requires the fields of each type
    if fault.type == "registry_outage":
        assert fault.registry is not None and fault.duration is not None
        sim.registry(fault.registry).outage(fault.duration)
    elif fault.type == "rate_limit":
        assert fault.registry is not None and fault.pulls is not None
        assert fault.window is not None
        sim.registry(fault.registry).limit_rate(fault.pulls, fault.window)
    else:
        assert fault.node is not None
        sim.kubelet.lose_node(fault.node)
        if fault.replace_after is not None:
            sim.engine.after(fault.replace_after, sim.kubelet.replace_node, fault.node)


def _command(sim: Simulation, line: str) -> None:
    from simkit.oc import OcError

    try:
        sim.oc(line)
    except OcError as exc:
        sim.record("scenario_command_failed", line=line, error=str(exc).splitlines()[0])


def run(
    source: str | Path | Mapping[str, Any] | Scenario,
    overrides: Mapping[str, Any] | None = None,
    *,
    seed: int | None = None,
    progress: bool = False,
) -> Simulation:
    """Load, build and run a scenario to its end; returns the finished simulation.

    Examples
    --------
    >>> sim = run({"name": "tiny", "duration": "1h", "cluster": {"nodes": 1}})
    >>> sim.now
    3600.0
    """
    if isinstance(source, Scenario):
        scenario, base = source, None
    else:
        scenario = load_scenario(source, overrides)
        base = scenario_path(source).parent if isinstance(source, str | Path) else None
    sim = build(scenario, seed=seed, base_dir=base)
    advance_with_progress(sim, scenario.duration, progress=progress, label=scenario.name)
    return sim


def advance_with_progress(
    sim: Simulation, duration: float, *, progress: bool, label: str = ""
) -> None:
    """Advance ``duration`` seconds, showing a progress bar in simulated hours."""
    if not progress:
        sim.advance(duration)
        return
    from tqdm.auto import tqdm

    steps = max(1, min(500, int(duration // 3600) or 1))
    chunk = duration / steps
    with tqdm(total=steps, desc=label or "simulating", unit="step", leave=False) as bar:
        for _ in range(steps):
            sim.advance(chunk)
            bar.update(1)


def metrics(sim: Simulation) -> dict[str, float | int]:
    """Headline figures of a finished run, for sweeps and reports (JSON-friendly)."""
    from simkit.analysis import import_lag

    kinds = sim.log.kinds()  # counts, without building a frame of the whole log
    out: dict[str, float | int] = {
        "events": len(sim.log),
        # every ImageStreamImport: those performed one by one plus the scheduled ones
        # known to change nothing, which are counted in bulk (see controllers.scheduled_imports)
        "imports": kinds.get(IMPORT, 0) + sim.scheduled_import_controller.unchanged,
        "imports_unchanged": sim.scheduled_import_controller.unchanged,
        "import_failures": kinds.get(IMPORT_FAILED, 0),
        "rollouts": kinds.get(ROLLOUT, 0),
    }
    lag = import_lag(sim)
    done = lag[lag["imported"].notna()] if len(lag) else lag
    seconds = done["lag"].dt.total_seconds() if len(done) else None
    out["import_lag_median_s"] = float(seconds.median()) if seconds is not None else 0.0
    out["import_lag_max_s"] = float(seconds.max()) if seconds is not None else 0.0
    pulls = sim.events_of(PULL, columns=["decision", "bytes"])
    decisions: pd.Series[int] | dict[str, int] = (
        pulls["decision"].value_counts() if "decision" in pulls else {}
    )
    for decision in ("pulled", "cached", "failed", "backoff", "never", "refused"):
        out[f"pulls_{decision}"] = int(decisions.get(decision, 0))
    out["bytes_pulled"] = int(pulls["bytes"].fillna(0).sum()) if "bytes" in pulls else 0
    pods = sim.pods()
    out["pods"] = len(pods)
    out["pods_running"] = sum(p.status == "Running" for p in pods)
    out["pods_failing"] = sum(p.status in ("ErrImagePull", "ImagePullBackOff") for p in pods)
    stale = [p for p in pods if p.status == "Running" and _runs_stale(sim, p)]
    out["pods_stale"] = len(stale)
    out["stale_share"] = (len(stale) / out["pods_running"]) if out["pods_running"] else 0.0
    return out


def _runs_stale(sim: Simulation, pod) -> bool:
    """Whether the pod runs another digest than its image reference resolves to now."""
    from simkit.refs import InvalidReference, parse_image

    try:
        ref = parse_image(pod.image)
    except InvalidReference:
        return False
    if ref.digest:
        return False
    if ref.domain == sim.config.internal_registry:
        namespace, _, stream = ref.path.partition("/")
        current = sim.tag_image(f"{namespace}/{stream}:{ref.tag or 'latest'}")
    else:
        registry = sim.registries.get(ref.domain)
        current = registry.tags(ref.path).get(ref.tag or "latest") if registry else None
    return current is not None and current != pod.image_digest


def run_metrics(path: str | Path, params: Mapping[str, Any], seed: int) -> dict:
    """Run the scenario at ``path`` with dotted-name overrides and a seed; its metrics."""
    return metrics(run(path, params, seed=seed))

"""``oc get all`` and ``oc status``: what a project holds, at a glance.

``oc get all`` (kubectl ``get`` on the ``all`` category) lists, of the kinds that
category names, those simkit stores: pods, ``deployment.apps``,
``deploymentconfig.apps.openshift.io`` and ``imagestream.image.openshift.io``, in
discovery order, each as its own table headed by its columns, names printed as
``kind.group/name`` (kubectl prints the kind when it prints several), tables separated
by a blank line.  Columns: pods as ``oc get pods``; Deployments ``READY UP-TO-DATE
AVAILABLE AGE`` (kubernetes ``pkg/printers/internalversion/printers.go``,
``printDeployment``); DeploymentConfigs ``REVISION DESIRED CURRENT TRIGGERED BY``
(openshift-apiserver ``pkg/apps/printers/internalversion/printer.go``,
``printDeploymentConfig``: ``image(STREAM:TAG)`` per automatic image trigger, sorted,
joined by commas); image streams as ``oc get is``.  The ReplicaSets and
ReplicationControllers a real cluster would list with them are not stored by simkit.

``oc status`` restates openshift/oc ``pkg/helpers/describe/projectstatus.go``
(``ProjectStatusDescriber.Describe``) for what simkit stores: the project and server
line, then each DeploymentConfig, each Deployment and each bare running pod, a blank line
before each; a workload following an image stream tag ``deploys istag/STREAM:TAG``, one
without triggers ``deploys IMAGE``; under it its revisions, newest first
(``describeDeploymentStatus``, ``describeDeploymentConfigDeploymentStatus``, at most 3
for a DeploymentConfig, ``maxDisplayDeployments``) with the pod summary
(``describePodSummaryInline``).  The closing hint is upstream's; simkit has no services,
routes or builds, and raises none of upstream's markers (crash-looping pods, missing
probes ...).
"""

from __future__ import annotations

from simkit._go.tabwriter import align
from simkit.oc.command import Flag, Invocation, OcError, command
from simkit.oc.commands.projects import SERVER
from simkit.oc.humanize import api_seconds, human_duration, short_duration
from simkit.oc.printers import _last_updated, tags_up_to_width
from simkit.oc.workload_status import rollout_state, rollout_times
from simkit.state.workloads import RUNNING, TERMINATED, Workload

MAX_DISPLAY_DEPLOYMENTS = 3
"""``maxDisplayDeployments`` (oc ``pkg/helpers/describe/deployments.go``)."""

REVISION_HISTORY_LIMIT = 10
"""A Deployment's default ``revisionHistoryLimit``: old ReplicaSets kept."""


# -- oc get all -----------------------------------------------------------------------------
@command(
    "get",
    "all",
    flags=(
        Flag("output", "o", default=""),
        Flag("all-namespaces", "A", value=False, default=False),
        Flag("no-headers", value=False, default=False),
    ),
)
def get_all(inv: Invocation) -> str:
    """``oc get all [-o name] [-A] [--no-headers]``."""
    if inv.args:
        raise OcError(
            "error: simkit lists 'all' as a whole; name objects with their own "
            "type (oc get pod NAME)"
        )
    output = inv.flag("output")
    if output not in ("", "name"):
        raise OcError(f'error: simkit prints "oc get all" as tables or -o name, not "{output}"')
    everywhere = bool(inv.flag("all-namespaces"))
    namespace = None if everywhere else inv.namespace

    def listed(kind: str) -> list:
        return sorted(inv.tx.list(kind, namespace), key=lambda o: (o.namespace, o.name))

    pods = listed("Pod")
    every_pod = inv.tx.list("Pod", namespace)
    blocks = [
        (
            "pod",
            pods,
            ["READY", "STATUS", "RESTARTS", "AGE"],
            lambda p: [
                "1/1" if p.status == RUNNING else "0/1",
                p.status,
                str(p.restarts),
                short_duration(inv.now - p.created),
            ],
        ),
        (
            "deployment.apps",
            listed("Deployment"),
            ["READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
            lambda d: _deployment_row(inv, d, every_pod),
        ),
        (
            "deploymentconfig.apps.openshift.io",
            listed("DeploymentConfig"),
            ["REVISION", "DESIRED", "CURRENT", "TRIGGERED BY"],
            lambda d: _deployment_config_row(inv, d, every_pod),
        ),
        (
            "imagestream.image.openshift.io",
            listed("ImageStream"),
            ["IMAGE REPOSITORY", "TAGS", "UPDATED"],
            lambda s: [s.docker_image_repository, tags_up_to_width(s), _last_updated(s, inv.now)],
        ),
    ]
    if output == "name":
        return "".join(f"{prefix}/{o.name}\n" for prefix, objects, _, _ in blocks for o in objects)
    tables = []
    for prefix, objects, columns, cells in blocks:
        if not objects:
            continue
        header = (["NAMESPACE"] if everywhere else []) + ["NAME", *columns]
        rows = [
            (([o.namespace] if everywhere else []) + [f"{prefix}/{o.name}", *cells(o)])
            for o in objects
        ]
        lines = ([] if inv.flag("no-headers") else [header]) + rows
        tables.append(align("".join("\t".join(row) + "\n" for row in lines)))
    if not tables:
        if everywhere:
            return "No resources found\n"
        return f"No resources found in {inv.namespace} namespace.\n"
    return "\n".join(tables)


def _deployment_row(inv: Invocation, workload: Workload, pods: list) -> list[str]:
    state = rollout_state(inv.sim, workload, pods)
    return [
        f"{state.ready}/{workload.replicas}",
        str(state.updated),
        str(state.available),
        short_duration(inv.now - workload.created),
    ]


def _deployment_config_row(inv: Invocation, workload: Workload, pods: list) -> list[str]:
    state = rollout_state(inv.sim, workload, pods)
    triggers = sorted({f"image({t.stream_tag})" for t in workload.triggers if t.automatic})
    return [str(workload.revision), str(workload.replicas), str(state.updated), ",".join(triggers)]


# -- oc status ------------------------------------------------------------------------------
# oc pkg/cli/status/status.go NewCmdStatus; -o dot (a graph) is not modelled, nor its
# example
@command(
    "status",
    flags=(
        Flag("suggest", value=False, default=False),
        Flag("all-namespaces", "A", value=False, default=False),
    ),
    use="status [--suggest]",
    short="Show an overview of the current project",
    long="""
    Show a high level overview of the current project.

    This command will show services, deployment configs, build configurations, and active
    deployments. If you have any misconfigured components information about them will be
    shown. For more information about individual items, use the describe command (e.g. oc
    describe buildconfig, oc describe deploymentconfig, oc describe service).""",
    example="""
    # See an overview of the current project
    oc status

    # See an overview of the current project including details for any identified issues
    oc status --suggest""",
    usage={
        "suggest": "See details for resolving issues.",
        "all-namespaces": "If true, display status for all namespaces (must have cluster admin)",
    },
)
def status(inv: Invocation) -> str:
    """``oc status``: the project's deployments, what they deploy and their revisions."""
    if inv.flag("all-namespaces"):
        raise OcError("error: simkit's oc status describes one project; use -n NAMESPACE")
    namespace = inv.namespace
    project = inv.tx.get("Project", ("", namespace))
    shown = namespace
    if project is not None and project.display_name and project.display_name != namespace:
        shown = f"{project.display_name} ({namespace})"
    out = [f"In project {shown} on server {SERVER}\n"]
    pods = sorted(inv.tx.list("Pod", namespace), key=lambda p: p.name)
    configs = sorted(inv.tx.list("DeploymentConfig", namespace), key=lambda w: w.name)
    deployments = sorted(inv.tx.list("Deployment", namespace), key=lambda w: w.name)
    for workload in (*configs, *deployments):
        out.append("\n")
        out.extend(
            f"{'  ' if i else ''}{line}\n"
            for i, line in enumerate(_describe_workload(inv, workload, pods))
        )
    for pod in pods:
        if not pod.owner and pod.status != TERMINATED:
            out.append(f"\npod/{pod.name} runs {pod.image}\n")
    out.append("\n")
    if not configs:  # upstream counts services, DeploymentConfigs and build pipelines
        out.append(
            "You have no services, deployment configs, or build configs.\n"
            "Run 'oc new-app' to create an application.\n"
        )
    else:
        out.append(
            "View details with 'oc describe <resource>/<name>' or list resources with "
            "'oc get all'.\n"
        )
    return "".join(out)


def _image(workload: Workload) -> str:
    """What the workload deploys: ``istag/STREAM:TAG`` (another namespace's as
    ``NS/STREAM:TAG``), or the container image when nothing triggers it."""
    if len(workload.triggers) == 1:
        trigger = workload.triggers[0]
        if trigger.namespace and trigger.namespace != workload.namespace:
            return f"{trigger.namespace}/{trigger.stream_tag}"
        return f"istag/{trigger.stream_tag}"
    return workload.template_image.strip()


def _summary(
    ready: int, actual: int, requested: int, include_empty: bool, restarts: int = 0
) -> str:
    """``describePodSummaryInline``: `` - 1 pod``, `` - 0/2 pods growing to 2`` ..."""
    warn = f" (warning: {restarts} restarts)" if restarts > 0 else ""
    if ready == requested:
        if ready == 0:
            if not include_empty:
                return ""
            text = "0 pods"
        else:
            text = (f"{ready} pods" if ready > 1 else "1 pod") + warn
    else:
        text = f"{ready}/{requested} pods" + warn
    change = ""
    if requested < actual:
        change = f" reducing to {requested}"
    elif requested > actual:
        change = f" growing to {requested}"
    return f" - {text}{change}"


def _describe_workload(inv: Invocation, workload: Workload, pods: list) -> list[str]:
    dc = workload.kind == "DeploymentConfig"
    name = f"{'dc' if dc else 'deployment'}/{workload.name}"
    image = _image(workload)
    if dc:
        manual = "" if workload.triggers else "(manual)"
        lines = [f"{name} deploys {image} {manual}"]
    elif len(workload.triggers) == 1:
        lines = [f"{name} deploys {image} "]
    else:
        lines = [f"{name} deploys {image}"]
    times = rollout_times(inv.sim, workload)
    owned = [p for p in pods if p.owner.startswith(f"{workload.kind}/{workload.name}#")]
    if workload.revision == 0:
        on = "on image" if workload.triggers else "for manual"
        if dc:
            lines.append(f"deployment #1 waiting {on}")
        return lines
    state = rollout_state(inv.sim, workload, pods)
    revisions = sorted(times, reverse=True)
    limit = MAX_DISPLAY_DEPLOYMENTS if dc else REVISION_HISTORY_LIMIT + 1
    for revision in revisions[:limit]:
        age = human_duration(inv.now - api_seconds(times[revision])).lower()
        mine = [p for p in owned if p.owner.endswith(f"#{revision}")]
        ready = sum(p.status == RUNNING for p in mine)
        if revision == workload.revision:
            requested = workload.replicas
            restarts = state.restarts
            if dc and state.complete:
                lines.append(
                    f"deployment #{revision} deployed {age} ago"
                    + _summary(ready, len(mine), requested, True, restarts)
                )
            else:
                lines.append(
                    f"deployment #{revision} running for {age}"
                    + _summary(ready, len(mine), requested, False, restarts)
                )
        else:
            lines.append(
                f"deployment #{revision} deployed {age} ago"
                + _summary(ready, len(mine), len(mine), False)
            )
    return lines

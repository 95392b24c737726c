"""``oc rollout restart`` and ``oc rollout status``.

Restated from kubectl v0.35 as oc vendors it (openshift/oc 6b8e30c, ``vendor/k8s.io/
kubectl/pkg/cmd/rollout/rollout_restart.go``, ``pkg/polymorphichelpers/
objectrestarter.go``, ``rollout_status.go``) and oc's own DeploymentConfig status viewer
(``pkg/helpers/originpolymorphichelpers/deploymentconfigs/status.go``):

- ``restart`` sets the pod template annotation ``kubectl.kubernetes.io/restartedAt`` to
  the current second (RFC 3339) and patches the Deployment, which rolls out new pods;
  it prints ``deployment.apps/NAME restarted``.  A second restart within the same second
  makes an empty patch and fails (``failed to create patch for NAME: if restart has
  already been triggered within the past second, ...``).  Only Deployments restart:
  anything else is ``restarting is not supported``.
- ``status`` prints the status viewer's line for the rollout as it stands now, as
  ``--watch=false`` does: simkit does not wait (advance the simulation and ask again).

The help of each is oc's: kubectl's ``NewCmdRolloutRestart`` (``rollout_restart.go``,
through ``cmdutil.ReplaceCommandName``) and ``NewCmdRolloutStatus`` with oc's own
``statusLong``/``statusExample`` (``pkg/cli/rollout/rollout.go``), the examples limited
to the forms simkit accepts (deployments by name).
"""

from __future__ import annotations

from simkit.oc.command import Flag, Invocation, OcError, Usage, command
from simkit.oc.commands.workloads import _PREFIX, _WORKLOAD_KINDS
from simkit.oc.workload_status import rollout_state
from simkit.state.workloads import Workload

_RESOURCE = {
    "Deployment": "deployments.apps",
    "DeploymentConfig": "deploymentconfigs.apps.openshift.io",
}


def _targets(inv: Invocation) -> list[tuple[str, str]]:
    """``TYPE/NAME ...`` or ``TYPE NAME ...`` as ``(kind, name)`` pairs."""
    if not inv.args:
        raise OcError("error: required resource not specified")
    pairs = []
    if all("/" in arg for arg in inv.args):
        for arg in inv.args:
            word, _, name = arg.partition("/")
            pairs.append((_kind(word), name))
        return pairs
    if any("/" in arg for arg in inv.args):
        raise OcError(
            "error: there is no need to specify a resource type as a separate "
            "argument when passing arguments in resource/name form (e.g. 'oc get "
            "resource/<resource_name>' instead of 'oc get resource "
            "resource/<resource_name>'"
        )
    kind = _kind(inv.args[0])
    if len(inv.args) == 1:
        raise OcError("error: resource(s) were provided, but no name was specified")
    return [(kind, name) for name in inv.args[1:]]


def _kind(word: str) -> str:
    kind = _WORKLOAD_KINDS.get(word.lower())
    if kind is None:
        known = word.lower() in ("pod", "pods", "po", "is", "imagestream", "imagestreams")
        if known:
            raise OcError(
                f"error: no rollout support for {word}: simkit models rollouts "
                "of deployments and deploymentconfigs"
            )
        raise OcError(f'error: the server doesn\'t have a resource type "{word}"')
    return kind


def _get(inv: Invocation, kind: str, name: str) -> Workload:
    workload = inv.tx.get(kind, (inv.namespace, name))
    if workload is None:
        raise OcError(f'Error from server (NotFound): {_RESOURCE[kind]} "{name}" not found')
    return workload


@command(
    "rollout",
    "restart",
    use="restart RESOURCE",
    flags_in_use=False,
    short="Restart a resource",
    long="""
    Restart a resource.

            Resource rollout will be restarted.""",
    example="""
    # Restart a deployment
    kubectl rollout restart deployment/nginx""",
)
def rollout_restart(inv: Invocation) -> str:
    """``oc rollout restart deployment/NAME [...]``: new pods from a changed template."""
    targets = [(kind, name, _get(inv, kind, name)) for kind, name in _targets(inv)]
    stamp = inv.sim.rfc3339()
    lines, errors, restarted = [], [], []
    for kind, name, workload in targets:
        if kind != "Deployment":
            errors.append(f'error: {_RESOURCE[kind]} "{name}" restarting is not supported')
        elif workload.restarted_at == stamp:
            errors.append(
                f"error: failed to create patch for {name}: if restart has already "
                "been triggered within the past second, please wait before "
                "attempting to trigger another"
            )
        else:
            restarted.append(workload)
            lines.append(f"{_PREFIX[kind]}/{name} restarted\n")
    if errors:  # simkit's commands are all or nothing: nothing restarts
        raise OcError("".join(lines) + "\n".join(errors))
    controller = inv.sim.workload_controller

    def restart() -> None:
        for workload in restarted:
            workload.restarted_at = stamp
            controller.rollout(workload, cause="restart")

    for workload in restarted:
        inv.tx.record(
            "rollout_restarted",
            workload_kind=workload.kind,
            namespace=workload.namespace,
            workload=workload.name,
            restarted_at=stamp,
        )
    inv.tx.after_commit(restart)
    return "".join(lines)


@command(
    "rollout",
    "status",
    flags=(Flag("watch", "w", value=False, default=True), Flag("revision", default="0")),
    use="status (TYPE NAME | TYPE/NAME) [flags]",
    flags_in_use=False,
    short="Show the status of the rollout",
    long="""
    Show the status of the rollout.

    By default 'rollout status' will watch the status of the latest rollout
    until it is done. If you do not want to wait for the rollout to finish then
    you can use --watch=false. Note that if a new rollout starts in-between, then
    'rollout status' will continue watching the latest revision. If you want to
    pin to a specific revision and abort if it is rolled over by another revision,
    use --revision=N where N is the revision you need to watch for.""",
    example="""
    # Watch the rollout status of a deployment
    oc rollout status deployment/nginx""",
    usage={
        "watch": "Watch the status of the rollout until it's done.",
        "revision": Usage(
            "Pin to a specific revision for showing its status. Defaults to 0 (last revision).",
            type="int64",
            default="0",
        ),
    },
)
def rollout_status(inv: Invocation) -> str:
    """``oc rollout status deployment/NAME``: the status viewer's line now (no waiting)."""
    targets = _targets(inv)
    if len(targets) != 1:
        raise OcError(
            "error: rollout status is only supported on individual resources and "
            "resource collections are not supported yet"
        )
    kind, name = targets[0]
    workload = _get(inv, kind, name)
    try:
        wanted = int(inv.flag("revision"))
    except ValueError:
        raise OcError(
            f'error: invalid argument "{inv.flag("revision")}" for "--revision" '
            "flag: strconv.ParseInt: parsing: invalid syntax"
        ) from None
    if wanted > 0 and wanted != workload.revision:
        raise OcError(
            f"error: desired revision ({wanted}) is different from the running "
            f"revision ({workload.revision})"
        )
    if kind == "Deployment":
        return _deployment_status(inv, workload)
    return _deployment_config_status(inv, workload)


def _deployment_status(inv: Invocation, workload: Workload) -> str:
    """kubectl ``DeploymentStatusViewer.Status``."""
    state = rollout_state(inv.sim, workload, inv.tx.list("Pod", workload.namespace))
    name = workload.name
    if state.timed_out(inv.now):
        raise OcError(f'error: deployment "{name}" exceeded its progress deadline')
    waiting = f'Waiting for deployment "{name}" rollout to finish: '
    if state.updated < state.replicas:
        return waiting + (
            f"{state.updated} out of {state.replicas} new replicas have been updated...\n"
        )
    if state.total > state.updated:
        return waiting + f"{state.total - state.updated} old replicas are pending termination...\n"
    if state.available < state.updated:
        return waiting + (
            f"{state.available} of {state.updated} updated replicas are available...\n"
        )
    return f'deployment "{name}" successfully rolled out\n'


def _deployment_config_status(inv: Invocation, workload: Workload) -> str:
    """oc ``DeploymentConfigStatusViewer.Status``; the newest RC is ``NAME-REVISION``."""
    name = workload.name
    if workload.revision == 0:
        if workload.triggers:
            return f'Deployment config "{name}" waiting on image update\n'
        raise OcError(
            f'error: Deployment config "{name}" waiting on manual update (use '
            f"'oc rollout latest {name}')"
        )
    state = rollout_state(inv.sim, workload, inv.tx.list("Pod", workload.namespace))
    rc = f"{name}-{workload.revision}"
    if state.complete:
        return f'replication controller "{rc}" successfully rolled out\n'
    if state.timed_out(inv.now):
        raise OcError(f'error: replication controller "{rc}" has failed progressing')
    if state.updated < state.replicas:
        return (
            f"Waiting for rollout to finish: {state.updated} out of {state.replicas} new "
            "replicas have been updated...\n"
        )
    if state.total > state.updated:
        return (
            f"Waiting for rollout to finish: {state.total - state.updated} old replicas "
            "are pending termination...\n"
        )
    return (
        f"Waiting for rollout to finish: {state.available} of {state.updated} updated "
        "replicas are available...\n"
    )

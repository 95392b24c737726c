"""``oc get pods``, ``oc get sa``, ``oc create deployment`` and ``oc set triggers``."""

from __future__ import annotations

from simkit._go.tabwriter import align
from simkit.oc.command import Flag, Invocation, OcError, Usage, command
from simkit.oc.humanize import short_duration
from simkit.oc.output import GET_OUTPUT_FLAGS, output_format, print_generic
from simkit.state.workloads import RUNNING, ImageTrigger, Workload

_WORKLOAD_KINDS = {
    "deployment": "Deployment",
    "deployments": "Deployment",
    "deploy": "Deployment",
    "deploymentconfig": "DeploymentConfig",
    "deploymentconfigs": "DeploymentConfig",
    "dc": "DeploymentConfig",
}
_PREFIX = {
    "Deployment": "deployment.apps",
    "DeploymentConfig": "deploymentconfig.apps.openshift.io",
}


def _empty(inv: Invocation) -> str:
    return f"No resources found in {inv.namespace} namespace.\n"


@command("get", "pods", flags=GET_OUTPUT_FLAGS)
def get_pods(inv: Invocation) -> str:
    """``oc get pods [NAME...] [-o FORMAT]``: READY, STATUS (the waiting reason), RESTARTS;
    ``-o wide`` adds IP, NODE, NOMINATED NODE and READINESS GATES (kubectl's pod printer,
    ``printPod``; simkit models no pod IPs, nominations or readiness gates: ``<none>``)."""
    output = output_format(inv)
    pods = sorted(inv.tx.list("Pod", inv.namespace), key=lambda p: p.name)
    if inv.args:
        missing = [n for n in inv.args if n not in {p.name for p in pods}]
        if missing and not inv.flag("ignore-not-found"):
            raise OcError(
                "\n".join(f'Error from server (NotFound): pods "{n}" not found' for n in missing)
            )
        by_name = {p.name: p for p in pods}
        pods = [by_name[n] for n in inv.args if n in by_name]  # in the order asked for
    if not output.table:
        return print_generic(inv, output, "Pod", pods, single=len(inv.args) == 1)
    if not pods:
        return "" if inv.flag("ignore-not-found") else _empty(inv)
    wide = output.kind == "wide"
    header = "NAME\tREADY\tSTATUS\tRESTARTS\tAGE"
    if wide:
        header += "\tIP\tNODE\tNOMINATED NODE\tREADINESS GATES"
    lines = [] if inv.flag("no-headers") else [header]
    for pod in pods:
        ready = "1/1" if pod.status == RUNNING else "0/1"
        age = short_duration(inv.now - pod.created)
        row = f"{pod.name}\t{ready}\t{pod.status}\t{pod.restarts}\t{age}"
        lines.append(row + (f"\t<none>\t{pod.node or '<none>'}\t<none>\t<none>" if wide else ""))
    return align("\n".join(lines) + "\n")


command("get", "pod", flags=GET_OUTPUT_FLAGS)(get_pods)
command("get", "po", flags=GET_OUTPUT_FLAGS)(get_pods)


@command("get", "sa", flags=GET_OUTPUT_FLAGS)
def get_service_accounts(inv: Invocation) -> str:
    """``oc get sa [NAME...] [-o FORMAT]``: NAME, SECRETS, AGE."""
    output = output_format(inv)
    accounts = sorted(inv.tx.list("ServiceAccount", inv.namespace), key=lambda a: a.name)
    errors: list[str] = []
    if inv.args:  # in the order asked for; what is missing is reported after what is found
        by_name = {a.name: a for a in accounts}
        accounts = [by_name[n] for n in inv.args if n in by_name]
        errors = [
            f'Error from server (NotFound): serviceaccounts "{n}" not found'
            for n in inv.args
            if n not in by_name and not inv.flag("ignore-not-found")
        ]
    if not output.table:
        return print_generic(
            inv, output, "ServiceAccount", accounts, single=len(inv.args) == 1, errors=errors
        )
    if not accounts:
        if errors:
            raise OcError("\n".join(errors))
        return "" if inv.flag("ignore-not-found") else _empty(inv)
    lines = ([] if inv.flag("no-headers") else ["NAME\tSECRETS\tAGE"]) + [
        f"{a.name}\t{len(a.secrets)}\t{short_duration(inv.now - a.created)}" for a in accounts
    ]
    text = align("\n".join(lines) + "\n")
    if errors:
        raise OcError(text + "\n".join(errors))
    return text


command("get", "serviceaccounts", flags=GET_OUTPUT_FLAGS)(get_service_accounts)
command("get", "serviceaccount", flags=GET_OUTPUT_FLAGS)(get_service_accounts)


@command(
    "create",
    "deployment",
    flags=(Flag("image", repeated=True), Flag("replicas", "r", default="1")),
    use="deployment NAME --image=image -- [COMMAND] [args...]",
    flags_in_use=False,
    short="Create a deployment with the specified name",
    long="""
    Create a deployment with the specified name.""",
    example="""
    # Create a deployment named my-dep that runs the busybox image
    kubectl create deployment my-dep --image=busybox

    # Create a deployment named my-dep that runs the nginx image with 3 replicas
    kubectl create deployment my-dep --image=nginx --replicas=3""",
    usage={
        "image": Usage(
            "Image names to run. A deployment can have multiple images set for "
            "multi-container pod.",
            type="stringSlice",
        ),
        "replicas": Usage("Number of replicas to create. Default is 1.", type="int32", default="1"),
    },
)
def create_deployment(inv: Invocation) -> str:
    """``oc create deployment NAME --image=IMAGE [--replicas=N]`` (one container)."""
    if len(inv.args) != 1:
        raise inv.usage_error("NAME is required for deployment")
    images = inv.flag("image")
    if len(images) != 1:
        raise inv.usage_error("simkit models one container: give exactly one --image")
    try:
        replicas = int(inv.flag("replicas"))
    except ValueError:
        raise OcError(
            f'error: invalid argument "{inv.flag("replicas")}" for "-r, --replicas" '
            "flag: strconv.ParseInt: parsing: invalid syntax"
        ) from None
    name = inv.args[0]
    if inv.tx.get("Deployment", (inv.namespace, name)) is not None:
        raise OcError(
            f'error: failed to create deployment: deployments.apps "{name}" already exists'
        )
    workload = Workload(
        "Deployment",
        inv.namespace,
        name,
        images[0],
        replicas=replicas,
        container=images[0].rsplit("/", 1)[-1].split(":")[0].split("@")[0],
    )
    inv.tx.after_commit(lambda: inv.sim.workload_controller.create(workload))
    return f"deployment.apps/{name} created\n"


@command(
    "set",
    "triggers",
    flags=(
        Flag("from-image", default=""),
        Flag("containers", "c", default=""),
        Flag("manual", value=False, default=False),
        Flag("auto", value=False, default=False),
    ),
    use="triggers RESOURCE/NAME [--from-config|--from-image|--from-github|--from-webhook] "
    "[--auto|--manual]",
    short="Update the triggers on one or more objects",
    long="""
    Set or remove triggers.

    Build configs, deployment configs, and most Kubernetes workload objects may have a set of
    triggers that result in a new deployment or build being created when an image changes.
    This command enables you to alter those triggers - making them automatic or manual,
    adding new entries, or changing existing entries.

    Deployments support triggering off of image changes and on config changes. Config
    changes are any alterations to the pod template, while image changes will result in the
    container image value being updated whenever an image stream tag is updated. You may
    also trigger Kubernetes stateful sets, daemon sets, deployments, and cron jobs from
    images. Disabling the config change trigger is equivalent to pausing most objects.
    Deployment configs will not perform their first deployment until all image change
    triggers have been submitted.

    Build configs support triggering off of image changes, config changes, and webhooks. The
    config change trigger for a build config will only trigger the first build.""",
    example="""
    # Print the triggers on the deployment config 'myapp'
    oc set triggers dc/myapp

    # Set all triggers to manual
    oc set triggers dc/myapp --manual

    # Enable all automatic triggers
    oc set triggers dc/myapp --auto""",
    usage={
        "auto": "If true, enable all triggers, or just the specified trigger",
        "manual": "If true, set all triggers to manual, or just the specified trigger",
        "containers": "Comma delimited list of container names this trigger applies to on "
        "deployments; defaults to the name of the only container",
        "from-image": "An image stream tag to trigger off of",
    },
)
def set_triggers(inv: Invocation) -> str:
    """``oc set triggers deploy/NAME --from-image=STREAM:TAG [-c CONTAINER]``.

    Adds an image trigger; the workload follows the image stream tag from now on
    (``--manual`` adds it paused, or ``automatic: false`` on a DeploymentConfig).
    """
    if len(inv.args) != 1 or "/" not in inv.args[0]:
        raise inv.usage_error("one resource is required, as TYPE/NAME (e.g. deploy/web)")
    kind_word, _, name = inv.args[0].partition("/")
    kind = _WORKLOAD_KINDS.get(kind_word.lower())
    if kind is None:
        raise OcError(f'error: the server doesn\'t have a resource type "{kind_word}"')
    workload = inv.tx.get(kind, (inv.namespace, name))
    if workload is None:
        raise OcError(
            f"Error from server (NotFound): {_PREFIX[kind].split('.')[0]}s."
            f'{_PREFIX[kind].partition(".")[2]} "{name}" not found'
        )
    source = inv.flag("from-image")
    if not source:
        raise OcError("error: --from-image is required to add an image trigger")
    namespace, _, stream_tag = source.rpartition("/")
    if ":" not in stream_tag:
        raise OcError(f'error: --from-image "{source}" must be of the form STREAM:TAG')
    trigger = ImageTrigger(
        stream_tag,
        namespace or inv.namespace,
        inv.flag("containers") or workload.container,
        automatic=not inv.flag("manual"),
        paused=bool(inv.flag("manual")) and kind == "Deployment",
    )
    controller = inv.sim.workload_controller
    inv.tx.after_commit(lambda: controller.add_trigger(kind, inv.namespace, name, trigger))
    inv.tx.record(
        "triggers_set",
        workload_kind=kind,
        namespace=inv.namespace,
        workload=name,
        trigger=stream_tag,
    )
    return f"{_PREFIX[kind]}/{name} triggers updated\n"

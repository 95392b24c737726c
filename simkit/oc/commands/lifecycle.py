"""Pods and image streams over a lesson: ``oc run``, ``oc delete pod``, ``oc create
imagestream``, ``oc set image-lookup``, each registered with oc's help for it.

Restated from openshift/oc 6b8e30c and the kubectl v0.35 it vendors:

- ``oc delete pod NAME...|--all`` (``vendor/k8s.io/kubectl/pkg/cmd/delete/delete.go``,
  ``DeleteOptions.PrintObj``): one line per object, ``pod "NAME" deleted from NS
  namespace`` (``force deleted`` with ``--force``, after the warning that immediate
  deletion does not wait); ``--all`` with nothing to delete prints ``No resources
  found``.  A pod a Deployment or DeploymentConfig owns is recreated by its ReplicaSet
  or ReplicationController under a new name; a bare pod is gone.
- ``oc run NAME --image=IMAGE`` (``pkg/cmd/run/run.go``) creates one pod (label
  ``run=NAME``, container ``NAME``) and prints ``pod/NAME created``.  The API server's
  ServiceAccount admission refuses a pod whose account does not exist at once (403
  Forbidden, :mod:`simkit.apiserver.admission`): nothing is created.
- ``oc create imagestream NAME [--lookup-local]`` (``pkg/cli/create/imagestream.go``)
  prints ``imagestream.image.openshift.io/NAME created``.
- ``oc set image-lookup`` (``pkg/cli/set/imagelookup.go``): with no name, a ``NAME
  LOCAL`` table of the streams; with names or ``--all``, sets
  ``spec.lookupPolicy.local`` to ``--enabled`` (default true) and prints
  ``imagestream.image.openshift.io/NAME image lookup updated`` for each stream that
  changed (an unchanged one prints nothing).  Pods created afterwards in the namespace
  whose image is a bare ``NAME[:TAG]`` resolve through the stream (the pod controller's
  ``lookupPolicy.local`` rule).  Lookup on other resources (the
  ``alpha.image.policy.openshift.io/resolve-names`` annotation) is not modelled.

Each command's help (``Use``, ``Short``, ``Long``, ``Example``, flag usages) is oc's at
6b8e30c5 (vendored kubectl ``cmd/delete/delete.go`` ``NewCmdDelete`` and
``delete_flags.go``, ``cmd/run/run.go`` ``NewCmdRun``; oc ``pkg/cli/create/imagestream.go``
``NewCmdCreateImageStream``, ``pkg/cli/set/imagelookup.go`` ``NewCmdImageLookup``), the
examples and usage forms limited to those simkit accepts.  ``oc explain`` is not
registered: :mod:`simkit.oc.dispatch` says it is not modelled, as for any such command.
"""

from __future__ import annotations

from typing import TypedDict

from simkit._go.tabwriter import TabConfig, align
from simkit.manifests import ManifestError, apply_objects
from simkit.oc.command import Flag, Invocation, OcError, Usage, command
from simkit.oc.commands import images

_POD_WORDS = ("pod", "pods", "po")
_STREAM_WORDS = (
    "is",
    "imagestream",
    "imagestreams",
    "imagestream.image.openshift.io",
    "imagestreams.image.openshift.io",
)
_FORCE_WARNING = (
    "Warning: Immediate deletion does not wait for confirmation that the running resource "
    "has been terminated. The resource may continue to run on the cluster indefinitely."
)


def _api_error(error: ManifestError) -> str:
    """A create's refusal as kubectl prints an API status error (no file to name)."""
    if error.reason == "Invalid" and error.field:
        return f'The {error.kind} "{error.name}" is invalid: {error.field}: {error.message}'
    if error.reason:
        return f"Error from server ({error.reason}): {error.message}"
    return f"error: {error.message}"


def _create(inv: Invocation, obj: dict) -> None:
    try:
        apply_objects(inv.tx, [obj], "create", sim=inv.sim, namespace=inv.namespace)
    except ManifestError as exc:
        raise OcError("\n".join(_api_error(e) for e in exc.errors)) from None


# -- delete ---------------------------------------------------------------------------------
@command(
    "delete",
    flags=(
        Flag("ignore-not-found", value=False, default=False),
        Flag("all", value=False, default=False),
        Flag("force", value=False, default=False),
        Flag("now", value=False, default=False),
        Flag("wait", value=False, default=True),
        Flag("grace-period", default="-1"),
    ),
    use="delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)])",
    flags_in_use=False,
    short="Delete resources by file names, stdin, resources and "
    "names, or by resources and label selector",
    long="""
    Delete resources by file names, stdin, resources and names, or by resources and label
    selector.

    JSON and YAML formats are accepted. Only one type of argument may be specified: file
    names, resources and names, or resources and label selector.

    Some resources, such as pods, support graceful deletion. These resources define a
    default period before they are forcibly terminated (the grace period) but you may
    override that value with the --grace-period flag, or pass --now to set a grace-period
    of 1. Because these resources often represent entities in the cluster, deletion may
    not be acknowledged immediately. If the node hosting a pod is down or cannot reach the
    API server, termination may take significantly longer than the grace period. To force
    delete a resource, you must specify the --force flag. Note: only a subset of resources
    support graceful deletion. In absence of the support, the --grace-period flag is
    ignored.

    IMPORTANT: Force deleting pods does not wait for confirmation that the pod's processes
    have been terminated, which can leave those processes running until the node detects
    the deletion and completes graceful deletion. If your processes use shared storage or
    talk to a remote API and depend on the name of the pod to identify themselves, force
    deleting those pods may result in multiple processes running on different machines
    using the same identification which may lead to data corruption or inconsistency. Only
    force delete pods when you are sure the pod is terminated, or if your application can
    tolerate multiple copies of the same pod running at once. Also, if you force delete
    pods, the scheduler may place new pods on those nodes before the node has released
    those resources and causing those pods to be evicted immediately.

    Note that the delete command does NOT do resource version checks, so if someone
    submits an update to a resource right when you submit a delete, their update will be
    lost along with the rest of the resource.

    After a CustomResourceDefinition is deleted, invalidation of discovery cache may take
    up to 6 hours. If you don't want to wait, you might want to run "kubectl api-resources"
    to refresh the discovery cache.""",
    example="""
    # Delete a pod with minimal delay
    kubectl delete pod foo --now

    # Force delete a pod on a dead node
    kubectl delete pod foo --force

    # Delete all pods
    kubectl delete pods --all""",
    usage={
        "all": "Delete all resources, in the namespace of the specified resource types.",
        "force": "If true, immediately remove resources from API and bypass graceful deletion. "
        "Note that immediate deletion of some resources may result in inconsistency or "
        "data loss and requires confirmation.",
        "now": "If true, resources are signaled for immediate shutdown (same as --grace-period=1).",
        "wait": "If true, wait for resources to be gone before returning. This waits for "
        "finalizers.",
        "grace-period": Usage(
            "Period of time in seconds given to the resource to terminate "
            "gracefully. Ignored if negative. Set to 1 for immediate shutdown. "
            "Can only be set to 0 when --force is true (force deletion).",
            type="int",
            default="-1",
        ),
        "ignore-not-found": 'Treat "resource not found" as a successful delete. Defaults to '
        '"true" when --all is specified.',
    },
)
def delete(inv: Invocation) -> str:
    """``oc delete pod NAME...|--all``; other kinds go to ``oc delete is|istag``."""
    words = [arg.partition("/")[0].lower() if "/" in arg else None for arg in inv.args]
    pods = (inv.args and inv.args[0].lower() in _POD_WORDS) or any(
        w in _POD_WORDS for w in words if w
    )
    if not pods:
        if inv.flag("all"):
            raise OcError("error: simkit deletes every object of a kind (--all) for pods only")
        return images.delete(inv)
    names = _pod_names(inv)
    if inv.flag("all") and names:
        raise OcError("error: simkit deletes pods by name or with --all, not both")
    if not names and not inv.flag("all"):
        raise OcError("error: resource(s) were provided, but no name was specified")
    try:
        grace = int(inv.flag("grace-period"))
    except ValueError:
        raise OcError(
            f'error: invalid argument "{inv.flag("grace-period")}" for '
            '"--grace-period" flag: strconv.ParseInt: parsing: invalid syntax'
        ) from None
    force = bool(inv.flag("force"))
    if force and grace > 0:
        raise OcError(
            "error: --force and --grace-period greater than 0 cannot be specified together"
        )
    if inv.flag("all"):
        targets = sorted(inv.tx.list("Pod", inv.namespace), key=lambda p: p.name)
        if not targets:
            return "No resources found\n"
    else:
        targets, missing = [], []
        for name in names:
            pod = inv.tx.get("Pod", (inv.namespace, name))
            if pod is not None and pod not in targets:
                targets.append(pod)
            elif not inv.flag("ignore-not-found"):
                missing.append(f'Error from server (NotFound): pods "{name}" not found')
        if missing:
            raise OcError("\n".join(missing))
    operation = "force deleted" if force and grace <= 0 else "deleted"
    lines = [_FORCE_WARNING] if force and grace <= 0 else []
    lines += [f'pod "{pod.name}" {operation} from {inv.namespace} namespace' for pod in targets]
    sim = inv.sim

    def remove() -> None:
        for pod in targets:
            sim.pod_controller.delete(pod, reason="deleted")
            # its ReplicaSet/ReplicationController notices at once and creates another
            sim.workload_controller.replace_lost(pod)

    inv.tx.after_commit(remove)
    return "".join(line + "\n" for line in lines)


def _pod_names(inv: Invocation) -> list[str]:
    if all("/" in arg for arg in inv.args):
        names = []
        for arg in inv.args:
            word, _, name = arg.partition("/")
            if word.lower() not in _POD_WORDS:
                raise OcError("error: simkit deletes one resource type at a time")
            names.append(name)
        return names
    if any("/" in arg for arg in inv.args[1:]):
        raise OcError(
            "error: there is no need to specify a resource type as a separate "
            "argument when passing arguments in resource/name form (e.g. 'oc get "
            "resource/<resource_name>' instead of 'oc get resource "
            "resource/<resource_name>'"
        )
    return inv.args[1:]


# -- run ------------------------------------------------------------------------------------
# kubectl run.go NewCmdRun; Use and Example cut to the forms simkit accepts (no --env,
# --dry-run, --overrides, --command, -i/-t, nor a command after --)
@command(
    "run",
    flags=(
        Flag("image", default=""),
        Flag("image-pull-policy", default=""),
        Flag("restart", default="Always"),
        Flag("labels", "l", default=""),
        Flag("port", default=""),
    ),
    use="run NAME --image=image [--port=port]",
    flags_in_use=False,
    short="Run a particular image on the cluster",
    long="Create and run a particular image in a pod.",
    example="""
    # Start a nginx pod
    kubectl run nginx --image=nginx

    # Start a hazelcast pod and let the container expose port 5701
    kubectl run hazelcast --image=hazelcast/hazelcast --port=5701

    # Start a hazelcast pod and set labels "app=hazelcast" and "env=prod" in the container
    kubectl run hazelcast --image=hazelcast/hazelcast --labels="app=hazelcast,env=prod\"""",
    usage={
        "image": "The image for the container to run.",
        "image-pull-policy": "The image pull policy for the container.  If left empty, this "
        "value will not be specified by the client and defaulted by the "
        "server.",
        "restart": "The restart policy for this Pod.  Legal values [Always, OnFailure, Never].",
        "labels": "Comma separated labels to apply to the pod. Will override previous values.",
        "port": "The port that this container exposes.",
    },
)
def run(inv: Invocation) -> str:
    """``oc run NAME --image=IMAGE [--image-pull-policy=P] [--restart=R] [-l k=v,...]``."""
    from simkit.refs import InvalidReference, parse_image

    if not inv.args:
        raise inv.usage_error("NAME is required for run")
    name, image = inv.args[0], inv.flag("image")
    if not image:
        raise OcError("error: --image is required")
    try:
        parse_image(image)
    except InvalidReference:
        raise OcError(f'error: Invalid image name "{image}": invalid reference format') from None
    restart = inv.flag("restart")
    if restart not in ("Always", "OnFailure", "Never"):
        raise inv.usage_error(f"invalid restart policy: {restart}")
    policy = inv.flag("image-pull-policy")
    if policy and policy not in ("Always", "IfNotPresent", "Never"):
        raise inv.usage_error(f"invalid image pull policy: {policy}")
    labels = {"run": name}
    if inv.flag("labels"):  # kubectl's generate.ParseLabels
        pairs = [pair.split("=") for pair in inv.flag("labels").split(",")]
        bad = next(("=".join(p) for p in pairs if len(p) != 2), None)
        if bad is not None:
            raise OcError(f"error: invalid label spec: {bad}")
        labels = dict(pairs)
    container: dict = {"name": name, "image": image}
    if policy:
        container["imagePullPolicy"] = policy
    _create(
        inv,
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "namespace": inv.namespace, "labels": labels},
            "spec": {"containers": [container], "restartPolicy": restart},
        },
    )
    return f"pod/{name} created\n"


# -- create imagestream ---------------------------------------------------------------------
def create_imagestream(inv: Invocation) -> str:
    """``oc create imagestream NAME [--lookup-local]`` (alias ``oc create is``)."""
    if len(inv.args) != 1:  # cobra names the command, not the alias typed
        raise OcError(
            f"error: exactly one NAME is required, got {len(inv.args)}\n"
            "See 'oc create imagestream -h' for help and examples"
        )
    name = inv.args[0]
    _create(
        inv,
        {
            "apiVersion": "image.openshift.io/v1",
            "kind": "ImageStream",
            "metadata": {"name": name, "namespace": inv.namespace},
            "spec": {"lookupPolicy": {"local": bool(inv.flag("lookup-local"))}},
        },
    )
    return f"imagestream.image.openshift.io/{name} created\n"


class _Help(TypedDict):
    """The keyword arguments of :func:`command` that a command and its alias share."""

    flags: tuple[Flag, ...]
    use: str
    short: str
    long: str
    example: str
    usage: dict[str, str | Usage]


# oc pkg/cli/create/imagestream.go NewCmdCreateImageStream (Aliases: is)
_CREATE_IMAGESTREAM_HELP = _Help(
    flags=(Flag("lookup-local", value=False, default=False),),
    use="imagestream NAME",
    short="Create a new empty image stream",
    long="""
    Create a new image stream.

    Image streams allow you to track, tag, and import images from other registries. They
    also define an access controlled destination that you can push images to. An image
    stream can reference images from many different registries and control how those
    images are referenced by pods, deployments, and builds.

    If --lookup-local is passed, the image stream will be used as the source when pods
    reference it by name. For example, if stream 'mysql' resolves local names, a pod that
    points to 'mysql:latest' will use the image the image stream points to under the
    "latest" tag.
    """,
    example="""
    # Create a new image stream
    oc create imagestream mysql
    """,
    usage={
        "lookup-local": "If true, the image stream will be the source for any "
        "top-level image reference in this project."
    },
)
command("create", "imagestream", **_CREATE_IMAGESTREAM_HELP)(create_imagestream)
# the alias shows the help of the command it names (help.help_spec), as create sa does
command("create", "is", flags=_CREATE_IMAGESTREAM_HELP["flags"])(create_imagestream)


# -- set image-lookup -----------------------------------------------------------------------
_LOOKUP_TABLE = TabConfig(minwidth=0, tabwidth=2, padding=2, padchar=" ")


# oc pkg/cli/set/imagelookup.go NewCmdImageLookup; the Long's part on forcing lookup on
# other resources (an annotation simkit does not model) and those examples are left out
@command(
    "set",
    "image-lookup",
    flags=(
        Flag("all", value=False, default=False),
        Flag("enabled", value=False, default=True),
        Flag("list", value=False, default=False),
    ),
    use="image-lookup STREAMNAME [...]",
    short="Change how images are resolved when deploying applications",
    long="""
    Use an image stream from pods and other objects.

    Image streams make it easy to tag images, track changes from other registries, and
    centralize access control to images. Local name lookup allows an image stream to be the
    source of images for pods, deployments, replica sets, and other resources that reference
    images, without having to provide the full registry URL. If local name lookup is enabled
    for an image stream named 'mysql', a pod or other resource that references
    'mysql:latest' (or any other tag) will pull from the location specified by the image
    stream tag, not from an upstream registry.

    Once lookup is enabled, simply reference the image stream tag in the image field of the
    object. For example:

            $ oc import-image mysql:latest --confirm
            $ oc set image-lookup mysql
            $ oc run mysql --image=mysql

    will import the latest MySQL image from the DockerHub, set that image stream to handle
    the "mysql" name within the project, and then launch a deployment that points to the
    image we imported.""",
    example="""
    # Print all of the image streams and whether they resolve local names
    oc set image-lookup

    # Use local name lookup on image stream mysql
    oc set image-lookup mysql

    # Disable local name lookup on image stream mysql
    oc set image-lookup mysql --enabled=false

    # Set local name lookup on all image streams
    oc set image-lookup --all""",
    usage={
        "all": "If true, select all resources in the namespace of the specified resource types.",
        "list": "Display the current states of the requested resources.",
        "enabled": "Mark the image stream as resolving tagged images in this namespace.",
    },
)
def set_image_lookup(inv: Invocation) -> str:
    """``oc set image-lookup [STREAM...|--all] [--enabled=false] [--list]``."""
    from simkit.apiserver.imagestreams import update_stream

    names = list(inv.args)
    for arg in names:
        word, slash, _ = arg.partition("/")
        if slash and word.lower() not in _STREAM_WORDS:
            raise OcError(
                f"error: image lookup on {word} (the "
                "alpha.image.policy.openshift.io/resolve-names annotation) is not "
                "modelled by simkit; simkit sets it on image streams"
            )
    names = [arg.partition("/")[2] if "/" in arg else arg for arg in names]
    if inv.flag("all") or not names:
        streams = sorted(inv.tx.list("ImageStream", inv.namespace), key=lambda s: s.name)
    else:
        streams, missing = [], []
        for name in names:
            stream = inv.tx.get("ImageStream", (inv.namespace, name))
            if stream is None:
                missing.append(
                    "Error from server (NotFound): imagestreams.image.openshift.io "
                    f'"{name}" not found'
                )
            else:
                streams.append(stream)
        if missing:
            raise OcError("\n".join(missing))
    if (not names and not inv.flag("all")) or inv.flag("list"):
        rows = "".join(f"{s.name}\t{'true' if s.lookup_local else 'false'}\n" for s in streams)
        return align("NAME\tLOCAL\n" + rows, _LOOKUP_TABLE)
    enabled = bool(inv.flag("enabled"))
    lines = []
    for stream in streams:
        if stream.lookup_local == enabled:
            continue  # an empty patch: oc logs "was not changed" at -v1 and prints nothing
        desired = stream.copy()
        desired.lookup_local = enabled
        update_stream(inv.tx, stream, desired, inv.now)
        lines.append(f"imagestream.image.openshift.io/{stream.name} image lookup updated\n")
    return "".join(lines)

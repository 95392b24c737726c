"""Pods and image streams over a lesson: ``oc run``, ``oc delete pod``, ``oc create
imagestream``, ``oc set image-lookup``; ``oc explain`` says it is not modelled.

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
"""

from __future__ import annotations

from simkit._go.tabwriter import TabConfig, align
from simkit.manifests import ManifestError, apply_objects
from simkit.oc.command import Flag, Invocation, OcError, command
from simkit.oc.commands import images

_POD_WORDS = ("pod", "pods", "po")
_STREAM_WORDS = ("is", "imagestream", "imagestreams", "imagestream.image.openshift.io",
                 "imagestreams.image.openshift.io")
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
@command("delete", flags=(Flag("ignore-not-found", value=False, default=False),
                          Flag("all", value=False, default=False),
                          Flag("force", value=False, default=False),
                          Flag("now", value=False, default=False),
                          Flag("wait", value=False, default=True),
                          Flag("grace-period", default="-1")))
def delete(inv: Invocation) -> str:
    """``oc delete pod NAME...|--all``; other kinds go to ``oc delete is|istag``."""
    words = [arg.partition("/")[0].lower() if "/" in arg else None for arg in inv.args]
    pods = (inv.args and inv.args[0].lower() in _POD_WORDS) or any(
        w in _POD_WORDS for w in words if w)
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
        raise OcError(f'error: invalid argument "{inv.flag("grace-period")}" for '
                      '"--grace-period" flag: strconv.ParseInt: parsing: invalid syntax') from None
    force = bool(inv.flag("force"))
    if force and grace > 0:
        raise OcError("error: --force and --grace-period greater than 0 cannot be specified "
                      "together")
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
        raise OcError("error: there is no need to specify a resource type as a separate "
                      "argument when passing arguments in resource/name form (e.g. 'oc get "
                      "resource/<resource_name>' instead of 'oc get resource "
                      "resource/<resource_name>'")
    return inv.args[1:]


# -- run ------------------------------------------------------------------------------------
@command("run", flags=(Flag("image", default=""), Flag("image-pull-policy", default=""),
                       Flag("restart", default="Always"), Flag("labels", "l", default=""),
                       Flag("port", default="")))
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
    _create(inv, {"apiVersion": "v1", "kind": "Pod",
                  "metadata": {"name": name, "namespace": inv.namespace, "labels": labels},
                  "spec": {"containers": [container], "restartPolicy": restart}})
    return f"pod/{name} created\n"


# -- explain --------------------------------------------------------------------------------
@command("explain", flags=(Flag("recursive", value=False, default=False),
                           Flag("api-version", default="")))
def explain(inv: Invocation) -> str:
    """``oc explain`` reads the API server's OpenAPI documents, which simkit does not have."""
    raise OcError("error: oc explain is not modelled by simkit")


# -- create imagestream ---------------------------------------------------------------------
def create_imagestream(inv: Invocation) -> str:
    """``oc create imagestream NAME [--lookup-local]`` (alias ``oc create is``)."""
    if len(inv.args) != 1:  # cobra names the command, not the alias typed
        raise OcError(f"error: exactly one NAME is required, got {len(inv.args)}\n"
                      "See 'oc create imagestream -h' for help and examples")
    name = inv.args[0]
    _create(inv, {"apiVersion": "image.openshift.io/v1", "kind": "ImageStream",
                  "metadata": {"name": name, "namespace": inv.namespace},
                  "spec": {"lookupPolicy": {"local": bool(inv.flag("lookup-local"))}}})
    return f"imagestream.image.openshift.io/{name} created\n"


for _words in (("create", "imagestream"), ("create", "is")):
    command(*_words, flags=(Flag("lookup-local", value=False, default=False),))(
        create_imagestream)


# -- set image-lookup -----------------------------------------------------------------------
_LOOKUP_TABLE = TabConfig(minwidth=0, tabwidth=2, padding=2, padchar=" ")


@command("set", "image-lookup", flags=(Flag("all", value=False, default=False),
                                       Flag("enabled", value=False, default=True),
                                       Flag("list", value=False, default=False)))
def set_image_lookup(inv: Invocation) -> str:
    """``oc set image-lookup [STREAM...|--all] [--enabled=false] [--list]``."""
    from simkit.apiserver.imagestreams import update_stream

    names = list(inv.args)
    for arg in names:
        word, slash, _ = arg.partition("/")
        if slash and word.lower() not in _STREAM_WORDS:
            raise OcError(f"error: image lookup on {word} (the "
                          "alpha.image.policy.openshift.io/resolve-names annotation) is not "
                          "modelled by simkit; simkit sets it on image streams")
    names = [arg.partition("/")[2] if "/" in arg else arg for arg in names]
    if inv.flag("all") or not names:
        streams = sorted(inv.tx.list("ImageStream", inv.namespace), key=lambda s: s.name)
    else:
        streams, missing = [], []
        for name in names:
            stream = inv.tx.get("ImageStream", (inv.namespace, name))
            if stream is None:
                missing.append("Error from server (NotFound): imagestreams.image.openshift.io "
                               f'"{name}" not found')
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

"""``oc create -f``, ``oc apply -f``, ``oc create serviceaccount`` and
``oc create rolebinding``/``clusterrolebinding``.

``-f`` takes files or directories (their ``*.yaml``, ``*.yml`` and ``*.json`` files in
sorted order; ``-R`` descends into subdirectories) and may be repeated.  Each object
prints as kubectl prints it (``imagestream.image.openshift.io/ruby created``;
``configured`` or ``unchanged`` for apply).  Unlike kubectl, which creates the objects
before a failing one, simkit's command is all or nothing: every error is reported
(in kubectl's words, ``Error from server (AlreadyExists): error when creating
"FILE": ...``, with the line added when known) and nothing is created.  Kinds simkit
does not model are skipped with a warning.
"""

from __future__ import annotations

from typing import Any

from simkit.manifests import ManifestError, apply_objects, read_manifests
from simkit.oc.command import Flag, Invocation, OcError, Usage, command

FILE_FLAGS = (
    Flag("filename", "f", repeated=True),
    Flag("recursive", "R", value=False, default=False),
)
# cli-runtime genericclioptions/filename_flags.go FileNameFlags.AddFlags: one text for
# every command that reads -f
_RECURSIVE_USAGE = (
    "Process the directory used in -f, --filename recursively. Useful when you "
    "want to manage related manifests organized within the same directory."
)


def format_manifest_error(error: ManifestError) -> str:
    """One error as kubectl prints it, with the file line when known.

    Examples
    --------
    >>> print(format_manifest_error(ManifestError(
    ...     'imagestreams.image.openshift.io "ruby" already exists', file="is.yaml", line=3,
    ...     kind="ImageStream", name="ruby", reason="AlreadyExists", verb="creating")))
    Error from server (AlreadyExists): error when creating "is.yaml": \
imagestreams.image.openshift.io "ruby" already exists
    """
    where = (
        f" ({error.file} line {error.line})"
        if error.file and error.line and error.field and not error.server_message
        else ""
    )
    if error.reason:
        message = error.message
        if error.reason == "Invalid" and error.field and not error.server_message:
            from simkit.apiserver.discovery import for_kind

            resource = for_kind(error.kind) if error.kind else None
            kind = error.kind + (f".{resource.group}" if resource and resource.group else "")
            message = f'{kind} "{error.name}" is invalid: {error.field}: {error.message}'
        source = f'error when {error.verb or "creating"} "{error.file}": ' if error.file else ""
        return f"Error from server ({error.reason}): {source}{message}{where}"
    if error.kind:
        return f"error: error validating {_quoted(error.file)}: {error}"
    return f"error: error parsing {error.file or 'input'}: {error.args[0]}"


def _quoted(file: str | None) -> str:
    return f'"{file}"' if file else "input"


def _run(inv: Invocation, mode: str) -> str:
    paths = inv.flag("filename")
    if not paths:
        raise OcError("error: must specify one of -f and -k")
    try:
        manifests = read_manifests(*paths, recursive=bool(inv.flag("recursive")))
        if not manifests:
            raise OcError(f"error: no objects passed to {mode}")
        result = apply_objects(
            inv.tx,
            manifests,
            mode,
            sim=inv.sim,
            namespace=inv.namespace,
            enforce_namespace=inv.explicit_namespace,
        )
    except ManifestError as exc:
        raise OcError("\n".join(format_manifest_error(e) for e in exc.errors)) from None
    lines = [*result.warnings]
    lines += [
        f"Warning: {o.label} skipped: {o.reason}" for o in result.outcomes if o.action == "skipped"
    ]
    lines += [str(o) for o in result.outcomes if o.action != "skipped"]
    return "".join(line + "\n" for line in lines)


@command(
    "create",
    flags=FILE_FLAGS,
    use="create -f FILENAME",
    flags_in_use=False,
    short="Create a resource from a file or from stdin",
    long="""
    Create a resource from a file or from stdin.

    JSON and YAML formats are accepted.""",
    example="""
    # Create a pod using the data in pod.json
    kubectl create -f ./pod.json""",
    usage={
        "filename": Usage(
            "Filename, directory, or URL to files to use to create the resource", type="stringSlice"
        ),
        "recursive": _RECURSIVE_USAGE,
    },
)
def create(inv: Invocation) -> str:
    """``oc create -f FILE|DIR [-f ...] [-R]``: create every object, or fail with none made."""
    if inv.args:
        raise OcError(f'error: unknown command "{inv.args[0]}" for "oc create"')
    return _run(inv, "create")


@command(
    "apply",
    flags=FILE_FLAGS,
    use="apply (-f FILENAME | -k DIRECTORY)",
    flags_in_use=False,
    short="Apply a configuration to a resource by file name or stdin",
    long="""
    Apply a configuration to a resource by file name or stdin.
    The resource name must be specified. This resource will be created if it doesn't exist
    yet. To use 'apply', always create the resource initially with either 'apply' or
    'create --save-config'.

    JSON and YAML formats are accepted.

    Alpha Disclaimer: the --prune functionality is not yet complete. Do not use unless you
    are aware of what the current state is. See https://issues.k8s.io/34274.""",
    example="""
    # Apply the configuration in pod.json to a pod
    kubectl apply -f ./pod.json""",
    usage={
        "filename": Usage(
            "The files that contain the configurations to apply.", type="stringSlice"
        ),
        "recursive": _RECURSIVE_USAGE,
    },
)
def apply(inv: Invocation) -> str:
    """``oc apply -f FILE|DIR [-f ...] [-R]``: create or three-way-merge every object."""
    if inv.args:
        raise inv.usage_error("Unexpected args: " + str(inv.args).replace("'", ""))
    return _run(inv, "apply")


def _create_one(inv: Invocation, obj: dict, what: str) -> str:
    """Create one object the way ``kubectl create <what>`` does: errors say
    ``failed to create <what>: <API error>``."""
    try:
        result = apply_objects(inv.tx, [obj], "create", sim=inv.sim, namespace=inv.namespace)
    except ManifestError as exc:
        error = exc.errors[0]
        message = error.message
        if error.reason == "Invalid" or (error.field and not error.reason):
            kind = obj["kind"]
            group = obj["apiVersion"].rpartition("/")[0]
            label = f"{kind}.{group}" if group else kind
            message = f'{label} "{error.name}" is invalid: {error.field}: {error.message}'
        raise OcError(f"error: failed to create {what}: {message}") from None
    return "".join(f"{o}\n" for o in result.outcomes)


@command(
    "create",
    "serviceaccount",
    use="serviceaccount NAME [--dry-run=server|client|none]",
    flags_in_use=False,
    short="Create a service account with the specified name",
    long="""
    Create a service account with the specified name.""",
    example="""
    # Create a new service account named my-service-account
    kubectl create serviceaccount my-service-account""",
)
def create_serviceaccount(inv: Invocation) -> str:
    """``oc create serviceaccount NAME``."""
    return _create_serviceaccount(inv)


@command("create", "sa")
def create_sa(inv: Invocation) -> str:
    """``oc create sa NAME``."""
    return _create_serviceaccount(inv)


def _create_serviceaccount(inv: Invocation) -> str:
    if len(inv.args) != 1:
        raise inv.usage_error("exactly one NAME is required, got " + str(len(inv.args)))
    obj = {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": {"name": inv.args[0], "namespace": inv.namespace},
    }
    return _create_one(inv, obj, "serviceaccount")


BINDING_FLAGS = (
    Flag("clusterrole", default=""),
    Flag("user", repeated=True),
    Flag("group", repeated=True),
    Flag("serviceaccount", repeated=True),
)


def _subjects(inv: Invocation) -> list[dict]:
    subjects: list[dict] = []
    for user in inv.flag("user"):
        subjects.append({"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": user})
    for group in inv.flag("group"):
        subjects.append({"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": group})
    for account in inv.flag("serviceaccount"):
        tokens = account.split(":")
        if len(tokens) != 2 or not tokens[0] or not tokens[1]:
            raise OcError("error: serviceaccount must be <namespace>:<name>")
        subjects.append({"kind": "ServiceAccount", "namespace": tokens[0], "name": tokens[1]})
    return subjects


@command(
    "create",
    "rolebinding",
    flags=(*BINDING_FLAGS, Flag("role", default="")),
    use="rolebinding NAME --clusterrole=NAME|--role=NAME [--user=username] "
    "[--group=groupname] [--serviceaccount=namespace:serviceaccountname] "
    "[--dry-run=server|client|none]",
    flags_in_use=False,
    short="Create a role binding for a particular role or cluster role",
    long="""
    Create a role binding for a particular role or cluster role.""",
    example="""
    # Create a role binding for user1, user2, and group1 using the admin cluster role
    kubectl create rolebinding admin --clusterrole=admin --user=user1 --user=user2 --group=group1

    # Create a role binding for service account monitoring:sa-dev using the admin role
    kubectl create rolebinding admin-binding --role=admin --serviceaccount=monitoring:sa-dev""",
    usage={
        "clusterrole": "ClusterRole this RoleBinding should reference",
        "role": "Role this RoleBinding should reference",
        "user": "Usernames to bind to the role. The flag can be repeated to add multiple users.",
        "group": "Groups to bind to the role. The flag can be repeated to add multiple groups.",
        "serviceaccount": "Service accounts to bind to the role, in the format <namespace>:<name>. "
        "The flag can be repeated to add multiple service accounts.",
    },
)
def create_rolebinding(inv: Invocation) -> str:
    """``oc create rolebinding NAME --clusterrole=X|--role=X [--user=U] [--group=G]
    [--serviceaccount=NS:NAME]`` (each subject flag repeatable)."""
    if len(inv.args) != 1:
        raise inv.usage_error("exactly one NAME is required, got " + str(len(inv.args)))
    cluster_role, role = inv.flag("clusterrole"), inv.flag("role")
    if bool(cluster_role) == bool(role):
        raise OcError("error: exactly one of clusterrole or role must be specified")
    obj: dict[str, Any] = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "RoleBinding",
        "metadata": {"name": inv.args[0], "namespace": inv.namespace},
        "roleRef": {
            "apiGroup": "rbac.authorization.k8s.io",
            "kind": "Role" if role else "ClusterRole",
            "name": role or cluster_role,
        },
    }
    subjects = _subjects(inv)
    if subjects:
        obj["subjects"] = subjects
    return _create_one(inv, obj, "rolebinding")


@command(
    "create",
    "clusterrolebinding",
    flags=BINDING_FLAGS,
    use="clusterrolebinding NAME --clusterrole=NAME [--user=username] [--group=groupname] "
    "[--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none]",
    flags_in_use=False,
    short="Create a cluster role binding for a particular cluster role",
    long="""
    Create a cluster role binding for a particular cluster role.""",
    example="""
    # Create a cluster role binding for user1, user2, and group1 using the cluster-admin cluster role
    kubectl create clusterrolebinding cluster-admin --clusterrole=cluster-admin --user=user1 --user=user2 --group=group1""",  # noqa: E501
    usage={
        "clusterrole": "ClusterRole this ClusterRoleBinding should reference",
        "user": "Usernames to bind to the clusterrole. The flag can be repeated to add multiple "
        "users.",
        "group": "Groups to bind to the clusterrole. The flag can be repeated to add multiple "
        "groups.",
        "serviceaccount": "Service accounts to bind to the clusterrole, in the format "
        "<namespace>:<name>. The flag can be repeated to add multiple service "
        "accounts.",
    },
)
def create_clusterrolebinding(inv: Invocation) -> str:
    """``oc create clusterrolebinding NAME --clusterrole=X [--user=U] [--group=G]
    [--serviceaccount=NS:NAME]``."""
    if len(inv.args) != 1:
        raise inv.usage_error("exactly one NAME is required, got " + str(len(inv.args)))
    if not inv.flag("clusterrole"):
        raise OcError("error: clusterrole must be specified")
    obj: dict[str, Any] = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRoleBinding",
        "metadata": {"name": inv.args[0]},
        "roleRef": {
            "apiGroup": "rbac.authorization.k8s.io",
            "kind": "ClusterRole",
            "name": inv.flag("clusterrole"),
        },
    }
    subjects = _subjects(inv)
    if subjects:
        obj["subjects"] = subjects
    return _create_one(inv, obj, "clusterrolebinding")

"""``oc auth can-i VERB TYPE[/NAME] | NONRESOURCEURL``: a SelfSubjectAccessReview.

Restates kubectl ``pkg/cmd/auth/cani.go``: the type is mapped as kubectl maps it
(``imagestreams`` is ``image.openshift.io``), ``TYPE/NAME`` names one object (so
``imagestreams/layers`` asks about a stream *named* ``layers``; the subresource is
``--subresource=layers``), and the answer is ``yes``, or ``no`` with the authorizer's
reason when it has one.  kubectl then exits 1; ``sim.oc`` returns the text.

Without ``--as`` the question is the cluster admin's (``system:admin`` in
``system:masters``: always yes).  ``--as=USER`` impersonates as the API server does:
a service account gets its ``system:serviceaccounts`` groups, any other user only
``system:authenticated`` plus the ``--as-group`` groups -- not its OpenShift ``Group``
memberships, which impersonation does not look up (openshift/origin#21158).
"""

from __future__ import annotations

from simkit.apiserver.discovery import resource_for
from simkit.oc.command import Flag, Invocation, OcError, command
from simkit.rules.rbac import (
    ALL_AUTHENTICATED,
    ALL_UNAUTHENTICATED,
    ANONYMOUS,
    PRIVILEGED_GROUP,
    Attributes,
    User,
    authorize,
)
from simkit.state.rbac import split_service_account_username

ADMIN = User("system:admin", (PRIVILEGED_GROUP, "system:cluster-admins", ALL_AUTHENTICATED))
"""Who runs ``sim.oc``."""

RESOURCE_VERBS = {
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
    "use",
    "bind",
    "impersonate",
    "*",
    "approve",
    "sign",
    "escalate",
    "attest",
}
NON_RESOURCE_VERBS = {"get", "put", "post", "head", "options", "delete", "patch", "*"}
NON_STANDARD_RESOURCES = {"users", "groups"}


def impersonated_user(name: str, groups: list[str]) -> User:
    """The user the API server's impersonation filter builds for ``--as``/``--as-group``.

    Examples
    --------
    >>> impersonated_user("system:serviceaccount:a:builder", []).groups
    ('system:serviceaccounts', 'system:serviceaccounts:a', 'system:authenticated')
    >>> impersonated_user("alice", ["devs"]).groups
    ('devs', 'system:authenticated')
    """
    account = split_service_account_username(name)
    found = list(groups)
    if account is not None and not groups:
        found = ["system:serviceaccounts", f"system:serviceaccounts:{account[0]}"]
    if name == ANONYMOUS:
        if ALL_UNAUTHENTICATED not in found:
            found.append(ALL_UNAUTHENTICATED)
    elif ALL_AUTHENTICATED not in found:
        found.append(ALL_AUTHENTICATED)
    return User(name, tuple(found))


@command(
    "auth",
    "can-i",
    flags=(
        Flag("all-namespaces", "A", value=False, default=False),
        Flag("quiet", "q", value=False, default=False),
        Flag("subresource", default=""),
        Flag("list", value=False, default=False),
        Flag("as", default=""),
        Flag("as-group", repeated=True),
    ),
    use="can-i VERB [TYPE | TYPE/NAME | NONRESOURCEURL]",
    flags_in_use=False,
    short="Check whether an action is allowed",
    long="""
    Check whether an action is allowed.

    VERB is a logical Kubernetes API verb like 'get', 'list', 'watch', 'delete', etc.
    TYPE is a Kubernetes resource. Shortcuts and groups will be resolved.
    NONRESOURCEURL is a partial URL that starts with "/".
    NAME is the name of a particular Kubernetes resource.
    This command pairs nicely with impersonation. See --as global flag.""",
    example="""
    # Check to see if I can create pods in any namespace
    kubectl auth can-i create pods --all-namespaces

    # Check to see if I can list deployments in my current namespace
    kubectl auth can-i list deployments.apps

    # Check to see if service account "foo" of namespace "dev" can list pods in the namespace "prod"
    # You must be allowed to use impersonation for the global option "--as"
    kubectl auth can-i list pods --as=system:serviceaccount:dev:foo -n prod

    # Check to see if I can do everything in my current namespace ("*" means all)
    kubectl auth can-i '*' '*'

    # Check to see if I can read pod logs
    kubectl auth can-i get pods --subresource=log

    # List all allowed actions in namespace "foo"
    kubectl auth can-i --list --namespace=foo""",
    usage={  # noqa: E501
        "all-namespaces": "If true, check the specified action in all namespaces.",
        "quiet": "If true, suppress output and just return the exit code.",
        "subresource": "SubResource such as pod/log or deployment/scale",
        "list": "If true, prints all allowed actions.",
        # global flags in oc (genericclioptions ConfigFlags); simkit accepts them here only
        "as": "Username to impersonate for the operation. User could be a regular user or a "
        "service account in a namespace.",
        "as-group": "Group to impersonate for the operation, this flag can be repeated to specify "
        "multiple groups.",
    },
)
def can_i(inv: Invocation) -> str:
    """``oc auth can-i VERB TYPE[/NAME] [-n NS] [--subresource=S] [--as=U] [--as-group=G]``."""
    if inv.flag("list"):
        raise OcError("error: simkit does not model 'auth can-i --list'")
    if len(inv.args) != 2:
        raise OcError(
            "error: you must specify two arguments: verb resource or verb "
            "resource/resourceName.\nSee 'kubectl auth can-i -h' for help and "
            "examples."
        )
    verb, arg = inv.args
    subresource = inv.flag("subresource") or ""
    warnings: list[str] = []
    namespace = "" if inv.flag("all-namespaces") else inv.namespace
    user = _user(inv)
    if arg.startswith("/"):
        if subresource:
            raise OcError("error: --subresource can not be used with NonResourceURL")
        if verb not in NON_RESOURCE_VERBS:
            warnings.append(f"Warning: verb '{verb}' is not a known verb")
        attributes = Attributes.non_resource(user, verb, arg)
    else:
        token, _, name = arg.partition("/")
        group, resource = "", token
        if token != "*":
            found = resource_for(token)
            if found is None:
                if token.lower() not in NON_STANDARD_RESOURCES:
                    base, _, in_group = token.lower().partition(".")
                    warnings.append(
                        f"Warning: the server doesn't have a resource type '{base}'"
                        + (f" in group '{in_group}'" if in_group else "")
                    )
            else:
                group, resource = found.group, found.name
                if not found.namespaced and namespace:
                    where = f" in group '{group}'" if group else ""
                    warnings.append(
                        f"Warning: resource '{resource}' is not namespace scoped{where}"
                    )
        if verb not in RESOURCE_VERBS:
            warnings.append(f"Warning: verb '{verb}' is not a known verb")
        attributes = Attributes.for_user(
            user,
            verb,
            resource,
            subresource=subresource,
            api_group=group,
            namespace=namespace,
            name=name,
        )
    if PRIVILEGED_GROUP in user.groups:
        allowed, reason = True, ""
    else:
        tx = inv.tx
        roles = [*tx.list("ClusterRole"), *tx.list("Role")]
        bindings = [*tx.list("ClusterRoleBinding"), *tx.list("RoleBinding")]
        decision = authorize(roles, bindings, attributes)
        allowed, reason = decision.allowed, decision.reason
    inv.tx.record(
        "access_review",
        user=user.name,
        verb=verb,
        resource=arg,
        namespace=namespace or None,
        allowed=allowed,
    )
    if inv.flag("quiet"):
        return "".join(w + "\n" for w in warnings)
    answer = "yes" if allowed else ("no - " + reason if reason else "no")
    return "".join(w + "\n" for w in warnings) + answer + "\n"


def _user(inv: Invocation) -> User:
    name = inv.flag("as") or ""
    groups = list(inv.flag("as-group") or [])
    if not name:
        if groups:
            raise OcError(
                "Error from server (InternalError): Internal error occurred: "
                "requested groups without impersonating a user"
            )
        return ADMIN
    return impersonated_user(name, groups)

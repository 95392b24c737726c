"""``oc policy``/``oc adm policy``: add and remove roles, and ``who-can``.

Restates oc ``pkg/cli/admin/policy/modify_roles.go`` and ``policy.go``:

- ``add-role-to-user ROLE USER... [-z SA]`` and ``add-role-to-group ROLE GROUP...`` bind a
  ClusterRole (a Role of the namespace with ``--role-namespace``) in the current project;
  ``add-cluster-role-to-*`` bind cluster-wide.  Without ``--rolebinding-name``, if some
  binding of that role already holds every subject nothing changes; otherwise a **new**
  binding is created, named after the role (``system:image-puller``), or
  ``<role>-0``, ``<role>-1`` ... when that name is taken: oc never appends to the
  project's ``system:image-pullers``.  With ``--rolebinding-name`` the subjects are
  appended to that binding (which must bind the same role), or it is created.
- Warnings on stderr (printed first here): ``Warning: role 'x' not found`` and
  ``Warning: User 'x' not found`` (likewise ``Group``, ``ServiceAccount``) for subjects
  that do not exist.  A user exists once a ``User`` object does (users log in first).
- ``remove-role-from-*`` takes the subjects out of every binding of the role in the
  project (or the named one); a binding left with no subject is deleted.
- Output names the role, not the binding:
  ``clusterrole.rbac.authorization.k8s.io/system:image-puller added: "alice"``.
- ``who-can VERB RESOURCE [NAME]`` prints the ResourceAccessReview as oc does
  (``who_can.go``), the resource mapped as kubectl maps it (``imagestreams`` is in
  ``image.openshift.io``; an unknown ``imagestreams/layers`` is passed through with a
  warning and split by the server into resource and subresource).
"""

from __future__ import annotations

from simkit._go.strconv import go_quote, go_quote_strings
from simkit.apiserver.discovery import has_subresource, resource_for
from simkit.manifests.core import DNS1123_SUBDOMAIN
from simkit.oc.command import Flag, Invocation, OcError, Usage, command
from simkit.rules.rbac import who_can
from simkit.state.rbac import (
    CLUSTER_ROLE,
    GROUP,
    ROLE,
    SERVICE_ACCOUNT,
    USER,
    RoleBinding,
    RoleRef,
    Subject,
    split_service_account_username,
)

AUTOUPDATE_ANNOTATION = "rbac.authorization.kubernetes.io/autoupdate"
RBAC_GROUP = "rbac.authorization.k8s.io"

NAMESPACED_FLAGS = (Flag("rolebinding-name", default=""), Flag("role-namespace", default=""))
CLUSTER_FLAGS = (Flag("rolebinding-name", default=""),)
SA_FLAG = Flag("serviceaccount", "z", repeated=True)


def build_subjects(users: list[str], groups: list[str]) -> list[Subject]:
    """``authorizationutil.BuildRBACSubjects``: service-account user names become
    ServiceAccount subjects.

    Examples
    --------
    >>> build_subjects(["alice", "system:serviceaccount:a:default"], ["devs"])
    [Subject(kind='User', name='alice', namespace=''), Subject(kind='ServiceAccount', \
name='default', namespace='a'), Subject(kind='Group', name='devs', namespace='')]
    """
    subjects = []
    for user in users:
        sa = split_service_account_username(user)
        subjects.append(Subject(SERVICE_ACCOUNT, sa[1], sa[0]) if sa else Subject(USER, user))
    subjects += [Subject(GROUP, group) for group in groups]
    return subjects


def add_subjects(to_add: list[Subject], existing: list[Subject]) -> list[Subject]:
    """``addSubjects``: ``existing`` then the new subjects, without duplicates."""
    out = list(existing)
    for subject in to_add:
        if subject not in out:
            out.append(subject)
    return out


def remove_subjects(haystack: list[Subject], needles: list[Subject]) -> tuple[list[Subject], int]:
    """``removeSubjects``: what is left, and how many were removed."""
    kept = [s for s in haystack if s not in needles]
    return kept, len(haystack) - len(kept)


def quote_targets(targets: list[str]) -> str:
    """``%q`` of one target, or of the ``[]string`` when there are several.

    Examples
    --------
    >>> quote_targets(["alice"]), quote_targets(["alice", "bob"])
    ('"alice"', '["alice" "bob"]')
    """
    if len(targets) == 1:
        return go_quote(targets[0])
    return go_quote_strings(targets)


class _Request:
    """``RoleModificationOptions`` after ``Complete`` and ``checkRoleBindingNamespace``."""

    def __init__(self, inv: Invocation, target: str, cluster: bool) -> None:
        self.inv = inv
        args = list(inv.args)
        users: list[str] = []
        groups: list[str] = []
        sa_names: list[str] = []
        if target == "user":
            for value in inv.flags.get("serviceaccount") or []:
                sa_names += [part for part in value.split(",") if part]
            if not args:
                raise OcError("error: you must specify a role")
            self.role = args[0]
            users = args[1:]
            if not users and not sa_names:
                raise OcError("error: you must specify at least one user or service account")
            for sa in sa_names:
                if sa.startswith("system:serviceaccount"):
                    raise OcError(
                        "error: --serviceaccount (-z) should only be used with "
                        "short-form serviceaccount names (e.g. `default`)"
                    )
                if not DNS1123_SUBDOMAIN.match(sa) or len(sa) > 253:
                    raise OcError(
                        f'error: "{sa}" is not a valid serviceaccount name:\n  a '
                        "lowercase RFC 1123 subdomain must consist of lower case "
                        "alphanumeric characters, '-' or '.', and must start and end "
                        "with an alphanumeric character"
                    )
        else:
            if len(args) < 2:
                raise OcError(
                    "error: you must specify at least two arguments: <role> <group> [group]..."
                )
            self.role = args[0]
            groups = args[1:]
        self.targets = [*users, *sa_names] if target == "user" else groups
        self.cluster = cluster
        self.namespace = "" if cluster else inv.namespace
        role_namespace = "" if cluster else inv.flags.get("role-namespace") or ""
        if role_namespace and role_namespace != self.namespace:
            raise OcError(
                f'error: role binding in namespace "{self.namespace}" can\'t '
                f'reference role in different namespace "{role_namespace}"'
            )
        self.role_kind = ROLE if role_namespace else CLUSTER_ROLE
        self.binding_name = inv.flags.get("rolebinding-name") or ""
        self.subjects = build_subjects(users, groups)
        self.subjects += [Subject(SERVICE_ACCOUNT, sa, inv.namespace) for sa in sa_names]

    @property
    def store(self) -> str:
        return "ClusterRoleBinding" if self.cluster else "RoleBinding"

    @property
    def resource(self) -> str:
        return "clusterrolebindings" if self.cluster else "rolebindings"

    def bindings(self) -> list[RoleBinding]:
        """Bindings of the role here (``getRoleBindingAbstractionsForRole``), by name."""
        found = [
            b
            for b in self.inv.tx.list(self.store, self.namespace)
            if b.role_ref.name == self.role and (self.cluster or b.role_ref.kind == self.role_kind)
        ]
        return sorted(found, key=lambda b: b.name)

    def unique_name(self) -> str:
        """``getUniqueName``: the role's name, else ``<role>-N``."""
        taken = {b.name for b in self.inv.tx.list(self.store, self.namespace)}
        if self.role not in taken:
            return self.role
        for i in range(100):
            if f"{self.role}-{i}" not in taken:
                return f"{self.role}-{i}"
        raise OcError("error: no free role binding name")  # oc falls back to a UUID

    def printed(self, operation: str) -> str:
        """The name printer's line: the role, then the operation and targets."""
        return (
            f"{self.role_kind.lower()}.{RBAC_GROUP}/{self.role} {operation}: "
            f"{quote_targets(self.targets)}\n"
        )


def _exists(inv: Invocation, subject: Subject) -> bool:
    if subject.kind == SERVICE_ACCOUNT:
        return inv.tx.get("ServiceAccount", (subject.namespace, subject.name)) is not None
    store = "User" if subject.kind == USER else "Group"
    return inv.tx.get(store, ("", subject.name)) is not None


def add_role(inv: Invocation, target: str, cluster: bool) -> str:
    """``AddRole``."""
    request = _Request(inv, target, cluster)
    tx = inv.tx
    binding = None
    update = False
    if request.binding_name:
        binding = tx.edit(request.store, (request.namespace, request.binding_name))
        if binding is not None:
            if binding.role_ref.name != request.role:
                raise OcError(
                    f"error: rolebinding {request.binding_name} found for role "
                    f"{binding.role_ref.name}, not {request.role}"
                )
            if binding.role_ref.kind != request.role_kind:
                raise OcError(
                    f"error: rolebinding {request.binding_name} found for "
                    f'"{binding.role_ref.kind}", not "{request.role_kind}"'
                )
            update = True
    else:
        for existing in request.bindings():
            if len(add_subjects(request.subjects, existing.subjects)) == len(existing.subjects):
                return request.printed("added")  # a binding already grants it to all of them
    warnings = []
    if binding is None:
        name = request.binding_name or request.unique_name()
        binding = RoleBinding(request.namespace, name, RoleRef(request.role_kind, request.role))
    role_key = (request.namespace if request.role_kind == ROLE else "", request.role)
    if tx.get(request.role_kind, role_key) is None:
        warnings.append(f"Warning: role '{request.role}' not found")
    before = list(binding.subjects)
    subjects = add_subjects(request.subjects, before)
    for subject in subjects[len(before) :]:
        if not _exists(inv, subject):
            warnings.append(f"Warning: {subject.kind} '{subject.name}' not found")
    binding.subjects = subjects
    tx.put(request.store, binding.key, binding)
    tx.record(
        "rolebinding_updated" if update else "rolebinding_created",
        namespace=request.namespace or None,
        name=binding.name,
        role=request.role,
        subjects=len(subjects),
        command="add-role",
    )
    return "".join(w + "\n" for w in warnings) + request.printed("added")


def remove_role(inv: Invocation, target: str, cluster: bool) -> str:
    """``RemoveRole``."""
    request = _Request(inv, target, cluster)
    tx = inv.tx
    if request.binding_name:
        binding = tx.get(request.store, (request.namespace, request.binding_name))
        if binding is None:
            raise OcError(
                f"Error from server (NotFound): {request.resource}.{RBAC_GROUP} "
                f'"{request.binding_name}" not found'
            )
        if binding.role_ref.name != request.role:
            raise OcError(
                f"error: rolebinding {request.binding_name} contains role "
                f"{binding.role_ref.name}, instead of role {request.role}"
            )
        if binding.role_ref.kind != request.role_kind:
            raise OcError(
                f"error: rolebinding {request.binding_name} contains role "
                f'{request.role} of kind "{binding.role_ref.kind}", not '
                f'"{request.role_kind}"'
            )
        bindings = [binding]
    else:
        bindings = request.bindings()
        if not bindings:
            kind = "RoleBinding" if request.namespace else "ClusterRoleBinding"
            raise OcError(
                f'error: unable to locate any {kind} for {request.role_kind} "{request.role}"'
            )
    changed = []
    for binding in bindings:
        kept, removed = remove_subjects(binding.subjects, request.subjects)
        if removed:
            changed.append((binding, kept))
    if not changed:
        raise OcError(f"error: unable to find target [{' '.join(request.targets)}]")
    warnings = []
    for binding, kept in changed:
        if kept or binding.annotations.get(AUTOUPDATE_ANNOTATION) == "false":
            edited = tx.edit(request.store, binding.key)
            assert edited is not None  # the binding was listed in this transaction
            edited.subjects = kept
            tx.record(
                "rolebinding_updated",
                namespace=request.namespace or None,
                name=binding.name,
                role=request.role,
                subjects=len(kept),
                command="remove-role",
            )
        else:
            tx.delete(request.store, binding.key)
            tx.record(
                "rolebinding_deleted",
                namespace=request.namespace or None,
                name=binding.name,
                role=request.role,
                command="remove-role",
            )
        if binding.annotations.get(AUTOUPDATE_ANNOTATION) == "true":
            kind = "rolebinding" if request.namespace else "clusterrolebinding"
            warnings.append(
                "Warning: Your changes may get lost whenever a master is restarted, unless you "
                "prevent reconciliation of this rolebinding using the following command: oc "
                f"annotate {kind}.rbac {binding.name} '{AUTOUPDATE_ANNOTATION}=false' "
                "--overwrite"
            )
    return "".join(w + "\n" for w in warnings) + request.printed("removed")


def _register(
    prefixes: tuple[tuple[str, ...], ...], name: str, flags, handler, **help_text
) -> None:
    """Register under each prefix; under ``adm policy`` oc's text says ``oc adm policy``
    (``NewCmdAddRoleToUser(..., admin=true)``)."""
    for prefix in prefixes:
        text = dict(help_text)
        if prefix == ("adm", "policy"):
            for key in ("long", "example"):
                text[key] = text.get(key, "").replace("oc policy", "oc adm policy")
        command(*prefix, name, flags=flags, **text)(handler)


_RB_CREATE = (
    "Name of the rolebinding to modify or create. If left empty creates a new "
    "rolebinding with a default name"
)
_RB_MODIFY = "Name of the rolebinding to modify. If left empty it will operate on all rolebindings"
_ROLE_NS = "namespace where the role is located: empty means a role defined in cluster policy"
_SA = "service account in the current namespace to use as a user"
_SA_LIST = Usage(_SA, type="stringSlice")
_SEE_ALSO = """
    To learn more, see information about RBAC and policy, or use the 'get' and 'describe'
    commands on the following resources: 'clusterroles', 'clusterrolebindings', 'roles',
    'rolebindings', 'users', 'groups', and 'serviceaccounts'."""
_BINDING_NAME = """
    If the --rolebinding-name argument is supplied, it will look for an existing role binding
    with that name. The role on the matching role binding MUST match the role name supplied
    to the command. If no role binding name is given, a default name will be used. When
    --role-namespace argument is specified as a non-empty value, it MUST match the current
    namespace. When role-namespace is specified, the role binding will reference a
    namespaced role. Otherwise, the role binding will reference a cluster role resource.
"""
_CLUSTER_BINDING_NAME = """
    If the --rolebinding-name argument is supplied, it will look for an existing cluster role
    binding with that name. The role on the matching cluster role binding MUST match the role
    name supplied to the command. If no role binding name is given, a default name will be
    used.
"""


_BOTH = (("policy",), ("adm", "policy"))
_ADM = (("adm", "policy"),)

_register(
    _BOTH,
    "add-role-to-user",
    (*NAMESPACED_FLAGS, SA_FLAG),
    lambda inv: add_role(inv, "user", cluster=False),
    use="add-role-to-user ROLE (USER | -z SERVICEACCOUNT) [USER ...]",
    short="Add a role to users or service accounts for the current project",
    long="""
    Add a role to users or service accounts for the project.

    This command allows you to grant a user access to specific resources and actions within
    the current project, by assigning them to a role. It creates or modifies a role binding
    referencing the specified role adding the user(s) or service account(s) to the list of
    subjects. The command does not require that the matching role or user/service account
    resources exist and will create the binding successfully even when the role or
    user/service account do not exist or when the user does not have access to view them.
"""
    + _BINDING_NAME
    + _SEE_ALSO,
    example="""
    # Add the 'view' role to user1 for the current project
    oc policy add-role-to-user view user1

    # Add the 'edit' role to serviceaccount1 for the current project
    oc policy add-role-to-user edit -z serviceaccount1""",
    usage={"rolebinding-name": _RB_CREATE, "role-namespace": _ROLE_NS, "serviceaccount": _SA_LIST},
)
_register(
    _BOTH,
    "add-role-to-group",
    NAMESPACED_FLAGS,
    lambda inv: add_role(inv, "group", cluster=False),
    use="add-role-to-group ROLE GROUP [GROUP ...]",
    short="Add a role to groups for the project",
    long="""
    Add a role to groups for the project

    This command allows you to grant a group access to specific resources and actions within
    the current project, by assigning them to a role. It creates or modifies a role binding
    referencing the specified role adding the group(s) to the list of subjects. The command
    does not require that the matching role or group resources exist and will create the
    binding successfully even when the role or group do not exist or when the user does not
    have access to view them.
"""
    + _BINDING_NAME
    + _SEE_ALSO,
    usage={"rolebinding-name": _RB_CREATE, "role-namespace": _ROLE_NS},
)
_register(
    _BOTH,
    "remove-role-from-user",
    (*NAMESPACED_FLAGS, SA_FLAG),
    lambda inv: remove_role(inv, "user", cluster=False),
    use="remove-role-from-user ROLE USER [USER ...]",
    short="Remove a role from users for the project",
    long="Remove a role from users for the project",
    usage={"rolebinding-name": _RB_MODIFY, "role-namespace": _ROLE_NS, "serviceaccount": _SA_LIST},
)
_register(
    _BOTH,
    "remove-role-from-group",
    NAMESPACED_FLAGS,
    lambda inv: remove_role(inv, "group", cluster=False),
    use="remove-role-from-group ROLE GROUP [GROUP ...]",
    short="Remove a role from groups for the project",
    long="Remove a role from groups for the project",
    usage={"rolebinding-name": _RB_MODIFY, "role-namespace": _ROLE_NS},
)
_register(
    _ADM,
    "add-cluster-role-to-user",
    (*CLUSTER_FLAGS, SA_FLAG),
    lambda inv: add_role(inv, "user", cluster=True),
    use="add-cluster-role-to-user ROLE (USER | -z serviceaccount) [user]...",
    short="Add a role to users for all projects in the cluster",
    long="""
    Add a role to users or service accounts across all projects

    This command allows you to grant a user access to specific resources and actions within
    the cluster, by assigning them to a role. It creates or modifies a cluster role binding
    referencing the specified cluster role, adding the user(s) or service account(s) to the
    list of subjects. This command does not require that the matching cluster role or
    user/service account resources exist and will create the binding successfully even when
    the role or user/service account do not exist or when the user does not have access to
    view them.
"""
    + _CLUSTER_BINDING_NAME
    + _SEE_ALSO,
    example="""
    # Add the 'system:build-strategy-docker' cluster role to the 'devuser' user
    oc adm policy add-cluster-role-to-user system:build-strategy-docker devuser""",
    # oc's own usage texts for these two flags have a search-and-replace slip in them
    usage={
        "rolebinding-name": "Name of the rolebinding to modify or create. If left "
        "empty creates a new rolebindo.RoleBindingNameg with a default name",
        "serviceaccount": Usage(
            "service account in the current namespace to use o.SANamess a user", type="stringSlice"
        ),
    },
)
_register(
    _ADM,
    "add-cluster-role-to-group",
    CLUSTER_FLAGS,
    lambda inv: add_role(inv, "group", cluster=True),
    use="add-cluster-role-to-group ROLE GROUP [GROUP...]",
    short="Add a role to groups for all projects in the cluster",
    long="""
    Add a role to groups for the project

    This command creates or modifies a cluster role binding with the named cluster role by
    adding the named group(s) to the list of subjects. The command does not require the
    matching role or group resources exist and will create the binding successfully even
    when the role or group do not exist or when the user does not have access to view them.

    If the --rolebinding-name argument is supplied, it will look for an existing cluster role
    binding with that name. The role on the matching cluster role binding MUST match the role
    name supplied to the command. If no rolebinding name is given, a default name will be
    used.""",
    example="""
    # Add the 'cluster-admin' cluster role to the 'cluster-admins' group
    oc adm policy add-cluster-role-to-group cluster-admin cluster-admins""",
    usage={"rolebinding-name": _RB_CREATE},
)
_register(
    _ADM,
    "remove-cluster-role-from-user",
    (*CLUSTER_FLAGS, SA_FLAG),
    lambda inv: remove_role(inv, "user", cluster=True),
    use="remove-cluster-role-from-user ROLE USER [USER...]",
    short="Remove a role from users for all projects in the cluster",
    long="Remove a role from users for all projects in the cluster",
    example="""
    # Remove the 'system:build-strategy-docker' cluster role from the 'devuser' user
    oc adm policy remove-cluster-role-from-user system:build-strategy-docker devuser""",
    usage={"rolebinding-name": _RB_MODIFY, "serviceaccount": _SA_LIST},
)
_register(
    _ADM,
    "remove-cluster-role-from-group",
    CLUSTER_FLAGS,
    lambda inv: remove_role(inv, "group", cluster=True),
    use="remove-cluster-role-from-group ROLE GROUP [GROUP...]",
    short="Remove a role from groups for all projects in the cluster",
    long="Remove a role from groups for all projects in the cluster",
    example="""
    # Remove the 'cluster-admin' cluster role from the 'cluster-admins' group
    oc adm policy remove-cluster-role-from-group cluster-admin cluster-admins""",
    usage={"rolebinding-name": _RB_MODIFY},
)


# -- who-can ------------------------------------------------------------------------------
def map_resource(arg: str, subresource: str = "") -> tuple[str, str, list[str]]:
    """``ResourceFor``: ``(group, resource, warnings)`` for a resource argument.

    Examples
    --------
    >>> map_resource("is")
    ('image.openshift.io', 'imagestreams', [])
    >>> map_resource("imagestreams/layers")
    ('', 'imagestreams/layers', ["Warning: the server doesn't have a resource type \
'imagestreams/layers'"])
    """
    warnings = []
    resource = resource_for(arg)
    if resource is None:
        name, _, group = arg.lower().partition(".")
        if group:
            warnings.append(
                f"Warning: the server doesn't have a resource type '{name}' in group '{group}'"
            )
        else:
            warnings.append(f"Warning: the server doesn't have a resource type '{name}'")
        return "", arg, warnings
    if subresource and not has_subresource(resource, subresource):
        both = f"{resource.name}/{subresource}"
        if resource.group:
            warnings.append(
                f"Warning: the server doesn't have a subresource '{both}' in "
                f"group '{resource.group}'"
            )
        else:
            warnings.append(f"Warning: the server doesn't have a subresource '{both}'")
    return resource.group, resource.name, warnings


def _policy(tx) -> tuple[list, list]:
    roles = [*tx.list("ClusterRole"), *tx.list("Role")]
    bindings = [*tx.list("ClusterRoleBinding"), *tx.list("RoleBinding")]
    return roles, bindings


WHO_CAN_FLAGS = (
    Flag("all-namespaces", "A", value=False, default=False),
    Flag("subresource", default=""),
    Flag("output", "o", default=""),
)


def who_can_command(inv: Invocation) -> str:
    """``oc adm policy who-can VERB RESOURCE [NAME] [-A] [--subresource=S]``."""
    if len(inv.args) not in (2, 3):
        raise OcError(
            "error: you must specify two or three arguments: verb, resource, and "
            "optional resourceName"
        )
    verb, arg = inv.args[0], inv.args[1]
    name = inv.args[2] if len(inv.args) == 3 else ""
    subresource = inv.flag("subresource") or ""
    group, resource, warnings = map_resource(arg, subresource)
    namespace = "" if inv.flag("all-namespaces") else inv.namespace
    roles, bindings = _policy(inv.tx)
    resource_arg, sub = resource, subresource
    if not sub and "/" in resource:  # ToDefaultAuthorizationAttributes splits it
        resource_arg, _, sub = resource.partition("/")
    result = who_can(verb, resource_arg, sub, namespace, name, roles, bindings, api_group=group)
    display = resource + (f".{group}" if group else "") + (f"/{subresource}" if subresource else "")
    body = str(result).replace(f"Resource:  {result.resource}", f"Resource:  {display}", 1)
    out = "".join(w + "\n" for w in warnings)
    return (
        out + "resourceaccessreviewresponse.authorization.openshift.io/<unknown> \n\n" + body + "\n"
    )


for _prefix in _BOTH:
    command(
        *_prefix,
        "who-can",
        flags=WHO_CAN_FLAGS,
        use="who-can VERB RESOURCE [NAME]",
        short="List who can perform the specified action on a resource",
        long="List who can perform the specified action on a resource",
        usage={
            "all-namespaces": "If true, list who can perform the specified action in all "
            "namespaces.",
            "subresource": "SubResource such as log or scale",
            "output": "Output format. One of: (json, yaml, kyaml, name, go-template, "
            "go-template-file, template, templatefile, jsonpath, "
            "jsonpath-as-json, jsonpath-file).",
        },
    )(who_can_command)

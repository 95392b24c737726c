"""``oc adm groups new|add-users|remove-users``: OpenShift ``Group`` objects.

Restates oc ``pkg/cli/admin/groups``: users are kept unique in the order given, output
is kubectl's name printer (``group.user.openshift.io/devs created``, ``... added:
"alice"``), a missing group is the API's ``NotFound``.
"""

from __future__ import annotations

from simkit.apiserver.errors import AlreadyExists, NotFound
from simkit.oc.command import Invocation, OcError, command
from simkit.oc.commands.policy import quote_targets
from simkit.state.accounts import Group

RESOURCE = "groups.user.openshift.io"
PREFIX = "group.user.openshift.io"


def _check_name(name: str) -> None:
    problem = ""
    if name in (".", ".."):
        problem = f"may not be '{name}'"
    for bad in ("/", "%", ":"):
        if bad in name:
            problem = f'may not contain "{bad}"'
    if problem:
        raise OcError(
            f'The Group "{name}" is invalid: metadata.name: Invalid value: "{name}": {problem}'
        )


@command(
    "adm",
    "groups",
    "new",
    use="new GROUP [USER ...]",
    short="Create a new group",
    long="""
    Create a new group.

    This command will create a new group with an optional list of users.
    """,
    example="""
    # Add a group with no users
    oc adm groups new my-group

    # Add a group with two users
    oc adm groups new my-group user1 user2""",
)
def groups_new(inv: Invocation) -> str:
    """``oc adm groups new GROUP [USER...]``."""
    if not inv.args:
        raise OcError("error: You must specify at least one argument: GROUP [USER ...]")
    name, *users = inv.args
    _check_name(name)
    if inv.tx.get("Group", ("", name)) is not None:
        raise AlreadyExists.of(RESOURCE, name)
    group = Group(name, list(dict.fromkeys(users)))
    inv.tx.put("Group", group.key, group)
    inv.tx.record("group_created", namespace=None, name=name, users=len(group.users))
    return f"{PREFIX}/{name} created\n"


def _modify(inv: Invocation, operation: str) -> str:
    if len(inv.args) < 2:
        raise OcError("error: you must specify at least two arguments: GROUP USER [USER ...]")
    name, *users = inv.args
    group = inv.tx.edit("Group", ("", name))
    if group is None:
        raise NotFound.of(RESOURCE, name)
    if operation == "added":
        group.users += [u for u in dict.fromkeys(users) if u not in group.users]
    else:
        group.users = [u for u in group.users if u not in users]
    inv.tx.record("group_updated", namespace=None, name=name, users=len(group.users))
    return f"{PREFIX}/{name} {operation}: {quote_targets(users)}\n"


@command(
    "adm",
    "groups",
    "add-users",
    use="add-users GROUP USER [USER ...]",
    short="Add users to a group",
    long="""
    Add users to a group.

    This command will append unique users to the list of members for a group.
    """,
    example="""
    # Add user1 and user2 to my-group
    oc adm groups add-users my-group user1 user2""",
)
def groups_add_users(inv: Invocation) -> str:
    """``oc adm groups add-users GROUP USER...``."""
    return _modify(inv, "added")


@command(
    "adm",
    "groups",
    "remove-users",
    use="remove-users GROUP USER [USER ...]",
    short="Remove users from a group",
    long="""
    Remove users from a group.

    This command will remove users from the list of members for a group.
    """,
    example="""
    # Remove user1 and user2 from my-group
    oc adm groups remove-users my-group user1 user2""",
)
def groups_remove_users(inv: Invocation) -> str:
    """``oc adm groups remove-users GROUP USER...``."""
    return _modify(inv, "removed")

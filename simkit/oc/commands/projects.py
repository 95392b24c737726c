"""``oc new-project``, ``oc project`` and ``oc projects``."""

from __future__ import annotations

import re

from simkit.apiserver.errors import AlreadyExists
from simkit.oc.command import Flag, Invocation, OcError, command
from simkit.state.projects import Project

SERVER = "https://api.sim.example.com:6443"
"""The API server URL oc prints; simkit's cluster lives nowhere."""

ADMIN_USER = "system:admin"
"""Who runs ``sim.oc``: the cluster admin."""

_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")

NEW_APP_HINT = """
You can add applications to this project with the 'new-app' command. For example, try:

    oc new-app rails-postgresql-example

to build a new example application in Ruby. Or use kubectl to deploy a simple Kubernetes application:

    kubectl create deployment hello-node --image=registry.k8s.io/e2e-test-images/agnhost:2.43 -- /agnhost serve-hostname

"""


def create_project(
    inv: Invocation,
    name: str,
    display_name: str = "",
    description: str = "",
    requester: str = ADMIN_USER,
) -> Project:
    """``POST projectrequests``: validate the name and stage the project's creation."""
    if not _NAME.match(name) or len(name) > 63:
        raise OcError(
            f'The ProjectRequest "{name}" is invalid: metadata.name: Invalid value: "{name}": '
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
            "'-', and must start and end with an alphanumeric character"
        )
    reserved = name.startswith(("openshift-", "kube-")) or name in ("openshift", "default", "kube")
    if reserved and inv.tx.get("Project", ("", name)) is None:
        raise OcError(
            f'Error from server (Forbidden): cannot request a project starting with "{name}"'
        )
    if inv.tx.get("Project", ("", name)) is not None:
        raise AlreadyExists.of("project.project.openshift.io", name)
    project = Project(
        name,
        created=inv.now,
        requester=requester,
        display_name=display_name,
        description=description,
    )
    inv.tx.put("Project", project.key, project)
    inv.tx.record("project_created", namespace=name, requester=requester)
    return project


@command(
    "new-project",
    flags=(
        Flag("display-name", default=""),
        Flag("description", default=""),
        Flag("skip-config-write", value=False, default=False),
    ),
    use="new-project NAME [--display-name=DISPLAYNAME] [--description=DESCRIPTION]",
    short="Request a new project",
    long="""
    Create a new project for yourself.

    If your administrator allows self-service, this command will create a new project for
    you and assign you as the project admin.

    After your project is created it will become the default project in your config.""",
    example="""
    # Create a new project with minimal information
    oc new-project web-team-dev

    # Create a new project with a display name and description
    oc new-project web-team-dev --display-name="Web Team Development" --description="Development project for the web team.\"""",  # noqa: E501
    usage={
        "display-name": "Project display name",
        "description": "Project description",
        "skip-config-write": "If true, the project will not be set as a cluster entry "
        "in kubeconfig after being created",
    },
)
def new_project(inv: Invocation) -> str:
    """``oc new-project NAME [--display-name=...] [--description=...]``."""
    if len(inv.args) != 1:
        raise inv.usage_error("must have exactly one argument")
    name = inv.args[0]
    create_project(inv, name, inv.flag("display-name"), inv.flag("description"))
    if inv.flag("skip-config-write"):
        return (
            f'Project "{name}" created on server "{SERVER}".\n\nTo switch to this project '
            f"and start adding applications, use:\n\n    oc project {name}\n"
        )
    inv.sim.current_project = name
    return f'Now using project "{name}" on server "{SERVER}".\n' + NEW_APP_HINT


@command(
    "project",
    flags=(Flag("short", "q", value=False, default=False),),
    use="project [NAME]",
    short="Switch to another project",
    long="""
    Switch to another project and make it the default in your configuration.

    If no project was specified on the command line, display information about the current
    active project. Since you can use this command to connect to projects on different
    servers, you will occasionally encounter projects of the same name on different servers.
    When switching to that project, a new local context will be created that will have a
    unique name - for instance, 'myapp-2'. If you have previously created a context with a
    different name than the project name, this command will accept that context name
    instead.

    For advanced configuration, or to manage the contents of your config file, use the
    'config' command.""",
    example="""
    # Switch to the 'myapp' project
    oc project myapp

    # Display the project currently in use
    oc project""",
    usage={"short": "If true, display only the project name"},
)
def project(inv: Invocation) -> str:
    """``oc project [NAME]``: show or switch the current project."""
    sim = inv.sim
    if not inv.args:
        if inv.flag("short"):
            return sim.current_project + "\n"
        return f'Using project "{sim.current_project}" on server "{SERVER}".\n'
    name = inv.args[0]
    if inv.tx.get("Project", ("", name)) is None:
        names = sorted(p.name for p in inv.tx.list("Project"))
        listing = "".join(f"\n* {n}" for n in names)
        raise OcError(
            f'error: A project named "{name}" does not exist on "{SERVER}".\nYour projects are:'
            f"{listing}\nTo see projects on another server, pass '--server=<server>'."
        )
    if sim.current_project == name:
        return f'Already on project "{name}" on server "{SERVER}".\n'
    sim.current_project = name
    return f'Now using project "{name}" on server "{SERVER}".\n'


@command(
    "projects",
    flags=(Flag("short", "q", value=False, default=False),),
    use="projects",
    short="Display existing projects",
    long="""
    Display information about the current active project and existing projects on the server.

    For advanced configuration, or to manage the contents of your config file, use the
    'config' command.""",
    example="""
    # List all projects
    oc projects""",
    usage={"short": "If true, display only the project names"},
)
def projects(inv: Invocation) -> str:
    """``oc projects``: the projects, the current one starred."""
    names = sorted(p.name for p in inv.tx.list("Project"))
    if inv.flag("short"):
        return "".join(f"{n}\n" for n in names)
    lines = [
        "You have access to the following projects and can switch between them with "
        "' project <projectname>':\n"
    ]
    for n in names:
        lines.append(f"  {'* ' if n == inv.sim.current_project else '  '}{n}")
    lines.append(f'\nUsing project "{inv.sim.current_project}" on server "{SERVER}".')
    return "\n".join(lines) + "\n"

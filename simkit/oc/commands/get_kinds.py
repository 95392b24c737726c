"""``oc get`` for the other kinds simkit stores: images, nodes, namespaces, projects, roles,
role bindings (and their cluster variants), groups, deployments and deployment configs.

Every ``-o`` format goes through :func:`simkit.oc.output.print_generic`; the tables are
the server-side printers as kubectl lays them out, computed from the API object:

* ``Node`` (kubernetes ``pkg/printers/internalversion/printers.go`` ``printNode``):
  ``NAME STATUS ROLES AGE VERSION``, ``-o wide`` adds ``INTERNAL-IP EXTERNAL-IP
  OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME`` (``<none>``/``<unknown>`` when empty);
* ``Namespace`` (``printNamespace``): ``NAME STATUS AGE``;
* ``RoleBinding``/``ClusterRoleBinding`` (``printRoleBinding``): ``NAME ROLE AGE``
  (``Kind/name``), ``-o wide`` adds ``USERS GROUPS SERVICEACCOUNTS``;
* ``Role``/``ClusterRole`` (no printer: the API server's default table):
  ``NAME CREATED AT``;
* ``Deployment`` (``printDeployment``): ``NAME READY UP-TO-DATE AVAILABLE AGE``,
  ``-o wide`` adds ``CONTAINERS IMAGES SELECTOR``;
* ``Image`` (openshift-apiserver ``pkg/image/printers/internalversion/printer.go``
  ``printImage``, commit 56aa2d96edd725e44ddd7ff13f23e53e6c509828): ``NAME IMAGE
  REFERENCE``;
* ``Project``, ``Group``, ``DeploymentConfig`` (openshift-apiserver's printers):
  ``NAME DISPLAY NAME STATUS``, ``NAME USERS``, ``NAME REVISION DESIRED CURRENT
  TRIGGERED BY``.

A missing ``metadata.creationTimestamp`` prints as ``<unknown>`` (AGE) or Go's zero
time (CREATED AT), as kubectl does for such an object.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from simkit._go.tabwriter import align
from simkit.oc.command import Flag, Invocation, OcError, command
from simkit.oc.humanize import short_duration
from simkit.oc.output import GET_OUTPUT_FLAGS, api_object, output_format, print_generic
from simkit.state.workloads import RUNNING

__all__ = ["KINDS"]

Row = Callable[[dict[str, Any], Invocation], list[str]]


def _age(obj: dict[str, Any], inv: Invocation) -> str:
    created = (obj.get("metadata") or {}).get("creationTimestamp")
    if not created:
        return "<unknown>"
    elapsed = (pd.Timestamp(inv.sim.rfc3339(inv.now)) - pd.Timestamp(created)).total_seconds()
    return short_duration(elapsed)


def _created_at(obj: dict[str, Any], inv: Invocation) -> str:
    return (obj.get("metadata") or {}).get("creationTimestamp") or "0001-01-01T00:00:00Z"


def _node_row(obj: dict[str, Any], inv: Invocation) -> list[str]:
    status = obj.get("status") or {}
    ready = [c for c in status.get("conditions") or [] if c.get("type") == "Ready"]
    state = ("Ready" if ready[0].get("status") == "True" else "NotReady") if ready else "Unknown"
    labels = (obj.get("metadata") or {}).get("labels") or {}
    roles = sorted(
        k.partition("/")[2]
        for k in labels
        if k.startswith("node-role.kubernetes.io/") and k.partition("/")[2]
    )
    info = status.get("nodeInfo") or {}
    return [
        obj["metadata"]["name"],
        state,
        ",".join(roles) or "<none>",
        _age(obj, inv),
        info.get("kubeletVersion", ""),
    ]


def _node_wide(obj: dict[str, Any], inv: Invocation) -> list[str]:
    status = obj.get("status") or {}
    addresses = {a.get("type"): a.get("address") for a in status.get("addresses") or []}
    info = status.get("nodeInfo") or {}
    return [
        addresses.get("InternalIP") or "<none>",
        addresses.get("ExternalIP") or "<none>",
        info.get("osImage") or "<unknown>",
        info.get("kernelVersion") or "<unknown>",
        info.get("containerRuntimeVersion") or "<unknown>",
    ]


def _binding_row(obj: dict[str, Any], inv: Invocation) -> list[str]:
    ref = obj.get("roleRef") or {}
    return [obj["metadata"]["name"], f"{ref.get('kind', '')}/{ref.get('name', '')}", _age(obj, inv)]


def _binding_wide(obj: dict[str, Any], inv: Invocation) -> list[str]:
    """``rbac.SubjectsStrings``: users, groups, ``namespace/name`` service accounts."""
    users, groups, accounts = [], [], []
    for subject in obj.get("subjects") or []:
        kind, name = subject.get("kind"), subject.get("name", "")
        if kind == "User":
            users.append(name)
        elif kind == "Group":
            groups.append(name)
        elif kind == "ServiceAccount":
            accounts.append(f"{subject.get('namespace', '')}/{name}")
    return [", ".join(users), ", ".join(groups), ", ".join(accounts)]


def _owned_pods(obj: dict[str, Any], inv: Invocation) -> list[Any]:
    prefix = f"{obj['kind']}/{obj['metadata']['name']}#"
    return [
        p
        for p in inv.tx.list("Pod", obj["metadata"].get("namespace"))
        if p.owner.startswith(prefix)
    ]


def _deployment_row(obj: dict[str, Any], inv: Invocation) -> list[str]:
    pods = _owned_pods(obj, inv)
    running = sum(p.status == RUNNING for p in pods)
    replicas = (obj.get("spec") or {}).get("replicas", 1)
    return [
        obj["metadata"]["name"],
        f"{running}/{replicas}",
        str(len(pods)),
        str(running),
        _age(obj, inv),
    ]


def _deployment_wide(obj: dict[str, Any], inv: Invocation) -> list[str]:
    containers = (((obj.get("spec") or {}).get("template") or {}).get("spec") or {}).get(
        "containers"
    ) or []
    selector = ((obj.get("spec") or {}).get("selector") or {}).get("matchLabels") or {}
    return [
        ",".join(c.get("name", "") for c in containers),
        ",".join(c.get("image", "") for c in containers),
        ",".join(f"{k}={v}" for k, v in sorted(selector.items())) or "<none>",
    ]


def _dc_row(obj: dict[str, Any], inv: Invocation) -> list[str]:
    workload = inv.tx.get(
        "DeploymentConfig", (obj["metadata"]["namespace"], obj["metadata"]["name"])
    )
    triggers = []
    for trigger in (obj.get("spec") or {}).get("triggers") or []:
        params = trigger.get("imageChangeParams") or {}
        if trigger.get("type") == "ImageChange" and params.get("automatic"):
            triggers.append(f"image({(params.get('from') or {}).get('name', '')})")
        elif trigger.get("type") == "ConfigChange":
            triggers.append("config")
    replicas = (obj.get("spec") or {}).get("replicas", 1)
    current = sum(p.status == RUNNING for p in _owned_pods(obj, inv))
    return [
        obj["metadata"]["name"],
        str(workload.revision if workload else 0),
        str(replicas),
        str(current),
        ",".join(triggers),
    ]


@dataclass(frozen=True)
class Kind:
    """A kind ``oc get`` serves here: its store, names and table."""

    store: str
    plural: str
    aliases: tuple[str, ...]
    namespaced: bool
    header: tuple[str, ...]
    row: Row
    wide_header: tuple[str, ...] = ()
    wide: Row | None = None


KINDS = (
    Kind(
        "Image",
        "images.image.openshift.io",
        ("images", "image"),
        False,
        ("NAME", "IMAGE REFERENCE"),
        lambda o, inv: [o["metadata"]["name"], o.get("dockerImageReference", "")],
    ),
    Kind(
        "Node",
        "nodes",
        ("nodes", "node", "no"),
        False,
        ("NAME", "STATUS", "ROLES", "AGE", "VERSION"),
        _node_row,
        ("INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"),
        _node_wide,
    ),
    Kind(
        "Namespace",
        "namespaces",
        ("namespaces", "namespace", "ns"),
        False,
        ("NAME", "STATUS", "AGE"),
        lambda o, inv: [o["metadata"]["name"], "Active", _age(o, inv)],
    ),
    Kind(
        "Project",
        "projects.project.openshift.io",
        ("projects", "project"),
        False,
        ("NAME", "DISPLAY NAME", "STATUS"),
        lambda o, inv: [
            o["metadata"]["name"],
            ((o["metadata"].get("annotations") or {}).get("openshift.io/display-name") or ""),
            "Active",
        ],
    ),
    Kind(
        "Role",
        "roles.rbac.authorization.k8s.io",
        ("roles", "role"),
        True,
        ("NAME", "CREATED AT"),
        lambda o, inv: [o["metadata"]["name"], _created_at(o, inv)],
    ),
    Kind(
        "ClusterRole",
        "clusterroles.rbac.authorization.k8s.io",
        ("clusterroles", "clusterrole"),
        False,
        ("NAME", "CREATED AT"),
        lambda o, inv: [o["metadata"]["name"], _created_at(o, inv)],
    ),
    Kind(
        "RoleBinding",
        "rolebindings.rbac.authorization.k8s.io",
        ("rolebindings", "rolebinding"),
        True,
        ("NAME", "ROLE", "AGE"),
        _binding_row,
        ("USERS", "GROUPS", "SERVICEACCOUNTS"),
        _binding_wide,
    ),
    Kind(
        "ClusterRoleBinding",
        "clusterrolebindings.rbac.authorization.k8s.io",
        ("clusterrolebindings", "clusterrolebinding"),
        False,
        ("NAME", "ROLE", "AGE"),
        _binding_row,
        ("USERS", "GROUPS", "SERVICEACCOUNTS"),
        _binding_wide,
    ),
    Kind(
        "Group",
        "groups.user.openshift.io",
        ("groups", "group"),
        False,
        ("NAME", "USERS"),
        lambda o, inv: [o["metadata"]["name"], ", ".join(o.get("users") or [])],
    ),
    Kind(
        "Deployment",
        "deployments.apps",
        ("deployments", "deployment", "deploy"),
        True,
        ("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"),
        _deployment_row,
        ("CONTAINERS", "IMAGES", "SELECTOR"),
        _deployment_wide,
    ),
    Kind(
        "DeploymentConfig",
        "deploymentconfigs.apps.openshift.io",
        ("deploymentconfigs", "deploymentconfig", "dc"),
        True,
        ("NAME", "REVISION", "DESIRED", "CURRENT", "TRIGGERED BY"),
        _dc_row,
    ),
)

_STORE = {"Namespace": "Project"}  # a Namespace is stored as its Project


def _get(kind: Kind) -> Callable[[Invocation], str]:
    def handler(inv: Invocation) -> str:
        output = output_format(inv)
        all_namespaces = bool(inv.flag("all-namespaces"))
        names = [a.partition("/")[2] if "/" in a else a for a in inv.args]
        if all_namespaces and names:
            raise OcError("error: a resource cannot be retrieved by name across all namespaces")
        store = _STORE.get(kind.store, kind.store)
        namespace = inv.namespace if kind.namespaced else ""
        errors: list[str] = []
        if names:
            found = []
            for name in names:
                obj = inv.tx.get(store, (namespace, name))
                if obj is not None:
                    found.append(obj)
                elif not inv.flag("ignore-not-found"):
                    errors.append(f'Error from server (NotFound): {kind.plural} "{name}" not found')
        else:
            scope = None if all_namespaces or not kind.namespaced else namespace
            found = sorted(
                inv.tx.list(store, scope),
                key=lambda o: (
                    getattr(o, "namespace", ""),
                    getattr(o, "name", getattr(o, "digest", "")),
                ),
            )
        if not output.table:
            return print_generic(
                inv, output, kind.store, found, single=len(names) == 1, errors=errors
            )
        if not found:
            if errors:
                raise OcError("\n".join(errors))
            if inv.flag("ignore-not-found"):
                return ""
            if kind.namespaced and not all_namespaces:
                return f"No resources found in {namespace} namespace.\n"
            return "No resources found\n"
        wide_row = kind.wide if output.kind == "wide" else None
        wide = wide_row is not None
        header = list(kind.header) + (list(kind.wide_header) if wide else [])
        with_namespace = kind.namespaced and all_namespaces
        lines = (
            []
            if inv.flag("no-headers")
            else ["\t".join((["NAMESPACE"] if with_namespace else []) + header)]
        )
        for obj in found:
            shown = api_object(kind.store, obj, inv.sim)
            cells = kind.row(shown, inv) + (wide_row(shown, inv) if wide_row is not None else [])
            if with_namespace:
                cells = [obj.namespace, *cells]
            lines.append("\t".join(cells))
        text = align("\n".join(lines) + "\n")
        if errors:
            raise OcError(text + "\n".join(errors))
        return text

    handler.__doc__ = f"``oc get {kind.aliases[0]} [NAME...] [-o FORMAT]``."
    return handler


_FLAGS = (*GET_OUTPUT_FLAGS, Flag("all-namespaces", "A", value=False, default=False))
for _kind in KINDS:
    _handler = _get(_kind)
    for _alias in _kind.aliases:
        command("get", _alias, flags=_FLAGS)(_handler)

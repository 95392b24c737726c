"""``oc describe KIND NAME`` for pods, service accounts, secrets, RBAC, nodes, projects,
image stream tags and images, and ``oc get events``.

``oc describe is`` stays in :mod:`simkit.oc.commands.get`. The texts come from
:mod:`simkit.oc.describers`; events from :mod:`simkit.oc.kube_events`, a view of the
event log. kubectl ``describe``: with names, each object is fetched (a missing one is
``Error from server (NotFound): KIND "NAME" not found`` after the others); without,
every object of the kind in the namespace, separated by a blank line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from simkit.oc.command import Flag, Invocation, OcError, command
from simkit.oc.describers import (
    describe_image,
    describe_node,
    describe_pod,
    describe_project,
    describe_role,
    describe_role_binding,
    describe_secret,
    describe_service_account,
    get_events,
)
from simkit.oc.kube_events import KubeEvent, event_to_api, kube_events
from simkit.oc.output import as_list, to_json, to_yaml
from simkit.refs import InvalidReference, parse_image_stream_tag_name
from simkit.rules.tags import latest_tagged_image

_ALL = (Flag("all-namespaces", "A", value=False, default=False),)


def _describer(
    kind: str, plural: str, namespaced: bool, render: Callable[[Any, Invocation], str]
) -> Callable[[Invocation], str]:
    def handler(inv: Invocation) -> str:
        namespace = inv.namespace if namespaced else ""
        if not inv.args:
            scope = None if (inv.flag("all-namespaces") or not namespaced) else namespace
            objects = sorted(inv.tx.list(kind, scope), key=lambda o: o.key)
            if not objects:
                if namespaced and scope is not None:
                    return f"No resources found in {namespace} namespace.\n"
                return "No resources found\n"
            return "\n\n".join(render(o, inv) for o in objects)
        found, errors = [], []
        for name in inv.args:
            obj = inv.tx.get(kind, (namespace, name))
            if obj is None:
                errors.append(f'Error from server (NotFound): {plural} "{name}" not found')
            else:
                found.append(render(obj, inv))
        text = "\n\n".join(found)
        if errors:
            raise OcError((text + "\n" if text else "") + "\n".join(errors))
        return text

    return handler


_KINDS: list[tuple[tuple[str, ...], str, str, bool, Callable[[Any, Invocation], str]]] = [
    (("pod", "pods", "po"), "Pod", "pods", True, lambda o, inv: describe_pod(o, inv.sim)),
    (
        ("sa", "serviceaccount", "serviceaccounts"),
        "ServiceAccount",
        "serviceaccounts",
        True,
        lambda o, inv: describe_service_account(o, inv.sim),
    ),
    (("secret", "secrets"), "Secret", "secrets", True, lambda o, inv: describe_secret(o)),
    (
        ("role", "roles", "role.rbac.authorization.k8s.io"),
        "Role",
        "roles.rbac.authorization.k8s.io",
        True,
        lambda o, inv: describe_role(o),
    ),
    (
        ("clusterrole", "clusterroles"),
        "ClusterRole",
        "clusterroles.rbac.authorization.k8s.io",
        False,
        lambda o, inv: describe_role(o),
    ),
    (
        ("rolebinding", "rolebindings"),
        "RoleBinding",
        "rolebindings.rbac.authorization.k8s.io",
        True,
        lambda o, inv: describe_role_binding(o),
    ),
    (
        ("clusterrolebinding", "clusterrolebindings"),
        "ClusterRoleBinding",
        "clusterrolebindings.rbac.authorization.k8s.io",
        False,
        lambda o, inv: describe_role_binding(o),
    ),
    (("node", "nodes", "no"), "Node", "nodes", False, lambda o, inv: describe_node(o, inv.sim)),
    (
        ("project", "projects"),
        "Project",
        "projects.project.openshift.io",
        False,
        lambda o, inv: describe_project(o, inv.sim),
    ),
]

for _aliases, _kind, _plural, _namespaced, _render in _KINDS:
    for _alias in _aliases:
        command("describe", _alias, flags=_ALL)(_describer(_kind, _plural, _namespaced, _render))


def _describe_istag(inv: Invocation) -> str:
    """``oc describe istag NAME:TAG`` (oc ``ImageStreamTagDescriber``)."""
    if not inv.args:
        raise OcError("error: simkit describes image stream tags by name: NAME:TAG")
    out, errors = [], []
    for arg in inv.args:
        try:
            stream_name, tag = parse_image_stream_tag_name(arg if ":" in arg else f"{arg}:latest")
        except InvalidReference:
            raise OcError("error: ImageStreamTags must be retrieved with <name>:<tag>") from None
        stream = inv.tx.get("ImageStream", (inv.namespace, stream_name))
        event = latest_tagged_image(stream, tag) if stream is not None else None
        image = inv.tx.get("Image", ("", event.image)) if event and event.image else None
        if image is None:
            errors.append(
                "Error from server (NotFound): imagestreamtags.image.openshift.io "
                f'"{stream_name}:{tag}" not found'
            )
            continue
        out.append(describe_image(image, inv.sim, image.digest))
    return _finish(out, errors)


def _describe_isimage(inv: Invocation) -> str:
    """``oc describe isimage NAME@DIGEST`` (oc ``ImageStreamImageDescriber``)."""
    if not inv.args:
        raise OcError("error: simkit describes image stream images by name: NAME@DIGEST")
    out, errors = [], []
    for arg in inv.args:
        stream_name, at, digest = arg.partition("@")
        if not at:
            raise OcError(f'error: expected "name@digest", got "{arg}"')
        stream = inv.tx.get("ImageStream", (inv.namespace, stream_name))
        known = stream is not None and any(
            item.image == digest
            for history in stream.status_tags.values()
            for item in history.items
        )
        image = inv.tx.get("Image", ("", digest)) if known else None
        if image is None:
            errors.append(
                "Error from server (NotFound): imagestreamimages.image.openshift.io "
                f'"{arg}" not found'
            )
            continue
        out.append(describe_image(image, inv.sim, image.digest))
    return _finish(out, errors)


def _finish(out: list[str], errors: list[str]) -> str:
    text = "\n\n".join(out)
    if errors:
        raise OcError((text + "\n" if text else "") + "\n".join(errors))
    return text


for _alias in ("istag", "imagestreamtag", "imagestreamtags"):
    command("describe", _alias)(_describe_istag)
for _alias in ("isimage", "imagestreamimage", "imagestreamimages"):
    command("describe", _alias)(_describe_isimage)


# -- oc get events -----------------------------------------------------------------------
EVENT_FIELDS = {
    "metadata.name": lambda e: e.name,
    "metadata.namespace": lambda e: e.namespace,
    "involvedObject.kind": lambda e: e.involved_kind,
    "involvedObject.namespace": lambda e: e.namespace,
    "involvedObject.name": lambda e: e.involved_name,
    "involvedObject.uid": lambda e: e.involved_uid,
    "involvedObject.apiVersion": lambda e: e.involved_api_version,
    "involvedObject.resourceVersion": lambda e: "",
    "involvedObject.fieldPath": lambda e: e.field_path,
    "reason": lambda e: e.reason,
    "reportingComponent": lambda e: e.reporting_controller,
    "source": lambda e: e.source_component,
    "type": lambda e: e.type,
}
"""The event fields a field selector may name (kubernetes ``pkg/registry/core/event/
strategy.go`` ``ToSelectableFields``)."""


def parse_field_selector(text: str) -> list[tuple[str, bool, str]]:
    """``fields.ParseSelector``: ``a=b,c!=d`` as ``(field, equal, value)`` terms.

    Examples
    --------
    >>> parse_field_selector("involvedObject.name=web,type!=Normal")
    [('involvedObject.name', True, 'web'), ('type', False, 'Normal')]
    """
    terms = []
    for part in filter(None, text.split(",")):
        for op, equal in (("!=", False), ("==", True), ("=", True)):
            field, found, value = part.partition(op)
            if found:
                terms.append((field.strip(), equal, value.strip()))
                break
        else:
            raise OcError(f"error: invalid selector: '{text}'; can't understand '{part}'")
    for field, _, _ in terms:
        if field not in EVENT_FIELDS:
            raise OcError(
                f'Error from server (BadRequest): Unable to find "/v1, '
                f'Resource=events" that match label selector "", field selector '
                f'"{text}": field label not supported: {field}'
            )
    return terms


def _sort_key(path: str, inv: Invocation) -> Callable[[KubeEvent], tuple]:
    """``--sort-by``: a JSONPath into the Event object; unset values sort first."""
    steps = path.strip().removeprefix("{").removesuffix("}").strip().lstrip(".").split(".")
    if not steps or not all(steps):
        raise OcError(f"error: couldn't parse the sort-by expression {path!r}")

    def key(event: KubeEvent) -> tuple:
        value: Any = event_to_api(event, inv.sim.start)
        for step in steps:
            value = value.get(step) if isinstance(value, dict) else None
        return (0, "") if value is None else (1, value)

    return key


EVENT_FLAGS = (
    Flag("all-namespaces", "A", value=False, default=False),
    Flag(
        "field-selector",
        default="",
        usage=(
            "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. "
            "--field-selector key1=value1,key2=value2). The server only supports a limited number "
            "of field queries per type."
        ),
    ),
    Flag(
        "sort-by",
        default="",
        usage=(
            "If non-empty, sort list types using this field specification.  The field "
            "specification is expressed as a JSONPath expression (e.g. '{.metadata.name}'). The "
            "field in the API resource specified by this JSONPath expression must be an integer "
            "or a string."
        ),
    ),
    Flag("no-headers", value=False, default=False),
    Flag("output", "o", default=""),
)


@command("get", "events", flags=EVENT_FLAGS)
def get_events_command(inv: Invocation) -> str:
    """``oc get events [-n NS|-A] [--field-selector F=V,...] [--sort-by=PATH]``.

    Listed in etcd key order (namespace, then name: ``<object>.<hex UnixNano>``)
    unless sorted; an empty listing is kubectl get's ``No resources found in NS
    namespace.``
    """
    output = inv.flag("output") or ""
    if output not in ("", "wide", "yaml", "json", "name"):
        raise OcError(f'error: simkit prints events with -o wide|yaml|json|name, not "{output}"')
    all_namespaces = bool(inv.flag("all-namespaces"))
    events = [e for e in kube_events(inv.sim) if all_namespaces or e.namespace == inv.namespace]
    if inv.args:
        wanted = set(inv.args)
        events = [e for e in events if e.name in wanted]
        missing = sorted(wanted - {e.name for e in events})
        if missing:
            raise OcError(
                "\n".join(f'Error from server (NotFound): events "{n}" not found' for n in missing)
            )
    for field, equal, value in parse_field_selector(inv.flag("field-selector") or ""):
        events = [e for e in events if (EVENT_FIELDS[field](e) == value) == equal]
    events.sort(key=lambda e: (e.namespace, e.name))
    if inv.flag("sort-by"):
        events.sort(key=_sort_key(inv.flag("sort-by"), inv))
    if output in ("yaml", "json"):
        objects = [event_to_api(e, inv.sim.start) for e in events]
        obj = objects[0] if len(inv.args) == 1 and objects else as_list(objects)
        return to_yaml(obj) if output == "yaml" else to_json(obj)
    if output == "name":
        return "".join(f"event/{e.name}\n" for e in events)
    if not events:
        if all_namespaces:
            return "No resources found\n"
        return f"No resources found in {inv.namespace} namespace.\n"
    return get_events(
        events,
        inv.sim,
        all_namespaces=all_namespaces,
        no_headers=bool(inv.flag("no-headers")),
        wide=output == "wide",
    )


for _alias in ("event", "ev"):
    command("get", _alias, flags=EVENT_FLAGS)(get_events_command)

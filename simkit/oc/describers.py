"""``oc describe`` of the kinds beyond image streams, and ``oc get events``.

Restated from the kubectl that oc vendors (openshift/oc ``vendor/k8s.io/kubectl/pkg/
describe/describe.go``, kubectl v0.35.2, oc commit 6b8e30c5b39a): ``describePod``,
``describeServiceAccount``, ``describeSecret``, ``RoleDescriber``/``ClusterRoleDescriber``
(with kubectl ``pkg/util/rbac`` ``BreakdownRule``, ``CompactRules``,
``SortableRuleSlice``), ``RoleBindingDescriber``/``ClusterRoleBindingDescriber``,
``describeNode`` and ``DescribeEvents``; from oc ``pkg/helpers/describe/describer.go``:
``ProjectDescriber`` and ``DescribeImage`` (istag, isimage). The ``oc get events``
table is kubernetes ``pkg/printers/internalversion/printers.go`` ``printEvent``.

kubectl lays describers out with ``tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)`` and
``PrefixWriter`` levels of two spaces; ``DescribeEvents`` flushes first, so the events
table is aligned on its own. oc's own describers (project, images) use tabs (see
:mod:`simkit.oc.printers`).

Deliberate differences, where simkit's rules win over upstream:

* a ``kubernetes.io/service-account-token`` secret's ``token`` is printed by kubectl
  in full; simkit prints its size like every other key (no secret value is ever
  printed);
* simkit models no pod IPs, volumes or resources, and no node addresses, capacity or
  system info: those lines are left out rather than invented. ``oc describe node``
  ends with the node's image store (``status.images`` in the API) and its pull-secret
  generation, which kubectl does not print.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

import pandas as pd

from simkit._go.tabwriter import TabConfig, align
from simkit.oc.humanize import api_seconds, human_duration, short_duration
from simkit.oc.kube_events import KubeEvent
from simkit.oc.printers import table
from simkit.refs import InvalidReference, parse_image
from simkit.state.workloads import RUNNING, TERMINATED

if TYPE_CHECKING:
    from simkit.simulation import Simulation
    from simkit.state.accounts import Secret, ServiceAccount
    from simkit.state.nodes import Node
    from simkit.state.projects import Project
    from simkit.state.rbac import PolicyRule, Role, RoleBinding
    from simkit.state.workloads import Pod

__all__ = [
    "KUBE_DESCRIBE",
    "describe_events",
    "describe_node",
    "describe_pod",
    "describe_project",
    "describe_role",
    "describe_role_binding",
    "describe_secret",
    "describe_service_account",
    "events_for",
    "format_tolerations",
    "get_events",
]

#: ``tabbedString``: minwidth 0, tabwidth 8, padding 2, padded with spaces.
KUBE_DESCRIBE = TabConfig(minwidth=0, tabwidth=8, padding=2, padchar=" ")
MAX_ANNOTATION_LEN = 140
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"

Write = Callable[[str], object]


def _writer(parts: list[str]) -> Callable[[int, str], None]:
    """``PrefixWriter.Write``: two spaces per level."""

    def write(level: int, text: str) -> None:
        parts.append("  " * level + text)

    return write


def _labels(write: Callable[[int, str], None], title: str, labels: Mapping[str, str]) -> None:
    """``printLabelsMultiline``."""
    if not labels:
        write(0, f"{title}:\t<none>\n")
        return
    for i, key in enumerate(sorted(labels)):
        write(0, (f"{title}:\t" if i == 0 else "\t") + f"{key}={labels[key]}\n")


def _annotations(
    write: Callable[[int, str], None], title: str, annotations: Mapping[str, str]
) -> None:
    """``printAnnotationsMultiline``: long or multi-line values on their own lines."""
    keys = sorted(k for k in annotations if k != LAST_APPLIED)
    if not keys:
        write(0, f"{title}:\t<none>\n")
        return
    for i, key in enumerate(keys):
        lead = f"{title}:\t" if i == 0 else "\t"
        value = annotations[key].removesuffix("\n")
        if len(value) + len(key) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
            write(0, f"{lead}{key}:\n")
            for line in value.split("\n"):
                cut = MAX_ANNOTATION_LEN - 2
                shown = line[:cut] + "..." if len(line) > cut else line
                write(0, f"\t  {shown}\n")
        else:
            write(0, f"{lead}{key}: {value}\n")


def _rfc1123z(sim: Simulation, seconds: float) -> str:
    """Go's ``time.RFC1123Z`` of an API time: ``Thu, 01 Jan 2026 00:00:05 +0000``."""
    stamp = sim.start + pd.Timedelta(seconds=api_seconds(seconds))
    return stamp.strftime("%a, %d %b %Y %H:%M:%S +0000")


def _since(sim: Simulation, seconds: float | None, micro: bool = False) -> str:
    """``translateTimestampSince`` (``translateMicroTimestampSince`` when ``micro``)."""
    if seconds is None:
        return "<unknown>"
    then = seconds if micro else api_seconds(seconds)
    return short_duration(sim.now - then)


# -- events ------------------------------------------------------------------------------
def events_for(
    sim: Simulation, kind: str, namespace: str, name: str, uid: str = ""
) -> list[KubeEvent]:
    """``searchEvents``: the events whose ``involvedObject`` is this object.

    The field selector names kind, namespace and name, and the uid when the object
    has one.
    """
    from simkit.oc.kube_events import kube_events

    return [
        e
        for e in kube_events(sim)
        if e.involved_kind == kind
        and e.namespace == namespace
        and e.involved_name == name
        and (not uid or not e.involved_uid or e.involved_uid == uid)
    ]


def describe_events(events: Iterable[KubeEvent], sim: Simulation) -> str:
    """``DescribeEvents``: the ``Events:`` table, aligned on its own (it flushes first).

    Rows are ordered by ``lastTimestamp`` (``eventTime`` when unset), oldest first;
    the age is ``LAST (xCOUNT over FIRST)`` for an event seen more than once; a
    container's events have its ``fieldPath`` before the message. No events give
    ``""``: the caller writes ``Events:<TAB><none>`` with the rest (see
    :func:`_with_events`).
    """
    events = sorted(events, key=lambda e: e.last_seen)  # Go's sort.Sort; stable here
    if not events:
        return ""
    lines = [
        "Events:\n  Type\tReason\tAge\tFrom\tMessage\n",
        "  ----\t------\t----\t----\t-------\n",
    ]
    for e in events:
        micro = e.event_time is not None
        first = _since(sim, e.event_time if micro else e.first_timestamp, micro)
        if e.count > 1 and not micro:
            interval = f"{_since(sim, e.last_timestamp)} (x{e.count} over {first})"
        else:
            interval = first
        source = e.source_component or e.reporting_controller
        message = e.message.strip()
        if e.field_path:
            message = f"{e.field_path}: {message}"
        lines.append(f"  {e.type}\t{e.reason}\t{interval}\t{source}\t{message}\n")
    return align("".join(lines), KUBE_DESCRIBE)


def _with_events(parts: list[str], events: list[KubeEvent], sim: Simulation) -> str:
    """The description so far, then its Events section."""
    if not events:
        parts.append("Events:\t<none>\n")
        return align("".join(parts), KUBE_DESCRIBE)
    return align("".join(parts), KUBE_DESCRIBE) + describe_events(events, sim)


def get_events(
    events: Iterable[KubeEvent],
    sim: Simulation,
    *,
    all_namespaces: bool = False,
    no_headers: bool = False,
    wide: bool = False,
) -> str:
    """``oc get events``: ``LAST SEEN  TYPE  REASON  OBJECT  MESSAGE`` (``printEvent``).

    Rows in the order given; ``-A`` adds ``NAMESPACE`` first; ``-o wide`` adds
    ``SUBOBJECT`` and ``SOURCE`` before the message and ``FIRST SEEN``, ``COUNT``,
    ``NAME`` after it (the source is ``component, host``, else the reporting
    controller).
    """
    header = ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    if wide:
        header = [
            "LAST SEEN",
            "TYPE",
            "REASON",
            "OBJECT",
            "SUBOBJECT",
            "SOURCE",
            "MESSAGE",
            "FIRST SEEN",
            "COUNT",
            "NAME",
        ]
    rows = []
    for e in events:
        if e.first_timestamp is None:
            first = _since(sim, e.event_time, micro=True)
        else:
            first = _since(sim, e.first_timestamp)
        last = first if e.last_timestamp is None else _since(sim, e.last_timestamp)
        target = (
            f"{e.involved_kind.lower()}/{e.involved_name}"
            if e.involved_name
            else (e.involved_kind.lower())
        )
        row = [last, e.type, e.reason, target, e.message.strip()]
        if wide:
            component = e.source_component or e.reporting_controller
            source = f"{component}, {e.source_host}" if e.source_host else component
            row = [
                last,
                e.type,
                e.reason,
                target,
                e.field_path,
                source,
                e.message.strip(),
                first,
                str(e.count),
                e.name,
            ]
        rows.append([e.namespace, *row] if all_namespaces else row)
    if all_namespaces:
        header = ["NAMESPACE", *header]
    return table(header, rows, no_headers)


# -- pods --------------------------------------------------------------------------------
Toleration = tuple[str, str, str, str, "int | None"]
"""``(key, operator, value, effect, tolerationSeconds)`` of a ``corev1.Toleration``."""

DEFAULT_TOLERATIONS: tuple[Toleration, ...] = (
    ("node.kubernetes.io/not-ready", "Exists", "", "NoExecute", 300),
    ("node.kubernetes.io/unreachable", "Exists", "", "NoExecute", 300),
)
"""``DefaultTolerationSeconds`` admission gives every pod these two."""


def format_tolerations(tolerations: Iterable[Toleration]) -> list[str]:
    """``printTolerationsMultilineWithIndent``: one line per toleration, by key.

    Examples
    --------
    >>> format_tolerations([("key3", "", "value3", "NoExecute", 300), ("", "Exists", "", "", None)])
    ['op=Exists', 'key3=value3:NoExecute for 300s']
    """
    lines = []
    for key, operator, value, effect, seconds in sorted(tolerations, key=lambda t: t[0]):
        text = key
        if value:
            text += f"={value}"
        if effect:
            text += f":{effect}"
        if operator == "Exists" and not value:
            text += " op=Exists" if key or effect else "op=Exists"
        if seconds is not None:
            text += f" for {seconds}s"
        lines.append(text)
    return lines


def _controller(pod: Pod) -> str:
    if not pod.owner:
        return ""
    kind, _, _ = pod.owner.partition("/")
    prefix = pod.name.rsplit("-", 1)[0]
    return f"{'ReplicationController' if kind == 'DeploymentConfig' else 'ReplicaSet'}/{prefix}"


def _image_id(pod: Pod) -> str:
    if not pod.image_digest:
        return ""
    try:
        return f"{parse_image(pod.image).name}@{pod.image_digest}"
    except InvalidReference:
        return pod.image_digest


def describe_pod(pod: Pod, sim: Simulation) -> str:
    """``oc describe pod NAME`` (``describePod``), with its Events section.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(nodes=1)
    >>> pod = sim.run_pod("default", "quay.io/missing/app:1")
    >>> sim.advance("1m")
    >>> text = describe_pod(pod, sim)
    >>> print(text.split("Containers:")[0], end="")  # doctest: +ELLIPSIS
    Name:             app-...
    Namespace:        default
    Priority:         0
    Service Account:  default
    Node:             worker-0/
    Start Time:       Thu, 01 Jan 2026 00:00:00 +0000
    Labels:           <none>
    Annotations:      <none>
    Status:           Pending
    IP:...
    """
    parts: list[str] = []
    write = _writer(parts)
    write(0, f"Name:\t{pod.name}\n")
    write(0, f"Namespace:\t{pod.namespace}\n")
    write(0, "Priority:\t0\n")
    write(0, f"Service Account:\t{pod.service_account}\n")
    write(0, f"Node:\t{pod.node}/\n" if pod.node else "Node:\t<none>\n")
    if pod.node:
        write(0, f"Start Time:\t{_rfc1123z(sim, pod.created)}\n")
    _labels(write, "Labels", {})
    _annotations(write, "Annotations", {})
    phase = (
        "Running"
        if pod.status == RUNNING
        else ("Succeeded" if pod.status == TERMINATED else "Pending")
    )
    write(0, f"Status:\t{phase}\n")
    write(0, "IP:\t\n")
    write(0, "IPs:\t<none>\n")
    controller = _controller(pod)
    if controller:
        write(0, f"Controlled By:\t{controller}\n")
    write(0, "Containers:\n")
    write(1, f"{pod.container}:\n")
    running = pod.status == RUNNING
    container_id = ""
    if running:
        container_id = (
            "cri-o://"
            + hashlib.sha256(f"{pod.uid}/{pod.container}/{pod.restarts}".encode()).hexdigest()
        )
    write(2, f"Container ID:\t{container_id}\n")
    write(2, f"Image:\t{pod.image}\n")
    write(2, f"Image ID:\t{_image_id(pod) if running else ''}\n")
    write(2, "Port:\t<none>\n")
    write(2, "Host Port:\t<none>\n")
    if running:
        write(2, "State:\tRunning\n")
        write(3, f"Started:\t{_rfc1123z(sim, pod.started or pod.created)}\n")
    else:
        write(2, "State:\tWaiting\n")
        if pod.status not in ("Pending", TERMINATED):
            write(3, f"Reason:\t{pod.status}\n")
    write(2, f"Ready:\t{'True' if running else 'False'}\n")
    write(2, f"Restart Count:\t{pod.restarts}\n")
    write(2, "Environment:\t<none>\n")
    write(2, "Mounts:\t<none>\n")
    if pod.node:
        ready = "True" if running else "False"
        write(0, "Conditions:\n  Type\tStatus\n")
        for condition, status in (
            ("PodReadyToStartContainers", "True"),
            ("Initialized", "True"),
            ("Ready", ready),
            ("ContainersReady", ready),
            ("PodScheduled", "True"),
        ):
            write(1, f"{condition} \t{status} \n")
    write(0, "Volumes:\t<none>\n")
    write(0, "QoS Class:\tBestEffort\n")
    _labels(write, "Node-Selectors", {})
    for i, line in enumerate(format_tolerations(DEFAULT_TOLERATIONS)):
        write(0, ("Tolerations:\t" if i == 0 else "\t") + f"{line}\n")
    return _with_events(parts, events_for(sim, "Pod", pod.namespace, pod.name, pod.uid), sim)


# -- service accounts and secrets --------------------------------------------------------
def describe_service_account(account: ServiceAccount, sim: Simulation) -> str:
    """``oc describe sa NAME`` (``describeServiceAccount``).

    kubectl has printed only ``Image pull secrets`` since 2023 (kubernetes commit
    a7bf48f66, "Clean up service account print and describe"): no ``Mountable
    secrets`` or ``Tokens``.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> sa = sim.cluster.get("ServiceAccount", ("default", "builder"))
    >>> print(describe_service_account(sa, sim), end="")  # doctest: +ELLIPSIS
    Name:                builder
    Namespace:           default
    Labels:              <none>
    Annotations:         openshift.io/internal-registry-pull-secret-ref: builder-dockercfg-...
    Image pull secrets:  builder-dockercfg-...
    Events:              <none>
    """
    parts: list[str] = []
    write = _writer(parts)
    write(0, f"Name:\t{account.name}\n")
    write(0, f"Namespace:\t{account.namespace}\n")
    _labels(write, "Labels", {})
    _annotations(write, "Annotations", account.annotations)
    header = "Image pull secrets:"
    if not account.image_pull_secrets:
        write(0, f"{header}\t<none>\n")
    for i, name in enumerate(account.image_pull_secrets):
        write(0, f"{header if i == 0 else ' ' * len(header)}\t{name}\n")
    events = events_for(sim, "ServiceAccount", account.namespace, account.name)
    return _with_events(parts, events, sim)


def describe_secret(secret: Secret) -> str:
    """``oc describe secret NAME`` (``describeSecret``): key names and sizes only.

    Examples
    --------
    >>> from simkit.state.accounts import Secret
    >>> s = Secret("ns", "pull", "kubernetes.io/dockerconfigjson",
    ...            {".dockerconfigjson": b"x" * 123})
    >>> print(describe_secret(s), end="")
    Name:         pull
    Namespace:    ns
    Labels:       <none>
    Annotations:  <none>
    <BLANKLINE>
    Type:  kubernetes.io/dockerconfigjson
    <BLANKLINE>
    Data
    ====
    .dockerconfigjson:  123 bytes
    """
    parts: list[str] = []
    write = _writer(parts)
    write(0, f"Name:\t{secret.name}\n")
    write(0, f"Namespace:\t{secret.namespace}\n")
    _labels(write, "Labels", {})
    _annotations(write, "Annotations", secret.annotations)
    write(0, f"\nType:\t{secret.type}\n")
    write(0, "\nData\n====\n")
    for key in sorted(secret.data):
        write(0, f"{key}:\t{len(secret.data[key])} bytes\n")
    return align("".join(parts), KUBE_DESCRIBE)


# -- RBAC --------------------------------------------------------------------------------
def _breakdown(rule: PolicyRule) -> list[PolicyRule]:
    """kubectl ``rbac.BreakdownRule``: one rule per group, resource (and name), then
    one per non-resource URL."""
    from simkit.state.rbac import PolicyRule

    out = []
    for group in rule.api_groups:
        for resource in rule.resources:
            if rule.resource_names:
                out += [
                    PolicyRule(rule.verbs, (group,), (resource,), (name,))
                    for name in rule.resource_names
                ]
            else:
                out.append(PolicyRule(rule.verbs, (group,), (resource,)))
    out += [PolicyRule(rule.verbs, non_resource_urls=(url,)) for url in rule.non_resource_urls]
    return out


def _compact(rules: list[PolicyRule]) -> list[PolicyRule]:
    """kubectl ``rbac.CompactRules``: simple rules on the same group, resource and
    name merge their verbs (in order); the rest keep their place before them."""
    from simkit.state.rbac import PolicyRule

    compacted: list[PolicyRule] = []
    simple: dict[tuple, PolicyRule] = {}
    for rule in rules:
        if (
            len(rule.resource_names) <= 1
            and not rule.non_resource_urls
            and len(rule.api_groups) == 1
            and len(rule.resources) == 1
        ):
            key = (rule.api_groups[0], rule.resources[0], rule.resource_names)
            if key in simple:
                old = simple[key]
                simple[key] = PolicyRule(
                    old.verbs + rule.verbs, old.api_groups, old.resources, old.resource_names
                )
            else:
                simple[key] = rule
        else:
            compacted.append(rule)
    return compacted + list(simple.values())


def _go_list(values: Iterable[str]) -> str:
    return "[" + " ".join(values) + "]"


def _rule_string(rule: PolicyRule) -> str:
    """``PolicyRule.String()`` (generated), the sort key of ``SortableRuleSlice``."""
    return (
        f"&PolicyRule{{Verbs:{_go_list(rule.verbs)},APIGroups:{_go_list(rule.api_groups)},"
        f"Resources:{_go_list(rule.resources)},"
        f"ResourceNames:{_go_list(rule.resource_names)},"
        f"NonResourceURLs:{_go_list(rule.non_resource_urls)},}}"
    )


def _resource_group(rule: PolicyRule) -> str:
    """``CombineResourceGroup``: ``resource.group/subresource``."""
    if not rule.resources:
        return ""
    resource, slash, sub = rule.resources[0].partition("/")
    if rule.api_groups and rule.api_groups[0]:
        resource = f"{resource}.{rule.api_groups[0]}"
    return f"{resource}/{sub}" if slash else resource


def describe_role(role: Role) -> str:
    """``oc describe role|clusterrole NAME``.

    Examples
    --------
    >>> from simkit.state.rbac import PolicyRule, Role
    >>> r = Role("ns", "puller", [PolicyRule(["get"], ["image.openshift.io"],
    ...                                      ["imagestreams/layers"])])
    >>> print(describe_role(r), end="")
    Name:         puller
    Labels:       <none>
    Annotations:  <none>
    PolicyRule:
      Resources                                Non-Resource URLs  Resource Names  Verbs
      ---------                                -----------------  --------------  -----
      imagestreams.image.openshift.io/layers   []                 []              [get]
    """
    rules = _compact([piece for rule in role.rules for piece in _breakdown(rule)])
    rules.sort(key=_rule_string)
    parts: list[str] = []
    write = _writer(parts)
    write(0, f"Name:\t{role.name}\n")
    _labels(write, "Labels", role.labels)
    _annotations(write, "Annotations", role.annotations)
    write(0, "PolicyRule:\n")
    write(1, "Resources\tNon-Resource URLs\tResource Names\tVerbs\n")
    write(1, "---------\t-----------------\t--------------\t-----\n")
    for rule in rules:
        write(
            1,
            f"{_resource_group(rule)}\t{_go_list(rule.non_resource_urls)}\t"
            f"{_go_list(rule.resource_names)}\t{_go_list(rule.verbs)}\n",
        )
    return align("".join(parts), KUBE_DESCRIBE)


def describe_role_binding(binding: RoleBinding) -> str:
    """``oc describe rolebinding|clusterrolebinding NAME``.

    Examples
    --------
    >>> from simkit.state.rbac import RoleBinding, RoleRef, Subject
    >>> b = RoleBinding("ns", "pullers", RoleRef("ClusterRole", "system:image-puller"),
    ...                 [Subject("Group", "system:serviceaccounts:ns")])
    >>> print(describe_role_binding(b), end="")
    Name:         pullers
    Labels:       <none>
    Annotations:  <none>
    Role:
      Kind:  ClusterRole
      Name:  system:image-puller
    Subjects:
      Kind   Name                       Namespace
      ----   ----                       ---------
      Group  system:serviceaccounts:ns
    """
    parts: list[str] = []
    write = _writer(parts)
    write(0, f"Name:\t{binding.name}\n")
    _labels(write, "Labels", binding.labels)
    _annotations(write, "Annotations", binding.annotations)
    write(0, "Role:\n")
    write(1, f"Kind:\t{binding.role_ref.kind}\n")
    write(1, f"Name:\t{binding.role_ref.name}\n")
    write(0, "Subjects:\n")
    write(1, "Kind\tName\tNamespace\n")
    write(1, "----\t----\t---------\n")
    for s in binding.subjects:
        write(1, f"{s.kind}\t{s.name}\t{s.namespace}\n")
    return align("".join(parts), KUBE_DESCRIBE)


# -- nodes and projects ------------------------------------------------------------------
def describe_node(node: Node, sim: Simulation) -> str:
    """``oc describe node NAME``: kubectl's head, the pods on it, then the image store.

    ``Images`` and ``Pull Secret Generation`` are simkit's additions (see the module
    notes): each stored image with its size and the names that resolve to it.
    """
    parts: list[str] = []
    write = _writer(parts)
    write(0, f"Name:\t{node.name}\n")
    write(0, "Roles:\tworker\n")
    labels = {
        "kubernetes.io/hostname": node.name,
        "kubernetes.io/os": "linux",
        "node-role.kubernetes.io/worker": "",
    }
    _labels(write, "Labels", labels)
    _annotations(write, "Annotations", {})
    write(0, f"CreationTimestamp:\t{_rfc1123z(sim, 0.0)}\n")
    write(
        0,
        "Taints:\t<none>\n"
        if node.ready
        else "Taints:\tnode.kubernetes.io/unreachable:NoExecute\n",
    )
    write(0, "Unschedulable:\tfalse\n")
    pods = sorted(
        (p for p in sim.cluster.list("Pod", None) if p.node == node.name),
        key=lambda p: (p.namespace, p.name),
    )
    write(0, f"Non-terminated Pods:\t({len(pods)} in total)\n")
    write(1, "Namespace\tName\tAge\n")
    write(1, "---------\t----\t---\n")
    for p in pods:
        write(1, f"{p.namespace}\t{p.name}\t{short_duration(sim.now - api_seconds(p.created))}\n")
    write(0, f"Pull Secret Generation:\t{node.config_version}\n")
    images = sorted(node.images.values(), key=lambda i: (-i.size, i.digest))
    write(
        0,
        f"Images:\t({len(images)} in total, {node.disk_used} bytes)\n"
        if images
        else "Images:\t<none>\n",
    )
    if images:
        write(1, "Names\tSize\tLast Used\n")
        write(1, "-----\t----\t---------\n")
        for image in images:
            names = ",".join(sorted(image.names)) or image.digest
            write(1, f"{names}\t{image.size}\t{human_duration(sim.now - image.last_used)} ago\n")
    return _with_events(parts, events_for(sim, "Node", "", node.name), sim)


def describe_project(project: Project, sim: Simulation) -> str:
    """``oc describe project NAME`` (oc ``ProjectDescriber``; tab-padded as oc's own).

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> sim.advance("2h")
    >>> text = describe_project(sim.cluster.get("Project", ("", "default")), sim)
    >>> print(text.expandtabs(8), end="")  # doctest: +ELLIPSIS
    Name:                   default
    Created:                2 hours ago
    Labels:                 <none>
    Annotations:            <none>
    Display Name:           <none>
    Description:            <none>
    Status:                 Active
    Node Selector:          <none>
    Quota:                  <none>
    Resource limits:        <none>
    """
    from simkit._go.tabwriter import DESCRIBE
    from simkit.oc.humanize import ago

    def field(label: str, value: str) -> str:
        return f"{label}:\t{value or '<none>'}\n"

    def mapping(label: str, items: Mapping[str, str]) -> str:
        if not items:
            return field(label, "")
        keys = sorted(items)
        return "".join(
            (f"{label}:" if i == 0 else "") + f"\t{k}={items[k]}\n" for i, k in enumerate(keys)
        )

    text = (
        field("Name", project.name)
        + f"Created:\t{ago(sim.now, project.created)}\n"
        + mapping("Labels", project.labels)
        + mapping("Annotations", project.annotations)
        + field("Display Name", project.display_name)
        + field("Description", project.description)
        + field("Status", "Active")
        + field("Node Selector", "")
        + field("Quota", "")
        + field("Resource limits", "")
    )
    return align(text, DESCRIBE)


def human_size(size: float) -> str:
    """go-units ``HumanSize``: decimal units, four significant digits.

    Examples
    --------
    >>> human_size(0), human_size(999), human_size(12_345_678), human_size(2_000_000_000)
    ('0B', '999B', '12.35MB', '2GB')
    """
    units = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
    i = 0
    while size >= 1000 and i < len(units) - 1:
        size /= 1000.0
        i += 1
    return f"{_go_g4(size)}{units[i]}"


def _go_g4(value: float) -> str:
    """Go's ``%.4g``."""
    text = f"{value:.4g}"
    if "e" in text:
        mantissa, exp = text.split("e")
        sign, digits = exp[0], exp[1:].lstrip("0")
        text = f"{mantissa}e{sign}{digits.zfill(2)}"
    return text


def describe_image(image, sim: Simulation, image_name: str = "") -> str:
    """oc ``DescribeImage``: ``oc describe istag|isimage`` (``Image Name`` first) and
    ``oc describe image``.

    simkit's images carry a size but no layers or container config, so the legacy
    ``Layer Size`` line is printed and the config lines are ``<none>``.

    Examples
    --------
    >>> from simkit.state.images import Image
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> sim.advance("1h")
    >>> img = Image("sha256:" + "a" * 64, "quay.io/a/b@sha256:" + "a" * 64, 0.0, 12_345_678)
    >>> print(describe_image(img, sim).expandtabs(8), end="")  # doctest: +ELLIPSIS
    Docker Image:   quay.io/a/b@sha256:aaaa...
    Name:           sha256:aaaa...
    Created:        About an hour ago
    Layer Size:     12.35MB
    Image Created:  About an hour ago
    Author:         <none>
    Arch:           <none>
    Command:        <none>
    Working Dir:    <none>
    User:           <none>
    Exposes Ports:  <none>
    Docker Labels:  <none>
    """
    from simkit._go.tabwriter import DESCRIBE
    from simkit.oc.humanize import ago

    def field(label: str, value: str) -> str:
        return f"{label}:" + "".join(f"\t{line}\n" for line in (value or "<none>").split("\n"))

    text = field("Image Name", image_name) if image_name else ""
    text += field("Docker Image", image.docker_image_reference) + field("Name", image.digest)
    text += f"Created:\t{ago(sim.now, image.created)}\n"
    for key in sorted(image.labels):
        text += ("Labels:" if key == min(image.labels) else "") + f"\t{key}={image.labels[key]}\n"
    text += field("Layer Size", human_size(image.size))
    text += field("Image Created", ago(sim.now, image.created))
    for label in (
        "Author",
        "Arch",
        "Command",
        "Working Dir",
        "User",
        "Exposes Ports",
        "Docker Labels",
    ):
        text += field(label, "")
    return align(text, DESCRIBE)

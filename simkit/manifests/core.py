"""The core and OpenShift kinds in and out: namespaces and projects, service accounts,
secrets, groups and users, and the metadata every kind shares (pods, nodes and
workloads are in :mod:`simkit.manifests.workloads`).

Readers take a decoded object through the one field reader (:class:`Fields`) and
validate it the way the API server would on create (kubernetes
``pkg/apis/core/validation/validation.go``: ``ValidateObjectMeta`` names,
``ValidateSecret``'s registry secrets and data keys; openshift-apiserver
``pkg/user/apis/user/validation``: group and user names).  Writers give the object as the
API server returns it (field names and ``omitempty`` of ``k8s.io/api/core/v1/types.go``
and openshift/api ``user/v1``, ``project/v1``); :func:`simkit.manifests.to_api` adds
``uid`` and ``resourceVersion``.

A Secret's ``data`` is written base64-encoded, as the API returns it: this writer is
the one place a secret's value leaves simkit.  Error messages never show it
(``<secret contents redacted>``, as the API server's ``ValidateSecret`` does not either).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from simkit.manifests.errors import REDACTED
from simkit.manifests.fields import DEFAULT_START, Fields, describe, rfc3339
from simkit.state.accounts import DOCKERCFG, DOCKERCONFIGJSON, OPAQUE, Group, Secret, ServiceAccount
from simkit.state.projects import Project
from simkit.state.users import User

if TYPE_CHECKING:
    from simkit.simulation import Simulation

DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")

REQUESTER_ANNOTATION = "openshift.io/requester"
DISPLAY_NAME_ANNOTATION = "openshift.io/display-name"
DESCRIPTION_ANNOTATION = "openshift.io/description"


@dataclass
class Context:
    """What reading needs from the simulation: the default namespace, the clock origin,
    the time now, the integrated registry and the node names."""

    namespace: str = "default"
    start: Any = DEFAULT_START
    now: float = 0.0
    internal_registry: str = "image-registry.openshift-image-registry.svc:5000"
    nodes: tuple[str, ...] = ()

    @classmethod
    def of(cls, sim: Simulation, namespace: str) -> Context:
        return cls(
            namespace, sim.start, sim.now, sim.config.internal_registry, tuple(sim.node_names)
        )


@dataclass
class Decoded:
    """A reader's result: the cluster store it goes to, the state object, notes for the
    user, why it is skipped (a controller-owned pod), whether a stream brings status."""

    store: str
    value: Any
    notes: list[str] = field(default_factory=list)
    skip_reason: str = ""
    has_status: bool = False
    key: tuple[str, str] | None = None  # for a value without its own ``key`` (an Image)


# -- metadata -----------------------------------------------------------------------------
@dataclass
class Meta:
    """``metadata`` as read: name, namespace, labels, annotations, creation time, uid."""

    namespace: str
    name: str
    labels: dict[str, str]
    annotations: dict[str, str]
    created: float
    uid: str


def read_metadata(f: Fields, ctx: Context, namespaced: bool, name_rule: str = "subdomain") -> Meta:
    """``metadata``, its name checked as ``ValidateObjectMeta`` checks it (``label``,
    ``subdomain``, or ``path`` for a path segment checked by the caller)."""
    meta = f.mapping(f.obj.get("metadata"), "metadata")
    name = f.string(meta.get("name"), "metadata.name")
    if not name:
        raise f.fail("metadata.name", "Required value: name or generateName is required")
    pattern, what, limit = (
        (DNS1123_LABEL, "a lowercase RFC 1123 label", 63)
        if name_rule == "label"
        else (DNS1123_SUBDOMAIN, "a lowercase RFC 1123 subdomain", 253)
    )
    if name_rule != "path" and (not pattern.match(name) or len(name) > limit):
        raise f.fail(
            "metadata.name",
            f'Invalid value: "{name}": {what} must consist of '
            "lower case alphanumeric characters, '-' or '.', and must start and "
            "end with an alphanumeric character",
        )
    namespace = ""
    if namespaced:
        namespace = f.string(meta.get("namespace"), "metadata.namespace") or ctx.namespace
    return Meta(
        namespace,
        name,
        f.string_map(meta.get("labels"), "metadata.labels"),
        f.string_map(meta.get("annotations"), "metadata.annotations"),
        f.time(meta.get("creationTimestamp"), "metadata.creationTimestamp", ctx.now),
        f.string(meta.get("uid"), "metadata.uid"),
    )


def write_metadata(
    name: str,
    namespace: str = "",
    *,
    created: float | None = None,
    start: Any = DEFAULT_START,
    labels: Mapping[str, str] | None = None,
    annotations: Mapping[str, str] | None = None,
    uid: str = "",
) -> dict[str, Any]:
    """``metadata`` in ``ObjectMeta``'s field order, empty fields left out."""
    meta: dict[str, Any] = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    if uid:
        meta["uid"] = uid
    if created is not None:
        meta["creationTimestamp"] = rfc3339(created, start)
    if labels:
        meta["labels"] = dict(labels)
    if annotations:
        meta["annotations"] = dict(annotations)
    return meta


# -- projects -----------------------------------------------------------------------------
def read_project(f: Fields, ctx: Context) -> Decoded:
    """A ``Namespace`` or ``Project``: its requester, display name and description
    annotations become the project's fields, the other annotations stay annotations."""
    meta = read_metadata(f, ctx, False, "label")
    annotations = dict(meta.annotations)
    project = Project(
        meta.name,
        created=meta.created,
        requester=annotations.pop(REQUESTER_ANNOTATION, ""),
        display_name=annotations.pop(DISPLAY_NAME_ANNOTATION, ""),
        description=annotations.pop(DESCRIPTION_ANNOTATION, ""),
        labels=meta.labels,
        annotations=annotations,
    )
    return Decoded("Project", project)


def _project_annotations(project: Project) -> dict[str, str]:
    annotations = dict(project.annotations)
    for key, value in (
        (REQUESTER_ANNOTATION, project.requester),
        (DISPLAY_NAME_ANNOTATION, project.display_name),
        (DESCRIPTION_ANNOTATION, project.description),
    ):
        if value:
            annotations[key] = value
    return annotations


def namespace_to_dict(
    project: Project, start: Any = DEFAULT_START, kind: str = "Namespace"
) -> dict[str, Any]:
    """The ``Namespace`` (``v1``) or ``Project`` (``project.openshift.io/v1``), Active.

    Examples
    --------
    >>> obj = namespace_to_dict(Project("demo", requester="ann"), kind="Project")
    >>> obj["apiVersion"], obj["metadata"]["annotations"], obj["status"]
    ('project.openshift.io/v1', {'openshift.io/requester': 'ann'}, {'phase': 'Active'})
    """
    return {
        "kind": kind,
        "apiVersion": "project.openshift.io/v1" if kind == "Project" else "v1",
        "metadata": write_metadata(
            project.name,
            created=project.created,
            start=start,
            labels=project.labels,
            annotations=_project_annotations(project),
        ),
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"},
    }


# -- service accounts and secrets ---------------------------------------------------------
def read_service_account(f: Fields, ctx: Context) -> Decoded:
    """A ``ServiceAccount``: its ``secrets`` and ``imagePullSecrets`` by name."""
    meta = read_metadata(f, ctx, True)
    sa = ServiceAccount(
        meta.namespace,
        meta.name,
        secrets=f.names(f.obj.get("secrets"), "secrets"),
        image_pull_secrets=f.names(f.obj.get("imagePullSecrets"), "imagePullSecrets"),
        annotations=meta.annotations,
        created=meta.created,
    )
    return Decoded("ServiceAccount", sa)


def service_account_to_dict(sa: ServiceAccount, start: Any = DEFAULT_START) -> dict[str, Any]:
    """The ``ServiceAccount`` (``secrets`` and ``imagePullSecrets`` omitted when empty)."""
    out: dict[str, Any] = {
        "kind": "ServiceAccount",
        "apiVersion": "v1",
        "metadata": write_metadata(
            sa.name, sa.namespace, created=sa.created, start=start, annotations=sa.annotations
        ),
    }
    if sa.secrets:
        out["secrets"] = [{"name": n} for n in sa.secrets]
    if sa.image_pull_secrets:
        out["imagePullSecrets"] = [{"name": n} for n in sa.image_pull_secrets]
    return out


_DATA_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")


def _valid_data_key(key: str) -> bool:
    return bool(_DATA_KEY.match(key)) and len(key) <= 253 and key not in (".", "..")


def read_secret(f: Fields, ctx: Context) -> Decoded:
    """A ``Secret``: ``data`` base64-decoded, ``stringData`` merged over it, registry
    secrets checked as ``ValidateSecret`` checks them; values never in a message."""
    meta = read_metadata(f, ctx, True)
    secret_type = f.string(f.obj.get("type"), "type") or OPAQUE
    data: dict[str, bytes] = {}
    raw = f.obj.get("data")
    if raw is not None and not isinstance(raw, Mapping):
        raise f.fail(
            "data", f"expected an object of base64 strings, got {describe(raw, secret=True)}"
        )
    for key, value in (raw or {}).items():
        path = f"data[{key}]"
        if not isinstance(key, str) or not _valid_data_key(key):
            raise f.fail(
                path,
                "Invalid value: a valid config key must consist of "
                "alphanumeric characters, '-', '_' or '.'",
            )
        if value is None:
            data[key] = b""
            continue
        if not isinstance(value, str):
            raise f.fail(
                path,
                f"Invalid value: {REDACTED}: expected a base64 string, "
                f"got {describe(value, secret=True)}",
            )
        try:
            data[key] = base64.b64decode(value.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError, ValueError):
            raise f.fail(path, f"Invalid value: {REDACTED}: illegal base64 data") from None
    raw = f.obj.get("stringData")
    if raw is not None and not isinstance(raw, Mapping):
        raise f.fail(
            "stringData", f"expected an object of strings, got {describe(raw, secret=True)}"
        )
    for key, value in (raw or {}).items():
        path = f"stringData[{key}]"
        if not isinstance(key, str) or not _valid_data_key(key):
            raise f.fail(
                path,
                "Invalid value: a valid config key must consist of "
                "alphanumeric characters, '-', '_' or '.'",
            )
        if value is not None and not isinstance(value, str):
            raise f.fail(
                path,
                f"Invalid value: {REDACTED}: expected a string, got {describe(value, secret=True)}",
            )
        data[key] = (value or "").encode()  # stringData wins over data, as the API does
    _validate_secret_data(f, secret_type, data)
    secret = Secret(
        meta.namespace,
        meta.name,
        secret_type,
        data,
        meta.annotations,
        uid=meta.uid,
        created=meta.created,
    )
    return Decoded("Secret", secret)


def _validate_secret_data(f: Fields, secret_type: str, data: dict[str, bytes]) -> None:
    """``ValidateSecret``'s checks of registry secrets (values never shown)."""
    key = {DOCKERCONFIGJSON: ".dockerconfigjson", DOCKERCFG: ".dockercfg"}.get(secret_type)
    if key is None:
        return
    if key not in data:
        raise f.fail(f"data[{key}]", "Required value")
    try:
        parsed = json.loads(data[key])
    except (ValueError, UnicodeDecodeError):
        raise f.fail(f"data[{key}]", f'Invalid value: "{REDACTED}": not valid JSON') from None
    if not isinstance(parsed, dict):
        raise f.fail(f"data[{key}]", f'Invalid value: "{REDACTED}": expected a JSON object')


def secret_to_dict(secret: Secret, start: Any = DEFAULT_START) -> dict[str, Any]:
    """The ``Secret`` as the API returns it: ``data`` base64-encoded, keys sorted.

    The only place a secret's value is written; nothing else may show it.

    Examples
    --------
    >>> secret_to_dict(Secret("p", "s", data={"k": b"v"}))["data"]
    {'k': 'dg=='}
    """
    out: dict[str, Any] = {
        "kind": "Secret",
        "apiVersion": "v1",
        "metadata": write_metadata(
            secret.name,
            secret.namespace,
            created=secret.created,
            start=start,
            annotations=secret.annotations,
            uid=secret.uid,
        ),
    }
    if secret.data:
        out["data"] = {
            k: base64.b64encode(secret.data[k]).decode("ascii") for k in sorted(secret.data)
        }
    out["type"] = secret.type
    return out


# -- groups and users ---------------------------------------------------------------------
def _path_segment_name(f: Fields, name: str, path: str) -> None:
    """``ValidateGroupName``/``ValidateUserName``."""
    if name in (".", ".."):
        raise f.fail(path, f"Invalid value: \"{name}\": may not be '{name}'")
    for bad in ("/", "%", ":"):
        if bad in name:
            raise f.fail(path, f'Invalid value: "{name}": may not contain "{bad}"')
    if name != name.strip():
        raise f.fail(path, f'Invalid value: "{name}": may not have leading or trailing whitespace')


def read_group(f: Fields, ctx: Context) -> Decoded:
    """A ``Group`` (``user.openshift.io/v1``): its users, duplicates dropped."""
    meta = read_metadata(f, ctx, False, "path")
    _path_segment_name(f, meta.name, "metadata.name")
    users: list[str] = []
    for i, user in enumerate(f.items(f.obj.get("users"), "users")):
        user = f.string(user, f"users[{i}]")
        if user not in users:
            users.append(user)
    return Decoded("Group", Group(meta.name, users))


def group_to_dict(group: Group, start: Any = DEFAULT_START) -> dict[str, Any]:
    """The ``Group`` (``users`` is not ``omitempty``: null when empty)."""
    return {
        "kind": "Group",
        "apiVersion": "user.openshift.io/v1",
        "metadata": write_metadata(group.name),
        "users": list(group.users) or None,
    }


def read_user(f: Fields, ctx: Context) -> Decoded:
    """A ``User`` (``user.openshift.io/v1``): full name and identities."""
    meta = read_metadata(f, ctx, False, "path")
    _path_segment_name(f, meta.name, "metadata.name")
    identities = [
        f.string(item, f"identities[{i}]")
        for i, item in enumerate(f.items(f.obj.get("identities"), "identities"))
    ]
    user = User(
        meta.name, full_name=f.string(f.obj.get("fullName"), "fullName"), identities=identities
    )
    return Decoded("User", user)


def user_to_dict(user: User, start: Any = DEFAULT_START) -> dict[str, Any]:
    """The ``User``."""
    out: dict[str, Any] = {
        "kind": "User",
        "apiVersion": "user.openshift.io/v1",
        "metadata": write_metadata(user.name),
    }
    if user.full_name:
        out["fullName"] = user.full_name
    out["identities"] = list(user.identities) or None
    out["groups"] = None
    return out


__all__ = [
    "DNS1123_LABEL",
    "DNS1123_SUBDOMAIN",
    "Context",
    "Decoded",
    "Meta",
    "group_to_dict",
    "namespace_to_dict",
    "read_group",
    "read_metadata",
    "read_project",
    "read_secret",
    "read_service_account",
    "read_user",
    "secret_to_dict",
    "service_account_to_dict",
    "user_to_dict",
    "write_metadata",
]

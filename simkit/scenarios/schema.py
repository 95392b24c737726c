"""The shape of a scenario file, validated with pydantic (unknown keys are errors)."""

from __future__ import annotations

import dataclasses
import difflib
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from simkit.config import Config
from simkit.durations import parse_duration

PullPolicy = Literal["Always", "IfNotPresent", "Never"]


def _duration(value: Any) -> float:
    try:
        return parse_duration(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(str(exc)) from None


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class RateLimitSpec(_Model):
    """``toomanyrequests`` past ``pulls`` requests per ``window`` per client."""

    pulls: int = Field(gt=0)
    """Requests a client may make per window; one more is refused with ``toomanyrequests``."""
    window: float
    """The window the requests are counted over."""
    anonymous_only: bool = True
    """Limit only anonymous clients (as Docker Hub does); false limits every client."""

    _window = field_validator("window", mode="before")(_duration)


class RepositorySpec(_Model):
    """An upstream repository: tags pushed at the start, and an optional release model."""

    name: str
    """The repository's path in the registry, e.g. ``acme/app``."""
    tags: list[str] = []
    """Tags pushed at the start, each a new image."""
    model: Literal["semver", "rebuilds"] | None = None
    """A release model run from the start: ``semver`` (new versions on a cadence) or ``rebuilds``
    (the same tags pushed again on a cadence); none leaves the tags as pushed.
    """
    params: dict[str, Any] = {}
    """The release model's parameters, e.g. ``{tags: ["1.25"], every: 1d}`` for ``rebuilds`` or
    ``{start: "3.1.0", patch_every: 2d}`` for ``semver``.
    """


class RegistrySpec(_Model):
    """An external registry (``sim.registry``)."""

    host: str
    """The registry's host name, e.g. ``quay.io``."""
    users: dict[str, str] | None = Field(default=None, repr=False)  # passwords: never shown
    """User names and passwords; giving any makes the registry private. Passwords are never shown.
    """
    auth_server: str | None = None
    """The host that authenticates for this registry (delegated authentication). It need not be
    listed among the registries: an unlisted token server accepts this registry's users, a listed
    one checks its own."""
    insecure: bool = False
    """The registry speaks plain HTTP."""
    rate_limit: RateLimitSpec | None = None
    """Refuse pulls past a rate from the start."""
    repositories: list[RepositorySpec] = []
    """Repositories, their tags and release models."""


class TagSpec(_Model):
    """One ``oc tag`` into a stream: the flags oc takes."""

    name: str
    """The tag in the stream, e.g. ``"3.1"`` or ``latest``."""
    source: str = Field(alias="from")
    """What the tag points at: a pull spec (``quay.io/acme/app:1.0``) or another tag of the stream
    (``app:1.0``); ``oc tag``'s SOURCE.
    """
    scheduled: bool = False
    """``--scheduled``: re-import the source periodically."""
    alias: bool = False
    """``--alias``: follow the source tag instead of copying its current image."""
    reference: bool = False
    """``--reference``: point at the source without importing it."""
    reference_policy: Literal["source", "local"] = "source"
    """``--reference-policy``: ``local`` serves pulls through the integrated registry."""
    insecure: bool = False
    """``--insecure``: the source registry may be reached over plain HTTP."""

    def oc_command(self, namespace: str, stream: str) -> str:
        """The ``oc tag`` command line that creates this tag."""
        flags = []
        if self.scheduled:
            flags.append("--scheduled")
        if self.alias:
            flags.append("--alias")
        if self.reference:
            flags.append("--reference")
        if self.reference_policy == "local":
            flags.append("--reference-policy=local")
        if self.insecure:
            flags.append("--insecure")
        return " ".join(["tag", *flags, self.source, f"{stream}:{self.name}", "-n", namespace])


class StreamSpec(_Model):
    """An image stream and its tags."""

    namespace: str
    """The project the stream is in."""
    name: str
    """The image stream's name."""
    tags: list[TagSpec] = []
    """Its tags, each made with ``oc tag`` at the start."""


class SecretSpec(_Model):
    """A registry pull secret (``oc create secret docker-registry``), optionally linked."""

    namespace: str
    """The project the secret is made in."""
    name: str
    """The secret's name."""
    server: str
    """The registry host the credentials are for (``--docker-server``)."""
    username: str
    """The registry user name."""
    password: str = Field(repr=False)
    """The registry password; never shown."""
    link: list[str] = []
    """Service accounts to link the secret to (``oc secrets link``)."""
    link_for: Literal["pull", "mount", "pull,mount"] = "pull"
    """What the links are for (``--for``)."""

    def __repr__(self) -> str:
        return (
            f"SecretSpec(namespace={self.namespace!r}, name={self.name!r}, server={self.server!r})"
        )


class WorkloadSpec(_Model):
    """A Deployment or DeploymentConfig; ``trigger`` follows an image stream tag."""

    namespace: str
    """The project the workload runs in."""
    name: str
    """The workload's name."""
    kind: Literal["Deployment", "DeploymentConfig"] = "Deployment"
    """``Deployment`` or ``DeploymentConfig``."""
    image: str = ""
    """The container's image (a pull spec); may be left out when ``trigger`` is given."""
    trigger: str | None = None
    """An image stream tag (``stream:tag`` or ``ns/stream:tag``) whose image the workload follows:
    an image trigger rolls it out when the tag moves.
    """
    replicas: int = Field(default=1, ge=0)
    """How many pods it runs."""
    pull_policy: PullPolicy | None = None
    """The container's ``imagePullPolicy``; unset takes ``defaults.pull_policy``, and unset there
    Kubernetes' defaulting (``Always`` for ``latest`` or no tag).
    """
    service_account: str = "default"
    """The service account its pods run as (their pull secrets come from it)."""
    restart_every: float | None = None
    """Restart every running container this often (each re-ensures its image)."""

    _restart = field_validator("restart_every", mode="before")(
        lambda v: None if v is None else _duration(v)
    )

    @model_validator(mode="after")
    def _image_or_trigger(self) -> WorkloadSpec:
        if not self.image and not self.trigger:
            raise ValueError("a workload needs an image, a trigger, or both")
        return self


class FaultSpec(_Model):
    """A fault injected at ``at``: an outage, a rate limit, or the loss of a node."""

    type: Literal["registry_outage", "rate_limit", "node_loss"]
    """The fault: ``registry_outage``, ``rate_limit`` or ``node_loss``."""
    at: float
    """When the fault starts, from the scenario's start."""
    registry: str | None = None
    """The registry's host (``registry_outage`` and ``rate_limit``)."""
    duration: float | None = None
    """How long the outage lasts (``registry_outage``)."""
    node: str | None = None
    """The node lost (``node_loss``)."""
    replace_after: float | None = None
    """A new node replaces the lost one after this long (``node_loss``); unset, none does."""
    pulls: int | None = Field(default=None, gt=0)
    """Requests allowed per window (``rate_limit``)."""
    window: float | None = None
    """The window the requests are counted over (``rate_limit``)."""

    _times = field_validator("at", "duration", "replace_after", "window", mode="before")(
        lambda v: None if v is None else _duration(v)
    )

    @model_validator(mode="after")
    def _fields_for_type(self) -> FaultSpec:
        need = {
            "registry_outage": ("registry", "duration"),
            "rate_limit": ("registry", "pulls", "window"),
            "node_loss": ("node",),
        }[self.type]
        missing = [name for name in need if getattr(self, name) is None]
        if missing:
            raise ValueError(f"a {self.type} fault needs {', '.join(missing)}")
        return self


class CommandSpec(_Model):
    """An ``oc`` command run at ``at``."""

    at: float = 0.0
    """When to run the command, from the scenario's start."""
    oc: str
    """The ``oc`` command line, e.g. ``tag quay.io/acme/app:2.0 app:latest -n team-a``."""

    _at = field_validator("at", mode="before")(_duration)


class FleetSpec(_Model):
    """Many similar streams at once: ``streams`` upstream repositories, each rebuilt every
    ``rebuild_every``, each tagged into its own image stream in ``namespace``."""

    streams: int = Field(default=0, ge=0)
    """How many streams (and upstream repositories); 0 makes no fleet."""
    namespace: str = "fleet"
    """The project the streams are made in (made if missing)."""
    registry: str = "quay.io"
    """The registry host the upstream repositories are in."""
    repository: str = "fleet/app-{i:05d}"
    """The upstream repository of stream ``i``, a Python format with ``{i}``."""
    tag: str = "latest"
    """The tag pushed, rebuilt and tagged into each stream."""
    rebuild_every: float | None = 86400.0
    """How often each repository's tag is rebuilt upstream; null never."""
    scheduled: bool = True
    """Tag with ``--scheduled``, so the streams are re-imported periodically."""
    reference_policy: Literal["source", "local"] = "source"
    """Tag with this ``--reference-policy``."""

    _every = field_validator("rebuild_every", mode="before")(
        lambda v: None if v is None else _duration(v)
    )

    @field_validator("repository")
    @classmethod
    def _numbered(cls, value: str) -> str:
        if "{i" not in value:
            raise ValueError("must contain {i} (or a format such as {i:05d}) to number repos")
        return value


class ClusterSpec(_Model):
    """Nodes, settings (fields of :class:`simkit.Config`) and projects."""

    nodes: int = Field(default=3, ge=1)
    """How many worker nodes."""
    config: dict[str, Any] = {}
    """Settings: field names of ``simkit.Config`` and their values (durations as strings allowed),
    e.g. ``scheduled_import_interval: 15m``.
    """
    projects: list[str] = []
    """Projects made at the start (``oc new-project``)."""

    @field_validator("config")
    @classmethod
    def _known_settings(cls, value: dict[str, Any]) -> dict[str, Any]:
        known = {f.name for f in dataclasses.fields(Config)}
        unknown = sorted(set(value) - known)
        if unknown:
            close = difflib.get_close_matches(unknown[0], sorted(known), n=1, cutoff=0.6)
            hint = (
                f"did you mean {close[0]!r}?"
                if close
                else f"expected some of {', '.join(sorted(known))}"
            )
            raise ValueError(f"unknown setting(s) {', '.join(unknown)}; {hint}")
        converted: dict[str, Any] = {}
        for name, item in value.items():
            if isinstance(item, str) and (name.endswith(("interval", "delay", "than", "per_node"))):
                converted[name] = _duration(item)
            else:
                converted[name] = item
        try:
            Config(**converted)  # a setting Config refuses is reported here, with its line
        except ValueError as exc:
            raise ValueError(str(exc)) from None
        return converted


class DefaultsSpec(_Model):
    """Values workloads and pods take unless they set their own."""

    pull_policy: PullPolicy | None = None
    """The pull policy of workloads that set none; null keeps Kubernetes' defaulting."""


class Scenario(_Model):
    """A what-if scenario: a cluster, its upstreams, streams, workloads, faults and events."""

    name: str
    """The scenario's name, shown in reports."""
    description: str = ""
    """What the scenario shows, in a sentence or two."""
    seed: int = 0
    """The random seed; the same seed gives the same run."""
    start: str = "2026-01-01T00:00:00Z"
    """The simulated wall-clock time at the start (RFC 3339)."""
    duration: float
    """How long to simulate."""
    cluster: ClusterSpec = ClusterSpec()
    """Nodes, settings and projects."""
    defaults: DefaultsSpec = DefaultsSpec()
    """Defaults for workloads."""
    registries: list[RegistrySpec] = []
    """External registries and what they hold."""
    manifests: list[str] = []
    """Files or folders of Kubernetes/OpenShift objects made with ``oc create -f`` (relative paths
    from the scenario file's folder).
    """
    image_streams: list[StreamSpec] = []
    """Image streams and their tags."""
    fleet: FleetSpec = FleetSpec()
    """Many similar streams at once, for scale."""
    secrets: list[SecretSpec] = []
    """Registry pull secrets, made 30 s in."""
    workloads: list[WorkloadSpec] = []
    """Deployments and DeploymentConfigs, made 60 s in."""
    faults: list[FaultSpec] = []
    """Outages, rate limits and lost nodes."""
    commands: list[CommandSpec] = []
    """``oc`` commands run at given times."""

    _duration_field = field_validator("duration", mode="before")(_duration)


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside ``annotation`` (``X``, ``list[X]``, ``X | None``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def field_names_at(loc: tuple[str | int, ...]) -> list[str]:
    """The field names (and aliases) a scenario accepts beside the last part of ``loc``.

    Parameters
    ----------
    loc : tuple
        A pydantic error location such as ``("workloads", 0, "imgae")``.

    Returns
    -------
    list of str
        Sorted names valid where ``loc[-1]`` stands; empty when ``loc`` is not inside
        a section with fixed fields.

    Examples
    --------
    >>> field_names_at(("duraton",))[:4]
    ['cluster', 'commands', 'defaults', 'description']
    >>> "from" in field_names_at(("image_streams", 0, "tags", 1, "form"))
    True
    """
    model: type[BaseModel] | None = Scenario
    for part in loc[:-1]:
        if isinstance(part, int) or (isinstance(part, str) and part.isdigit()):
            continue
        if model is None:
            return []
        field = model.model_fields.get(str(part))
        if field is None:
            return []
        model = _model_of(field.annotation)
    if model is None:
        return []
    names = set()
    for name, field in model.model_fields.items():
        names.add(field.alias or name)
    return sorted(names)

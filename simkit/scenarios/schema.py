"""The shape of a scenario file, validated with pydantic (unknown keys are errors)."""

from __future__ import annotations

import dataclasses
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
    window: float
    anonymous_only: bool = True

    _window = field_validator("window", mode="before")(_duration)


class RepositorySpec(_Model):
    """An upstream repository: tags pushed at the start, and an optional release model."""

    name: str
    tags: list[str] = []
    model: Literal["semver", "rebuilds"] | None = None
    params: dict[str, Any] = {}


class RegistrySpec(_Model):
    """An external registry (``sim.registry``)."""

    host: str
    users: dict[str, str] | None = Field(default=None, repr=False)  # passwords: never shown
    # the token server's host; it need not be listed among the registries (an unlisted
    # one accepts this registry's users, a listed one checks its own)
    auth_server: str | None = None
    insecure: bool = False
    rate_limit: RateLimitSpec | None = None
    repositories: list[RepositorySpec] = []


class TagSpec(_Model):
    """One ``oc tag`` into a stream: the flags oc takes."""

    name: str
    source: str = Field(alias="from")
    scheduled: bool = False
    alias: bool = False
    reference: bool = False
    reference_policy: Literal["source", "local"] = "source"
    insecure: bool = False

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
    name: str
    tags: list[TagSpec] = []


class SecretSpec(_Model):
    """A registry pull secret (``oc create secret docker-registry``), optionally linked."""

    namespace: str
    name: str
    server: str
    username: str
    password: str = Field(repr=False)
    link: list[str] = []
    link_for: Literal["pull", "mount", "pull,mount"] = "pull"

    def __repr__(self) -> str:
        return (f"SecretSpec(namespace={self.namespace!r}, name={self.name!r}, "
                f"server={self.server!r})")


class WorkloadSpec(_Model):
    """A Deployment or DeploymentConfig; ``trigger`` follows an image stream tag."""

    namespace: str
    name: str
    kind: Literal["Deployment", "DeploymentConfig"] = "Deployment"
    image: str = ""
    trigger: str | None = None
    replicas: int = Field(default=1, ge=0)
    pull_policy: PullPolicy | None = None
    service_account: str = "default"
    restart_every: float | None = None

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
    at: float
    registry: str | None = None
    duration: float | None = None
    node: str | None = None
    replace_after: float | None = None
    pulls: int | None = Field(default=None, gt=0)
    window: float | None = None

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
    oc: str

    _at = field_validator("at", mode="before")(_duration)


class FleetSpec(_Model):
    """Many similar streams at once: ``streams`` upstream repositories, each rebuilt every
    ``rebuild_every``, each tagged into its own image stream in ``namespace``."""

    streams: int = Field(default=0, ge=0)
    namespace: str = "fleet"
    registry: str = "quay.io"
    repository: str = "fleet/app-{i:05d}"
    tag: str = "latest"
    rebuild_every: float | None = 86400.0
    scheduled: bool = True
    reference_policy: Literal["source", "local"] = "source"

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
    config: dict[str, Any] = {}
    projects: list[str] = []

    @field_validator("config")
    @classmethod
    def _known_settings(cls, value: dict[str, Any]) -> dict[str, Any]:
        known = {f.name for f in dataclasses.fields(Config)}
        unknown = sorted(set(value) - known)
        if unknown:
            raise ValueError(f"unknown setting(s) {', '.join(unknown)}; expected some of "
                             f"{', '.join(sorted(known))}")
        converted = {}
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


class Scenario(_Model):
    """A what-if scenario: a cluster, its upstreams, streams, workloads, faults and events."""

    name: str
    description: str = ""
    seed: int = 0
    start: str = "2026-01-01T00:00:00Z"
    duration: float
    cluster: ClusterSpec = ClusterSpec()
    defaults: DefaultsSpec = DefaultsSpec()
    registries: list[RegistrySpec] = []
    manifests: list[str] = []
    image_streams: list[StreamSpec] = []
    fleet: FleetSpec = FleetSpec()
    secrets: list[SecretSpec] = []
    workloads: list[WorkloadSpec] = []
    faults: list[FaultSpec] = []
    commands: list[CommandSpec] = []

    _duration_field = field_validator("duration", mode="before")(_duration)

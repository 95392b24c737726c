"""Pods and the workloads that make them (Deployments, DeploymentConfigs) as plain data."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

PENDING = "Pending"
RUNNING = "Running"
ERR_IMAGE_PULL = "ErrImagePull"
IMAGE_PULL_BACKOFF = "ImagePullBackOff"
ERR_IMAGE_NEVER_PULL = "ErrImageNeverPull"
INVALID_IMAGE_NAME = "InvalidImageName"
FORBIDDEN = "Forbidden"
TERMINATED = "Terminated"
REGISTRY_UNAVAILABLE = "RegistryUnavailable"

POD_STATUSES = (
    PENDING,
    RUNNING,
    ERR_IMAGE_PULL,
    IMAGE_PULL_BACKOFF,
    ERR_IMAGE_NEVER_PULL,
    INVALID_IMAGE_NAME,
    FORBIDDEN,
    TERMINATED,
)

TRIGGERS_ANNOTATION = "image.openshift.io/triggers"
"""The annotation that makes the trigger controller update a Deployment's images."""

RESTARTED_AT_ANNOTATION = "kubectl.kubernetes.io/restartedAt"
"""The pod-template annotation ``oc rollout restart`` sets (an RFC 3339 second), so that
the template changes and the Deployment rolls out new pods."""


@dataclass(slots=True)
class Pod:
    """A pod with one container (simkit models the image-pulling container only).

    ``status`` is the container's waiting reason as ``oc get pods`` shows it, or
    ``Running``; ``image_digest`` is the digest it runs once Running.
    """

    namespace: str
    name: str
    image: str
    pull_policy: str
    uid: str = ""
    service_account: str = "default"
    image_pull_secrets: list[str] = field(default_factory=list)
    node: str | None = None
    created: float = 0.0
    status: str = PENDING
    message: str = ""
    image_digest: str | None = None
    started: float | None = None
    owner: str = ""
    restarts: int = 0
    container: str = "app"

    @property
    def key(self) -> tuple[str, str]:
        """``(namespace, name)``."""
        return (self.namespace, self.name)

    def copy(self) -> Pod:
        """A copy, for copy-on-write edits."""
        return copy.deepcopy(self)

    def container_images(self) -> list[str]:
        """The images this pod's containers use (for pruning's in-use rule)."""
        return [self.image]

    def __repr__(self) -> str:
        digest = f" {self.image_digest[:19]}…" if self.image_digest else ""
        return (
            f"<Pod {self.namespace}/{self.name} {self.status} on {self.node or '-'} "
            f"{self.image} ({self.pull_policy}){digest}>"
        )

    def _repr_html_(self) -> str:
        from html import escape

        rows = [
            ("Namespace", self.namespace),
            ("Node", self.node or "-"),
            ("Status", self.status),
            ("Image", self.image),
            ("Pull policy", self.pull_policy),
            ("Digest", self.image_digest or "-"),
            ("Service account", self.service_account),
            ("Pull secrets", ", ".join(self.image_pull_secrets) or "-"),
            ("Message", self.message or "-"),
        ]
        body = "".join(
            f"<tr><th style='text-align:left'>{escape(k)}</th>"
            f"<td style='text-align:left'>{escape(str(v))}</td></tr>"
            for k, v in rows
        )
        return f"<table><caption>Pod {escape(self.name)}</caption>{body}</table>"


@dataclass(slots=True)
class ImageTrigger:
    """One image trigger: an ImageStreamTag that sets a container's image.

    For Deployments it is an entry of the ``image.openshift.io/triggers`` annotation;
    for DeploymentConfigs an ``ImageChange`` trigger (``automatic`` and
    ``lastTriggeredImage`` apply only there).
    """

    stream_tag: str
    namespace: str = ""
    container: str = "app"
    automatic: bool = True
    paused: bool = False
    last_triggered_image: str = ""


@dataclass(slots=True)
class Workload:
    """A Deployment or DeploymentConfig with one container.

    ``revision`` counts rollouts; ``template_image`` is what new pods get;
    ``restarted_at`` is the template's :data:`RESTARTED_AT_ANNOTATION` ("" when unset).
    """

    kind: str
    namespace: str
    name: str
    template_image: str
    replicas: int = 1
    pull_policy: str | None = None
    service_account: str = "default"
    image_pull_secrets: list[str] = field(default_factory=list)
    triggers: list[ImageTrigger] = field(default_factory=list)
    revision: int = 0
    rolled_out_image: str = ""
    created: float = 0.0
    container: str = "app"
    restarted_at: str = ""

    @property
    def key(self) -> tuple[str, str]:
        """``(namespace, name)``."""
        return (self.namespace, self.name)

    def copy(self) -> Workload:
        """A copy, for copy-on-write edits."""
        return copy.deepcopy(self)

    def container_images(self) -> list[str]:
        """The images in the pod template."""
        return [self.template_image]

"""Service accounts and secrets as plain data.

Secret data is held as bytes, already decoded from the API's base64.  A secret's
``repr`` never shows its data.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

DOCKERCONFIGJSON = "kubernetes.io/dockerconfigjson"
DOCKERCFG = "kubernetes.io/dockercfg"
OPAQUE = "Opaque"
SERVICE_ACCOUNT_TOKEN = "kubernetes.io/service-account-token"

PULL_SECRET_KEYS = {DOCKERCONFIGJSON: ".dockerconfigjson", DOCKERCFG: ".dockercfg"}
"""The data key that holds the registry credentials, per secret type."""

PROJECT_SERVICE_ACCOUNTS = ("default", "builder", "deployer")
"""The service accounts every project gets (kube- and openshift-controller-manager)."""
PULL_SECRET_REF_ANNOTATION = "openshift.io/internal-registry-pull-secret-ref"
"""On a service account: the name of its managed ``<sa>-dockercfg-<xxxxx>`` pull secret."""
TOKEN_SA_ANNOTATION = "openshift.io/internal-registry-auth-token.service-account"
"""On a managed dockercfg secret: the service account whose token it holds."""


@dataclass(slots=True)
class ServiceAccount:
    """A ``ServiceAccount``: mountable ``secrets`` and ``image_pull_secrets`` by name."""

    namespace: str
    name: str
    secrets: list[str] = field(default_factory=list)
    image_pull_secrets: list[str] = field(default_factory=list)
    annotations: dict[str, str] = field(default_factory=dict)
    created: float = 0.0

    @property
    def key(self) -> tuple[str, str]:
        """``(namespace, name)``."""
        return (self.namespace, self.name)

    @property
    def username(self) -> str:
        """``system:serviceaccount:<ns>:<name>``."""
        return f"system:serviceaccount:{self.namespace}:{self.name}"

    def copy(self) -> ServiceAccount:
        """A copy, for copy-on-write edits."""
        return copy.deepcopy(self)


@dataclass(slots=True, repr=False)
class Secret:
    """A ``Secret``; ``data`` maps keys to decoded bytes and never appears in a repr."""

    namespace: str
    name: str
    type: str = OPAQUE
    data: dict[str, bytes] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    uid: str = ""
    created: float = 0.0

    @property
    def key(self) -> tuple[str, str]:
        """``(namespace, name)``."""
        return (self.namespace, self.name)

    def copy(self) -> Secret:
        """A copy, for copy-on-write edits."""
        return copy.deepcopy(self)

    def __repr__(self) -> str:
        keys = ", ".join(sorted(self.data))
        return f"<Secret {self.namespace}/{self.name} type={self.type} keys=[{keys}]>"

    __str__ = __repr__


@dataclass(slots=True)
class Group:
    """An OpenShift ``Group`` (``user.openshift.io/v1``): a name and its member users."""

    name: str
    users: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        """``("", name)``: groups are cluster-scoped."""
        return ("", self.name)

    def copy(self) -> Group:
        """A copy, for copy-on-write edits."""
        return copy.deepcopy(self)

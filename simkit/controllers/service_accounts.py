"""Projects' service accounts, their registry pull secrets, and the default bindings.

- kube-controller-manager creates ``default`` and openshift-controller-manager creates
  ``builder`` and ``deployer`` in every new project, a moment after the project.
- openshift-controller-manager's default-rolebindings controller creates
  ``system:image-pullers``, ``system:image-builders`` and ``system:deployers``.
- Its service-account controller (``service_account_controller.go``) creates
  ``<sa>-dockercfg-<5 chars>`` of type ``kubernetes.io/dockercfg`` holding ``{}`` and
  links it to the account's ``secrets`` and ``imagePullSecrets``; the image-pull-secret
  controller later fills it with a token for the integrated registry.  A pod admitted
  before the link gets no pull secret, forever (openshift/origin#20225).

Tokens are random strings from the seeded generator; simkit keeps which identity a
token belongs to so the integrated registry can authorise it, and never shows them.
"""

from __future__ import annotations

import base64
import json
import string
from typing import TYPE_CHECKING

from simkit.state.accounts import (
    DOCKERCFG,
    PROJECT_SERVICE_ACCOUNTS,
    PULL_SECRET_REF_ANNOTATION,
    TOKEN_SA_ANNOTATION,
    Secret,
    ServiceAccount,
)
from simkit.state.projects import Project

if TYPE_CHECKING:
    from simkit.simulation import Simulation

_SUFFIX_CHARS = "bcdfghjklmnpqrstvwxz2456789"  # k8s utilrand's alphabet


class ServiceAccountController:
    """Creates projects' service accounts, bindings and dockercfg pull secrets over time."""

    def __init__(self, sim: Simulation) -> None:
        self.sim = sim
        self._bootstrapping = False
        sim.cluster.watch("Project", self._on_project)
        sim.cluster.watch("ServiceAccount", self._on_service_account)

    # -- start of the simulation ----------------------------------------------------------
    def bootstrap(self, projects: tuple[str, ...]) -> None:
        """The cluster as it stands at time 0: default projects fully provisioned, and
        OpenShift's default roles and bindings."""
        from simkit.rules.bootstrap import load_bootstrap_policy

        cluster_roles, cluster_bindings, roles, bindings, _ = load_bootstrap_policy()
        self._bootstrapping = True
        with self.sim.transaction() as tx:
            for kind, objects in (
                ("ClusterRole", cluster_roles),
                ("ClusterRoleBinding", cluster_bindings),
                ("Role", roles),
                ("RoleBinding", bindings),
            ):
                for obj in objects:
                    tx.put(kind, obj.key, obj)
            for name in projects:
                tx.put("Project", ("", name), Project(name, created=0.0))
        for name in projects:
            with self.sim.transaction() as tx:
                self._create_bindings(tx, name, requester="")
                for account in PROJECT_SERVICE_ACCOUNTS:
                    sa = ServiceAccount(name, account, created=0.0)
                    self.provision_now(tx, sa)
                    tx.put("ServiceAccount", sa.key, sa)
        self._bootstrapping = False

    # -- projects -----------------------------------------------------------------------
    def _on_project(self, kind, key, old, new) -> None:
        if old is None and new is not None and not self._bootstrapping:
            self.sim.engine.after(
                self.sim.config.service_accounts_delay,
                self._provision_project,
                new.name,
                new.requester,
            )

    def _provision_project(self, namespace: str, requester: str) -> None:
        with self.sim.transaction() as tx:
            if tx.get("Project", ("", namespace)) is None:
                return
            for account in PROJECT_SERVICE_ACCOUNTS:
                if tx.get("ServiceAccount", (namespace, account)) is None:
                    sa = ServiceAccount(namespace, account, created=self.sim.now)
                    tx.put("ServiceAccount", sa.key, sa)
                    tx.record("serviceaccount_created", namespace=namespace, name=account)
            self._create_bindings(tx, namespace, requester)

    def _create_bindings(self, tx, namespace: str, requester: str) -> None:
        from simkit.rules.bootstrap import project_default_bindings

        for binding in project_default_bindings(namespace, requester):
            if tx.get("RoleBinding", binding.key) is None:
                tx.put("RoleBinding", binding.key, binding)
                tx.record(
                    "rolebinding_created",
                    namespace=namespace,
                    name=binding.name,
                    role=binding.role_ref.name,
                )

    # -- dockercfg pull secrets ---------------------------------------------------------
    def _on_service_account(self, kind, key, old, new) -> None:
        if old is None and new is not None and not new.annotations.get(PULL_SECRET_REF_ANNOTATION):
            self.sim.engine.after(
                self.sim.config.dockercfg_secret_delay, self._create_pull_secret, key
            )

    def _suffix(self) -> str:
        picks = self.sim.rng.integers(0, len(_SUFFIX_CHARS), size=5)
        return "".join(_SUFFIX_CHARS[int(i)] for i in picks)

    def provision_now(self, tx, sa: ServiceAccount) -> Secret:
        """Give ``sa`` (an object being edited in ``tx``) a filled, linked dockercfg pull
        secret at once: what the controllers have done for an account that already existed
        before the simulation starts."""
        secret = self._dockercfg_secret(sa)
        self._fill(secret, sa)
        sa.annotations[PULL_SECRET_REF_ANNOTATION] = secret.name
        sa.secrets.append(secret.name)
        sa.image_pull_secrets.append(secret.name)
        tx.put("Secret", secret.key, secret)
        return secret

    def _dockercfg_secret(self, sa: ServiceAccount) -> Secret:
        name = f"{sa.name[:58]}-dockercfg-{self._suffix()}"
        return Secret(
            sa.namespace,
            name,
            DOCKERCFG,
            {".dockercfg": b"{}"},
            {TOKEN_SA_ANNOTATION: sa.name},
            uid=self._uid(sa.namespace, name),
            created=self.sim.now,
        )

    def _uid(self, namespace: str, name: str) -> str:
        import hashlib

        h = hashlib.sha256(f"{self.sim.seed}/secret/{namespace}/{name}".encode()).hexdigest()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"

    def _create_pull_secret(self, key: tuple[str, str]) -> None:
        with self.sim.transaction() as tx:
            sa = tx.edit("ServiceAccount", key)
            if sa is None or sa.annotations.get(PULL_SECRET_REF_ANNOTATION):
                return
            secret = self._dockercfg_secret(sa)
            sa.annotations[PULL_SECRET_REF_ANNOTATION] = secret.name
            sa.secrets.append(secret.name)
            sa.image_pull_secrets.append(secret.name)
            tx.put("Secret", secret.key, secret)
            tx.record(
                "pull_secret_linked",
                namespace=sa.namespace,
                service_account=sa.name,
                secret=secret.name,
                filled=False,
            )
        self.sim.engine.after(
            self.sim.config.dockercfg_token_delay, self._fill_later, secret.key, key
        )

    def _fill_later(self, secret_key: tuple[str, str], sa_key: tuple[str, str]) -> None:
        with self.sim.transaction() as tx:
            secret = tx.edit("Secret", secret_key)
            sa = tx.get("ServiceAccount", sa_key)
            if secret is None or sa is None:
                return
            self._fill(secret, sa)
            tx.record(
                "pull_secret_filled",
                namespace=secret.namespace,
                secret=secret.name,
                service_account=sa.name,
            )

    def _fill(self, secret: Secret, sa: ServiceAccount) -> None:
        """Write a token for the integrated registry into the dockercfg secret."""
        alphabet = string.ascii_letters + string.digits + "-_"
        picks = self.sim.rng.integers(0, len(alphabet), size=48)
        token = "sha256~" + "".join(alphabet[int(i)] for i in picks)
        self.sim.register_token(token, sa.username)
        auth = base64.b64encode(f"<token>:{token}".encode()).decode()
        host = self.sim.config.internal_registry
        config = {
            host: {"username": "<token>", "password": token, "auth": auth},
            host.replace(".svc:", ".svc.cluster.local:"): {
                "username": "<token>",
                "password": token,
                "auth": auth,
            },
        }
        secret.data = {".dockercfg": json.dumps(config).encode()}

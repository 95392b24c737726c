"""A loaded cluster's projects, settled: what the controllers would have done already.

``load_manifests`` describes a cluster that has been running: each project it creates
gets at once what ``oc new-project`` gives a project after a few seconds (the
``default``, ``builder`` and ``deployer`` service accounts, the default role bindings,
the ``admin`` binding of its requester) and every service account a filled
``<sa>-dockercfg-<xxxxx>`` pull secret, as the default projects have at time 0.  The
dump's own objects win: nothing that the input defines is replaced, and a service
account that already lists its dockercfg secret adopts it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from simkit.state.accounts import (
    DOCKERCFG,
    DOCKERCONFIGJSON,
    PROJECT_SERVICE_ACCOUNTS,
    PULL_SECRET_REF_ANNOTATION,
    TOKEN_SA_ANNOTATION,
    Secret,
    ServiceAccount,
)

if TYPE_CHECKING:
    from simkit.simulation import Simulation
    from simkit.state.cluster import Transaction

SA_NAME_ANNOTATION = "kubernetes.io/service-account.name"


def provision_project(sim: Simulation, tx: Transaction, namespace: str, requester: str) -> None:
    """Stage the service accounts and role bindings a new project gets, where missing."""
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
    for account in PROJECT_SERVICE_ACCOUNTS:
        if tx.get("ServiceAccount", (namespace, account)) is None:
            tx.put(
                "ServiceAccount",
                (namespace, account),
                ServiceAccount(namespace, account, created=sim.now),
            )
            tx.record("serviceaccount_created", namespace=namespace, name=account)


def settle_service_account(sim: Simulation, tx: Transaction, key: tuple[str, str]) -> None:
    """Give the account its dockercfg pull secret now (or adopt the one it lists)."""
    sa = tx.edit("ServiceAccount", key)
    if sa is None or sa.annotations.get(PULL_SECRET_REF_ANNOTATION):
        return
    prefix = f"{sa.name[:58]}-dockercfg-"
    for name in sa.image_pull_secrets:
        secret = tx.get("Secret", (sa.namespace, name))
        if name.startswith(prefix) and secret is not None and secret.type == DOCKERCFG:
            sa.annotations[PULL_SECRET_REF_ANNOTATION] = name
            if name not in sa.secrets:
                sa.secrets.append(name)
            return
    secret = sim.service_account_controller.provision_now(tx, sa)
    tx.record(
        "pull_secret_linked",
        namespace=sa.namespace,
        service_account=sa.name,
        secret=secret.name,
        filled=True,
    )


def register_dump_tokens(sim: Simulation, secret: Secret) -> None:
    """Make a dumped service-account pull secret's token valid for the integrated registry.

    In the cluster the dump came from, the token in ``<sa>-dockercfg-*`` authenticates as
    that service account; simkit keeps that so the dump's pods can still pull.
    """
    account = secret.annotations.get(TOKEN_SA_ANNOTATION) or secret.annotations.get(
        SA_NAME_ANNOTATION
    )
    key = {DOCKERCFG: ".dockercfg", DOCKERCONFIGJSON: ".dockerconfigjson"}.get(secret.type)
    if not account or key is None or key not in secret.data:
        return
    try:
        config = json.loads(secret.data[key])
    except (ValueError, UnicodeDecodeError):
        return
    if isinstance(config, dict) and isinstance(config.get("auths"), dict):
        config = config["auths"]
    if not isinstance(config, dict):
        return
    host = sim.config.internal_registry
    hosts = (host, host.replace(".svc:", ".svc.cluster.local:"))
    for registry, entry in config.items():
        if registry in hosts and isinstance(entry, dict) and entry.get("password"):
            sim.register_token(
                str(entry["password"]), f"system:serviceaccount:{secret.namespace}:{account}"
            )

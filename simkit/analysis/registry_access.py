"""Which service accounts can pull from which external registry, through which secret.

A pod gets its service account's ``imagePullSecrets`` (admission copies them when the
pod lists none) and, on every node, the global pull secret
(``openshift-config/pull-secret``, written to the kubelet's ``config.json``).  A
secret *covers* a registry host when its keyring has a key for that host (a key with a
path, ``quay.io/team``, covers only that part of it: see ``keys``).  Public registries
need no credential.

Only key names and secret names are read out; no credential ever leaves the keyring.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from simkit.analysis._frames import DOCKER_HUB_ALIASES
from simkit.credentials import DockerConfigError, keyring_from_secrets, urls_match
from simkit.state.accounts import PULL_SECRET_KEYS

if TYPE_CHECKING:
    from simkit.simulation import Simulation

__all__ = ["GLOBAL_PULL_SECRET", "registry_coverage", "secret_registries"]

GLOBAL_PULL_SECRET = ("openshift-config", "pull-secret")
NODE_PULL_SECRET = "node pull secret"

COLUMNS = [
    "service_account",
    "namespace",
    "registry",
    "via",
    "secret",
    "keys",
    "auth_server",
    "auth_covered",
]


def _internal_hosts(sim: Simulation) -> tuple[str, ...]:
    host, _, port = sim.config.internal_registry.partition(":")
    local = f"{host}.cluster.local" + (f":{port}" if port else "")
    return (sim.config.internal_registry, local)


def _registry_hosts(sim: Simulation) -> list[str]:
    return sorted(sim.registries)


def secret_registries(sim: Simulation, secret) -> dict[str, list[str]]:
    """The external registry hosts a pull secret has credentials for, with the keys.

    Hosts are those of ``sim.registries`` a key matches (globs included), plus hosts
    named by keys that match none of them; the integrated registry is left out.  A
    secret that is not a registry secret, or does not parse, covers nothing.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> _ = sim.registry("quay.io", users={"bot": "pw"})
    >>> _ = sim.oc("create secret docker-registry quay --docker-server=quay.io/team "
    ...            "--docker-username=bot --docker-password=pw --docker-email=b@x")
    >>> secret_registries(sim, sim.cluster.get("Secret", ("default", "quay")))
    {'quay.io': ['quay.io/team']}
    """
    if secret is None or secret.type not in PULL_SECRET_KEYS:
        return {}
    try:
        keys = keyring_from_secrets([secret]).keys
    except DockerConfigError:
        return {}
    internal = _internal_hosts(sim)
    known = _registry_hosts(sim)
    out: dict[str, list[str]] = {}
    for key in keys:
        host = key.split("/", 1)[0]
        host = DOCKER_HUB_ALIASES.get(host, host)
        if host in internal:
            continue
        matched = [h for h in known if urls_match(host, h)] or [host]
        for name in matched:
            out.setdefault(name, []).append(key)
    return out


def registry_coverage(sim: Simulation) -> pd.DataFrame:
    """Service account × external registry: which secret lets its pods pull there.

    Parameters
    ----------
    sim : Simulation
        Its service accounts, secrets and registries as they are now.

    Returns
    -------
    pandas.DataFrame
        One row per (service account, registry, way in): ``service_account``
        (``system:serviceaccount:ns:name``), ``namespace``, ``registry`` (host), ``via``
        (``"secret"``: one of its ``imagePullSecrets``; ``"node pull secret"``: the
        global pull secret every pod gets on every node; ``"anonymous"``: a public
        registry), ``secret`` (``ns/name``, or ``""``), ``keys`` (the keyring keys that
        matched, comma-separated), ``auth_server`` (the host that authenticates for
        the registry, if delegated) and ``auth_covered`` (whether the service account's
        pods, on every node, have a credential that token server accepts: a declared one
        checks its own users, an undeclared one the registry's).  Whether a pull then
        gets in is :func:`~simkit.analysis.explain_pull`'s ``allowed``.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> _ = sim.registry("registry.example.com", users={"bot": "pw"})
    >>> _ = sim.oc("create secret docker-registry example "
    ...            "--docker-server=registry.example.com --docker-username=bot "
    ...            "--docker-password=pw --docker-email=b@x")
    >>> _ = sim.oc("secrets link default example --for=pull")
    >>> coverage = registry_coverage(sim)
    >>> print(coverage[["service_account", "via", "secret"]].to_string())
                             service_account     via           secret
    0  system:serviceaccount:default:default  secret  default/example
    """
    from simkit.rules.pull_access import token_server_accepts

    cluster = sim.cluster
    global_secret = cluster.get("Secret", GLOBAL_PULL_SECRET)
    node_hosts = secret_registries(sim, global_secret)
    public = [h for h, r in sorted(sim.registries.items()) if not r.private]
    auth = {h: r.auth_server for h, r in sim.registries.items() if r.auth_server}
    rows = []
    for account in cluster.list("ServiceAccount"):
        reachable: dict[str, list[tuple[str, str, list[str]]]] = {}
        for name in account.image_pull_secrets:
            secret = cluster.get("Secret", (account.namespace, name))
            for host, keys in secret_registries(sim, secret).items():
                reachable.setdefault(host, []).append(
                    ("secret", f"{account.namespace}/{name}", keys)
                )
        for host, keys in node_hosts.items():
            reachable.setdefault(host, []).append(
                (NODE_PULL_SECRET, "/".join(GLOBAL_PULL_SECRET), keys)
            )
        for host in public:
            reachable.setdefault(host, []).append(("anonymous", "", []))
        lookups = [
            sim.pull_lookup(account.namespace, list(account.image_pull_secrets), node)
            for node in sim.node_names
        ]
        for host, ways in sorted(reachable.items()):
            auth_host = auth.get(host, "")
            registry = sim.registries.get(host)
            # an auth server is declared with its registry: registry is set
            covered = (
                not auth_host
                or registry is not None
                and all(
                    any(
                        token_server_accepts(registry, sim.registries, c)
                        for c in lookup(f"{auth_host}/token")
                    )
                    for lookup in lookups
                )
            )
            for via, secret, keys in ways:
                rows.append(
                    (
                        account.username,
                        account.namespace,
                        host,
                        via,
                        secret,
                        ",".join(keys),
                        auth_host,
                        covered,
                    )
                )
    return pd.DataFrame(rows, columns=COLUMNS).astype({"auth_covered": bool})

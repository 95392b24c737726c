"""Registries that a cluster dump names only through its pull secrets.

A dump (``oc get -o yaml``) holds the cluster, not the external registries its pull secrets
log in to. The simulation pulls only from registries it knows, so a dump loaded as it is
would make every such secret useless, and who-can-pull would lose what the secrets give.
:func:`declare_secret_registries` therefore declares, for every exact host a loaded pull
secret names (``kubernetes.io/dockerconfigjson`` or ``kubernetes.io/dockercfg``), a private
registry that accepts the user names and passwords the dump's secrets hold for it: the
assumption that a cluster's pull secrets are valid where they point. Keys with a glob
(``*.example.com``) name no host and declare nothing; registries the simulation already
has are left as they are, and so are in-cluster service hosts (``*.svc``, ``*.svc.cluster.local``:
the integrated registry, which service-account pull secrets name).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simkit.credentials import DockerConfigError, keyring_from_secrets
from simkit.refs import InvalidReference
from simkit.state.registries import registry_address

if TYPE_CHECKING:
    from simkit.simulation import Simulation


def secret_registry_users(secrets: list) -> dict[str, dict[str, str]]:
    """``{host: {user: password}}`` for every exact host the pull ``secrets`` name.

    Parameters
    ----------
    secrets : list
        Secret objects (or dicts with ``namespace``, ``name``, ``type``, ``data``).

    Returns
    -------
    dict
        Hosts in sorted order; a host's users in the order the secrets give them (the first
        password given for a user wins). A secret that does not parse counts for nothing.

    Examples
    --------
    >>> cfg = b'{"auths": {"registry.example.com/team": {"auth": "dTpw"}, "*.corp": {}}}'
    >>> secret = {"namespace": "ns", "name": "pull", "type": "kubernetes.io/dockerconfigjson",
    ...           "data": {".dockerconfigjson": cfg}}
    >>> sorted(secret_registry_users([secret]))
    ['registry.example.com']
    """
    users: dict[str, dict[str, str]] = {}
    for secret in secrets:
        try:
            keyring = keyring_from_secrets([secret])
        except DockerConfigError:
            continue
        for key in keyring.keys:
            host = key.split("/", 1)[0]
            if "*" in host or "?" in host or "[" in host or _in_cluster(host):
                continue
            try:
                host = registry_address(f"{host}/x")[0]
            except InvalidReference:
                continue
            for credential in keyring.credentials(key):
                if credential.username:
                    users.setdefault(host, {}).setdefault(credential.username, credential.password)
    return dict(sorted(users.items()))


def _in_cluster(host: str) -> bool:
    name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return name.endswith((".svc", ".svc.cluster.local"))


def declare_secret_registries(sim: Simulation) -> list[str]:
    """Declare a private registry for each host the cluster's pull secrets name and the
    simulation does not know, accepting those secrets' users; returns the hosts declared.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> _ = sim.oc("create secret docker-registry pull --docker-server=registry.example.com "
    ...            "--docker-username=u --docker-password=p -n default")
    >>> declare_secret_registries(sim)
    ['registry.example.com']
    >>> list(sim.registries["registry.example.com"].users)
    ['u']
    """
    declared = []
    for host, users in secret_registry_users(sim.cluster.list("Secret")).items():
        if host not in sim.registries:
            sim.registry(host, users=users)
            declared.append(host)
    return declared

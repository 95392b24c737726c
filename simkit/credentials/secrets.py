"""A pod's pull-secret keyring (``pkg/credentialprovider/secrets MakeDockerKeyring``).

All of a pod's ``imagePullSecrets`` go into **one** keyring, in the pod's order, so
lookups are ordered by key specificity across secrets first, then by secret order
within a key.  Only two kinds of secret count:

* type ``kubernetes.io/dockerconfigjson`` with a non-empty ``.dockerconfigjson``
  (read as ``{"auths": ...}``);
* type ``kubernetes.io/dockercfg`` with a non-empty ``.dockercfg`` (the bare map).

Anything else (wrong type for the key, empty data, ``Opaque`` ...) is skipped without a
word.  A secret that does not parse makes the whole keyring fail, as upstream.

Secret data is taken as simkit stores it (:class:`simkit.state.accounts.Secret`):
already decoded from the API's base64, as ``bytes`` (``str`` is accepted as UTF-8
text).  A secret may be any object with ``namespace``, ``name``, ``type`` and ``data``
attributes, or a dict with those keys; ``None`` (a missing secret) is skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from simkit.credentials.dockerconfig import ConfigForm
from simkit.credentials.errors import DockerConfigError
from simkit.credentials.keyring import Keyring

__all__ = ["DOCKERCFG", "DOCKERCONFIGJSON", "keyring_from_secrets", "secret_source"]

DOCKERCONFIGJSON = "kubernetes.io/dockerconfigjson"
DOCKERCFG = "kubernetes.io/dockercfg"
_FORMS: dict[str, tuple[str, ConfigForm]] = {
    DOCKERCONFIGJSON: (".dockerconfigjson", "config.json"),
    DOCKERCFG: (".dockercfg", "dockercfg"),
}


def _get(secret: Any, name: str) -> Any:
    if isinstance(secret, Mapping):
        return secret.get(name)
    return getattr(secret, name, None)


def secret_source(namespace: str, name: str) -> str:
    """The ``source`` recorded on credentials from a secret.

    Examples
    --------
    >>> secret_source("team", "quay-pull")
    'secret:team/quay-pull'
    """
    return f"secret:{namespace}/{name}"


def keyring_from_secrets(secrets: Iterable[Any]) -> Keyring:
    """One keyring from a pod's pull secrets, in order.

    Parameters
    ----------
    secrets : iterable
        Secrets (objects or dicts with ``namespace``, ``name``, ``type``, ``data``), in
        the pod's ``imagePullSecrets`` order.  ``data`` maps keys to the decoded bytes
        (not the base64 of the API); ``None`` entries are skipped.

    Returns
    -------
    Keyring
        Credentials carry ``source="secret:<ns>/<name>"``; empty if no secret counts.

    Raises
    ------
    DockerConfigError
        Naming the secret and the entry, if a counted secret does not parse.

    Examples
    --------
    >>> pull = {"namespace": "ns", "name": "quay", "type": DOCKERCONFIGJSON,
    ...         "data": {".dockerconfigjson": b'{"auths": {"quay.io": {"auth": "dTpw"}}}'}}
    >>> keyring_from_secrets([pull]).lookup("quay.io/team/app")
    [Credential(username='u', password=***, registry='quay.io', email='', source='secret:ns/quay')]
    >>> keyring_from_secrets([dict(pull, type="Opaque")]).keys
    ()
    """
    keyring = Keyring()
    for secret in secrets:
        if secret is None:
            continue
        namespace, name = _get(secret, "namespace") or "", _get(secret, "name") or ""
        data = _get(secret, "data") or {}
        data_key, form = _FORMS.get(_get(secret, "type"), ("", "auto"))
        raw = data.get(data_key) if data_key else None
        if not raw:
            continue
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        try:
            keyring.add(raw, secret_source(namespace, name), form=form)
        except DockerConfigError as exc:
            raise DockerConfigError(f'pull secret "{namespace}/{name}": {exc}') from None
    return keyring

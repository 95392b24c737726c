"""Credentials as values: a parsed config entry and a keyring credential.

Neither ever shows its password: ``repr`` and ``str`` print ``password=***``.
:attr:`Credential.fingerprint` is the KEP-2535 ``CredentialHash`` (the kubelet's
``hashAuthConfig``): the SHA-256, in hex, of Go's ``json.Marshal`` of
``AuthConfig{Username, Password, Email}`` (fields left out when empty), which the
kubelet stores in its image-pulled records instead of the secret itself.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from simkit._go.json import Pairs, marshal

__all__ = ["Credential", "DockerConfigEntry", "credential_hash"]


def credential_hash(username: str, password: str, email: str = "") -> str:
    """KEP-2535 ``CredentialHash`` of an auth config.

    Examples
    --------
    >>> credential_hash("", "")  # sha256 of '{}'
    '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'
    """
    fields = Pairs(
        (name, value)
        for name, value in (("username", username), ("password", password), ("email", email))
        if value
    )
    return hashlib.sha256(marshal(fields).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class DockerConfigEntry:
    """One entry of a docker config: ``auth`` already decoded into the two fields.

    Examples
    --------
    >>> DockerConfigEntry("bob", "hunter2", "bob@example.com")
    DockerConfigEntry(username='bob', password=***, email='bob@example.com')
    """

    username: str = ""
    password: str = ""
    email: str = ""

    def __repr__(self) -> str:
        return f"DockerConfigEntry(username={self.username!r}, password=***, email={self.email!r})"

    __str__ = __repr__


@dataclass(frozen=True, slots=True)
class Credential:
    """A credential the kubelet may present for an image.

    Attributes
    ----------
    username, password, email : str
        The auth config (``password`` never appears in ``repr``/``str``).
    registry : str
        The keyring key it is filed under (:func:`~simkit.credentials.registry_key`
        of the config key: ``https://index.docker.io/v1/`` gives ``index.docker.io``).
    source : str
        Where it came from: ``"secret:<ns>/<name>"``, ``"node"``, or ``""``.

    Examples
    --------
    >>> cred = Credential("bob", "hunter2", "quay.io", source="secret:ns/pull")
    >>> cred
    Credential(username='bob', password=***, registry='quay.io', email='', source='secret:ns/pull')
    >>> "hunter2" in str(cred), len(cred.fingerprint)
    (False, 64)
    """

    username: str
    password: str
    registry: str
    email: str = ""
    source: str = ""

    def __repr__(self) -> str:
        return (
            f"Credential(username={self.username!r}, password=***, "
            f"registry={self.registry!r}, email={self.email!r}, source={self.source!r})"
        )

    __str__ = __repr__

    @property
    def fingerprint(self) -> str:
        """The KEP-2535 credential hash (sha256 hex); safe to show.

        Examples
        --------
        >>> a = Credential("u", "p", "quay.io", source="node")
        >>> a.fingerprint == Credential("u", "p", "docker.io").fingerprint
        True
        """
        return credential_hash(self.username, self.password, self.email)

"""Docker configs made safe to display."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simkit._go.json import to_plain
from simkit.credentials.dockerconfig import load_document
from simkit.credentials.matching import mask_userinfo
from simkit.redact import MASK

__all__ = ["SECRET_FIELDS", "redact_docker_config"]

SECRET_FIELDS = frozenset(
    {
        "password",
        "auth",
        "identitytoken",
        "registrytoken",
        "token",
        "accesstoken",
        "refreshtoken",
        "authorization",
        "secret",
    }
)
"""Keys (compared case-insensitively) whose values are masked wherever they appear."""


def _redact(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {
            mask_userinfo(key) if isinstance(key, str) else key: MASK
            if isinstance(key, str) and key.casefold() in SECRET_FIELDS and item not in (None, "")
            else _redact(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_redact(item) for item in value]
    return value


def redact_docker_config(cfg: Any) -> dict[str, Any]:
    """``cfg`` with passwords, ``auth`` fields and tokens replaced by ``*****``.

    The structure is kept: usernames, emails and registry keys stay readable (user
    info in a key, ``https://user:pw@host``, is masked too).  Empty values stay empty.

    Parameters
    ----------
    cfg : Mapping, str or bytes
        A docker config in either form, or any JSON object.

    Raises
    ------
    DockerConfigError
        If the text is not JSON.

    Examples
    --------
    >>> redact_docker_config('{"auths": {"quay.io": {"auth": "Ym9iOmh1bnRlcjI=", '
    ...                      '"email": "bob@example.com"}}}')
    {'auths': {'quay.io': {'auth': '*****', 'email': 'bob@example.com'}}}
    >>> redact_docker_config({"quay.io": {"username": "bob", "password": "hunter2"}})
    {'quay.io': {'username': 'bob', 'password': '*****'}}
    """
    document = to_plain(load_document(cfg))
    if document is None:
        return {}
    if not isinstance(document, Mapping):
        raise TypeError("a docker config must be a JSON object")
    return _redact(document)

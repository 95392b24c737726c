"""Writing docker configs as ``kubectl`` and ``oc`` do.

* :func:`docker_config_json` is the ``.dockerconfigjson`` that
  ``kubectl create secret docker-registry`` stores: ``{"auths": {server: {"username",
  "password", "email", "auth"}}}``, empty fields left out, compact, Go key order.
* :func:`merge_docker_config` is the update ``oc registry login --to=FILE`` makes: the
  file is read as a generic JSON map, ``auths[registry]`` is replaced by
  ``{"auth": base64(user:password)}`` and everything else is kept.
  :func:`dump_docker_config` with ``indent="  "`` then gives the bytes ``oc`` writes
  (``json.MarshalIndent``: sorted keys, numbers as Go ``float64``).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from simkit._go.json import Pairs, marshal, to_plain
from simkit.credentials.credential import Credential, DockerConfigEntry
from simkit.credentials.dockerconfig import encode_auth, load_document
from simkit.credentials.errors import DockerConfigError

__all__ = ["docker_config_json", "dump_docker_config", "merge_docker_config"]

_GO_TYPES = {
    bool: "bool",
    int: "float64",
    float: "float64",
    str: "string",
    list: "[]interface {}",
    type(None): "<nil>",
}


def _entry_fields(entry: DockerConfigEntry | Credential) -> Pairs:
    fields = (
        ("username", entry.username),
        ("password", entry.password),
        ("email", entry.email),
        ("auth", encode_auth(entry.username, entry.password)),
    )
    return Pairs((name, value) for name, value in fields if value)


def dump_docker_config(cfg: Mapping[str, Any], *, indent: str | None = None) -> str:
    """A JSON-like mapping as Go's ``json.Marshal`` (``MarshalIndent`` with ``indent``).

    Examples
    --------
    >>> dump_docker_config({"auths": {"b.io": {"auth": "eDp5"}, "a.io": {}}})
    '{"auths":{"a.io":{},"b.io":{"auth":"eDp5"}}}'
    """
    return marshal(cfg, indent)


def docker_config_json(auths: Mapping[str, Any], *, indent: str | None = None) -> str:
    """The ``.dockerconfigjson`` text for ``auths``.

    Parameters
    ----------
    auths : mapping of str to DockerConfigEntry, Credential or mapping
        Entries and credentials are written ``kubectl``-style (``auth`` added);
        mappings are written as they are.

    Examples
    --------
    >>> docker_config_json({"quay.io": DockerConfigEntry("foo", "bar", "foo@example.com")})
    '{"auths":{"quay.io":{"username":"foo","password":"bar","email":"foo@example.com",\
"auth":"Zm9vOmJhcg=="}}}'
    """
    written = {
        key: _entry_fields(value) if isinstance(value, DockerConfigEntry | Credential) else value
        for key, value in auths.items()
    }
    return marshal(Pairs([("auths", written)]), indent)


def merge_docker_config(
    existing: Any, registry: str, username: str, password: str
) -> dict[str, Any]:
    """``existing`` with ``auths[registry]`` set to the given credentials.

    Parameters
    ----------
    existing : Mapping, str, bytes or None
        The current file content; empty or None starts from ``{}``.
    registry, username, password : str
        The new entry (``oc registry login --registry=... --auth-basic=USER:PASS``).

    Returns
    -------
    dict
        A new dict (``existing`` is not changed).

    Raises
    ------
    DockerConfigError
        If ``existing`` is not a JSON object or its ``auths`` is not an object.

    Examples
    --------
    >>> merged = merge_docker_config('{"auths": {"a.io": {"auth": "eDp5"}}, "psFormat": "x"}',
    ...                              "quay.io", "bob", "hunter2")
    >>> merged["auths"]["quay.io"], sorted(merged["auths"]), merged["psFormat"]
    ({'auth': 'Ym9iOmh1bnRlcjI='}, ['a.io', 'quay.io'], 'x')
    >>> merge_docker_config('{"auths": []}', "quay.io", "bob", "hunter2")
    Traceback (most recent call last):
    ...
    simkit.credentials.errors.DockerConfigError: the specified config file does not appear \
to be in the correct Docker config.json format: have 'auths' key of type []interface {}
    """
    if existing is None or (isinstance(existing, str | bytes | bytearray) and not existing):
        existing = "{}"
    prefix = "unable to parse existing credentials: "
    document = load_document(existing, floats=True, prefix=prefix)
    if isinstance(document, Pairs):
        config = to_plain(document)
    elif isinstance(document, Mapping):
        config = copy.deepcopy(dict(document))
    elif document is None:
        config = {}
    else:
        raise DockerConfigError(f"{prefix}expected a JSON object, got {type(document).__name__}")
    auths = config.setdefault("auths", {})
    if not isinstance(auths, dict):
        kind = _GO_TYPES.get(type(auths), "map[string]interface {}")
        raise DockerConfigError(
            "the specified config file does not appear to be in the correct Docker "
            f"config.json format: have 'auths' key of type {kind}"
        )
    auths[registry] = {"auth": encode_auth(username, password)}
    return config

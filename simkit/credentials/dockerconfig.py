"""Reading docker configs as the kubelet does (``pkg/credentialprovider/config.go``).

Two forms exist: ``config.json`` / ``.dockerconfigjson`` (``{"auths": {...}}``, plus an
optional ``HttpHeaders`` map) and the legacy ``.dockercfg`` (the bare map of registry
to entry).  Each entry has ``username``, ``password``, ``email`` and ``auth`` (keys
matched case-insensitively, other keys ignored, ``null`` meaning unset).  A non-empty
``auth`` overrides username and password: it is base64 of ``username:password``,
decoded with padding if it ends in ``=`` (after trimming spaces) and without otherwise,
line breaks ignored, and split at the first ``:`` (no colon is an error).

Errors name the entry and the field and never quote a value.  Upstream says only
``error occurred while trying to unmarshal json``; the detail here is simkit's.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any, Literal

from simkit._go import base64 as go_base64
from simkit._go.json import Pairs, field_matches, kind, load
from simkit._go.json import marshal as _quote
from simkit._go.strings import go_bytes, trim_space
from simkit.credentials.credential import DockerConfigEntry
from simkit.credentials.errors import DockerConfigError
from simkit.credentials.matching import mask_userinfo

__all__ = ["ConfigForm", "decode_auth", "encode_auth", "load_document", "parse_docker_config"]

ConfigForm = Literal["auto", "config.json", "dockercfg"]

_PREFIX = "invalid docker config: "
_AUTH_FORMAT = "unable to parse auth field, must be formatted as base64(username:password)"
_FIELDS = ("username", "password", "email", "auth")


class _AuthError(ValueError):
    pass


def load_document(cfg: Any, *, floats: bool = False, prefix: str = _PREFIX) -> Any:
    """``cfg`` as parsed JSON: text and bytes are parsed (objects as ``Pairs``).

    Mappings and ``None`` are returned unchanged.

    Raises
    ------
    DockerConfigError
        If the text is not JSON (the message gives the position only).
    TypeError
        If ``cfg`` is not a mapping, str, bytes or None.

    Examples
    --------
    >>> load_document('{"auths": {}}')
    [('auths', [])]
    >>> load_document('{"auths": ')
    Traceback (most recent call last):
    ...
    simkit.credentials.errors.DockerConfigError: invalid docker config: not valid JSON: \
Expecting value (line 1, column 11)
    """
    if cfg is None or isinstance(cfg, Mapping):
        return cfg
    if not isinstance(cfg, str | bytes | bytearray):
        raise TypeError(f"a docker config is a mapping, str or bytes, not {type(cfg).__name__}")
    try:
        return load(cfg, floats=floats)
    except json.JSONDecodeError as exc:
        raise DockerConfigError(
            f"{prefix}not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise DockerConfigError(f"{prefix}not valid JSON: nested too deeply") from None
    except ValueError as exc:
        raise DockerConfigError(f"{prefix}not valid JSON: {exc}") from None


def _pairs(value: Any) -> list[tuple[str, Any]] | None:
    """An object's pairs, or None if ``value`` is not an object."""
    if isinstance(value, Pairs):
        return value
    if isinstance(value, Mapping):
        items = list(value.items())
        if not all(isinstance(key, str) for key, _ in items):
            raise DockerConfigError(f"{_PREFIX}object keys must be strings")
        return items
    return None


def _name(key: str) -> str:
    return _quote(mask_userinfo(key))


def _decode_auth(field: str) -> tuple[str, str]:
    padded = trim_space(field).endswith("=")
    try:
        decoded = go_base64.decode(field, padded=padded)
    except ValueError:
        raise _AuthError("auth is not valid base64") from None
    username, colon, password = decoded.partition(b":")
    if not colon:
        raise _AuthError(_AUTH_FORMAT)
    return (
        username.decode("utf-8", "surrogateescape"),
        password.decode("utf-8", "surrogateescape"),
    )


def decode_auth(field: str) -> tuple[str, str]:
    """``(username, password)`` from an ``auth`` field (``decodeDockerConfigFieldAuth``).

    Raises
    ------
    DockerConfigError
        If it is not base64 (padded or not) or has no ``:``.

    Examples
    --------
    >>> decode_auth("Zm9vOmJhcg=="), decode_auth("Zm9vOmJhcg")
    (('foo', 'bar'), ('foo', 'bar'))
    >>> decode_auth("cGFudHM=")
    Traceback (most recent call last):
    ...
    simkit.credentials.errors.DockerConfigError: invalid auth field: unable to parse auth \
field, must be formatted as base64(username:password)
    """
    try:
        return _decode_auth(field)
    except _AuthError as exc:
        raise DockerConfigError(f"invalid auth field: {exc}") from None


def encode_auth(username: str, password: str) -> str:
    """The ``auth`` field for a username and password (padded standard base64).

    Examples
    --------
    >>> encode_auth("foo", "bar")
    'Zm9vOmJhcg=='
    """
    return base64.b64encode(go_bytes(f"{username}:{password}")).decode("ascii")


def _entry(key: str, value: Any) -> DockerConfigEntry:
    """``DockerConfigEntry.UnmarshalJSON``."""
    if isinstance(value, DockerConfigEntry):
        return value
    if value is None:
        return DockerConfigEntry()
    pairs = _pairs(value)
    if pairs is None:
        raise DockerConfigError(
            f"{_PREFIX}entry {_name(key)} must be a JSON object, got {kind(value)}"
        )
    fields = dict.fromkeys(_FIELDS, "")
    for field_key, field_value in pairs:
        name = next((f for f in _FIELDS if field_matches(field_key, f)), None)
        if name is None or field_value is None:
            continue
        if not isinstance(field_value, str):
            raise DockerConfigError(
                f'{_PREFIX}entry {_name(key)}: "{name}" must be a string, got {kind(field_value)}'
            )
        fields[name] = field_value
    username, password = fields["username"], fields["password"]
    if fields["auth"]:
        try:
            username, password = _decode_auth(fields["auth"])
        except _AuthError as exc:
            raise DockerConfigError(f"{_PREFIX}entry {_name(key)}: {exc}") from None
    return DockerConfigEntry(username, password, fields["email"])


def _entries(value: Any, into: dict[str, DockerConfigEntry], what: str) -> None:
    pairs = _pairs(value)
    if pairs is None:
        raise DockerConfigError(f"{_PREFIX}{what} must be a JSON object, got {kind(value)}")
    for key, entry in pairs:
        into[key] = _entry(key, entry)


def _check_headers(value: Any) -> None:
    pairs = _pairs(value) if value is not None else []
    if pairs is None or any(v is not None and not isinstance(v, str) for _, v in pairs):
        raise DockerConfigError(f'{_PREFIX}"HttpHeaders" must map header names to strings')


def _config_json(document: Any) -> dict[str, DockerConfigEntry]:
    """``DockerConfigJSON``: the ``auths`` map, repeated ``auths`` keys merged."""
    entries: dict[str, DockerConfigEntry] = {}
    if document is None:
        return entries
    pairs = _pairs(document)
    if pairs is None:
        raise DockerConfigError(f"{_PREFIX}the config must be a JSON object, got {kind(document)}")
    for key, value in pairs:
        if field_matches(key, "auths"):
            if value is None:  # null resets the map, as in Go
                entries = {}
            else:
                _entries(value, entries, '"auths"')
        elif field_matches(key, "httpheaders"):
            _check_headers(value)
    return entries


def _has_auths(document: Any) -> bool:
    pairs = _pairs(document) if document is not None else None
    return pairs is not None and any(field_matches(key, "auths") for key, _ in pairs)


def parse_docker_config(cfg: Any, *, form: ConfigForm = "auto") -> dict[str, DockerConfigEntry]:
    """The entries of a docker config, by config key, in document order.

    Parameters
    ----------
    cfg : Mapping, str, bytes or None
        The config: parsed JSON (a dict), JSON text, or its UTF-8 bytes.  Entries may
        already be :class:`DockerConfigEntry` values.
    form : {"auto", "config.json", "dockercfg"}
        ``"config.json"`` reads ``{"auths": ...}`` (``.dockerconfigjson``),
        ``"dockercfg"`` the bare map (``.dockercfg``).  ``"auto"`` picks
        ``"config.json"`` when the top level has an ``auths`` key (matched as Go
        does, case-insensitively), else ``"dockercfg"``.

    Returns
    -------
    dict of str to DockerConfigEntry
        The keys as written (not normalised; see :func:`registry_key`).  A key that
        appears twice keeps its last entry.

    Raises
    ------
    DockerConfigError
        Bad JSON, a wrong type, bad ``auth`` (never quoting the values).

    Examples
    --------
    >>> parse_docker_config('{"auths": {"quay.io": {"auth": "Ym9iOmh1bnRlcjI="}}}')
    {'quay.io': DockerConfigEntry(username='bob', password=***, email='')}
    >>> parse_docker_config({"https://index.docker.io/v1/": {"username": "u"}})
    {'https://index.docker.io/v1/': DockerConfigEntry(username='u', password=***, email='')}
    >>> parse_docker_config({"quay.io": {"auth": "Ym9i"}})
    Traceback (most recent call last):
    ...
    simkit.credentials.errors.DockerConfigError: invalid docker config: entry "quay.io": \
unable to parse auth field, must be formatted as base64(username:password)
    """
    document = load_document(cfg)
    if form == "auto":
        form = "config.json" if _has_auths(document) else "dockercfg"
    if form == "config.json":
        return _config_json(document)
    if form != "dockercfg":
        raise ValueError(f"unknown docker config form {form!r}")
    entries: dict[str, DockerConfigEntry] = {}
    if document is not None:
        _entries(document, entries, "the config")
    return entries

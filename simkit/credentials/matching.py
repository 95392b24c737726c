"""How the kubelet files a credential under a key and matches keys to images.

Kubernetes ``pkg/credentialprovider/keyring.go``:

* :func:`registry_key` is what ``BasicDockerKeyring.Add`` does to a config key:
  ``https://`` is put in front unless the key starts with ``http://``/``https://``, the
  URL is parsed (a key Go cannot parse is ignored), a path starting ``/v1/`` or
  ``/v2/`` loses those three characters, and the key becomes host + path (just the
  host when the path is empty or ``/``).
* :func:`urls_match` is ``URLsMatchStr(glob, target)``: both sides parsed as
  ``https://`` + string; equal ports; the same number of dot-separated host labels;
  each label matched with ``filepath.Match``; the target path must *start with* the
  key's path (a string prefix: ``/pong`` covers ``/pongz``).
* :func:`is_default_registry_match` decides when the ``index.docker.io`` credentials
  are the fallback.
"""

from __future__ import annotations

import functools

from simkit._go.path import BadPattern, filepath_match
from simkit._go.strings import go_bytes
from simkit._go.url import URLError, parse_url, split_host_port

__all__ = [
    "DEFAULT_REGISTRY_HOST",
    "is_default_registry_match",
    "mask_userinfo",
    "registry_key",
    "urls_match",
]

DEFAULT_REGISTRY_HOST = "index.docker.io"
"""The key whose credentials serve Docker Hub images when no other key matched."""


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def registry_key(location: str) -> str | None:
    """The keyring key for a config key, or None if the kubelet would ignore it.

    Examples
    --------
    >>> registry_key("https://index.docker.io/v1/")
    'index.docker.io'
    >>> registry_key("quay.io/coreos"), registry_key("http://registry:5000/v2/team")
    ('quay.io/coreos', 'registry:5000/team')
    >>> registry_key("registry:port") is None
    True
    """
    value = location
    if not value.startswith(("https://", "http://")):
        value = "https://" + value
    try:
        parsed = parse_url(go_bytes(value))
    except URLError:
        return None
    path = parsed.path
    if path.startswith((b"/v2/", b"/v1/")):
        path = path[3:]
    if path and path != b"/":
        return _text(parsed.host + path)
    return _text(parsed.host)


def _labels_and_port(host: bytes) -> tuple[list[bytes], bytes]:
    """``SplitURL``: the dot-separated host labels and the port ("" if none)."""
    split = split_host_port(host)
    name, port = split if split is not None else (host, b"")
    return name.split(b"."), port


@functools.lru_cache(maxsize=65536)
def urls_match(glob: str, target: str) -> bool:
    """Does the keyring key ``glob`` cover ``target`` (``URLsMatchStr``)?

    Parse errors and malformed patterns count as no match, as in ``Lookup``.

    Examples
    --------
    >>> urls_match("*.kubernetes.io", "prefix.kubernetes.io")
    True
    >>> urls_match("*.kubernetes.io", "kubernetes.io")
    False
    >>> urls_match("bar.example.com/pong", "bar.example.com/pongz")
    True
    >>> urls_match("prefix.*.io/foo", "prefix.kubernetes.io:1111/foo/bar")
    False
    """
    try:
        glob_url = parse_url(go_bytes("https://" + glob))
        target_url = parse_url(go_bytes("https://" + target))
    except URLError:
        return False
    glob_labels, glob_port = _labels_and_port(glob_url.host)
    target_labels, target_port = _labels_and_port(target_url.host)
    if glob_port != target_port or len(glob_labels) != len(target_labels):
        return False
    if not target_url.path.startswith(glob_url.path):
        return False
    try:
        return all(
            filepath_match(_text(pattern), _text(label))
            for pattern, label in zip(glob_labels, target_labels, strict=True)
        )
    except BadPattern:
        return False


def is_default_registry_match(image: str) -> bool:
    """Would ``image`` be pulled from Docker Hub (``isDefaultRegistryMatch``)?

    True for a single component, or when the first component is ``docker.io``,
    ``index.docker.io`` or contains neither ``.`` nor ``:``.

    Examples
    --------
    >>> [is_default_registry_match(i) for i in ("foo", "foo/bar", "docker.io/foo/bar")]
    [True, True, True]
    >>> [is_default_registry_match(i) for i in ("", "registry:5000/foo/bar", "a.io/b")]
    [False, False, False]
    """
    first, slash, _ = image.partition("/")
    if not first:
        return False
    if not slash or first in ("docker.io", DEFAULT_REGISTRY_HOST):
        return True
    return "." not in first and ":" not in first


def mask_userinfo(location: str) -> str:
    """``location`` with any ``user:password@`` part masked, for messages.

    Examples
    --------
    >>> mask_userinfo("https://bob:hunter2@quay.io/v1/")
    'https://*****@quay.io/v1/'
    >>> mask_userinfo("quay.io")
    'quay.io'
    """
    scheme, sep, rest = location.partition("://")
    if not sep:
        scheme, rest = "", location
    authority, slash, path = rest.partition("/")
    if "@" not in authority:
        return location
    host = authority.rpartition("@")[2]
    return f"{scheme}{sep}*****@{host}{slash}{path}"

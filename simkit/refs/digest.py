"""Content-digest validation, in the two flavours the modelled components use.

* :func:`parse_digest` is ``github.com/opencontainers/go-digest`` v1.0.0
  ``digest.Parse``, which ``distribution/reference`` (and through it Kubernetes)
  calls on the ``@digest`` part of a reference. Kubernetes imports ``crypto/sha256``
  and ``crypto/sha512``, which makes sha256, sha384 and sha512 available
  (:data:`DIGEST_ALGORITHMS`).
* :func:`parse_openshift_digest` is ``library-go/pkg/image/internal/digest``
  ``ParseDigest``, used by OpenShift's ``reference.Parse`` and ``imageutil.ParseDigest``.
  It has a fixed algorithm set and, unlike go-digest, accepts upper-case hex.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from simkit._go.strings import go_len
from simkit.refs.errors import (
    ERR_CHECKSUM_INVALID_FORMAT,
    ERR_CHECKSUM_INVALID_LENGTH,
    ERR_DIGEST_UNSUPPORTED,
    InvalidReference,
)

__all__ = [
    "DIGEST_ALGORITHMS",
    "is_digest",
    "parse_digest",
    "parse_openshift_digest",
]

#: Algorithms available to go-digest in a Kubernetes binary, mapped to the number of
#: hex characters of their encoded value.
DIGEST_ALGORITHMS: Mapping[str, int] = MappingProxyType({"sha256": 64, "sha384": 96, "sha512": 128})

# go-digest v1.0.0 DigestRegexp: the grammar an unavailable algorithm must still meet
# to be reported as unsupported rather than malformed.
_GO_DIGEST_GRAMMAR = re.compile(r"[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+", re.ASCII)
_LOWER_HEX = re.compile(r"[a-f0-9]+", re.ASCII)

# library-go internal/digest DigestRegexp (Go's class "a-zA-Z0-9-_+." is a literal "-").
_OPENSHIFT_DIGEST_GRAMMAR = re.compile(r"[a-zA-Z0-9\-_+.]+:[a-fA-F0-9]+", re.ASCII)
_OPENSHIFT_ALGORITHMS: Mapping[str, int] = MappingProxyType(
    {"sha256": 64, "sha384": 96, "sha512": 128}
)


def parse_digest(text: str, algorithms: Mapping[str, int] = DIGEST_ALGORITHMS) -> str:
    """Validate a digest like go-digest v1.0.0 ``digest.Parse``.

    Parameters
    ----------
    text : str
        ``algorithm:encoded``, for example ``sha256:<64 hex>``.
    algorithms : Mapping[str, int], optional
        Available algorithms and their hex length. Defaults to
        :data:`DIGEST_ALGORITHMS` (what a Kubernetes binary registers). Pass
        ``{"sha256": 64}`` to model a program that imports only ``crypto/sha256``,
        as distribution's own tests do.

    Returns
    -------
    str
        ``text`` unchanged.

    Raises
    ------
    InvalidReference
        ``invalid checksum digest format`` (no ``:``, empty part, upper-case or
        non-hex encoding, or an unavailable algorithm outside the digest grammar),
        ``unsupported digest algorithm`` (well-formed but unavailable algorithm) or
        ``invalid checksum digest length`` (wrong number of hex characters).

    Examples
    --------
    >>> parse_digest("sha256:" + "e3" * 32)[:13]
    'sha256:e3e3e3'
    >>> parse_digest("sha256:abcd")
    Traceback (most recent call last):
    ...
    simkit.refs.errors.InvalidReference: invalid checksum digest length
    >>> parse_digest("md5:" + "0" * 32)
    Traceback (most recent call last):
    ...
    simkit.refs.errors.InvalidReference: unsupported digest algorithm
    >>> parse_digest("sha512:" + "f" * 128, algorithms={"sha256": 64})
    Traceback (most recent call last):
    ...
    simkit.refs.errors.InvalidReference: unsupported digest algorithm
    """
    sep = text.find(":")
    if sep <= 0 or sep + 1 == len(text):
        raise InvalidReference(ERR_CHECKSUM_INVALID_FORMAT)
    algorithm, encoded = text[:sep], text[sep + 1 :]
    size = algorithms.get(algorithm)
    if size is None:
        if _GO_DIGEST_GRAMMAR.fullmatch(text) is None:
            raise InvalidReference(ERR_CHECKSUM_INVALID_FORMAT)
        raise InvalidReference(ERR_DIGEST_UNSUPPORTED)
    if go_len(encoded) != size:
        raise InvalidReference(ERR_CHECKSUM_INVALID_LENGTH)
    if _LOWER_HEX.fullmatch(encoded) is None:
        raise InvalidReference(ERR_CHECKSUM_INVALID_FORMAT)
    return text


def is_digest(text: str, algorithms: Mapping[str, int] = DIGEST_ALGORITHMS) -> bool:
    """Return whether :func:`parse_digest` accepts ``text``.

    Parameters
    ----------
    text : str
        Candidate digest.
    algorithms : Mapping[str, int], optional
        As for :func:`parse_digest`.

    Returns
    -------
    bool
        ``True`` if ``text`` is a valid digest of an available algorithm.

    Examples
    --------
    >>> is_digest("sha256:" + "0" * 64), is_digest("sha256:" + "A" * 64)
    (True, False)
    """
    try:
        parse_digest(text, algorithms)
    except InvalidReference:
        return False
    return True


def parse_openshift_digest(text: str) -> str:
    """Validate a digest like library-go's internal ``digest.ParseDigest``.

    Parameters
    ----------
    text : str
        ``algorithm:hex``.

    Returns
    -------
    str
        ``text`` unchanged.

    Raises
    ------
    InvalidReference
        ``invalid checksum digest format`` if ``text`` is not
        ``[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+``, ``invalid checksum digest length`` if a
        sha256/sha384/sha512 value has the wrong length, ``unsupported digest
        algorithm`` for any other algorithm.

    Examples
    --------
    >>> parse_openshift_digest("sha256:" + "A" * 64) == "sha256:" + "A" * 64
    True
    >>> parse_openshift_digest("sha256:00000000000000000000000000000001")
    Traceback (most recent call last):
    ...
    simkit.refs.errors.InvalidReference: invalid checksum digest length
    """
    if _OPENSHIFT_DIGEST_GRAMMAR.fullmatch(text) is None:
        raise InvalidReference(ERR_CHECKSUM_INVALID_FORMAT)
    algorithm, _, encoded = text.partition(":")
    size = _OPENSHIFT_ALGORITHMS.get(algorithm)
    if size is None:
        raise InvalidReference(ERR_DIGEST_UNSUPPORTED)
    if len(encoded) != size:
        raise InvalidReference(ERR_CHECKSUM_INVALID_LENGTH)
    return text

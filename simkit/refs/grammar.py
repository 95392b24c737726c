"""Regular-expression grammars for image references (ASCII, fully anchored).

Two grammars are modelled:

* the current ``distribution/reference`` grammar (``regexp.go``), with IPv6 hosts,
  used by Kubernetes (:data:`REFERENCE_REGEX` and friends);
* the older copy vendored as ``library-go/pkg/image/internal/reference``, used by
  OpenShift's ``reference.Parse`` (:data:`LEGACY_REFERENCE_REGEX`). It has no IPv6
  hosts.

Go's RE2 engine never backtracks, Python's ``re`` does. The patterns are written so
that Python cannot backtrack exponentially: the legacy separator ``(?:[._]|__|[-]*)``
is written ``(?:[._]|__|-+)``, which accepts the same language (an empty separator
only joins two alphanumeric runs) and, because a path ends at the first ``:``, ``@`` or
end of text, yields the same captures. Every compiled pattern must be used with
``fullmatch`` (Go's ``$`` never matches before a trailing newline, Python's does).
"""

from __future__ import annotations

import re

__all__ = [
    "ANCHORED_DIGEST_REGEX",
    "ANCHORED_NAME_REGEX",
    "ANCHORED_TAG_REGEX",
    "DIGEST_PATTERN",
    "DOMAIN_AND_PORT_PATTERN",
    "DOMAIN_REGEX",
    "IDENTIFIER_REGEX",
    "LEGACY_ANCHORED_NAME_REGEX",
    "LEGACY_REFERENCE_REGEX",
    "NAME_PATTERN",
    "REFERENCE_REGEX",
    "REMOTE_NAME_PATTERN",
    "TAG_PATTERN",
]


def _optional(*parts: str) -> str:
    return "(?:" + "".join(parts) + ")?"


def _any_times(*parts: str) -> str:
    return "(?:" + "".join(parts) + ")*"


def _capture(*parts: str) -> str:
    return "(" + "".join(parts) + ")"


# --- distribution/reference (current) ------------------------------------------------
_ALPHANUMERIC = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_DOMAIN_NAME_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_OPTIONAL_PORT = r"(?::[0-9]+)?"
_IPV6_ADDRESS = r"\[(?:[a-fA-F0-9:]+)\]"
_DOMAIN_NAME = _DOMAIN_NAME_COMPONENT + _any_times(r"\.", _DOMAIN_NAME_COMPONENT)
_HOST = "(?:" + _DOMAIN_NAME + "|" + _IPV6_ADDRESS + ")"
_PATH_COMPONENT = _ALPHANUMERIC + _any_times(_SEPARATOR, _ALPHANUMERIC)

#: ``domain[:port]``: a DNS-like name, an IPv4 address or a bracketed IPv6 address.
DOMAIN_AND_PORT_PATTERN = _HOST + _OPTIONAL_PORT
#: ``[\\w][\\w.-]{0,127}`` with ASCII ``\\w``.
TAG_PATTERN = r"[\w][\w.-]{0,127}"
#: ``algorithm:hex`` with at least 32 hex characters (``[[:xdigit:]]``).
DIGEST_PATTERN = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}"
#: ``component(/component)*`` (lower case only).
REMOTE_NAME_PATTERN = _PATH_COMPONENT + _any_times("/", _PATH_COMPONENT)
#: ``[domain/]remote-name``.
NAME_PATTERN = _optional(DOMAIN_AND_PORT_PATTERN, "/") + REMOTE_NAME_PATTERN

#: Groups: name, tag, digest.
REFERENCE_REGEX = re.compile(
    _capture(NAME_PATTERN)
    + _optional(":", _capture(TAG_PATTERN))
    + _optional("@", _capture(DIGEST_PATTERN)),
    re.ASCII,
)
#: Groups: domain (``None`` if absent), remote name.
ANCHORED_NAME_REGEX = re.compile(
    _optional(_capture(DOMAIN_AND_PORT_PATTERN), "/") + _capture(REMOTE_NAME_PATTERN),
    re.ASCII,
)
DOMAIN_REGEX = re.compile(DOMAIN_AND_PORT_PATTERN, re.ASCII)
ANCHORED_TAG_REGEX = re.compile(TAG_PATTERN, re.ASCII)
ANCHORED_DIGEST_REGEX = re.compile(DIGEST_PATTERN, re.ASCII)
#: A bare sha256 hex value (``[a-f0-9]{64}``).
IDENTIFIER_REGEX = re.compile(r"[a-f0-9]{64}", re.ASCII)

# --- library-go internal/reference (legacy) -------------------------------------------
_LEGACY_HOSTNAME = (
    _DOMAIN_NAME_COMPONENT + _any_times(r"\.", _DOMAIN_NAME_COMPONENT) + _OPTIONAL_PORT
)
_LEGACY_NAME = _optional(_LEGACY_HOSTNAME, "/") + REMOTE_NAME_PATTERN

#: library-go's reference grammar. Groups: name, tag, digest.
LEGACY_REFERENCE_REGEX = re.compile(
    _capture(_LEGACY_NAME)
    + _optional(":", _capture(TAG_PATTERN))
    + _optional("@", _capture(DIGEST_PATTERN)),
    re.ASCII,
)
#: library-go's name grammar. Groups: hostname (``None`` if absent), remote name.
LEGACY_ANCHORED_NAME_REGEX = re.compile(
    _optional(_capture(_LEGACY_HOSTNAME), "/") + _capture(REMOTE_NAME_PATTERN),
    re.ASCII,
)

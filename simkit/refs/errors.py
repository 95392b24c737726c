"""The error type shared by every reference parser, and upstream's exact error texts.

Each message constant holds the text of the Go error value it stands for, so that a
simulation can report exactly what the real component would have logged.
"""

from __future__ import annotations

__all__ = [
    "ERR_DIGEST_INVALID_FORMAT",
    "ERR_DIGEST_UNSUPPORTED",
    "ERR_CHECKSUM_INVALID_FORMAT",
    "ERR_CHECKSUM_INVALID_LENGTH",
    "ERR_NAME_CONTAINS_UPPERCASE",
    "ERR_NAME_EMPTY",
    "ERR_NAME_NOT_CANONICAL",
    "ERR_NAME_TOO_LONG",
    "ERR_REFERENCE_INVALID_FORMAT",
    "ERR_TAG_INVALID_FORMAT",
    "InvalidReference",
]

# distribution/reference (reference.go), same texts in library-go's internal copy.
ERR_REFERENCE_INVALID_FORMAT = "invalid reference format"
ERR_TAG_INVALID_FORMAT = "invalid tag format"
ERR_DIGEST_INVALID_FORMAT = "invalid digest format"
ERR_NAME_CONTAINS_UPPERCASE = "repository name must be lowercase"
ERR_NAME_EMPTY = "repository name must have at least one component"
ERR_NAME_TOO_LONG = "repository name must not be more than 255 characters"
ERR_NAME_NOT_CANONICAL = "repository name must be canonical"

# opencontainers/go-digest (digest.go), same texts in library-go's internal copy.
ERR_CHECKSUM_INVALID_FORMAT = "invalid checksum digest format"
ERR_CHECKSUM_INVALID_LENGTH = "invalid checksum digest length"
ERR_DIGEST_UNSUPPORTED = "unsupported digest algorithm"


class InvalidReference(ValueError):
    """A string is not a valid image reference, digest, or image-stream name.

    ``str(exc)`` is the upstream error text (for example
    ``"invalid reference format"``), wrapped the way the upstream caller wraps it
    where that caller is being modelled (Kubernetes prefixes
    ``couldn't parse image name "X": ``).

    Examples
    --------
    >>> from simkit.refs import parse
    >>> try:
    ...     parse("")
    ... except InvalidReference as exc:
    ...     print(exc)
    repository name must have at least one component
    >>> issubclass(InvalidReference, ValueError)
    True
    """

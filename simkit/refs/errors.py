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
    "go_quote",
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


_GO_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    "\\": "\\\\",
    '"': '\\"',
}


def go_quote(text: str) -> str:
    """Quote ``text`` the way Go's ``%q`` verb (``strconv.Quote``) does.

    Parameters
    ----------
    text : str
        Any string.

    Returns
    -------
    str
        A double-quoted Go string literal: printable characters are kept, the usual
        backslash escapes are used, other control characters become ``\\xNN`` and other
        non-printable characters ``\\uNNNN`` / ``\\UNNNNNNNN``.

    Examples
    --------
    >>> go_quote("ROOT")
    '"ROOT"'
    >>> print(go_quote('a"b\\n'))
    "a\\"b\\n"
    """
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'  # the common case: nothing to escape
    out = ['"']
    for ch in text:
        escaped = _GO_ESCAPES.get(ch)
        if escaped is not None:
            out.append(escaped)
            continue
        code = ord(ch)
        if code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif ch.isprintable():
            out.append(ch)
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)

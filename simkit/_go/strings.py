"""Go string semantics: the bytes of a string, its ``len``, ``ToLower``, ``TrimSpace``.

A Go string is a byte sequence, usually UTF-8.  simkit carries Go strings as Python
``str``; bytes that are not valid UTF-8 travel as lone surrogates (``surrogateescape``),
and :func:`go_bytes` turns such a ``str`` back into the Go bytes.

Go's white space (``unicode.IsSpace``, what ``strings.TrimSpace`` trims) is
:data:`SPACE`: ``\\t \\n \\v \\f \\r``, space, U+0085 (NEL), U+00A0 (NBSP) and the other
``White_Space`` runes U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
Python's ``str.isspace``/``str.strip()`` differ: they also take U+001C-U+001F.

Upstream: golang/go ``src/unicode/graphic.go`` (``IsSpace``), ``src/strings/strings.go``
(``TrimSpace``, ``ToLower``), ``src/unicode/letter.go`` (``ToLower``: simple case mapping).
"""

from __future__ import annotations

__all__ = ["SPACE", "go_bytes", "go_len", "go_lower", "is_space", "trim_space"]

#: The runes Go's ``unicode.IsSpace`` reports as white space, in code point order.
SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)

# U+0130 LATIN CAPITAL LETTER I WITH DOT ABOVE lowercases to "i" in Go's simple case
# mapping but to "i" + U+0307 in Python's full mapping; it is the only character whose
# lowercase differs in a way that can turn a string into ASCII.
_DOTTED_CAPITAL_I = "\u0130"


def go_bytes(text: str) -> bytes:
    """The bytes of the Go string ``text`` stands for (invalid bytes kept as escapes).

    Parameters
    ----------
    text : str
        A Go string; lone surrogates U+DC80-U+DCFF stand for the bytes 0x80-0xFF.

    Returns
    -------
    bytes

    Examples
    --------
    >>> go_bytes("é\\udcff")
    b'\\xc3\\xa9\\xff'
    """
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def go_len(text: str) -> int:
    """Length in bytes, as Go's ``len`` on a string (UTF-8).

    Examples
    --------
    >>> go_len("abc"), go_len("\\u263a")
    (3, 3)
    """
    if text.isascii():
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))


def go_lower(text: str) -> str:
    """Lowercase like Go's ``strings.ToLower`` (simple, per-rune case mapping).

    Examples
    --------
    >>> go_lower("QUAY.io"), go_lower("\\u0130") == "i"
    ('quay.io', True)
    """
    if text.isascii():
        return text.lower()
    return text.replace(_DOTTED_CAPITAL_I, "i").lower()


def is_space(char: str) -> bool:
    """Go's ``unicode.IsSpace`` for one character.

    Examples
    --------
    >>> is_space("\\x85"), is_space("\\u200b"), is_space("\\x1c")
    (True, False, False)
    """
    return len(char) == 1 and char in SPACE


def trim_space(text: str) -> str:
    """Go's ``strings.TrimSpace``: ``text`` without leading and trailing :data:`SPACE`.

    Examples
    --------
    >>> trim_space("\\u3000 quay.io\\t\\n"), trim_space("\\x1cx\\x1c")
    ('quay.io', '\\x1cx\\x1c')
    """
    return text.strip(SPACE)

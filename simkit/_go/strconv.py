"""Go's ``strconv.Quote`` (what ``%q`` prints for a string) and ``%q`` of a ``[]string``.

Printable runes (Go's ``IsPrint``: letters, marks, numbers, punctuation, symbols and
U+0020) are kept; ``"`` and ``\\`` are backslash-escaped; ``\\a \\b \\f \\n \\r \\t \\v``
use their short escapes; other control characters (and DEL) become ``\\xNN``; other
non-printable runes ``\\uNNNN`` or ``\\UNNNNNNNN``.  Bytes that are not valid UTF-8
(carried as lone surrogates, see :func:`simkit._go.strings.go_bytes`) become ``\\xNN``.

Upstream: golang/go ``src/strconv/quote.go`` (``Quote``, ``appendQuotedWith``,
``appendEscapedRune``) and ``src/fmt/print.go`` (``%q`` of a slice prints each element
with ``%q`` between ``[`` and ``]``, separated by spaces); tested on ``quote_test.go``
(``quotetests``) in tests/test_go_strconv.py.
"""

from __future__ import annotations

from simkit._go.strings import go_bytes

__all__ = ["go_quote", "go_quote_strings"]

_SHORT_ESCAPES = {
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
        Any Go string.

    Returns
    -------
    str
        A double-quoted Go string literal.

    Examples
    --------
    >>> go_quote("ROOT")
    '"ROOT"'
    >>> print(go_quote('a"b\\n'))
    "a\\"b\\n"
    >>> print(go_quote("\\x04\\u263a\\u00a0\\udcff"))
    "\\x04☺\\u00a0\\xff"
    """
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'  # the common case: nothing to escape
    out = ['"']
    for ch in text:
        escaped = _SHORT_ESCAPES.get(ch)
        if escaped is not None:
            out.append(escaped)
            continue
        code = ord(ch)
        if code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif 0xD800 <= code <= 0xDFFF:  # not UTF-8 in Go: each byte as \xNN
            out.extend(f"\\x{byte:02x}" for byte in go_bytes(ch))
        elif ch.isprintable():
            out.append(ch)
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def go_quote_strings(items: list[str]) -> str:
    """``%q`` of a Go ``[]string``: ``["a" "b"]``.

    Examples
    --------
    >>> go_quote_strings(["alice", 'b"ob']), go_quote_strings([])
    ('["alice" "b\\\\"ob"]', '[]')
    """
    return "[" + " ".join(go_quote(item) for item in items) + "]"

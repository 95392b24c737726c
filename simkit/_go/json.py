"""Go ``encoding/json`` behaviour that docker config files and ``-o json`` depend on.

Reading (``json.Unmarshal``): objects keep their pairs in document order
(:class:`Pairs`) so that repeated and case-variant keys resolve as in Go; invalid UTF-8
and lone surrogates become U+FFFD; ``NaN``/``Infinity`` are rejected; struct fields
match keys case-insensitively (:func:`field_matches`).

Writing (``json.Marshal``/``MarshalIndent``): maps are written with sorted keys,
:class:`Pairs` in their own order (Go structs); ``<``, ``>``, ``&``, U+2028 and U+2029
are escaped; floats are formatted as Go formats ``float64``.

Upstream: golang/go ``src/encoding/json/encode.go`` (``appendString`` with
``escapeHTML``, ``floatEncoder``, ``mapEncoder``: keys sorted by their bytes),
``src/encoding/json/decode.go`` (``Unmarshal``, ``foldName``); since Go 1.22 ``\\b`` and
``\\f`` are written as short escapes.  Tested on ``encode_test.go``
(``encodeStringTests``, ``TestHTMLEscape``, ``TestMarshalFloat``) in
tests/test_go_json.py.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from simkit._go.strings import go_bytes

__all__ = ["Pairs", "field_matches", "kind", "load", "marshal", "to_plain"]

_SURROGATE = re.compile("[\ud800-\udfff]")
# Non-ASCII runes whose Go fold (ToUpper(ToLower(r))) is an ASCII letter.
_FOLDS_TO_ASCII = {"\u017f": "s", "\u212a": "k", "\u0131": "i", "\u0130": "i"}


class Pairs(list):
    """A JSON object as ``(key, value)`` pairs, in order, duplicates kept."""


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, Pairs):
        return Pairs((_clean(k), _clean(v)) for k, v in value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _reject_constant(name: str) -> Any:
    raise ValueError(f"invalid character {name[0]!r} looking for beginning of value")


def _go_float(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise ValueError("number out of range for float64")
    return number


def load(text: str | bytes | bytearray, *, floats: bool = False) -> Any:
    """Parse JSON like Go; objects come back as :class:`Pairs`.

    ``floats`` reads every number as ``float`` (Go's ``interface{}`` gets ``float64``).

    Raises
    ------
    ValueError
        ``json.JSONDecodeError`` (position only, never content) or another
        ``ValueError`` for ``NaN``-style literals and out-of-range numbers.

    Examples
    --------
    >>> load('{"a": 1, "A": "\\\\ud800"}')
    [('a', 1), ('A', '\ufffd')]
    """
    if isinstance(text, bytes | bytearray):
        text = bytes(text).decode("utf-8", "surrogateescape")
    parse_int = _go_float if floats else int
    document = json.loads(
        text,
        object_pairs_hook=Pairs,
        parse_constant=_reject_constant,
        parse_float=_go_float,
        parse_int=parse_int,
    )
    return _clean(document)


def to_plain(value: Any) -> Any:
    """:class:`Pairs` turned into dicts (later duplicates win, as in a Go map).

    Examples
    --------
    >>> to_plain(Pairs([("a", 1), ("a", Pairs([("b", 2)]))]))
    {'a': {'b': 2}}
    """
    if isinstance(value, Pairs):
        return {k: to_plain(v) for k, v in value}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    return value


def field_matches(key: str, name: str) -> bool:
    """Does JSON ``key`` select the Go struct field whose JSON name is ``name``?

    Go matches exactly or case-insensitively (Unicode simple folding); ``name`` must be
    lower-case ASCII.

    Examples
    --------
    >>> field_matches("Auths", "auths"), field_matches("AUTH", "auths")
    (True, False)
    >>> field_matches("pa\\u017fsword", "password")
    True
    """
    if len(key) != len(name):
        return False
    for char, want in zip(key, name, strict=True):
        if char == want or (char.isascii() and char.lower() == want):
            continue
        if _FOLDS_TO_ASCII.get(char) != want:
            return False
    return True


def kind(value: Any) -> str:
    """The JSON kind of a parsed value, in Go's error wording.

    Examples
    --------
    >>> [kind(v) for v in (None, True, 1, 1.5, "x", [], Pairs(), {})]
    ['null', 'bool', 'number', 'number', 'string', 'array', 'object', 'object']
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Pairs | Mapping):
        return "object"
    if isinstance(value, list | tuple):
        return "array"
    return type(value).__name__


_SHORT_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
}


def _string(text: str) -> str:
    out = ['"']
    for char in text:
        code = ord(char)
        if char in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[char])
        elif code < 0x20 or char in "<>&" or char in "\u2028\u2029":
            out.append(f"\\u{code:04x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\\ufffd")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _float(number: float) -> str:
    if math.isnan(number) or math.isinf(number):
        raise ValueError("json: unsupported value")
    magnitude = abs(number)
    if magnitude != 0 and (magnitude < 1e-6 or magnitude >= 1e21):
        text = repr(number)
        mantissa, _, exponent = text.partition("e")
        sign, digits = exponent[0], exponent[1:]
        if sign == "-" and len(digits) == 2 and digits[0] == "0":
            digits = digits[1:]
        return f"{mantissa.removesuffix('.0')}e{sign}{digits}"
    return format(Decimal(repr(number)).normalize(), "f")


def _encode(value: Any, out: list[str], indent: str | None, depth: int) -> None:
    if value is None:
        out.append("null")
    elif isinstance(value, bool):
        out.append("true" if value else "false")
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, float):
        out.append(_float(value))
    elif isinstance(value, str):
        out.append(_string(value))
    elif isinstance(value, Pairs | Mapping):
        items = (
            list(value)
            if isinstance(value, Pairs)
            else sorted(value.items(), key=lambda item: go_bytes(item[0]))
        )
        _container(items, "{}", out, indent, depth, keyed=True)
    elif isinstance(value, list | tuple):
        _container(list(value), "[]", out, indent, depth, keyed=False)
    else:
        raise TypeError(f"json: unsupported type: {type(value).__name__}")


def _container(
    items: list, brackets: str, out: list[str], indent: str | None, depth: int, *, keyed: bool
) -> None:
    out.append(brackets[0])
    for position, item in enumerate(items):
        if position:
            out.append(",")
        if indent is not None:
            out.append("\n" + indent * (depth + 1))
        if keyed:
            out.append(_string(item[0]) + (": " if indent is not None else ":"))
            item = item[1]
        _encode(item, out, indent, depth + 1)
    if items and indent is not None:
        out.append("\n" + indent * depth)
    out.append(brackets[1])


def marshal(value: Any, indent: str | None = None) -> str:
    """``json.Marshal`` (or ``MarshalIndent(v, "", indent)``) of a JSON-like value.

    Examples
    --------
    >>> marshal({"b": 1.0, "a": "<x>"})
    '{"a":"\\\\u003cx\\\\u003e","b":1}'
    >>> print(marshal(Pairs([("z", []), ("y", {"k": 1e-07})]), indent="  "))
    {
      "z": [],
      "y": {
        "k": 1e-7
      }
    }
    """
    out: list[str] = []
    _encode(value, out, indent, 0)
    return "".join(out)

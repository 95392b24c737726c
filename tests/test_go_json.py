"""simkit._go.json against Go's own encoding/json tables.

Restated from golang/go ``src/encoding/json/encode_test.go`` (commit
0c9fd1b3b49a934a7ada4d950e88a0bc9d4eb80e): ``encodeStringTests`` (as of Go 1.22, whose
release notes say ``\\b`` and ``\\f`` are now written as short escapes instead of
``\\u0008``/``\\u000c``), ``TestHTMLEscape``, ``TestMarshalerEscaping``,
``unsupportedValues``, ``TestMarshalFloat`` (its ``badFloatREs`` as a property), and the
sorted map keys of ``TestTextMarshalerMapKeysAreSorted``.
"""

from __future__ import annotations

import json
import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simkit._go.json import Pairs, marshal
from simkit.oc.output import to_json

_SHORT = {0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r"}
ENCODE_STRING_TESTS = [
    (chr(code), '"' + _SHORT.get(code, f"\\u{code:04x}") + '"') for code in range(0x20)
]


@pytest.mark.parametrize(("text", "want"), ENCODE_STRING_TESTS)
def test_go_encode_string_tests(text, want):
    assert marshal(text) == want


def test_go_html_escape():
    """``TestHTMLEscape``: <, >, & and U+2028/U+2029 inside strings."""
    assert marshal({"M": "<html>foo &\u2028 \u2029</html>"}) == (
        '{"M":"\\u003chtml\\u003efoo \\u0026\\u2028 \\u2029\\u003c/html\\u003e"}'
    )


def test_go_marshaler_escaping():
    assert marshal("<&>") == '"\\u003c\\u0026\\u003e"'


@pytest.mark.parametrize("value", [math.nan, -math.inf, math.inf])
def test_go_unsupported_values(value):
    with pytest.raises(ValueError, match="json: unsupported value"):
        marshal(value)


def test_go_map_keys_are_sorted_and_structs_keep_their_order():
    assert marshal({"z:a": 4, "a:z": 3, "y:x": 2, "x:y": 1}) == '{"a:z":3,"x:y":1,"y:x":2,"z:a":4}'
    assert marshal(Pairs([("z", 1), ("a", 2)])) == '{"z":1,"a":2}'


def test_go_marshal_indent_empty_containers():
    """``TestOmitEmpty``'s expected text: empty map ``{}``, nil slice ``null``, one space."""
    assert marshal(Pairs([("slr", None), ("mr", {}), ("fr", 0.0), ("br", False)]), indent=" ") == (
        '{\n "slr": null,\n "mr": {},\n "fr": 0,\n "br": false\n}'
    )


_BAD_FLOAT = [
    re.compile(p)
    for p in (
        r"p",
        r"^\+",
        r"^-?0[^.]",
        r"^-?\.",
        r"\.(e|$)",
        r"\.[0-9]+0(e|$)",
        r"^-?(0|[0-9]{2,})\..*e",
        r"e[0-9]",
        r"e[+-]0",
        r"e-[1-6]$",
        r"e+(.|1.|20)$",
        r"^-?0\.0000000",
        r"^-?[0-9]{22}",
        r"[1-9][0-9]{16}[1-9]",
        r"[1-9][0-9.]{17}[1-9]",
    )
]


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_go_marshal_float_form(number):
    """``TestMarshalFloat``: reads back to the same float; none of ``badFloatREs``."""
    out = marshal(number)
    assert float(out) == number
    assert math.copysign(1, float(out)) == math.copysign(1, number)  # -0 stays -0
    assert not [p.pattern for p in _BAD_FLOAT if p.search(out)]


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=8),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
        ),
        max_leaves=10,
    )
)
def test_marshal_is_json_that_reads_back(value):
    """Whatever Go escapes, the text is JSON that parses back to the value."""
    assert json.loads(marshal(value)) == value


def test_oc_json_printer_uses_go_marshal():
    """kubectl's JSON printer is ``json.MarshalIndent(obj, "", "    ")`` plus a newline:
    Go's float form and HTML escaping, not Python's ``json.dumps``."""
    assert to_json({"b": 1.0, "a": "<none>"}) == (
        '{\n    "a": "\\u003cnone\\u003e",\n    "b": 1\n}\n'
    )

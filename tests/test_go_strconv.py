"""simkit._go.strconv against Go's own strconv.Quote table.

Restated from golang/go ``src/strconv/quote_test.go`` (commit
0ab6ff4590e7536cf428173a8ba1000f44d7b734): ``quotetests`` (the ``Quote`` column), with
Go's invalid byte ``\\xff`` carried as the lone surrogate U+DCFF.  ``%q`` of a
``[]string`` follows ``fmt``: elements quoted, space-separated, in brackets.
"""

from __future__ import annotations

import ast

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simkit._go.strconv import go_quote, go_quote_strings
from simkit.oc.commands.policy import quote_targets

QUOTE_TESTS = [
    ("\a\b\f\r\n\t\v", '"\\a\\b\\f\\r\\n\\t\\v"'),
    ("\\", '"\\\\"'),
    ("abc\udcffdef", '"abc\\xffdef"'),
    ("\u263a", '"\u263a"'),
    ("\U0010ffff", '"\\U0010ffff"'),
    ("\x04", '"\\x04"'),
    ("!\u00a0!\u2000!\u3000!", '"!\\u00a0!\\u2000!\\u3000!"'),
]


@pytest.mark.parametrize(("text", "want"), QUOTE_TESTS)
def test_go_quotetests(text, want):
    assert go_quote(text) == want


def test_quote_of_a_string_slice():
    assert go_quote_strings(["a", 'b"c', "\n"]) == '["a" "b\\"c" "\\n"]'
    assert quote_targets(["system:serviceaccount:p:x"]) == '"system:serviceaccount:p:x"'
    assert quote_targets(["u1", "u\\2"]) == '["u1" "u\\\\2"]'


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_quoted_text_reads_back(text):
    """A Go literal of valid UTF-8 uses only escapes Python reads the same way."""
    quoted = go_quote(text)
    assert quoted.startswith('"') and quoted.endswith('"')
    assert ast.literal_eval(quoted) == text

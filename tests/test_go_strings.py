"""simkit._go.strings against Go's own strings/unicode tables.

Restated from golang/go ``src/strings/strings_test.go``: ``trimSpaceTests`` (with its
``space`` constant) and ``lowerTests``; Go's invalid bytes ``\\x80``/``\\xc0`` are carried
as lone surrogates.  ``unicode.IsSpace`` is checked over every code point against
Unicode's White_Space property (``src/unicode/graphic.go``: Latin-1 has its own list).
"""

from __future__ import annotations

import sys

import pytest

from simkit._go.strings import SPACE, go_bytes, go_len, go_lower, is_space, trim_space

GO_SPACE_CONST = "\t\v\r\f\n\u0085\u00a0\u2000\u3000"

TRIM_SPACE_TESTS = [
    ("", ""),
    ("abc", "abc"),
    (GO_SPACE_CONST + "abc" + GO_SPACE_CONST, "abc"),
    (" ", ""),
    (" \t\r\n \t\t\r\r\n\n ", ""),
    (" \t\r\n x\t\t\r\r\n\n ", "x"),
    (" \u2000\t\r\n x\t\t\r\r\ny\n \u3000", "x\t\t\r\r\ny"),
    ("1 \t\r\n2", "1 \t\r\n2"),
    (" x\udc80", "x\udc80"),
    (" x\udcc0", "x\udcc0"),
    ("x \udcc0\udcc0 ", "x \udcc0\udcc0"),
    ("x \udcc0", "x \udcc0"),
    ("x \udcc0 ", "x \udcc0"),
    ("x \u263a\udcc0\udcc0 ", "x \u263a\udcc0\udcc0"),
    ("x \u263a ", "x \u263a"),
]


@pytest.mark.parametrize(("text", "want"), TRIM_SPACE_TESTS)
def test_go_trim_space_tests(text, want):
    assert trim_space(text) == want


LOWER_TESTS = [
    ("", ""),
    ("abc", "abc"),
    ("AbC123", "abc123"),
    ("azAZ09_", "azaz09_"),
    ("\u2c6d" * 5, "\u0251" * 5),
    (
        "LONG\u2c6fSTRING\u2c6fWITH\u2c6fNONASCII\u2c6fCHARS",
        "long\u0250string\u0250with\u0250nonascii\u0250chars",
    ),
    ("A\u0080\U0010ffff", "a\u0080\U0010ffff"),
    ("\u0130", "i"),  # Go's simple mapping; Python's full one gives "i\u0307"
]


@pytest.mark.parametrize(("text", "want"), LOWER_TESTS)
def test_go_lower_tests(text, want):
    assert go_lower(text) == want


def test_is_space_is_unicode_white_space():
    """Above Latin-1, Go's IsSpace is White_Space, which is what Python's isspace
    reports there; in Latin-1 Go lists 9 runes and Python adds U+001C-U+001F."""
    latin1 = {chr(c) for c in range(0x100) if is_space(chr(c))}
    assert latin1 == set("\t\n\v\f\r \x85\xa0")
    assert {chr(c) for c in range(0x100) if chr(c).isspace()} - latin1 == set("\x1c\x1d\x1e\x1f")
    above = [chr(c) for c in range(0x100, sys.maxunicode + 1) if is_space(chr(c))]
    assert above == [chr(c) for c in range(0x100, sys.maxunicode + 1) if chr(c).isspace()]
    assert "".join(sorted(SPACE)) == SPACE


def test_go_len_and_bytes():
    assert go_len("\u263a") == 3 and go_len("abc") == 3
    assert go_bytes("a\udcff") == b"a\xff"
    assert go_len("\ud800") == len(go_bytes("\ud800")) == 3

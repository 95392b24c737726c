"""simkit._go.tabwriter against Go's own text/tabwriter table.

Restated from golang/go ``src/text/tabwriter/tabwriter_test.go`` (commit
4d68b147014912302b8648db9ddf8d8c806b10c8), ``tests``: every case with flags 0 whose text
has no ``\\v``, ``\\f`` or ``0xff`` escape (what oc's printers use; the port leaves the
other flags out).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simkit._go.tabwriter import DESCRIBE, KUBECTL, TabConfig, align

# (name, minwidth, tabwidth, padding, padchar, src, expected)
TABWRITER_TESTS = [
    ("1a", 8, 0, 1, ".", "", ""),
    ("2", 8, 0, 1, ".", "\n\n\n", "\n\n\n"),
    ("3", 8, 0, 1, ".", "a\nb\nc", "a\nb\nc"),
    ("4a", 8, 0, 1, ".", "\t", ""),
    ("5", 8, 0, 1, ".", "*\t*", "*.......*"),
    ("5b", 8, 0, 1, ".", "*\t*\n", "*.......*\n"),
    ("5c", 8, 0, 1, ".", "*\t*\t", "*.......*"),
    ("6", 8, 0, 1, ".", "\t\n", "........\n"),
    ("7a", 8, 0, 1, ".", "a) foo", "a) foo"),
    ("7b", 8, 0, 1, " ", "b) foo\tbar", "b) foo  bar"),
    ("7c", 8, 0, 1, ".", "c) foo\tbar\t", "c) foo..bar"),
    ("7d", 8, 0, 1, ".", "d) foo\tbar\n", "d) foo..bar\n"),
    ("7e", 8, 0, 1, ".", "e) foo\tbar\t\n", "e) foo..bar.....\n"),
    ("8", 8, 0, 1, "*", "Hello, world!\n", "Hello, world!\n"),
    ("9a", 1, 0, 0, ".", "1\t2\t3\t4\n11\t222\t3333\t44444\n", "1.2..3...4\n11222333344444\n"),
    ("10a", 5, 0, 0, ".", "1\t2\t3\t4\n", "1....2....3....4\n"),
    ("10b", 5, 0, 0, ".", "1\t2\t3\t4\t\n", "1....2....3....4....\n"),
    (
        "11",
        8,
        0,
        1,
        ".",
        "\u672c\tb\tc\naa\t\u672c\u672c\u672c\tcccc\tddddd\naaa\tbbbb\n",
        "\u672c.......b.......c\naa......\u672c\u672c\u672c.....cccc....ddddd\naaa.....bbbb\n",
    ),
    ("12b", 2, 0, 0, " ", "a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n", "a  b  c\naa bbbcccc\naaabbbb\n"),
    (
        "12c",
        8,
        0,
        1,
        "_",
        "a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n",
        "a_______b_______c\naa______bbb_____cccc\naaa_____bbbb\n",
    ),
    (
        "13a",
        4,
        0,
        1,
        "-",
        "4444\t\u65e5\u672c\u8a9e\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n"
        "666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n",
        "4444------\u65e5\u672c\u8a9e-22--1---333\n999999999-22\n7---------22\n"
        "------------------88888888\n\n666666-666666-666666----4444\n"
        "1------1------999999999-0000000000\n",
    ),
    (
        "13b",
        4,
        0,
        3,
        ".",
        "4444\t333\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n"
        "666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n",
        "4444........333...22...1...333\n999999999...22\n7...........22\n"
        "....................88888888\n\n666666...666666...666666......4444\n"
        "1........1........999999999...0000000000\n",
    ),
    ("15a", 4, 0, 0, ".", "a\t\tb", "a.......b"),
    (
        "16a",
        100,
        100,
        0,
        "\t",
        "a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
        "a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
    ),
]


@pytest.mark.parametrize(
    ("name", "minwidth", "tabwidth", "padding", "padchar", "src", "expected"),
    TABWRITER_TESTS,
    ids=[t[0] for t in TABWRITER_TESTS],
)
def test_go_tabwriter_tests(name, minwidth, tabwidth, padding, padchar, src, expected):
    assert align(src, TabConfig(minwidth, tabwidth, padding, padchar)) == expected


def test_oc_configurations():
    assert align("NAME\tAGE\nruby\t5m\n", KUBECTL) == "NAME   AGE\nruby   5m\n"
    assert align("Name:\truby\nTags:\t3\n", DESCRIBE) == "Name:\truby\nTags:\t3\n"


cells = st.text(alphabet=st.sampled_from("ab\u672c "), max_size=6)


@given(st.lists(st.lists(cells, min_size=1, max_size=4), min_size=1, max_size=5))
def test_space_padding_only_adds_padding(rows):
    """Removing the pad characters gives back the cells: alignment never drops text."""
    text = "\n".join("\t".join(row) for row in rows) + "\n"
    out = align(text, TabConfig(0, 8, 1, "."))
    assert out.replace(".", "") == text.replace("\t", "")

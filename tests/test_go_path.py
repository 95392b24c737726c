"""simkit._go.path against Go's own ``path.Match`` table.

Cases restated from golang/go ``src/path/match_test.go`` (``matchTests``, commit
1b54bfdf578d39ccd33157465c61eb9be57db3f6); ``src/path/filepath/match_test.go`` runs the
same table through ``filepath.Match``, which on Unix is the same function.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simkit._go.path import BadPattern, filepath_match, path_match

BAD = BadPattern

# (pattern, name, matched, error)
MATCH_TESTS = [
    ("abc", "abc", True, None),
    ("*", "abc", True, None),
    ("*c", "abc", True, None),
    ("a*", "a", True, None),
    ("a*", "abc", True, None),
    ("a*", "ab/c", False, None),
    ("a*/b", "abc/b", True, None),
    ("a*/b", "a/c/b", False, None),
    ("a*b*c*d*e*/f", "axbxcxdxe/f", True, None),
    ("a*b*c*d*e*/f", "axbxcxdxexxx/f", True, None),
    ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", False, None),
    ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", False, None),
    ("a*b?c*x", "abxbbxdbxebxczzx", True, None),
    ("a*b?c*x", "abxbbxdbxebxczzy", False, None),
    ("ab[c]", "abc", True, None),
    ("ab[b-d]", "abc", True, None),
    ("ab[e-g]", "abc", False, None),
    ("ab[^c]", "abc", False, None),
    ("ab[^b-d]", "abc", False, None),
    ("ab[^e-g]", "abc", True, None),
    ("a\\*b", "a*b", True, None),
    ("a\\*b", "ab", False, None),
    ("a?b", "a\u263ab", True, None),
    ("a[^a]b", "a\u263ab", True, None),
    ("a???b", "a\u263ab", False, None),
    ("a[^a][^a][^a]b", "a\u263ab", False, None),
    ("[a-\u03b6]*", "\u03b1", True, None),
    ("*[a-\u03b6]", "A", False, None),
    ("a?b", "a/b", False, None),
    ("a*b", "a/b", False, None),
    ("[\\]a]", "]", True, None),
    ("[\\-]", "-", True, None),
    ("[x\\-]", "x", True, None),
    ("[x\\-]", "-", True, None),
    ("[x\\-]", "z", False, None),
    ("[\\-x]", "x", True, None),
    ("[\\-x]", "-", True, None),
    ("[\\-x]", "a", False, None),
    ("[]a]", "]", False, BAD),
    ("[-]", "-", False, BAD),
    ("[x-]", "x", False, BAD),
    ("[x-]", "-", False, BAD),
    ("[x-]", "z", False, BAD),
    ("[-x]", "x", False, BAD),
    ("[-x]", "-", False, BAD),
    ("[-x]", "a", False, BAD),
    ("\\", "a", False, BAD),
    ("[a-b-c]", "a", False, BAD),
    ("[", "a", False, BAD),
    ("[^", "a", False, BAD),
    ("[^bc", "a", False, BAD),
    ("a[", "a", False, BAD),
    ("a[", "ab", False, BAD),
    ("a[", "x", False, BAD),
    ("a/b[", "x", False, BAD),
    ("*x", "xxx", True, None),
]


@pytest.mark.parametrize("match", [path_match, filepath_match], ids=["path", "filepath"])
@pytest.mark.parametrize(("pattern", "name", "matched", "error"), MATCH_TESTS)
def test_go_match_tests(match, pattern, name, matched, error):
    if error is not None:
        with pytest.raises(error, match="syntax error in pattern"):
            match(pattern, name)
    else:
        assert match(pattern, name) is matched


def test_a_star_may_stop_inside_a_multibyte_character():
    """Go matches bytes: after ``*`` eats the first byte of "é", the stray second byte
    is a U+FFFD rune (the str port in refs/pathmatch.py said False here)."""
    assert path_match("*[\ufffd]", "\u00e9") is True
    assert path_match("*?", "\u00e9") is True


def test_bad_pattern_is_a_value_error_with_go_text():
    assert issubclass(BadPattern, ValueError)
    assert str(BadPattern()) == "syntax error in pattern"


_META = "*?[]\\"
names = st.text(alphabet=st.sampled_from("ab/.:-\u00e9\u263a*?[]\\"), max_size=12)


@given(names)
def test_an_escaped_name_matches_exactly_itself(name):
    escaped = "".join("\\" + c if c in _META else c for c in name)
    assert path_match(escaped, name)
    assert not path_match(escaped, name + "x")


@given(names)
def test_a_lone_star_matches_every_name_without_a_slash(name):
    assert path_match("*", name) is ("/" not in name)


@given(st.text(alphabet=st.sampled_from("ab*?[]^-\\/"), max_size=8), names)
def test_path_and_filepath_agree(pattern, name):
    def outcome(match):
        try:
            return match(pattern, name)
        except BadPattern:
            return "bad"

    assert outcome(path_match) == outcome(filepath_match)

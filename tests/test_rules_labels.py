"""simkit.rules.labels against apimachinery's label selector tests.

Restated from kubernetes/apimachinery (commit eed236ceee2c19c2753a3d93ac0631dc20750454):
``pkg/labels/selector_test.go`` ``TestSelectorMatches`` (its equality, set-based and
existence rows, written as ``matchLabels`` / ``matchExpressions``; ``!=`` is ``NotIn`` with
one value) and ``TestRequirementSelectorMatching`` (the In/NotIn/Exists/DoesNotExist rows),
and ``pkg/apis/meta/v1/helpers_test.go`` ``TestLabelSelectorAsSelector`` (an empty selector
is ``Everything``; ``matchLabels`` and ``matchExpressions`` are ANDed).  The ``>``/``<``
rows have no ``metav1.LabelSelector`` operator: such an operator is refused.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simkit.rules.labels import requirement_matches, selector_matches
from simkit.state.rbac import LabelSelector, SelectorRequirement


def req(key: str, operator: str, *values: str) -> SelectorRequirement:
    return SelectorRequirement(key, operator, values)


@pytest.mark.parametrize(("selector", "labels", "match"), [
    # TestSelectorMatches
    (LabelSelector(), {"x": "y"}, True),
    (LabelSelector({"x": "y"}), {"x": "y"}, True),
    (LabelSelector({"x": "y", "z": "w"}), {"x": "y", "z": "w"}, True),
    (LabelSelector(match_expressions=[req("x", "NotIn", "y"), req("z", "NotIn", "w")]),
     {"x": "z", "z": "a"}, True),
    (LabelSelector({"notin": "in"}), {"notin": "in"}, True),
    (LabelSelector(match_expressions=[req("x", "Exists")]), {"x": "z"}, True),
    (LabelSelector(match_expressions=[req("x", "DoesNotExist")]), {"y": "z"}, True),
    (LabelSelector({"x": "z"}), {}, False),
    (LabelSelector({"x": "y"}), {"x": "z"}, False),
    (LabelSelector({"x": "y", "z": "w"}), {"x": "w", "z": "w"}, False),
    (LabelSelector(match_expressions=[req("x", "NotIn", "y"), req("z", "NotIn", "w")]),
     {"x": "z", "z": "w"}, False),
    (LabelSelector(match_expressions=[req("x", "Exists")]), {"y": "z"}, False),
    (LabelSelector(match_expressions=[req("x", "DoesNotExist")]), {"x": "z"}, False),
    (LabelSelector({"foo": "bar", "baz": "blah"}), {"foo": "bar", "baz": "blah"}, True),
    (LabelSelector({"foo": "blah"}), {"foo": "bar", "baz": "blah"}, False),
    (LabelSelector({"foo": "bar", "foobar": "bar", "baz": "blah"}),
     {"foo": "bar", "baz": "blah"}, False),
    # TestRequirementSelectorMatching
    (LabelSelector(match_expressions=[req("x", "In", "foo"), req("y", "NotIn", "alpha")]),
     {"x": "foo", "y": "baz"}, True),
    (LabelSelector(match_expressions=[req("x", "In", "foo"), req("y", "In", "alpha")]),
     {"x": "foo", "y": "baz"}, False),
    (LabelSelector(match_expressions=[req("x", "NotIn", ""), req("y", "Exists")]),
     {"y": ""}, True),
    (LabelSelector(match_expressions=[req("x", "DoesNotExist"), req("y", "Exists")]),
     {"y": ""}, True),
    (LabelSelector(match_expressions=[req("x", "NotIn", ""), req("y", "DoesNotExist")]),
     {"y": ""}, False),
    (LabelSelector(match_expressions=[req("x", "In", "")]), {"y": "baz"}, False),
    # TestLabelSelectorAsSelector: "baz in (norf,qux),foo=bar"
    (LabelSelector({"foo": "bar"}, [req("baz", "In", "qux", "norf")]),
     {"foo": "bar", "baz": "norf"}, True),
    (LabelSelector({"foo": "bar"}, [req("baz", "In", "qux", "norf")]), {"baz": "qux"}, False),
    (LabelSelector({"foo": "bar"}, [req("baz", "In", "qux", "norf")]), {"foo": "bar"}, False),
])  # fmt: skip
def test_selector_matches(selector, labels, match):
    assert selector_matches(selector, labels) is match


@pytest.mark.parametrize("operator", ["Gt", "Lt", "in", "=", ""])
def test_an_operator_metav1_does_not_have_is_refused(operator):
    with pytest.raises(ValueError, match="not a valid label selector operator"):
        requirement_matches(req("z", operator, "1"), {"z": "2"})


keys = st.sampled_from(["a", "b", "c"])
label_sets = st.dictionaries(keys, st.sampled_from(["1", "2", ""]), max_size=3)


@given(keys, st.lists(st.sampled_from(["1", "2", ""]), min_size=1, max_size=2), label_sets)
def test_in_and_notin_are_complements_and_exists_splits_the_key(key, values, labels):
    """``NotIn`` is the negation of ``In``; ``DoesNotExist`` the negation of ``Exists``."""
    assert requirement_matches(req(key, "In", *values), labels) != requirement_matches(
        req(key, "NotIn", *values), labels
    )
    assert requirement_matches(req(key, "Exists"), labels) == (key in labels)
    assert requirement_matches(req(key, "DoesNotExist"), labels) == (key not in labels)


@given(label_sets, label_sets)
def test_match_labels_is_a_subset_check(wanted, labels):
    assert selector_matches(LabelSelector(wanted), labels) == (wanted.items() <= labels.items())

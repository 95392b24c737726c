"""Label-selector matching (apimachinery ``metav1.LabelSelectorAsSelector`` + ``Matches``)."""

from __future__ import annotations

from collections.abc import Mapping

from simkit.state.rbac import LabelSelector, SelectorRequirement


def requirement_matches(requirement: SelectorRequirement, labels: Mapping[str, str]) -> bool:
    """Whether ``labels`` satisfy one ``matchExpressions`` entry.

    ``In`` needs the key with one of the values; ``NotIn`` is true when the key is
    absent or has another value; ``Exists``/``DoesNotExist`` look only at the key.

    Examples
    --------
    >>> requirement_matches(SelectorRequirement("tier", "NotIn", ("db",)), {})
    True
    >>> requirement_matches(SelectorRequirement("tier", "In", ("db", "web")), {"tier": "web"})
    True
    """
    present = requirement.key in labels
    if requirement.operator == "In":
        return present and labels[requirement.key] in requirement.values
    if requirement.operator == "NotIn":
        return not present or labels[requirement.key] not in requirement.values
    if requirement.operator == "Exists":
        return present
    if requirement.operator == "DoesNotExist":
        return not present
    raise ValueError(f"{requirement.operator!r} is not a valid label selector operator")


def selector_matches(selector: LabelSelector, labels: Mapping[str, str]) -> bool:
    """Whether ``labels`` satisfy every part of ``selector``.

    An empty selector (no ``matchLabels``, no ``matchExpressions``) selects everything,
    as ``LabelSelectorAsSelector`` returns ``labels.Everything()`` for it.

    Examples
    --------
    >>> sel = LabelSelector({"rbac.authorization.k8s.io/aggregate-to-view": "true"})
    >>> selector_matches(sel, {"rbac.authorization.k8s.io/aggregate-to-view": "true"})
    True
    >>> selector_matches(sel, {"rbac.authorization.k8s.io/aggregate-to-view": "false"})
    False
    >>> selector_matches(LabelSelector(), {})
    True
    """
    for key, value in selector.match_labels.items():
        if labels.get(key) != value:
            return False
    return all(requirement_matches(r, labels) for r in selector.match_expressions)

"""Rule matching: kubernetes ``pkg/apis/rbac/v1/evaluation_helpers.go`` and ``RuleAllows``."""

from __future__ import annotations

from collections.abc import Iterable

from simkit.rules.rbac.users import Attributes
from simkit.state.rbac import PolicyRule

ALL = "*"
"""``VerbAll``, ``APIGroupAll``, ``ResourceAll`` and ``NonResourceAll``."""


def verb_matches(rule: PolicyRule, verb: str) -> bool:
    """``VerbMatches``: ``*`` or the exact, case-sensitive verb.

    Examples
    --------
    >>> verb_matches(PolicyRule(["get", "list"]), "list")
    True
    >>> verb_matches(PolicyRule(["get"]), "GET")
    False
    """
    return any(v in (ALL, verb) for v in rule.verbs)


def api_group_matches(rule: PolicyRule, group: str) -> bool:
    """``APIGroupMatches``: ``*`` or the exact group (``""`` is the core group).

    Examples
    --------
    >>> api_group_matches(PolicyRule(["get"], ["", "image.openshift.io"]), "image.openshift.io")
    True
    >>> api_group_matches(PolicyRule(["get"], [""]), "apps")
    False
    """
    return any(g in (ALL, group) for g in rule.api_groups)


def resource_matches(rule: PolicyRule, combined: str, subresource: str) -> bool:
    """``ResourceMatches``: ``*``, the exact ``resource[/subresource]``, or ``*/subresource``.

    ``pods/*`` is **not** a wildcard (only the literal string), and a bare ``pods`` does not
    cover ``pods/log``.

    Examples
    --------
    >>> rule = PolicyRule(["get"], ["*"], ["imagestreams/layers", "*/scale"])
    >>> resource_matches(rule, "imagestreams/layers", "layers")
    True
    >>> resource_matches(rule, "deployments/scale", "scale")
    True
    >>> resource_matches(rule, "imagestreams", "")
    False
    >>> resource_matches(PolicyRule(["get"], [""], ["pods/*"]), "pods/log", "log")
    False
    """
    for resource in rule.resources:
        if resource in (ALL, combined):
            return True
        if (
            subresource
            and len(resource) == len(subresource) + 2
            and resource.startswith("*/")
            and resource.endswith(subresource)
        ):
            return True
    return False


def resource_name_matches(rule: PolicyRule, name: str) -> bool:
    """``ResourceNameMatches``: no names match any request; else the exact name.

    Examples
    --------
    >>> resource_name_matches(PolicyRule(["get"]), "")
    True
    >>> resource_name_matches(PolicyRule(["get"], resource_names=["ruby"]), "")
    False
    """
    if not rule.resource_names:
        return True
    return name in rule.resource_names


def non_resource_url_matches(rule: PolicyRule, url: str) -> bool:
    """``NonResourceURLMatches``: ``*``, the exact URL, or a trailing-``*`` prefix.

    Examples
    --------
    >>> non_resource_url_matches(PolicyRule(["get"], non_resource_urls=["/apis/*"]), "/apis/v1")
    True
    >>> non_resource_url_matches(PolicyRule(["get"], non_resource_urls=["/apis/*"]), "/apis")
    False
    """
    for rule_url in rule.non_resource_urls:
        if rule_url in (ALL, url):
            return True
        if rule_url.endswith("*") and url.startswith(rule_url.rstrip("*")):
            return True
    return False


def rule_allows(rule: PolicyRule, attributes: Attributes) -> bool:
    """``RuleAllows``: verb, group, resource and name (or verb and URL) all match.

    Examples
    --------
    >>> rule = PolicyRule(["get"], ["", "image.openshift.io"], ["imagestreams/layers"])
    >>> rule_allows(rule, Attributes("u", verb="get", api_group="image.openshift.io",
    ...                              resource="imagestreams", subresource="layers"))
    True
    >>> rule_allows(rule, Attributes("u", verb="update", api_group="image.openshift.io",
    ...                              resource="imagestreams", subresource="layers"))
    False
    """
    if attributes.resource_request:
        return (
            verb_matches(rule, attributes.verb)
            and api_group_matches(rule, attributes.api_group)
            and resource_matches(rule, attributes.combined_resource, attributes.subresource)
            and resource_name_matches(rule, attributes.name)
        )
    return verb_matches(rule, attributes.verb) and non_resource_url_matches(rule, attributes.path)


def first_allowing_rule(rules: Iterable[PolicyRule], attributes: Attributes) -> PolicyRule | None:
    """The first of ``rules`` that allows ``attributes`` (``RulesAllow``), or None.

    Examples
    --------
    >>> first_allowing_rule([PolicyRule(["list"], [""], ["pods"]),
    ...                      PolicyRule(["get"], [""], ["pods"])],
    ...                     Attributes("u", verb="get", resource="pods")).verbs
    ('get',)
    """
    return next((rule for rule in rules if rule_allows(rule, attributes)), None)

"""ClusterRole aggregation, as the ``clusterrole-aggregation-controller`` computes it.

Restates kubernetes ``pkg/controller/clusterroleaggregation/clusterroleaggregation_controller.go``
(``syncClusterRole``): for a ClusterRole with an ``aggregationRule``, every selector lists the
ClusterRoles whose labels match, sorted by name and skipping the role itself; their rules are
appended in that order, dropping exact duplicates; the result **replaces** ``.rules``.  Any
ClusterRole change re-queues every aggregated role, so the controller settles on a fixed point;
:func:`aggregate_cluster_roles` computes that fixed point without a clock.
"""

from __future__ import annotations

from collections.abc import Iterable

from simkit.rules.labels import selector_matches
from simkit.state.rbac import PolicyRule, Role


def aggregated_rules(role: Role, cluster_roles: Iterable[Role]) -> list[PolicyRule]:
    """The rules one sync of ``role`` writes (``syncClusterRole``).

    Parameters
    ----------
    role : Role
        A ClusterRole with an ``aggregation_rule``.
    cluster_roles : iterable of Role
        Every ClusterRole as the controller's lister sees it now.

    Returns
    -------
    list of PolicyRule
        In selector order, then role-name order, then each role's own order, without exact
        duplicates.  A role without an aggregation rule keeps its own rules.

    Examples
    --------
    >>> from simkit.state.rbac import LabelSelector
    >>> saw = Role("", "saw", [PolicyRule(["saw"], resources=["boards"])], {"foo": "bar"})
    >>> chisel = Role("", "chisel", [PolicyRule(["chisel"], resources=["mortises"])],
    ...               {"foo": "bar"})
    >>> combined = Role("", "combined", aggregation_rule=[LabelSelector({"foo": "bar"})])
    >>> [r.verbs for r in aggregated_rules(combined, [saw, chisel, combined])]
    [('chisel',), ('saw',)]
    """
    if role.aggregation_rule is None:
        return list(role.rules)
    cluster_roles = [r for r in cluster_roles if not r.namespace]
    rules: list[PolicyRule] = []
    for selector in role.aggregation_rule:
        selected = sorted(
            (r for r in cluster_roles if selector_matches(selector, r.labels)),
            key=lambda r: r.name,
        )
        for other in selected:
            if other.name == role.name:
                continue
            for rule in other.rules:
                if rule not in rules:
                    rules.append(rule)
    return rules


def aggregate_cluster_roles(roles: Iterable[Role]) -> list[Role]:
    """Every role after the aggregation controller has settled.

    Parameters
    ----------
    roles : iterable of Role
        ClusterRoles (and possibly namespaced Roles, which pass through unchanged).

    Returns
    -------
    list of Role
        Copies, in the input order; aggregated ClusterRoles have their ``rules`` replaced.
        Roles that aggregate other aggregated roles (``admin`` selecting ``edit``, say) are
        synced again until nothing changes, as the controller's re-queueing does; a
        selection cycle that never settles is cut after one pass per ClusterRole.

    Examples
    --------
    >>> from simkit.state.rbac import LabelSelector
    >>> hammer = Role("", "hammer", [PolicyRule(["hammer"], resources=["nails"])],
    ...               {"foo": "bar"})
    >>> combined = Role("", "combined", [PolicyRule(["saw"], resources=["boards"])],
    ...                 aggregation_rule=[LabelSelector({"foo": "bar"})])
    >>> out = aggregate_cluster_roles([hammer, combined])
    >>> [r.verbs for r in out[1].rules]   # the dead "saw" rule is removed
    [('hammer',)]
    >>> [r.verbs for r in combined.rules]  # inputs are not changed
    [('saw',)]
    """
    out = [role.copy() for role in roles]
    cluster = [role for role in out if not role.namespace]
    aggregated = sorted(
        (r for r in cluster if r.aggregation_rule is not None), key=lambda r: r.name
    )
    for _ in range(len(cluster) + 1):
        changed = False
        for role in aggregated:
            rules = aggregated_rules(role, cluster)
            if rules != role.rules:
                role.rules = rules
                changed = True
        if not changed:
            break
    return out

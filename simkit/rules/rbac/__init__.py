"""RBAC evaluation: pure functions of roles, bindings and a request.

Each module restates one piece of upstream:

- :mod:`.users`: users as the authenticators build them (:func:`service_account_user`,
  :func:`authenticated_user`, :func:`anonymous_user`) and the request's :class:`Attributes`;
- :mod:`.matching` (kubernetes ``pkg/apis/rbac/v1/evaluation_helpers.go`` and ``RuleAllows``):
  :func:`verb_matches`, :func:`api_group_matches`, :func:`resource_matches`,
  :func:`resource_name_matches`, :func:`non_resource_url_matches`, :func:`rule_allows`;
- :mod:`.resolution` (``pkg/registry/rbac/validation/rule.go``): :func:`applies_to`,
  :func:`resolve_role`, :func:`visit_rules` (ClusterRoleBindings first, then the RoleBindings
  of the request's namespace; a RoleBinding to a ClusterRole grants it only in the binding's
  namespace; a ClusterRoleBinding can only use a ClusterRole);
- :mod:`.authorizer` (``plugin/pkg/auth/authorizer/rbac/rbac.go``): :func:`authorize`, ALLOW
  with the upstream reason string or NO_OPINION (RBAC never denies);
- :mod:`.explain`, simkit's own: :func:`explain`, the chain that grants a request or why
  nothing does;
- :mod:`.who_can` (``subject_locator.go`` and ``oc adm policy who-can``): :func:`who_can`;
- :mod:`.aggregation` (the clusterrole-aggregation controller): :func:`aggregate_cluster_roles`.

Examples
--------
>>> from simkit.rules.rbac import Attributes, authorize, service_account_user
>>> from simkit.rules.bootstrap import load_bootstrap_policy, project_default_bindings
>>> policy = load_bootstrap_policy()
>>> pull = Attributes.for_user(service_account_user("p", "default"), "get", "imagestreams",
...     subresource="layers", api_group="image.openshift.io", namespace="p", name="ruby")
>>> authorize(policy.roles_by_key, policy.bindings + project_default_bindings("p"), pull).reason
'RBAC: allowed by RoleBinding "system:image-pullers/p" of ClusterRole "system:image-puller" \
to Group "system:serviceaccounts:p"'
"""

from simkit.rules.rbac.aggregation import aggregate_cluster_roles, aggregated_rules
from simkit.rules.rbac.authorizer import (
    ALLOW,
    NO_OPINION,
    Decision,
    DecisionKind,
    aggregate_errors,
    authorize,
    describe_source,
)
from simkit.rules.rbac.explain import Explanation, Grant, explain
from simkit.rules.rbac.matching import (
    ALL,
    api_group_matches,
    first_allowing_rule,
    non_resource_url_matches,
    resource_matches,
    resource_name_matches,
    rule_allows,
    verb_matches,
)
from simkit.rules.rbac.resolution import (
    AppliedBinding,
    RoleNotFound,
    RolesLike,
    applicable_bindings,
    applies_to,
    bindings_in_scope,
    first_applicable_subject,
    index_roles,
    resolve_role,
    visit_rules,
)
from simkit.rules.rbac.users import (
    ALL_AUTHENTICATED,
    ALL_UNAUTHENTICATED,
    ANONYMOUS,
    SERVICE_ACCOUNTS_GROUP,
    Attributes,
    User,
    anonymous_user,
    authenticated_user,
    service_account_user,
)
from simkit.rules.rbac.who_can import PRIVILEGED_GROUP, WhoCan, who_can

__all__ = [
    "ALL",
    "ALLOW",
    "ALL_AUTHENTICATED",
    "ALL_UNAUTHENTICATED",
    "ANONYMOUS",
    "NO_OPINION",
    "PRIVILEGED_GROUP",
    "SERVICE_ACCOUNTS_GROUP",
    "AppliedBinding",
    "Attributes",
    "Decision",
    "DecisionKind",
    "Explanation",
    "Grant",
    "RoleNotFound",
    "RolesLike",
    "User",
    "WhoCan",
    "aggregate_cluster_roles",
    "aggregate_errors",
    "aggregated_rules",
    "anonymous_user",
    "api_group_matches",
    "applicable_bindings",
    "applies_to",
    "authenticated_user",
    "authorize",
    "bindings_in_scope",
    "describe_source",
    "explain",
    "first_allowing_rule",
    "first_applicable_subject",
    "index_roles",
    "non_resource_url_matches",
    "resolve_role",
    "resource_matches",
    "resource_name_matches",
    "rule_allows",
    "service_account_user",
    "verb_matches",
    "visit_rules",
    "who_can",
]

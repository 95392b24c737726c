"""RBAC rules, restating upstream's tests one by one.

Sources (kubernetes/kubernetes): ``plugin/pkg/auth/authorizer/rbac/rbac_test.go``
(TestAuthorizer, TestRuleMatches), ``pkg/registry/rbac/validation/rule_test.go``
(TestDefaultRuleResolver, TestAppliesTo), ``pkg/controller/clusterroleaggregation/
clusterroleaggregation_controller_test.go`` (TestSyncClusterRole), and the matching rules of
``pkg/apis/rbac/v1/evaluation_helpers.go``.  A hypothesis test checks :func:`authorize`
against a brute-force evaluator written separately here.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simkit.manifests.rbac import (
    binding_from_dict,
    binding_to_dict,
    role_from_dict,
    role_to_dict,
)
from simkit.rules.rbac import (
    ALLOW,
    NO_OPINION,
    Attributes,
    User,
    aggregate_cluster_roles,
    anonymous_user,
    applies_to,
    authenticated_user,
    authorize,
    explain,
    first_applicable_subject,
    non_resource_url_matches,
    resource_matches,
    resource_name_matches,
    rule_allows,
    service_account_user,
    visit_rules,
    who_can,
)
from simkit.state.rbac import (
    LabelSelector,
    PolicyRule,
    Role,
    RoleBinding,
    RoleRef,
    SelectorRequirement,
    Subject,
)

# --- helpers shaped like rbac_test.go's ---------------------------------------------------


def new_rule(verbs: str, groups: str, resources: str, urls: str) -> PolicyRule:
    """``newRule``: comma-separated lists, where "" splits to [""] as Go's strings.Split does."""
    return PolicyRule(
        verbs.split(","), groups.split(","), resources.split(","), non_resource_urls=urls.split(",")
    )


def subjects(*specs: str) -> list[Subject]:
    out = []
    for spec in specs:
        kind, name = spec.split(":", 1)
        out.append(Subject(kind, name))
    return out


def cluster_role(name: str, *rules: PolicyRule) -> Role:
    return Role("", name, list(rules))


def crb(role: str, *specs: str, name: str = "") -> RoleBinding:
    return RoleBinding("", name or f"crb-{role}", RoleRef("ClusterRole", role), subjects(*specs))


def rb(
    namespace: str, role: str, *specs: str, kind: str = "ClusterRole", name: str = ""
) -> RoleBinding:
    return RoleBinding(namespace, name or f"rb-{role}", RoleRef(kind, role), subjects(*specs))


def attrs(
    user: str,
    groups: str,
    verb: str,
    resource: str,
    subresource: str,
    namespace: str,
    api_group: str,
) -> Attributes:
    """``defaultAttributes``: groups comma-separated (so "" is [""]), name always ""."""
    return Attributes(
        user, tuple(groups.split(",")), verb, namespace, api_group, resource, subresource
    )


def url_request(verb: str, path: str, user: str = "", groups: tuple[str, ...] = ()) -> Attributes:
    return Attributes(user, groups, verb, path=path, resource_request=False)


def res_request(
    verb: str, group: str, resource: str, subresource: str = "", name: str = ""
) -> Attributes:
    return Attributes("", (), verb, "", group, resource, subresource, name)


# --- TestAuthorizer ------------------------------------------------------------------------

AUTHORIZER_CASES = [
    dict(
        cluster_roles=[cluster_role("admin", new_rule("*", "*", "*", "*"))],
        bindings=[rb("ns1", "admin", "User:admin", "Group:admins")],
        should_pass=[
            attrs("admin", "", "get", "Pods", "", "ns1", ""),
            attrs("admin", "", "watch", "Pods", "", "ns1", ""),
            attrs("admin", "group1", "watch", "Foobar", "", "ns1", ""),
            attrs("joe", "admins", "watch", "Foobar", "", "ns1", ""),
            attrs("joe", "group1,admins", "watch", "Foobar", "", "ns1", ""),
        ],
        should_fail=[
            attrs("admin", "", "GET", "Pods", "", "ns2", ""),
            attrs("admin", "", "GET", "Nodes", "", "", ""),
            attrs("admin", "admins", "GET", "Pods", "", "ns2", ""),
            attrs("admin", "admins", "GET", "Nodes", "", "", ""),
        ],
    ),
    dict(  # non-resource URLs
        cluster_roles=[
            cluster_role("non-resource-url-getter", new_rule("get", "", "", "/apis")),
            cluster_role("non-resource-url", new_rule("*", "", "", "/apis")),
            cluster_role("non-resource-url-prefix", new_rule("get", "", "", "/apis/*")),
        ],
        bindings=[
            crb("non-resource-url-getter", "User:foo", "Group:bar"),
            crb("non-resource-url", "User:admin", "Group:admin"),
            crb("non-resource-url-prefix", "User:prefixed", "Group:prefixed"),
        ],
        should_pass=[
            url_request("get", "/apis", user="foo"),
            url_request("get", "/apis", groups=("bar",)),
            url_request("get", "/apis", user="admin"),
            url_request("get", "/apis", groups=("admin",)),
            url_request("watch", "/apis", user="admin"),
            url_request("watch", "/apis", groups=("admin",)),
            url_request("get", "/apis/v1", user="prefixed"),
            url_request("get", "/apis/v1", groups=("prefixed",)),
            url_request("get", "/apis/v1/foobar", user="prefixed"),
            url_request("get", "/apis/v1/foorbar", groups=("prefixed",)),
        ],
        should_fail=[
            url_request("watch", "/apis", user="foo"),  # wrong verb
            url_request("watch", "/apis", groups=("bar",)),
            url_request("get", "/api/v1", user="foo"),  # wrong path
            url_request("get", "/api/v1", groups=("bar",)),
            url_request("get", "/api/v1", user="admin"),
            url_request("get", "/api/v1", groups=("admin",)),
            url_request("get", "/api/v1", user="prefixed"),  # not covered by the prefix
            url_request("get", "/api/v1", groups=("prefixed",)),
        ],
    ),
    dict(  # subresource resolution: a bare resource does not cover its subresources
        cluster_roles=[cluster_role("admin", new_rule("*", "*", "pods", "*"))],
        bindings=[rb("ns1", "admin", "User:admin", "Group:admins")],
        should_pass=[attrs("admin", "", "get", "pods", "", "ns1", "")],
        should_fail=[attrs("admin", "", "get", "pods", "status", "ns1", "")],
    ),
    dict(  # subresource resolution: exact pods/status and */scale
        cluster_roles=[
            cluster_role(
                "admin", new_rule("*", "*", "pods/status", "*"), new_rule("*", "*", "*/scale", "*")
            )
        ],
        bindings=[rb("ns1", "admin", "User:admin", "Group:admins")],
        should_pass=[
            attrs("admin", "", "get", "pods", "status", "ns1", ""),
            attrs("admin", "", "get", "pods", "scale", "ns1", ""),
            attrs("admin", "", "get", "deployments", "scale", "ns1", ""),
            attrs("admin", "", "get", "anything", "scale", "ns1", ""),
        ],
        should_fail=[attrs("admin", "", "get", "pods", "", "ns1", "")],
    ),
]


@pytest.mark.parametrize("case", AUTHORIZER_CASES, ids=["star", "urls", "bare", "subresource"])
def test_authorizer(case: dict) -> None:
    for request in case["should_pass"]:
        assert authorize(case["cluster_roles"], case["bindings"], request).kind is ALLOW, request
    for request in case["should_fail"]:
        decision = authorize(case["cluster_roles"], case["bindings"], request)
        assert decision.kind is NO_OPINION, request
        assert decision.reason == ""


# --- TestRuleMatches -----------------------------------------------------------------------


def _rule(verbs, groups=(), resources=(), urls=()):
    return PolicyRule(verbs, groups, resources, non_resource_urls=urls)


RULE_MATCH_CASES = {
    "star verb, exact match other": (
        _rule(["*"], ["group1"], ["resource1"]),
        [
            (res_request("verb1", "group1", "resource1"), True),
            (res_request("verb1", "group2", "resource1"), False),
            (res_request("verb1", "group1", "resource2"), False),
            (res_request("verb1", "group2", "resource2"), False),
            (res_request("verb2", "group1", "resource1"), True),
            (res_request("verb2", "group2", "resource1"), False),
            (res_request("verb2", "group1", "resource2"), False),
            (res_request("verb2", "group2", "resource2"), False),
        ],
    ),
    "star group, exact match other": (
        _rule(["verb1"], ["*"], ["resource1"]),
        [
            (res_request("verb1", "group1", "resource1"), True),
            (res_request("verb1", "group2", "resource1"), True),
            (res_request("verb1", "group1", "resource2"), False),
            (res_request("verb1", "group2", "resource2"), False),
            (res_request("verb2", "group1", "resource1"), False),
            (res_request("verb2", "group2", "resource1"), False),
            (res_request("verb2", "group1", "resource2"), False),
            (res_request("verb2", "group2", "resource2"), False),
        ],
    ),
    "star resource, exact match other": (
        _rule(["verb1"], ["group1"], ["*"]),
        [
            (res_request("verb1", "group1", "resource1"), True),
            (res_request("verb1", "group2", "resource1"), False),
            (res_request("verb1", "group1", "resource2"), True),
            (res_request("verb1", "group2", "resource2"), False),
            (res_request("verb2", "group1", "resource1"), False),
            (res_request("verb2", "group2", "resource1"), False),
            (res_request("verb2", "group1", "resource2"), False),
            (res_request("verb2", "group2", "resource2"), False),
        ],
    ),
    "tuple expansion": (
        _rule(["verb1", "verb2"], ["group1", "group2"], ["resource1", "resource2"]),
        [
            (res_request(v, g, r), True)
            for v in ("verb1", "verb2")
            for g in ("group1", "group2")
            for r in ("resource1", "resource2")
        ],
    ),
    "subresource expansion": (
        _rule(["*"], ["*"], ["resource1/subresource1"]),
        [
            (res_request("verb1", "group1", "resource1", "subresource1"), True),
            (res_request("verb1", "group2", "resource1", "subresource2"), False),
            (res_request("verb1", "group1", "resource2", "subresource1"), False),
            (res_request("verb1", "group2", "resource2", "subresource1"), False),
            (res_request("verb2", "group1", "resource1", "subresource1"), True),
            (res_request("verb2", "group2", "resource1", "subresource2"), False),
            (res_request("verb2", "group1", "resource2", "subresource1"), False),
            (res_request("verb2", "group2", "resource2", "subresource1"), False),
        ],
    ),
    "star nonresource, exact match other": (
        _rule(["verb1"], urls=["*"]),
        [
            (url_request(verb, path), verb == "verb1")
            for verb in ("verb1", "verb2")
            for path in ("/foo", "/foo/bar", "/foo/baz", "/foo/bar/one", "/foo/baz/one")
        ],
    ),
    "star nonresource subpath": (
        _rule(["verb1"], urls=["/foo/*"]),
        [
            (url_request("verb1", "/foo"), False),
            (url_request("verb1", "/foo/bar"), True),
            (url_request("verb1", "/foo/baz"), True),
            (url_request("verb1", "/foo/bar/one"), True),
            (url_request("verb1", "/foo/baz/one"), True),
            (url_request("verb1", "/notfoo"), False),
            (url_request("verb1", "/notfoo/bar"), False),
            (url_request("verb1", "/notfoo/baz"), False),
            (url_request("verb1", "/notfoo/bar/one"), False),
            (url_request("verb1", "/notfoo/baz/one"), False),
        ],
    ),
    "star verb, exact nonresource": (
        _rule(["*"], urls=["/foo", "/foo/bar/one"]),
        [
            (url_request(verb, path), path in ("/foo", "/foo/bar/one"))
            for verb in ("verb1", "verb2")
            for path in ("/foo", "/foo/bar", "/foo/baz", "/foo/bar/one", "/foo/baz/one")
        ],
    ),
}


@pytest.mark.parametrize("name", list(RULE_MATCH_CASES))
def test_rule_matches(name: str) -> None:
    rule, requests = RULE_MATCH_CASES[name]
    for request, expected in requests:
        assert rule_allows(rule, request) is expected, request


# --- evaluation_helpers.go edge cases ------------------------------------------------------


@pytest.mark.parametrize(
    ("rule_resource", "combined", "sub", "expected"),
    [
        ("*", "pods/log", "log", True),  # * matches subresources too
        ("pods", "pods", "", True),
        ("pods", "pods/log", "log", False),  # a bare resource does not cover pods/log
        ("pods/*", "pods/log", "log", False),  # pods/* is not a wildcard...
        ("pods/*", "pods/*", "*", True),  # ...only the literal string
        ("*/log", "pods/log", "log", True),
        ("*/log", "pods", "", False),
        ("*/log", "pods/xlog", "xlog", False),
        ("*/xlog", "pods/log", "log", False),  # the length check: suffix alone is not enough
        ("*/scale", "deployments/scale", "scale", True),
        ("Pods", "pods", "", False),  # case-sensitive
    ],
)
def test_resource_matches(rule_resource: str, combined: str, sub: str, expected: bool) -> None:
    assert resource_matches(PolicyRule(["get"], ["*"], [rule_resource]), combined, sub) is expected


def test_resource_names() -> None:
    any_name = PolicyRule(["get"], [""], ["secrets"])
    named = PolicyRule(["get"], [""], ["secrets"], ["builder-dockercfg"])
    assert resource_name_matches(any_name, "") and resource_name_matches(any_name, "x")
    assert resource_name_matches(named, "builder-dockercfg")
    assert not resource_name_matches(named, "other")
    assert not resource_name_matches(named, "")  # a list or create (no name) fails
    list_all = Attributes("u", (), "list", "p", "", "secrets")
    assert not rule_allows(named, list_all)
    assert rule_allows(
        named, Attributes("u", (), "get", "p", "", "secrets", name="builder-dockercfg")
    )


@pytest.mark.parametrize(
    ("rule_url", "path", "expected"),
    [
        ("*", "/anything", True),
        ("/healthz", "/healthz", True),
        ("/healthz", "/healthz/ready", False),
        ("/healthz*", "/healthzfoo", True),  # a trailing * is a plain string prefix
        ("/apis/*", "/apis/", True),
        ("/apis/*", "/apis", False),
        ("/apis/**", "/apis/v1", True),  # TrimRight strips every trailing *
    ],
)
def test_non_resource_urls(rule_url: str, path: str, expected: bool) -> None:
    assert (
        non_resource_url_matches(PolicyRule(["get"], non_resource_urls=[rule_url]), path)
        is expected
    )


def test_verbs_and_groups_are_exact() -> None:
    rule = PolicyRule(["get"], ["image.openshift.io"], ["imagestreams/layers"])
    request = Attributes("u", (), "get", "p", "image.openshift.io", "imagestreams", "layers")
    assert rule_allows(rule, request)
    assert not rule_allows(
        rule, Attributes("u", (), "GET", "p", "image.openshift.io", "imagestreams", "layers")
    )
    assert not rule_allows(rule, Attributes("u", (), "get", "p", "", "imagestreams", "layers"))
    # a resource rule never matches a non-resource request and vice versa
    assert not rule_allows(PolicyRule(["*"], ["*"], ["*"]), url_request("get", "/healthz"))
    assert not rule_allows(
        PolicyRule(["*"], non_resource_urls=["*"]), Attributes("u", (), "get", "p", "", "pods")
    )


# --- TestDefaultRuleResolver ---------------------------------------------------------------

RULE_READ_PODS = PolicyRule(["GET", "WATCH"], ["v1"], ["pods"])
RULE_READ_SERVICES = PolicyRule(["GET", "WATCH"], ["v1"], ["services"])
RULE_WRITE_NODES = PolicyRule(["PUT", "CREATE", "UPDATE"], ["v1"], ["nodes"])
RULE_ADMIN = PolicyRule(["*"], ["*"], ["*"])
STATIC_ROLES = [
    Role("namespace1", "readthings", [RULE_READ_PODS, RULE_READ_SERVICES]),
    Role("", "cluster-admin", [RULE_ADMIN]),
    Role("", "write-nodes", [RULE_WRITE_NODES]),
]
STATIC_BINDINGS = [
    RoleBinding(
        "namespace1",
        "",
        RoleRef("Role", "readthings"),
        [Subject("User", "foobar"), Subject("Group", "group1")],
    ),
    RoleBinding(
        "",
        "",
        RoleRef("ClusterRole", "cluster-admin"),
        [Subject("User", "admin"), Subject("Group", "admin")],
    ),
]


@pytest.mark.parametrize(
    ("user", "namespace", "expected"),
    [
        (User("foobar"), "namespace1", [RULE_READ_PODS, RULE_READ_SERVICES]),
        (User("foobar"), "namespace2", []),
        # same as above but without a namespace: only cluster rules apply
        (User("foobar", ("admin",)), "", [RULE_ADMIN]),
        (User(""), "", []),
    ],
)
def test_default_rule_resolver(user: User, namespace: str, expected: list[PolicyRule]) -> None:
    request = Attributes(user.name, user.groups, "get", namespace, "", "pods")
    rules = [rule for _, _, rule in visit_rules(STATIC_ROLES, STATIC_BINDINGS, request)]
    assert sorted(rules, key=repr) == sorted(expected, key=repr)


# --- TestAppliesTo -------------------------------------------------------------------------

APPLIES_TO_CASES = [
    ("single subject that matches username", [Subject("User", "foobar")], User("foobar"), "", 0),
    (
        "multiple subjects, one that matches username",
        [Subject("User", "barfoo"), Subject("User", "foobar")],
        User("foobar"),
        "",
        1,
    ),
    (
        "multiple subjects, none that match username",
        [Subject("User", "barfoo"), Subject("User", "foobar")],
        User("zimzam"),
        "",
        None,
    ),
    (
        "multiple subjects, one that match group",
        [Subject("User", "barfoo"), Subject("Group", "foobar")],
        User("zimzam", ("foobar",)),
        "",
        1,
    ),
    (
        "multiple subjects, one that match group, should ignore namespace",
        [Subject("User", "barfoo"), Subject("Group", "foobar")],
        User("zimzam", ("foobar",)),
        "namespace1",
        1,
    ),
    (
        "multiple subjects with a service account that matches",
        [
            Subject("User", "barfoo"),
            Subject("Group", "foobar"),
            Subject("ServiceAccount", "default", "kube-system"),
        ],
        User("system:serviceaccount:kube-system:default"),
        "default",
        2,
    ),
    (
        "* user subject name doesn't match all users",
        [Subject("User", "*")],
        User("foobar"),
        "default",
        None,
    ),
    (
        "binding to all authenticated and unauthenticated subjects matches authenticated user",
        [Subject("Group", "system:authenticated"), Subject("Group", "system:unauthenticated")],
        User("foobar", ("system:authenticated",)),
        "default",
        0,
    ),
    (
        "binding to all authenticated and unauthenticated subjects matches anonymous user",
        [Subject("Group", "system:authenticated"), Subject("Group", "system:unauthenticated")],
        User("system:anonymous", ("system:unauthenticated",)),
        "default",
        1,
    ),
]


@pytest.mark.parametrize("case", APPLIES_TO_CASES, ids=[c[0] for c in APPLIES_TO_CASES])
def test_applies_to(case) -> None:
    _, subs, user, namespace, index = case
    binding = RoleBinding(namespace, "b", RoleRef("ClusterRole", "r"), subs)
    subject = first_applicable_subject(binding, user)
    assert (None if subject is None else subs.index(subject)) == index
    assert [applies_to(s, user, namespace) for s in subs].count(True) >= (index is not None)


def test_service_account_subject_defaults_to_binding_namespace() -> None:
    sa = service_account_user("p", "builder")
    bare = Subject("ServiceAccount", "builder")
    assert applies_to(bare, sa, "p")
    assert not applies_to(bare, sa, "q")  # means q's builder there
    assert not applies_to(bare, sa, "")  # a ClusterRoleBinding: matches nobody
    assert applies_to(Subject("ServiceAccount", "builder", "p"), sa, "q")
    # the same through the authorizer
    roles = [cluster_role("pusher", PolicyRule(["update"], [""], ["imagestreams/layers"]))]
    push = Attributes.for_user(sa, "update", "imagestreams", subresource="layers", namespace="p")
    in_p = RoleBinding("p", "builders", RoleRef("ClusterRole", "pusher"), [bare])
    assert authorize(roles, [in_p], push).reason == (
        'RBAC: allowed by RoleBinding "builders/p" of ClusterRole "pusher" to ServiceAccount '
        '"builder/p"'
    )
    cluster_wide = RoleBinding("", "builders", RoleRef("ClusterRole", "pusher"), [bare])
    assert not authorize(roles, [cluster_wide], push)


# --- scoping ---------------------------------------------------------------------------------


def test_rolebinding_to_clusterrole_is_scoped_to_the_binding_namespace() -> None:
    roles = [
        cluster_role("puller", PolicyRule(["get"], ["image.openshift.io"], ["imagestreams/layers"]))
    ]
    binding = rb("b", "puller", "User:alice")
    user = authenticated_user("alice")

    def pull(namespace: str) -> Attributes:
        return Attributes.for_user(
            user,
            "get",
            "imagestreams",
            subresource="layers",
            api_group="image.openshift.io",
            namespace=namespace,
        )

    assert authorize(roles, [binding], pull("b")).reason == (
        'RBAC: allowed by RoleBinding "rb-puller/b" of ClusterRole "puller" to User "alice"'
    )
    assert not authorize(roles, [binding], pull("a"))
    assert not authorize(roles, [binding], pull(""))  # cluster-wide: RoleBindings don't count


def test_role_is_looked_up_in_the_binding_namespace() -> None:
    roles = [Role("a", "reader", [PolicyRule(["get"], [""], ["pods"])])]
    user = User("bob")
    in_a = Attributes.for_user(user, "get", "pods", namespace="a")
    in_b = Attributes.for_user(user, "get", "pods", namespace="b")
    assert authorize(roles, [rb("a", "reader", "User:bob", kind="Role")], in_a)
    # a RoleBinding in b naming Role "reader" finds no b/reader
    decision = authorize(roles, [rb("b", "reader", "User:bob", kind="Role")], in_b)
    assert decision.kind is NO_OPINION
    assert decision.reason == 'RBAC: role.rbac.authorization.k8s.io "reader" not found'
    # a ClusterRoleBinding can only refer to a ClusterRole (GetRole("", name) finds nothing)
    crb_to_role = RoleBinding("", "x", RoleRef("Role", "reader"), [Subject("User", "bob")])
    assert not authorize(roles, [crb_to_role], in_a)


def test_cluster_role_bindings_come_first_and_the_first_subject_is_reported() -> None:
    roles = [cluster_role("view", PolicyRule(["get"], [""], ["pods"]))]
    user = User("bob", ("devs", "system:authenticated"))
    bindings = [
        rb("p", "view", "Group:devs", name="local"),
        crb("view", "User:nobody", "Group:system:authenticated", "User:bob", name="all"),
    ]
    decision = authorize(roles, bindings, Attributes.for_user(user, "get", "pods", namespace="p"))
    assert decision.reason == (
        'RBAC: allowed by ClusterRoleBinding "all" of ClusterRole "view" '
        'to Group "system:authenticated"'
    )
    assert [
        b.name
        for b, _, _ in visit_rules(
            roles, bindings, Attributes.for_user(user, "get", "pods", namespace="p")
        )
    ] == ["all", "local"]


def test_no_opinion_reason_aggregates_resolution_errors() -> None:
    user = User("bob")
    bindings = [
        crb("gone", "User:bob", name="a"),
        crb("gone", "User:bob", name="b"),
        crb("missing", "User:bob", name="c"),
        crb("never", "User:alice", name="d"),
    ]
    decision = authorize([], bindings, Attributes.for_user(user, "get", "pods", namespace="p"))
    assert decision.kind is NO_OPINION and not decision
    assert decision.reason == (
        'RBAC: [clusterrole.rbac.authorization.k8s.io "gone" not found, '
        'clusterrole.rbac.authorization.k8s.io "missing" not found]'
    )


# --- users -----------------------------------------------------------------------------------


def test_users() -> None:
    assert service_account_user("a", "default") == User(
        "system:serviceaccount:a:default",
        ("system:serviceaccounts", "system:serviceaccounts:a", "system:authenticated"),
    )
    assert anonymous_user() == User("system:anonymous", ("system:unauthenticated",))
    assert authenticated_user("x", ["g"]).groups == ("g", "system:authenticated")
    assert authenticated_user("x", ["system:authenticated"]).groups == ("system:authenticated",)
    with pytest.raises(TypeError):
        User("x", "devs")


# --- TestSyncClusterRole ---------------------------------------------------------------------

HAMMER = [PolicyRule(["hammer"], resources=["nails"]), PolicyRule(["hammer"], resources=["wedges"])]
CHISEL = [PolicyRule(["chisel"], resources=["mortises"])]
SAW = [PolicyRule(["saw"], resources=["boards"])]


def labelled(name: str, labels: dict[str, str], rules: list[PolicyRule]) -> Role:
    return Role("", name, list(rules), labels)


def combined(selectors: list[dict[str, str]], *rules: list[PolicyRule]) -> Role:
    return Role(
        "",
        "combined",
        [r for rs in rules for r in rs],
        aggregation_rule=[LabelSelector(s) for s in selectors],
    )


AGGREGATION_CASES = {
    "remove dead rules": (
        [labelled("hammer", {"foo": "bar"}, HAMMER), combined([{"foo": "bar"}], SAW)],
        HAMMER,
    ),
    "strip rules": (
        [labelled("hammer", {"foo": "not-bar"}, HAMMER), combined([{"foo": "bar"}], HAMMER)],
        [],
    ),
    "select properly and put in order": (
        [
            labelled("hammer", {"foo": "bar"}, HAMMER),
            labelled("chisel", {"foo": "bar"}, CHISEL),
            labelled("saw", {"foo": "not-bar"}, SAW),
            combined([{"foo": "bar"}]),
        ],
        CHISEL + HAMMER,
    ),
    "select properly with multiple selectors": (
        [
            labelled("hammer", {"foo": "bar"}, HAMMER),
            labelled("chisel", {"foo": "bar"}, CHISEL),
            labelled("saw", {"foo": "not-bar"}, SAW),
            combined([{"foo": "bar"}, {"foo": "not-bar"}]),
        ],
        CHISEL + HAMMER + SAW,
    ),
    "select properly remove duplicates": (
        [
            labelled("hammer", {"foo": "bar"}, HAMMER),
            labelled("chisel", {"foo": "bar"}, CHISEL),
            labelled("saw", {"foo": "bar"}, SAW),
            labelled("other-saw", {"foo": "not-bar"}, SAW),
            combined([{"foo": "bar"}, {"foo": "not-bar"}]),
        ],
        CHISEL + HAMMER + SAW,
    ),
    "no diff skip": (
        [labelled("hammer", {"foo": "bar"}, HAMMER), combined([{"foo": "bar"}], HAMMER)],
        HAMMER,
    ),
}


@pytest.mark.parametrize("name", list(AGGREGATION_CASES))
def test_sync_cluster_role(name: str) -> None:
    roles, expected = AGGREGATION_CASES[name]
    out = {r.name: r for r in aggregate_cluster_roles(roles)}
    assert out["combined"].rules == expected
    for role in roles:  # the others are untouched
        if role.name != "combined":
            assert out[role.name] == role


def test_aggregation_skips_itself_and_chains_to_a_fixed_point() -> None:
    view = Role(
        "",
        "view",
        aggregation_rule=[LabelSelector({"to-view": "true"})],
        labels={"to-edit": "true"},
    )
    edit = Role(
        "",
        "edit",
        aggregation_rule=[LabelSelector({"to-edit": "true"})],
        labels={"to-admin": "true", "to-edit": "true"},
    )  # selects itself: skipped
    admin = Role("", "admin", aggregation_rule=[LabelSelector({"to-admin": "true"})])
    base = Role("", "base", [PolicyRule(["get"], [""], ["pods"])], {"to-view": "true"})
    extra = Role("", "extra", [PolicyRule(["create"], [""], ["pods"])], {"to-edit": "true"})
    out = {r.name: r for r in aggregate_cluster_roles([admin, edit, view, base, extra])}
    assert [r.verbs for r in out["view"].rules] == [("get",)]
    assert [r.verbs for r in out["edit"].rules] == [("create",), ("get",)]  # extra, view
    assert [r.verbs for r in out["admin"].rules] == [("create",), ("get",)]


def test_aggregation_match_expressions() -> None:
    sel = LabelSelector(
        {},
        (
            SelectorRequirement("tier", "In", ("a", "b")),
            SelectorRequirement("legacy", "DoesNotExist"),
        ),
    )
    agg = Role("", "agg", aggregation_rule=[sel])
    roles = [
        agg,
        labelled("r1", {"tier": "a"}, CHISEL),
        labelled("r2", {"tier": "c"}, SAW),
        labelled("r3", {"tier": "b", "legacy": "y"}, HAMMER),
    ]
    assert aggregate_cluster_roles(roles)[0].rules == CHISEL


# --- manifests ---------------------------------------------------------------------------------


def _rbac(kind: str, api_version: str = "rbac.authorization.k8s.io/v1", **body) -> dict:
    return {"apiVersion": api_version, "kind": kind, **body}


@pytest.mark.parametrize(
    "version", ["rbac.authorization.k8s.io/v1", "rbac.authorization.k8s.io/v1beta1"]
)
def test_round_trip(version: str) -> None:
    role = role_from_dict(
        _rbac(
            "ClusterRole",
            version,
            metadata={"name": "agg", "labels": {"a": "b"}},
            rules=None,
            aggregationRule={
                "clusterRoleSelectors": [{"matchExpressions": [{"key": "k", "operator": "Exists"}]}]
            },
        )
    )
    assert role.rules == [] and role.aggregation_rule[0].match_expressions[0].operator == "Exists"
    assert role_from_dict(role_to_dict(role)) == role
    binding = binding_from_dict(
        _rbac(
            "RoleBinding",
            version,
            metadata={"name": "b", "namespace": "p"},
            roleRef={"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "r"},
            subjects=[
                {"kind": "ServiceAccount", "name": "builder"},
                {"kind": "User", "name": "ann"},
            ],
        )
    )
    assert binding.subjects == [Subject("ServiceAccount", "builder"), Subject("User", "ann")]
    assert binding_to_dict(binding)["apiVersion"] == "rbac.authorization.k8s.io/v1"
    assert binding_from_dict(binding_to_dict(binding)) == binding
    copy = binding.copy()
    copy.subjects.append(Subject("Group", "g"))
    assert len(binding.subjects) == 2 and binding.key == ("p", "b")


BAD_MANIFESTS = [
    (
        _rbac("ClusterRole", metadata={"name": "x"}, rules=[{"verbs": "get"}]),
        'ClusterRole "x": rules[0].verbs: expected a list of strings',
    ),
    (
        _rbac(
            "ClusterRole", metadata={"name": "x"}, rules=[{"verbs": ["get"], "resources": ["pods"]}]
        ),
        'ClusterRole "x": rules[0].apiGroups: Required value',
    ),
    (
        _rbac(
            "Role",
            metadata={"name": "x", "namespace": "p"},
            rules=[{"verbs": ["get"], "nonResourceURLs": ["/healthz"]}],
        ),
        'Role "x": rules[0].nonResourceURLs: Invalid value: namespaced rules',
    ),
    (_rbac("Role", metadata={"name": "x"}, rules=[]), 'Role "x": metadata.namespace'),
    (_rbac("Role", "v1", metadata={"name": "x"}), 'Role "x": apiVersion'),
    (_rbac("ClusterRole", metadata={"name": "a/b"}), "metadata.name: Invalid value"),
    (
        _rbac("ClusterRole", metadata={"name": "x"}, aggregationRule={"clusterRoleSelectors": []}),
        "aggregationRule.clusterRoleSelectors: Required value",
    ),
    (
        _rbac(
            "ClusterRole",
            metadata={"name": "x"},
            aggregationRule={
                "clusterRoleSelectors": [{"matchExpressions": [{"key": "k", "operator": "In"}]}]
            },
        ),
        "aggregationRule.clusterRoleSelectors[0].matchExpressions[0].values",
    ),
    (
        _rbac(
            "RoleBinding",
            metadata={"name": "x", "namespace": "p"},
            roleRef={"kind": "Role", "name": "r"},
            subjects=[{"kind": "SystemUser", "name": "a"}],
        ),
        'RoleBinding "x": subjects[0].kind: Unsupported value',
    ),
    (
        _rbac(
            "ClusterRoleBinding",
            metadata={"name": "x"},
            roleRef={"kind": "ClusterRole", "name": "r"},
            subjects=[{"kind": "ServiceAccount", "name": "default"}],
        ),
        'ClusterRoleBinding "x": subjects[0].namespace: Required value',
    ),
    (
        _rbac(
            "RoleBinding",
            metadata={"name": "x", "namespace": "p"},
            roleRef={"kind": "ClusterRole", "name": "r"},
            subjects=[{"kind": "User", "name": "a", "apiGroup": "user.openshift.io"}],
        ),
        "subjects[0].apiGroup: Unsupported value",
    ),
    (
        _rbac(
            "RoleBinding",
            metadata={"name": "x", "namespace": "p"},
            roleRef={"apiGroup": "authorization.openshift.io", "kind": "ClusterRole", "name": "r"},
        ),
        "roleRef.apiGroup",
    ),
    (
        _rbac(
            "RoleBinding", metadata={"name": "x", "namespace": "p"}, roleRef={"kind": "ClusterRole"}
        ),
        "roleRef.name: Required value",
    ),
    (_rbac("Pod", metadata={"name": "x"}), "kind: expected"),
    ("not a mapping", "expected a mapping"),
]


@pytest.mark.parametrize(("obj", "message"), BAD_MANIFESTS)
def test_bad_manifests_name_the_field(obj, message: str) -> None:
    parse = binding_from_dict if "Binding" in str(obj) else role_from_dict
    with pytest.raises(ValueError, match=None) as info:
        parse(obj)
    assert message in str(info.value)


def test_openshift_v1_shapes() -> None:
    role = role_from_dict(
        {
            "apiVersion": "authorization.openshift.io/v1",
            "kind": "Role",
            "metadata": {"name": "r", "namespace": "p"},
            "rules": [
                {"verbs": ["get", "get", "list"], "resources": ["pods"]},  # groups default to ""
                {"verbs": ["*"], "resources": ["*"]},  # the old allow-all rule
                {"verbs": ["get"], "resources": ["x"], "attributeRestrictions": {"kind": "X"}},
                {
                    "verbs": ["get"],
                    "apiGroups": [""],
                    "resources": ["pods"],
                    "nonResourceURLs": ["/healthz"],
                },  # split in two
            ],
        }
    )
    assert role.rules == [
        PolicyRule(["get", "list"], [""], ["pods"]),
        PolicyRule(["*"], ["*"], ["*"]),
        PolicyRule(["get"], [""], ["pods"]),
        PolicyRule(["get"], non_resource_urls=["/healthz"]),
    ]
    binding = binding_from_dict(
        {
            "apiVersion": "authorization.openshift.io/v1",
            "kind": "RoleBinding",
            "metadata": {"name": "b", "namespace": "p"},
            "roleRef": {"name": "r", "namespace": "p"},
            "subjects": [
                {"kind": "SystemUser", "name": "system:admin"},
                {"kind": "SystemGroup", "name": "system:masters"},
                {"kind": "ServiceAccount", "name": "builder", "namespace": "p"},
            ],
        }
    )
    assert binding.role_ref == RoleRef("Role", "r")
    assert binding.subjects == [
        Subject("User", "system:admin"),
        Subject("Group", "system:masters"),
        Subject("ServiceAccount", "builder", "p"),
    ]
    with_names = binding_from_dict(
        {
            "apiVersion": "authorization.openshift.io/v1",
            "kind": "ClusterRoleBinding",
            "metadata": {"name": "c"},
            "roleRef": {"name": "view"},
            "subjects": [{"kind": "User", "name": "ignored"}],
            "userNames": ["system:serviceaccount:a:default", "system:serviceaccount:bad"],
            "groupNames": ["devs"],
        }
    )
    assert with_names.role_ref == RoleRef("ClusterRole", "view")
    assert with_names.subjects == [
        Subject("ServiceAccount", "default", "a"),
        Subject("User", "system:serviceaccount:bad"),
        Subject("Group", "devs"),
    ]
    with pytest.raises(ValueError, match="roleRef.namespace"):
        binding_from_dict(
            {
                "apiVersion": "authorization.openshift.io/v1",
                "kind": "RoleBinding",
                "metadata": {"name": "b", "namespace": "p"},
                "roleRef": {"name": "r", "namespace": "q"},
            }
        )


# --- who-can and explain -----------------------------------------------------------------------

PULLER = cluster_role(
    "system:image-puller", PolicyRule(["get"], ["", "image.openshift.io"], ["imagestreams/layers"])
)


def test_who_can() -> None:
    bindings = [
        rb("b", "system:image-puller", "Group:system:serviceaccounts:b", name="pullers"),
        RoleBinding(
            "b",
            "builder",
            RoleRef("ClusterRole", "system:image-puller"),
            [Subject("ServiceAccount", "builder"), Subject("User", "ann")],
        ),
        rb("c", "system:image-puller", "User:carl"),
    ]
    result = who_can(
        "get", "imagestreams.image.openshift.io", "layers", "b", "ruby", [PULLER], bindings
    )
    assert result.users == ("ann", "system:serviceaccount:b:builder")
    assert result.groups == ("system:masters", "system:serviceaccounts:b")
    assert result.service_accounts == (("b", "builder"),)
    assert str(result) == (
        "Namespace: b\nVerb:      get\nResource:  imagestreams.image.openshift.io/layers\n\n"
        "Users:  ann\n        system:serviceaccount:b:builder\n"
        "Groups: system:masters\n        system:serviceaccounts:b\n"
    )
    nobody = who_can("update", "imagestreams/layers", "", "", "", [PULLER], bindings)
    assert nobody.users == () and nobody.groups == ("system:masters",)
    assert "Namespace: <all>" in str(nobody) and "Users:  none" in str(nobody)


def test_explain_chain_and_near_misses() -> None:
    sa = service_account_user("a", "default")
    pull_b = Attributes.for_user(
        sa,
        "get",
        "imagestreams",
        subresource="layers",
        api_group="image.openshift.io",
        namespace="b",
        name="ruby",
    )
    bindings = [
        rb(
            "b",
            "system:image-puller",
            "Group:system:serviceaccounts:b",
            name="system:image-pullers",
        ),
        rb(
            "a",
            "system:image-puller",
            "Group:system:serviceaccounts:a",
            name="system:image-pullers",
        ),
        crb("system:image-puller", "User:nobody", name="x"),
    ]
    why_not = explain([PULLER], bindings, pull_b)
    assert not why_not.allowed and why_not.grants == ()
    assert [g.binding.key for g in why_not.not_bound] == [("", "x"), ("b", "system:image-pullers")]
    assert [g.binding.key for g in why_not.elsewhere] == [("a", "system:image-pullers")]
    text = str(why_not)
    assert "no RBAC rule allows it" in text and 'RoleBinding "system:image-pullers/a"' in text
    bindings.append(
        rb("b", "system:image-puller", "Group:system:serviceaccounts:a", name="pull-from-b")
    )
    why = explain([PULLER], bindings, pull_b)
    assert why.allowed and len(why.grants) == 1
    assert why.grants[0].lines() == [
        'user "system:serviceaccount:a:default" is in group "system:serviceaccounts:a"',
        '  -> RoleBinding "pull-from-b/b" binds Group "system:serviceaccounts:a"',
        '  -> ClusterRole "system:image-puller"',
        '  -> rule {APIGroups:["" "image.openshift.io"], Resources:["imagestreams/layers"], '
        'Verbs:["get"]}',
    ]


# --- property: authorize agrees with a brute-force evaluator -------------------------------------

NAMESPACES = ["", "a", "b"]
ROLE_NAMES = ["r0", "r1", "r2"]


def brute_force_rule(rule: PolicyRule, request: Attributes) -> bool:
    """Straight from the prose of the RBAC docs, written without the library's helpers."""
    if "*" not in rule.verbs and request.verb not in rule.verbs:
        return False
    if not request.resource_request:
        for url in rule.non_resource_urls:
            if url == "*" or url == request.path:
                return True
            if url.endswith("*"):
                prefix = url
                while prefix.endswith("*"):
                    prefix = prefix[:-1]
                if request.path[: len(prefix)] == prefix:
                    return True
        return False
    if "*" not in rule.api_groups and request.api_group not in rule.api_groups:
        return False
    wanted = {request.resource + ("/" + request.subresource if request.subresource else "")}
    if request.subresource:
        wanted.add("*/" + request.subresource)
    if "*" not in rule.resources and not wanted & set(rule.resources):
        return False
    return not rule.resource_names or request.name in rule.resource_names


def brute_force(
    roles: list[Role], bindings: list[RoleBinding], request: Attributes
) -> RoleBinding | None:
    """The first binding that grants the request, scanning cluster bindings first."""
    order = [b for b in bindings if b.namespace == ""]
    if request.namespace:
        order += [b for b in bindings if b.namespace == request.namespace]
    for binding in order:
        covered = False
        for s in binding.subjects:
            if s.kind == "User" and s.name == request.user:
                covered = True
            if s.kind == "Group" and s.name in request.groups:
                covered = True
            sa_ns = s.namespace if s.namespace != "" else binding.namespace
            if (
                s.kind == "ServiceAccount"
                and sa_ns != ""
                and request.user == "system:serviceaccount:" + sa_ns + ":" + s.name
            ):
                covered = True
        if not covered:
            continue
        wanted_ns = binding.namespace if binding.role_ref.kind == "Role" else ""
        if binding.role_ref.kind == "Role" and binding.namespace == "":
            continue
        for role in roles:
            if role.namespace == wanted_ns and role.name == binding.role_ref.name:
                if any(brute_force_rule(rule, request) for rule in role.rules):
                    return binding
                break
    return None


def _lists(elements, max_size=2):
    return st.lists(st.sampled_from(elements), min_size=1, max_size=max_size, unique=True)


resource_rules = st.builds(
    PolicyRule,
    verbs=_lists(["get", "list", "*"]),
    api_groups=_lists(["", "g", "*"]),
    resources=_lists(["pods", "pods/log", "*", "*/log", "pods/*", "secrets"]),
    resource_names=st.one_of(st.just(()), _lists(["x", "y"], 1)),
)
url_rules = st.builds(
    PolicyRule,
    verbs=_lists(["get", "*"]),
    non_resource_urls=_lists(["/healthz", "/api/*", "*", "/api"]),
)


@st.composite
def roles_st(draw) -> list[Role]:
    """Most of the nine possible roles, each with up to three rules."""
    roles = []
    for namespace in NAMESPACES:
        for name in ROLE_NAMES:
            if draw(st.integers(0, 3)):
                rules = draw(st.lists(st.one_of(resource_rules, url_rules), max_size=2))
                roles.append(Role(namespace, name, rules))
    return roles


subjects_st = st.one_of(
    st.builds(Subject, kind=st.just("User"), name=st.sampled_from(["u", "v", "*"])),
    st.builds(
        Subject,
        kind=st.just("Group"),
        name=st.sampled_from(["g", "system:authenticated", "system:serviceaccounts:a"]),
    ),
    st.builds(
        Subject,
        kind=st.just("ServiceAccount"),
        name=st.sampled_from(["default", "sa"]),
        namespace=st.sampled_from(NAMESPACES),
    ),
)
bindings_st = st.lists(
    st.builds(
        RoleBinding,
        namespace=st.sampled_from(NAMESPACES),
        name=st.sampled_from(["b0", "b1", "b2"]),
        role_ref=st.builds(
            RoleRef,
            kind=st.sampled_from(["ClusterRole", "Role"]),
            name=st.sampled_from([*ROLE_NAMES, "missing"]),
        ),
        subjects=st.lists(subjects_st, min_size=1, max_size=3),
    ),
    min_size=1,
    max_size=6,
)
users_st = st.one_of(
    st.builds(authenticated_user, st.sampled_from(["u", "v"]), st.lists(st.sampled_from(["g"]))),
    st.builds(
        service_account_user, st.sampled_from(["a", "b"]), st.sampled_from(["default", "sa"])
    ),
    st.just(anonymous_user()),
)


def _user_for(subject: Subject, binding_namespace: str):
    """A user that the subject covers (most of the time: ``*`` and bare SAs may miss)."""
    if subject.kind == "User":
        return authenticated_user(subject.name)
    if subject.kind == "Group":
        if subject.name == "system:serviceaccounts:a":
            return service_account_user("a", "sa")
        return authenticated_user("u", [subject.name])
    return service_account_user(subject.namespace or binding_namespace or "a", subject.name)


def _pick(draw, values, fallback):
    values = [v for v in values if v != "*"] or fallback
    return draw(st.sampled_from(sorted(values)))


@st.composite
def scenarios(draw):
    """A policy and a request, the request often aimed at something the policy grants."""
    roles, bindings = draw(roles_st()), draw(bindings_st)
    aimed = draw(st.integers(0, 4)) > 0
    binding = draw(st.sampled_from(bindings)) if bindings and aimed else None
    if binding is not None and binding.subjects:
        user = _user_for(draw(st.sampled_from(binding.subjects)), binding.namespace)
        namespace = binding.namespace or draw(st.sampled_from(NAMESPACES))
    else:
        user = draw(users_st)
        namespace = draw(st.sampled_from(NAMESPACES))
    rules = [r for role in roles for r in role.rules]
    if binding is not None:  # prefer the rules of the role the binding names
        ns = binding.namespace if binding.role_ref.kind == "Role" else ""
        rules = [
            r for role in roles if role.key == (ns, binding.role_ref.name) for r in role.rules
        ] or rules
    rule = draw(st.sampled_from(rules)) if rules and aimed else None
    if rule is not None and rule.non_resource_urls:
        path = _pick(
            draw,
            [u.rstrip("*") + "v1" if u.endswith("*") else u for u in rule.non_resource_urls],
            ["/healthz"],
        )
        return (
            roles,
            bindings,
            Attributes.non_resource(user, _pick(draw, rule.verbs, ["get"]), path),
        )
    if rule is not None:
        combined = _pick(draw, rule.resources, ["pods/log"]).replace("*", "pods")
        resource, _, sub = combined.partition("/")
        return (
            roles,
            bindings,
            Attributes.for_user(
                user,
                _pick(draw, rule.verbs, ["get"]),
                resource,
                subresource=sub,
                api_group=_pick(draw, rule.api_groups, ["g"]),
                namespace=namespace,
                name=_pick(draw, rule.resource_names, ["", "x"]),
            ),
        )
    if draw(st.booleans()):
        return (
            roles,
            bindings,
            Attributes.non_resource(
                user,
                draw(st.sampled_from(["get", "post"])),
                draw(st.sampled_from(["/healthz", "/api", "/api/v1"])),
            ),
        )
    return (
        roles,
        bindings,
        Attributes.for_user(
            user,
            draw(st.sampled_from(["get", "list", "delete"])),
            draw(st.sampled_from(["pods", "secrets"])),
            subresource=draw(st.sampled_from(["", "log", "exec"])),
            api_group=draw(st.sampled_from(["", "g"])),
            namespace=namespace,
            name=draw(st.sampled_from(["", "x"])),
        ),
    )


@settings(max_examples=150, deadline=None)
@given(scenario=scenarios())
def test_authorize_agrees_with_brute_force(scenario) -> None:
    roles, bindings, request = scenario
    expected = brute_force(roles, bindings, request)
    decision = authorize(roles, bindings, request)
    assert decision.allowed is (expected is not None)
    if expected is not None:
        assert decision.binding is expected
        assert explain(roles, bindings, request).grants[0].binding is expected
        if request.resource_request:  # who-can lists the user or one of its groups
            found = who_can(
                request.verb,
                request.resource,
                request.subresource,
                request.namespace,
                request.name,
                roles,
                bindings,
                api_group=request.api_group,
            )
            assert request.user in found.users or set(request.groups) & set(found.groups)
